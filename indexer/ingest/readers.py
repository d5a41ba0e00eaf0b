"""Readers: turn corpus paths into raw :class:`~indexer.ingest.article.Article` objects.

A corpus path is a file or a directory walked recursively (:mod:`indexer.ingest.walking`: hidden
entries skipped, links followed, each file once). Each file is read by the reader of its
format:

* ``.txt``: plain text; an optional leading `` date YYYY-MM-DD`` marker is the date.
* ``.html``/``.htm``: a saved page; the text is extracted later, by the pipeline.
* ``.json``/``.jsonl``: one object, a list of objects, or one object per line, with any of
  ``id``, ``url``, ``title``, ``date``, ``source``, ``lang``, and ``text`` or ``html``;
  read as a stream of records (:mod:`indexer.ingest.jsonstream`), whatever the file's size.

Text and HTML files are checked (empty, too large), decoded (:mod:`indexer.ingest.decoding`:
UTF-8, UTF-16 or UTF-32, else cp1252 where a line is not UTF-8, with a warning) and
refused when the text is not language (binary or random bytes). Nothing here raises for
bad input: a file or record that cannot be read becomes a
:class:`~indexer.ingest.article.Problem` with a one-line reason, and the walk goes on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .. import settings
from .article import Article, Problem
from .decoding import decode, human_size, not_text, read_bytes
from .jsonstream import RawRecord, iter_raw_records, record_article
from .walking import Missing, UnreadableDir, article_id, scan

__all__ = [
    "Missing",
    "RawRecord",
    "UnreadableDir",
    "article_id",
    "decode",
    "human_size",
    "iter_files",
    "iter_raw_records",
    "read_bytes",
    "read_file",
    "read_html",
    "read_json",
    "read_paths",
    "read_text",
    "record_article",
    "scan",
]

DATE_MARKER = re.compile(r"\A\ufeff?\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, Path] | Problem]:
    """Every corpus file under ``paths`` as ``(file, root)`` (see :func:`scan`)."""
    for entry in scan(paths):
        yield entry if isinstance(entry, Problem) else (Path(entry[0]), Path(entry[1]))


def read_text(text: str, file: Path, root: Path) -> Article:
    article = Article(id=article_id(file, root), path=str(file))
    match = DATE_MARKER.match(text)
    if match:
        article.date = match.group(1)
        text = text[match.end() :]
    article.text = text
    return article


def read_html(text: str, file: Path, root: Path) -> Article:
    return Article(id=article_id(file, root), path=str(file), html=text)


def read_json(file: Path, root: Path) -> Iterator[Article | Problem]:
    """The records of a JSON, JSON-lines or JSON-list file, streamed."""
    for raw in iter_raw_records(file):
        yield raw if isinstance(raw, Problem) else record_article(raw, file, root, single=raw.where == "")


def read_file(file: Path, root: Path) -> Iterator[Article | Problem]:
    """Every article in one file (one, or many for JSON), or the Problems found."""
    suffix = file.suffix.lower()
    if suffix in settings.JSON_SUFFIXES:
        yield from read_json(file, root)
        return
    data = read_bytes(file)
    if isinstance(data, Problem):
        yield data
        return
    text, warning = decode(data)
    html = suffix in settings.HTML_SUFFIXES
    refusal = not_text(text, letters_check=not html)
    if refusal:
        yield Problem(str(file), f"refused: {refusal}")
        return
    article = read_html(text, file, root) if html else read_text(text, file, root)
    if warning:
        article.warnings.append(warning)
    yield article


def read_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Article | Problem]:
    """Every article under ``paths``, and a Problem for each file or record refused."""
    for entry in iter_files(paths):
        if isinstance(entry, Problem):
            yield entry
        else:
            yield from read_file(*entry)
