"""The search state of the web page, held whole in the URL's query string.

``SearchState.from_args`` reads ``q``, ``actor`` (repeated), ``since``, ``until``, ``lang``,
``source``, ``sort`` and ``page`` from a request and checks their size; ``url(**changes)``
gives the URL of the same search with some of them changed. Every facet value, filter chip,
sort and page control on the page is such a link, so the page works without JavaScript,
each search can be bookmarked and shared, and the back button goes back one search.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from .. import settings
from ..engine import SORTS, SearchRequest
from ..querying import QueryError
from ..settings import MAX_QUERY_CHARS

#: The longest query the page accepts, in characters: the engine's own limit.
MAX_QUERY = MAX_QUERY_CHARS


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    actors: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    lang: str = ""
    source: str = ""
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> SearchState:
        """The state in a request's arguments (a Werkzeug MultiDict); QueryError names the
        parameter that is too long or not understood."""
        q = args.get("q", "")
        if len(q) > MAX_QUERY:
            raise QueryError(f"the query is {len(q)} characters long; at most {MAX_QUERY} are allowed", "q")
        actors = tuple(a for a in args.getlist("actor") if a.strip())
        if len(actors) > settings.MAX_ACTORS:
            raise QueryError(f"at most {settings.MAX_ACTORS} actor filters", "actor")
        values = {}
        for name in ("since", "until", "lang", "source"):
            value = args.get(name, "").strip()
            if len(value) > settings.MAX_PARAM_CHARS:
                raise QueryError(f"{name} is too long (at most {settings.MAX_PARAM_CHARS} characters)", name)
            values[name] = value
        for actor in actors:
            if len(actor) > settings.MAX_PARAM_CHARS:
                raise QueryError(f"actor is too long (at most {settings.MAX_PARAM_CHARS} characters)", "actor")
        sort = args.get("sort", "relevance") or "relevance"
        if sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}", "sort")
        return cls(q=q, actors=actors, sort=sort, page=_integer(args, "page", 1, settings.MAX_PAGE, 1), **values)

    @classmethod
    def lenient(cls, args) -> SearchState:
        """The state in a request's arguments, or the empty search if they are bad (for
        pages that only link back to a search: an article, an error)."""
        try:
            return cls.from_args(args)
        except QueryError:
            return cls()

    def request(self, limit: int = settings.PAGE_SIZE, facets: bool = True) -> SearchRequest:
        return SearchRequest(
            self.q,
            list(self.actors),
            self.since or None,
            self.until or None,
            self.lang or None,
            self.source or None,
            self.sort,
            limit,
            self.page,
            facets,
        )

    def params(self) -> list[tuple[str, str]]:
        """The state as query-string pairs, leaving out defaults."""
        pairs = [("q", self.q)] if self.q else []
        pairs += [("actor", a) for a in self.actors]
        pairs += [(name, getattr(self, name)) for name in ("since", "until", "lang", "source") if getattr(self, name)]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def query_string(self) -> str:
        return urlencode(self.params())

    def url(self, path: str = "/", **changes) -> str:
        """The URL of this search with ``changes``; any change but a page goes to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        query = urlencode(replace(self, **changes).params())
        return f"{path}?{query}" if query else path

    def with_actor(self, name: str) -> str:
        return self.url(actors=self.actors if name in self.actors else (*self.actors, name))

    def chips(self) -> list[dict]:
        """The active filters, each with a label and the URL of the search without it."""
        chips = [
            {"kind": "actor", "label": a, "remove": self.url(actors=tuple(x for x in self.actors if x != a))}
            for a in self.actors
        ]
        if self.since and self.since == self.until:
            chips.append({"kind": "date", "label": self.since, "remove": self.url(since="", until="")})
        else:
            if self.since:
                chips.append({"kind": "date", "label": f"from {self.since}", "remove": self.url(since="")})
            if self.until:
                chips.append({"kind": "date", "label": f"until {self.until}", "remove": self.url(until="")})
        if self.lang:
            chips.append({"kind": "language", "label": self.lang, "remove": self.url(lang="")})
        if self.source:
            chips.append({"kind": "source", "label": self.source, "remove": self.url(source="")})
        return chips


def api_limit(args) -> int:
    """The ``limit`` of an API search (as the command line's ``--limit``: 10 by default)."""
    return _integer(args, "limit", 1, settings.MAX_LIMIT, 10)


def _integer(args, name: str, low: int, high: int, default: int) -> int:
    raw = args.get(name, "")
    if not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number from {low} to {high}", name) from None
    if not low <= value <= high:
        raise QueryError(f"{name} must be a whole number from {low} to {high}", name)
    return value
