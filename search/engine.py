"""The search function: a request in, results with facets out.

:class:`SearchEngine` is what the command line and the web page both call. It keeps one
searcher on the index and refreshes it when an indexing run has committed, so new
articles appear without a restart; :meth:`SearchEngine.search` returns the public JSON
shape (``query, total, page, hits, facets, suggestion``).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as q

from indexer import settings as indexer_settings
from indexer.ingest.actors import load_table
from indexer.settings import ACTORS_FILE
from indexer.store import index_folder, name_counts, whoosh_compat
from indexer.store.index_folder import read_meta
from indexer.store.schema import SCHEMA_VERSION

from . import settings, suggestions
from .columns import Columns
from .discovered import DiscoveredActors, coverage_note
from .evaluation import Evaluator, Matches
from .facets import UNDATED, facets_for
from .filter_values import language_of, resolve_fields, source_of
from .querying import QueryBuilder, QueryError, actor_term, canonical_actor
from .scoring import FieldBM25F
from .snippets import highlight, query_terms, snippet_and_language
from .story_map import StoryMap

SORTS = ("relevance", "date", "recent")
DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _first(key: np.ndarray, docnums: np.ndarray, wanted: int) -> np.ndarray:
    """Positions of the ``wanted`` smallest keys, in order (ties by document number)."""
    if wanted < len(key):
        top = np.argpartition(key, wanted - 1)[:wanted]
        # argpartition splits ties at the boundary arbitrarily: take every tied key
        top = np.flatnonzero(key <= key[top].max())
        order = top[np.lexsort((docnums[top], key[top]))]
        return order[:wanted]
    return np.lexsort((docnums, key))


def _count_stories(stories: np.ndarray, docnums: np.ndarray) -> int:
    """How many stories the documents ``docnums`` are copies of."""
    if not len(docnums):
        return 0
    return int(np.count_nonzero(np.bincount(stories[docnums])))


def _one_at_a_time(method):
    """Run the method holding the engine's reading lock."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._reading:
            return method(self, *args, **kwargs)

    return wrapper


class IndexMissing(RuntimeError):
    """No index, or an empty one; the message says how to build it."""


@dataclass
class SearchRequest:
    query: str = ""
    actors: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    lang: str | None = None
    source: str | None = None
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    facets: bool = True
    #: actors of each type in the actor facet (None: every one)
    actors_per_type: int | None = settings.ACTORS_PER_TYPE
    #: one result per story (its best-ranked copy), or every article
    collapse: bool = True


def parse_day(value: str, param: str, end: bool) -> datetime:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: its first moment, or with ``end`` its last."""
    m = DAY.match(value.strip())
    try:
        if not m:
            raise ValueError
        year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        start = datetime(year, month, day)
    except ValueError:
        raise QueryError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", param) from None
    if not end:
        return start
    try:
        if m.group(3):
            following = start + timedelta(days=1)
        elif m.group(2):
            following = datetime(year + (month == 12), month % 12 + 1, 1)
        else:
            following = datetime(year + 1, 1, 1)
    except (ValueError, OverflowError):  # the end of 9999: the last moment a datetime holds
        return datetime.max
    return following - timedelta(microseconds=1)


class SearchEngine:
    """Searches one index; safe to share between threads.

    Whoosh's readers seek and read shared file objects, so two threads must not read at
    once: the public methods take turns on one lock (with the GIL, little is lost).
    """

    def __init__(self, index_dir: str | Path, actors_file: str | Path | None = None):
        whoosh_compat.install()
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._reading = threading.RLock()
        self._actors_file = actors_file
        self._ix = None
        self._name = None
        self._meta_sig = None
        self._searcher = None
        self._evaluator: Evaluator | None = None
        self._columns: Columns | None = None
        #: one-line notices for the user (an alias table changed since indexing)
        self.notices: list[str] = []
        self._load_meta()

    def _load_meta(self) -> None:
        """The index's record: its languages, and the alias table it was built with."""
        self._meta_sig = index_folder.signature(self.index_dir)
        meta = read_meta(self.index_dir)
        self._meta = meta
        self.languages = tuple(meta.get("languages") or ("en", "fr"))
        table_file, notice = (
            (Path(self._actors_file), None) if self._actors_file else index_folder.table_of(self.index_dir, meta)
        )
        self.notices = [notice] if notice else []
        self.table = load_table(str(table_file or ACTORS_FILE))
        self.discovered = DiscoveredActors(name_counts.load(self.index_dir, meta), self.table)
        self.stories = StoryMap.load(self.index_dir, meta)
        self.builder = None
        self.facets = facets_for(self.table.actors, self.discovered)

    # --- the index, kept fresh ---------------------------------------------------------------

    def searcher(self):
        """A searcher on the latest committed index, reopened after every commit.

        A commit is noticed by the index's record (rewritten by every run, and the switch
        to a rebuilt index) or by Whoosh's generation. The searcher is opened anew rather
        than refreshed: Whoosh's refresh keeps a segment's reader when the segment is still
        there, with the deletions it knew, so replaced and deleted articles would stay."""
        with self._lock:
            if index_folder.signature(self.index_dir) != self._meta_sig:
                self._load_meta()
                if index_folder.current(self.index_dir, self._meta) != self._name:
                    self._close()
                    self._ix = None
            if self._ix is None:
                name = index_folder.current(self.index_dir, self._meta)
                version = self._meta.get("schema_version")
                if version and version != SCHEMA_VERSION:
                    paths = " ".join((self._meta.get("last_run") or {}).get("paths") or ()) or "CORPUS"
                    raise IndexMissing(
                        f"the index at {self.index_dir} was built by another version of news-search; "
                        f"bring it up to date with: news-search index {paths} --index {self.index_dir}"
                    )
                try:
                    exists = whoosh_index.exists_in(str(self.index_dir), indexname=name)
                except Exception:
                    exists = True  # there, but unreadable: said below
                if not exists:
                    raise IndexMissing(
                        f"no index at {self.index_dir}; build it with: "
                        f"news-search index corpus/ --index {self.index_dir}"
                    )
                try:
                    self._ix = whoosh_index.open_dir(str(self.index_dir), indexname=name)
                except Exception:
                    raise IndexMissing(
                        f"the index at {self.index_dir} cannot be read; rebuild it with: "
                        f"news-search index --rebuild --index {self.index_dir}"
                    ) from None
                self._name = name
                self.builder = None
            if self._searcher is not None and not self._searcher.up_to_date():
                self._close()
            if self._searcher is None:
                try:
                    self._searcher = self._ix.searcher(weighting=FieldBM25F())
                except Exception:
                    self._ix = None
                    raise IndexMissing(
                        f"the index at {self.index_dir} is damaged; rebuild it with: "
                        f"news-search index --rebuild --index {self.index_dir}"
                    ) from None
                self._columns = None
            if self.builder is None:  # a new index, or a new alias table
                self.builder = QueryBuilder(self._ix.schema, self.table, self.languages, self.discovered)
            if self._searcher.doc_count() == 0:
                raise IndexMissing(
                    f"the index at {self.index_dir} is empty; add articles with: "
                    f"news-search index corpus/ --index {self.index_dir}"
                )
            if self._columns is None:
                self._columns = Columns(self._searcher.reader())
            return self._searcher, self._columns

    def _close(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:
                pass
        self._searcher = None
        self._columns = None
        self._evaluator = None

    # --- searching ---------------------------------------------------------------------------

    def filters(self, request: SearchRequest, searcher) -> q.Query | None:
        parts: list[q.Query] = [
            actor_term(self.table, a, "actor", self.discovered) for a in request.actors if a.strip()
        ]
        if request.since or request.until:
            start = parse_day(request.since, "since", end=False) if request.since else None
            end = parse_day(request.until, "until", end=True) if request.until else None
            if start and end and start > end:
                raise QueryError(f"since {request.since!r} is after until {request.until!r}", "since")
            parts.append(q.DateRange("date", start, end))
        if request.lang:
            parts.append(q.Term("languages", language_of(request.lang, searcher, self.languages)))
        if request.source:
            parts.append(q.Term("source", source_of(request.source, searcher)))
        return q.And(parts) if parts else None

    def marked(self, main: q.Query, request: SearchRequest) -> q.Query:
        """What a hit's snippet marks: the query's words, and the actors of its actor
        filters, as ``actor:X`` in the query marks them."""
        actors = [actor_term(self.table, a, "actor", self.discovered) for a in request.actors if a.strip()]
        return q.And([main, *actors]) if actors else main

    def parse(self, text: str, searcher) -> q.Query:
        """The query the user typed, its ``lang:`` and ``source:`` terms checked against the
        index as the ``lang`` and ``source`` filters are."""
        return resolve_fields(self.builder.parse(text), searcher, self.languages)

    def validate(self, request: SearchRequest) -> None:
        if request.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}", "sort")
        if not 1 <= request.limit <= settings.MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {settings.MAX_LIMIT}", "limit")
        if not 1 <= request.page <= settings.MAX_PAGE:
            raise QueryError(f"page must be between 1 and {settings.MAX_PAGE}", "page")

    @_one_at_a_time
    def search(self, request: SearchRequest) -> dict:
        self.validate(request)
        searcher, columns = self.searcher()
        main = self.parse(request.query, searcher)
        filt = self.filters(request, searcher)
        docnums, scores = self._match(searcher, main, filt, columns)
        offset = (request.page - 1) * request.limit
        stories = columns.stories(self.stories) if request.collapse else None
        order = self._order(request, docnums, scores, columns, offset + request.limit, stories)
        terms = query_terms(self.marked(main, request), searcher.reader(), self.table, self.discovered)
        hits = [
            self._hit(searcher, int(docnums[i]), float(scores[i]), terms)
            for i in order[offset : offset + request.limit]
        ]
        facets = {}
        if request.facets:
            matched = np.zeros(columns.size, dtype=bool)
            matched[docnums] = True
            # collapsed, facets count stories: a value's count is the number of results its
            # filter would list
            facets = {
                name: f.compute(columns, matched, request.actors_per_type, stories=stories)
                for name, f in self.facets.items()
            }
        return {
            "query": request.query,
            "total": len(docnums),
            "stories": _count_stories(columns.stories(self.stories), docnums),
            "collapsed": stories is not None,
            "page": request.page,
            "hits": hits,
            "facets": facets,
            "suggestion": self.suggest(request.query, searcher, filt, len(docnums))
            if len(docnums) < 3 and request.query.strip()
            else None,
            "notes": self.coverage_notes(request.actors, searcher),
        }

    def coverage_notes(self, actors, searcher) -> list[str]:
        """One line for each discovered actor filtered by, when the index holds articles in
        languages whose paragraphs discovery does not read: those articles do not count."""
        discovered = [
            found
            for found in (None if canonical_actor(self.table, a) else self.discovered.resolve(a) for a in actors)
            if found
        ]
        if not discovered:
            return []
        read = (*indexer_settings.DISCOVERY_LANGUAGES, *indexer_settings.DISCOVERY_MENTION_LANGUAGES)
        reader = searcher.reader()
        least = settings.COVERAGE_NOTE_MIN_SHARE * reader.doc_count()
        held = (t.decode() if isinstance(t, bytes) else t for t in reader.lexicon("languages"))
        unread = [lang for lang in held if lang not in read and reader.doc_frequency("languages", lang) >= least]
        return [coverage_note(name, unread) for name in discovered] if unread else []

    def _match(self, searcher, main, filt, columns) -> tuple[np.ndarray, np.ndarray]:
        """Every matching document (ascending) and its score, in one pass over the postings."""
        evaluator = self._evaluator
        if evaluator is None or evaluator.searcher is not searcher:
            evaluator = self._evaluator = Evaluator(searcher, columns.live(), columns.dates())
        if type(main) is q.Every and not main.fieldname:
            matches = Matches(columns.live().copy(), np.zeros(columns.size))
        else:
            matches = evaluator.run(main)
        if filt is not None:
            matches.mask &= evaluator.run(filt).mask
        docnums = np.flatnonzero(matches.mask)
        return docnums, matches.scores[docnums]

    @staticmethod
    def _order(request, docnums, scores, columns, wanted: int, stories=None) -> np.ndarray:
        """Positions in ``docnums`` of the first ``wanted`` results, in result order; with
        ``stories`` (each document's story), only the first-ranked article of each story."""
        if not len(docnums):
            return np.zeros(0, dtype=np.int64)
        if request.sort == "relevance" and scores.any():
            key = -scores  # best first; ties by document number
        else:
            days = columns.days()[docnums]
            if request.sort == "recent" and scores.any():
                newest = days.max()
                age = np.where(days >= 0, newest - days, 10 * settings.RECENCY_HALF_LIFE_DAYS)
                key = -(scores * np.power(0.5, age / settings.RECENCY_HALF_LIFE_DAYS))
            else:
                key = -days.astype(np.float64)  # newest first; undated last
        if stories is None:
            return _first(key, docnums, wanted)
        # the first-ranked article of each story among the first n of the ranking are the
        # first stories of the collapsed ranking: take more of the ranking until there are enough
        taken = min(len(docnums), 2 * wanted + 16)
        top = _first(key, docnums, taken)
        _, first = np.unique(stories[docnums[top]], return_index=True)
        if len(first) >= wanted or taken >= len(docnums):
            return top[np.sort(first)][:wanted]
        # few stories in the first of the ranking: each story's first-ranked article, ranked
        by_story = np.lexsort((docnums, key, stories[docnums]))
        s = stories[docnums[by_story]]
        best = by_story[np.r_[True, s[1:] != s[:-1]]]
        return best[_first(key[best], docnums[best], wanted)]

    def _hit(self, searcher, docnum: int, score: float, terms) -> dict:
        stored = searcher.stored_fields(docnum)
        record = json.loads(stored["record"])
        text, text_language = snippet_and_language(record["paragraphs"], terms, self.languages)
        return {
            "id": record["id"],
            "title": record["title"],
            "date": record["date"],
            "date_source": record["date_source"],
            "language": record["language"],
            "languages": record["languages"],
            "source": record["source"],
            "url": record["url"],
            "truncated": record["truncated"],
            "actors": [a["name"] for a in record["actors"]] + self.discovered.named(record),
            "snippet": text,
            "snippet_language": text_language,
            "score": round(float(score), 4),
            "story": self.stories.story_of(record["id"]),
            **dict(zip(("copies", "copies_total"), self.copies(searcher, record["id"]))),
        }

    def copies(self, searcher, article_id: str, titles: bool = False) -> tuple[list[dict], int]:
        """The other articles of an article's story in the index (at most ``COPIES_LISTED``):
        their id, date, language and source, read from the columns in memory (and with
        ``titles`` their title, from their stored fields); and how many there are."""
        columns = self._columns if self._columns is not None else Columns(searcher.reader())
        others, total = self.stories.copies_of(article_id)
        if not total:
            return [], 0
        docnum_of, days, source = columns.docnums(), columns.days(), columns["source"]
        out = []
        for copy in others:
            docnum = docnum_of.get(copy)
            if docnum is None:  # deleted since the stories were written
                continue
            day, code = int(days[docnum]), int(source.codes[docnum])
            entry = {
                "id": copy,
                "date": date.fromordinal(day).isoformat() if day > 0 else None,
                "language": self.stories.languages[self.stories.row[copy]] or None,
                "source": source.values[code] if code >= 0 else None,
            }
            if titles:
                entry = {"id": copy, "title": searcher.stored_fields(docnum).get("title") or "", **entry}
            out.append(entry)
            if len(out) >= settings.COPIES_LISTED:
                break
        return out, total

    def suggest(self, text: str, searcher, filt=None, found: int = 0) -> str | None:
        """A spelling of the query that finds more than the ``found`` articles it did with
        the filters ``filt`` (:mod:`search.suggestions`)."""

        def count(candidate: str) -> int:
            try:
                return len(self._match(searcher, self.builder.parse(candidate), filt, self._columns)[0])
            except QueryError:
                return 0

        return suggestions.suggest(text, searcher, self.languages, count, found)

    # --- articles and statistics -------------------------------------------------------------

    @_one_at_a_time
    def article(self, article_id: str) -> dict | None:
        searcher, _ = self.searcher()
        docnum = searcher.document_number(id=article_id)
        if docnum is None:
            return None
        record = json.loads(searcher.stored_fields(docnum)["record"])
        known = {a["name"] for a in record["actors"]}  # the table's and the discovered, as a hit lists them
        record["actors"] = record["actors"] + [a for a in self.discovered.actors_of(record) if a["name"] not in known]
        record["story"] = self.stories.story_of(record["id"])
        record["copies"], record["copies_total"] = self.copies(searcher, record["id"], titles=True)
        return record

    @_one_at_a_time
    def article_html(self, record: dict, text: str = "") -> list[str]:
        """Each paragraph of an article as HTML, escaped, with the words of the query
        ``text`` marked (none when the query is empty or malformed)."""
        terms = {}
        if text.strip():
            searcher, _ = self.searcher()
            try:
                terms = query_terms(self.builder.parse(text), searcher.reader(), self.table, self.discovered)
            except QueryError:
                terms = {}
        return [highlight(p, terms, self.languages) for p in record["paragraphs"]]

    @_one_at_a_time
    def stats(self) -> dict:
        searcher, columns = self.searcher()
        alive = columns.live()
        buckets = self.facets["month"].compute(columns, alive)
        months = [d["value"] for d in buckets if d["value"] != UNDATED]
        actor_facet = self.facets["actor"].compute(columns, alive)
        return {
            "articles": searcher.doc_count(),
            "first_month": months[0] if months else None,
            "last_month": months[-1] if months else None,
            "undated": sum(d["count"] for d in buckets if d["value"] == UNDATED),
            "languages": self.facets["language"].compute(columns, alive),
            "top_actors": actor_facet[:10],
            "last_indexing": read_meta(self.index_dir).get("last_run"),
        }

    @_one_at_a_time
    def actor_counts(self) -> dict[str, int]:
        """Articles per actor over the whole index, the alias table's and the discovered."""
        _, columns = self.searcher()
        alive = columns.live()
        counts = dict(columns["actors"].counts(alive))
        counts.update(self.facets["actor"].discovered_counts(columns, alive))
        return counts
