import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def run_cli(*args):
    result = CliRunner().invoke(main, list(map(str, args)))
    return result


def inspect_records(*paths):
    """Run ``news-search inspect`` and parse its JSON Lines."""
    result = run_cli("inspect", *paths)
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result, records


@pytest.fixture(scope="session")
def seed():
    """The five sample articles as ``news-search inspect`` prints them, keyed "000".."004"."""
    result, records = inspect_records(CORPUS)
    assert result.exit_code == 0, result.output
    return {r["id"][:3]: r for r in records}
