"""Did you mean: a spelling of the query that finds more, from the archive's own words.

The engine asks for a suggestion when a query finds little. Each word of the query that
no article holds (not a stop word, an operator, a field's name or value, nor a pattern)
is replaced by the nearest word of the archive in that word's language:

* **the query word's language**: a letter a language hardly writes rules it out ("é" is
  not English; letter shares from wordfreq's word lists); then the other words of the
  query, first those of the same hyphenated word, when they belong to one language ("le"
  and "feu" are French); failing both, any language of the index;
* **candidates** are the terms of that language's text field (``text_other`` for any
  language the index does not list) one edit from the word's own term, sharing its
  first letter, or two edits, sharing its first two letters, or that begin the word as
  typed (a misspelt ending leaves the stem whole); Whoosh's Levenshtein automaton skips
  through each segment's term list, read once per segment and kept in memory;
* a term is a stem: the word a reader would write is read from the articles holding it
  (the form nearest the query word, with the case the articles give a name);
* candidates rank by how near that word is to the query word, then by how many articles
  hold it; never a stop word of any of the index's languages, nor a word that another of
  its languages claims and the candidate's does not (an English word quoted in a French
  paragraph is no French word);
* a hyphenated or elided word is corrected part by part and kept whole
  ("cesez-le-feu" -> "cessez-le-feu");
* the suggestion must find more articles than the query did, with the same filters (the
  engine counts); when one word was replaced, its next replacements are tried in turn
  ("Moscw" among French articles only is "Moscou"); else there is none.
"""

from __future__ import annotations

import json
import re
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from whoosh.automata.lev import levenshtein_automaton
from whoosh.reading import TermNotFound
from whoosh.support.levenshtein import damerau_levenshtein

from indexer.ingest.actors import FOLD_TABLE
from indexer.ingest.folding import fold
from indexer.store.analysis import stop_words, stoplist_for, terms_for
from indexer.store.schema import OTHER, text_field

from . import settings
from .settings import (
    SUGGESTION_CANDIDATES,
    SUGGESTION_CLAIM_RATIO,
    SUGGESTION_DOCUMENTS,
    SUGGESTION_RARE_LETTER,
    SUGGESTION_SECONDS,
    SUGGESTION_TRIES,
)

#: A word of a query: letters, kept whole across hyphens and apostrophes.
WORD = re.compile(r"[^\W\d_]+(?:[-‐'’][^\W\d_]+)*")
JOINERS = re.compile(r"([-‐'’])")
OPERATORS = {"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"}

_analysis = terms_for


# --- which language a word is in ---------------------------------------------------------


@lru_cache(maxsize=32)
def _vocabulary(lang: str) -> dict[str, float]:
    """wordfreq's common words of ``lang`` (empty for a language it does not know)."""
    import wordfreq

    if lang not in wordfreq.available_languages("small"):
        return {}
    return wordfreq.get_frequency_dict(lang, "small")


@lru_cache(maxsize=1024)
def _letter_share(lang: str, letter: str) -> float:
    """How much of ``lang``'s running text is words with ``letter`` in them."""
    words = _vocabulary(lang)
    return sum(f for w, f in words.items() if letter in w) / (sum(words.values()) or 1.0)


def claims(word: str, languages: tuple[str, ...]) -> set[str]:
    """The languages of the index ``word`` is a word of: one of its stop words, or one of
    wordfreq's common words not far rarer there than in its likeliest language."""
    lower = word.lower()
    freqs = {lang: _vocabulary(lang).get(lower, 0.0) for lang in languages}
    best = max(freqs.values(), default=0.0)
    out = {lang for lang, f in freqs.items() if f and f * SUGGESTION_CLAIM_RATIO >= best}
    folded = fold(lower)
    return out | {lang for lang in languages if folded in stoplist_for(lang)}


def _by_letters(word: str, languages: tuple[str, ...]) -> set[str]:
    """The languages that write every letter of ``word`` (any, for what wordfreq lacks)."""
    out = set(languages)
    for letter in {c for c in word.lower() if not c.isascii() and c.isalpha()}:
        shares = {lang: _letter_share(lang, letter) for lang in languages if _vocabulary(lang)}
        top = max(shares.values(), default=0.0)
        out -= {lang for lang, share in shares.items() if share < top * SUGGESTION_RARE_LETTER}
    return out


def word_languages(word: str, context: list[list[str]], languages: tuple[str, ...]) -> list[str]:
    """The languages a word no article holds may be in, for its letters and its context:
    lists of other words, closest first (the rest of a hyphenated word, then the query's
    other words). ``OTHER`` stands for any language the index does not list."""
    plausible = _by_letters(word, languages)
    if not plausible:
        return [OTHER]
    for words in context:
        said = [c for c in (claims(w, languages) for w in words) if c]
        agreed = set.intersection(*said) & plausible if said else set()
        if agreed:
            return [lang for lang in languages if lang in agreed]
    return [lang for lang in languages if lang in plausible] + [OTHER]


# --- candidates ----------------------------------------------------------------------------

#: (segment, field) -> the field's terms in that segment, sorted; kept while the segment
#: is in the index searched (a segment never changes its terms), dropped once it is merged
#: away or another index is searched.
_term_lists: dict[tuple[str, str], list[str]] = {}


def _terms_of(reader, field: str) -> list[list[str]]:
    """Each segment's terms of ``field`` as sorted lists, read once per segment."""
    leaves = {leaf.segment().segment_id(): leaf for leaf, _ in reader.leaf_readers()}
    for key in [k for k in _term_lists if k[0] not in leaves]:
        del _term_lists[key]
    out = []
    for segment, leaf in leaves.items():
        terms = _term_lists.get((segment, field))
        if terms is None:
            terms = [t.decode("utf-8") for t in leaf.lexicon(field)] if field in leaf.indexed_field_names() else []
            _term_lists[segment, field] = terms
        out.append(terms)
    return out


def _matches(dfa, terms: list[str]):
    """The terms of a sorted list the automaton accepts, skipping through it."""
    if not terms:
        return
    i, end = 0, len(terms)
    match = dfa.next_valid_string(terms[0])
    while match:
        i = bisect_left(terms, match, i)
        if i == end:
            return
        term = terms[i]
        if term == match:
            yield term
            term += "\0"
        match = dfa.next_valid_string(term)


def _near_terms(reader, field: str, term: str) -> dict[str, int]:
    """Terms of ``field`` one edit from ``term`` sharing its first letter, or two edits
    sharing its first two; with their edit distance."""
    lists = _terms_of(reader, field)
    found: dict[str, int] = {}
    for distance, prefix in ((1, 1), (2, 2)):
        if len(term) <= prefix + distance:
            break
        dfa = levenshtein_automaton(term, distance, prefix).to_dfa()
        for terms in lists:
            for near in _matches(dfa, terms):
                found.setdefault(near, distance)
    found.pop(term, None)
    return found


def _stems_begun(reader, field: str, typed: str) -> dict[str, int]:
    """Terms of ``field`` that begin the word as typed (folded), at least half of it: the
    stem of a word whose ending is misspelt ("negociatoins" begins with ``negoci``)."""
    shortest = max(settings.SUGGEST_MIN_LETTERS + 1, (len(typed) + 1) // 2)
    return {typed[:n]: 2 for n in range(len(typed) - 1, shortest - 1, -1) if (field, typed[:n]) in reader}


@lru_cache(maxsize=32)
def _dictionary(lang: str) -> tuple[list[str], list[str]]:
    """wordfreq's common words of ``lang``, sorted by their folded form: (folded, words)."""
    pairs = sorted((w if w.isascii() else fold(w), w) for w in _vocabulary(lang) if WORD.fullmatch(w))
    return [f for f, _ in pairs], [w for _, w in pairs]


def _dictionary_forms(lang: str, term: str) -> list[str]:
    """Common words of ``lang`` that begin with ``term`` and have it for a term."""
    if lang == OTHER:
        return []
    keys, words = _dictionary(lang)
    analysis = _analysis(lang)
    out = []
    start = bisect_left(keys, term)
    for i in range(start, min(start + settings.SUGGEST_DICTIONARY_SCAN, len(keys))):
        if not keys[i].startswith(term):
            break
        if term in analysis.terms(words[i]):
            out.append(words[i])
    return out


def _written_forms(searcher, field: str, lang: str, languages: tuple[str, ...], term: str) -> Counter:
    """How a term is written in the first articles holding it: written form -> count."""
    analysis = _analysis(None if lang == OTHER else lang)
    out: Counter = Counter()
    try:
        matcher = searcher.reader().postings(field, term)
    except TermNotFound:  # gone since (a commit): no forms
        return out
    docs = []
    while matcher.is_active() and len(docs) < SUGGESTION_DOCUMENTS:
        docs.append(matcher.id())
        matcher.next()
    # the words that may be written forms of the term: those beginning with its first
    # letters, found in the text folded letter for letter (so positions are kept)
    begins = re.compile(r"(?<![\w'’])" + re.escape(term[:2]) + r"\w*(?:['’]\w+)*")
    for docnum in docs:
        stored = searcher.stored_fields(docnum)
        record = json.loads(stored["record"]) if "record" in stored else {}
        texts = [record.get("title") or ""]
        texts += [
            p["text"]
            for p in record.get("paragraphs", ())
            if (p.get("lang") if p.get("lang") in languages else OTHER) == lang
        ]
        for text in texts:
            folded = text.lower() if text.isascii() else text.translate(FOLD_TABLE)
            for m in begins.finditer(folded):
                token = text[m.start() : m.end()]
                if term in analysis.terms(token):
                    out[token] += 1
    return out


def _cased(typed: str, form: str, written: Counter) -> str:
    """``form`` cased as typed; a name the articles always capitalize keeps its capital."""
    if typed.isupper() and len(typed) > 1:
        return form.upper()
    seen = [w for w in written if w.lower() == form]
    if typed[:1].isupper() or (seen and all(w[:1].isupper() for w in seen)):
        return form[:1].upper() + form[1:]
    return form


def _known(reader, word: str, languages: tuple[str, ...]) -> bool:
    """Whether any article holds ``word`` (in any language's text field)."""
    for lang in (*languages, OTHER):
        field = text_field(lang)
        for term in _analysis(None if lang == OTHER else lang).terms(word):
            if reader.doc_frequency(field, term):
                return True
    return False


def _stop(word: str, languages: tuple[str, ...]) -> bool:
    return fold(word.lower()) in stop_words(languages)


def correct(searcher, typed: str, candidates_in: list[str], languages: tuple[str, ...]) -> list[str]:
    """Replacements for a word no article holds, best first, in the languages
    ``candidates_in`` (of the index, or ``OTHER``)."""
    reader = searcher.reader()
    key = fold(typed.lower())
    most = 1 if len(key) <= settings.SUGGEST_MIN_LETTERS else 2  # edits from what was typed
    pool: dict[tuple[str, str], int] = {}  # (language, term) -> edits from the word's term
    for lang in candidates_in:
        field = text_field(lang)
        for term in _analysis(None if lang == OTHER else lang).terms(typed):
            for near, distance in _near_terms(reader, field, term).items():
                pool[lang, near] = min(distance, pool.get((lang, near), distance))
        for begun, distance in _stems_begun(reader, field, key).items():
            pool.setdefault((lang, begun), distance)
    frequency = {(lang, term): reader.doc_frequency(text_field(lang), term) for lang, term in pool}
    ranked = sorted(pool, key=lambda c: (pool[c], -frequency[c], c))
    best: dict[str, tuple] = {}  # replacement -> its rank
    for rank, (lang, term) in enumerate(ranked):
        written = (
            _written_forms(searcher, text_field(lang), lang, languages, term)
            if rank < SUGGESTION_CANDIDATES
            else Counter()
        )
        forms = Counter(_dictionary_forms(lang, term))  # each once
        for form, n in written.items():
            forms[form.lower()] += n
        for form, n in forms.items():
            edits = damerau_levenshtein(key, fold(form))
            if edits > most or edits == 0 or _stop(form, languages):
                continue
            said = claims(form, languages)
            if said and (lang == OTHER or lang not in said):
                continue  # a word of another language, quoted in this one
            form_rank = (edits, damerau_levenshtein(typed.lower(), form), -frequency[lang, term], -n, form)
            cased = _cased(typed, form, written)
            if cased not in best or form_rank < best[cased]:
                best[cased] = form_rank
    return sorted(best, key=best.get)


def _query_words(text: str):
    """The words of a query a suggestion may change: (start, end, word)."""
    for m in WORD.finditer(text):
        start, end, word = m.start(), m.end(), m.group()
        before, after = text[start - 1 : start], text[end : end + 1]
        if word in OPERATORS or after in (":", "*", "?") or before in ("*", "?"):
            continue
        if before == ":" and not text[: start - 1].lower().endswith("title"):
            continue  # a value of actor:, lang:, source:, date:
        if before == "-" and text[start - 2 : start - 1] in ("", " ", "("):
            continue  # an excluded word
        yield start, end, word


def suggest(text: str, searcher, languages: tuple[str, ...], count: Callable[[str], int], found: int) -> str | None:
    """A spelling of the query ``text`` whose unknown words are replaced by the nearest
    words of the archive, if it finds more than the ``found`` articles the query did
    (``count`` runs a query and says how many articles it finds). When a single word is
    replaced, its next best replacements are tried too."""
    deadline = time.monotonic() + SUGGESTION_SECONDS
    reader = searcher.reader()
    words = list(_query_words(text))
    pieces = [JOINERS.split(word) for _, _, word in words]
    parts = [[p for p in ps if p and not JOINERS.fullmatch(p)] for ps in pieces]
    choices: list[tuple[int, int, list[str]]] = []  # (word, piece, replacements)
    for w, word_pieces in enumerate(pieces):
        for i, piece in enumerate(word_pieces):
            if time.monotonic() > deadline:
                break
            if (
                JOINERS.fullmatch(piece)
                or len(piece) < settings.SUGGEST_MIN_LETTERS
                or _stop(piece, languages)
                or _known(reader, piece, languages)
            ):
                continue
            siblings = [p for p in parts[w] if p != piece]
            others = [p for v, ps in enumerate(parts) if v != w for p in ps]
            replacements = correct(searcher, piece, word_languages(piece, [siblings, others], languages), languages)
            if replacements:
                choices.append((w, i, replacements))
    if not choices:
        return None

    def spelled(picks: list[str]) -> str:
        chosen = [list(ps) for ps in pieces]
        for (w, i, _), pick in zip(choices, picks):
            chosen[w][i] = pick
        out, pos = [], 0
        for (start, end, _), ps in zip(words, chosen):
            out.append(text[pos:start] + "".join(ps))
            pos = end
        return "".join(out) + text[pos:]

    tries = [[r[0] for _, _, r in choices]]
    if len(choices) == 1:
        tries += [[r] for r in choices[0][2][1:SUGGESTION_TRIES]]
    for picks in tries:
        suggestion = spelled(picks)
        if count(suggestion) > found:
            return suggestion
        if time.monotonic() > deadline:
            break
    return None
