"""Percolation: which of a few documents each of many stored queries matches.

Alerts ask, after an indexing run, which of the articles it added match each saved search.
Running every saved search over the whole archive would cost what a search costs, times
the number of saved searches, however little the run added. As Elasticsearch's
percolator does, the queries are matched against the new documents only:
:class:`CandidateEvaluator` is the search's :class:`~search.evaluation.Evaluator`
restricted to a sorted set of document numbers (the candidates). Its arrays have one entry
per candidate, not per document of the index; it reads only the segments that hold
candidates, and of a word's postings only the blocks whose range of documents holds one
(the others are skipped on their header). A query thus costs in proportion to the
candidates and to the blocks they fall in, not to the archive; the results are exactly
the search's on those documents (the same query tree, the same scores).
"""

from __future__ import annotations

import numpy as np
from whoosh.scoring import WeightScorer

from indexer.store.lengths import length_array
from indexer.store.whoosh_compat import length_codes

from .evaluation import Evaluator, Matches, _postings, expansion
from .querying import FIELD_ALIASES


class CandidateEvaluator(Evaluator):
    """Evaluates queries over ``candidates`` (sorted, distinct, live document numbers of
    the searcher); :class:`Matches` hold one entry per candidate, in that order.
    ``dates`` (optional) are the candidates' dates as :class:`Evaluator` takes them."""

    def __init__(self, searcher, candidates: np.ndarray, dates: np.ndarray | None = None):
        super().__init__(searcher, np.ones(len(candidates), dtype=bool), dates)
        self.candidates = np.asarray(candidates, dtype=np.int64)
        held = []
        for sub, offset in self.segments:
            start, end = np.searchsorted(self.candidates, [offset, offset + sub.reader().doc_count_all()])
            if end > start:
                held.append((sub, offset, self.candidates[start:end] - offset))
        self.segments = [(sub, offset) for sub, offset, _ in held]
        #: per segment of :attr:`segments`: its candidates' numbers within the segment
        self._local = [local for _, _, local in held]
        self._postings_cache: dict[tuple, tuple] = {}

    def _mark(self, result: Matches, docs: np.ndarray, scores) -> None:
        at = np.searchsorted(self.candidates, docs)
        inside = at < len(self.candidates)
        inside[inside] = self.candidates[at[inside]] == docs[inside]
        result.mask[at[inside]] = True
        result.scores[at[inside]] = scores[inside] if np.ndim(scores) else scores

    def _postings(self, index: int, reader, fieldname: str, text: bytes, values: bool):
        """The postings of the segment's candidates only, read from the blocks that may
        hold one of them; kept for the next query that has the word (saved searches share
        many)."""
        key = (index, fieldname, text, values)
        found = self._postings_cache.get(key)
        if found is None:
            local = self._local[index]
            ids, tf, encoded = _postings(reader, fieldname, text, values, self.check, local)
            keep = np.isin(ids, local, assume_unique=True)
            if not keep.all():
                ids, tf = ids[keep], tf[keep]
                encoded = [e for e, k in zip(encoded, keep.tolist()) if k] if values else encoded
            found = self._postings_cache[key] = (ids, tf, encoded)
        return found

    def _scored_postings(self, index: int, sub, fieldname: str, text, values: bool = False):
        """As the search scores a word; a word of a field Whoosh does not score by BM25F
        (languages, sources) scores its weight, as Whoosh's ``WeightScorer`` does, from
        the candidates' postings instead of Whoosh's matcher over the whole segment."""
        found = super()._scored_postings(index, sub, fieldname, text, values)
        if found is not None:
            return found
        word = self.searcher.schema[fieldname].to_bytes(text)
        if type(self.searcher.weighting.scorer(sub, fieldname, word)) is not WeightScorer:
            return None
        ids, weights, encoded = self._postings(index, sub.reader(), fieldname, word, values)
        return ids, weights, encoded

    def _segment_lengths(self, index: int, reader, fieldname: str) -> np.ndarray | None:
        """The field's lengths, read for the segment's candidates only (1 elsewhere)."""
        key = (index, fieldname)
        if key not in self._lengths:
            local = self._local[index]
            values = length_array(reader, fieldname, local)
            if values is not None:
                lengths = np.ones(reader.doc_count_all())
                lengths[local] = values
                values = lengths
            self._lengths[key] = values
        return self._lengths[key]

    def _with_field(self, fieldname: str) -> np.ndarray:
        """Candidates with at least one word in the field (``title:*``)."""
        if fieldname not in self._has_field:
            mask = np.zeros(self.size, dtype=bool)
            result = Matches(mask, np.zeros(self.size))
            for index, (sub, offset) in enumerate(self.segments):
                reader, local = sub.reader(), self._local[index]
                codes = length_codes(reader)(fieldname, local.tolist()) if fieldname in reader.schema else None
                if codes is not None:  # a zero byte: no length
                    self._mark(result, local[np.array(codes, dtype=np.int64) > 0] + offset, 0.0)
                    continue
                shown = f"{FIELD_ALIASES.get(fieldname, [fieldname])[0]}:*"
                for word in expansion(self._prefix(fieldname), reader, self.check, shown):
                    ids = self._postings(index, reader, fieldname, word, False)[0]
                    self._mark(result, ids + offset, 0.0)
            self._has_field[fieldname] = mask
        return self._has_field[fieldname]

    @staticmethod
    def _prefix(fieldname: str):
        from whoosh import query as q

        return q.Prefix(fieldname, "")
