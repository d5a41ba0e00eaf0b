"""Index documents: a cleaned Record becomes the fields of one Whoosh document.

This runs in the worker processes, so it also runs the analyzers (see
:class:`~indexer.store.schema.PreanalyzedText`): what goes to the writer is ready to store.
Every value is checked here, before the writer sees it, because a document that fails
half-way through ``add_document`` would spoil the writer's whole batch.
"""

from __future__ import annotations

import json
from datetime import datetime
from operator import sub
from pickle import dumps

from whoosh.fields import Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from ..ingest.article import Record
from .analysis import Terms
from .schema import OTHER, Preanalyzed, field_language, text_field


class DocumentError(ValueError):
    """A record that cannot become a document (the message says why)."""


_terms: dict[tuple[int, str], Terms] = {}
_ONCE: dict[type, dict[int, bytes]] = {}


def _preanalyze(schema: Schema, name: str, text: str) -> Preanalyzed:
    """The field's postings for ``text``: what Whoosh's writer would compute, computed here."""
    key = (id(schema), name)
    terms = _terms.get(key)
    if terms is None:
        terms = _terms[key] = Terms(field_language(name))
    fmt = schema[name].format
    boost = fmt.field_boost
    positions, seconds = terms.postings(text)
    # the writer sums each posting's second item into the field's length: a word's second
    # term (at the same position) does not make the document longer
    if not fmt.supports("positions"):  # frequencies only
        return Preanalyzed(
            [
                (term.encode("utf-8"), len(poses) - seconds.get(term, 0), len(poses) * boost, pack_uint(len(poses)))
                for term, poses in positions.items()
            ]
        )
    encode = _positions_bytes if type(fmt) is Positions else fmt.encode
    once = _ONCE.setdefault(type(fmt), {})
    items = []
    for term, poses in positions.items():
        if len(poses) == 1:  # most terms occur once: their encoding is remembered
            value = once.get(poses[0])
            if value is None:
                value = once[poses[0]] = encode(poses)
        else:
            value = encode(poses)
        counted = len(poses) - seconds[term] if seconds and term in seconds else len(poses)
        items.append((term.encode("utf-8"), counted, len(poses) * boost, value))
    return Preanalyzed(items)


def _positions_bytes(positions: list[int]) -> bytes:
    """``whoosh.formats.Positions.encode``: the count, then the pickled gaps between
    positions (the same bytes, in one expression rather than a loop)."""
    return pack_uint(len(positions)) + dumps([positions[0], *map(sub, positions[1:], positions)], 2)


def texts_by_field(record: Record, languages: tuple[str, ...]) -> dict[str, str]:
    """Each paragraph's text under the field of its language; a headline under the main
    one (a title made from the first sentence is in the text already)."""
    parts: dict[str, list[str]] = {}
    if record.headline:
        main = record.language if record.language in languages else OTHER
        parts.setdefault(text_field(main), []).append(record.title)
    for p in record.paragraphs:
        lang = p.lang if p.lang in languages else OTHER
        parts.setdefault(text_field(lang), []).append(p.text)
    return {name: "\n\n".join(texts) for name, texts in parts.items()}


def to_document(record: Record, schema: Schema, languages: tuple[str, ...], *, state: bytes) -> dict:
    """The fields of ``record``'s document, validated and with text fields pre-analyzed."""
    doc: dict = {
        "id": record.id,
        # only a headline is searched as a title; any title is stored, to show
        "title": _preanalyze(schema, "title", record.title if record.headline else ""),
        "_stored_title": record.title,
        "languages": ",".join(record.languages),
        "state": state,
        "record": json.dumps(record.to_json(), ensure_ascii=False),
    }
    if record.actors:
        doc["actors"] = ",".join(a.name for a in record.actors)
    if record.names:
        doc["names"] = ",".join(n.key for n in record.names)
    if record.source:
        doc["source"] = record.source
    if record.date:
        try:
            day = datetime.strptime(record.date, "%Y-%m-%d")
        except ValueError:
            raise DocumentError(f"bad date {record.date!r}") from None
        doc.update(date=day, month=record.date[:7].encode("ascii"), year=record.date[:4].encode("ascii"))
    for name, text in texts_by_field(record, languages).items():
        if name not in schema:
            raise DocumentError(f"no field {name!r} in the index")
        doc[name] = _preanalyze(schema, name, text)
    for name, value in doc.items():
        if not name.startswith("_") and name not in schema:
            raise DocumentError(f"no field {name!r} in the index")
        label = name.removeprefix("_stored_")
        if isinstance(value, str) and "\x00" in value:
            raise DocumentError(f"its {label} holds a NUL character")
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise DocumentError(f"its {label} is not valid UTF-8") from None
    return doc
