"""The change log: which articles each indexing run added or changed, by sequence number.

Saved searches (the search side's alerts) ask "which articles are new since sequence S";
this answers without searching the archive. Each run that adds or changes articles takes
the next sequence number and records it against every article it added, or whose content
changed (a record's bytes, a file's bytes): an article re-indexed only because the
pipeline or the alias table changed, or because a rebuild wrote it again, keeps its
number, so that a rebuild does not make the whole archive new. Articles a run deleted are
dropped from the log.

The log is an SQLite database beside the index (:data:`CHANGES_FILE`), written in one
transaction per run, so a reader sees a run whole or not at all. It holds one row per
article (its latest sequence number) and one per run (its number, time and count), the
last ``CHANGE_LOG_RUNS`` runs only: its size is bounded by the archive's.

A run records its changes just before it commits the index, and its number in the index's
record once committed (:func:`sequence` reads it there): readers take only committed runs.
A run that fails after recording leaves its changes in the log under a number no record
names; the next run, doing the same work, records them again under a newer one, so a
change is never lost.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from .. import settings
from .index_folder import read_meta
from .state import IndexState

CHANGES_FILE = "news-search-changes.sqlite"
#: The key of the index's record that holds the last committed run's sequence number.
META_KEY = "change_sequence"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS articles_seq ON articles (seq);
CREATE TABLE IF NOT EXISTS runs (seq INTEGER PRIMARY KEY, finished TEXT NOT NULL, articles INTEGER NOT NULL);
"""


class ChangeLogError(RuntimeError):
    """The change log cannot be read (the message says why)."""


def _connect(index_dir: Path, create: bool) -> sqlite3.Connection | None:
    """A connection to the log (None when there is none and ``create`` is not asked);
    sqlite3.Error when it cannot be opened."""
    path = Path(index_dir) / CHANGES_FILE
    if not create and not path.exists():
        return None
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        if create:
            conn.executescript(_SCHEMA)
    except BaseException:
        conn.close()
        raise
    return conn


def _unreadable(index_dir: Path, exc: Exception) -> ChangeLogError:
    return ChangeLogError(f"{Path(index_dir) / CHANGES_FILE}: cannot read the change log: {exc}")


class Freshness:
    """Whether an article a run adds is new or changed: its id is not in what the index
    held before the run (``before``), or its content hash differs from the one held."""

    def __init__(self, before: IndexState):
        self.before = before

    def fresh(self, doc_id: str, digest: str | None) -> bool:
        file = self.before.owner.get(doc_id)
        if file is None or digest is None:
            return True
        known = self.before.files[file]
        if known.by_hash:  # JSON records, by the hash of their bytes
            held = known.by_hash.get(digest)
            return held is None or held.id != doc_id
        return all(d.content_hash != digest for d in known.docs if d.id == doc_id)


def record(index_dir: Path, fresh: Iterable[str], gone: Iterable[str]) -> int | None:
    """Record a run: ``fresh`` ids (added or changed) get the next sequence number (after
    the log's last and the last committed one, so that numbers never go back, even in a
    new log), ``gone`` ids (deleted, not added again) leave the log. The new sequence
    number, or None when the run changed nothing the log keeps. ChangeLogError when the
    log cannot be written (the message names it)."""
    try:
        return _record(index_dir, fresh, gone)
    except (sqlite3.Error, OSError) as exc:
        raise ChangeLogError(
            f"{Path(index_dir) / CHANGES_FILE}: cannot record this run's new articles ({exc}); "
            "alerts will not show them (remove the file to start a new change log)"
        ) from None


def _record(index_dir: Path, fresh: Iterable[str], gone: Iterable[str]) -> int | None:
    fresh = list(dict.fromkeys(fresh))
    kept = set(fresh)
    gone = [doc_id for doc_id in dict.fromkeys(gone) if doc_id not in kept]
    if not fresh and not gone:
        return None
    conn = _connect(index_dir, create=True)
    with closing(conn):
        try:
            conn.execute("BEGIN IMMEDIATE")
            seq = None
            if fresh:
                seq = max(conn.execute("SELECT MAX(seq) FROM runs").fetchone()[0] or 0, sequence(index_dir)) + 1
                stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                conn.execute("INSERT INTO runs VALUES (?, ?, ?)", (seq, stamp, len(fresh)))
                conn.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?)", ((i, seq) for i in fresh))
                conn.execute("DELETE FROM runs WHERE seq <= ?", (seq - settings.CHANGE_LOG_RUNS,))
            conn.executemany("DELETE FROM articles WHERE id = ?", ((i,) for i in gone))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return seq


def sequence(index_dir: Path) -> int:
    """The sequence number of the last committed run that recorded changes (0 before
    any): the index's record names it once the run has committed, so that a reader never
    takes the changes of a run still writing (or of one that failed) as read."""
    value = read_meta(Path(index_dir)).get(META_KEY)
    return value if isinstance(value, int) and value >= 0 else 0


def since(index_dir: Path, seq: int, upto: int | None = None) -> list[tuple[str, int]]:
    """(id, sequence) of every article added or changed after sequence ``seq`` (and at
    most ``upto``), oldest first."""
    try:
        conn = _connect(index_dir, create=False)
        if conn is None:
            return []
        with closing(conn):
            return conn.execute(
                "SELECT id, seq FROM articles WHERE seq > ? AND seq <= ? ORDER BY seq, id",
                (seq, upto if upto is not None else 2**62),
            ).fetchall()
    except sqlite3.Error as exc:
        raise _unreadable(index_dir, exc) from None


def newest(index_dir: Path, below: int | None, at_least: int) -> list[tuple[str, int]]:
    """(id, sequence) of the articles of the newest runs before sequence ``below`` (every
    run when None), newest run first: whole runs, as many as hold ``at_least`` articles
    (all of them when fewer do). Feeds read the log backwards this way, a few runs at a time."""
    bound = below if below is not None else 2**62
    try:
        conn = _connect(index_dir, create=False)
        if conn is None:
            return []
        with closing(conn):
            row = conn.execute(
                "SELECT seq FROM articles WHERE seq < ? ORDER BY seq DESC LIMIT 1 OFFSET ?",
                (bound, max(at_least, 1) - 1),
            ).fetchone()
            return conn.execute(
                "SELECT id, seq FROM articles WHERE seq < ? AND seq >= ? ORDER BY seq DESC, id",
                (bound, row[0] if row else 0),
            ).fetchall()
    except sqlite3.Error as exc:
        raise _unreadable(index_dir, exc) from None


def times(index_dir: Path, ids: Iterable[str]) -> dict[str, str]:
    """When each of ``ids`` was last added or changed (the run's time, ISO 8601 UTC), for
    the ids the log holds."""
    ids = list(ids)
    try:
        conn = _connect(index_dir, create=False)
    except sqlite3.Error:
        return {}
    if conn is None or not ids:
        return {}
    with closing(conn):
        found: dict[str, str] = {}
        try:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT a.id, r.finished FROM articles a JOIN runs r ON r.seq = a.seq WHERE a.id IN ({marks})",
                    chunk,
                )
                found.update(rows)
        except sqlite3.Error:
            return {}
        return found
