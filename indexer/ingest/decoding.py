"""Decoding: a corpus file's bytes into text, and the check that the text is language.

The first step of reading a file (:mod:`indexer.ingest.readers`), and of reading one JSON record
(:mod:`indexer.ingest.jsonstream`):

* :func:`read_bytes` reads a file, refusing an empty, unreadable or oversized one;
* :func:`decode` turns bytes into text: UTF-32 and UTF-16 by their byte-order mark, or
  without one by where the NUL bytes of ASCII-heavy text fall; else UTF-8 (with or without
  BOM); else line by line, UTF-8 where a line is UTF-8 and cp1252 elsewhere, with one
  warning saying how much was not UTF-8;
* :func:`not_text` says why decoded text is not language (NUL bytes, control characters,
  undecodable or C1 characters, too few letters), so that random bytes or a compressed or
  image file renamed ``.txt`` are refused rather than indexed.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections import Counter
from pathlib import Path

from .. import settings
from .article import Problem

#: Byte-order marks, longest first (UTF-32 LE's starts with UTF-16 LE's).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Control characters that are part of ordinary text.
TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def human_size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def read_bytes(file: Path, limit: int | None = None) -> bytes | Problem:
    """The file's bytes, or a Problem if it is unreadable, empty or over ``limit`` bytes
    (default :data:`settings.MAX_FILE_BYTES`)."""
    limit = settings.MAX_FILE_BYTES if limit is None else limit
    try:
        size = file.stat().st_size
        if size == 0:
            return Problem(str(file), "refused: empty file")
        if size > limit:
            return Problem(str(file), f"refused: {human_size(size)} is over the {human_size(limit)} limit")
        data = file.read_bytes()
    except OSError as exc:
        return Problem(str(file), f"unreadable: {exc.strerror or exc}")
    if not data.strip():
        return Problem(str(file), "refused: empty file")
    return data


def sniff_encoding(head: bytes) -> tuple[str | None, int]:
    """``(codec, BOM length)`` of a UTF-8 (with BOM), UTF-16 or UTF-32 text from its first
    bytes; ``(None, 0)`` when there is neither BOM nor the NUL pattern of a wide encoding."""
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    sample = head[: settings.ENCODING_SNIFF_BYTES]
    if b"\x00" not in sample:
        return None, 0
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 4:
        return None, 0

    def nul_share(start: int, step: int) -> float:
        column = sample[start::step]
        return column.count(0) / len(column)

    # UTF-32 text outside the rare astral planes has two NUL bytes in every four
    if nul_share(3, 4) == 1.0 and nul_share(2, 4) >= 0.9:
        return "utf-32-le", 0
    if nul_share(0, 4) == 1.0 and nul_share(1, 4) >= 0.9:
        return "utf-32-be", 0
    # UTF-16: the high byte of ASCII (spaces, digits, Latin letters) is NUL, the low one never
    odd, even = nul_share(1, 2), nul_share(0, 2)
    if odd >= settings.UTF16_MIN_NUL_SHARE and odd >= even * settings.UTF16_NUL_RATIO:
        return "utf-16-le", 0
    if even >= settings.UTF16_MIN_NUL_SHARE and even >= odd * settings.UTF16_NUL_RATIO:
        return "utf-16-be", 0
    return None, 0


def decode_wide(data: bytes) -> str | None:
    """The text of UTF-16 or UTF-32 ``data`` (by BOM or NUL pattern), or None if it is not
    (or does not decode cleanly as) one of them."""
    codec, skip = sniff_encoding(data)
    if codec is None or codec == "utf-8":
        return None
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode a file's bytes; return ``(text, warning)``.

    UTF-16/32 (see :func:`sniff_encoding`), else UTF-8 (BOM or not), else line by line:
    UTF-8 where a line is, cp1252 where it is not. A file with no line of UTF-8 beyond
    ASCII is read as cp1252 whole ("not UTF-8 (byte N); read as cp1252"); a file mixing
    both says how many lines were not UTF-8 ("3 lines not UTF-8, read as cp1252").
    """
    wide = decode_wide(data)
    if wide is not None:
        return wide, None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        first_bad -= len(codecs.BOM_UTF8)
    fallback = settings.FALLBACK_ENCODING
    lines = data.split(b"\n")
    out: list[str] = []
    bad = utf8_beyond_ascii = 0
    for line in lines:
        try:
            text = line.decode("utf-8")
            utf8_beyond_ascii += not line.isascii()
        except UnicodeDecodeError:
            text = line.decode(fallback, errors="replace")
            bad += 1
        out.append(text)
    if not utf8_beyond_ascii:
        return "\n".join(out), f"not UTF-8 (byte {first_bad}); read as {fallback}"
    return "\n".join(out), f"{bad} line{'s' * (bad != 1)} not UTF-8, read as {fallback}"


def not_text(text: str, letters_check: bool = True) -> str | None:
    """Why ``text`` is not language (``"binary file"``, ``"not text (12% control
    characters)"``), or None. Looks at the first :data:`settings.TEXT_CHECK_CHARS`; the
    share of letters is not checked with ``letters_check=False`` (a page's markup)."""
    sample = text[: settings.TEXT_CHECK_CHARS]
    if "\x00" in sample:
        return "binary file"
    counts = Counter(sample)
    control = c1 = replaced = letters = visible = 0
    for char, n in counts.items():
        if char.isspace():
            continue
        visible += n
        if char.isalpha():
            letters += n
            continue
        code = ord(char)
        if code < 0x20 or code == 0x7F:
            control += n if char not in TEXT_CONTROLS else 0
        elif 0x80 <= code <= 0x9F:
            c1 += n
        elif char == "\ufffd":
            replaced += n
        elif unicodedata.category(char)[0] == "M":  # vowel signs and other marks of scripts
            letters += n
    total = len(sample)
    if not total:
        return None
    checks = (
        (control / total, settings.MAX_CONTROL_SHARE, "control characters"),
        (c1 / total, settings.MAX_C1_SHARE, "C1 control characters"),
        (replaced / total, settings.MAX_REPLACEMENT_SHARE, "undecodable bytes"),
    )
    for share, limit, what in checks:
        if share > limit:
            return f"not text ({_percent(share)} {what})"
    if letters_check and visible >= settings.LETTER_CHECK_MIN_CHARS and letters / visible < settings.MIN_LETTER_SHARE:
        return f"not text (only {_percent(letters / visible)} of its characters are letters)"
    return None


def _percent(share: float) -> str:
    return f"{share:.0%}" if share >= 0.01 else f"{share:.1%}"
