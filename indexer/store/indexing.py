"""Indexing runs: keep a Whoosh index current with the corpus, incrementally and safely.

One run:

1. takes the index directory's lock (:func:`indexer.store.index_folder.locked`), waiting a bounded
   time (:class:`IndexBusy`), and opens the current index; when its schema or languages
   changed, or when asked (``rebuild``), it starts a new index beside it instead;
2. reads what the index holds (:class:`indexer.store.state.IndexState`, one column);
3. walks the corpus and plans the work (:class:`indexer.store.changes.Planner`): unchanged
   files and records are skipped, new and changed ones become jobs, vanished ones are
   deleted, duplicate ids refused;
4. ingests the jobs in worker processes on every core (:mod:`indexer.store.workers`), fed as
   the plan is made, so a single large JSON-lines file is shared among them in bounded
   memory; each worker writes its own segment (a handful of jobs are done here instead);
5. groups the articles it added with those indexed into stories, from the signatures the
   workers made (:mod:`indexer.stories`);
6. commits its segment and the workers' in one step (merging away deleted documents once
   they are a large share of a segment: :mod:`indexer.store.merging`), then writes the index's
   record (:mod:`indexer.store.index_folder`) and the stories file it names, which for a
   rebuild is the moment the new index replaces the old one.

A run killed at any moment leaves the last committed index whole and searchable, a
rebuild included (the old index serves until the switch); the next run finds the same
work still to do and removes what the killed run left behind.
"""

from __future__ import annotations

import gc
import hashlib
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from multiprocessing import get_context
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.writing import CLEAR, LockError

from .. import settings
from ..stories import groups
from . import changelog, index_folder, name_counts, whoosh_compat
from . import workers as workers_
from .changes import Planner, holds_records
from .index_folder import IndexBusy, read_meta  # noqa: F401  (IndexBusy: part of this module's API)
from .merging import merge_policy, optimize_all
from .schema import SCHEMA_VERSION, build_schema
from .state import IndexState
from .writer import IndexWriter


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
    #: seconds spent grouping the articles into stories (in the indexer's process)
    grouping_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted)

    def line(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.deleted} deleted, "
            f"{self.unchanged} unchanged, {self.failed} failed in {self.seconds:.1f} s "
            f"({self.documents} articles in the index)"
        )


def default_index_dir() -> Path:
    return Path(os.environ.get("NEWS_SEARCH_INDEX") or "index")


def canonical_languages(languages: Iterable[str]) -> tuple[str, ...]:
    """Languages in one order, so that ``fr,en`` and ``en,fr`` are the same archive."""
    return tuple(sorted(dict.fromkeys(languages)))


def pipeline_signature(languages: tuple[str, ...], actors_file: str | Path) -> str:
    """What produced a document: pipeline and schema versions, languages, data files."""
    digest = hashlib.sha1()
    digest.update(f"{settings.PIPELINE_VERSION}|{SCHEMA_VERSION}|{','.join(languages)}".encode())
    for data in (Path(actors_file), settings.PLACES_FILE, settings.SOURCES_FILE):
        digest.update(data.read_bytes())
    return digest.hexdigest()[:16]


# --- opening -------------------------------------------------------------------------------------


def _schema_languages(schema) -> tuple[str, ...]:
    return tuple(sorted(n[len("text_") :] for n in schema.names() if n.startswith("text_") and n != "text_other"))


def _fits(ix, meta: dict, languages: tuple[str, ...]) -> bool:
    """Whether an index of this schema version can be updated in place: same languages
    (the record says so, or when the record is lost, the index's own fields do, the
    schema's too). :func:`_open` has set an index of another version aside already."""
    if meta.get("schema_version"):
        return canonical_languages(meta.get("languages") or ()) == languages
    return set(ix.schema.names()) == set(build_schema(languages).names()) and _schema_languages(ix.schema) == languages


def _open(index_dir: Path, meta: dict, languages: tuple[str, ...], rebuild: bool):
    """The index to write into and its name; a new one (rebuilt) when needed."""
    name = index_folder.current(index_dir, meta)
    # an index of another version of the schema is rebuilt without being opened: its
    # table of contents may name classes this version no longer has
    other_version = bool(meta.get("schema_version")) and meta.get("schema_version") != SCHEMA_VERSION
    try:
        if not rebuild and not other_version and whoosh_index.exists_in(str(index_dir), indexname=name):
            ix = whoosh_index.open_dir(str(index_dir), indexname=name)
            if _fits(ix, meta, languages):
                return ix, name, False
        name = index_folder.next_name(index_dir, meta)
        return whoosh_index.create_in(str(index_dir), build_schema(languages), indexname=name), name, True
    except OSError as exc:
        raise IndexOpenError(f"{index_dir}: cannot open the index: {exc.strerror or exc}") from None
    except Exception as exc:  # a damaged table of contents or segment list
        raise IndexOpenError(
            f"{index_dir}: the index is damaged ({exc or 'unreadable'}); rebuild it with: news-search index --rebuild"
        ) from None


def _writer(ix, timeout: float) -> IndexWriter:
    try:
        return IndexWriter(ix, timeout=timeout, limitmb=settings.WRITER_LIMIT_MB)
    except LockError:
        raise IndexBusy(f"another indexer holds the index (waited {timeout:g} s)") from None


# --- ingesting -----------------------------------------------------------------------------------


@dataclass
class Context:
    """What the workers need to know, and where they write."""

    index_dir: Path
    index_name: str
    languages: tuple[str, ...]
    actors_file: str
    pipeline_sig: str
    lock_fds: list[int]


def _results(jobs: Iterator, ctx: Context, workers: int, segments: list):
    """JobResults of ``jobs``: here for a few (documents still to add), else from worker
    processes that write their own segments (appended to ``segments``)."""
    first = list(islice(jobs, settings.PARALLEL_MIN_JOBS))
    if workers < 2 or len(first) < settings.PARALLEL_MIN_JOBS:
        workers_.init(ctx.languages, ctx.actors_file, ctx.pipeline_sig)
        for job in chain(first, jobs):
            yield workers_.ingest_job(job)
        return
    mp = get_context("fork")
    todo, results = mp.Queue(workers * settings.PENDING_PER_WORKER), mp.Queue()
    args = (
        todo,
        results,
        str(ctx.index_dir),
        ctx.index_name,
        ctx.lock_fds,
        ctx.languages,
        ctx.actors_file,
        ctx.pipeline_sig,
        settings.WORKER_LIMIT_MB,
    )
    procs = [mp.Process(target=workers_.segment_worker, args=args, daemon=True) for _ in range(workers)]
    # What this process holds (the index's state, read for the planner) stays shared with
    # the workers only if their garbage collector never writes to it: frozen, it is not
    # visited, so a forked worker does not copy it page by page.
    gc.freeze()
    try:
        for proc in procs:
            proc.start()
    finally:
        gc.unfreeze()
    failure: list[BaseException] = []
    stop = threading.Event()

    def feed():
        try:
            for job in chain(first, jobs):
                while not stop.is_set():
                    try:
                        todo.put(job, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # planning failed: the run is cancelled
            failure.append(exc)
        finally:
            if not stop.is_set():
                for _ in procs:
                    todo.put(None)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        finished = 0
        while finished < len(procs):
            kind, value = _receive(results, procs)
            if kind == "job":
                yield value
            elif kind == "segment":
                segments.append(value)
                finished += 1
            else:
                raise IndexWriteError(f"{ctx.index_dir}: {value}")
        feeder.join()
        if failure:
            raise failure[0]
        for proc in procs:
            proc.join()
    finally:
        stop.set()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(timeout=10)
        # jobs still queued for workers that are gone must not hold this process at exit
        todo.cancel_join_thread()
        results.cancel_join_thread()


def _receive(results, procs):
    """The next message from the workers; an error if one of them died without a word."""
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                raise IndexWriteError(f"an indexing process died (exit code {dead[0].exitcode})") from None


# --- a run ---------------------------------------------------------------------------------------


@dataclass
class Run:
    """One indexing run: what it was asked to do, and its summary so far."""

    paths: list[Path]
    index_dir: Path
    languages: tuple[str, ...]
    actors_file: Path
    rebuild: bool
    optimize: bool
    workers: int
    timeout: float
    progress: Callable[[int, int | None], None] | None
    summary: Summary = field(default_factory=lambda: Summary())
    lock_fd: int = -1
    #: the index folder's entries when the run took its lock: what the run did not create
    before: set[str] = field(default_factory=set)
    #: ids of the articles this run added or changed (for the change log)
    fresh: list[str] = field(default_factory=list)
    #: the change log's number for this run (None: it recorded no new or changed article)
    sequence: int | None = None
    #: the signatures of the articles this run added (grouped into stories)
    signatures: list = field(default_factory=list)
    #: ids of the articles this run replaced or deleted
    removed: list[str] = field(default_factory=list)


def run_index(
    paths: Iterable[str | Path],
    index_dir: str | Path | None = None,
    *,
    languages: tuple[str, ...] = settings.LANGUAGES,
    actors_file: str | Path = settings.ACTORS_FILE,
    rebuild: bool = False,
    optimize: bool = False,
    workers: int | None = None,
    timeout: float = 30.0,
    progress: Callable[[int, int | None], None] | None = None,
) -> Summary:
    """Bring the index at ``index_dir`` up to date with the corpus under ``paths``."""
    start = time.perf_counter()
    whoosh_compat.install()
    paths = [Path(p) for p in paths]
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    languages = canonical_languages(languages)
    run = Run(
        paths,
        index_dir,
        languages,
        Path(actors_file),
        rebuild,
        optimize,
        workers or os.cpu_count() or 1,
        timeout,
        progress,
    )
    summary = run.summary
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexOpenError(f"{index_dir}: cannot create the index folder: {exc.strerror or exc}") from None
    with ExitStack() as held:
        try:
            run.lock_fd = held.enter_context(index_folder.locked(index_dir, timeout))
        except OSError as exc:
            raise IndexWriteError(f"{index_dir}: cannot write the index: {exc.strerror or exc}") from None
        index_folder.remove_others(index_dir, keep=index_folder.current(index_dir))  # a killed run's leftovers
        run.before = set(os.listdir(index_dir))
        try:
            _run(run)
        except BaseException as exc:
            index_folder.remove_new(index_dir, run.before)  # a failed run's files (a full disk needs the room)
            if isinstance(exc, OSError):
                raise IndexWriteError(
                    f"{index_dir}: cannot write the index: {exc.strerror or exc}; the last committed index is unchanged"
                ) from None
            raise
    summary.seconds = time.perf_counter() - start
    return summary


def _run(run: Run) -> None:
    index_dir, languages, actors_file, summary = run.index_dir, run.languages, run.actors_file, run.summary
    meta = read_meta(index_dir)
    ix, name, summary.rebuilt = _open(index_dir, meta, languages, run.rebuild)
    pipeline_sig = pipeline_signature(languages, actors_file)
    writer = _writer(ix, run.timeout)
    try:
        try:
            state = IndexState() if summary.rebuilt else IndexState.read(writer.reader())
        except OSError:
            raise
        except Exception as exc:  # a damaged segment
            raise IndexOpenError(
                f"{index_dir}: the index is damaged ({exc or 'unreadable'}); "
                f"rebuild it with: news-search index --rebuild"
            ) from None
        segments: list = []
        ctx = Context(
            index_dir, name, languages, str(actors_file), pipeline_sig, [run.lock_fd, *whoosh_compat.lock_fds(writer)]
        )
        previous = _previous_state(index_dir, meta, name) if summary.rebuilt else state
        counts = name_counts.NameCounts() if summary.rebuilt else name_counts.of_index(index_dir, meta, ix)
        stories = None
        if settings.STORIES:
            stories = groups.Stories() if summary.rebuilt else groups.of_index(index_dir, meta, ix)
        planner = _update(writer, run, meta, state, ctx, segments, changelog.Freshness(previous), counts)
        if stories is not None:
            stories.remove(run.removed)
            stories.add(run.signatures)
            summary.grouping_seconds = stories.seconds
        if summary.changed or summary.rebuilt or run.optimize:
            gone = planner.vanished if not summary.rebuilt else previous.owner
            # an id that vanished from one file but is held by another this run stays
            try:
                run.sequence = changelog.record(index_dir, run.fresh, (i for i in gone if i not in planner.claimed))
            except changelog.ChangeLogError as exc:  # the index is still brought up to date
                summary.warnings.append(str(exc))
            mergetype = (
                optimize_all if run.optimize and not summary.rebuilt else (CLEAR if summary.rebuilt else merge_policy)
            )
            writer.commit_with(segments, mergetype=mergetype)
        else:
            writer.cancel()  # nothing changed: no new generation, searchers keep theirs
            # nor the files of the segments this run started (its own and its workers')
            index_folder.remove_new(index_dir, run.before)
    except BaseException:
        _abandon(writer)
        raise
    committed = whoosh_index.open_dir(str(index_dir), indexname=name)
    with committed.reader() as reader:
        summary.documents = reader.doc_count()
    if counts.generation != committed.latest_generation():
        counts.generation, counts.changed = committed.latest_generation(), True
    story_file = None
    if stories is not None:
        if len(stories) != summary.documents:  # an article replaced under another id
            with committed.reader() as reader:
                stories.keep_only(set(IndexState.read(reader).owner))
        if stories.generation != committed.latest_generation():
            stories.generation, stories.changed = committed.latest_generation(), True
        story_file = stories.save(index_dir, name)
    meta.update(
        index_name=name,
        generation=max(int(meta.get("generation", 0) or 0), int(name[1:]) if name[1:].isdigit() else 0),
        schema_version=SCHEMA_VERSION,
        languages=list(languages),
        pipeline_sig=pipeline_sig,
        failed=planner.failed,
        failed_records=planner.failed_records,
        streams=planner.streams,
        actors=index_folder.save_table(index_dir, actors_file),
        **({changelog.META_KEY: run.sequence} if run.sequence is not None else {}),
        names=name_counts.save(index_dir, name, counts),
        stories=story_file,
        last_run={
            **{k: v for k, v in asdict(summary).items() if k not in ("problems", "warnings")},
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "paths": [str(p) for p in run.paths],
        },
    )
    index_folder.write_meta(index_dir, meta)  # for a rebuild: the switch to the new index
    index_folder.remove_others(index_dir, keep=name)


def _abandon(writer) -> None:
    """Cancel the writer; when cancelling fails too (closing files on a full disk), still
    release its lock, so that the next run in this process is not kept waiting."""
    try:
        writer.cancel()
    except Exception:
        lock = getattr(writer, "writelock", None)
        try:
            if lock is not None:
                lock.release()
        except Exception:
            pass


def _previous_state(index_dir: Path, meta: dict, name: str) -> IndexState:
    """What the index a rebuild replaces holds (nothing when there is none, or it cannot
    be read): a rebuilt article is new only if it is not there, or changed since."""
    old = index_folder.current(index_dir, meta)
    try:
        if old == name or not whoosh_index.exists_in(str(index_dir), indexname=old):
            return IndexState()
        with whoosh_index.open_dir(str(index_dir), indexname=old).reader() as reader:
            return IndexState.read(reader)
    except Exception:
        return IndexState()


def _update(
    writer,
    run: Run,
    meta: dict,
    state: IndexState,
    ctx: Context,
    segments: list,
    freshness: changelog.Freshness,
    counts: name_counts.NameCounts,
) -> Planner:
    """Plan and ingest; add the documents, delete the replaced and vanished ones; count
    the names of those added and uncount those of those deleted in ``counts``."""
    summary = run.summary
    planner = Planner(
        state=state,
        pipeline_sig=ctx.pipeline_sig,
        failed={} if summary.rebuilt else dict(meta.get("failed") or {}),
        failed_records={}
        if summary.rebuilt or meta.get("pipeline_sig") != ctx.pipeline_sig
        else dict(meta.get("failed_records") or {}),
        streams={} if summary.rebuilt else dict(meta.get("streams") or {}),
    )
    replaced: list[str] = []
    done = 0
    results = _results(planner.jobs(run.paths), ctx, run.workers, segments)
    try:
        for result in results:
            for doc in result.docs:
                writer.add_document(**doc)
            for names in result.names:
                counts.add(names)
            run.signatures.extend(result.signatures)
            for doc_id, replaces in result.added:
                if freshness.fresh(doc_id, result.digests.get(doc_id)):
                    run.fresh.append(doc_id)
                if replaces:
                    summary.updated += 1
                    replaced.extend(replaces)
                else:
                    summary.added += 1
            summary.problems.extend(result.problems)
            summary.warnings.extend(result.warnings)
            if result.added or not result.problems:
                planner.failed.pop(result.file, None)
            elif _whole_file(result):
                planner.failed[result.file] = f"{result.sig}|{ctx.pipeline_sig}"
            done += result.units
            if run.progress:
                run.progress(done, None)
    finally:
        results.close()  # on failure: the workers are stopped before anything is cleaned up
    summary.problems[:0] = planner.problems
    summary.unchanged = planner.unchanged
    summary.deleted = _delete(writer, replaced, planner.vanished, counts)
    run.removed = [*replaced, *(i for i in planner.vanished if i not in planner.claimed)]
    summary.failed = len(summary.problems)
    return planner


def _whole_file(result) -> bool:
    """A job of a whole file (not JSON records), refused: remembered until it changes."""
    return not holds_records(result.file)


def _delete(writer, replaced: list[str], vanished: list[str], counts: name_counts.NameCounts) -> int:
    """Delete the documents replaced this run and those of vanished files and records,
    with one searcher, uncounting their names; the number of vanished documents deleted."""
    if not replaced and not vanished:
        return 0
    deleted = 0
    with writer.searcher() as searcher:
        for ids, count in ((replaced, False), (vanished, True)):
            for doc_id in ids:
                for docnum in searcher.docs_for_query(wq.Term("id", doc_id)):
                    counts.add(name_counts.names_of(searcher.stored_fields(docnum)), -1)
                    writer.delete_document(docnum)
                    deleted += count
    return deleted
