"""The web page: a Flask app over the same search function as the command line.

Routes (all read-only, GET):

* ``/`` the search page; ``/article/<id>`` one article; ``/actors/<type>`` every actor of
  one type in a search's results, filtered by name; all HTML.
* ``/api/search``, ``/api/article/<id>`` and ``/api/actors/<type>``, their JSON twins: the
  search answer is exactly ``news-search query … --format json``; ``/api/search.csv`` the
  same as CSV; ``/healthz``; ``/opensearch.xml``; ``/favicon.ico``.
* ``/feed.atom`` (every search's Atom twin) and ``/saved`` (the saved searches): :mod:`.feeds`.

Views only turn a request into a :class:`~search.web.state.SearchState`, call the engine,
and hand plain dicts (from :mod:`search.web.page`) to a template. A page past the last of
a search is a 404 linking to the last. Errors become pages (or JSON for ``/api/``): a bad
parameter is a 400 naming it, a missing index a 503, an unknown article a 404, a bug a 500
without a traceback. Documents committed by an indexing run are searched at once: the
engine reopens its searcher when the index changes.

Nothing the client sends is echoed as a place: links and redirects are relative (or start
with a configured ``base_url``), a malformed ``Host`` header is replaced before routing,
and answers never show a server path (an article's source ``path``, the index's directory).
Only ``http(s)://`` URLs of articles become links.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from html import escape
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, abort, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from .. import settings
from ..engine import IndexMissing, SearchEngine
from ..languages import language_code, language_names
from ..output import copies_line, render
from ..querying import QueryError, canonical_actor
from . import feeds
from .page import TYPE_BY_SLUG, actor_list, lang_attribute, language_name, search_context
from .state import MAX_QUERY, SearchState, api_limit

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

#: A Host header the router can use: a DNS name (labels of 1 to 63 letters, digits, - or _),
#: an IPv4 address or a bracketed IPv6 one, and an optional port.
HOST = re.compile(
    r"(?:(?!-)[A-Za-z0-9_-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9_-]{1,63}(?<!-))*\.?"
    r"|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?"
)
#: What a malformed Host header becomes.
FALLBACK_HOST = "localhost"
#: The parameters the date form sets.
DATE_PARAMS = ("since", "until")
_DATES = "<code>2023</code>, <code>2023-09</code> or <code>2023-09-07</code>"
#: What to check after an error in a parameter (HTML).
ADVICE = {
    "q": f"Check the search: quotes, brackets and parentheses in pairs, dates as {_DATES}.",
    "since": f"Write dates as {_DATES}, and correct them below.",
    "until": f"Write dates as {_DATES}, and correct them below.",
}
#: Fields of an article record not shown on the web (a server path).
PRIVATE_FIELDS = ("path",)

log = logging.getLogger(__name__)


def create_app(
    index_dir: str | Path | None = None, engine: SearchEngine | None = None, base_url: str | None = None
) -> Flask:
    """The app for one index (or one engine, shared with the caller); ``base_url`` (such
    as ``https://news.example.org``) makes the OpenSearch description's URLs absolute."""
    if engine is None:
        from indexer.store.indexing import default_index_dir

        engine = SearchEngine(index_dir or default_index_dir())
    app = Flask(__name__)
    app.config["ENGINE"] = engine
    app.config["BASE_URL"] = (base_url or "").rstrip("/")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["web_link"] = web_link
    app.jinja_env.filters["lang_attr"] = lang_attribute
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["copies_label"] = copies_line
    app.jinja_env.globals["max_query"] = MAX_QUERY
    app.wsgi_app = _checked_host(app.wsgi_app)
    app.register_blueprint(feeds.bp)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        if "Location" in response.headers:  # the router's redirects (//x to /x) name the Host
            target = relative(response.headers["Location"])
            response.headers["Location"] = target
            if 300 <= response.status_code < 400:
                response.set_data(
                    f'<!doctype html>\n<p>Moved to <a href="{escape(target)}">{escape(target)}</a>.</p>\n'
                )
        return response

    def asked() -> SearchState:
        """The request's search, each actor under its canonical name, a language by its code."""
        state = SearchState.from_args(request.args)
        state = state.canonical(lambda spelling: canonical_actor(engine.table, spelling, engine.discovered))
        code = language_code(state.lang)
        return replace(state, lang=code) if code in language_names() else state

    @app.get("/")
    def search_page():
        state = asked()
        result = engine.search(state.request())
        context = search_context(state, result, engine.table.actors)
        context["article_url"] = lambda article_id: (
            url_for("article_page", article_id=article_id) + (f"?{state.query_string()}" if state.params() else "")
        )
        if state.page > context["pages"]:
            last = context["pages"]
            found = f"this search has {last:,} page{'s' if last != 1 else ''}" if result["total"] else "nothing matches"
            return error(
                404,
                "No such page",
                f"There is no page {state.page:,}: {found}.",
                link=(state.url(page=last), f"Go to page {last:,}") if result["total"] else None,
            )
        return render_template("search.html", **context)

    def actors_of(slug: str):
        """An actor type's whole list for the request's search: (state, name, result, values)."""
        if slug not in TYPE_BY_SLUG:
            abort(404, description=f"No list of actors called {slug!r}: the lists are {', '.join(TYPE_BY_SLUG)}.")
        state = asked()
        name = request.args.get("name", "")
        if len(name) > settings.MAX_PARAM_CHARS:
            raise QueryError(f"name is too long (at most {settings.MAX_PARAM_CHARS} characters)", "name")
        result = engine.search(state.request(limit=1, actors_per_type=None))
        return state, name, result, actor_list(state, result, TYPE_BY_SLUG[slug][0], name, engine.table.spellings)

    @app.get("/api/actors/<slug>")
    def api_actors(slug: str):
        state, name, result, values = actors_of(slug)
        actors = [{k: v for k, v in f.items() if k not in ("url", "active")} for f in values]
        return jsonify({"type": slug, "name": name, "total": result["total"], "actors": actors})

    @app.get("/actors/<slug>")
    def actor_page(slug: str):
        state, name, result, values = actors_of(slug)
        label = TYPE_BY_SLUG[slug][1]
        return render_template(
            "actors.html",
            state=state,
            slug=slug,
            label=label,
            name=name,
            values=values,
            total=result["total"],
            back=state.url(page=state.page),
            json_url=url_for("api_actors", slug=slug)
            + (f"?{request.query_string.decode()}" if request.query_string else ""),
        )

    @app.get("/favicon.ico")
    def favicon():
        return app.send_static_file("favicon.svg")

    @app.get("/article/<path:article_id>")
    def article_page(article_id: str):
        record = engine.article(article_id)
        if record is None:
            abort(404, description=f"No article with the id {article_id!r}.")
        state = SearchState.lenient(request.args)
        paragraphs = [dict(p, html=h) for p, h in zip(record["paragraphs"], engine.article_html(record, state.q))]
        return render_template(
            "article.html", record=record, paragraphs=paragraphs, state=state, back=state.url(page=state.page)
        )

    @app.get("/api/search")
    def api_search():
        state = SearchState.from_args(request.args)
        facets = request.args.get("facets", "1").lower() not in ("0", "false", "no")
        result = engine.search(state.request(limit=api_limit(request.args), facets=facets))
        return Response(render(result, "json"), mimetype="application/json")

    @app.get("/api/search.csv")
    def api_search_csv():
        state = SearchState.from_args(request.args)
        result = engine.search(state.request(limit=api_limit(request.args), facets=False))
        return Response(
            render(result, "csv"),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="news-search.csv"'},
        )

    @app.get("/api/article/<path:article_id>")
    def api_article(article_id: str):
        record = engine.article(article_id)
        if record is None:
            abort(404, description=f"No article with the id {article_id!r}.")
        return jsonify({k: v for k, v in record.items() if k not in PRIVATE_FIELDS})

    @app.get("/healthz")
    def healthz():
        stats = engine.stats()
        return jsonify({"status": "ok", "articles": stats["articles"]})

    @app.get("/opensearch.xml")
    def opensearch():
        xml = render_template("opensearch.xml", base=app.config["BASE_URL"])
        return Response(xml, mimetype="application/opensearchdescription+xml")

    @app.errorhandler(QueryError)
    def bad_request(exc: QueryError):
        param = "q" if exc.param == "query" else exc.param  # the URL's name for the query
        return error(400, "That search could not be run", f"{param}: {exc}", param)

    @app.errorhandler(IndexMissing)
    def no_index(exc: IndexMissing):
        return error(503, "The archive cannot be searched yet", without_paths(str(exc), engine.index_dir))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error(exc.code or 500, exc.name, exc.description or "")

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        log.exception("error serving %s", request.path)
        return error(500, "Something went wrong", "The search failed; the error was logged.")

    def error(status: int, title: str, message: str, param: str | None = None, link=None):
        if request.path.startswith("/api/") or request.path == "/healthz":
            body = {"error": message, "status": status}
            if param:
                body["param"] = param
            return jsonify(body), status
        args = MultiDict(request.args)
        if param and param != "q":  # a new search leaves out what was wrong (the query stays, to be corrected)
            args.poplist(param)
        state = SearchState.lenient(args)
        dates = None
        if param in DATE_PARAMS:  # the dates as typed, to be corrected
            dates = {name: request.args.get(name, "") for name in DATE_PARAMS}
        page = render_template(
            "error.html",
            status=status,
            title=title,
            message=message,
            state=state,
            link=link,
            advice=ADVICE.get(param, "") if status == 400 else "",
            dates=dates,
        )
        return page, status

    return app


def _checked_host(wsgi_app):
    """The WSGI app with a malformed Host header replaced (the router cannot encode one,
    such as a label of 64 characters, and would fail on it)."""

    def app(environ, start_response):
        host = environ.get("HTTP_HOST")
        if host is not None and (len(host) > 260 or not HOST.fullmatch(host)):
            environ["HTTP_HOST"] = FALLBACK_HOST
        return wsgi_app(environ, start_response)

    return app


def relative(location: str) -> str:
    """A redirect's target as a path on this site (never another host's URL)."""
    parts = urlsplit(location)
    return urlunsplit(("", "", "/" + parts.path.lstrip("/"), parts.query, parts.fragment))


def web_link(url) -> str:
    """``url`` if it may be a link (``http://`` or ``https://`` with a host), else ""."""
    if not isinstance(url, str):
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def without_paths(message: str, index_dir: Path) -> str:
    """A message with the index's directory named by its last part only."""
    name = index_dir.name or "index"
    for spelling in sorted(
        {str(index_dir), str(index_dir.resolve()), str(index_dir.absolute())}, key=len, reverse=True
    ):
        message = message.replace(spelling, name)
    return message
