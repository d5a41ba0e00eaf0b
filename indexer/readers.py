"""Readers: turn corpus paths into raw :class:`~indexer.article.Article` objects.

A corpus path is a file or a directory walked recursively (hidden entries skipped). Each
file is checked (empty, too large, binary), decoded (UTF-8 with or without BOM, else
cp1252 with a warning) and read by the reader of its format:

* ``.txt``: plain text; an optional leading `` date YYYY-MM-DD`` marker is the date.
* ``.html``/``.htm``: a saved page; the text is extracted later, by the pipeline.
* ``.json``/``.jsonl``: one object, a list of objects, or one object per line, with any of
  ``id``, ``url``, ``title``, ``date``, ``source``, ``lang``, and ``text`` or ``html``.

Nothing here raises for bad input: a file or record that cannot be read becomes a
:class:`~indexer.article.Problem` with a one-line reason, and the walk goes on.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import settings
from .article import Article, Problem

DATE_MARKER = re.compile(r"\A\ufeff?\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
JSON_FIELDS = ("id", "url", "title", "date", "source", "lang", "text", "html")


def scan(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, str, os.stat_result] | Problem]:
    """``(file, root, stat)`` for every corpus file under ``paths``, in a stable order.

    Paths are absolute strings; ``root`` (resolved once) is what ids are relative to: the
    path itself for a directory, the file's folder for a file given by name.
    """
    for raw in paths:
        path = os.path.realpath(raw)
        if os.path.isdir(path):
            yield from _scan_dir(path, path)
        elif os.path.isfile(path):
            if os.path.splitext(path)[1].lower() in settings.SUFFIXES:
                yield path, os.path.dirname(path), os.stat(path)
            else:
                yield Problem(str(raw), f"refused: unknown file type {os.path.splitext(path)[1] or '(none)'!r}")
        else:
            yield Problem(str(raw), "not found")


def _scan_dir(directory: str, root: str):
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield Problem(directory, f"unreadable: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                yield from _scan_dir(entry.path, root)
            elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in settings.SUFFIXES:
                yield entry.path, root, entry.stat()
        except OSError as exc:
            yield Problem(entry.path, f"unreadable: {exc.strerror or exc}")


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, Path] | Problem]:
    """Every corpus file under ``paths`` as ``(file, root)`` (see :func:`scan`)."""
    for entry in scan(paths):
        yield entry if isinstance(entry, Problem) else (Path(entry[0]), Path(entry[1]))


def article_id(file: Path, root: Path) -> str:
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return file.name


def human_size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def read_bytes(file: Path) -> bytes | Problem:
    """The file's bytes, or a Problem if it is unreadable, empty, too large or binary."""
    try:
        size = file.stat().st_size
        if size == 0:
            return Problem(str(file), "refused: empty file")
        if size > settings.MAX_FILE_BYTES:
            return Problem(
                str(file), f"refused: {human_size(size)} is over the {human_size(settings.MAX_FILE_BYTES)} limit"
            )
        data = file.read_bytes()
    except OSError as exc:
        return Problem(str(file), f"unreadable: {exc.strerror or exc}")
    if b"\x00" in data[:8192]:
        return Problem(str(file), "refused: binary file")
    if not data.strip():
        return Problem(str(file), "refused: empty file")
    return data


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes as UTF-8 (BOM or not), else cp1252; return ``(text, warning)``."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = data.decode(settings.FALLBACK_ENCODING, errors="replace")
        return text, f"not UTF-8 (byte {exc.start}); read as {settings.FALLBACK_ENCODING}"


def read_text(text: str, file: Path, root: Path) -> Article:
    article = Article(id=article_id(file, root), path=str(file))
    match = DATE_MARKER.match(text)
    if match:
        article.date = match.group(1)
        text = text[match.end():]
    article.text = text
    return article


def read_html(text: str, file: Path, root: Path) -> Article:
    return Article(id=article_id(file, root), path=str(file), html=text)


def _record_article(obj, file: Path, root: Path, where: str) -> Article | Problem:
    label = f"{file}{where}"
    if not isinstance(obj, dict):
        return Problem(label, f"refused: a record must be a JSON object, not {type(obj).__name__}")
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


def read_json(text: str, file: Path, root: Path) -> Iterator[Article | Problem]:
    """A JSON document (object or list), or JSON Lines if it is not one document."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Problem(str(file), f"refused: JSON does not parse (line {exc.lineno}: {exc.msg})")
            return
        for n, obj in enumerate(records, 1):
            yield _record_article(obj, file, root, f"#{n}")
        return
    lines = text.splitlines()
    if file.suffix.lower() == ".json" and len(lines) > 1:
        try:
            yield _record_article(json.loads(text), file, root, "")
            return
        except json.JSONDecodeError:
            pass  # not one document: read it as JSON Lines
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f":{n}"
        if len(line) > settings.MAX_RECORD_BYTES:
            yield Problem(f"{file}{where}", "refused: record over the size limit")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(f"{file}{where}", f"refused: JSON does not parse ({exc.msg} at column {exc.colno})")
            continue
        yield _record_article(obj, file, root, where if len(lines) > 1 else "")


def read_file(file: Path, root: Path) -> Iterator[Article | Problem]:
    """Every article in one file (one, or many for JSON), or the Problems found."""
    data = read_bytes(file)
    if isinstance(data, Problem):
        yield data
        return
    text, warning = decode(data)
    suffix = file.suffix.lower()
    if suffix in settings.JSON_SUFFIXES:
        items = read_json(text, file, root)
    elif suffix in settings.HTML_SUFFIXES:
        items = iter([read_html(text, file, root)])
    else:
        items = iter([read_text(text, file, root)])
    for item in items:
        if warning and isinstance(item, Article):
            item.warnings.append(warning)
        yield item


def read_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Article | Problem]:
    """Every article under ``paths``, and a Problem for each file or record refused."""
    for entry in iter_files(paths):
        if isinstance(entry, Problem):
            yield entry
        else:
            yield from read_file(*entry)
