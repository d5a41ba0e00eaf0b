"""Word lists of the actor rules, read once from ``indexer/data``: titles before a
person's name, name particles, the head words of organisations' and places' names,
locatives, words that are never names (or not alone), nouns that make an acronym a
thing's, and the stop and source lists they also use."""

from __future__ import annotations

from functools import lru_cache

from .. import settings
from .folding import fold


def read_words(name: str) -> frozenset[str]:
    """The words of the data file ``name``, folded; lines starting with ``#`` are comments."""
    lines = (settings.DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(fold(w.strip()) for w in lines if w.strip() and not w.lstrip().startswith("#"))


@lru_cache(maxsize=1)
def word_lists() -> dict[str, frozenset[str]]:
    """Every list, by name."""
    stops = frozenset().union(
        *(read_words(settings.STOPWORDS_FILE.format(lang=lang)) for lang in settings.DISCOVERY_LANGUAGES)
    )
    return {
        "titles": read_words("name-titles.txt"),
        "honorifics": read_words("name-honorifics.txt"),
        "particles": read_words("name-particles.txt"),
        "org": read_words("name-heads-organization.txt"),
        "place": read_words("name-heads-place.txt"),
        "place_prefixes": read_words("name-heads-place-prefixes.txt"),
        "locatives": read_words("name-locatives.txt"),
        "org_context": read_words("name-org-context.txt"),
        "short_heads": read_words("name-short-heads.txt"),
        "org_roles": read_words("name-org-roles.txt"),
        "work_nouns": read_words("name-work-nouns.txt"),
        "work_roles": read_words("name-work-roles.txt"),
        "person_verbs": read_words("name-person-verbs.txt"),
        "events": read_words("name-not-actors.txt"),
        "common": read_words("name-common-words.txt"),
        "things": read_words("name-thing-heads.txt"),
        "debris": read_words("name-debris.txt") | stops,
        "determiners": read_words("name-determiners.txt"),
        "definite": read_words("name-definite-articles.txt"),
        "noun_endings": read_words("name-noun-endings.txt"),
        "institutions": read_words("name-institutions.txt"),
        "products": read_words("name-product-words.txt"),
        "conjunctions": read_words("name-conjunctions.txt"),
        "sources": read_words(settings.SOURCES_FILE.name),
    }
