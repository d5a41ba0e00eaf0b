"""Facets: counts over every matching article (or story), as plain dicts a template only renders.

Each facet kind is a small class with a ``name`` and a ``compute(columns, matched)``
returning a list of ``{"value", "count"}`` dicts (actors add their ``type``). Counting is
one pass over in-memory columns (:mod:`search.columns`): no query per bucket.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from .columns import Columns, count_codes
from .discovered import DiscoveredActors
from .settings import ACTORS_PER_TYPE, DAY_FACET_SPAN


class Facet:
    name = ""
    column = ""

    def compute(self, columns: Columns, matched: np.ndarray, size: int | None = None, stories=None) -> list[dict]:
        """Buckets of the ``matched`` documents, counting documents, or with ``stories``
        (each document's story, :meth:`search.columns.Columns.stories`) stories."""
        pairs = columns[self.column].counts(matched, stories)
        return [{"value": value, "count": count} for value, count in self.order(pairs)]

    def order(self, pairs):
        return sorted(pairs, key=lambda vc: (-vc[1], vc[0]))


class ActorFacet(Facet):
    """The actors most articles name, with their type: the first ``size`` of each type
    (people, countries, organisations, places, others), so that a type with fewer
    mentions still shows; an article counts once. Most named first. The alias table's
    actors and the discovered ones (:mod:`search.discovered`, marked ``"discovered":
    true``) are counted together."""

    name, column = "actor", "actors"

    def __init__(self, types: dict[str, str], discovered: DiscoveredActors | None = None):
        self.types = types
        self.discovered = discovered
        self._cache: tuple | None = None  # (column, pairs): one index generation's
        self._names: list[str] = sorted(discovered.actors) if discovered else []

    def compute(self, columns, matched, size: int | None = ACTORS_PER_TYPE, stories=None):
        """``size`` None counts every actor."""
        buckets = [
            {"value": value, "type": self.types.get(value, ""), "count": count}
            for value, count in columns[self.column].counts(matched, stories)
        ]
        if self.discovered:
            buckets += [
                {"value": value, "type": self.discovered.actors[value], "count": count, "discovered": True}
                for value, count in self.discovered_counts(columns, matched, stories).items()
            ]
        buckets.sort(key=lambda d: (-d["count"], d["value"]))
        kept: dict[str, int] = {}
        out = []
        for d in buckets:
            kind = d["type"]
            if size is not None and kept.get(kind, 0) >= size:
                continue
            kept[kind] = kept.get(kind, 0) + 1
            out.append(d)
        return out

    def discovered_counts(self, columns: Columns, matched: np.ndarray, stories=None) -> dict[str, int]:
        """Articles (or with ``stories``, stories) per discovered actor among the ``matched`` documents."""
        if not self.discovered:
            return {}
        owners, actors = self._pairs(columns["names"])
        if not len(owners):
            return {}
        flagged = matched[owners]
        counts = count_codes(actors[flagged], owners[flagged], stories, len(self._names))
        return {self._names[i]: int(c) for i in np.nonzero(counts)[0] for c in (counts[i],)}

    def _pairs(self, column) -> tuple[np.ndarray, np.ndarray]:
        """(document, discovered actor) pairs of the column, one per document and actor:
        made once per column (an index generation), so a search only counts."""
        cached = self._cache
        if cached is not None and cached[0] is column:
            return cached[1]
        number = {name: i for i, name in enumerate(self._names)}
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        pairs = empty
        if column.owners is not None and len(column.codes):
            by_key = self.discovered.by_key
            actor_of = np.array([number.get(by_key.get(k), -1) for k in column.values], dtype=np.int64)
            actors = actor_of[column.codes]
            keep = actors >= 0
            unique = np.unique(column.owners[keep] * max(1, len(self._names)) + actors[keep])
            pairs = (unique // max(1, len(self._names)), unique % max(1, len(self._names)))
        self._cache = (column, pairs)
        return pairs


#: The bucket of the month and year facets for articles without a date.
UNDATED = "undated"


class MonthFacet(Facet):
    """Every month of the results, in order, then the undated ones (``"undated"``), so that
    the buckets add up to the number of results."""

    name, column = "month", "month"

    def compute(self, columns, matched, size=None, stories=None):
        buckets = super().compute(columns, matched, stories=stories)
        codes = columns[self.column].codes
        undated_docs = np.flatnonzero(matched & (codes < 0)) if len(codes) else np.zeros(0, dtype=np.int64)
        if stories is None:
            undated = len(undated_docs)
        else:
            undated = len(np.unique(stories[undated_docs]))
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

    def compute(self, columns, matched, size=None, stories=None):
        docs = np.flatnonzero(matched)
        days = columns.days()[docs]
        dated = days >= 0
        days, docs = days[dated], docs[dated]
        if not len(days) or int(days.max()) - int(days.min()) >= DAY_FACET_SPAN:
            return []
        if stories is not None:  # a story once a day
            story = stories[docs]
            width = int(story.max()) + 1
            days = np.unique(days.astype(np.int64) * width + story) // width
        values, counts = np.unique(days, return_counts=True)
        return [{"value": date.fromordinal(int(v)).isoformat(), "count": int(c)} for v, c in zip(values, counts)]


class LanguageFacet(Facet):
    name, column = "language", "languages"


class SourceFacet(Facet):
    name, column = "source", "source"


def facets_for(types: dict[str, str], discovered: DiscoveredActors | None = None) -> dict[str, Facet]:
    """Every facet kind, by name."""
    facets = (
        ActorFacet(types, discovered),
        MonthFacet(),
        YearFacet(),
        DayFacet(),
        LanguageFacet(),
        SourceFacet(),
    )
    return {f.name: f for f in facets}
