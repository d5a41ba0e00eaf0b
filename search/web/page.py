"""What the search page's templates need, as plain values: the facets as toggles, the
actor types as separate lists, the filter chips, the sorts, the page numbers and the
export links of one search.

Every facet value is a toggle: a link that adds its filter when it is off, and removes it
when it is on (the value is then marked ``active``). The views in :mod:`search.web.app`
call :func:`search_context` (the search page) and :func:`actor_list` (one actor type's
whole list, filtered by name) and hand the result to a template.
"""

from __future__ import annotations

import functools
import unicodedata
from urllib.parse import urlencode

from .. import settings
from ..facets import UNDATED
from ..languages import language_name
from .charts import time_chart
from .state import SearchState

#: The actor types, in the order the page lists them: (type, plural heading, singular,
#: the URL's name for the type).
ACTOR_TYPES = [
    ("person", "People", "Person", "people"),
    ("country", "Countries", "Country", "countries"),
    ("organization", "Organisations", "Organisation", "organisations"),
    ("place", "Places", "Place", "places"),
    ("", "Others", "Actor", "others"),
]
#: An actor type by the URL's name for it.
TYPE_BY_SLUG = {slug: (kind, plural) for kind, plural, _, slug in ACTOR_TYPES}


def lang_attribute(code) -> str:
    """A ``lang`` attribute's value for a language code: the code, or ``und``
    (undetermined) for the bucket of other languages or no language."""
    if isinstance(code, str) and 2 <= len(code) <= 3 and code.isascii() and code.isalpha():
        return code.lower()
    return "und"


def folded(text: str) -> str:
    """Text compared without case or accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def pagination(page: int, pages: int, url) -> list[dict]:
    """Page links: the first, the last, and two on either side of ``page``, with gaps."""
    wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out, previous = [], 0
    for number in wanted:
        if number - previous > 1:
            out.append({"gap": True})
        out.append({"number": number, "url": url(page=number), "current": number == page})
        previous = number
    return out


def api_url(path: str, pairs: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path


def actor_values(facet: list[dict], state: SearchState, kind: str, actor_url) -> list[dict]:
    """The facet's actors of one type, as toggles."""
    return [
        dict(f, url=actor_url(f["value"]), active=f["value"] in state.actors)
        for f in facet
        if (f.get("type") or "") == kind
    ]


def chips(state: SearchState, types: dict[str, str]) -> list[dict]:
    """The search's filter chips, an actor's labelled with its type ("Person: …") and a
    language with its name ("Language: French"): the page's, its title's and the feeds'."""
    kinds = {a: singular for a in state.actors for kind, _, singular, _ in ACTOR_TYPES if types.get(a, "") == kind}
    return state.chips(kinds, language_name)


def search_title(state: SearchState, types: dict[str, str]) -> str:
    """What the search is, in words: its query, its filters and its page (past the first)."""
    parts = [state.q.strip()] if state.q.strip() else []
    parts += [chip["label"] for chip in chips(state, types)]
    if state.page > 1:
        parts.append(f"page {state.page:,}")
    return " · ".join(parts)


def search_context(state: SearchState, result: dict, types: dict[str, str]) -> dict:
    """What the search page's template needs, as plain values."""
    facets = result.get("facets") or {}
    actor_url = functools.cache(state.with_actor)  # the same actors recur on many hits
    groups = []
    for kind, label, _, slug in ACTOR_TYPES:
        values = actor_values(facets.get("actor", []), state, kind, actor_url)
        if values:
            shown = values[: settings.ACTORS_SHOWN]
            shown += [v for v in values[settings.ACTORS_SHOWN :] if v["active"]]
            groups.append(
                {
                    "label": label,
                    "slug": slug,
                    "values": shown,
                    "more": len(values) > len(shown) or len(values) >= settings.ACTORS_PER_TYPE,
                    "more_url": state.url(f"/actors/{slug}", page=state.page),
                }
            )

    def toggles(name: str, url, label=str) -> list[dict]:
        active = {"language": state.lang, "source": state.source}.get(name)
        out = []
        for f in facets.get(name, []):
            if name == "year":
                on = state.since == f["value"] == state.until
            else:
                on = active is not None and active.casefold() == f["value"].casefold()
            out.append(dict(f, url=url(f["value"]), active=on, label=label(f["value"])))
        return out

    # the results paged through: stories when copies are collapsed, else articles
    total, page = result["stories"] if result.get("collapsed") else result["total"], result["page"]
    pages = max(1, -(-total // settings.PAGE_SIZE))
    sort = state.shown_sort
    sorts = [
        {"value": v, "label": label, "url": state.url(sort=v), "active": sort == v}
        for v, label in (("relevance", "Relevance"), ("date", "Newest"), ("recent", "Relevant and recent"))
        if state.has_words or v == "date"
    ]
    return {
        "state": state,
        "result": result,
        "actor_url": actor_url,
        "chips": chips(state, types),
        "title": search_title(state, types),
        "actor_groups": groups,
        "chart": time_chart(facets, state),
        "years": toggles("year", lambda v: None if v == UNDATED else state.toggle_period(v)),
        "languages": toggles("language", lambda v: state.toggle("lang", v), language_name),
        "sources": toggles("source", lambda v: state.toggle("source", v)),
        "sorts": sorts,
        "first": (page - 1) * settings.PAGE_SIZE + 1,
        "last": min(total, page * settings.PAGE_SIZE),
        "pages": pages,
        "page_links": pagination(page, pages, state.url) if pages > 1 else [],
        "prev_url": state.url(page=page - 1) if page > 1 else None,
        "next_url": state.url(page=page + 1) if page < pages else None,
        "suggestion_url": state.url(q=result["suggestion"]) if result.get("suggestion") else None,
        "json_url": api_url("/api/search", [*state.params(), ("limit", str(settings.PAGE_SIZE))]),
        "csv_url": api_url(
            "/api/search.csv", [*state.url_params(page=1), ("limit", str(min(max(total, 1), settings.MAX_LIMIT)))]
        ),
        "csv_rows": min(total, settings.MAX_LIMIT),
        "shown": total,
    }


def actor_list(state: SearchState, result: dict, kind: str, name: str, spellings: dict[str, list[str]]) -> list[dict]:
    """Every actor of one type in the results, as toggles, keeping those one of whose
    names (any spelling in the alias table) holds ``name`` (without case or accents)."""
    values = actor_values((result.get("facets") or {}).get("actor", []), state, kind, state.with_actor)
    wanted = folded(name.strip())
    if not wanted:
        return values
    return [v for v in values if any(wanted in folded(s) for s in (v["value"], *spellings.get(v["value"], ())))]
