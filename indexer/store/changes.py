"""Changes: what an indexing run has to do, found by comparing the corpus with the index.

:class:`Planner` walks the corpus and yields :class:`Job` objects for the workers, lazily
and in bounded memory, while it counts what is unchanged and notes what vanished:

* a plain-text or HTML file is one unit, the file: unchanged when its size, modification
  time and pipeline signature are the index's (or when only touched: same bytes);
* a JSON or JSON-lines file is read as a stream of records, each its own unit: a file
  whose size, time and pipeline are those recorded is not read at all; a changed one is
  streamed, and of its records only the new and changed ones (by a hash of their bytes)
  become jobs, batched; records gone from it are deleted, unless the file's end does not
  parse (a dump cut off, or still being written): then the articles it held that were not
  read are kept until a run reads it whole. Appending a day's records to a dump costs
  reading the dump and ingesting that day's records;
* ids are unique: a unit whose id another file (or an earlier record) already holds is
  refused with a one-line warning naming both, and its file is read again next run; an
  id that a file read earlier in the run no longer holds is free for the files after it;
* a file that vanished from a root is deleted, unless its directory or root could not be
  read this time (then what the index holds of it is kept).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import settings
from ..ingest.article import Article, Problem
from ..ingest.readers import Missing, UnreadableDir, article_id, iter_raw_records, record_article, scan
from .index_folder import file_digest
from .state import FileState, IndexState


@dataclass
class Unit:
    """One article to ingest: its id, and the ids of the documents it replaces once added."""

    id: str
    where: str | None = None  # a record's place in its file; None for a whole file
    content_hash: str = ""  # a record's hash (a whole file's is computed when read)
    article: Article | None = None  # a record, already read; None: read the file
    replaces: tuple[str, ...] = ()


@dataclass
class Job:
    """Units of one file, for one worker."""

    file: str
    root: str
    sig: str
    units: list[Unit] = field(default_factory=list)


def file_sig(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}"


def record_hash(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:20]


def holds_records(file: str) -> bool:
    """Whether a file is read as JSON records (each its own unit), not as one article."""
    return os.path.splitext(file)[1].lower() in settings.JSON_SUFFIXES


def _under(file: str, root: str) -> bool:
    return file == root or file.startswith(root.rstrip(os.sep) + os.sep)


@dataclass
class Planner:
    """Plan one run: iterate :meth:`jobs`, then read what it found in the attributes."""

    state: IndexState
    pipeline_sig: str
    #: file -> "sig|pipeline" of files refused whole before (not reported again)
    failed: dict[str, str]
    #: file -> hashes of records refused before (not reported again)
    failed_records: dict[str, list[str]]
    #: JSON file -> "sig|pipeline" when it was last read whole
    streams: dict[str, str]
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    #: ids to delete: documents of vanished files and records
    vanished: list[str] = field(default_factory=list)
    #: id -> the file that holds it this run
    claimed: dict[str, str] = field(default_factory=dict)
    #: files found this run; each is read whole before the next is found
    seen: set[str] = field(default_factory=set)
    protected: list[str] = field(default_factory=list)
    #: files with a unit refused for its id, read again next run
    conflicts: set[str] = field(default_factory=set)

    def jobs(self, paths: Iterable[str | os.PathLike]) -> Iterator[Job]:
        paths = list(paths)
        # a root that is not there (an unmounted disk, a typo) keeps what the index holds
        self.protected.extend(os.path.realpath(p) for p in paths if not os.path.lexists(p))
        for entry in scan(paths):
            if isinstance(entry, Problem):
                self.problems.append(str(entry))
                if isinstance(entry, (UnreadableDir, Missing)):
                    self.protected.append(entry.path)
                continue
            file, root, st = entry
            self.seen.add(file)
            if holds_records(file):
                yield from self._records(file, root, file_sig(st))
            else:
                job = self._file(file, root, file_sig(st))
                if job:
                    yield job
        self._vanished_files(paths)

    # --- whole files -------------------------------------------------------------------------

    def _file(self, file: str, root: str, sig: str) -> Job | None:
        known = self.state.files.get(file)
        if known and known.unchanged(sig, self.pipeline_sig):
            self._keep(known, file)
            return None
        if known and all(d.pipeline_sig == self.pipeline_sig for d in known.docs) and known.docs:
            try:
                same = file_digest(Path(file)) == known.docs[0].content_hash
            except OSError:
                same = False
            if same:  # touched, same bytes
                self._keep(known, file)
                return None
        if not known and self.failed.get(file) == f"{sig}|{self.pipeline_sig}":
            return None  # refused before and unchanged since: said once already
        unit_id = article_id(Path(file), Path(root))
        if not self._claim(unit_id, file, file):
            return None
        return Job(file, root, sig, [Unit(unit_id, replaces=tuple(d.id for d in known.docs) if known else ())])

    def _keep(self, known: FileState, file: str) -> None:
        self.unchanged += len(known.docs)
        for doc in known.docs:
            self.claimed[doc.id] = file

    def _claim(self, unit_id: str, file: str, label: str) -> bool:
        """Take ``unit_id`` for ``file`` (``label`` names the unit in a warning); False
        (with the warning) if another file holds it. A record's id used twice in its own
        file is found by the caller."""
        holder = self.claimed.get(unit_id)
        if holder is None:
            owner = self.state.owner.get(unit_id)
            # The id is free when its holder's file is gone (its documents are being
            # deleted), or when that file was read earlier in this run (files are read one
            # after the other) and did not claim it: it no longer holds the id.
            gave_up = owner in self.seen
            holder = owner if owner is not None and owner != file and not gave_up and os.path.lexists(owner) else None
        if holder is not None and holder != file:
            self.problems.append(f"{label}: refused: id {unit_id!r} is already used by {holder}")
            self.conflicts.add(file)  # read again next run: the holder may be gone by then
            return False
        self.claimed[unit_id] = file  # the file's own name, shared: no string per record
        return True

    # --- JSON records ------------------------------------------------------------------------

    def _records(self, file: str, root: str, sig: str) -> Iterator[Job]:
        known = self.state.files.get(file) or FileState()
        stamp = f"{sig}|{self.pipeline_sig}"
        if self.streams.get(file) == stamp and all(d.pipeline_sig == self.pipeline_sig for d in known.docs):
            self._keep(known, file)  # read whole with this pipeline, and not changed since
            return
        refused_before = set(self.failed_records.get(file, ()))
        refused_now: list[str] = []
        present: set[str] = set()
        job = Job(file, root, sig)
        # whether the file's end could not be read (a dump cut off, or being written)
        cut_off = False
        for raw in iter_raw_records(Path(file)):
            # the last item decides: a record that does not parse (or was refused before)
            cut_off = True
            if isinstance(raw, Problem):
                self.problems.append(str(raw))
                continue
            digest = record_hash(raw.data)
            same = known.by_hash.get(digest)
            if same is not None and same.pipeline_sig == self.pipeline_sig and same.id not in present:
                present.add(same.id)
                self.claimed[same.id] = file
                self.unchanged += 1
                cut_off = False
                continue
            if digest in refused_before:
                refused_now.append(digest)
                continue
            article = record_article(raw, Path(file), Path(root), single=raw.where == "")
            if isinstance(article, Problem):
                self.problems.append(str(article))
                refused_now.append(digest)
                continue
            cut_off = False
            label = f"{file}{raw.where}"
            if article.id in present or not self._claim(article.id, file, label):
                if article.id in present:
                    self.problems.append(
                        f"{label}: refused: id {article.id!r} is already used by an earlier record of this file"
                    )
                    refused_now.append(digest)  # the same file: refused until it changes
                continue
            present.add(article.id)
            held = self.state.owner.get(article.id) == file  # a changed record: replaced
            job.units.append(Unit(article.id, raw.where, digest, article, (article.id,) if held else ()))
            if len(job.units) >= settings.RECORDS_PER_JOB:
                yield job
                job = Job(file, root, sig)
        if job.units:
            yield job
        unread = [d for d in known.docs if d.id not in present]
        if cut_off and unread:
            # the records after the end that could be read may still be there: kept, and
            # the file read again next run, when those truly gone are deleted
            for doc in unread:
                self.claimed[doc.id] = file
            self.unchanged += len(unread)
            self.problems.append(
                f"{file}: kept {len(unread)} articles it held that this run could not read (its end does not parse)"
            )
            self.conflicts.add(file)
        else:
            self.vanished.extend(d.id for d in unread)
        if refused_now:
            self.failed_records[file] = refused_now
        else:
            self.failed_records.pop(file, None)
        if file in self.conflicts:
            self.streams.pop(file, None)  # read it again next run
        else:
            self.streams[file] = stamp

    # --- what vanished -----------------------------------------------------------------------

    def _vanished_files(self, paths) -> None:
        roots = [os.path.realpath(p) for p in paths]
        for file, known in self.state.files.items():
            if file in self.seen or not any(_under(file, r) for r in roots):
                continue
            if any(_under(file, os.path.realpath(p)) for p in self.protected):
                self._keep(known, file)
                continue
            self.vanished.extend(d.id for d in known.docs)
            self.failed.pop(file, None)
            self.failed_records.pop(file, None)
            self.streams.pop(file, None)
