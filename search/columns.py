"""Columns in memory: each document's month, year, languages, source, actors and date.

Facets count values over every document a search matches, not just one page. Reading
Whoosh's columns document by document would cost microseconds per document and per
facet; instead each column is read once per index generation into NumPy arrays of value
codes, and a facet is then one ``bincount`` over the matching documents. Multi-valued
columns (actors, languages) are kept as (document, code) pairs. Dates, as day numbers,
sort results by date and weigh them by recency without Whoosh's per-document sort keys;
as Whoosh's numbers, they answer date ranges.
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from whoosh.util.times import datetime_to_long

_USECS_PER_DAY = 86_400_000_000
#: The last moment a datetime can hold; the date column's filler for "no date" is above it.
_LATEST = datetime_to_long(datetime.max)

MULTI = ("actors", "names", "languages")


@dataclass
class Column:
    values: list[str]  # code -> value
    codes: np.ndarray  # single: code per document (-1: none); multi: code per pair
    owners: np.ndarray | None = None  # multi: the document of each pair

    def counts(self, matched: np.ndarray, stories: np.ndarray | None = None) -> list[tuple[str, int]]:
        """(value, count) for the documents flagged in ``matched`` (a boolean array): how
        many documents have the value, or with ``stories`` (each document's story) how many
        stories."""
        if self.owners is None:
            docs = np.flatnonzero(matched)
            codes = self.codes[docs]
            keep = codes >= 0
            codes, docs = codes[keep], docs[keep]
        else:
            flagged = matched[self.owners]
            codes, docs = self.codes[flagged], self.owners[flagged]
        counts = count_codes(codes, docs, stories, len(self.values))
        return [(self.values[i], int(c)) for i in np.nonzero(counts)[0] for c in (counts[i],)]


def count_codes(codes: np.ndarray, docs: np.ndarray, stories: np.ndarray | None, size: int) -> np.ndarray:
    """For (code, document) pairs, how many documents each code has (``stories`` None), or
    how many stories: a story with several documents of one code counts once."""
    if stories is None or not len(codes):
        return np.bincount(codes, minlength=size)
    story = stories[docs]
    width = int(story.max()) + 1
    keys = np.unique(codes.astype(np.int64) * width + story)
    return np.bincount(keys // width, minlength=size)


def values_at(reader, name: str, docnums, translate: bool = True):
    """The value of a column of each of ``docnums`` (None when it has none), read segment
    by segment. Whoosh's ``MultiReader.column_reader`` leaves out a segment that has no
    value in the column at all (a segment of undated articles) and then reads its
    documents in another segment's column; and it does not pad a segment's column after
    its last document with a value, hence the IndexError."""
    leaves = reader.leaf_readers()
    offsets = [offset for _, offset in leaves]
    columns = [sub.column_reader(name, translate=translate) if sub.has_column(name) else None for sub, _ in leaves]
    for docnum in docnums:
        i = bisect_right(offsets, docnum) - 1
        column, value = columns[i], None
        if column is not None:
            try:
                value = column[docnum - offsets[i]]
            except IndexError:
                pass
        yield value.decode("utf-8") if isinstance(value, bytes) else value


def _values(reader, name: str, size: int, translate: bool = True):
    """Each document's value of a column (None when it has none)."""
    return values_at(reader, name, range(size), translate)


def _single(reader, name: str, size: int) -> Column:
    values: dict[str, int] = {}
    codes = np.full(size, -1, dtype=np.int32)
    for docnum, value in enumerate(_values(reader, name, size)):
        if value:
            codes[docnum] = values.setdefault(value, len(values))
    return Column(list(values), codes)


def _multi(reader, name: str, size: int) -> Column:
    values: dict[str, int] = {}
    codes, owners = [], []
    for docnum, raw in enumerate(_values(reader, name, size)):
        if raw:
            for value in raw.split(","):
                value = value.strip()
                if value:
                    codes.append(values.setdefault(value, len(values)))
                    owners.append(docnum)
    return Column(list(values), np.array(codes, dtype=np.int32), np.array(owners, dtype=np.int64))


class Columns:
    """The facet columns of one reader (one index generation)."""

    def __init__(self, reader):
        self.size = reader.doc_count_all()
        self._reader = reader
        self._columns: dict[str, Column] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()  # a cached array may load from another

    def _cached(self, name: str, load):
        value = self._arrays.get(name)
        if value is None:
            with self._lock:
                value = self._arrays.get(name)
                if value is None:
                    value = self._arrays[name] = load()
        return value

    def ids(self) -> list[str | None]:
        """Each document's article id, from its ``state`` column (None where it has none)."""

        def load():
            column = self._reader.column_reader("state")
            out: list[str | None] = []
            for docnum in range(self.size):
                try:
                    out.append(json.loads(column[docnum])[4])
                except (ValueError, TypeError, IndexError):
                    out.append(None)
            return out

        return self._cached("ids", load)

    def docnums(self) -> dict[str, int]:
        """The document number of each live article id."""

        def load():
            live = self.live()
            return {doc_id: n for n, doc_id in enumerate(self.ids()) if doc_id is not None and live[n]}

        return self._cached("docnums", load)

    def stories(self, story_map) -> np.ndarray:
        """Each document's story as an index from 0 (:meth:`search.story_map.StoryMap.dense`)."""
        return self._cached(f"stories-{id(story_map)}", lambda: story_map.dense(self.ids()))

    def days(self) -> np.ndarray:
        """Each document's date as a day number (``date.toordinal()``), -1 when undated."""

        def load():
            dates = self.dates()
            return np.where(dates >= 0, dates // _USECS_PER_DAY + 1, -1).astype(np.int32)

        return self._cached("days", load)

    def dates(self) -> np.ndarray:
        """Each document's date as Whoosh indexes it (``datetime_to_long``), -1 when undated.

        The column is read untranslated: an undated document holds the column's filler
        (the largest unsigned number), which is no datetime and is never turned into one.
        """

        def load():
            dates = np.full(self.size, -1, dtype=np.int64)
            for docnum, value in enumerate(_values(self._reader, "date", self.size, translate=False)):
                if value is not None and 0 <= value <= _LATEST:
                    dates[docnum] = value
            return dates

        return self._cached("dates", load)

    def live(self) -> np.ndarray:
        """True for each document not deleted."""

        def load():
            live = np.zeros(self.size, dtype=bool)
            live[np.fromiter(self._reader.all_doc_ids(), dtype=np.int64)] = True
            return live

        return self._cached("live", load)

    def __getitem__(self, name: str) -> Column:
        column = self._columns.get(name)
        if column is None:
            with self._lock:
                column = self._columns.get(name)
                if column is None:
                    load = _multi if name in MULTI else _single
                    column = self._columns[name] = load(self._reader, name, self.size)
        return column
