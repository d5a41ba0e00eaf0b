"""The command line of saved searches: ``news-search watch add|list|remove`` and
``news-search alerts``, registered on the ``news-search`` group by :mod:`search.cli`.

``watch add`` checks the search against the index (its query must parse, its actors be
known) before saving it, and ``watch list`` marks a saved search the index can no longer
run (an actor the alias table no longer knows); ``alerts`` prints each saved search's new matches (nothing at all
when there are none, so that cron mails only news) and with ``--mark-read`` moves their
read marks to the runs it read; a saved search that cannot run is one line on stderr at
every call (exit status 1, so that cron mails it), whether or not anything is new.
"""

from __future__ import annotations

import json
import sys

import click

from . import settings
from .cli_options import filter_options, index_option


def _fail(message: str, status: int = 2):
    from .cli import report

    report(message)
    sys.exit(status)


def _watch_list(index_dir):
    from indexer.store.indexing import default_index_dir

    from .watches import WatchList

    return WatchList(index_dir or default_index_dir())


@click.group()
def watch():
    """Saved searches: add, list and remove them (their new matches: news-search alerts)."""


@watch.command("add")
@click.argument("name")
@click.argument("text", required=False, default="")
@filter_options
@click.option("--replace", is_flag=True, help="Replace a saved search of this name (keeping what it has read).")
@index_option
def watch_add(name, text, actors, since, until, lang, source, replace, index_dir):
    """Save the search TEXT (with filters, as news-search query takes them) as NAME; its
    alerts start with the next indexing run."""
    from indexer.store import changelog

    from .cli import open_engine, run_or_exit
    from .watches import SavedSearch, WatchError, check_name, check_search

    try:
        check_name(name)
    except WatchError as exc:
        _fail(f"NAME: {exc}")
    search = SavedSearch(name, text, [a for a in actors if a.strip()], since, until, lang, source)
    engine = run_or_exit(open_engine, index_dir)
    run_or_exit(_check_against_index, engine, search, check_search)
    try:
        start = changelog.sequence(engine.index_dir)
        with _watch_list(index_dir).editing() as searches:
            if name in searches and not replace:
                _fail(f"NAME: a saved search is named {name!r} already (--replace to change it)")
            replaced = name in searches
            search.read = searches[name].read if replaced else start
            searches[name] = search
    except (WatchError, changelog.ChangeLogError) as exc:
        _fail(str(exc), 1)
    total = run_or_exit(engine.search, search.request(limit=1))["total"]
    matching = f"{total} article{'s' if total != 1 else ''} match{'es' if total == 1 else ''} it now"
    click.echo(
        f"replaced {name!r}: {matching}"
        if replaced
        else f"saved {name!r}: {matching}; its alerts start with the next indexing run"
    )


def _check_against_index(engine, search, check_search):
    """Refuse a search the index cannot run: its query, an unknown actor, language or
    source (the query layer's QueryError names the parameter)."""
    check_search(search)
    searcher, _ = engine.searcher()
    engine.parse(search.query, searcher)
    engine.filters(search.request(), searcher)


def _problem(engine, search) -> str | None:
    """Why the index cannot run ``search`` (one line naming the parameter), or None."""
    from .querying import QueryError
    from .watches import check_search

    try:
        _check_against_index(engine, search, check_search)
    except QueryError as exc:
        return f"{'query' if exc.param in ('query', 'q') else exc.param}: {exc}"
    return None


@watch.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@index_option
def watch_list(fmt, index_dir):
    """List the saved searches: name, then the search as news-search query takes it, then
    (when the index cannot run it: an actor the alias table no longer knows) why."""
    from dataclasses import asdict

    from .engine import IndexMissing, SearchEngine
    from .watches import WatchError

    try:
        searches = _watch_list(index_dir).load()
    except WatchError as exc:
        _fail(str(exc), 1)
    engine = None
    if searches:
        try:
            engine = SearchEngine(_watch_list(index_dir).index_dir)
            engine.searcher()
        except IndexMissing:
            engine = None  # nothing to check them against
    for search in searches.values():
        problem = _problem(engine, search) if engine else None
        if fmt == "json":
            click.echo(json.dumps(asdict(search) | {"error": problem}, ensure_ascii=False))
        else:
            click.echo(f"{search.name}\t{search.describe()}" + (f"\tcannot run: {problem}" if problem else ""))


@watch.command("remove")
@click.argument("name")
@index_option
def watch_remove(name, index_dir):
    """Remove the saved search NAME."""
    from .watches import WatchError

    try:
        with _watch_list(index_dir).editing() as searches:
            if name not in searches:
                _fail(f"NAME: no saved search is named {name!r} (see: news-search watch list)")
            del searches[name]
    except WatchError as exc:
        _fail(str(exc), 1)


@click.command()
@click.argument("names", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option(
    "--mark-read", is_flag=True, help="Mark what is printed as read: the next call prints only newer matches."
)
@click.option(
    "--limit",
    type=click.IntRange(1, settings.MAX_LIMIT),
    default=settings.ALERT_LIMIT,
    show_default=True,
    help="At most this many matches printed per saved search (all are marked read).",
)
@index_option
def alerts(names, fmt, mark_read, limit, index_dir):
    """Print the new matches of the saved searches NAMES [default: all] since each was
    last marked read: nothing when there are none. A saved search that cannot run is one
    line on stderr (exit status 1) and is not marked read; the others still run."""
    from indexer.store import changelog

    from . import alerts as alerts_
    from .cli import open_engine, report, run_or_exit
    from .watches import WatchError

    watch_list = _watch_list(index_dir)
    try:
        saved = watch_list.load()
    except WatchError as exc:
        _fail(str(exc), 1)
    unknown = [n for n in names if n not in saved]
    if unknown:
        _fail(f"NAMES: no saved search is named {unknown[0]!r} (see: news-search watch list)")
    searches = [saved[n] for n in dict.fromkeys(names)] if names else list(saved.values())
    if not searches:
        return
    engine = run_or_exit(open_engine, index_dir)
    try:
        upto = changelog.sequence(engine.index_dir)
    except changelog.ChangeLogError as exc:
        _fail(str(exc), 1)

    def matching():
        try:
            return alerts_.new_matches(engine, searches, upto, limit)
        except changelog.ChangeLogError as exc:
            return exc

    found = run_or_exit(matching)
    if isinstance(found, changelog.ChangeLogError):
        _fail(str(found), 1)
    click.echo(alerts_.render(found, fmt), nl=False)
    failed = [a for a in found if a.error]
    for alert in failed:
        report(f"saved search {alert.search.name!r} cannot run: {alert.error}")
    if mark_read:
        done = {a.search.name for a in found if not a.error}
        try:
            with watch_list.editing() as current:
                for name in done:
                    if name in current and current[name].read < upto:
                        current[name].read = upto
        except WatchError as exc:
            _fail(str(exc), 1)
    if failed:
        sys.exit(1)
