"""Snippets: the paragraph that matched, with the matching words marked.

The query's terms are grouped by field (each language's field has its own stems). Every
paragraph of a hit is analyzed with its own language's analysis; the paragraph with the
most distinct matching terms is chosen, cut to a window around its first match, and
each word whose term matched is wrapped in ``<mark>`` (the rest is HTML-escaped). The
words marked are the reader's words, never stems.
"""

from __future__ import annotations

import html
import time
from collections import defaultdict

from whoosh import query as q

from indexer.analysis import TOKEN, Terms
from indexer.schema import OTHER, field_language, text_field

from .evaluation import expansion
from .querying import QueryError
from .settings import MARKED_WORDS_PER_PATTERN, MARKING_SECONDS, SNIPPET_CHARS as WINDOW

_terms: dict[str, Terms] = {}


def _analysis(field: str) -> Terms:
    terms = _terms.get(field)
    if terms is None:
        terms = _terms[field] = Terms(field_language(field))
    return terms


class _OutOfTime(Exception):
    pass


def _deadline(seconds: float):
    """A check that stops an expansion past ``seconds`` from now."""
    end = time.monotonic() + seconds

    def check():
        if time.monotonic() > end:
            raise _OutOfTime
    return check


def query_terms(query, reader) -> dict[str, set[str]]:
    """field -> the query's terms in it (prefixes and wildcards expanded)."""
    out: dict[str, set[str]] = defaultdict(set)
    for leaf in query.leaves() if not query.is_leaf() else [query]:
        field = getattr(leaf, "fieldname", None)
        if isinstance(leaf, q.Term):
            out[field].add(leaf.text)
        elif isinstance(leaf, q.Phrase):
            out[field].update(leaf.words)
        elif isinstance(leaf, q.MultiTerm):  # prefix* and wildcards, expanded (bounded)
            try:
                words = expansion(leaf, reader, _deadline(MARKING_SECONDS))
            except (QueryError, _OutOfTime):  # too broad to mark, or marking would take long
                continue
            words = words[:MARKED_WORDS_PER_PATTERN]
            out[field].update(w.decode("utf-8") if isinstance(w, bytes) else w for w in words)
    return out


def _field_of(lang: str | None, languages: tuple[str, ...]) -> str:
    return text_field(lang if lang in languages else OTHER)


#: Fields analyzed without stemming (words as written, folded): a paragraph's words are
#: compared with their terms as written, not through the paragraph's language.
NEUTRAL_FIELDS = ("title",)


def _wanted(paragraph: dict, terms: dict[str, set[str]], languages: tuple[str, ...]):
    """The paragraph's language field, the query terms to mark in it, and the terms of the
    fields analyzed as written (the title's)."""
    field = _field_of(paragraph.get("lang"), languages)
    neutral = set().union(*(terms.get(name, set()) for name in NEUTRAL_FIELDS))
    return field, terms.get(field, set()), neutral


def _marks(text: str, field: str, wanted: set[str], neutral: set[str] = frozenset()) -> list[tuple[int, int]]:
    analysis, plain = _analysis(field), _analysis(text_field(OTHER))
    return [m.span() for m in TOKEN.finditer(text)
            if analysis.term(m.group()) in wanted or (neutral and plain.term(m.group()) in neutral)]


def snippet(paragraphs: list[dict], terms: dict[str, set[str]], languages: tuple[str, ...]) -> str:
    """An HTML snippet of the best-matching paragraph (escaped, matches in ``<mark>``)."""
    if not paragraphs:
        return ""
    best, best_marks, best_score = paragraphs[0]["text"], [], 0
    for p in paragraphs:
        field, wanted, neutral = _wanted(p, terms, languages)
        if not wanted and not neutral:
            continue
        marks = _marks(p["text"], field, wanted, neutral)
        score = len({p["text"][a:b].lower() for a, b in marks})
        if score > best_score:
            best, best_marks, best_score = p["text"], marks, score
    return render(best, best_marks)


def highlight(paragraph: dict, terms: dict[str, set[str]], languages: tuple[str, ...]) -> str:
    """A whole paragraph as HTML (escaped), the query's words in ``<mark>``."""
    text = paragraph["text"]
    field, wanted, neutral = _wanted(paragraph, terms, languages)
    return _markup(text, _marks(text, field, wanted, neutral) if wanted or neutral else [], 0, len(text))


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
