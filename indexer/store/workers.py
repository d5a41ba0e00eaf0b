"""Worker processes: ingest files and write their documents into segments of their own.

Each worker reads, cleans and enriches the articles of the jobs it is given (whole files,
or records a JSON file was split into: :mod:`indexer.store.changes`), turns them into
index documents (analyzed here, see :mod:`indexer.store.documents`), and adds them to its own
Whoosh segment writer. It sends back, for each job, only a small :class:`JobResult`; at
the end, the segment it wrote. The indexer commits those segments with its own, in one
atomic commit: nothing a worker wrote is visible before it.

Workers are forked after the indexer took the index's lock; each closes its copy of the
lock's file and asks Linux to end it if the indexer dies, so a killed indexer never leaves
the index locked.
"""

from __future__ import annotations

import gc
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .. import settings
from ..ingest.article import Article, Problem
from ..ingest.readers import read_file
from ..stories import signature
from .changes import Job, Unit
from .documents import DocumentError, to_document
from .index_folder import file_digest
from .schema import build_schema
from .state import encode

_worker: dict = {}


@dataclass
class JobResult:
    """What became of one job's units."""

    file: str
    sig: str
    #: (id, ids it replaces) of each unit added
    added: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    #: id -> content hash of each unit added (to tell a changed article from one re-indexed)
    digests: dict[str, str] = field(default_factory=dict)
    #: documents still to add (when ingesting in the indexer's own process)
    docs: list[dict] = field(default_factory=list)
    #: the discovered names of each unit added, to count (:mod:`indexer.store.name_counts`)
    names: list[list] = field(default_factory=list)
    #: the signature of each unit added, to group copies of one story (:mod:`indexer.stories`)
    signatures: list = field(default_factory=list)
    units: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def init(languages: tuple[str, ...], actors_file: str, pipeline_sig: str) -> None:
    """Load what ingest needs, once per process."""
    from ..ingest.pipeline import Pipeline

    if _worker.get("key") == (languages, actors_file, pipeline_sig):
        return
    _worker.update(
        key=(languages, actors_file, pipeline_sig),
        pipeline=Pipeline(languages, actors_file),
        schema=build_schema(languages),
        languages=languages,
        pipeline_sig=pipeline_sig,
    )


def ingest_job(job: Job) -> JobResult:
    """Read (for a whole file), clean, enrich and prepare every unit of one job."""
    result = JobResult(job.file, job.sig, units=len(job.units))
    for unit in job.units:
        if unit.article is not None:
            _ingest(unit, unit.article, unit.content_hash, job, result)
            continue
        try:
            digest = file_digest(Path(job.file))
        except OSError as exc:
            result.problems.append(f"{job.file}: unreadable: {exc.strerror or exc}")
            continue
        for item in read_file(Path(job.file), Path(job.root)):
            if isinstance(item, Problem):
                result.problems.append(str(item))
            else:
                _ingest(unit, item, digest, job, result)
    return result


def _ingest(unit: Unit, article: Article, digest: str, job: Job, result: JobResult) -> None:
    try:
        record = _worker["pipeline"].process(article)
        if isinstance(record, Problem):
            result.problems.append(str(record))
            return
        result.warnings.extend(f"{record.path}{unit.where or ''}: warning: {w}" for w in record.warnings)
        doc = to_document(
            record,
            _worker["schema"],
            _worker["languages"],
            state=encode(job.file, job.sig, _worker["pipeline_sig"], digest, unit.id, unit.where),
        )
    except DocumentError as exc:
        result.problems.append(f"{article.path}{unit.where or ''}: refused: {exc}")
        return
    except Exception as exc:  # one bad article never stops the run
        result.problems.append(f"{article.path}{unit.where or ''}: failed: {exc}")
        return
    result.docs.append(doc)
    result.added.append((unit.id, unit.replaces))
    result.digests[unit.id] = digest
    result.names.append([n.to_json() for n in record.names])
    if settings.STORIES:
        result.signatures.append(signature.of_record(record))


def _collect_less() -> None:
    """Set what a worker has loaded (word tables, profiles, the alias table: a million
    objects) aside from Python's garbage collector, which would otherwise walk them at
    every full collection, and collect young objects less often: a worker makes many
    short-lived objects and few cycles."""
    _worker["pipeline"].load()
    gc.freeze()
    gc.set_threshold(*settings.WORKER_GC_THRESHOLDS)


def _die_with_parent() -> None:
    """Ask Linux to end this process when its parent dies (even by ``kill -9``)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def segment_worker(
    jobs,
    results,
    index_dir: str,
    index_name: str,
    lock_fds: list[int],
    languages: tuple[str, ...],
    actors_file: str,
    pipeline_sig: str,
    limitmb: int,
) -> None:
    """Process main: files from ``jobs`` until None, then the segment, all to ``results``.

    Messages sent: ``("job", JobResult)`` per job (its documents already written),
    then ``("segment", segment or None)``, or ``("error", message)`` if writing failed.
    """
    _die_with_parent()
    for fd in lock_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    from whoosh import index as whoosh_index

    from . import whoosh_compat
    from .writer import IndexWriter

    writer = None
    try:
        init(languages, actors_file, pipeline_sig)
        _collect_less()
        ix = whoosh_index.open_dir(index_dir, indexname=index_name)
        writer = IndexWriter(ix, limitmb=limitmb, **whoosh_compat.UNLOCKED)
        while (job := jobs.get()) is not None:
            result = ingest_job(job)
            for doc in result.docs:
                writer.add_document(**doc)
            result.docs = []
            results.put(("job", result))
        results.put(("segment", writer.finish_segment()))
    except BaseException as exc:  # the indexer cancels the run: nothing is committed
        if isinstance(exc, OSError):
            message = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else exc.strerror or str(exc)
        elif isinstance(exc, MemoryError):
            message = "out of memory"
        else:
            message = str(exc) or "stopped"
            if os.environ.get("NEWS_SEARCH_DEBUG"):
                message += " | " + traceback.format_exc(limit=3).replace("\n", " ")
        results.put(("error", message))
