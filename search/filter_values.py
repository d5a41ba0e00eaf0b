"""The values of the ``lang`` and ``source`` filters, checked against the index.

A filter naming a language or a source no article has would quietly find nothing; it is
a :class:`~search.query_error.QueryError` naming the parameter instead, with what the
index has (its languages; its sources, or the nearest ones when there are many). Used by
:meth:`search.engine.SearchEngine.filters`, so the command line and the web page agree.
"""

from __future__ import annotations

import difflib

from . import settings
from .languages import language_code, language_name
from .query_error import QueryError


def _terms(searcher, fieldname: str) -> list[str]:
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.lexicon(fieldname)]


def language_of(value: str, searcher, languages: tuple[str, ...]) -> str:
    """The indexed code of the language ``value`` (a code or an English name)."""
    code = language_code(value)
    known = sorted(set(_terms(searcher, "languages")) | set(languages))
    if code in known:
        return code
    listed = ", ".join(f"{c} ({language_name(c)})" if language_name(c) != c else c for c in known)
    raise QueryError(f"unknown language {value.strip()!r}; the index has {listed}", "lang")


def source_of(value: str, searcher) -> str:
    """The indexed spelling of the source ``value``, matched without regard to case."""
    wanted = value.strip().casefold()
    sources = _terms(searcher, "source")
    for text in sources:
        if text.casefold() == wanted:
            return text
    if len(sources) <= settings.SOURCES_LISTED:
        hint = f"the sources are {', '.join(sources)}" if sources else "no article has a source"
    else:
        by_folded = {s.casefold(): s for s in sources}
        near = difflib.get_close_matches(wanted, list(by_folded), n=3, cutoff=0.5)
        hint = (
            f"did you mean {', '.join(by_folded[n] for n in near)}?"
            if near
            else f"none of the index's {len(sources):,} sources is close"
        )
    raise QueryError(f"unknown source {value.strip()!r}; {hint}", "source")


def resolve_fields(query, searcher, languages: tuple[str, ...]):
    """``query`` with its ``lang:`` and ``source:`` terms resolved as the filters are
    (``lang:French`` is ``lang:fr``, ``source:afp`` is the indexed "AFP"). A value the
    index does not have is left as typed: in the query it is a term like any other, which
    finds nothing (as in Elasticsearch), where the ``lang`` and ``source`` parameters are
    refused."""
    from whoosh import query as q

    if isinstance(query, q.Term) and query.fieldname in ("languages", "source"):
        try:
            if query.fieldname == "languages":
                text = language_of(query.text, searcher, languages)
            else:
                text = source_of(query.text, searcher)
        except QueryError:
            return query
        return q.Term(query.fieldname, text, boost=query.boost)
    return query.apply(lambda sub: resolve_fields(sub, searcher, languages))
