"""Indexing runs: keep a Whoosh index current with the corpus, incrementally and safely.

One run:

1. opens the index (creating it, or rebuilding it when its schema or languages changed,
   or when asked) and takes its one writer lock, waiting a bounded time (:class:`IndexBusy`);
2. reads what the index holds (file, file signature, pipeline signature) from columns;
3. walks the corpus: a file whose size, modification time and pipeline signature are the
   index's is unchanged and not read; a new or changed file is ingested; a file that
   vanished from an indexed root has its documents deleted;
4. ingests in worker processes on every core, fed a bounded number of files at a time,
   while this process writes (one writer; documents arrive analyzed);
5. commits, then records the run (:data:`META_FILE`) beside the index.

A run killed at any moment leaves the last committed index as it was: Whoosh publishes a
commit atomically, and the next run finds the same work still to do. Searchers open on
the index keep their view until they refresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import CLEAR, LockError

from . import settings
from .article import Problem, Record
from .documents import DocumentError, to_document
from .readers import iter_files, read_file
from .schema import SCHEMA_VERSION, build_schema

META_FILE = "news-search.json"
INDEX_NAME = "MAIN"
#: Below this many files to read, ingest in this process (starting workers costs more).
PARALLEL_MIN_FILES = 24
#: Files handed to the workers ahead of the writer, per worker.
PENDING_PER_WORKER = 16


class IndexBusy(RuntimeError):
    """Another process holds the index's writer lock."""


class IndexOpenError(RuntimeError):
    """The index cannot be opened or written (the message says why)."""


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


@dataclass
class FileResult:
    """What a worker made of one file."""

    file: str
    sig: str
    docs: list[dict]
    problems: list[str]
    warnings: list[str]


def default_index_dir() -> Path:
    return Path(os.environ.get("NEWS_SEARCH_INDEX") or "index")


def file_signature(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def pipeline_signature(languages: tuple[str, ...], actors_file: str | Path) -> str:
    """What produced a document: pipeline and schema versions, languages, data files."""
    digest = hashlib.sha1()
    digest.update(f"{settings.PIPELINE_VERSION}|{SCHEMA_VERSION}|{','.join(languages)}".encode())
    for data in (Path(actors_file), settings.SOURCES_FILE):
        digest.update(data.read_bytes())
    return digest.hexdigest()[:16]


# --- the worker side ---------------------------------------------------------------------------

_worker: dict = {}


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the indexer dies (even by ``kill -9``)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start_worker(lock_fd: int | None, languages: tuple[str, ...], actors_file: str, pipeline_sig: str) -> None:
    """Initialise a forked worker: it must not keep the writer lock alive on its own."""
    _die_with_parent()
    if lock_fd is not None:
        try:
            os.close(lock_fd)
        except OSError:
            pass
    _init_worker(languages, actors_file, pipeline_sig)


def _init_worker(languages: tuple[str, ...], actors_file: str, pipeline_sig: str) -> None:
    from .pipeline import Pipeline

    _worker.update(
        pipeline=Pipeline(languages, actors_file),
        schema=build_schema(languages),
        languages=languages,
        pipeline_sig=pipeline_sig,
    )


def ingest_file(job: tuple[str, str, str]) -> FileResult:
    """Read, clean, enrich and prepare every article of one file (in a worker)."""
    file, root, sig = job
    path = Path(file)
    result = FileResult(file, sig, [], [], [])
    try:
        digest = content_hash(path)
    except OSError as exc:
        result.problems.append(f"{file}: unreadable: {exc.strerror or exc}")
        return result
    pipeline = _worker["pipeline"]
    for item in read_file(path, Path(root)):
        if isinstance(item, Problem):
            result.problems.append(str(item))
            continue
        try:
            record = pipeline.process(item)
            if isinstance(record, Problem):
                result.problems.append(str(record))
                continue
            result.warnings.extend(f"{record.path}: warning: {w}" for w in record.warnings)
            result.docs.append(_document(record, file, sig, digest))
        except DocumentError as exc:
            result.problems.append(f"{item.path}: refused: {exc}")
        except Exception as exc:  # one bad article never stops the run
            result.problems.append(f"{item.path}: failed: {type(exc).__name__}: {exc}")
    return result


def _document(record: Record, file: str, sig: str, digest: str) -> dict:
    return to_document(record, _worker["schema"], _worker["languages"], file=file, file_sig=sig,
                       pipeline_sig=_worker["pipeline_sig"], content_hash=digest)


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
    """file -> what the index holds of it, read from columns (no stored fields)."""
    if reader.doc_count() == 0:
        return {}
    files, sigs, pipes, hashes = (reader.column_reader(name)
                                  for name in ("file", "file_sig", "pipeline_sig", "content_hash"))
    state: dict[str, Indexed] = {}
    for docnum in reader.all_doc_ids():
        name = files[docnum]
        known = state.get(name)
        if known:
            known.documents += 1
        else:
            state[name] = Indexed(sigs[docnum], pipes[docnum], hashes[docnum], 1)
    return state


def content_hash(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


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
        return ix.writer(timeout=timeout, limitmb=256)
    except LockError:
        raise IndexBusy(f"another indexer holds the index (waited {timeout:g} s)") from None


def _jobs(paths: Iterable[str | Path], state: dict, pipeline_sig: str, failed: dict, summary: Summary):
    """Split the corpus into files to ingest and unchanged ones; report what vanished."""
    todo: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    roots: list[str] = []
    for raw in paths:
        root = Path(raw).resolve()
        roots.append(str(root))
    for entry in iter_files(paths):
        if isinstance(entry, Problem):
            summary.problems.append(str(entry))
            continue
        path, root = entry
        file = str(path.resolve())
        seen.add(file)
        try:
            sig = file_signature(path)
        except OSError as exc:
            summary.problems.append(f"{path}: unreadable: {exc.strerror or exc}")
            continue
        known = state.get(file)
        if known and known.pipeline_sig == pipeline_sig and (
            known.sig == sig or known.content_hash == _hash_or_none(path)
        ):
            summary.unchanged += known.documents  # same file, or touched but same bytes
        elif not known and failed.get(file) == f"{sig}|{pipeline_sig}":
            continue  # refused before and unchanged since: said once already
        else:
            todo.append((file, str(root.resolve()), sig))
    vanished = [f for f in state if f not in seen and any(_under(f, r) for r in roots)]
    return todo, vanished


def _hash_or_none(path: Path) -> str | None:
    try:
        return content_hash(path)
    except OSError:
        return None


def _under(file: str, root: str) -> bool:
    return file == root or file.startswith(root.rstrip(os.sep) + os.sep)


def _results(todo: list, languages, actors_file, pipeline_sig, workers: int, lock_fd: int | None):
    """Ingest results in order: in this process for a few files, else in worker processes."""
    if not todo:
        return
    if workers < 2 or len(todo) < PARALLEL_MIN_FILES:
        _init_worker(languages, str(actors_file), pipeline_sig)
        for job in todo:
            yield ingest_file(job)
        return
    pending = threading.BoundedSemaphore(workers * PENDING_PER_WORKER)

    def feed():
        for job in todo:
            pending.acquire()
            yield job

    pool = get_context("fork").Pool(workers, _start_worker, (lock_fd, languages, str(actors_file), pipeline_sig))
    try:
        for result in pool.imap(ingest_file, feed(), chunksize=4):
            pending.release()
            yield result
    finally:
        pool.terminate()
        pool.join()


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
    lock_fd = getattr(getattr(writer, "writelock", None), "fd", None)
    results = _results(todo, languages, actors_file, pipeline_sig, workers, lock_fd)
    for done, result in enumerate(results, 1):
        old = state.get(result.file)
        if old and result.problems and not result.docs:
            old = None  # a file that became unreadable keeps what was indexed of it
        elif old:
            writer.delete_by_term("file", result.file)
        for doc in result.docs:
            writer.add_document(**doc)
        if old:
            summary.updated += min(old.documents, len(result.docs))
            summary.added += max(0, len(result.docs) - old.documents)
            summary.deleted += max(0, old.documents - len(result.docs))
        else:
            summary.added += len(result.docs)
        summary.problems.extend(result.problems)
        summary.warnings.extend(result.warnings)
        if result.problems and not result.docs:
            failed[result.file] = f"{result.sig}|{pipeline_sig}"
        else:
            failed.pop(result.file, None)
        if progress:
            progress(done, len(todo))
    summary.failed = len(summary.problems)
    if summary.rebuilt:
        writer.commit(mergetype=CLEAR)
    else:
        writer.commit()
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
