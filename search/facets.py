"""Facets: counts over every matching article, as plain dicts a template only renders.

Each facet kind is a small class with a ``name`` and a ``compute(columns, matched)``
returning a list of ``{"value", "count"}`` dicts (actors add their ``type``). Counting is
one pass over in-memory columns (:mod:`search.columns`): no query per bucket.
"""

from __future__ import annotations

import numpy as np

from .columns import Columns


class Facet:
    name = ""
    column = ""

    def compute(self, columns: Columns, matched: np.ndarray) -> list[dict]:
        pairs = columns[self.column].counts(matched)
        return [{"value": value, "count": count} for value, count in self.order(pairs)]

    def order(self, pairs):
        return sorted(pairs, key=lambda vc: (-vc[1], vc[0]))


class ActorFacet(Facet):
    """The 20 actors most articles name, with their type; an article counts once."""

    name, column, top = "actor", "actors", 20

    def __init__(self, types: dict[str, str]):
        self.types = types

    def compute(self, columns, matched):
        return [
            {"value": d["value"], "type": self.types.get(d["value"], ""), "count": d["count"]}
            for d in super().compute(columns, matched)[: self.top]
        ]


#: The bucket of the month and year facets for articles without a date.
UNDATED = "undated"


class MonthFacet(Facet):
    """Every month of the results, in order, then the undated ones (``"undated"``), so that
    the buckets add up to the number of results."""

    name, column = "month", "month"

    def compute(self, columns, matched):
        buckets = super().compute(columns, matched)
        undated = int(np.count_nonzero(columns[self.column].codes[matched] < 0))
        if undated:
            buckets.append({"value": UNDATED, "count": undated})
        return buckets

    def order(self, pairs):
        return sorted(pairs)


class YearFacet(MonthFacet):
    name, column = "year", "year"


class LanguageFacet(Facet):
    name, column = "language", "languages"


class SourceFacet(Facet):
    name, column = "source", "source"


def facets_for(types: dict[str, str]) -> dict[str, Facet]:
    """Every facet kind, by name."""
    return {f.name: f for f in (ActorFacet(types), MonthFacet(), YearFacet(), LanguageFacet(), SourceFacet())}
