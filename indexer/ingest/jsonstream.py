"""JSON streams: the records of a JSON-lines or JSON file, read lazily in bounded memory.

Between walking (:mod:`indexer.ingest.walking`) and articles: :func:`iter_raw_records` cuts a
``.json``/``.jsonl``/``.ndjson`` file of any size into :class:`RawRecord` objects (a
record's bytes, its place in the file, its byte offset) without reading the whole file,
so that the indexer can hash records and share them among worker processes;
:func:`record_article` parses one into an :class:`~indexer.ingest.article.Article`.

A file is read as one of three shapes, from its first bytes:

* a JSON list (first character ``[``): its elements, ``where`` ``"#N"``;
* JSON lines (a ``.jsonl``/``.ndjson`` file, or a ``.json`` file whose first line is a
  whole JSON value): one record a line, ``where`` ``":LINE"``; each line is decoded on
  its own, so a bad byte or a bad line spoils only its record;
* a JSON document (a ``.json`` file holding one value over several lines; or several,
  one after the other): ``where`` ``":LINE"`` of each value's first line. A ``.json``
  file that is none of these is one Problem, saying where its first value breaks.

A ``.json`` file with a single record (one line, or one value) gives it with ``where``
``""``; a JSON-lines file (``.jsonl``, ``.ndjson``) always gives line numbers.
UTF-16 and UTF-32 files are read too (their records' bytes are then given in UTF-8).
Nothing here raises for bad input: a record that cannot be read is a one-line
:class:`~indexer.ingest.article.Problem` naming the file and the record, and reading goes on.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .. import settings
from .article import Article, Problem
from .decoding import decode, human_size, sniff_encoding
from .walking import article_id

JSON_FIELDS = ("id", "url", "title", "date", "source", "lang", "text", "html")
#: Strings may hold raw tabs and line ends, as scraped dumps often do.
DECODER = json.JSONDecoder(strict=False)
SPACE = re.compile(r"[ \t\r\n]*")
#: Where a list may go on after a broken element: the next element that is an object.
RESYNC = re.compile(r",[ \t\r\n]*(?=\{)")


@dataclass
class RawRecord:
    """One record as found in its file, not yet parsed."""

    where: str  # ":LINE" (1-based) for JSON lines, "#N" for a list's Nth element, "" for a single record
    data: bytes  # the record's JSON bytes, exactly as in the file (no line end)
    offset: int  # byte offset of the record in the file


# --- the file's shape ----------------------------------------------------------------------


def iter_raw_records(file: Path, start: int = 0) -> Iterator[RawRecord | Problem]:
    """Records of a .json/.jsonl/.ndjson file, lazily, in bounded memory (reads in chunks).

    ``start``: a byte offset to resume from, the start of a line of a JSON-lines file
    (the lines before it are counted, not parsed); in a list or a document, the records
    before ``start`` are read but not given. Memory is bounded by the chunk size and
    :data:`settings.MAX_RECORD_BYTES`, whatever the size of the file; a record over that
    limit is refused without being held whole.
    """
    file = Path(file)
    try:
        handle = open(file, "rb")
    except OSError as exc:
        yield Problem(str(file), f"unreadable: {exc.strerror or exc}")
        return
    given, shape = 0, ""
    with handle:
        try:
            head = handle.read(settings.ENCODING_SNIFF_BYTES)
            codec, bom = sniff_encoding(head)
            if codec is None and head.count(b"\x00") > len(head) * settings.UTF16_MIN_NUL_SHARE:
                yield Problem(str(file), "refused: binary file")
                return  # a few NULs are bad records, each refused alone
            codec = codec or "utf-8"
            shape = _shape(handle, file, head, codec, bom)
            if isinstance(shape, _Bad):
                yield Problem(str(file), shape.reason())
                return
            if shape == "list":
                items = _values(handle, file, codec, bom, start, in_list=True)
            elif shape == "document":
                items = _values(handle, file, codec, bom, start, in_list=False)
            else:
                items = _lines(handle, file, codec, bom, start)
            for item in items:
                given += 1
                yield item
        except OSError as exc:
            yield Problem(str(file), f"unreadable: {exc.strerror or exc}")
            return
    if not given and not start:
        yield Problem(str(file), "refused: empty list" if shape == "list" else "refused: empty file")


def _shape(handle: BinaryIO, file: Path, head: bytes, codec: str, bom: int) -> str | _Bad:
    """ "list", "lines" or "document" (see the module's docstring); for a ``.json`` file
    that is none of them, why its first value does not parse."""
    text = head[bom:].decode(codec, errors="ignore").lstrip(" \t\r\n")
    if text.startswith("["):
        # a JSON-lines file holds objects: there, "[" opens a list only when objects
        # (or its end) follow; a line such as "[not json" is one bad record
        after = text[1:].lstrip(" \t")
        if file.suffix.lower() == ".json" or not after or after[0] in "{]\r\n":
            return "list"
        return "lines"
    if file.suffix.lower() != ".json" or not text:
        return "lines"
    handle.seek(bom)
    first = next((data for _, data in _line_source(handle, codec, bom) if data is None or data.strip()), None)
    if first is not None:
        try:
            DECODER.decode(first.decode("utf-8", errors="replace"))
            return "lines"
        except ValueError:
            pass
    handle.seek(bom)
    try:
        next(_Values(handle, codec, bom).values(in_list=False), None)
    except _Bad as bad:
        return bad
    return "document"


# --- JSON lines ----------------------------------------------------------------------------


def _lines(handle: BinaryIO, file: Path, codec: str, bom: int, start: int) -> Iterator[RawRecord | Problem]:
    start = max(start, bom)
    line_no = 1 + (_count_lines(handle, start, codec) if start > bom else 0)
    handle.seek(start)
    held: RawRecord | None = None  # the first record, until a second item shows it is not alone
    alone = start == bom and file.suffix.lower() == ".json"
    for offset, data in _line_source(handle, codec, start):
        n = line_no
        line_no += 1
        if data is None:
            item: RawRecord | Problem = Problem(
                f"{file}:{n}", f"refused: record over the {human_size(settings.MAX_RECORD_BYTES)} limit"
            )
        elif not data.strip():
            continue
        else:
            item = RawRecord(f":{n}", data, offset)
        if alone and isinstance(item, RawRecord):
            held, alone = item, False
            continue
        alone = False
        if held is not None:
            yield held
            held = None
        yield item
    if held is not None:  # the only record of the file
        yield RawRecord("", held.data, held.offset)


def _line_source(handle: BinaryIO, codec: str, offset: int) -> Iterator[tuple[int, bytes | None]]:
    return _utf8_lines(handle, offset) if codec == "utf-8" else _wide_lines(handle, codec, offset)


def _utf8_lines(handle: BinaryIO, offset: int) -> Iterator[tuple[int, bytes | None]]:
    """``(offset, line without its end)`` of each line from ``offset`` (where ``handle``
    is); ``None`` for a line over the record limit, which is skipped, never held whole."""
    limit = settings.MAX_RECORD_BYTES
    while line := handle.readline(limit + 1):
        at = offset
        offset += len(line)
        if len(line) > limit and not line.endswith(b"\n"):
            while rest := handle.readline(settings.JSON_CHUNK_BYTES):
                offset += len(rest)
                if rest.endswith(b"\n"):
                    break
            yield at, None
            continue
        yield at, _strip_line_end(line)


def _wide_lines(handle: BinaryIO, codec: str, offset: int) -> Iterator[tuple[int, bytes | None]]:
    """As :func:`_utf8_lines`, for UTF-16/32 text; each line is given in UTF-8."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    limit, line_end = settings.MAX_RECORD_BYTES, len("\n".encode(codec))
    pending, pending_width, skipping = "", 0, False
    while True:
        chunk = handle.read(settings.JSON_CHUNK_BYTES)
        *complete, rest = decoder.decode(chunk, final=not chunk).split("\n")
        for part in complete:
            line = pending + part
            too_big = skipping or len(line) > limit
            yield offset, None if too_big else _strip_line_end(line.encode("utf-8"))
            offset += pending_width + len(part.encode(codec)) + line_end
            pending, pending_width, skipping = "", 0, False
        pending_width += len(rest.encode(codec))
        if not skipping:
            pending += rest
            if len(pending) > limit:
                pending, skipping = "", True
        if not chunk:
            if pending_width:
                yield offset, None if skipping else _strip_line_end(pending.encode("utf-8"))
            return


def _strip_line_end(line: bytes) -> bytes:
    if line.endswith(b"\n"):
        line = line[:-1]
    if line.endswith(b"\r"):
        line = line[:-1]
    return line


def _count_lines(handle: BinaryIO, end: int, codec: str) -> int:
    """Line ends in the file before byte ``end``, read in chunks."""
    handle.seek(0)
    count, left = 0, end
    decoder = None if codec == "utf-8" else codecs.getincrementaldecoder(codec)(errors="replace")
    while left > 0:
        chunk = handle.read(min(left, settings.JSON_CHUNK_BYTES))
        if not chunk:
            break
        left -= len(chunk)
        count += chunk.count(b"\n") if decoder is None else decoder.decode(chunk).count("\n")
    return count


def parse_error(message: str, place: str) -> str:
    """The reason for a value that does not parse: the parser's message and where it
    stopped (a message that ends with "at", as "Unterminated string starting at", takes
    the place without a second one)."""
    joint = " " if message.endswith(" at") else " at "
    return f"refused: JSON does not parse ({message}{joint}{place})"


# --- JSON lists and documents --------------------------------------------------------------


class _Bad(Exception):
    """A value that does not parse: the parser's message, where (line and column in the
    file; ``at``, the index in the buffer), and whether the file or the size limit cut it."""

    def __init__(self, message: str, where: tuple[int, int], at: int, end_of_file: bool = False, too_big: bool = False):
        super().__init__(message)
        self.message, (self.line, self.column), self.at = message, where, at
        self.end_of_file, self.too_big = end_of_file, too_big

    def reason(self) -> str:
        if self.too_big:
            return f"refused: record over the {human_size(settings.MAX_RECORD_BYTES)} limit"
        return parse_error(self.message, f"line {self.line}, column {self.column}")


class _Values:
    """JSON values read one after another from a sliding text buffer, filled in chunks.

    ``buf[pos:]`` is what is not consumed yet; consumed text is dropped when more is read,
    so the buffer holds about one chunk, or one record while it is being read.
    """

    def __init__(self, handle: BinaryIO, codec: str, offset: int):
        self.handle, self.codec = handle, codec
        self.errors = "surrogateescape" if codec == "utf-8" else "replace"
        self.decoder = codecs.getincrementaldecoder(codec)(errors=self.errors)
        self.buf, self.pos = "", 0
        self.pos_bytes = offset  # the byte offset of buf[pos] in the file
        self.line_base, self.column_base = 1, 0  # where buf[0] is in the file
        self.eof = False
        self.opened = False  # past the "[" of a list

    def more(self, size: int = 0) -> bool:
        """Read one more chunk (at least ``size`` bytes); False at the end of the file."""
        if self.eof:
            return False
        if self.pos > len(self.buf) // 2:
            consumed = self.buf[: self.pos]
            newline = consumed.rfind("\n")
            self.column_base = self.pos - newline - 1 if newline >= 0 else self.column_base + self.pos
            self.line_base += consumed.count("\n")
            self.buf, self.pos = self.buf[self.pos :], 0
        chunk = self.handle.read(max(size, settings.JSON_CHUNK_BYTES))
        self.buf += self.decoder.decode(chunk, final=not chunk)
        self.eof = not chunk
        return True

    def advance(self, to: int) -> None:
        self.pos_bytes += len(self.buf[self.pos : to].encode(self.codec, self.errors))
        self.pos = to

    def where(self, index: int) -> tuple[int, int]:
        """Line and column (1-based) of ``buf[index]`` in the file."""
        newline = self.buf.rfind("\n", 0, index)
        column = index - newline if newline >= 0 else self.column_base + index + 1
        return self.line_base + self.buf.count("\n", 0, index), column

    def skip_space(self) -> str:
        """Move past white space; the next character, or "" at the end of the file."""
        while True:
            self.advance(SPACE.match(self.buf, self.pos).end())
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def value(self) -> str:
        """The text of the JSON value at ``pos`` (not moved past), or :class:`_Bad`."""
        while True:
            try:
                _, end = DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self.buf) - settings.CUT_SHORT_MARGIN or exc.msg.startswith("Unterminated")
                if cut and self._grow():
                    continue
                if self.eof:  # cut short only if nothing but space follows where it stopped
                    cut = exc.msg.startswith("Unterminated") or not self.buf[exc.pos :].strip()
                raise _Bad(
                    exc.msg, self.where(exc.pos), exc.pos, end_of_file=cut and self.eof, too_big=cut and not self.eof
                ) from None
            if end == len(self.buf) and self.buf[self.pos] not in '{["' and self._grow():
                continue  # a number at the end of the buffer may go on in the next chunk
            if (
                end - self.pos > settings.MAX_RECORD_BYTES
                and len(self.buf[self.pos : end].encode(self.codec, self.errors)) > settings.MAX_RECORD_BYTES
            ):
                raise _Bad("", self.where(self.pos), self.pos, too_big=True)
            return self.buf[self.pos : end]

    def _grow(self) -> bool:
        """Read more for the value at ``pos``, doubling what is held; False at the end of
        the file, or when the value is already over the record limit."""
        held = len(self.buf) - self.pos
        return held <= settings.MAX_RECORD_BYTES and self.more(held)

    def data(self, text: str) -> bytes:
        """A value's bytes: as in the file for UTF-8 (even where it is not), else UTF-8."""
        return text.encode("utf-8", self.errors if self.codec == "utf-8" else "strict")

    def values(self, in_list: bool) -> Iterator[tuple[bytes, int, int]]:
        """``(bytes, byte offset, line)`` of each value: of a list (line 0: not counted),
        or one after another."""
        if in_list and not self.opened:
            self.skip_space()
            self.advance(self.pos + 1)  # "["
            self.opened = True
            if self.skip_space() == "]":
                return self._after_list()
        while True:
            if not self.skip_space():
                if in_list:
                    raise _Bad("the list is not closed", self.where(self.pos), self.pos, end_of_file=True)
                return
            text = self.value()
            offset, line = self.pos_bytes, 0 if in_list else self.where(self.pos)[0]
            data = self.data(text)
            self.pos += len(text)
            self.pos_bytes += len(data) if self.codec == "utf-8" else len(text.encode(self.codec, self.errors))
            yield data, offset, line
            if in_list:
                after = self.skip_space()
                if after == "]":
                    return self._after_list()
                if not after:
                    raise _Bad("the list is not closed", self.where(self.pos), self.pos, end_of_file=True)
                if after != ",":
                    raise _Bad("Expecting ',' delimiter", self.where(self.pos), self.pos)
                self.advance(self.pos + 1)

    def _after_list(self) -> None:
        self.advance(self.pos + 1)  # "]"
        if self.skip_space():
            raise _Bad("Extra data", self.where(self.pos), self.pos)

    def resync(self, after: int) -> bool:
        """After a broken element, move to the next element that parses and is followed
        by ``,`` or ``]``, searching from ``buf[after]``; False if there is none."""
        searched = max(after, self.pos + 1)
        while True:
            match = RESYNC.search(self.buf, searched)
            if match is None:
                self.advance(max(self.pos, len(self.buf) - 64))  # a match may straddle chunks
                if not self.more():
                    return False
                searched = self.pos
                continue
            self.advance(match.end())
            try:
                length = len(self.value())
            except _Bad:
                searched = self.pos + 1
                continue
            rest = SPACE.match(self.buf, self.pos + length).end()
            while rest == len(self.buf) and self.more():
                rest = SPACE.match(self.buf, self.pos + length).end()
            if rest < len(self.buf) and self.buf[rest] in ",]":
                return True
            searched = self.pos + 1


def _values(
    handle: BinaryIO, file: Path, codec: str, bom: int, start: int, in_list: bool
) -> Iterator[RawRecord | Problem]:
    """The elements of a JSON list, or the values of a JSON document."""
    handle.seek(bom)
    stream = _Values(handle, codec, bom)
    count = 0
    held: RawRecord | None = None  # a document's first value, until a second shows it is not alone
    while True:
        try:
            for data, offset, line in stream.values(in_list):
                count += 1
                if offset < start:
                    continue
                record = RawRecord(f"#{count}" if in_list else f":{line}", data, offset)
                if not in_list and count == 1:
                    held = record
                    continue
                if held is not None:
                    yield held
                    held = None
                yield record
            break
        except _Bad as bad:
            if held is not None:
                yield held
                held = None
            if bad.message == "Extra data":
                yield Problem(
                    str(file),
                    f"refused: JSON does not parse (text after the end of the list "
                    f"at line {bad.line}, column {bad.column})",
                )
                return
            if bad.end_of_file:
                inside = (
                    "the list is not closed"
                    if bad.message == "the list is not closed"
                    else (
                        f"the file ends inside element #{count + 1}"
                        if in_list
                        else f"the file ends inside the value at line {bad.line}"
                    )
                )
                yield Problem(str(file), f"refused: JSON does not parse ({inside})")
                return
            count += 1
            label = f"{file}#{count}" if in_list else f"{file}:{bad.line}"
            if not in_list or not stream.resync(bad.at):
                yield Problem(label, bad.reason() + "; the rest of the file could not be read")
                return
            yield Problem(label, bad.reason())
    if held is not None:
        yield RawRecord("", held.data, held.offset)


# --- records into articles -----------------------------------------------------------------


def record_article(raw: RawRecord, file: Path, root: Path, single: bool) -> Article | Problem:
    """Parse one raw record (its bytes decoded as :func:`~indexer.ingest.decoding.decode` does)
    into an Article, or a one-line Problem naming the file and the record's place.

    ``single``: the record is the file's only one, so its fallback id is the file's.
    """
    label = f"{file}{raw.where}"
    text, warning = decode(raw.data)
    try:
        obj = DECODER.decode(text)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno}, column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        return Problem(label, parse_error(exc.msg, at))
    article = object_article(obj, file, root, "" if single else raw.where, label)
    if isinstance(article, Article):
        article.where = raw.where
        if warning:
            article.warnings.append(warning)
    return article


def object_article(obj, file: Path, root: Path, where: str, label: str | None = None) -> Article | Problem:
    """An Article of a parsed JSON record, or a Problem for ``label`` (default: the file
    followed by ``where``). Its id: its ``id``, else its ``url``, else the file's id
    followed by ``where``."""
    label = label or f"{file}{where}"
    if not isinstance(obj, dict):
        return Problem(label, f"refused: a record must be a JSON object, not {_json_type(obj)}")
    bad = [k for k in JSON_FIELDS if k in obj and obj[k] is not None and not isinstance(obj[k], (str, int))]
    if bad:
        return Problem(label, f"refused: field {bad[0]!r} must be a string")
    text, html = obj.get("text"), obj.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        return Problem(label, "refused: record has no 'text' or 'html'")
    ident = obj.get("id") or obj.get("url") or f"{article_id(file, root)}{where}"

    def field(name):
        value = obj.get(name)
        return str(value).strip() or None if value is not None else None

    return Article(
        id=str(ident),
        path=str(file),
        text=text if isinstance(text, str) else "",
        html=html if isinstance(html, str) and not (isinstance(text, str) and text.strip()) else None,
        title=field("title"),
        date=field("date"),
        source=field("source"),
        url=field("url"),
        lang=field("lang"),
    )


def _json_type(obj) -> str:
    """The JSON name of a value's type (users write JSON, not Python)."""
    if isinstance(obj, list):
        return "a list"
    if isinstance(obj, str):
        return "a string"
    if isinstance(obj, bool):
        return "true or false"
    if isinstance(obj, (int, float)):
        return "a number"
    return "null"
