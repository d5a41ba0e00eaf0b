"""The ``news-search`` command line: a thin layer over the library.

Each command calls one library function and turns its problems into one-line messages on
stderr (``news-search: FILE: reason``); nothing here decides what an article becomes.
"""

from __future__ import annotations

import functools
import json
import sys

import click

from indexer import settings
from indexer.actors import AliasTableError


def report(message: str) -> None:
    click.echo(f"news-search: {message}", err=True)


def pipeline_options(func):
    """--actors and --lang, shared by the commands that ingest articles."""

    @click.option("--actors", "actors_file", type=click.Path(dir_okay=False), default=None,
                  help="Alias table (CSV) to use instead of the bundled one.")
    @click.option("--lang", "languages", default=",".join(settings.LANGUAGES), show_default=True,
                  help="Languages of the archive, comma-separated.")
    @functools.wraps(func)
    def wrapper(*args, actors_file, languages, **kwargs):
        from indexer.pipeline import Pipeline

        langs = tuple(code.strip() for code in languages.split(",") if code.strip())
        try:
            pipeline = Pipeline(langs, actors_file or settings.ACTORS_FILE)
        except AliasTableError as exc:
            raise click.UsageError(str(exc)) from None
        return func(*args, pipeline=pipeline, **kwargs)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="news-search")
def main():
    """Search a news archive in English and French: who said what about whom, and when."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@pipeline_options
def inspect(paths, pipeline):
    """Print what ingest makes of each article under PATHS, as JSON Lines."""
    from indexer.article import Problem
    from indexer.pipeline import ingest

    read = failed = 0
    for item in ingest(paths, pipeline):
        if isinstance(item, Problem):
            failed += 1
            report(str(item))
            continue
        for warning in item.warnings:
            report(f"{item.path}: warning: {warning}")
        read += 1
        click.echo(json.dumps(item.to_json(), ensure_ascii=False))
    if failed and not read:
        sys.exit(1)


if __name__ == "__main__":
    main()
