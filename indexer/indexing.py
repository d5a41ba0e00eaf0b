"""Indexing runs: keep a Whoosh index current with the corpus, incrementally and safely.

One run:

1. opens the index (creating it, or rebuilding it when its schema or languages changed,
   or when asked) and takes its one writer lock, waiting a bounded time (:class:`IndexBusy`);
2. reads what the index holds (file, file signature, pipeline signature) from columns;
3. walks the corpus: a file whose size, modification time and pipeline signature are the
   index's is unchanged and not read; a new or changed file is ingested; a file that
   vanished from an indexed root has its documents deleted;
4. ingests in worker processes on every core (:mod:`indexer.workers`), fed a bounded
   number of files at a time; each writes its own segment, while this process deletes
   what changed or vanished (a handful of files are ingested here, without workers);
5. commits its segment and the workers' in one step, then records the run
   (:data:`META_FILE`) beside the index.

A run killed at any moment leaves the last committed index as it was: Whoosh publishes a
commit atomically, and the next run finds the same work still to do. Searchers open on
the index keep their view until they refresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import CLEAR, LockError

from . import settings
from . import workers as workers_
from .article import Problem
from .readers import scan
from .schema import SCHEMA_VERSION, build_schema
from .writer import IndexWriter

META_FILE = "news-search.json"
INDEX_NAME = "MAIN"
#: Below this many files to read, ingest in this process (starting workers costs more).
PARALLEL_MIN_FILES = 24
#: Files queued for the workers, per worker.
PENDING_PER_WORKER = 16
#: Memory a worker's segment writer may use before it spills postings to disk.
WORKER_LIMIT_MB = 128


class IndexBusy(RuntimeError):
    """Another process holds the index's writer lock."""


class IndexOpenError(RuntimeError):
    """The index cannot be opened (the message says why)."""


class IndexWriteError(RuntimeError):
    """Writing failed; nothing of this run was committed (the message says why)."""


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    failed: int = 0
    seconds: float = 0.0
    documents: int = 0
    rebuilt: bool = False
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.deleted} deleted, "
                f"{self.unchanged} unchanged, {self.failed} failed in {self.seconds:.1f} s "
                f"({self.documents} articles in the index)")


def default_index_dir() -> Path:
    return Path(os.environ.get("NEWS_SEARCH_INDEX") or "index")


def pipeline_signature(languages: tuple[str, ...], actors_file: str | Path) -> str:
    """What produced a document: pipeline and schema versions, languages, data files."""
    digest = hashlib.sha1()
    digest.update(f"{settings.PIPELINE_VERSION}|{SCHEMA_VERSION}|{','.join(languages)}".encode())
    for data in (Path(actors_file), settings.SOURCES_FILE):
        digest.update(data.read_bytes())
    return digest.hexdigest()[:16]


# --- the writer side ---------------------------------------------------------------------------

def read_meta(index_dir: Path) -> dict:
    try:
        return json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_meta(index_dir: Path, meta: dict) -> None:
    tmp = index_dir / f".{META_FILE}.tmp"
    tmp.write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, index_dir / META_FILE)


@dataclass
class Indexed:
    """What the index holds of one file."""

    sig: str
    pipeline_sig: str
    content_hash: str
    documents: int


def indexed_state(reader) -> dict[str, Indexed]:
    """file -> what the index holds of it, read from one column (no stored fields)."""
    if reader.doc_count() == 0:
        return {}
    column = reader.column_reader("state")
    state: dict[str, Indexed] = {}
    for docnum in reader.all_doc_ids():
        file, sig, pipeline_sig, digest = column[docnum].decode("utf-8").rsplit("\t", 3)
        known = state.get(file)
        if known:
            known.documents += 1
        else:
            state[file] = Indexed(sig, pipeline_sig, digest, 1)
    return state


def open_writer(index_dir: Path, languages: tuple[str, ...], rebuild: bool, timeout: float):
    """The index's writer, the index created or rebuilt as needed; ``(writer, rebuilt)``."""
    meta = read_meta(index_dir)
    fits = meta.get("schema_version") == SCHEMA_VERSION and tuple(meta.get("languages", ())) == languages
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        exists = whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)
        if exists and fits:
            ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
        else:
            if exists:  # wait our turn before replacing an index someone else may be writing
                _writer(whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME), timeout).cancel()
            ix = whoosh_index.create_in(str(index_dir), build_schema(languages), indexname=INDEX_NAME)
            rebuild = True
    except (OSError, whoosh_index.IndexError) as exc:
        raise IndexOpenError(f"{index_dir}: cannot open the index ({exc})") from None
    return _writer(ix, timeout), rebuild


def _writer(ix, timeout: float):
    try:
        return IndexWriter(ix, timeout=timeout, limitmb=256)
    except LockError:
        raise IndexBusy(f"another indexer holds the index (waited {timeout:g} s)") from None


def _jobs(paths: Iterable[str | Path], state: dict, pipeline_sig: str, failed: dict, summary: Summary):
    """Split the corpus into files to ingest and unchanged ones; report what vanished."""
    todo: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for entry in scan(paths):
        if isinstance(entry, Problem):
            summary.problems.append(str(entry))
            continue
        file, root, st = entry
        seen.add(file)
        sig = f"{st.st_size}:{st.st_mtime_ns}"
        known = state.get(file)
        if known and known.pipeline_sig == pipeline_sig and (
            known.sig == sig or known.content_hash == _hash_or_none(Path(file))
        ):
            summary.unchanged += known.documents  # same file, or touched but same bytes
        elif not known and failed.get(file) == f"{sig}|{pipeline_sig}":
            continue  # refused before and unchanged since: said once already
        else:
            todo.append((file, root, sig))
    roots = [os.path.realpath(p) for p in paths]
    vanished = [f for f in state if f not in seen and any(_under(f, r) for r in roots)]
    return todo, vanished


def _hash_or_none(path: Path) -> str | None:
    try:
        return workers_.content_hash(path)
    except OSError:
        return None


def _under(file: str, root: str) -> bool:
    return file == root or file.startswith(root.rstrip(os.sep) + os.sep)


def _results(todo: list, writer, index_dir: Path, languages, actors_file, pipeline_sig, workers: int,
             segments: list):
    """FileResults of ``todo``: here for a few files (documents still to add), else from
    worker processes that write their own segments (appended to ``segments``)."""
    if not todo:
        return
    if workers < 2 or len(todo) < PARALLEL_MIN_FILES:
        workers_.init(languages, str(actors_file), pipeline_sig)
        for job in todo:
            yield workers_.ingest_file(job)
        return
    ctx = get_context("fork")
    jobs, results = ctx.Queue(workers * PENDING_PER_WORKER), ctx.Queue()
    lock_fd = getattr(getattr(writer, "writelock", None), "fd", None)
    args = (jobs, results, str(index_dir), INDEX_NAME, lock_fd, languages, str(actors_file), pipeline_sig,
            WORKER_LIMIT_MB)
    procs = [ctx.Process(target=workers_.segment_worker, args=args, daemon=True) for _ in range(workers)]
    for proc in procs:
        proc.start()

    def feed():
        for job in todo:
            jobs.put(job)
        for _ in procs:
            jobs.put(None)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        finished = 0
        while finished < len(procs):
            kind, value = _receive(results, procs)
            if kind == "file":
                yield value
            elif kind == "segment":
                segments.append(value)
                finished += 1
            else:
                raise IndexWriteError(f"a worker failed: {value}")
        for proc in procs:
            proc.join()
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()


def _receive(results, procs):
    """The next message from the workers; an error if one of them died without a word."""
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                raise IndexWriteError(f"a worker died (exit code {dead[0].exitcode})") from None


def run_index(
    paths: Iterable[str | Path],
    index_dir: str | Path | None = None,
    *,
    languages: tuple[str, ...] = settings.LANGUAGES,
    actors_file: str | Path = settings.ACTORS_FILE,
    rebuild: bool = False,
    workers: int | None = None,
    timeout: float = 30.0,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Bring the index at ``index_dir`` up to date with the corpus under ``paths``."""
    start = time.perf_counter()
    paths = [Path(p) for p in paths]
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    summary = Summary()
    pipeline_sig = pipeline_signature(languages, actors_file)
    workers = workers or os.cpu_count() or 1
    writer, summary.rebuilt = open_writer(index_dir, languages, rebuild, timeout)
    try:
        _update(writer, paths, index_dir, languages, actors_file, pipeline_sig, summary, workers, progress, start)
    except BaseException:
        writer.cancel()
        raise
    return summary


def _update(writer, paths, index_dir, languages, actors_file, pipeline_sig, summary, workers, progress, start):
    meta = read_meta(index_dir)
    failed: dict[str, str] = {} if summary.rebuilt else dict(meta.get("failed", {}))
    state = {} if summary.rebuilt else indexed_state(writer.reader())
    todo, vanished = _jobs(paths, state, pipeline_sig, failed, summary)
    for file in vanished:
        summary.deleted += writer.delete_by_term("file", file)
        failed.pop(file, None)
    segments: list = []
    results = _results(todo, writer, index_dir, languages, actors_file, pipeline_sig, workers, segments)
    for done, result in enumerate(results, 1):
        for doc in result.docs:
            writer.add_document(**doc)
        added = result.added + len(result.docs)
        old = state.get(result.file)
        if old and result.problems and not added:
            old = None  # a file that became unreadable keeps what was indexed of it
        elif old:
            writer.delete_by_term("file", result.file)
        if old:
            summary.updated += min(old.documents, added)
            summary.added += max(0, added - old.documents)
            summary.deleted += max(0, old.documents - added)
        else:
            summary.added += added
        summary.problems.extend(result.problems)
        summary.warnings.extend(result.warnings)
        if result.problems and not added:
            failed[result.file] = f"{result.sig}|{pipeline_sig}"
        else:
            failed.pop(result.file, None)
        if progress:
            progress(done, len(todo))
    summary.failed = len(summary.problems)
    if summary.added or summary.updated or summary.deleted or summary.rebuilt:
        writer.commit_with(segments, mergetype=CLEAR if summary.rebuilt else None)
    else:
        writer.cancel()  # nothing changed: no new generation, searchers keep theirs
    with whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME).reader() as reader:
        summary.documents = reader.doc_count()
    summary.seconds = time.perf_counter() - start
    meta.update(
        schema_version=SCHEMA_VERSION,
        languages=list(languages),
        pipeline_sig=pipeline_sig,
        failed=failed,
        last_run={**{k: v for k, v in asdict(summary).items() if k not in ("problems", "warnings")},
                  "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                  "paths": [str(p) for p in paths]},
    )
    write_meta(index_dir, meta)
