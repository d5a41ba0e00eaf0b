"""Options shared by the command line's commands (``news-search`` and its saved-search
commands), as decorators."""

from __future__ import annotations

import click


def index_option(func):
    """--index DIR, shared by every command that uses the index."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Index directory [default: $NEWS_SEARCH_INDEX or index/].",
    )(func)


def filter_options(func):
    """--actor, --since, --until, --lang and --source: the filters of a search, shared by
    ``query`` and ``watch add``."""
    for option in reversed(
        [
            click.option(
                "--actor", "actors", multiple=True, help="Only articles naming this actor (any spelling); repeatable."
            ),
            click.option("--since", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD."),
            click.option("--until", help="Up to this date (inclusive): YYYY, YYYY-MM or YYYY-MM-DD."),
            click.option(
                "--lang", help="Only articles with text in this language (a code such as fr, or its name: French)."
            ),
            click.option("--source", help="Only articles from this source."),
        ]
    ):
        func = option(func)
    return func
