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
  otherwise takes its neighbours'; a row of names (words with capitals only) is short
  however long; a paragraph keeps a foreign language other than its neighbours' only
  when it beats theirs clearly (Bulgarian-looking Russian headings are Russian);
* a language with little text in an article (``settings.LANGUAGE_MIN_LETTERS``, or a
  share of a short article) is not one of its languages: its paragraphs take their
  neighbours' language, so one-line debris never adds a language to the facet;
* every paragraph with a letter has a language, so every article with text has a main
  language; text with no letters gets none.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import settings

URL = re.compile(r"https?://\S+|www\.\S+")
MAIL = re.compile(r"[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}")
WORD = re.compile(r"[^\W\d_]+")
#: Scripts that name their language by themselves (langdetect has no profile for them).
SCRIPTS = (("hy", re.compile("[\u0530-\u058f]")), ("ka", re.compile("[\u10a0-\u10ff]")))
#: The row of a word that tells no language (see :meth:`LanguageDetector.word_rows`).
NO_ROW = -1
#: Smoothing of langdetect's model (its ALPHA_DEFAULT / BASE_FREQ).
SMOOTHING = 0.5 / 10000


def count_letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def count_evidence(text: str, enough: int = 1 << 30) -> int:
    """Letters of the words that tell a language: not names, acronyms or title-cased words
    (those start with a capital), which look alike in every language that writes them.
    Counting stops at ``enough``."""
    n = 0
    for match in WORD.finditer(text):
        word = match.group()
        if not word[0].isupper():
            n += len(word)
            if n >= enough:
                break
    return n


class _GramRows(dict):
    """The rows (in the profile matrix) of the n-grams a word's letters start, by position.

    A word's n-grams (langdetect's: of " word ", every letter, every two and three
    characters) are, position by position, the three that start there: the key is the
    three characters at a position (two at the last letter), and its value the rows of
    those n-grams that have one (a space is no 1-gram). So a word's rows are found with
    one look-up per letter, each made once per run, instead of three, each on a new string.
    """

    def __init__(self, index: dict[str, int]):
        super().__init__()
        self.index = index

    def __missing__(self, chars: str) -> tuple[int, ...]:
        grams = (chars[0], chars[:2], chars) if chars[0] != " " else (chars[:2], chars)
        rows = self[chars] = tuple(self.index[g] for g in dict.fromkeys(grams) if g in self.index)
        return rows

    def of(self, word: str) -> list[int]:
        """The rows of every n-gram of ``word`` that the profiles know."""
        w = f" {word} "
        rows: list[int] = []
        for i in range(len(w) - 2):
            rows += self[w[i : i + 3]]
        rows += self[w[-2:]]
        return rows


class _Normalizer(dict):
    """str.translate table applying langdetect's per-character normalisation, built lazily."""

    def __missing__(self, code: int) -> str:
        from langdetect.utils.ngram import NGram

        value = NGram.normalize(chr(code))
        self[code] = value
        return value


def load_profiles(smoothing: float | None = None) -> tuple[list[str], dict[str, int], np.ndarray]:
    """langdetect's profiles as its ``DetectorFactory.load_profile`` reads them (the same
    files in the same order, the same probabilities: an n-gram's count over the profile's
    number of n-grams of its length), as a matrix with one row per n-gram and one column
    per language, built with NumPy rather than langdetect's loop over every n-gram of
    every profile (a third of the time, in every worker process). With ``smoothing``, the
    matrix is ``log(probabilities + smoothing)`` as 32-bit floats, computed for the n-grams
    a language has (the others, most of the matrix, all get ``log(smoothing)``)."""
    from langdetect import detector_factory

    directory = detector_factory.PROFILES_DIRECTORY
    langs: list[str] = []
    index: dict[str, int] = {}
    rows, cols, values = [], [], []
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            profile = json.load(f)
        grams, per_length = list(profile["freq"]), profile["n_words"]
        counts = np.fromiter(profile["freq"].values(), dtype=np.float64, count=len(grams))
        lengths = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        totals = np.array([1.0, *map(float, per_length[:3]), 1.0])[np.clip(lengths, 0, 4)]
        rows.append(np.fromiter((index.setdefault(g, len(index)) for g in grams), dtype=np.int64, count=len(grams)))
        cols.append(np.full(len(grams), len(langs)))
        values.append(np.where((lengths >= 1) & (lengths <= 3), counts / totals, 0.0))
        langs.append(profile["name"])
    at, known = (np.concatenate(rows), np.concatenate(cols)), np.concatenate(values)
    if smoothing is None:
        probs = np.zeros((len(index), len(langs)), dtype=np.float64)
        probs[at] = known
        return langs, index, probs
    logs = np.full((len(index), len(langs)), math.log(smoothing), dtype=np.float32)
    logs[at] = np.log(known + smoothing)
    return langs, index, logs


@dataclass
class Guess:
    lang: str | None
    margin: float
    letters: int
    #: the likeliest configured language, for a short text with no neighbour to lean on
    fallback: str | None = None
    #: log-probability of every language (langdetect's order), when n-grams were scored
    scores: np.ndarray | None = None


class LanguageDetector:
    """Detect the language of texts; ``languages`` are the ones the archive expects."""

    def __init__(self, languages: tuple[str, ...] = settings.LANGUAGES):
        self.langs, self.index, self.logprob = load_profiles(SMOOTHING)
        self.prior = np.zeros(len(self.langs), dtype=np.float32)
        self.configured = [lang for lang in languages if lang in self.langs]
        for lang in self.configured:
            self.prior[self.langs.index(lang)] = settings.LANGUAGE_PRIOR
        self.foreign = np.array([lang not in self.configured for lang in self.langs])
        self._lang_index = {lang: i for i, lang in enumerate(self.langs)}
        #: the language of text whose language nothing tells (letters no profile knows)
        self.default = self.configured[0] if self.configured else settings.LANGUAGES[0]
        self.ours = np.array([self.langs.index(lang) for lang in self.configured], dtype=int)
        self.normalizer = _Normalizer()
        self.ascii_normalizer = bytes(ord(self.normalizer[c]) for c in range(128)).ljust(256, b" ")
        self._words = None
        #: word -> its row of ``_word_scores`` (or NO_ROW); rows up to ``_rows_used`` are taken
        self._word_ids: dict[str, int] = {}
        self._gram_rows = _GramRows(self.index)
        self._rows_used = 0
        self._word_scores = np.zeros((settings.LANGUAGE_WORD_CACHE, len(self.langs)), dtype=np.float32)
        self._word_logs: dict[str, list[float]] = {}

    # --- evidence -------------------------------------------------------------------------

    def _words_of(self, text: str) -> list[str]:
        """The text's words as langdetect normalises them, acronyms among them (an
        acronym tells no language: :meth:`word_rows` gives it no row)."""
        text = text[: settings.LANGUAGE_SCORED_CHARS]
        if "@" in text or "http" in text or "www." in text:
            text = MAIL.sub(" ", URL.sub(" ", text))
        if text.isascii():  # the common case, with a byte table built from the same rule
            return text.encode("ascii").translate(self.ascii_normalizer).decode("ascii").split()
        return text.translate(self.normalizer).split()

    def word_rows(self, text: str) -> list[int]:
        """For each word of ``text`` that tells a language, its row in the word-score matrix.

        A word's score vector (the sum of its n-grams' log-probabilities) is computed once
        and kept, so scoring a text sums one row per word rather than one per n-gram. The
        words a text brings that were not seen before are scored together, in one sum. A
        word that tells nothing (an acronym, or no n-gram langdetect knows) is kept as
        :data:`NO_ROW`, so that it is looked at once too.
        """
        ids = self._word_ids
        words = self._words_of(text)
        rows = list(map(ids.get, words))
        if None in rows:
            new = list(dict.fromkeys(w for w, row in zip(words, rows) if row is None))
            if len(ids) + len(new) > len(self._word_scores):
                ids.clear()  # full: start again; words come back as they are seen
                self._gram_rows.clear()
                self._rows_used = 0
                new = list(dict.fromkeys(words))
            self._score_words(new)
            rows = list(map(ids.__getitem__, words))
        return [row for row in rows if row != NO_ROW] if NO_ROW in rows else rows

    def _score_words(self, words: list[str]) -> None:
        """Give each of ``words`` its row of scores (or :data:`NO_ROW`)."""
        ids, gram_rows = self._word_ids, self._gram_rows.of
        flat: list[int] = []
        starts: list[int] = []
        kept: list[str] = []
        for word in words:
            grams = [] if len(word) > 1 and word.isupper() else gram_rows(word)
            if grams:
                starts.append(len(flat))
                flat.extend(grams)
                kept.append(word)
            else:
                ids[word] = NO_ROW
        if kept:
            base = self._rows_used
            self._word_scores[base : base + len(kept)] = np.add.reduceat(self.logprob[flat], starts, axis=0)
            for i, word in enumerate(kept):
                ids[word] = base + i
            self._rows_used += len(kept)

    def word_evidence(self, text: str) -> dict[str, float]:
        """Log word-frequency likelihood of the text in each configured language."""
        if self._words is None:
            import wordfreq

            self._words = {lang: wordfreq.get_frequency_dict(lang, "small") for lang in self.configured}
        cache, tables = self._word_logs, self._words
        total = [0.0] * len(tables)
        for word in WORD.findall(text[: settings.LANGUAGE_SCORED_CHARS]):
            logs = cache.get(word)
            if logs is None:
                if len(cache) > settings.LANGUAGE_WORD_CACHE:
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
            return Guess(self.langs[best], float(scores[best] - np.partition(scores, -2)[-2]), letters, None, scores)
        ours = scores[self.ours]
        ranked = np.argsort(ours)[::-1]
        fallback = self.configured[int(ranked[0])]
        if self.foreign[best]:
            # how sure it is *not* one of ours is what matters
            return Guess(self.langs[best], float(scores[best] - ours[ranked[0]]), letters, fallback, scores)
        foreign = float(scores[self.foreign].max()) if self.foreign.any() else -math.inf
        lang, gap = fallback, math.inf
        if len(ranked) > 1:
            gap = float(ours[ranked[0]] - ours[ranked[1]])
            if gap < settings.WORD_EVIDENCE_GATE:
                # close between our languages: word frequencies decide too
                words = self.word_evidence(text)
                total = {
                    c: float(ours[i]) + settings.WORD_EVIDENCE_WEIGHT * words[c] for i, c in enumerate(self.configured)
                }
                order = sorted(total, key=total.get, reverse=True)
                lang, gap = order[0], total[order[0]] - total[order[1]]
        margin = min(gap, float(scores[self.langs.index(lang)]) - foreign)
        return Guess(lang, margin, letters, fallback, scores)

    def detect(self, text: str) -> str | None:
        return self.guess(text).lang

    def is_sure(self, g: Guess, evidence: int | None = None) -> bool:
        """Whether a paragraph's own guess stands (long, or short with clear evidence).

        ``evidence`` is how many of its letters tell a language (:func:`count_evidence`):
        a row of names is short however long it is."""
        if g.lang is None:
            return False
        evidence = g.letters if evidence is None else evidence
        if evidence < settings.EVIDENCE_MIN_LETTERS:
            return False  # names and numbers only: no language of its own
        if min(g.letters, evidence) >= settings.SHORT_PARAGRAPH_LETTERS:
            return True
        needed = settings.SHORT_PARAGRAPH_MARGIN if g.lang in self.configured else settings.SHORT_FOREIGN_MARGIN
        return g.margin >= needed

    def stands_out(self, g: Guess, neighbours: set[str | None]) -> bool:
        """Whether a paragraph's own foreign language beats its neighbours' language clearly:
        a Cyrillic heading or list item that looks Bulgarian between Russian paragraphs is
        Russian, while a Russian quote in a German article stays Russian."""
        if g.scores is None or g.lang in self.configured:
            return True  # a configured language's margin is already over every other one
        own = g.scores[self._lang_index[g.lang]]
        return all(
            own - g.scores[self._lang_index[n]] >= settings.NEIGHBOUR_MARGIN
            for n in neighbours
            if n and n != g.lang and n in self._lang_index
        )

    def tag(self, paragraphs: list[str]) -> list[str | None]:
        """The language of each paragraph of one article.

        A short paragraph keeps a language of its own only on clear evidence over the
        configured languages, and any paragraph keeps a foreign language only on clear
        evidence over its neighbours' language; otherwise it takes its neighbours'. Then
        a language with little text in the article (:meth:`_settle`) is none of its
        languages: its paragraphs take their neighbours' language too. Every paragraph
        with a letter gets a language; one without gets None.
        """
        guesses = [self.guess(p) for p in paragraphs]
        short = settings.SHORT_PARAGRAPH_LETTERS
        evidence = [count_evidence(p, short) if g.lang else 0 for p, g in zip(paragraphs, guesses)]
        anchors = [g.lang if e >= short else None for g, e in zip(guesses, evidence)]
        sure = []
        for i, g in enumerate(guesses):
            sure.append(
                self.is_sure(g, evidence[i])
                and (
                    g.lang in self.configured or self.stands_out(g, {_nearest(anchors, i, -1), _nearest(anchors, i, 1)})
                )
            )
        tags: list[str | None] = []
        for i, g in enumerate(guesses):
            if sure[i] or not g.letters:
                tags.append(g.lang)
                continue
            before = next((guesses[j].lang for j in range(i - 1, -1, -1) if sure[j]), None)
            after = next((guesses[j].lang for j in range(i + 1, len(guesses)) if sure[j]), None)
            tags.append(before or after or g.fallback or g.lang)
        return self._settle(tags, [g.letters for g in guesses])

    def _settle(self, tags: list[str | None], letters: list[int]) -> list[str | None]:
        """Paragraphs in a language with too little text in the article (fewer letters
        than ``settings.LANGUAGE_MIN_LETTERS`` and than ``LANGUAGE_MIN_SHARE`` of the
        article's), and paragraphs with letters but no language, take the nearest
        paragraph's language among those that stay (the main one always stays)."""
        totals: Counter[str] = Counter()
        for lang, n in zip(tags, letters):
            if lang:
                totals[lang] += n
        main = totals.most_common(1)[0][0] if totals else self.default
        enough = min(settings.LANGUAGE_MIN_LETTERS, settings.LANGUAGE_MIN_SHARE * sum(totals.values()))
        kept = {lang for lang, n in totals.items() if n >= enough} | {main}
        if all(lang in kept or not n for lang, n in zip(tags, letters)):
            return tags
        stay = [lang if lang in kept else None for lang in tags]
        return [
            lang if lang in kept or not n else _nearest(stay, i, 0) or main
            for i, (lang, n) in enumerate(zip(tags, letters))
        ]


def _nearest(tags: list[str | None], i: int, direction: int) -> str | None:
    """The nearest language before ``i`` (direction -1), after it (1), or either (0,
    before first on a tie)."""
    n = len(tags)
    for step in range(1, n):
        for j in (i - step, i + step) if direction == 0 else (i + direction * step,):
            if 0 <= j < n and tags[j]:
                return tags[j]
    return None


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
