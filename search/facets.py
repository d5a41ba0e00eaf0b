"""Facets: counts over every matching article, as plain dicts a template only renders.

Each facet kind is a small class with a ``name`` and a ``compute(columns, matched)``
returning a list of ``{"value", "count"}`` dicts (actors add their ``type``). Counting is
one pass over in-memory columns (:mod:`search.columns`): no query per bucket.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from .columns import Columns
from .settings import ACTORS_PER_TYPE, DAY_FACET_SPAN


class Facet:
    name = ""
    column = ""

    def compute(self, columns: Columns, matched: np.ndarray, size: int | None = None) -> list[dict]:
        pairs = columns[self.column].counts(matched)
        return [{"value": value, "count": count} for value, count in self.order(pairs)]

    def order(self, pairs):
        return sorted(pairs, key=lambda vc: (-vc[1], vc[0]))


class ActorFacet(Facet):
    """The actors most articles name, with their type: the first ``size`` of each type
    (people, countries, organisations, places, others), so that a type with fewer
    mentions still shows; an article counts once. Most named first."""

    name, column = "actor", "actors"

    def __init__(self, types: dict[str, str]):
        self.types = types

    def compute(self, columns, matched, size: int | None = ACTORS_PER_TYPE):
        """``size`` None counts every actor."""
        kept: dict[str, int] = {}
        out = []
        for d in super().compute(columns, matched):
            kind = self.types.get(d["value"], "")
            if size is not None and kept.get(kind, 0) >= size:
                continue
            kept[kind] = kept.get(kind, 0) + 1
            out.append({"value": d["value"], "type": kind, "count": d["count"]})
        return out


#: The bucket of the month and year facets for articles without a date.
UNDATED = "undated"


class MonthFacet(Facet):
    """Every month of the results, in order, then the undated ones (``"undated"``), so that
    the buckets add up to the number of results."""

    name, column = "month", "month"

    def compute(self, columns, matched, size=None):
        buckets = super().compute(columns, matched)
        undated = int(np.count_nonzero(columns[self.column].codes[matched] < 0))
        if undated:
            buckets.append({"value": UNDATED, "count": undated})
        return buckets

    def order(self, pairs):
        return sorted(pairs)


class YearFacet(MonthFacet):
    name, column = "year", "year"


class DayFacet(Facet):
    """Every day with results (``2023-09-07``), in order, when the dated results span at
    most ``DAY_FACET_SPAN`` days (a chart by day is read then); else none."""

    name = "day"

    def compute(self, columns, matched, size=None):
        days = columns.days()[matched]
        days = days[days >= 0]
        if not len(days) or int(days.max()) - int(days.min()) >= DAY_FACET_SPAN:
            return []
        values, counts = np.unique(days, return_counts=True)
        return [{"value": date.fromordinal(int(v)).isoformat(), "count": int(c)} for v, c in zip(values, counts)]


class LanguageFacet(Facet):
    name, column = "language", "languages"


class SourceFacet(Facet):
    name, column = "source", "source"


def facets_for(types: dict[str, str]) -> dict[str, Facet]:
    """Every facet kind, by name."""
    facets = (ActorFacet(types), MonthFacet(), YearFacet(), DayFacet(), LanguageFacet(), SourceFacet())
    return {f.name: f for f in facets}
