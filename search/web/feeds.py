"""Feeds: an Atom twin of every search, and the list of saved searches with theirs.

``/feed.atom`` takes the search page's parameters (``q``, ``actor`` repeated, ``since``,
``until``, ``lang``, ``source``) and answers, as an Atom 1.0 feed, the ``FEED_ENTRIES``
matching articles that indexing runs most recently added or changed, newest first
(:mod:`search.latest`), so a feed reader following any search sees what arrives, whatever
its article date; every search page links its feed (``<link rel="alternate"
type="application/atom+xml">``). An entry's ``updated`` is when an indexing run last added
or changed the article (:mod:`indexer.store.changelog`), else its date, never after the
entry above it; its link is the article's page. ``/saved`` lists the saved searches
(:mod:`search.watches`) with links to their search and feed.

Everything is escaped, and characters XML cannot hold (control characters) are left out.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from indexer.store import changelog
from indexer.store.index_folder import read_meta

from .. import settings
from ..latest import latest_hits
from ..querying import canonical_actor
from ..watches import WatchError, WatchList
from .page import search_title
from .state import SearchState

bp = Blueprint("feeds", __name__)

#: Characters XML 1.0 cannot hold.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ATOM_TYPE = "application/atom+xml"


@bp.app_template_filter("xml_safe")
def xml_safe(text) -> str:
    """``text`` without the characters XML 1.0 cannot hold (escaping is the template's)."""
    return NOT_XML.sub("", str(text or ""))


@bp.app_template_global("feed_url")
def feed_url(state: SearchState) -> str:
    """The Atom feed of the search ``state`` (its sort and page do not matter)."""
    return state.url(url_for("feeds.feed"), sort="relevance")


@bp.get("/feed.atom")
def feed():
    engine = current_app.config["ENGINE"]
    asked = replace(SearchState.from_args(request.args), sort="relevance", page=1)
    state = replace(asked, sort="date")
    hits = latest_hits(engine, state.request(limit=settings.FEED_ENTRIES, facets=False), settings.FEED_ENTRIES)
    changed = changelog.times(engine.index_dir, [h["id"] for h in hits])
    fallback = _last_run(engine.index_dir)
    entries, latest = [], None
    for h in hits:
        updated = changed.get(h["id"]) or _day(h["date"]) or fallback
        latest = updated = min(updated, latest) if latest else updated  # never after the entry above
        entries.append(dict(h, updated=updated))
    base = current_app.config.get("BASE_URL", "")
    xml = render_template(
        "atom.xml",
        state=state,
        entries=entries,
        title=_title(state),
        updated=max((e["updated"] for e in entries), default=fallback),
        feed_id=f"urn:news-search:search:{quote(asked.query_string(), safe='=&')}",
        base=base + "/" if base else "",
        self_url=feed_url(asked),
        page_url=state.url(url_for("search_page")),
        entry_id=lambda article_id: f"urn:news-search:article:{quote(article_id, safe='/')}",
        article_url=lambda article_id: (
            url_for("article_page", article_id=article_id) + (f"?{urlencode([('q', state.q)])}" if state.q else "")
        ),
    )
    return Response(xml, mimetype=ATOM_TYPE)


@bp.get("/saved")
def saved():
    engine = current_app.config["ENGINE"]
    try:
        searches = list(WatchList(engine.index_dir).load().values())
    except WatchError:
        searches, failed = [], True
    else:
        failed = False
    rows = []
    for search in searches:
        state = SearchState(
            q=search.query,
            actors=tuple(search.actors),
            since=search.since or "",
            until=search.until or "",
            lang=search.lang or "",
            source=search.source or "",
        )
        rows.append({"name": search.name, "label": _title(state), "url": state.url(), "feed": feed_url(state)})
    return render_template("saved.html", state=SearchState(), searches=rows, failed=failed)


def _title(state: SearchState) -> str:
    """The search in the search page's words (its filters named as its chips name them)."""
    engine = current_app.config["ENGINE"]
    state = state.canonical(lambda spelling: canonical_actor(engine.table, spelling, engine.discovered))
    return search_title(replace(state, page=1), engine.table.actors) or "all articles"


def _day(date: str | None) -> str | None:
    return f"{date}T00:00:00Z" if date else None


def _last_run(index_dir) -> str:
    """When the index was last written (RFC 3339), for entries the change log does not date."""
    finished = ((read_meta(index_dir).get("last_run") or {}).get("finished")) or ""
    try:
        moment = datetime.strptime(finished, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
    except ValueError:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(0))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
