"""Latest matches: a search's matches most recently added or changed by indexing runs.

A feed reader follows new arrivals, so a search's feed (:mod:`search.web.feeds`) holds
the matches the latest runs added or changed, whatever their article date: an old-dated,
undated, backfilled or edited article a run adds is news to the reader. The search is run
as the page runs it (:meth:`~search.engine.SearchEngine.search`'s matching); the change
log (:mod:`indexer.store.changelog`) is then read backwards, a few runs at a time, and its
articles that match are taken newest run first (within a run, newest article date first,
undated last) until there are enough. Articles the log does not hold (indexed before it
began) come after, newest article date first.
"""

from __future__ import annotations

import weakref

import numpy as np

from indexer.store import changelog

from .engine import SearchRequest
from .snippets import query_terms

#: Change-log articles read at a time (whole runs): grows fourfold while too few match.
_FIRST_READ = 1000
#: per searcher, the live document number of each article id (read once per searcher)
_NUMBERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _numbers(searcher) -> dict[bytes, int]:
    """The live document number of every id the searcher holds, read from the id field's
    term list (an id's term knows its one document) rather than an id at a time."""
    numbers = _NUMBERS.get(searcher)
    if numbers is None:
        numbers = {}
        for sub, offset in searcher.reader().leaf_readers():
            if "id" not in sub.schema:
                continue
            deletions = sub.has_deletions()
            for text, info in sub.iter_field("id"):
                if info.doc_frequency() == 1:
                    found = [info.min_id()]
                else:  # an id written twice in one segment: its live document
                    found = list(sub.postings("id", text).all_ids())
                for docnum in found:
                    if not (deletions and sub.is_deleted(docnum)):
                        numbers[text] = docnum + offset
        _NUMBERS[searcher] = numbers
    return numbers


def _documents(searcher, entries: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The live document number and sequence number of each recorded id the index holds."""
    numbers, id_field = _numbers(searcher), searcher.schema["id"]
    docnums, seqs = [], []
    for doc_id, seq in entries:
        try:
            docnum = numbers.get(id_field.to_bytes(doc_id))
        except ValueError:
            continue
        if docnum is not None:
            docnums.append(docnum)
            seqs.append(seq)
    return np.array(docnums, dtype=np.int64), np.array(seqs, dtype=np.int64)


def latest_hits(engine, request: SearchRequest, limit: int) -> list[dict]:
    """At most ``limit`` hits of ``request`` (as the search shows them), the most recently
    added or changed first; each with ``seq``, the change log's number of the run that
    last added or changed it (None when the log does not hold it)."""
    engine.validate(request)
    with engine._reading:
        searcher, columns = engine.searcher()
        main = engine.parse(request.query, searcher)
        filt = engine.filters(request, searcher)
        docnums, scores = engine._match(searcher, main, filt, columns)
        matched = np.zeros(columns.size, dtype=bool)
        matched[docnums] = True
        score_of = np.zeros(columns.size)
        score_of[docnums] = scores
        days = columns.days()
        chosen: list[tuple[int, int | None]] = []
        taken = np.zeros(columns.size, dtype=bool)
        below, wanted = None, _FIRST_READ
        while len(chosen) < limit:
            entries = changelog.newest(engine.index_dir, below, wanted)
            if not entries:
                break
            found, seqs = _documents(searcher, entries)
            for seq in sorted(set(seqs.tolist()), reverse=True):
                run = found[(seqs == seq) & matched[found]]
                taken[found[seqs == seq]] = True
                order = np.lexsort((run, -days[run]))  # newest date first, undated last
                chosen += [(int(d), seq) for d in run[order]]
            below, wanted = entries[-1][1], wanted * 4
        if len(chosen) < limit:  # articles the log does not hold: newest date first
            rest = docnums[~taken[docnums]]
            rest = rest[np.lexsort((rest, -days[rest]))]
            chosen += [(int(d), None) for d in rest[: limit - len(chosen)]]
        terms = query_terms(engine.marked(main, request), searcher.reader(), engine.table, engine.discovered)
        return [
            dict(engine._hit(searcher, docnum, float(score_of[docnum]), terms), seq=seq)
            for docnum, seq in chosen[:limit]
        ]
