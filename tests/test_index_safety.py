"""Safe under change: rebuilds switch atomically, a live server sees exactly the last
commit, unreadable or missing roots keep their articles, failures are one line, and
deleted documents are merged away."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from indexer.store.index_folder import META_FILE, open_index, read_meta
from indexer.store.indexing import run_index
from search.engine import SearchEngine, SearchRequest

from .helpers import run_cli, spawn_cli
from .test_indexing import make_corpus


def total(index, text=""):
    return SearchEngine(index).search(SearchRequest(text, limit=10))["total"]


def deleted_documents(index) -> int:
    with open_index(index).reader() as reader:
        return reader.doc_count_all() - reader.doc_count()


def test_reordering_languages_is_no_change(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 12)
    run_index([corpus], index, workers=1)
    summary = run_index([corpus], index, languages=("fr", "en"), workers=1)
    assert not summary.rebuilt and summary.unchanged == 12 and summary.added == 0


def test_a_lost_record_file_does_not_rebuild(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 12)
    run_index([corpus], index, workers=1)
    (index / "news-search.json").write_text("{not json", encoding="utf-8")
    summary = run_index([corpus], index, workers=1)
    assert not summary.rebuilt and summary.unchanged == 12


def test_a_change_of_languages_rebuilds_beside_the_old_index(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 12)
    run_index([corpus], index, workers=1)
    engine = SearchEngine(index)
    assert engine.search(SearchRequest("Report"))["total"] == 12
    summary = run_index([corpus], index, languages=("en", "fr", "de"), workers=1)
    assert summary.rebuilt and summary.added == 12
    assert engine.search(SearchRequest("Report"))["total"] == 12  # the open engine follows
    assert read_meta(index)["languages"] == ["de", "en", "fr"]
    names = {p.name.split("_")[0] for p in index.iterdir() if p.suffix == ".seg"}
    assert len(names) == 1  # the replaced index's files are gone


def test_an_index_of_another_version_is_named_so_and_rebuilt_by_the_next_run(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 12)
    run_index([corpus], index, workers=1)
    meta = read_meta(index)
    meta["schema_version"] = "0"  # as an index written by an older version records it
    (index / "news-search.json").write_text(json.dumps(meta), encoding="utf-8")
    toc = next(index.glob("_*.toc"))
    toc.write_bytes(toc.read_bytes().replace(b"indexer.store.schema", b"indexer.gone.schema!"))
    result = run_cli("query", "Report", "--index", index)
    assert result.exit_code == 2 and "another version of news-search" in result.stderr
    assert f"news-search index {corpus} --index" in result.stderr  # the paths it was built from
    assert len(result.stderr.strip().splitlines()) == 1
    summary = run_index([corpus], index, workers=1)
    assert summary.rebuilt and summary.added == 12
    assert total(index, "Report") == 12


def test_a_killed_rebuild_leaves_the_old_index_whole(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 40)
    run_index([corpus], index, workers=1)
    make_corpus(corpus, 600, start=40)
    before = {p.name for p in index.iterdir()}
    proc = spawn_cli("index", corpus, "--index", index, "--lang", "en,fr,de", "--workers", "2", "--quiet")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        fresh = [p for p in index.iterdir() if p.name not in before and p.suffix == ".pst"]
        if len(fresh) >= 2:
            break
        # readers never see an empty index while the rebuild runs
        assert total(index, "Report") == 40
        time.sleep(0.02)
    assert proc.poll() is None, "the rebuild ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert total(index, "Report") == 40
    assert read_meta(index)["languages"] == ["en", "fr"]
    summary = run_index([corpus], index, languages=("en", "fr", "de"), workers=2)
    assert summary.rebuilt and summary.added == 640
    assert total(index, "Report") == 640
    assert len({p.name.split("_")[0] for p in index.iterdir() if p.suffix == ".seg"}) == 1


def test_rebuild_flag_keeps_serving_the_old_index_until_commit(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 30)
    run_index([corpus], index, workers=1)
    engine = SearchEngine(index)
    proc = spawn_cli("index", corpus, "--index", index, "--rebuild", "--workers", "1", "--quiet")
    while proc.poll() is None:
        assert engine.search(SearchRequest("Report"))["total"] == 30
    assert proc.returncode == 0, proc.stderr.read()
    assert engine.search(SearchRequest("Report"))["total"] == 30


def test_an_unreadable_directory_keeps_its_articles(tmp_path, monkeypatch):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus / "a", 5)
    make_corpus(corpus / "b", 5, start=5)
    run_index([corpus], index, workers=1)
    real_scandir = os.scandir
    blocked = os.path.realpath(corpus / "b")

    def scandir(path="."):
        if os.path.realpath(path) == blocked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    summary = run_index([corpus], index, workers=1)
    assert summary.deleted == 0 and summary.unchanged == 10
    assert any(str(corpus / "b") in p and "Permission denied" in p for p in summary.problems)
    assert total(index, "Report") == 10


def test_a_missing_root_is_one_line_and_keeps_its_articles(tmp_path):
    a, b, index = tmp_path / "a", tmp_path / "b", tmp_path / "index"
    make_corpus(a, 4)
    make_corpus(b, 4, start=4)
    assert run_cli("index", a, b, "--index", index, "--quiet").exit_code == 0
    b.rename(tmp_path / "b-unmounted")
    make_corpus(a, 1, start=8)
    result = run_cli("index", a, b, "--index", index, "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"news-search: {b}: not found"
    assert total(index, "Report") == 9
    result = run_cli("index", tmp_path / "nowhere", "--index", index)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "not found" in result.stderr


def test_a_failed_commit_is_one_line_and_loses_nothing(tmp_path, monkeypatch):
    from indexer.store.writer import IndexWriter

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 6)
    run_index([corpus], index, workers=1)
    make_corpus(corpus, 3, start=6)

    def full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(IndexWriter, "commit_with", full)
    result = run_cli("index", corpus, "--index", index)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr
    assert "Traceback" not in result.output and str(index) in result.stderr
    monkeypatch.undo()
    assert total(index, "Report") == 6
    assert run_index([corpus], index, workers=1).added == 3


def test_deleted_documents_are_merged_away(tmp_path, monkeypatch):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 40)
    run_index([corpus], index, workers=1)
    for cycle in range(6):
        for path in sorted(corpus.iterdir())[:12]:
            path.write_text(path.read_text(encoding="utf-8") + f"\n\nUpdate {cycle}.", encoding="utf-8")
        run_index([corpus], index, workers=1)
        with open_index(index).reader() as reader:
            assert reader.doc_count() == 40
        assert deleted_documents(index) < 40 * 2
    result = run_cli("index", corpus, "--index", index, "--optimize", "--quiet")
    assert result.exit_code == 0, result.output
    assert deleted_documents(index) == 0 and total(index, "Report") == 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


def test_a_running_server_sees_exactly_each_commit(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 8)
    run_index([corpus], index, workers=1)
    port = _free_port()
    server = spawn_cli("serve", "--index", index, "--port", port)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

        def state():
            status, body = _get(f"{base}/api/search?q=Report&limit=100&facets=0&collapse=0")
            assert status == 200
            return sorted(h["id"] for h in body["hits"]), body["total"]

        assert state()[1] == 8
        changed = corpus / "art0002.txt"
        changed.write_text(changed.read_text(encoding="utf-8").replace("Report number 2.", "Report number 2, revised."))
        run_index([corpus], index, workers=1)
        ids, count = state()
        assert count == 8 and len(set(ids)) == 8  # the replaced copy is gone
        (corpus / "art0005.txt").unlink()
        run_index([corpus], index, workers=1)
        ids, count = state()
        assert count == 7 and "art0005.txt" not in ids
        assert _get(f"{base}/api/article/art0005.txt")[0] == 404
        assert _get(f"{base}/healthz")[1]["articles"] == 7
        run_index([corpus], index, rebuild=True, workers=1)
        assert state()[1] == 7 and _get(f"{base}/healthz")[1]["articles"] == 7
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 3 MB file system of its own (tmpfs; needs the right to mount, as root has)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_is_one_line_and_the_next_run_has_room(tiny_disk, tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"b{i}",
                    "title": f"Dispatch {i}",
                    "text": " ".join(f"word{(i * 7919 + k) % 50000} talks" for k in range(300)),
                }
            )
            + "\n"
            for i in range(600)
        ),
        encoding="utf-8",
    )
    small = tmp_path / "small"
    make_corpus(small, 4)
    index = tiny_disk / "index"
    assert run_cli("index", small, "--index", index, "--quiet").exit_code == 0
    result = run_cli("index", small, big, "--index", index, "--quiet", "--workers", "2")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr
    assert total(index, "Report") == 4
    make_corpus(small, 1, start=4)  # the failed run's files are gone: there is room again
    result = run_cli("index", small, "--index", index, "--quiet")
    assert result.exit_code == 0, result.output
    assert total(index, "Report") == 5


def test_an_index_folder_that_cannot_be_written_is_one_line(tmp_path, monkeypatch):
    from indexer.store import index_folder

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 2)
    index.mkdir()
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith(index_folder.LOCK_FILE):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(index_folder.os, "open", refuse)
    result = run_cli("index", corpus, "--index", index)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Permission denied" in result.stderr and str(index) in result.stderr


def folder(index) -> dict[str, bytes]:
    """The index folder's files but its record (which each run rewrites), with their bytes."""
    return {
        p.relative_to(index).as_posix(): p.read_bytes()
        for p in sorted(index.rglob("*"))
        if p.is_file() and p.name != META_FILE
    }


@pytest.mark.parametrize("workers", [1, 2])
def test_a_run_that_changes_nothing_leaves_the_index_folder_as_it_found_it(tmp_path, workers):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, 30)
    assert run_index([corpus], index, workers=workers).added == 30
    before = folder(index)
    for _ in range(2):
        assert not run_index([corpus], index, workers=workers).changed
        assert folder(index) == before
    for i in range(30):  # files refused by the ingest processes: still nothing to commit
        (corpus / f"bad{i:02d}.txt").write_bytes(b"\x00\x01 not text")
    summary = run_index([corpus], index, workers=workers)
    assert not summary.changed and summary.failed == 30
    assert folder(index) == before
    assert total(index) == 30
