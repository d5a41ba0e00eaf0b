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
