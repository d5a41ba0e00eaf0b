"""The index directory: which Whoosh index in it is current, its run record, its lock.

An index directory holds:

* one or more Whoosh indexes, each under its own name (``MAIN``, ``G1``, ``G2`` …): the
  current one, and while a rebuild runs, the next one, built beside it;
* ``news-search.json``, the record of the index (:data:`META_FILE`): which Whoosh index is
  current, its schema version, languages, pipeline signature, which alias table it was
  built with, and the last run. Writing it (atomically, by rename) is what switches a
  rebuilt index in: readers see the old index, whole, until that moment, then the new one;
* ``actors-<hash>.csv``: a copy of the alias table the index was built with, so that
  searches resolve actor names with the same table as indexing did;
* ``names-<index name>.json``: how many articles name each discovered name
  (:mod:`indexer.store.name_counts`);
* ``news-search.lock``: the lock one indexing run holds from start to end;
* files of the index's users, named ``news-search-*`` (the change log of
  :mod:`indexer.store.changelog`, the saved searches of the search side), which a run
  never removes.

Readers (:mod:`search.engine`) call :func:`current` to find the index to open and
:func:`signature` to notice, cheaply, that it changed.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from .. import settings

META_FILE = "news-search.json"
LOCK_FILE = "news-search.lock"
#: Files of the index's users beside it (a run never removes them).
KEPT_PREFIX = "news-search-"
#: The name of the first index in a directory (and of every index before rebuilds switched).
FIRST_NAME = "MAIN"


class IndexBusy(RuntimeError):
    """Another process holds the index's lock."""


def read_meta(index_dir: Path) -> dict:
    """The index's record, or {} when it is missing or unreadable."""
    try:
        meta = json.loads((Path(index_dir) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def write_meta(index_dir: Path, meta: dict) -> None:
    """Replace the index's record in one step (a reader sees the old or the new one).

    Written as ASCII JSON, so that file names that are not valid UTF-8 (kept by Python as
    surrogate escapes) are stored escaped instead of failing the write."""
    index_dir = Path(index_dir)
    tmp = index_dir / f".{META_FILE}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="ascii") as out:
        json.dump(meta, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, index_dir / META_FILE)


def current(index_dir: Path, meta: dict | None = None) -> str:
    """The name of the current Whoosh index in ``index_dir``: the one the record names,
    or when the record is lost, the index most recently committed."""
    meta = read_meta(index_dir) if meta is None else meta
    name = meta.get("index_name")
    if isinstance(name, str) and re.fullmatch(r"[A-Z][A-Z0-9]*", name):
        return name
    return _latest_committed(index_dir) or FIRST_NAME


def _latest_committed(index_dir: Path) -> str | None:
    newest: dict[str, float] = {}
    for entry in _entries(index_dir):
        m = re.fullmatch(r"_([A-Z][A-Z0-9]*)_(\d+)\.toc", entry)
        if m and int(m.group(2)) > 0:
            try:
                mtime = os.stat(Path(index_dir) / entry).st_mtime
            except OSError:
                continue
            newest[m.group(1)] = max(newest.get(m.group(1), 0.0), mtime)
    return max(newest, key=newest.get) if newest else None


def open_index(index_dir: Path):
    """The current Whoosh index of ``index_dir`` (raises Whoosh's errors if there is none)."""
    from whoosh import index as whoosh_index

    return whoosh_index.open_dir(str(index_dir), indexname=current(Path(index_dir)))


def next_name(index_dir: Path, meta: dict) -> str:
    """A name for a new index beside the current one, unused in the directory."""
    taken = {entry.split("_")[0].lstrip("_") for entry in _entries(index_dir)}
    n = int(meta.get("generation", 0) or 0) + 1
    while f"G{n}" in taken or f"G{n}" == current(index_dir, meta):
        n += 1
    return f"G{n}"


def signature(index_dir: Path) -> tuple:
    """Changes whenever the record is rewritten (a run's end, a switch): a cheap check."""
    try:
        st = os.stat(Path(index_dir) / META_FILE)
    except OSError:
        return ()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _entries(index_dir: Path) -> list[str]:
    try:
        return os.listdir(index_dir)
    except OSError:
        return []


def _belongs(entry: str, name: str) -> bool:
    return entry.startswith(f"{name}_") or entry.startswith(f"_{name}_")


def remove_others(index_dir: Path, keep: str) -> None:
    """Delete the files of every Whoosh index but ``keep`` (a replaced index, or a rebuild
    killed before it switched in), and alias-table copies the record no longer names.
    Call only while holding the lock."""
    meta = read_meta(index_dir)
    table = meta.get("actors", {}).get("copy")
    names = meta.get("names")
    stories = meta.get("stories")
    for entry in _entries(index_dir):
        stale_index = re.match(r"_?([A-Z][A-Z0-9]*)_", entry) and not _belongs(entry, keep)
        stale_table = entry.startswith("actors-") and entry.endswith(".csv") and entry != table
        stale_table |= entry.startswith("names-") and entry.endswith(".json") and entry != names
        stale_table |= entry.startswith("stories-") and entry.endswith(".npz") and entry != stories
        # temporary files: of the record, of a table copy, the spill folder of another index
        stale_tmp = (
            entry.startswith(f".{META_FILE}.")
            or entry.startswith(".actors-")
            or entry.startswith(".names-")
            or entry.startswith(".stories-")
            or (entry.endswith(".tmp") and entry != f"{keep}.tmp")
        )
        if stale_index or stale_table or stale_tmp:
            _remove(Path(index_dir) / entry)


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.remove(path)
    except OSError:
        pass


def remove_new(index_dir: Path, before: set[str]) -> None:
    """Delete the files a run created (those not in ``before``, listed once it took the
    lock), keeping the record and the lock: those of a failed run, or the segments a run
    with nothing to commit started. Call only while holding the lock, so that every file
    not in ``before`` is this run's."""
    for entry in _entries(index_dir):
        if entry not in before and entry not in (META_FILE, LOCK_FILE) and not entry.startswith(KEPT_PREFIX):
            _remove(Path(index_dir) / entry)


def file_digest(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_table(index_dir: Path, actors_file: Path) -> dict:
    """Copy the alias table into the index directory (once per content); its record."""
    digest = file_digest(actors_file)
    name = f"actors-{digest[:16]}.csv"
    target = Path(index_dir) / name
    if not target.exists():
        tmp = Path(index_dir) / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(Path(actors_file).read_bytes())
        os.replace(tmp, target)
    return {"path": str(actors_file), "sha1": digest, "copy": name}


def table_of(index_dir: Path, meta: dict) -> tuple[Path | None, str | None]:
    """The alias table an index was built with (its copy in the directory), and a
    one-line notice when the original has changed since (it needs a new indexing run)."""
    record = meta.get("actors") or {}
    copy = Path(index_dir) / record["copy"] if record.get("copy") else None
    if copy is None or not copy.is_file():
        return None, None
    notice = None
    original = Path(record.get("path", ""))
    try:
        changed = original.is_file() and file_digest(original) != record.get("sha1")
    except OSError:
        changed = False
    if changed:
        notice = (
            f"{index_dir}: the alias table {original} changed since it was indexed; "
            f"searches use the indexed one until you run: news-search index --actors {original}"
        )
    return copy, notice


@contextmanager
def locked(index_dir: Path, timeout: float):
    """Hold the index's lock for a run, waiting at most ``timeout`` seconds
    (:class:`IndexBusy`). The lock is the kernel's: it goes with the process, even
    killed with ``kill -9``. Yields the lock file's descriptor (to close in children)."""
    fd = os.open(Path(index_dir) / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    if exc.errno in (errno.EAGAIN, errno.EACCES):
                        raise IndexBusy(f"another indexer holds the index (waited {timeout:g} s)") from None
                    raise
                time.sleep(settings.LOCK_POLL)
        yield fd
    finally:
        os.close(fd)
