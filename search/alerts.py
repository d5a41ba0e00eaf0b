"""Alerts: the new matches of each saved search since it was last read.

Indexing runs record which articles they added or changed (:mod:`indexer.store.changelog`);
each saved search (:mod:`search.watches`) remembers the sequence number up to which it
was read. :func:`new_matches` takes the articles recorded after that number, finds their
document numbers, and matches every saved search against those documents only
(:mod:`search.percolation`), so the cost follows what the runs added, not the archive.
A saved search that can no longer run (its query does not parse after a change of the
alias table, an actor no longer known) is reported by name; the others still run.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as q

from indexer.store import changelog

from .output import date_label, plain
from .percolation import CandidateEvaluator
from .querying import QueryError
from .snippets import query_terms
from .watches import SavedSearch

#: Undated articles sort after every date (newest first).
_UNDATED = -1


@dataclass
class Alert:
    """The new matches of one saved search (or why it could not run)."""

    search: SavedSearch
    total: int = 0
    hits: list[dict] = field(default_factory=list)
    error: str | None = None
    #: the matches to show (document numbers, newest first, at most the limit) and their scores
    shown: list[tuple[int, float]] = field(default_factory=list)
    query: object = None


def new_matches(engine, searches: list[SavedSearch], upto: int, limit: int, hits: bool = True) -> list[Alert]:
    """For each saved search, the articles recorded after its read mark and at most at
    ``upto`` that it matches, newest first (at most ``limit`` of them as hits, built only
    if ``hits``: see :func:`add_hits`)."""
    if not searches:
        return []
    searcher, _ = engine.searcher()
    entries = changelog.since(engine.index_dir, min(s.read for s in searches), upto)
    docnums, seqs = _documents(searcher, entries)
    alerts = []
    evaluators: dict[int, tuple[CandidateEvaluator, np.ndarray]] = {}
    for search in searches:
        alert = Alert(search)
        alerts.append(alert)
        if search.read not in evaluators:  # searches read up to the same run share one
            chosen = np.flatnonzero(seqs > search.read)
            order = np.argsort(docnums[chosen], kind="stable")
            cands = docnums[chosen][order]
            evaluators[search.read] = (CandidateEvaluator(searcher, cands, _dates(searcher, cands)), cands)
        evaluator, cands = evaluators[search.read]
        try:  # checked even with nothing new: a search that cannot run is said at every call
            alert.query = main = engine.parse(search.query, searcher)
            filt = engine.filters(search.request(), searcher)
            alert.query = engine.marked(main, search.request())
            if not len(cands):
                continue
            if type(main) is q.Every and not main.fieldname:
                mask, scores = np.ones(len(cands), dtype=bool), np.zeros(len(cands))
            else:
                found = evaluator.run(main)
                mask, scores = found.mask, found.scores
            if filt is not None:
                mask = mask & evaluator.run(filt).mask
        except QueryError as exc:
            param = "query" if exc.param in ("query", "q") else exc.param
            alert.error = f"{param}: {exc}"
            continue
        matched = np.flatnonzero(mask)
        alert.total = len(matched)
        days = evaluator.dates[matched]
        # newest first, undated last; then the best score
        ranked = matched[np.lexsort((-scores[matched], -days))][:limit]
        alert.shown = [(int(cands[i]), float(scores[i])) for i in ranked]
    if hits:
        add_hits(engine, alerts)
    return alerts


def add_hits(engine, alerts: list[Alert]) -> None:
    """Each alert's matches to show as search hits (title, date, snippet…)."""
    searcher, _ = engine.searcher()
    for alert in alerts:
        if alert.shown and not alert.hits:
            terms = query_terms(alert.query, searcher.reader(), engine.table, engine.discovered)
            alert.hits = [engine._hit(searcher, docnum, score, terms) for docnum, score in alert.shown]


def _documents(searcher, entries: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The live document number and sequence number of each recorded id the index holds
    (looked for in the newest segments first, where a run's articles are)."""
    leaves = [(sub.reader(), offset) for sub, offset in reversed(searcher.leaf_searchers())]
    id_field = searcher.schema["id"]
    docnums, seqs = [], []
    for doc_id, seq in entries:
        try:
            text = id_field.to_bytes(doc_id)
        except ValueError:
            continue
        for reader, offset in leaves:
            if ("id", text) not in reader:
                continue
            live = [d for d in reader.postings("id", text).all_ids() if not reader.is_deleted(d)]
            if live:
                docnums.append(live[0] + offset)
                seqs.append(seq)
                break
    return np.array(docnums, dtype=np.int64), np.array(seqs, dtype=np.int64)


def _dates(searcher, docnums: np.ndarray) -> np.ndarray:
    """The documents' dates as Whoosh indexes them (``datetime_to_long``), -1 for none."""
    from .columns import _LATEST, values_at

    dates = np.full(len(docnums), _UNDATED, dtype=np.int64)
    for i, value in enumerate(values_at(searcher.reader(), "date", docnums.tolist(), translate=False)):
        if value is not None and 0 <= value <= _LATEST:
            dates[i] = value
    return dates


# --- rendering ---------------------------------------------------------------------------

CSV_COLUMNS = ["search", "id", "title", "date", "source", "language", "url", "actors", "snippet"]


def render(alerts: list[Alert], fmt: str) -> str:
    """The alerts with new matches, as text (one block per saved search), JSON Lines (one
    object per saved search) or CSV (one row per match); "" when there is none."""
    found = [a for a in alerts if a.total]
    if not found:
        return ""
    if fmt == "json":
        return "".join(
            json.dumps(
                {"name": a.search.name, "search": _search_json(a.search), "total": a.total, "hits": a.hits},
                ensure_ascii=False,
            )
            + "\n"
            for a in found
        )
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(CSV_COLUMNS)
        for a in found:
            for h in a.hits:
                writer.writerow(
                    [
                        a.search.name,
                        h["id"],
                        h["title"],
                        h["date"] or "",
                        h["source"] or "",
                        h["language"] or "",
                        h["url"] or "",
                        "; ".join(h["actors"]),
                        plain(h["snippet"], False),
                    ]
                )
        return buf.getvalue()
    blocks = []
    for a in found:
        lines = [f"{a.search.name}: {a.total} new article{'s' if a.total != 1 else ''} ({a.search.describe()})"]
        for h in a.hits:
            meta = " · ".join(x for x in (date_label(h), h["source"], "/".join(h["languages"])) if x)
            lines += ["", f"  {h['title'] or h['id']}", f"  {meta}  [{h['id']}]"]
            if h["url"]:
                lines.append(f"  {h['url']}")
            if h["snippet"]:
                lines.append("  " + plain(h["snippet"], False))
        if a.total > len(a.hits):
            lines += ["", f"  … and {a.total - len(a.hits)} more"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _search_json(search: SavedSearch) -> dict:
    return {
        "query": search.query,
        "actors": search.actors,
        "since": search.since,
        "until": search.until,
        "lang": search.lang,
        "source": search.source,
    }
