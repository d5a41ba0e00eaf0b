"""Analyzers: how text becomes index terms, one composition per language.

Each analyzer is Whoosh parts put together (``tokenizer | filter | filter``):

* the tokenizer keeps apostrophes inside words, so that
* :class:`ApostropheFilter` can drop French elisions ("l'OTSC" -> "OTSC", "qu'il" -> "il")
  and English possessives ("Pashinyan's" -> "Pashinyan");
* accents fold right after lower-casing (:class:`FoldFilter`), before stop words, so
  "Serguei" finds "Sergueï"; the word as written is kept for the stemmer;
* a language's stop words (``indexer/data/stopwords-<lang>.txt``, else Whoosh's list),
  compared folded, are dropped;
* stemming (:class:`FoldedStemFilter`) stems the folded word; in a language whose stemmer
  reads accents to find suffixes (French: "signée" and "signé" are both ``sign`` only when
  stemmed with their accents; ``STEM_BEFORE_FOLDING`` in ``indexer/settings.py``) the word
  as written is stemmed too and that stem folded; when the two stems differ both are
  indexed at the word's position, so "securite" typed without accents still finds
  "sécurité" and "signé" finds "signée". A query word may so give two terms at one
  position: either one matching is the word matching.

English: English stop words and stemming; French: French stop words and Snowball French
stemming; any other language: Whoosh's stop words and a stemmer where Whoosh has one, with
the neutral analysis (no stop words, no stemming) for ``None``.

The stemmers are the Snowball project's own (PyStemmer, in C, ``STEMMERS`` in
``indexer/settings.py``), not Whoosh's Python port of an older Snowball: five times faster,
and its English no longer makes "organization" ``organ``, "international" ``intern`` or
"added" ``ad``, nor its French "palais" ``pal``.
"""

from __future__ import annotations

import re
import threading
from functools import cache

import Stemmer
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import NoStopWords, stopwords_for_language
from whoosh.support.charset import accent_map

from .. import settings

WORD = r"\w+(?:['’]\w+)*"
TOKEN = re.compile(WORD)
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
                    text = text[m.end() :]
                    if t.chars:
                        t.startchar += m.end()
                text = POSSESSIVE.sub("", text)
                if t.chars:
                    t.endchar = t.startchar + len(text)
                t.text = text
            yield t


class FoldFilter(Filter):
    """Fold accents ("sécurité" -> "securite"), keeping the word as written (lower-cased)
    in ``token.written`` for a stemmer that reads accents."""

    def __call__(self, tokens):
        for t in tokens:
            t.written = t.text
            if not t.text.isascii():
                t.text = t.text.translate(accent_map)
            yield t


class FoldedStemFilter(StemFilter):
    """Stem the folded word; with ``accents``, also stem the word as written and fold that
    stem, yielding it as a second token at the same position when the two differ."""

    def __init__(self, lang: str, accents: bool = False, cachesize: int = 50000):
        super().__init__(lang=lang, cachesize=cachesize)
        self.accents = accents

    def clear(self):
        """Set the stemmer (Whoosh calls this when the filter is made or unpickled)."""
        self._stem = stemmer(self.lang) or str

    def __call__(self, tokens):
        stem, accents = self._stem, self.accents
        for t in tokens:
            if t.stopped:
                yield t
                continue
            written = getattr(t, "written", t.text)
            folded_stem = t.text = stem(t.text)
            yield t
            if accents and not written.isascii():
                other = _unaccent(stem(written))
                if other != folded_stem:
                    t.text = other
                    yield t


def _unaccent(word: str) -> str:
    """A word as the analyzer folds the text (Whoosh's accent map, lower case)."""
    return word.translate(accent_map).lower()


@cache
def stoplist_for(lang: str | None) -> frozenset[str]:
    """The language's stop words, folded as the text they are checked against: the list in
    ``indexer/data/stopwords-<lang>.txt`` when there is one, else Whoosh's."""
    if lang is None:
        return frozenset()
    path = settings.DATA_DIR / settings.STOPWORDS_FILE.format(lang=lang)
    if path.exists():
        lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
        words = [w for w in lines if w]
    else:
        try:
            words = list(stopwords_for_language(lang))
        except NoStopWords:
            return frozenset()
    folded = {_unaccent(w) for w in words}
    return frozenset(folded | {w.replace("'", "’") for w in folded})


def stemmer(lang: str | None):
    """The Snowball stemmer of a language (a function of a word), or None without one.

    A PyStemmer object must not be used by two threads at once (the web server answers
    in several): each thread stems with its own."""
    algorithm = settings.STEMMERS.get(lang) if lang is not None else None
    if algorithm is None:
        return None
    return _stemmer_function(algorithm)


_threads = threading.local()


@cache
def _stemmer_function(algorithm: str):
    def stem(word: str) -> str:
        try:
            own = _threads.stemmers[algorithm]
        except (AttributeError, KeyError):
            own = _threads.__dict__.setdefault("stemmers", {})[algorithm] = Stemmer.Stemmer(algorithm)
        return own.stemWord(word)

    return stem


def stems_accents(lang: str | None) -> bool:
    """Whether the language's stemmer reads accents (its words are stemmed as written too)."""
    return lang in settings.STEM_BEFORE_FOLDING


def analyzer_for(lang: str | None):
    """The analyzer of one language's field; ``None`` (or an unknown code) is neutral."""
    chain = RegexTokenizer(WORD) | ApostropheFilter() | LowercaseFilter()
    stemmed = stemmer(lang) is not None
    chain = chain | (FoldFilter() if stemmed and stems_accents(lang) else CharsetFilter(accent_map))
    stoplist = stoplist_for(lang)
    if stoplist:
        chain = chain | StopFilter(stoplist=stoplist, minsize=settings.MIN_WORD_CHARS)
    if stemmed:
        chain = chain | FoldedStemFilter(lang, accents=stems_accents(lang))
    return chain


class Terms:
    """The same analysis as :func:`analyzer_for`, fast, for indexing.

    Whoosh's analyzers run a generator per filter per token; indexing many articles, the
    same words come back again and again, so here each distinct word is analyzed once and
    remembered, and a text's postings are built in one pass. ``tests/test_analysis.py``
    checks that both give the same terms at the same positions.

    A word has no term (a stop word), one, or two (its folded form's stem, then the stem
    of the word as written, folded, in a language that stems accents): the cache holds
    None, a string or a pair.
    """

    def __init__(self, lang: str | None, cache_size: int = 200_000):
        self.stoplist = stoplist_for(lang)
        self.minsize = settings.MIN_WORD_CHARS if self.stoplist else 0
        self.stem = stemmer(lang)
        self.accents = self.stem is not None and stems_accents(lang)
        self.cache = _Remembered(self._analyze_new, cache_size)

    def _analyze(self, token: str) -> str | tuple[str, str] | None:
        """The token's term, or its two terms, or None (cached)."""
        return self.cache[token]

    def _analyze_new(self, token: str) -> str | tuple[str, str] | None:
        """:meth:`_analyze` of a token not in the cache."""
        text = token
        if "'" in text or "’" in text:
            m = ELISION.match(text)
            if m:
                text = text[m.end() :]
            text = POSSESSIVE.sub("", text)
        written = text = text.lower()
        if not text.isascii():
            text = text.translate(accent_map)
        if len(text) < self.minsize or text in self.stoplist:
            term = None
        elif self.stem is None:
            term = text
        else:
            term = self.stem(text)
            if self.accents and not written.isascii():
                other = _unaccent(self.stem(written))
                if other != term:
                    term = (term, other)
        return term

    def terms(self, token: str) -> tuple[str, ...]:
        """Every index term of one token (none for a stop word)."""
        term = self._analyze(token)
        return () if term is None else term if type(term) is tuple else (term,)

    def term(self, token: str) -> str | None:
        """The first index term of one token (its folded form's stem: what the word typed
        without accents gives), or None when it is a stop word; see :meth:`terms`."""
        term = self._analyze(token)
        return term[0] if type(term) is tuple else term

    def positions(self, text: str) -> dict[str, list[int]]:
        """Term -> positions, numbered as Whoosh's StopFilter renumbers them."""
        return self.postings(text)[0]

    def postings(self, text: str) -> tuple[dict[str, list[int]], dict[str, int]]:
        """Term -> positions (as :meth:`positions`), and term -> how many of those are a
        word's second term (the stem of the word as written): a document's length counts
        each word once, as Lucene discounts tokens stacked at one position."""
        terms = list(map(self.cache.__getitem__, TOKEN.findall(text)))
        out: dict[str, list[int]] = {}
        seconds: dict[str, int] = {}
        if self.stoplist:
            # stop words are removed and the rest renumbered from the first kept position
            first = next((i for i, term in enumerate(terms) if term is not None), 0)
            kept = enumerate((term for term in terms if term is not None), first)
        else:
            kept = enumerate(terms)
        for pos, term in kept:
            if term is None:
                continue
            if type(term) is tuple:
                term, second = term
                poses = out.get(second)
                if poses is None:
                    out[second] = [pos]
                else:
                    poses.append(pos)
                seconds[second] = seconds.get(second, 0) + 1
            poses = out.get(term)
            if poses is None:
                out[term] = [pos]
            else:
                poses.append(pos)
        return out, seconds


class _Remembered(dict):
    """Token -> its terms, each computed once by ``analyze`` when first asked for (so a
    text's tokens are looked up in one ``map``); emptied when ``size`` tokens are held."""

    def __init__(self, analyze, size: int):
        super().__init__()
        self.analyze, self.size = analyze, size

    def __missing__(self, token: str):
        if len(self) >= self.size:
            self.clear()
        term = self[token] = self.analyze(token)
        return term


@cache
def terms_for(lang: str | None) -> Terms:
    """One :class:`Terms` per language, shared by its readers (and its cache with them)."""
    return Terms(lang)


@cache
def stop_words(languages: tuple[str, ...]) -> frozenset[str]:
    """The stop words of every one of ``languages``, folded."""
    return frozenset().union(*(stoplist_for(lang) for lang in languages))
