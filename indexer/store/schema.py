"""The index schema: what an article becomes in Whoosh.

* one text field per configured language (``text_en``, ``text_fr``, …), each with its
  language's analyzer, and ``text_other`` (neutral: no stemming) for paragraphs in any
  other language; each paragraph goes to the field of its language, a headline too;
* ``title``: the headline (boosted, accent-folded); every article's title is stored, to
  show, but one made from the first sentence is not searched as a title (see
  :attr:`~indexer.ingest.article.Record.headline`); ``names`` (the keys of the names discovery found,
  :mod:`indexer.ingest.discovery`, a column too); ``actors`` (canonical names, comma-separated, one
  term each), ``date`` (sortable), ``languages``, ``source``, and, as columns only, the
  ``month`` and ``year`` of the date: facets read these columns instead of running a
  query per bucket;
* for incremental indexing, the ``state`` column: the file, its size and modification
  time, what produced the document (pipeline signature), a hash of its content, its id
  and, for a JSON record, its place in the file (:mod:`indexer.store.state`), read in one pass
  by the next run; documents are replaced and deleted by their unique ``id``;
* ``record``: the whole cleaned article as JSON (title, date and how it was found,
  languages, source, URL, truncation, paragraphs, actors), enough to show and highlight a
  result without reading the corpus again.

Only what is searched or counted is indexed: every other field costs the writer time for
every document and is read from ``record`` instead.

Text fields are :class:`PreanalyzedText`: the worker processes run the analyzers and hand
the single writer ready-made postings, so the writer does not analyze text at all.
"""

from __future__ import annotations

from whoosh import fields
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, Schema

from .. import settings
from .analysis import analyzer_for

#: Bumped whenever the fields or their analysis change; an index of another version is rebuilt.
SCHEMA_VERSION = "11"
OTHER = "other"


class Preanalyzed:
    """Postings of one field of one document, computed ahead (in a worker process)."""

    __slots__ = ("items",)

    def __init__(self, items: list[tuple[bytes, int, float, bytes]]):
        self.items = items


class PreanalyzedText(fields.TEXT):
    """A TEXT field that also accepts :class:`Preanalyzed` postings as its value."""

    def index(self, value, **kwargs):
        if isinstance(value, Preanalyzed):
            return iter(value.items)
        return super().index(value, **kwargs)


def text_field(lang: str) -> str:
    return f"text_{lang}"


def field_language(name: str) -> str | None:
    """The language whose analyzer a text field uses (None: neutral)."""
    if name.startswith("text_") and name != text_field(OTHER):
        return name[len("text_") :]
    return None


def build_schema(languages: tuple[str, ...]) -> Schema:
    text_fields = {
        text_field(lang): PreanalyzedText(analyzer=analyzer_for(None if lang == OTHER else lang), phrase=True)
        for lang in (*languages, OTHER)
    }
    return Schema(
        id=ID(stored=True),
        title=PreanalyzedText(analyzer=analyzer_for(None), stored=True, field_boost=settings.TITLE_BOOST),
        actors=KEYWORD(stored=True, commas=True, scorable=True, lowercase=False, sortable=True),
        names=KEYWORD(commas=True, lowercase=False, sortable=True),
        date=DATETIME(stored=True, sortable=True),
        month=COLUMN(VarBytesColumn()),
        year=COLUMN(VarBytesColumn()),
        languages=KEYWORD(stored=True, commas=True, sortable=True),
        source=ID(stored=True, sortable=True),
        state=COLUMN(VarBytesColumn()),
        record=STORED,
        **text_fields,
    )
