"""Helpers shared by the tests: run the command line in-process."""

import json
from pathlib import Path

from click.testing import CliRunner

from search.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def run_cli(*args, env=None):
    return CliRunner().invoke(main, list(map(str, args)), env=env)


def inspect_records(*paths):
    """Run ``news-search inspect`` and parse its JSON Lines."""
    result = run_cli("inspect", *paths)
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result, records
