"""Field lengths from memory, for scoring and for writing segments.

BM25 scoring needs the length of the matched field in each matching document, and so does
Whoosh when it writes postings. Whoosh reads that length back from a column on disk, one
seek and read per posting. Here a field's lengths are read once per segment into a list
and looked up from there: same numbers, a fraction of the time. :func:`install` makes
Whoosh's per-document reader use them; it is called by the modules that search and write.
:func:`length_array` gives the same lengths as a NumPy array, for scoring whole posting
lists at once (``search.evaluation``).
"""

from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

#: byte -> length, as Whoosh decodes it (a zero byte means no length: None)
_DECODE = [None] + [byte_to_length(b) for b in range(1, 256)]
#: the same as floats, a zero byte read as 1 (as Whoosh's scorer reads a missing length)
_DECODE_FLOAT = np.array([1.0] + _DECODE[1:], dtype=np.float64)


def _codes(reader, fieldname: str) -> np.ndarray | None:
    """Every document's encoded length byte of ``fieldname`` in one segment, or None
    without a column."""
    column = reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    size = reader.doc_count_all()
    return np.fromiter((column[i] for i in range(size)), dtype=np.int64, count=size)


def load_lengths(reader, fieldname: str) -> list | None:
    """Every document's length of ``fieldname`` in one segment, or None without a column."""
    codes = _codes(reader, fieldname)
    if codes is None:
        return None
    decode = _DECODE
    return [decode[code] for code in codes.tolist()]


def length_array(reader, fieldname: str) -> np.ndarray | None:
    """The same lengths as a float array (1 where a document has none, as Whoosh's
    scorer assumes), or None without a column."""
    codes = _codes(reader, fieldname)
    return None if codes is None else _DECODE_FLOAT[codes]


def _doc_field_length(self, docnum, fieldname, default=0):
    cache = self.__dict__.get("_lengths_cache")
    if cache is None:
        cache = self.__dict__["_lengths_cache"] = {}
    lengths = cache.get(fieldname, False)
    if lengths is False:
        lengths = cache[fieldname] = load_lengths(self, fieldname)
    if lengths is None:
        return default
    return lengths[docnum]


def install() -> None:
    """Make Whoosh's segment readers answer field lengths from memory (idempotent)."""
    W3PerDocReader.doc_field_length = _doc_field_length
