"""Helpers shared by the tests: run the command line in-process or as a process."""

import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from search.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


#: the keys of a hit in ``--format json`` (and ``/api/search``)
HIT_KEYS = {
    "id",
    "title",
    "date",
    "date_source",
    "language",
    "languages",
    "source",
    "url",
    "truncated",
    "actors",
    "snippet",
    "snippet_language",
    "score",
    "story",
    "copies",
    "copies_total",
}


@contextmanager
def without_stories():
    """Index without grouping copies into stories (for tests of many copies of the sample
    articles that are about something else: every copy is then a story of its own)."""
    from indexer import settings

    before = settings.STORIES
    settings.STORIES = False
    try:
        yield
    finally:
        settings.STORIES = before


def run_cli(*args, env=None):
    return CliRunner().invoke(main, list(map(str, args)), env=env)


def spawn_cli(*args):
    """``news-search ARGS`` as a process of its own (to kill, or to run beside the test)."""
    return subprocess.Popen(
        [sys.executable, "-m", "search.cli", *map(str, args)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def inspect_records(*paths):
    """Run ``news-search inspect`` and parse its JSON Lines."""
    result = run_cli("inspect", *paths)
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result, records


def engine_of(tmp_path_factory, name: str, records: list[dict]):
    """A search engine on an index of ``records``, written as one JSON-lines file."""
    from indexer.store.indexing import run_index
    from search.engine import SearchEngine

    corpus = tmp_path_factory.mktemp(f"{name}-corpus")
    (corpus / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    index = tmp_path_factory.mktemp(f"{name}-index")
    assert run_index([corpus], index).failed == 0
    return SearchEngine(index)


def repeated_corpus(folder: Path, times: int = 9) -> Path:
    """``folder``/corpus holding the sample articles ``times`` over (45 articles for 9:
    three pages of results on the web page, when indexed :func:`without_stories`: grouped
    into stories they are five)."""
    corpus = folder / "corpus"
    corpus.mkdir()
    for copy in range(times):
        for f in CORPUS.iterdir():
            shutil.copy(f, corpus / f"{copy}-{f.name}")
    return corpus
