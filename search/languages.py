"""Language codes and their English names (``data/languages.csv``): how the page and
the feeds name a language, and how a ``lang`` filter may be written (``fr`` or
``French``)."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

LANGUAGES_FILE = Path(__file__).with_name("data") / "languages.csv"


@functools.cache
def language_names() -> dict[str, str]:
    """Language codes to English names."""
    with LANGUAGES_FILE.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def language_name(code: str) -> str:
    """The English name of a language code, or the code when it has none."""
    return language_names().get(code.lower(), code)


def language_code(text: str) -> str:
    """The code a ``lang`` value means: a code as given (in lower case), or the code of
    a language's English name (``French`` is ``fr``), without regard to case."""
    wanted = text.strip().casefold()
    for code, name in language_names().items():
        if name.casefold() == wanted:
            return code
    return wanted
