import pytest

from .helpers import CORPUS, inspect_records


@pytest.fixture(scope="session")
def seed():
    """The five sample articles as ``news-search inspect`` prints them, keyed "000".."004"."""
    result, records = inspect_records(CORPUS)
    assert result.exit_code == 0, result.output
    return {r["id"][:3]: r for r in records}
