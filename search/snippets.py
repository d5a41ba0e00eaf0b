"""Snippets: the paragraph that matched, with the matching words marked.

What a query asks for (:func:`query_terms`) is gathered by field, since each language's
field has its own stems: its single words, its phrases, and the actors its words name.
Every paragraph of a hit is analyzed with its own language's analysis, and marked:

* a word whose term the query asks for, unless it is a stop word of one of the index's
  languages ("the", "les"): a stop word is marked only inside a matched phrase;
* a phrase where its words stand in a row (stop words between them count as the index
  counts them: not at all), marked whole ("cessez-le-feu");
* every mention of an actor the query names, in any of its spellings in the alias table
  (the names, and the related words that tag an article with the actor): ``Poutine``
  finds articles that only say "Putin", and marks "Putin" there; a mention holding a
  word of the query keeps just that word marked ("Dmitry <mark>Peskov</mark>").

The snippet is the paragraph that matches the most of the query (a phrase counts as
many as its words, an actor once, each distinct word once; the first such paragraph),
cut to a window around its first mark. A phrase query's words are marked apart only when
no paragraph holds the phrase (it was found in the title, say). The words marked are the
reader's words, never stems; the rest is HTML-escaped.
"""

from __future__ import annotations

import html
import time
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from whoosh import query as q

from indexer.ingest.actors import FOLD_TABLE, AliasTable
from indexer.store.analysis import ELISION, TOKEN, Terms, stop_words, terms_for
from indexer.store.schema import OTHER, field_language, text_field

from .evaluation import expansion
from .querying import QueryError
from .settings import MARKED_CHARS, MARKED_WORDS_PER_PATTERN, MARKING_SECONDS
from .settings import SNIPPET_CHARS as WINDOW

#: Fields analyzed without stemming (words as written, folded): a paragraph's words are
#: compared with their terms as written, not through the paragraph's language.
NEUTRAL_FIELDS = ("title",)
ACTORS_FIELD = "actors"
#: the field of the names found in the articles (the keys of discovered actors)
NAMES_FIELD = "names"


def _analysis(field: str) -> Terms:
    return terms_for(field_language(field))


@dataclass
class Wanted:
    """What a query asks for, to mark: per field its words (terms) and phrases (tuples of
    terms), the actors it names, and the alias table that knows their spellings."""

    words: dict[str, set[str]] = dataclass_field(default_factory=lambda: defaultdict(set))
    phrases: dict[str, set[tuple[str, ...]]] = dataclass_field(default_factory=lambda: defaultdict(set))
    actors: set[str] = dataclass_field(default_factory=set)
    table: AliasTable | None = None
    #: the spellings of the discovered actors it names, as a table of their own
    discovered: AliasTable | None = None
    _actor_words: frozenset[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases or (self.actors and self.tables()))

    def tables(self) -> list[AliasTable]:
        """The tables that know the spellings of the actors to mark."""
        return [t for t in (self.table, self.discovered) if t is not None]

    def neutral(self) -> tuple[set[str], set[tuple[str, ...]]]:
        """The words and phrases of the fields analyzed as written."""
        words = set().union(*(self.words.get(name, ()) for name in NEUTRAL_FIELDS))
        phrases = set().union(*(self.phrases.get(name, ()) for name in NEUTRAL_FIELDS))
        return words, phrases

    def actor_words(self) -> frozenset[str]:
        """The first words (folded) of every spelling of the actors to mark: a paragraph
        without one of them mentions none of the actors."""
        if self._actor_words is None:
            self._actor_words = frozenset(
                key[0]
                for table in self.tables()
                for key, aliases in table.lookup.items()
                if any(a.actor in self.actors for a in aliases)
            )
        return self._actor_words


class _OutOfTime(Exception):
    pass


def _deadline(seconds: float):
    """A check that stops an expansion past ``seconds`` from now."""
    end = time.monotonic() + seconds

    def check():
        if time.monotonic() > end:
            raise _OutOfTime

    return check


def _positive_leaves(node):
    """The query's leaves that a matching article holds (not those under a NOT)."""
    if isinstance(node, q.Not):
        return
    if isinstance(node, q.AndNot):
        yield from _positive_leaves(node.a)
        return
    if node.is_leaf():
        yield node
        return
    for child in node.children():
        yield from _positive_leaves(child)


def query_terms(query, reader, table: AliasTable | None = None, discovered=None) -> Wanted:
    """What to mark for ``query``: its words and phrases by field (prefixes and wildcards
    expanded, bounded), and the actors it names, whose spellings ``table`` knows (or, for
    those found in the articles, ``discovered``: :class:`search.discovered.DiscoveredActors`)."""
    wanted = Wanted(table=table)
    names: list[str] = []
    for leaf in _positive_leaves(query):
        field = getattr(leaf, "fieldname", None)
        if field == ACTORS_FIELD:
            if isinstance(leaf, q.Term):
                wanted.actors.add(leaf.text)
        elif field == NAMES_FIELD:
            if isinstance(leaf, q.Term) and discovered is not None and leaf.text in discovered.by_key:
                names.append(discovered.by_key[leaf.text])
        elif isinstance(leaf, q.Term):
            wanted.words[field].add(leaf.text)
        elif isinstance(leaf, q.Phrase):
            if len(leaf.words) == 1:
                wanted.words[field].add(leaf.words[0])
            elif leaf.words:
                wanted.phrases[field].add(tuple(leaf.words))
        elif isinstance(leaf, q.MultiTerm):  # prefix* and wildcards, expanded (bounded)
            try:
                words = expansion(leaf, reader, _deadline(MARKING_SECONDS))
            except (QueryError, _OutOfTime):  # too broad to mark, or marking would take long
                continue
            words = words[:MARKED_WORDS_PER_PATTERN]
            wanted.words[field].update(w.decode("utf-8") if isinstance(w, bytes) else w for w in words)
    if names:
        found = list(dict.fromkeys(names))
        wanted.discovered = AliasTable([(n, discovered.actors[n], discovered.spellings[n], [], []) for n in found])
        wanted.actors.update(found)
    return wanted


def _field_of(lang: str | None, languages: tuple[str, ...]) -> str:
    return text_field(lang if lang in languages else OTHER)


def _phrase_spans(tokens, terms_at, phrases) -> list[tuple[int, int, tuple[str, ...]]]:
    """Where each phrase stands in a row: ``terms_at[i]`` is the set of terms of token i
    (empty for a word the field leaves out, which the phrase skips as the index does)."""
    kept = [i for i, terms in enumerate(terms_at) if terms]
    found = []
    for phrase in phrases:
        n = len(phrase)
        for j in range(len(kept) - n + 1):
            if all(phrase[k] in terms_at[kept[j + k]] for k in range(n)):
                found.append((tokens[kept[j]][0], tokens[kept[j + n - 1]][1], phrase))
    return found


def _marks(
    text: str, field: str, wanted: Wanted, stop: frozenset[str], loose: bool = False
) -> tuple[list[tuple[int, int]], float]:
    """The spans to mark in one paragraph analyzed as ``field`` (in its first
    ``MARKED_CHARS``), and how much of the query it matches. With ``loose``, phrases count
    as their words, each on its own."""
    if len(text) > MARKED_CHARS:
        cut = text.rfind(" ", 0, MARKED_CHARS)
        text = text[: cut if cut > 0 else MARKED_CHARS]
    spans: list[tuple[int, int]] = []
    matched: dict[tuple, float] = {}
    if wanted.words.get(field) or wanted.phrases.get(field) or any(wanted.neutral()):
        _mark_words(text, field, wanted, stop, loose, spans, matched)
    if wanted.actors and wanted.tables() and _may_mention(text, wanted.actor_words()):
        words_marked = sorted(spans)
        starts = [start for start, _ in words_marked]
        for table in wanted.tables():
            for a, b, alias in table.mentions(text):
                if alias.actor in wanted.actors:
                    matched[("actor", alias.actor)] = 1
                    if not _holds_a_span(words_marked, starts, a, b):
                        spans.append((a, b))  # else the query's own words in it are marked
    return _merged(spans), sum(matched.values())


def _holds_a_span(spans: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    """Whether one of ``spans`` (sorted; ``starts`` their starts) lies within ``a``..``b``:
    only those starting there are looked at, not every span of the paragraph."""
    i = bisect_left(starts, a)
    while i < len(spans) and spans[i][0] <= b:
        if spans[i][1] <= b:
            return True
        i += 1
    return False


def _may_mention(text: str, first_words: frozenset[str]) -> bool:
    """Whether ``text`` holds the first word of a spelling (a quick test)."""
    folded = text.lower() if text.isascii() else text.translate(FOLD_TABLE)  # letter for letter
    return any(word in folded for word in first_words)


def _mark_words(
    text: str,
    field: str,
    wanted: Wanted,
    stop: frozenset[str],
    loose: bool,
    spans: list[tuple[int, int]],
    matched: dict[tuple, float],
) -> None:
    """Add the spans of the query's words and phrases in ``text`` to ``spans``, and what
    they match of the query to ``matched``."""
    analysis, plain = _analysis(field), _analysis(text_field(OTHER))
    words = wanted.words.get(field, set())
    phrases = wanted.phrases.get(field, set())
    neutral_words, neutral_phrases = wanted.neutral()
    if loose:
        words = words | {w for p in phrases for w in p}
        neutral_words = neutral_words | {w for p in neutral_phrases for w in p}
        phrases = neutral_phrases = set()
    hits: dict[str, str] = {}  # each distinct word to mark -> its folded form
    present, present_folded = set(), set()  # the terms of the text, to look for phrases
    initials = _initials(words, neutral_words, phrases, neutral_phrases)
    for word in set(TOKEN.findall(text)):
        if word[0] not in initials and word[0].isascii() and "'" not in word and "’" not in word:
            continue  # analysis keeps a word's first letter (after an elision): no match
        folded, terms = plain.term(word), analysis.terms(word)
        if phrases:
            present.update(terms)
        if neutral_phrases:
            present_folded.add(folded)
        if folded in stop:
            continue  # a stop word alone is never marked
        if folded in neutral_words or (words and not words.isdisjoint(terms)):
            hits[word] = folded
    phrases = [p for p in phrases if present.issuperset(p)]
    neutral_phrases = [p for p in neutral_phrases if present_folded.issuperset(p)]
    if not hits and not phrases and not neutral_phrases:
        return
    tokens = [m.span() for m in TOKEN.finditer(text)]
    written = [text[a:b] for a, b in tokens]
    if hits:
        for (a, b), word in zip(tokens, written):
            if word in hits:
                elided = ELISION.match(word)  # l'OTSC: mark OTSC
                spans.append((a + (elided.end() if elided else 0), b))
                matched[("word", hits[word])] = 1
    found = []
    if phrases:
        found += _phrase_spans(tokens, [set(analysis.terms(w)) for w in written], phrases)
    if neutral_phrases:
        found += _phrase_spans(tokens, [{plain.term(w)} for w in written], neutral_phrases)
    for a, b, phrase in found:
        spans.append((a, b))
        matched[("phrase", phrase)] = len(phrase)


def _initials(*groups) -> frozenset[str]:
    """The first letters, in both cases, of the terms in ``groups`` (sets of terms, or of
    phrases)."""
    letters = set()
    for group in groups:
        for item in group:
            for term in (item,) if isinstance(item, str) else item:
                letters.update((term[:1], term[:1].upper()))
    return frozenset(letters)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def snippet(paragraphs: list[dict], wanted: Wanted, languages: tuple[str, ...]) -> str:
    """An HTML snippet of the best-matching paragraph (escaped, matches in ``<mark>``)."""
    return snippet_and_language(paragraphs, wanted, languages)[0]


def snippet_and_language(paragraphs: list[dict], wanted: Wanted, languages: tuple[str, ...]) -> tuple[str, str | None]:
    """The snippet and the language of the paragraph it is cut from."""
    if not paragraphs:
        return "", None
    stop = stop_words(languages)
    best, best_marks, best_score = paragraphs[0], [], 0.0
    if wanted:
        for loose in (False, True):
            for p in paragraphs:
                marks, score = _marks(p["text"], _field_of(p.get("lang"), languages), wanted, stop, loose)
                if score > best_score:
                    best, best_marks, best_score = p, marks, score
            if best_score or not any(wanted.phrases.values()):
                break
    return render(best["text"], best_marks), best.get("lang")


def highlight(paragraph: dict, wanted: Wanted, languages: tuple[str, ...]) -> str:
    """A whole paragraph as HTML (escaped), the query's words in ``<mark>``."""
    text = paragraph["text"]
    marks = []
    if wanted:
        marks, _ = _marks(text, _field_of(paragraph.get("lang"), languages), wanted, stop_words(languages))
    return _markup(text, marks, 0, len(text))


def render(text: str, marks: list[tuple[int, int]]) -> str:
    """A window of ``text`` around its first mark, escaped, marks wrapped in <mark>."""
    start = 0
    if marks and marks[0][0] > WINDOW // 3:
        start = text.rfind(" ", 0, marks[0][0] - WINDOW // 4) + 1
    end = min(len(text), start + WINDOW)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("…" if start else "") + _markup(text, marks, start, end) + ("…" if end < len(text) else "")


def _markup(text: str, marks: list[tuple[int, int]], start: int, end: int) -> str:
    out = []
    pos = start
    for a, b in marks:
        if a < start or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return "".join(out)
