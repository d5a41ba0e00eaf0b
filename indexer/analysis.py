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
from whoosh.lang import NoStopWords, has_stemmer, stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

WORD = r"\w+(?:['’]\w+)*"
TOKEN = re.compile(WORD)
MIN_SIZE = 2
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


def stoplist_for(lang: str | None) -> frozenset[str]:
    """The language's stop words, folded as the text they are checked against."""
    if lang is None:
        return frozenset()
    try:
        return frozenset(_fold(w) for w in stopwords_for_language(lang))
    except NoStopWords:
        return frozenset()


def analyzer_for(lang: str | None):
    """The analyzer of one language's field; ``None`` (or an unknown code) is neutral."""
    chain = RegexTokenizer(WORD) | ApostropheFilter() | LowercaseFilter() | CharsetFilter(accent_map)
    stoplist = stoplist_for(lang)
    if stoplist:
        chain = chain | StopFilter(stoplist=stoplist, minsize=MIN_SIZE)
    if lang is not None and has_stemmer(lang):
        chain = chain | StemFilter(lang=lang, cachesize=50000)
    return chain


class Terms:
    """The same analysis as :func:`analyzer_for`, fast, for indexing.

    Whoosh's analyzers run a generator per filter per token; indexing many articles, the
    same words come back again and again, so here each distinct word is analyzed once and
    remembered, and a text's postings are built in one pass. ``tests/test_analysis.py``
    checks that both give the same terms at the same positions.
    """

    def __init__(self, lang: str | None, cache_size: int = 200_000):
        self.stoplist = stoplist_for(lang)
        self.minsize = MIN_SIZE if self.stoplist else 0
        self.stem = stemmer_for_language(lang) if lang is not None and has_stemmer(lang) else None
        self.cache: dict[str, str | None] = {}
        self.cache_size = cache_size

    def term(self, token: str) -> str | None:
        """The index term of one token, or None when it is a stop word."""
        term = self.cache.get(token, _MISSING)
        if term is _MISSING:
            text = token
            if "'" in text or "’" in text:
                m = ELISION.match(text)
                if m:
                    text = text[m.end():]
                text = POSSESSIVE.sub("", text)
            text = text.lower()
            if not text.isascii():
                text = text.translate(accent_map)
            if len(text) < self.minsize or text in self.stoplist:
                term = None
            else:
                term = self.stem(text) if self.stem else text
            if len(self.cache) >= self.cache_size:
                self.cache.clear()
            self.cache[token] = term
        return term

    def counts(self, text: str) -> dict[str, int]:
        """Term -> how many times it occurs (stop words left out)."""
        cache, term_of = self.cache, self.term
        out: dict[str, int] = {}
        for token in TOKEN.findall(text):
            term = cache[token] if token in cache else term_of(token)
            if term is not None:
                out[term] = out.get(term, 0) + 1
        return out

    def positions(self, text: str) -> dict[str, list[int]]:
        """Term -> positions, numbered as Whoosh's StopFilter renumbers them."""
        cache, term_of = self.cache, self.term
        terms = [cache[t] if t in cache else term_of(t) for t in TOKEN.findall(text)]
        out: dict[str, list[int]] = {}
        if self.stoplist:
            # stop words are removed and the rest renumbered from the first kept position
            first = next((i for i, term in enumerate(terms) if term is not None), 0)
            kept = enumerate((term for term in terms if term is not None), first)
        else:
            kept = enumerate(terms)
        for pos, term in kept:
            if term is not None:
                poses = out.get(term)
                if poses is None:
                    out[term] = [pos]
                else:
                    poses.append(pos)
        return out


_MISSING = object()
