"""Field lengths from memory, for scoring.

BM25 scoring needs the length of the matched field in each matching document. Whoosh
reads it back from a column on disk, one seek and read per posting; here a field's
lengths are read once per segment (through :mod:`indexer.store.whoosh_compat`, which also
makes Whoosh's own per-document reader use them). :func:`load_lengths` gives them as a
list, :func:`length_array` as a NumPy array, for scoring whole posting lists at once
(``search.evaluation``).
"""

from __future__ import annotations

import numpy as np

from .whoosh_compat import LENGTH_OF_BYTE, length_codes

#: the same as floats, a zero byte read as 1 (as Whoosh's scorer reads a missing length)
_DECODE_FLOAT = np.array([1.0] + LENGTH_OF_BYTE[1:], dtype=np.float64)


def load_lengths(reader, fieldname: str) -> list | None:
    """Every document's length of ``fieldname`` in one segment (a segment reader), None for
    a document without one; or None when the field keeps no lengths."""
    codes = length_codes(reader)(fieldname)
    if codes is None:
        return None
    decode = LENGTH_OF_BYTE
    return [decode[code] for code in codes]


def length_array(reader, fieldname: str, docnums=None) -> np.ndarray | None:
    """The same lengths as a float array (1 where a document has none, as Whoosh's
    scorer assumes), of every document or of ``docnums`` only, or None without a column."""
    codes = length_codes(reader)(fieldname, None if docnums is None else [int(d) for d in docnums])
    return None if codes is None else _DECODE_FLOAT[np.array(codes, dtype=np.int64)]
