"""Query evaluation over whole posting lists: every matching document and its score at once.

A search counts facets over every document it matches, so it needs all matches and, to
rank them, all their scores. Whoosh's matchers walk a query tree one posting at a time in
Python, a few microseconds per posting and per tree node; a broad query over 100,000
articles spends most of a second there. Here a query is evaluated a node at a time
instead: a term's postings are read block by block into NumPy arrays and scored with
BM25F in one vector operation, and ``And``, ``Or`` and ``Not`` combine dense per-document
arrays. Scores are Whoosh's own, from the scorer the searcher's weighting gives Whoosh
(same idf, average length, B and K1: :mod:`search.scoring`), so results and their order
do not change.

A :class:`~whoosh.query.DisjunctionMax` (a word's fields, combined as ``best_fields``)
scores each document its best subquery's score plus ``tiebreak`` times the sum of the
others' (``max + tiebreak × (sum − max)``), as :class:`~search.best_fields.BestFields`
scores in Whoosh's own matchers.

Phrases are checked on the documents holding all their words only; prefixes, wildcards,
ranges of words and fuzzy terms become the ``Or`` of their words; date ranges are read from
the date column; ``field:*`` from the field lengths. Other query kinds (sloppy phrases,
spans, boosted prefixes, …) are matched by Whoosh's own matcher for that part of the tree
only, and the result joins the arrays.

A query is bounded (:mod:`search.settings`): a pattern or range may stand for at most
``MAX_EXPANSION`` words and read at most ``MAX_SCANNED_WORDS`` of its field's word list to
find them (both counted as the list is read, so a refusal costs little); before any posting
is read, the words of all its patterns and ranges may occur at most
``MAX_EXPANDED_POSTINGS`` times; and the clock is checked between nodes, posting blocks and
words: past ``QUERY_SECONDS`` the query is refused. Refusals are
:class:`~search.querying.QueryError`, in the user's words.
"""

from __future__ import annotations

import time
from itertools import accumulate
from pickle import loads

import numpy as np
from whoosh import query as q
from whoosh.formats import Positions
from whoosh.scoring import BM25FScorer

from indexer.store.lengths import length_array, load_lengths
from indexer.store.whoosh_compat import (
    PrefixWithMore,
    pattern_and_prefix,
    positions_payload,
    posting_blocks,
    query_words,
)

from . import settings
from .querying import FIELD_ALIASES, QueryError

TOO_SLOW = "the query took too long; make it more specific"


class Matches:
    """Which documents match (a boolean mask) and their scores (0 where not matched)."""

    __slots__ = ("mask", "scores")

    def __init__(self, mask: np.ndarray, scores: np.ndarray):
        self.mask = mask
        self.scores = scores


class Evaluator:
    """Evaluates queries against one searcher (all its segments).

    ``live`` marks the documents not deleted; ``dates`` (optional) holds each document's
    date as Whoosh indexes it, -1 when it has none, to answer date ranges on ``date``.
    Field lengths are cached per segment, so keep one evaluator per searcher generation.
    """

    def __init__(self, searcher, live: np.ndarray, dates: np.ndarray | None = None):
        self.searcher = searcher
        self.size = len(live)
        self.live = live
        self.dates = dates
        self.segments = list(searcher.leaf_searchers())
        self._lengths: dict[tuple[int, str], np.ndarray] = {}
        self._has_field: dict[str, np.ndarray] = {}
        self._deadline = float("inf")
        self._expansions: dict[int, list[bytes]] = {}

    def run(self, query: q.Query) -> Matches:
        """Every live document matching ``query``, with its score; QueryError when the
        query stands for too many words or takes longer than ``QUERY_SECONDS``."""
        self._deadline = time.monotonic() + settings.QUERY_SECONDS
        self._expansions = self._expand(query)
        try:
            result = self._eval(query)
        finally:
            self._expansions = {}
        result.mask &= self.live
        result.scores[~result.mask] = 0.0
        return result

    # --- dispatch ----------------------------------------------------------------------------

    def _expand(self, query: q.Query) -> dict[int, list[bytes]]:
        """The words of each prefix, wildcard and range in the query (by node), once it
        is known that together they occur at most ``MAX_EXPANDED_POSTINGS`` times."""
        reader = self.searcher.reader()
        expansions, total, limit = {}, 0, settings.MAX_EXPANDED_POSTINGS
        for leaf in query.leaves() if not query.is_leaf() else [query]:
            if not isinstance(leaf, q.MultiTerm):
                continue
            words = expansions[id(leaf)] = expansion(leaf, reader, self.check)
            total += sum(reader.doc_frequency(leaf.field(), word) for word in words)
            if total > limit:
                raise QueryError(
                    f"{_as_typed(leaf)!r} stands for words found too often (over {limit:,} "
                    "times in the articles); make it longer or more specific"
                )
        return expansions

    def check(self) -> None:
        """Refuse the query once it has run past its time."""
        if time.monotonic() > self._deadline:
            raise QueryError(TOO_SLOW)

    def _eval(self, query: q.Query) -> Matches:
        self.check()
        kind = type(query)
        if kind is q.Term:
            return self._term(query)
        if kind is q.And:
            return self._and(query)
        if kind is q.Or and not query.scale and not query.minmatch:
            return self._or(query)
        if isinstance(query, q.DisjunctionMax):
            return self._best_fields(query)
        if kind is q.Phrase and query.slop == 1 and self._has_positions(query.fieldname):
            return self._phrase(query)
        if isinstance(query, q.MultiTerm) and query.boost == 1.0:
            return self._expanded(query)
        if kind is q.Not:
            return self._not(query)
        if kind is q.Every:
            return self._every(query)
        if kind in (q.AndNot, q.AndMaybe, q.Require):
            return self._binary(query)
        if (
            isinstance(query, q.NumericRange)
            and query.fieldname == "date"
            and query.constantscore
            and self.dates is not None
        ):
            return self._date_range(query)
        if query is q.NullQuery or kind is q.NullQuery.__class__:
            return self._empty()
        return self._whoosh(query)

    def _has_positions(self, fieldname: str) -> bool:
        field = self.searcher.schema[fieldname] if fieldname in self.searcher.schema else None
        return bool(field and field.format and field.format.supports("positions"))

    def _empty(self) -> Matches:
        return Matches(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def _mark(self, result: Matches, docs: np.ndarray, scores: np.ndarray) -> None:
        """Set the matches ``docs`` (document numbers) and their scores in ``result``."""
        result.mask[docs] = True
        result.scores[docs] = scores

    # --- leaves ------------------------------------------------------------------------------

    def _term(self, query: q.Term) -> Matches:
        result = self._empty()
        for index, (sub, offset) in enumerate(self.segments):
            found = self._scored_postings(index, sub, query.fieldname, query.text)
            if found is None:
                return self._whoosh(query)
            ids, scores, _ = found
            self._mark(result, ids + offset, scores * query.boost)
        return result

    def _expanded(self, query: q.MultiTerm) -> Matches:
        """A prefix, wildcard or fuzzy term: its words in the index, each scored as a term
        and summed, as Whoosh does on an index of over 5,000 documents (on a smaller one it
        may give each document a constant score instead)."""
        words = self._expansions.get(id(query))
        if words is None:
            words = expansion(query, self.searcher.reader(), self.check)
        return self._or(q.Or([q.Term(query.field(), word) for word in words if word]))

    def _every(self, query: q.Every) -> Matches:
        """Every document (``*``), or every document with something in a field
        (``title:*``); each scores the boost, as in Whoosh."""
        if query.fieldname is None:
            mask = self.live.copy()
        else:
            mask = self._with_field(query.fieldname).copy()
        return Matches(mask, mask * float(query.boost))

    def _with_field(self, fieldname: str) -> np.ndarray:
        """Documents with at least one word in the field: from its lengths, or, for a field
        without lengths, from the postings of its words (bounded as a prefix is)."""
        if fieldname not in self._has_field:
            mask = np.zeros(self.size, dtype=bool)
            for sub, offset in self.segments:
                reader = sub.reader()
                lengths = load_lengths(reader, fieldname) if fieldname in reader.schema else None
                if lengths is not None:
                    has = np.fromiter((n is not None for n in lengths), dtype=bool, count=len(lengths))
                    mask[offset : offset + len(has)] |= has
                    continue
                shown = f"{FIELD_ALIASES.get(fieldname, [fieldname])[0]}:*"
                for word in expansion(q.Prefix(fieldname, ""), reader, self.check, shown):
                    ids = _postings(reader, fieldname, word, check=self.check)[0]
                    mask[ids + offset] = True
            self._has_field[fieldname] = mask
        return self._has_field[fieldname]

    def _phrase(self, query: q.Phrase) -> Matches:
        """Documents holding the words next to each other, in order; scored as Whoosh
        scores a phrase: the sum of its words' scores."""
        result = self._empty()
        field = self.searcher.schema[query.fieldname]
        for index, (sub, offset) in enumerate(self.segments):
            postings = []
            for word in query.words:
                found = self._scored_postings(index, sub, query.fieldname, word, values=True)
                if found is None:
                    return self._whoosh(query)
                postings.append(found)
            if any(not len(ids) for ids, _, _ in postings):
                continue
            candidates = postings[0][0]
            for ids, _, _ in postings[1:]:
                candidates = np.intersect1d(candidates, ids, assume_unique=True)
            where = [np.searchsorted(ids, candidates) for ids, _, _ in postings]
            decode = _positions if type(field.format) is Positions else field.format.decode_positions
            first, rest = postings[0][2], [(i, p[2], w.tolist()) for i, (p, w) in enumerate(zip(postings, where))][1:]
            keep = np.zeros(len(candidates), dtype=bool)
            for n, at in enumerate(where[0].tolist()):
                if not n % 256:
                    self.check()
                starts = set(decode(first[at]))
                for i, encoded, w in rest:
                    starts.intersection_update([p - i for p in decode(encoded[w[n]])])
                    if not starts:
                        break
                keep[n] = bool(starts)
            score = sum(scores[w] for (_, scores, _), w in zip(postings, where))
            self._mark(result, candidates[keep] + offset, score[keep] * query.boost)
        return result

    def _scored_postings(self, index: int, sub, fieldname: str, text, values: bool = False):
        """A term's postings in one segment with their BM25F scores (and, if asked, their
        encoded positions); empty arrays when the segment lacks the term; None when the
        searcher does not score with BM25F."""
        reader = sub.reader()
        try:
            text = self.searcher.schema[fieldname].to_bytes(text)
        except ValueError:
            return _NOTHING
        if (fieldname, text) not in reader:
            return _NOTHING
        scorer = self.searcher.weighting.scorer(sub, fieldname, text)
        if type(scorer) is not BM25FScorer:
            return None
        ids, tf, encoded = self._postings(index, reader, fieldname, text, values)
        lengths = self._segment_lengths(index, reader, fieldname)
        length = lengths[ids] if lengths is not None else 1.0
        scores = scorer.idf * (
            (tf * (scorer.K1 + 1)) / (tf + scorer.K1 * ((1 - scorer.B) + scorer.B * length / scorer.avgfl))
        )
        return ids, scores, encoded

    def _postings(self, index: int, reader, fieldname: str, text: bytes, values: bool):
        """A term's postings in the segment ``index`` of :attr:`segments`."""
        return _postings(reader, fieldname, text, values, self.check)

    def _date_range(self, query: q.NumericRange) -> Matches:
        """Documents dated within the range; each scores the range's boost (constant)."""
        dates = self.dates
        mask = dates >= 0
        if query.start is not None:
            mask &= (dates > query.start) if query.startexcl else (dates >= query.start)
        if query.end is not None:
            mask &= (dates < query.end) if query.endexcl else (dates <= query.end)
        return Matches(mask, mask * float(query.boost))

    def _segment_lengths(self, index: int, reader, fieldname: str) -> np.ndarray | None:
        key = (index, fieldname)
        if key not in self._lengths:
            self._lengths[key] = length_array(reader, fieldname)
        return self._lengths[key]

    def _whoosh(self, query: q.Query) -> Matches:
        """Whoosh's own matcher, for a query kind with no vector form here."""
        for leaf in query.leaves() if not query.is_leaf() else [query]:
            if isinstance(leaf, q.MultiTerm) and id(leaf) not in self._expansions:
                expansion(leaf, self.searcher.reader(), self.check)  # Whoosh would not bound it
        result = self._empty()
        context = self.searcher.context()
        for sub, offset in self.segments:
            matcher = query.matcher(sub, context)
            ids, scores = [], []
            while matcher.is_active():
                if not len(ids) % 256:
                    self.check()
                ids.append(matcher.id())
                scores.append(matcher.score())
                matcher.next()
            if ids:
                self._mark(result, np.asarray(ids, dtype=np.int64) + offset, np.asarray(scores))
        return result

    # --- compounds ---------------------------------------------------------------------------

    def _and(self, query: q.And) -> Matches:
        # the rarest first: once nothing is left, the rest is not read
        subs = sorted(query.subqueries, key=self._size)
        if not subs:
            return self._empty()
        result = self._eval(subs[0])
        for sub in subs[1:]:
            if not result.mask.any():
                break
            other = self._eval(sub)
            result.mask &= other.mask
            result.scores += other.scores
        return self._boosted(result, query.boost)

    def _or(self, query: q.Or) -> Matches:
        result = self._empty()
        for sub in query.subqueries:
            other = self._eval(sub)
            result.mask |= other.mask
            result.scores += other.scores
        return self._boosted(result, query.boost)

    def _best_fields(self, query: q.DisjunctionMax) -> Matches:
        """Documents matching any subquery; each scores its best subquery's score plus the
        tie-breaker share of the others' (:class:`~search.best_fields.BestFields`)."""
        result = self._empty()
        best = np.full(self.size, -np.inf)
        for sub in query.subqueries:
            other = self._eval(sub)
            result.mask |= other.mask
            result.scores += other.scores
            np.maximum(best, np.where(other.mask, other.scores, -np.inf), out=best)
        matched = result.mask
        result.scores[matched] = best[matched] + query.tiebreak * (result.scores[matched] - best[matched])
        return self._boosted(result, query.boost)

    def _size(self, query: q.Query) -> float:
        """How many documents a query may match, from the word list alone (infinite when
        that would cost more than reading a word's entry)."""
        kind = type(query)
        try:
            if kind is q.Term:
                return self.searcher.doc_frequency(query.fieldname, query.text)
            if kind is q.Phrase:
                return min((self.searcher.doc_frequency(query.fieldname, w) for w in query.words), default=0)
        except ValueError:  # a word the field cannot hold
            return 0
        if kind is q.Or or isinstance(query, q.DisjunctionMax):
            return sum(self._size(sub) for sub in query.subqueries)
        if kind is q.AndMaybe:
            return self._size(query.a)
        if kind is q.And:
            return min((self._size(sub) for sub in query.subqueries), default=0)
        return float("inf")

    def _binary(self, query) -> Matches:
        """``a ANDNOT b``, ``a ANDMAYBE b`` and ``a REQUIRE b``: the documents of ``a``
        (without those of ``b``; all, plus ``b``'s score where it matches; those also in
        ``b``), scored as Whoosh scores them."""
        result = self._eval(query.a)
        if not result.mask.any():
            return result
        other = self._eval(query.b)
        if type(query) is q.AndNot:
            result.mask &= ~other.mask
        elif type(query) is q.Require:
            result.mask &= other.mask
        else:
            result.scores += np.where(result.mask, other.scores, 0.0)
        result.scores[~result.mask] = 0.0
        return result

    def _not(self, query: q.Not) -> Matches:
        """Every live document the inner query does not match, each scoring 1 (as Whoosh)."""
        inner = self._eval(query.query)
        mask = self.live & ~inner.mask
        return Matches(mask, mask.astype(np.float64))

    @staticmethod
    def _boosted(result: Matches, boost: float) -> Matches:
        result.scores[~result.mask] = 0.0
        if boost != 1.0:
            result.scores *= boost
        return result


_NOTHING = (np.zeros(0, dtype=np.int64), np.zeros(0), [])


def expansion(query: q.MultiTerm, reader, check=None, shown: str | None = None) -> list[bytes]:
    """The words of its field that a prefix, wildcard, range of words or fuzzy term stands
    for. The word list is read lazily: past ``MAX_EXPANSION`` matching words, or
    ``MAX_SCANNED_WORDS`` words read to find them, a QueryError names the term (``shown``,
    else the term as typed); ``check`` is called every thousand words."""
    limit, scan_limit = settings.MAX_EXPANSION, settings.MAX_SCANNED_WORDS
    shown = shown or _as_typed(query)
    words: list[bytes] = []
    for read, (word, matched) in enumerate(_candidates(query, reader), 1):
        if read > scan_limit:
            raise QueryError(
                f"{shown!r} reads more than {scan_limit:,} words to find its matches; "
                "put a few letters before its first * or ?"
            )
        if check is not None and not read % 1024:
            check()
        if matched:
            if len(words) == limit:
                raise QueryError(f"{shown!r} matches more than {limit:,} words; make it longer or more specific")
            words.append(word)
    return words


def _candidates(query: q.MultiTerm, reader):
    """(word, whether it matches) for each word of the field the query must read."""
    fieldname = query.field()
    if fieldname not in reader.schema:
        return
    if isinstance(query, q.PatternQuery) and not isinstance(query, q.Prefix):  # wildcard, regex
        field = reader.schema[fieldname]
        pattern, prefix = pattern_and_prefix(query)
        for word in reader.expand_prefix(fieldname, prefix) if prefix else reader.lexicon(fieldname):
            yield word, bool(pattern.match(field.from_bytes(word)))
    elif isinstance(query, q.Prefix):
        for word in reader.expand_prefix(fieldname, query.text):
            yield word, True
        if isinstance(query, PrefixWithMore):
            for word in query.more(reader):
                yield word, True
    else:  # ranges of words read from their start to their end; fuzzy terms
        for word in query_words(query, reader):
            yield word, True


def _as_typed(query: q.MultiTerm) -> str:
    """A prefix, wildcard or range of words as a user types it."""
    if isinstance(query, q.Prefix):
        return f"{query.text}*"
    if isinstance(query, q.TermRange):
        ends = f"{query.start or ''} TO {query.end or ''}".strip()
        return f"{'{' if query.startexcl else '['}{ends}{'}' if query.endexcl else ']'}"
    return str(getattr(query, "text", query))


def _positions(encoded: bytes) -> list[int]:
    """The positions in a :class:`~whoosh.formats.Positions` value (as its
    ``decode_positions``): a count, then pickled deltas, sometimes without the final stop."""
    data = positions_payload(encoded)
    if not data.endswith(b"."):
        data += b"."
    return list(accumulate(loads(data)))


def _postings(reader, fieldname: str, text: bytes, values: bool = False, check=None, within=None):
    """A term's postings in one segment, read block by block: document numbers, weights
    and (if asked) the encoded values (positions); ``check`` is called before each block;
    ``within`` limits the blocks read (see ``posting_blocks``)."""
    ids, weights, encoded = [], [], []
    for block_ids, delta_coded, block_weights, block_values in posting_blocks(
        reader, fieldname, text, values, check, within
    ):
        block_ids = np.asarray(block_ids, dtype=np.int64)
        ids.append(np.cumsum(block_ids) if delta_coded else block_ids)
        if block_weights is None or isinstance(block_weights, float):  # None: all 1; a float: all the same
            weights.append(np.full(len(block_ids), 1.0 if block_weights is None else block_weights))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float64))
        if values:
            encoded.extend(block_values)
    if not ids:
        return _NOTHING
    return np.concatenate(ids), np.concatenate(weights), encoded
