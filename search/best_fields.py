"""Best fields: one query word searched in several fields, scored by its best field.

A field-less word is searched in the title, in every language's text and in the actor
tag (:mod:`search.query_words`). Summing those fields' scores would let a few English
lines in a French article, or a short title, outweigh the article's body; instead, as
Elasticsearch's ``multi_match`` of type ``best_fields``, a document scores its best
field's score plus ``tiebreak`` times the others' (``max + tiebreak × (sum − max)``).

:class:`BestFields` is Whoosh's ``DisjunctionMax`` with that tie-breaker applied by its
own matcher too (Whoosh's ignores it), so that the vector evaluation
(:mod:`search.evaluation`) and Whoosh's matchers, used for the query kinds the vector
evaluation leaves to them, score alike.
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as q


class BestFields(q.DisjunctionMax):
    """Documents matching any subquery; score: the best subquery's score plus
    ``tiebreak`` times the sum of the others'."""

    def apply(self, fn):
        return self.__class__([fn(sub) for sub in self.subqueries], boost=self.boost, tiebreak=self.tiebreak)

    def simplify(self, ixreader):
        simple = super().simplify(ixreader)
        if simple.__class__ is self.__class__:
            simple.tiebreak = self.tiebreak
        return simple

    def _matcher(self, subs, searcher, context):
        return TieBreakMatcher([sub.matcher(searcher, context) for sub in subs], self.tiebreak, self.boost)


def best_fields_score(scores: list[float], tiebreak: float) -> float:
    best = max(scores)
    return best + tiebreak * (sum(scores) - best)


class TieBreakMatcher(matching.Matcher):
    """The union of several matchers, scored as :class:`BestFields` says."""

    def __init__(self, children, tiebreak: float, boost: float = 1.0):
        self._children = list(children)
        self.tiebreak = tiebreak
        self.boost = boost

    def _active(self):
        return [child for child in self._children if child.is_active()]

    def _current(self):
        active = self._active()
        here = min(child.id() for child in active)
        return [child for child in active if child.id() == here]

    def is_active(self):
        return any(child.is_active() for child in self._children)

    def reset(self):
        for child in self._children:
            child.reset()

    def children(self):
        return list(self._children)

    def copy(self):
        return self.__class__([child.copy() for child in self._children], self.tiebreak, self.boost)

    def depth(self):
        return 1 + max((child.depth() for child in self._children), default=0)

    def id(self):
        return min(child.id() for child in self._active())

    def next(self):
        for child in self._current():
            child.next()

    def skip_to(self, id):
        for child in self._active():
            if child.id() < id:
                child.skip_to(id)

    def supports(self, astype):
        return all(child.supports(astype) for child in self._children)

    def value(self):
        return self._current()[0].value()

    def value_as(self, astype):
        return self._current()[0].value_as(astype)

    def weight(self):
        return sum(child.weight() for child in self._current())

    def max_quality(self):
        # (1 - t) × max + t × sum never exceeds the same of the children's maxima (t ≤ 1)
        return best_fields_score([child.max_quality() for child in self._children], self.tiebreak) * self.boost

    def score(self):
        return best_fields_score([child.score() for child in self._current()], self.tiebreak) * self.boost
