"""Known news sources: recognise a line that only names an outlet or agency.

The list lives in ``data/sources.txt`` (one name per line) so that users can extend it.
Cleaning uses :func:`match_source` on header and credit lines: "AFP" at the end of an
article, or "Le Monde" under an aggregator's banner, is the article's source, not its text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .. import settings
from .folding import fold

CREDIT = re.compile(
    r"^\(?\s*(?:source|sources|credit|crédit|with|avec|by|par|©|\(c\))?\s*[:\-–—]?\s*(?P<name>.+?)\s*[.)]?\s*$",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    """A source's name folded, with straight apostrophes."""
    return fold(text.replace("’", "'"))


@lru_cache(maxsize=4)
def load_sources(path: Path = settings.SOURCES_FILE) -> dict[str, str]:
    """Folded name -> display name."""
    names = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names[_key(line)] = line
    return names


def match_source(line: str) -> str | None:
    """The source named by a line that holds nothing else (perhaps 'Source:' or '©')."""
    if len(line) > 60:
        return None
    match = CREDIT.match(line.strip())
    if not match:
        return None
    return load_sources().get(_key(match.group("name")))
