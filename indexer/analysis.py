"""Analyzers: how text becomes index terms, one composition per language.

Each analyzer is Whoosh parts put together (``tokenizer | filter | filter``):

* the tokenizer keeps apostrophes inside words, so that
* :class:`ApostropheFilter` can drop French elisions ("l'OTSC" -> "OTSC", "qu'il" -> "il")
  and English possessives ("Pashinyan's" -> "Pashinyan");
* accents fold right after lower-casing (``CharsetFilter``), before stop words and
  stemming, so "securite" and "sécurité" stem alike and "Serguei" finds "Sergueï";
* English: English stop words and stemming; French: French stop words (folded) and
  Snowball French stemming; any other language: no stop words, no stemming.
"""

from __future__ import annotations

import re

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import NoStopWords, has_stemmer, stopwords_for_language
from whoosh.support.charset import accent_map

WORD = r"\w+(?:['’]\w+)*"
ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)", re.IGNORECASE)
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


class ApostropheFilter(Filter):
    """Drop a French elided article or pronoun before a word, and an English ``'s``."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if "'" in text or "’" in text:
                m = ELISION.match(text)
                if m:
                    text = text[m.end():]
                    if t.chars:
                        t.startchar += m.end()
                text = POSSESSIVE.sub("", text)
                if t.chars:
                    t.endchar = t.startchar + len(text)
                t.text = text
            yield t


def _fold(word: str) -> str:
    return word.translate(accent_map).lower()


def analyzer_for(lang: str | None):
    """The analyzer of one language's field; ``None`` (or an unknown code) is neutral."""
    chain = RegexTokenizer(WORD) | ApostropheFilter() | LowercaseFilter() | CharsetFilter(accent_map)
    if lang is None:
        return chain
    try:
        stoplist = frozenset(_fold(w) for w in stopwords_for_language(lang))
    except NoStopWords:
        stoplist = frozenset()
    if stoplist:
        chain = chain | StopFilter(stoplist=stoplist, minsize=2)
    if has_stemmer(lang):
        chain = chain | StemFilter(lang=lang, cachesize=50000)
    return chain
