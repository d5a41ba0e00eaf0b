"""Language of every paragraph, with langdetect's profiles, exactly and deterministically.

langdetect estimates a naive-Bayes language probability by sampling the text's character
n-grams at random (hence its seed). Here the same model, langdetect's own 55 profiles and
its character normalisation, is evaluated on *every* n-gram at once, as one matrix sum:
the answer is what langdetect's sampling converges to, with no randomness, and many times
faster. Then:

* the configured languages (default en, fr) get a prior, so a short English or French
  sentence is not taken for Catalan or Romanian, while a German, Spanish or Russian
  paragraph still scores as what it is and is tagged so, never as en or fr;
* between the configured languages, word frequencies (wordfreq) add evidence that
  character n-grams lack ("Ask me if you have any questions.");
* scripts langdetect has no profile for (Armenian, Georgian) are recognised by script;
* a short paragraph or heading keeps a language of its own only on clear evidence, and
  otherwise takes its neighbours'; text with no letters gets none.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import settings

URL = re.compile(r"https?://\S+|www\.\S+")
MAIL = re.compile(r"[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}")
WORD = re.compile(r"[^\W\d_]+")
#: Scripts that name their language by themselves (langdetect has no profile for them).
SCRIPTS = (("hy", re.compile("[\u0530-\u058f]")), ("ka", re.compile("[\u10a0-\u10ff]")))
#: Smoothing of langdetect's model (its ALPHA_DEFAULT / BASE_FREQ).
SMOOTHING = 0.5 / 10000
#: How much of a paragraph is scored: its first hundred words or so decide its language.
MAX_CHARS = 700
#: Words whose scores are remembered (the cache is emptied when full).
WORD_CACHE = 100_000


def count_letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _word_ngrams(word: str) -> list[str]:
    w = f" {word} "
    n = len(w)
    return [w[i : i + 1] for i in range(1, n - 1)] + [w[i : i + 2] for i in range(n - 1)] + [
        w[i : i + 3] for i in range(n - 2)
    ]


class _Normalizer(dict):
    """str.translate table applying langdetect's per-character normalisation, built lazily."""

    def __missing__(self, code: int) -> str:
        from langdetect.utils.ngram import NGram

        value = NGram.normalize(chr(code))
        self[code] = value
        return value


@dataclass
class Guess:
    lang: str | None
    margin: float
    letters: int
    #: the likeliest configured language, for a short text with no neighbour to lean on
    fallback: str | None = None


class LanguageDetector:
    """Detect the language of texts; ``languages`` are the ones the archive expects."""

    def __init__(self, languages: tuple[str, ...] = settings.LANGUAGES):
        from langdetect import detector_factory
        from langdetect.detector_factory import DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(detector_factory.PROFILES_DIRECTORY)
        self.langs = list(factory.langlist)
        grams = factory.word_lang_prob_map
        self.index = {gram: i for i, gram in enumerate(grams)}
        self.logprob = np.log(np.array(list(grams.values()), dtype=np.float64) + SMOOTHING).astype(np.float32)
        self.prior = np.zeros(len(self.langs), dtype=np.float32)
        self.configured = [lang for lang in languages if lang in self.langs]
        for lang in self.configured:
            self.prior[self.langs.index(lang)] = settings.LANGUAGE_PRIOR
        self.foreign = np.array([lang not in self.configured for lang in self.langs])
        self.ours = np.array([self.langs.index(lang) for lang in self.configured], dtype=int)
        self.normalizer = _Normalizer()
        self.ascii_normalizer = bytes(ord(self.normalizer[c]) for c in range(128)).ljust(256, b" ")
        self._words = None
        self._word_ids: dict[str, int] = {}
        self._word_scores = np.zeros((WORD_CACHE, len(self.langs)), dtype=np.float32)
        self._word_logs: dict[str, list[float]] = {}

    # --- evidence -------------------------------------------------------------------------

    def _words_of(self, text: str) -> list[str]:
        text = text[:MAX_CHARS]
        if "@" in text or "http" in text or "www." in text:
            text = MAIL.sub(" ", URL.sub(" ", text))
        if text.isascii():  # the common case, with a byte table built from the same rule
            text = text.encode("ascii").translate(self.ascii_normalizer).decode("ascii")
        else:
            text = text.translate(self.normalizer)
        return [w for w in text.split() if not (len(w) > 1 and w.isupper())]

    def word_rows(self, text: str) -> list[int]:
        """For each word of ``text``, its row in the word-score matrix.

        A word's score vector (the sum of its n-grams' log-probabilities) is computed once
        and kept, so scoring a text sums one row per word rather than one per n-gram.
        """
        ids, matrix = self._word_ids, self._word_scores
        out: list[int] = []
        for word in self._words_of(text):
            row = ids.get(word)
            if row is None:
                grams = [self.index[g] for g in _word_ngrams(word) if g in self.index]
                if not grams:
                    continue
                if len(ids) >= len(matrix):
                    ids.clear()  # full: start again; words come back as they are seen
                row = ids[word] = len(ids)
                matrix[row] = self.logprob[grams].sum(axis=0)
            out.append(row)
        return out

    def word_evidence(self, text: str) -> dict[str, float]:
        """Log word-frequency likelihood of the text in each configured language."""
        if self._words is None:
            import wordfreq

            self._words = {lang: wordfreq.get_frequency_dict(lang, "small") for lang in self.configured}
        cache, tables = self._word_logs, self._words
        total = [0.0] * len(tables)
        for word in WORD.findall(text[:MAX_CHARS]):
            logs = cache.get(word)
            if logs is None:
                if len(cache) > WORD_CACHE:
                    cache.clear()
                lower = word.lower()
                logs = cache[word] = [math.log(t.get(lower, 0.0) + 1e-6) for t in tables.values()]
            for i, value in enumerate(logs):
                total[i] += value
        return dict(zip(tables, total))

    # --- decisions ------------------------------------------------------------------------

    def guess(self, text: str) -> Guess:
        """The most likely language of ``text``, and by how much (log-probability)."""
        letters = count_letters(text)
        if not letters:
            return Guess(None, 0.0, 0)
        if not text.isascii():
            for lang, script in SCRIPTS:
                if len(script.findall(text)) * 2 > letters:
                    return Guess(lang, math.inf, letters)
        rows = self.word_rows(text)
        if not rows:
            return Guess(None, 0.0, letters)
        scores = self._word_scores[rows].sum(axis=0) + self.prior
        best = int(scores.argmax())
        if not self.configured:
            return Guess(self.langs[best], float(scores[best] - np.partition(scores, -2)[-2]), letters)
        ours = scores[self.ours]
        ranked = np.argsort(ours)[::-1]
        fallback = self.configured[int(ranked[0])]
        if self.foreign[best]:
            # how sure it is *not* one of ours is what matters
            return Guess(self.langs[best], float(scores[best] - ours[ranked[0]]), letters, fallback)
        foreign = float(scores[self.foreign].max()) if self.foreign.any() else -math.inf
        lang, gap = fallback, math.inf
        if len(ranked) > 1:
            gap = float(ours[ranked[0]] - ours[ranked[1]])
            if gap < settings.WORD_EVIDENCE_GATE:
                # close between our languages: word frequencies decide too
                words = self.word_evidence(text)
                total = {c: float(ours[i]) + settings.WORD_EVIDENCE_WEIGHT * words[c] for i, c in enumerate(self.configured)}
                order = sorted(total, key=total.get, reverse=True)
                lang, gap = order[0], total[order[0]] - total[order[1]]
        margin = min(gap, float(scores[self.langs.index(lang)]) - foreign)
        return Guess(lang, margin, letters, fallback)

    def detect(self, text: str) -> str | None:
        return self.guess(text).lang

    def is_sure(self, g: Guess) -> bool:
        """Whether a paragraph's own guess stands (long, or short with clear evidence)."""
        if g.lang is None:
            return False
        if g.letters >= settings.SHORT_PARAGRAPH_LETTERS:
            return True
        needed = settings.SHORT_PARAGRAPH_MARGIN if g.lang in self.configured else settings.SHORT_FOREIGN_MARGIN
        return g.margin >= needed

    def tag(self, paragraphs: list[str]) -> list[str | None]:
        """The language of each paragraph, short ones leaning on their neighbours."""
        guesses = [self.guess(p) for p in paragraphs]
        sure = [self.is_sure(g) for g in guesses]
        tags = []
        for i, g in enumerate(guesses):
            if sure[i] or g.lang is None and not g.letters:
                tags.append(g.lang)
                continue
            before = next((guesses[j].lang for j in range(i - 1, -1, -1) if sure[j]), None)
            after = next((guesses[j].lang for j in range(i + 1, len(guesses)) if sure[j]), None)
            tags.append(before or after or g.fallback or g.lang)
        return tags


def summarize(paragraphs: list[str], tags: list[str | None]) -> tuple[str | None, list[str]]:
    """The main language (most letters) and every language present, most used first."""
    letters: Counter[str] = Counter()
    for text, lang in zip(paragraphs, tags):
        if lang:
            letters[lang] += count_letters(text)
    ranked = [lang for lang, _ in letters.most_common()]
    return (ranked[0] if ranked else None), ranked


@lru_cache(maxsize=4)
def get_detector(languages: tuple[str, ...] = settings.LANGUAGES) -> LanguageDetector:
    """One detector per process: loading the profiles takes about a second."""
    return LanguageDetector(languages)
