"""Folding a name for comparison: lower case without accents (``Sergueï`` -> ``serguei``).

Actor spellings, news sources and the words of a query are compared folded. The index's
own words are folded by their analyzer instead (Whoosh's accent map,
:mod:`indexer.store.analysis`), which also maps letters such as ``ø`` that have no accent
to strip.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents (``Sergueï`` -> ``serguei``)."""
    if text.isascii():  # nothing to decompose: the same, sooner
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()
