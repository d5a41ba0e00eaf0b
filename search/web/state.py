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

from werkzeug.datastructures import MultiDict

from .. import settings
from ..engine import SORTS, SearchRequest, parse_day
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
    #: one result per story (``collapse=0`` in the URL lists every copy)
    collapse: bool = True

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
            if value and name in ("since", "until"):
                _check_date(value, name)
            if len(value) > settings.MAX_PARAM_CHARS:
                raise QueryError(f"{name} is too long (at most {settings.MAX_PARAM_CHARS} characters)", name)
            values[name] = value
        for actor in actors:
            if len(actor) > settings.MAX_PARAM_CHARS:
                raise QueryError(f"actor is too long (at most {settings.MAX_PARAM_CHARS} characters)", "actor")
        sort = args.get("sort", "relevance") or "relevance"
        if sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}", "sort")
        collapse = args.get("collapse", "1").strip().lower() or "1"
        if collapse not in ("0", "1", "false", "true", "no", "yes"):
            raise QueryError("collapse must be 1 (one result per story) or 0 (every copy)", "collapse")
        return cls(
            q=q,
            actors=actors,
            sort=sort,
            page=_integer(args, "page", 1, settings.MAX_PAGE, 1),
            collapse=collapse in ("1", "true", "yes"),
            **values,
        )

    @classmethod
    def lenient(cls, args) -> SearchState:
        """The state in a request's arguments without the ones that are bad (for pages
        that only link back to a search: an article, an error), so that a bad ``sort``
        leaves the query in the search box."""
        args = MultiDict(args)
        for _ in range(len(args) + 1):
            try:
                return cls.from_args(args)
            except QueryError as exc:
                name = "q" if exc.param in (None, "query") else exc.param
                if name not in args:
                    break
                args.poplist(name)
        return cls()

    def canonical(self, name_of) -> SearchState:
        """This search with each actor filter under its canonical name, once: ``name_of``
        gives the name of a spelling (None for an unknown one, kept as typed)."""
        actors: list[str] = []
        for spelling in self.actors:
            name = name_of(spelling) or spelling
            if name not in actors:
                actors.append(name)
        return replace(self, actors=tuple(actors))

    @property
    def has_words(self) -> bool:
        """Whether the query has words to rank by (without them results are newest first)."""
        return self.q.strip() not in ("", "*")

    @property
    def shown_sort(self) -> str:
        """The order the results are in: newest first whenever there are no words."""
        return self.sort if self.has_words else "date"

    def request(
        self,
        limit: int = settings.PAGE_SIZE,
        facets: bool = True,
        actors_per_type: int | None = settings.ACTORS_PER_TYPE,
    ) -> SearchRequest:
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
            actors_per_type,
            collapse=self.collapse,
        )

    def params(self) -> list[tuple[str, str]]:
        """The state as query-string pairs, leaving out defaults."""
        pairs = [("q", self.q)] if self.q else []
        pairs += [("actor", a) for a in self.actors]
        pairs += [(name, getattr(self, name)) for name in ("since", "until", "lang", "source") if getattr(self, name)]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if not self.collapse:
            pairs.append(("collapse", "0"))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def url_params(self, **changes) -> list[tuple[str, str]]:
        """The query-string pairs of this search with ``changes``."""
        return replace(self, **changes).params()

    def query_string(self) -> str:
        return urlencode(self.params())

    def url(self, path: str = "/", **changes) -> str:
        """The URL of this search with ``changes``; any change but a page goes to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        query = urlencode(replace(self, **changes).params())
        return f"{path}?{query}" if query else path

    def with_actor(self, name: str) -> str:
        """The URL toggling the actor filter ``name``: added when off, removed when on."""
        if name in self.actors:
            return self.url(actors=tuple(a for a in self.actors if a != name))
        return self.url(actors=(*self.actors, name))

    def toggle(self, name: str, value: str) -> str:
        """The URL toggling ``lang`` or ``source`` = ``value``: set when off, cleared when on."""
        return self.url(**{name: "" if getattr(self, name) == value else value})

    def toggle_period(self, value: str) -> str:
        """The URL narrowing to the period ``value`` (a year, month or day), or widening
        back when the search is narrowed to exactly that period."""
        if self.since == value and self.until == value:
            return self.url(since="", until="")
        return self.url(since=value, until=value)

    def chips(self, kinds: dict[str, str] | None = None, language_name=str) -> list[dict]:
        """The active filters, each with a label saying what it filters ("Language:
        French", "Since 2020-01"), and the URL of the search without it. ``kinds`` gives
        an actor's type label ("Person"), ``language_name`` a language code's name."""
        kinds = kinds or {}
        chips = [
            {
                "kind": "actor",
                "label": f"{kinds.get(a) or 'Actor'}: {a}",
                "remove": self.url(actors=tuple(x for x in self.actors if x != a)),
            }
            for a in self.actors
        ]
        if self.since and self.since == self.until:
            chips.append({"kind": "date", "label": f"Date: {self.since}", "remove": self.url(since="", until="")})
        else:
            if self.since:
                chips.append({"kind": "date", "label": f"Since {self.since}", "remove": self.url(since="")})
            if self.until:
                chips.append({"kind": "date", "label": f"Until {self.until}", "remove": self.url(until="")})
        if self.lang:
            chips.append(
                {"kind": "language", "label": f"Language: {language_name(self.lang)}", "remove": self.url(lang="")}
            )
        if self.source:
            chips.append({"kind": "source", "label": f"Source: {self.source}", "remove": self.url(source="")})
        return chips


def _check_date(value: str, name: str) -> None:
    """QueryError naming ``value`` (its start, when it is long) unless it is a date."""
    try:
        parse_day(value, name, end=False)
    except QueryError:
        shown = value if len(value) <= settings.SHOWN_CHARS else value[: settings.SHOWN_CHARS] + "…"
        raise QueryError(f"{shown!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", name) from None


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
