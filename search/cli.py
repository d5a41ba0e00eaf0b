"""The ``news-search`` command line: a thin layer over the library.

Each command calls one library function and turns its problems into one-line messages on
stderr (``news-search: FILE: reason``); nothing here decides what an article becomes.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from indexer import settings
from indexer.ingest.actors import AliasTableError

from .cli_options import filter_options, index_option


def printable(text: str) -> str:
    """``text`` as it can be printed: bytes of a file name that are not UTF-8 escaped."""
    return str(text).encode("utf-8", "backslashreplace").decode("utf-8")


def report(message: str) -> None:
    click.echo(f"news-search: {printable(message)}", err=True)


def ingest_options(func):
    """--actors and --lang, shared by the commands that ingest articles. Left out, they are
    None: ``index`` then keeps what the index was built with, ``inspect`` the defaults."""

    @click.option(
        "--actors",
        "actors_file",
        type=click.Path(dir_okay=False),
        default=None,
        help="Alias table (CSV) to use instead of the bundled one [default: the one "
        "the index was built with, else the bundled one].",
    )
    @click.option(
        "--lang",
        "languages",
        default=None,
        help=f"Languages of the archive, comma-separated [default: the index's, else {','.join(settings.LANGUAGES)}].",
    )
    @functools.wraps(func)
    def wrapper(*args, actors_file, languages, **kwargs):
        from indexer.ingest.actors import load_table

        langs = None
        if languages is not None:
            langs = tuple(code.strip().lower() for code in languages.split(",") if code.strip())
            if not langs or not all(code.isalpha() and 2 <= len(code) <= 3 for code in langs):
                raise click.BadParameter(
                    f"{languages!r} is not a list of language codes such as en,fr", param_hint="--lang"
                )
        if actors_file is not None:
            try:
                load_table(actors_file)
            except AliasTableError as exc:
                raise click.BadParameter(str(exc), param_hint="--actors") from None
        return func(*args, languages=langs, actors_file=actors_file, **kwargs)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="news-search")
def main():
    """Search a news archive in English and French: who said what about whom, and when."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@ingest_options
def inspect(paths, languages, actors_file):
    """Print what ingest makes of each article under PATHS, as JSON Lines."""
    from indexer.ingest.article import Problem
    from indexer.ingest.pipeline import Pipeline, ingest

    pipeline = Pipeline(languages or settings.LANGUAGES, actors_file or str(settings.ACTORS_FILE))

    read = failed = 0
    for item in ingest(paths, pipeline):
        if isinstance(item, Problem):
            failed += 1
            report(str(item))
            continue
        for warning in item.warnings:
            report(f"{item.path}{item.where}: warning: {warning}")
        read += 1
        click.echo(json.dumps(item.to_json(), ensure_ascii=False))
    if failed and not read:
        sys.exit(1)


class Progress:
    """How many articles were ingested, on stderr, drawn only when stderr is a terminal
    (the total is not known ahead: large files are read as they are ingested)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.drawn = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        import time

        if self.enabled and time.monotonic() - self.drawn > 0.2:
            self.drawn = time.monotonic()
            click.echo(f"\rindexing: {done} articles read", err=True, nl=False)

    def close(self) -> None:
        if self.enabled and self.drawn:
            click.echo("\r\033[K", err=True, nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@index_option
@ingest_options
@click.option(
    "--rebuild",
    is_flag=True,
    help="Index everything again from scratch (beside the "
    "current index, which serves searches until the new one is committed).",
)
@click.option(
    "--optimize", is_flag=True, help="Merge the index into one segment (dropping deleted documents) after indexing."
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success (for cron).")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Ingest processes [default: one per core].")
@click.option(
    "--wait",
    type=click.FloatRange(0),
    default=30.0,
    show_default=True,
    help="Seconds to wait for another indexer to finish.",
)
def index(paths, index_dir, languages, actors_file, rebuild, optimize, quiet, workers, wait):
    """Index the articles under PATHS [default: corpus/], incrementally.

    Unchanged files are skipped, changed ones replaced, vanished ones removed (a folder or
    PATH that cannot be read is reported and what the index holds of it is kept). Exit
    status: 0 when the run completed (even if some files were refused), 1 when the index
    could not be written (the last commit is intact), 2 for bad usage or when none of
    the PATHS exists, 75 when another indexer holds the index.
    """
    import os

    from indexer.store.index_folder import read_meta
    from indexer.store.indexing import IndexBusy, IndexOpenError, IndexWriteError, default_index_dir, run_index

    index_dir = index_dir or str(default_index_dir())
    paths = paths or ["corpus"]
    meta = read_meta(index_dir)  # what the index was built with, unless told otherwise
    languages = languages or tuple(meta.get("languages") or settings.LANGUAGES)
    recorded = (meta.get("actors") or {}).get("path")
    actors_file = actors_file or (recorded if recorded and os.path.isfile(recorded) else str(settings.ACTORS_FILE))
    if not any(os.path.exists(p) for p in paths):
        for p in paths:
            report(f"{printable(p)}: not found")
        sys.exit(2)
    progress = Progress(not quiet)
    try:
        summary = run_index(
            paths,
            index_dir,
            languages=languages,
            actors_file=actors_file,
            rebuild=rebuild,
            optimize=optimize,
            workers=workers,
            timeout=wait,
            progress=progress,
        )
    except IndexBusy as exc:
        report(f"{index_dir}: {exc}")
        sys.exit(75)
    except (IndexOpenError, IndexWriteError) as exc:
        report(str(exc))
        sys.exit(1)
    finally:
        progress.close()
    for line in summary.warnings + summary.problems:
        report(line)
    if not quiet:
        click.echo(f"{printable(index_dir)}: {summary.line()}")


def open_engine(index_dir):
    """The search engine of the index; its notices (an alias table changed since
    indexing) are one line each on stderr."""
    from indexer.store.indexing import default_index_dir

    from .engine import SearchEngine

    engine = SearchEngine(index_dir or default_index_dir())
    for notice in engine.notices:
        report(notice)
    return engine


def run_or_exit(func, *args):
    """Call the library; turn its errors into one line on stderr and exit status 2."""
    from .engine import IndexMissing
    from .querying import QueryError

    try:
        return func(*args)
    except QueryError as exc:
        report(f"{exc.param}: {exc}")
    except IndexMissing as exc:
        report(str(exc))
    except Exception as exc:  # a bug must still be one line, never a traceback
        report(f"internal error, please report it: {str(exc).splitlines()[0] if str(exc) else 'no message'}")
        sys.exit(1)
    sys.exit(2)


@main.command()
@click.argument("text", required=False, default="")
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "date", "recent"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1, 10_000), default=1, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--no-facets", is_flag=True, help="Do not count facets.")
@click.option(
    "--no-collapse", is_flag=True, help="List every copy of a story (reprints, translations), not only its best one."
)
@index_option
def query(text, actors, since, until, lang, source, sort, limit, page, fmt, no_facets, no_collapse, index_dir):
    """Search the index. TEXT uses words (ANDed), OR, NOT, "phrases", prefix*, and
    title:, actor:, lang:, source:, date: (2023, 2023-09, [2023-09-01 to 2023-09-30])."""
    from . import output
    from .engine import SearchRequest

    engine = run_or_exit(open_engine, index_dir)
    request = SearchRequest(
        text, list(actors), since, until, lang, source, sort, limit, page, not no_facets, collapse=not no_collapse
    )
    result = run_or_exit(engine.search, request)
    click.echo(output.render(result, fmt, color=sys.stdout.isatty()), nl=False)
    if page > 1 and result["total"] and not result["hits"]:
        listed = result["stories"] if result.get("collapsed") else result["total"]  # what the pages go through
        report(f"--page {page} is past the last page of this search ({-(-listed // limit)})")


@main.command()
@click.argument("article_id")
@index_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(article_id, index_dir, fmt):
    """Show one whole cleaned article with its metadata."""
    from . import output

    engine = run_or_exit(open_engine, index_dir)
    record = run_or_exit(engine.article, article_id)
    if record is None:
        report(f"no article with id {article_id!r}")
        sys.exit(2)
    click.echo(json.dumps(record, ensure_ascii=False, indent=1) if fmt == "json" else output.article_text(record))


@main.command()
@index_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(index_dir, fmt):
    """Articles, date range, languages, top actors and the last indexing run."""
    from . import output

    engine = run_or_exit(open_engine, index_dir)
    data = run_or_exit(engine.stats)
    click.echo(json.dumps(data, ensure_ascii=False, indent=1) if fmt == "json" else output.stats_text(data))


@main.command()
@click.option("--type", "kind", type=click.Choice(["person", "country", "organization", "place"]))
@click.option(
    "--actors",
    "actors_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Alias table (CSV) to use instead of the bundled one.",
)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="List the actors of this index, with their articles.",
)
@click.option("--discovered", is_flag=True, help="Only the actors discovered in the index's articles.")
@click.option(
    "--export",
    is_flag=True,
    help="Print the index's alias table with the discovered actors added (CSV), to edit and index with --actors.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def actors(kind, actors_file, index_dir, discovered, export, fmt):
    """List the actors: the alias table's; with an index, the discovered ones too, with the
    number of articles naming each."""
    from indexer.ingest.actors import load_table

    from . import actor_list

    if index_dir is None and not discovered and not export:
        try:
            table = load_table(actors_file or str(settings.ACTORS_FILE))
        except AliasTableError as exc:
            raise click.BadParameter(str(exc), param_hint="--actors") from None
        rows = actor_list.table_rows(table, kind)
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        for row in rows if fmt == "text" else ():
            click.echo(f"{row['name']}\t{row['type']}\t{'; '.join(row['spellings'])}")
        return
    engine = run_or_exit(open_engine, index_dir)
    counts = run_or_exit(engine.actor_counts)
    rows = actor_list.index_rows(engine.table, engine.discovered, counts, kind, discovered or export)
    if export:
        try:
            table_text = Path(engine.table.path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            report(f"{engine.table.path}: cannot read the index's alias table ({exc})")
            sys.exit(2)
        click.echo(actor_list.export_csv(rows, table_text), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for row in rows:
            origin = "discovered" if row["discovered"] else "table"
            click.echo(f"{row['name']}\t{row['type']}\t{row['articles']}\t{origin}\t{'; '.join(row['spellings'])}")


@main.command()
@index_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (the default is this machine only)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option(
    "--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="Requests each worker serves at once."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes serving the page, each with its own searcher [default: one per core].",
)
@click.option(
    "--base-url",
    default=None,
    help="The page's public address (for OpenSearch), e.g. https://news.example.org/; by default links are relative.",
)
def serve(index_dir, host, port, threads, workers, base_url):
    """Serve the search page (and its JSON twin under /api/) with waitress."""
    from .engine import SearchEngine, SearchRequest
    from .web import create_app
    from .web.workers import default_workers, listening_socket
    from .web.workers import serve as serve_workers

    engine = run_or_exit(open_engine, index_dir)
    workers = workers or default_workers()
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        report(f"--port: cannot listen on {host}:{port}: {exc.strerror or exc}")
        sys.exit(2)
    click.echo(
        f"news-search: serving {engine.index_dir} on http://{host}:{port}/ "
        f"({workers} worker{'s' if workers != 1 else ''} of {threads} threads)",
        err=True,
    )

    def make_app():
        # each worker opens the index itself (no file is shared between processes) and
        # loads its columns with one search before it takes a connection
        worker_engine = engine if workers == 1 else SearchEngine(engine.index_dir)
        try:
            worker_engine.search(SearchRequest("", limit=1))
        except Exception:  # no index yet, say: the page says so
            pass
        return create_app(engine=worker_engine, base_url=base_url)

    serve_workers(make_app, sock, workers, threads, ident="news-search")


from .watch_cli import alerts, watch  # noqa: E402  (they use the helpers above)

main.add_command(watch)
main.add_command(alerts)

if __name__ == "__main__":
    main()
