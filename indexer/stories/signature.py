"""An article's signature: what the grouping of copies compares, computed in the workers.

Two parts, both small NumPy arrays:

* for copies in one language: the hashes of the article's 3-word shingles (sorted, unique,
  32 bits) and the keys of its LSH bands, made from a one-permutation MinHash of those
  shingles. Nothing is done word by word in Python: the text's UTF-8 bytes are split into
  words and every word hashed at once with NumPy (:func:`words`), shingles combine three
  word hashes, and the MinHash is read from the sorted shingle hashes;
* for translations: the article's language-independent evidence, hashed (actors of the
  alias table, discovered names, numbers, URLs, capitalised words not opening a sentence;
  not the names an article merely mentions, whose words are its capitalised words already,
  and which a German or Russian article has by the hundred).

The hashes are stable across processes and runs (no Python ``hash``), so signatures stored
beside the index stay comparable with the next run's.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np

from .. import settings
from ..ingest.discovery import MENTION

_URL = re.compile(r"https?://([^\s)\]\"'<>]+)", re.I)

# Bytes of UTF-8 text: word bytes (ASCII letters, digits, underscore, and every byte of a
# character beyond ASCII), ASCII capitals, digits, and the lower case of each byte.
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[[*range(48, 58), *range(65, 91), 95, *range(97, 123), *range(128, 256)]] = True
_CAPITAL_BYTE = np.zeros(256, dtype=bool)
_CAPITAL_BYTE[65:91] = True
_DIGIT_BYTE = np.zeros(256, dtype=bool)
_DIGIT_BYTE[48:58] = True
_SPACE_BYTE = np.zeros(256, dtype=bool)
_SPACE_BYTE[[9, 32, 34, 39, 40, 171, 187]] = True  # quotes and brackets too
_OPENS = np.zeros(256, dtype=bool)  # what ends a sentence or a line
_OPENS[[ord("."), ord("!"), ord("?"), ord(":"), 10, 13]] = True
_LOWER = np.arange(256, dtype=np.uint64)
_LOWER[65:91] += 32

_BASE = np.uint64(0x100000001B3)  # odd: invertible modulo 2**64
_BASE_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_SHINGLE = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_MIX = np.uint64(0xFF51AFD7ED558CCD)
_NUMBER_TAG = np.uint64(0x5851F42D4C957F2D)
_CAPITAL_TAG = np.uint64(0x14057B7EF767814F)
_BINS_SHIFT = np.uint64(64 - (settings.STORY_MINHASH - 1).bit_length())
_DENSIFY = np.uint64(0x2545F4914F6CDD1D)


@dataclass
class Signature:
    """What grouping knows of one article."""

    id: str
    language: str
    #: days since 0001-01-01, or -1 when the article has no date
    day: int
    #: sorted unique 32-bit hashes of its 3-word shingles
    shingles: np.ndarray
    #: one 64-bit key per LSH band (empty when the article has too few words)
    bands: np.ndarray
    #: sorted unique 64-bit hashes of its language-independent evidence
    evidence: np.ndarray


_POWERS: dict[int, np.ndarray] = {}


def _powers(base: np.uint64, n: int) -> np.ndarray:
    """base**0 .. base**(n-1) modulo 2**64 (kept, and grown when a longer text needs more)."""
    known = _POWERS.get(int(base))
    if known is None or len(known) < n:
        size = max(n, 2 * len(known) if known is not None else 1 << 16)
        out = np.full(size, base, dtype=np.uint64)
        out[0] = 1
        with np.errstate(over="ignore"):
            known = _POWERS[int(base)] = np.cumprod(out, dtype=np.uint64)
    return known[:n]


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted unique values (a sort: faster than NumPy's hashing ``unique`` on small arrays)."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _mix(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(33))) * _MIX
        return h ^ (h >> np.uint64(29))


@dataclass
class _Words:
    hashes: np.ndarray  # 64-bit hash of each word, lower case (ASCII letters folded)
    numbers: np.ndarray  # hashes of the words of two digits or more
    capitals: np.ndarray  # hashes of the capitalised words (4 letters or more) not opening a sentence


def words(text: str) -> _Words:
    """Every word of ``text`` hashed at once: a polynomial hash of its bytes, from prefix sums
    (the hash of bytes s..e is B**(e-1) * (P[e] - P[s]) with P the sums of byte * B**-j)."""
    raw = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    n = len(raw)
    empty = np.zeros(0, dtype=np.uint64)
    if n == 0:
        return _Words(empty, empty, empty)
    is_word = np.zeros(n + 2, dtype=np.int8)
    is_word[1:-1] = _WORD_BYTE[raw]
    edges = np.diff(is_word)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if not len(starts):
        return _Words(empty, empty, empty)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(_LOWER[raw] * _powers(_BASE_INV, n), dtype=np.uint64, out=prefix[1:])
        hashes = _mix((prefix[ends] - prefix[starts]) * _powers(_BASE, n)[ends - 1] + (ends - starts).astype(np.uint64))
    lengths = ends - starts
    digits = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(_DIGIT_BYTE[raw], out=digits[1:])
    numbers = hashes[(lengths >= 2) & (digits[ends] - digits[starts] == lengths)] ^ _NUMBER_TAG
    # a word opens a sentence when the text, a line, or a sentence ends just before it (one
    # space or quote between)
    p1 = raw[np.maximum(starts - 1, 0)]
    p2 = raw[np.maximum(starts - 2, 0)]
    opening = (starts == 0) | _OPENS[p1] | (_SPACE_BYTE[p1] & ((starts == 1) | _OPENS[p2]))
    capitals = hashes[_CAPITAL_BYTE[raw[starts]] & (lengths >= 4) & ~opening] ^ _CAPITAL_TAG
    return _Words(hashes, numbers, capitals)


def shingle_hashes(text: str, found: _Words | None = None) -> np.ndarray:
    """Sorted unique 64-bit hashes of the 3-word shingles of ``text``."""
    h = (found or words(text)).hashes
    if len(h) < 3:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return _unique(_mix(h[:-2] * _SHINGLE[0] + h[1:-1] * _SHINGLE[1] + h[2:] * _SHINGLE[2]))


def band_keys(shingles: np.ndarray) -> np.ndarray:
    """The LSH band keys of sorted shingle hashes: a one-permutation MinHash (the hashes'
    top bits pick one of ``STORY_MINHASH`` bins; a bin's smallest hash is its value; an empty
    bin takes the next full bin's, shifted by how far it is), cut into bands of
    ``STORY_BAND_ROWS`` rows, each band hashed to 64 bits."""
    if len(shingles) < settings.STORY_MIN_SHINGLES:
        return np.zeros(0, dtype=np.uint64)
    k = settings.STORY_MINHASH
    bins = (shingles >> _BINS_SHIFT).astype(np.int64)
    first = np.searchsorted(bins, np.arange(k))
    full = np.zeros(k, dtype=bool)
    full[bins] = True
    values = np.where(full, shingles[np.minimum(first, len(shingles) - 1)], np.uint64(0))
    # the next full bin of each bin, circularly
    index = np.where(full, np.arange(k), 2 * k)
    nxt = np.minimum.accumulate(np.r_[index, index + k][::-1])[::-1][:k]
    distance = (nxt - np.arange(k)).astype(np.uint64)
    with np.errstate(over="ignore"):
        minhash = values[nxt % k] + distance * _DENSIFY
        rows = minhash.reshape(-1, settings.STORY_BAND_ROWS)
        key = np.zeros(rows.shape[0], dtype=np.uint64)
        for r in range(rows.shape[1]):
            key = _mix(key ^ rows[:, r])
        # the band's number, so that equal keys of two different bands never meet
        key = key ^ np.arange(rows.shape[0], dtype=np.uint64)
    return key


def _hash64(token: str) -> int:
    data = token.encode("utf-8", "surrogatepass")
    return ((zlib.crc32(data) & 0x7FFFFFFF) << 32) | zlib.adler32(data)


def evidence(text: str, actors: list[str], names: list[str], found: _Words | None = None) -> np.ndarray:
    """The hashes of what a translation keeps: actors, discovered names, numbers (two
    digits or more: separators split them alike in every language), URLs (host and path),
    capitalised words not opening a sentence."""
    found = found or words(text)
    tokens = {"a:" + a for a in actors}
    tokens.update("n:" + n for n in names)
    if "://" in text:
        for m in _URL.finditer(text):
            tokens.add("u:" + m.group(1).rstrip(".,;").lower().removeprefix("www."))
    named = np.fromiter((_hash64(t) for t in tokens), dtype=np.int64, count=len(tokens)).view(np.uint64)
    return _unique(np.concatenate([named, found.numbers, found.capitals])).view(np.int64)


def day_number(value: str | None) -> int:
    try:
        return date.fromisoformat((value or "")[:10]).toordinal()
    except ValueError:
        return -1


def make(
    doc_id: str, text: str, language: str | None, when: str | None, actors: list[str], names: list[str]
) -> Signature:
    found = words(text)
    shingles = shingle_hashes(text, found)
    return Signature(
        doc_id,
        language or "",
        day_number(when),
        _unique((shingles >> np.uint64(32)).astype(np.uint32)),
        band_keys(shingles),
        evidence(text, actors, names, found),
    )


def of_record(record) -> Signature:
    """The signature of a :class:`indexer.ingest.article.Record`."""
    return make(
        record.id,
        record.text,
        record.language,
        record.date,
        [a.name for a in record.actors],
        [n.key for n in record.names if n.type != MENTION],
    )


def of_stored(record: dict) -> Signature:
    """The signature of a document's stored record (its JSON)."""
    return make(
        record.get("id") or "",
        "\n\n".join(p.get("text") or "" for p in record.get("paragraphs") or ()),
        record.get("language"),
        record.get("date"),
        [a.get("name") or "" for a in record.get("actors") or ()],
        [n[0] for n in record.get("names") or () if n and (len(n) < 2 or n[1] != MENTION)],
    )
