"""The web page: a Flask app over the same search function as the command line.

Routes (all read-only, GET):

* ``/`` the search page; ``/article/<id>`` one article; both HTML.
* ``/api/search`` and ``/api/article/<id>``, their JSON twins: the search answer is exactly
  ``news-search query … --format json``; ``/healthz``; ``/opensearch.xml``.

Views only turn a request into a :class:`~search.web.state.SearchState`, call the engine,
and hand plain dicts to a template. Errors become pages (or JSON for ``/api/``): a bad
parameter is a 400 naming it, a missing index a 503, an unknown article a 404, a bug a 500
without a traceback. Documents committed by an indexing run are searched at once: the
engine reopens its searcher when the index changes.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from flask import Flask, Response, abort, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from ..engine import IndexMissing, SearchEngine
from ..facets import UNDATED
from ..output import render
from ..querying import QueryError
from .charts import month_bars
from .state import PAGE_SIZE, SearchState, api_limit

ACTOR_TYPES = [("person", "People"), ("country", "Countries"), ("organization", "Organisations"),
               ("place", "Places"), ("", "Others")]

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

log = logging.getLogger(__name__)


def create_app(index_dir: str | Path | None = None, engine: SearchEngine | None = None) -> Flask:
    """The app for one index (or one engine, shared with the caller)."""
    if engine is None:
        from indexer.indexing import default_index_dir

        engine = SearchEngine(index_dir or default_index_dir())
    app = Flask(__name__)
    app.config["ENGINE"] = engine
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.get("/")
    def search_page():
        state = SearchState.from_args(request.args)
        result = engine.search(state.request())
        return render_template("search.html", **search_context(state, result))

    @app.get("/article/<path:article_id>")
    def article_page(article_id: str):
        record = engine.article(article_id)
        if record is None:
            abort(404, description=f"No article with the id {article_id!r}.")
        state = SearchState.lenient(request.args)
        paragraphs = [dict(p, html=h) for p, h in zip(record["paragraphs"], engine.article_html(record, state.q))]
        return render_template("article.html", record=record, paragraphs=paragraphs, state=state,
                               back=state.url(page=state.page))

    @app.get("/api/search")
    def api_search():
        state = SearchState.from_args(request.args)
        facets = request.args.get("facets", "1").lower() not in ("0", "false", "no")
        result = engine.search(state.request(limit=api_limit(request.args), facets=facets))
        return Response(render(result, "json"), mimetype="application/json")

    @app.get("/api/article/<path:article_id>")
    def api_article(article_id: str):
        record = engine.article(article_id)
        if record is None:
            abort(404, description=f"No article with the id {article_id!r}.")
        return jsonify(record)

    @app.get("/healthz")
    def healthz():
        stats = engine.stats()
        return jsonify({"status": "ok", "articles": stats["articles"]})

    @app.get("/opensearch.xml")
    def opensearch():
        xml = render_template("opensearch.xml", root=request.url_root.rstrip("/"))
        return Response(xml, mimetype="application/opensearchdescription+xml")

    @app.errorhandler(QueryError)
    def bad_request(exc: QueryError):
        param = "q" if exc.param == "query" else exc.param  # the URL's name for the query
        return error(400, "That search could not be run", f"{param}: {exc}", param)

    @app.errorhandler(IndexMissing)
    def no_index(exc: IndexMissing):
        return error(503, "No articles to search yet", str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error(exc.code or 500, exc.name, exc.description or "")

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        log.exception("error serving %s", request.path)
        return error(500, "Something went wrong", "The search failed; the error was logged.")

    def error(status: int, title: str, message: str, param: str | None = None):
        if request.path.startswith("/api/") or request.path == "/healthz":
            body = {"error": message, "status": status}
            if param:
                body["param"] = param
            return jsonify(body), status
        state = SearchState.lenient(request.args)
        return render_template("error.html", status=status, title=title, message=message,
                               state=state), status

    return app


def search_context(state: SearchState, result: dict) -> dict:
    """What the search page's template needs, as plain values."""
    facets = result.get("facets") or {}
    actor_url = functools.cache(state.with_actor)  # the same actors recur on many hits
    groups = []
    for kind, label in ACTOR_TYPES:
        values = [dict(f, url=actor_url(f["value"]), active=f["value"] in state.actors)
                  for f in facets.get("actor", []) if (f.get("type") or "") == kind]
        if values:
            groups.append({"label": label, "values": values})

    def linked(name: str, url) -> list[dict]:
        return [dict(f, url=url(f["value"])) for f in facets.get(name, [])]

    total, page = result["total"], result["page"]
    pages = max(1, -(-total // PAGE_SIZE))
    return {
        "state": state,
        "result": result,
        "actor_url": actor_url,
        "chips": state.chips(),
        "actor_groups": groups,
        "chart": month_bars(facets.get("month", []), facets.get("year", []), state),
        "years": linked("year", lambda v: None if v == UNDATED else state.url(since=v, until=v)),
        "languages": linked("language", lambda v: state.url(lang=v)),
        "sources": linked("source", lambda v: state.url(source=v)),
        "sorts": [{"value": v, "label": label, "url": state.url(sort=v), "active": state.sort == v}
                  for v, label in (("relevance", "Relevance"), ("date", "Newest"), ("recent", "Relevant and recent"))],
        "first": (page - 1) * PAGE_SIZE + 1,
        "last": min(total, page * PAGE_SIZE),
        "pages": pages,
        "prev_url": state.url(page=page - 1) if page > 1 else None,
        "next_url": state.url(page=page + 1) if page < pages else None,
        "suggestion_url": state.url(q=result["suggestion"]) if result.get("suggestion") else None,
        "article_url": lambda article_id: url_for("article_page", article_id=article_id)
                                          + (f"?{state.query_string()}" if state.params() else ""),
    }
