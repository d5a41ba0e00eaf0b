import pytest

from indexer.store.indexing import run_index

from .helpers import CORPUS, inspect_records


@pytest.fixture(scope="session")
def seed():
    """The five sample articles as ``news-search inspect`` prints them, keyed "000".."004"."""
    result, records = inspect_records(CORPUS)
    assert result.exit_code == 0, result.output
    return {r["id"][:3]: r for r in records}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The five sample articles indexed, once per test module (modules may define their own)."""
    path = tmp_path_factory.mktemp("index")
    assert run_index([CORPUS], path).failed == 0
    return path
