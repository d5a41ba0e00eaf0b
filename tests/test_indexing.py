"""Indexing runs: incremental, safe under kill -9, never blocking readers, polite when busy."""

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from indexer import settings
from indexer.store.index_folder import open_index
from indexer.store.indexing import IndexBusy, run_index
from search.engine import SearchEngine, SearchRequest

from .helpers import CORPUS, run_cli, spawn_cli


def doc_count(index_dir):
    with open_index(index_dir).reader() as reader:
        return reader.doc_count()


def ids(index_dir, text="", **filters):
    result = SearchEngine(index_dir).search(SearchRequest(text, limit=1000, collapse=False, **filters))
    return sorted(h["id"] for h in result["hits"])


def make_corpus(directory: Path, n: int, start: int = 0) -> None:
    """``n`` small articles made from the sample corpus's paragraphs."""
    paragraphs = [
        p for f in sorted(CORPUS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n") if len(p) > 200
    ]
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(3))
        (directory / f"art{i:04d}.txt").write_text(
            f" date 2024-{i % 12 + 1:02d}-{i % 27 + 1:02d} Report number {i}.\n\n{body}", encoding="utf-8"
        )


def test_incremental_add_change_delete(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    first = run_index([corpus], index, workers=1)
    assert (first.added, first.updated, first.deleted, first.unchanged, first.failed) == (5, 0, 0, 0, 0)

    again = run_index([corpus], index, workers=1)
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 5)

    changed = corpus / "000_052c9c5229c07dab.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Peskov", "Zakharova"), encoding="utf-8")
    (corpus / "002_651fe709a4f31e93.txt").unlink()
    (corpus / "feed.jsonl").write_text(
        '{"id": "j1", "date": "2024-03-01", "text": "Lavrov met Mirzoyan in Moscow on Friday."}\n'
        '{"id": "j2", "date": "2024-03-02", "text": "Aliyev spoke in Baku about the border talks."}\n'
    )
    third = run_index([corpus], index, workers=1)
    assert (third.added, third.updated, third.deleted, third.unchanged) == (2, 1, 1, 3)
    assert doc_count(index) == 6
    assert ids(index, "Zakharova") == ["000_052c9c5229c07dab.txt"]
    assert ids(index, "Peskov") == ["004_fcc0568d9e52dacc.txt"]
    assert ids(index, "Mirzoyan") == ["j1"]
    assert "002_651fe709a4f31e93.txt" not in ids(index)


def test_touched_file_with_same_bytes_is_unchanged(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    run_index([corpus], index, workers=1)
    os.utime(corpus / "001_6df0311b031fad39.txt", None)
    rerun = run_index([corpus], index, workers=1)
    assert (rerun.updated, rerun.unchanged) == (0, 5)


def test_refused_files_are_reported_and_the_rest_indexed(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    (corpus / "bad.txt").write_bytes(b"\x00\x01")
    (corpus / "empty.txt").write_bytes(b"")
    summary = run_index([corpus], index, workers=1)
    assert summary.added == 5 and summary.failed == 2
    assert all(p.count("\n") == 0 for p in summary.problems)
    # refused before and unchanged since: not reported again
    assert run_index([corpus], index, workers=1).failed == 0


def test_a_file_that_turns_bad_keeps_what_was_indexed(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    run_index([corpus], index, workers=1)
    (corpus / "003_d10fb9464b89c259.txt").write_bytes(b"\x00binary now")
    summary = run_index([corpus], index, workers=1)
    assert summary.failed == 1 and summary.deleted == 0
    assert "003_d10fb9464b89c259.txt" in ids(index)


def test_changed_alias_table_reindexes(tmp_path):
    corpus, index, table = tmp_path / "corpus", tmp_path / "index", tmp_path / "actors.csv"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(settings.ACTORS_FILE, table)
    run_index([corpus], index, actors_file=table, workers=1)
    with open(table, "a", encoding="utf-8") as f:
        f.write("Rybar,organization,Rybar channel,\n")
    summary = run_index([corpus], index, actors_file=table, workers=1)
    assert (summary.updated, summary.unchanged) == (5, 0)
    engine = SearchEngine(index, actors_file=table)
    hits = engine.search(SearchRequest(actors=["Rybar"]))["hits"]
    assert [h["id"] for h in hits] == ["004_fcc0568d9e52dacc.txt"]


def test_parallel_workers_index_everything(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 40)
    summary = run_index([corpus], index, workers=2)
    assert summary.added == 40 and summary.failed == 0
    assert doc_count(index) == 40
    assert ids(index, '"Report number 17"') == ["art0017.txt"]
    make_corpus(corpus, 30, start=40)
    (corpus / "art0003.txt").unlink()
    summary = run_index([corpus], index, workers=2)
    assert (summary.added, summary.deleted, summary.unchanged) == (30, 1, 39)
    assert doc_count(index) == 69


def test_busy_index_exits_75(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    run_index([corpus], index, workers=1)
    holder = open_index(index).writer()
    try:
        with pytest.raises(IndexBusy):
            run_index([corpus], index, workers=1, timeout=0.2)
        result = run_cli("index", corpus, "--index", index, "--wait", "0.2", "--quiet")
        assert result.exit_code == 75
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "another indexer holds the index" in lines[0]
    finally:
        holder.cancel()
    assert run_cli("index", corpus, "--index", index, "--quiet").exit_code == 0


def test_quiet_prints_nothing_and_summary_otherwise(tmp_path):
    index = tmp_path / "index"
    quiet = run_cli("index", CORPUS, "--index", index, "--quiet")
    assert quiet.exit_code == 0 and quiet.output == ""
    loud = run_cli("index", CORPUS, "--index", index)
    assert loud.exit_code == 0
    assert "0 added, 0 updated, 0 deleted, 5 unchanged, 0 failed" in loud.stdout


def test_bad_usage_exits_2(tmp_path):
    assert run_cli("index", tmp_path / "missing", "--index", tmp_path / "ix").exit_code == 2
    assert run_cli("index", CORPUS, "--index", tmp_path / "ix", "--lang", "english!").exit_code == 2


def _spawn_index(corpus, index):
    return spawn_cli("index", corpus, "--index", index, "--quiet", "--workers", "2")


def test_kill_9_mid_run_leaves_the_last_commit_and_the_next_run_finishes(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 10)
    run_index([corpus], index, workers=1)
    make_corpus(corpus, 600, start=10)
    proc = _spawn_index(corpus, index)
    # kill while both workers are writing their segments: the main writer's postings
    # file and one per worker exist, and no new table of contents has been written
    deadline = time.monotonic() + 60
    while len(list(index.glob("*.pst"))) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be killed"
    assert len(list(index.glob("_*_*.toc"))) == 1, "the run committed already"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert doc_count(index) == 10  # the last committed index, searchable
    assert len(ids(index, "Report")) == 10
    summary = run_index([corpus], index, workers=2, timeout=10)
    assert summary.added == 600 and summary.unchanged == 10
    assert doc_count(index) == 610


def test_a_reader_keeps_answering_during_a_run_and_sees_the_commit(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 10)
    run_index([corpus], index, workers=1)
    engine = SearchEngine(index)
    make_corpus(corpus, 60, start=10)
    proc = _spawn_index(corpus, index)
    answers = 0
    while proc.poll() is None:
        result = engine.search(SearchRequest("Report", limit=5))
        assert result["total"] in (10, 70)
        answers += 1
    assert proc.returncode == 0, proc.stderr.read()
    assert answers > 0
    assert engine.search(SearchRequest("Report"))["total"] == 70


def test_meta_records_the_last_run(tmp_path):
    index = tmp_path / "index"
    run_index([CORPUS], index, workers=1)
    meta = json.loads((index / "news-search.json").read_text())
    assert meta["last_run"]["added"] == 5 and meta["languages"] == ["en", "fr"]
