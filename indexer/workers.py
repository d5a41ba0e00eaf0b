"""Worker processes: ingest files and write their documents into segments of their own.

Each worker reads, cleans and enriches the files it is given, turns the records into
index documents (analyzed here, see :mod:`indexer.documents`), and adds them to its own
Whoosh segment writer. It sends back, for each file, only a small :class:`FileResult`; at
the end, the segment it wrote. The indexer commits those segments with its own, in one
atomic commit: nothing a worker wrote is visible before it.

Workers are forked after the indexer took the index's lock; each closes its copy of the
lock's file and asks Linux to end it if the indexer dies, so a killed indexer never leaves
the index locked.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .article import Problem, Record
from .documents import DocumentError, to_document
from .readers import read_file
from .schema import build_schema

_worker: dict = {}


@dataclass
class FileResult:
    """What became of one file."""

    file: str
    sig: str
    docs: list[dict] = field(default_factory=list)
    added: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def content_hash(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def init(languages: tuple[str, ...], actors_file: str, pipeline_sig: str) -> None:
    """Load what ingest needs, once per process."""
    from .pipeline import Pipeline

    if _worker.get("key") == (languages, actors_file, pipeline_sig):
        return
    _worker.update(
        key=(languages, actors_file, pipeline_sig),
        pipeline=Pipeline(languages, actors_file),
        schema=build_schema(languages),
        languages=languages,
        pipeline_sig=pipeline_sig,
    )


def ingest_file(job: tuple[str, str, str]) -> FileResult:
    """Read, clean, enrich and prepare every article of one file."""
    file, root, sig = job
    path = Path(file)
    result = FileResult(file, sig)
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


def _die_with_parent() -> None:
    """Ask Linux to end this process when its parent dies (even by ``kill -9``)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def segment_worker(jobs, results, index_dir: str, index_name: str, lock_fd: int | None,
                   languages: tuple[str, ...], actors_file: str, pipeline_sig: str, limitmb: int) -> None:
    """Process main: files from ``jobs`` until None, then the segment, all to ``results``.

    Messages sent: ``("file", FileResult)`` per file (its documents already written),
    then ``("segment", segment or None)``, or ``("error", message)`` if writing failed.
    """
    _die_with_parent()
    if lock_fd is not None:
        try:
            os.close(lock_fd)
        except OSError:
            pass
    from whoosh import index as whoosh_index

    from .writer import IndexWriter

    writer = None
    try:
        init(languages, actors_file, pipeline_sig)
        ix = whoosh_index.open_dir(index_dir, indexname=index_name)
        writer = IndexWriter(ix, _lk=False, limitmb=limitmb)
        while (job := jobs.get()) is not None:
            result = ingest_file(job)
            for doc in result.docs:
                writer.add_document(**doc)
            result.added, result.docs = len(result.docs), []
            results.put(("file", result))
        results.put(("segment", writer.finish_segment()))
    except BaseException as exc:  # the indexer cancels the run: nothing is committed
        message = f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, (OSError, MemoryError, KeyboardInterrupt)):
            message += " | " + traceback.format_exc(limit=3).replace("\n", " ")
        results.put(("error", message))
