"""Queries: from what a user types to a Whoosh query.

The query language is Whoosh's (words ANDed, ``OR``, ``NOT``, ``"phrases"``, ``prefix*``,
parentheses) with ``-word`` for ``NOT word``, ``+word`` for a required word, and the
fields users know: ``title:``, ``actor:``, ``lang:``, ``source:`` and ``date:`` (``2023``,
``2023-09``, ``2023-09-07`` or ``[2023-09-01 to 2023-09-30]``).

* A word without a field is searched in every language's text field, each with its own
  analyzer, and in the title: an English word and a French word both find their articles.
  Its fields are combined as Elasticsearch's ``best_fields``: the best field's score plus
  a share of the others' (:mod:`search.best_fields`).
* A hyphenated word is its parts (``Nagorno-Karabakh`` finds what ``Nagorno Karabakh``
  finds); a word that one of the index's languages drops as a stop word ("the", "la",
  "au") is left out among required words; a word or run of words naming an actor also
  finds the articles tagged with that actor, with or without an elided article before it
  (``Poutine`` finds articles that only say "Putin", ``l'OTSC`` those tagged CSTO)
  (:mod:`search.query_words`).
* A word the analysis turns into several terms at the same position (two forms of one
  word) finds any of them, scored as the best; terms at different positions are all
  required.
* ``actor:`` takes any spelling of the alias table; an unknown one is an error that names
  the nearest known names.
* ``*`` alone (or ``**``…) stands for every article; ``title:*`` for every article with a
  title. Prefixes, wildcards and ranges of words are bounded when they are evaluated
  (:mod:`search.evaluation`).

A query that cannot be read, or that the parser would read in another sense than typed,
is a :class:`QueryError` saying what to check, in the user's words, and is never repaired
silently: a parenthesis, quote or bracket without its pair, an operator without its
operands (``Kremlin AND``), a field with nothing after it (``title:``) or an unknown field
(``foo:bar``) (:mod:`search.query_syntax`).
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from itertools import islice, product

from whoosh import query as q
from whoosh.qparser import FieldAliasPlugin, QueryParser

from indexer.ingest.actors import AliasTable
from indexer.ingest.folding import fold
from indexer.ingest.naming import name_key
from indexer.store.analysis import stemmer
from indexer.store.schema import OTHER, field_language, text_field
from indexer.store.whoosh_compat import PrefixWithMore

from . import settings
from .best_fields import BestFields
from .query_error import QueryError
from .query_syntax import SyntaxChecks, operators
from .query_words import QueryWords, resolve
from .settings import MAX_PHRASE_FORMS, MAX_QUERY_CHARS

__all__ = ["QueryBuilder", "QueryError", "resolve", "actor_term", "canonical_actor", "text_fields", "StemmedPrefix"]

#: User-facing field names and the index fields they mean.
FIELD_ALIASES = {
    "actors": ["actor"],
    "languages": ["lang", "language"],
    "source": ["source"],
    "date": ["date"],
    "title": ["title"],
}
DATES = "dates are YYYY, YYYY-MM, YYYY-MM-DD or [YYYY-MM-DD to YYYY-MM-DD]"
_DAY = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def _date_message(text: str) -> str:
    """What is wrong with the dates of ``text``: a day or month that does not exist
    (2019-02-30), else their form."""
    for m in _DAY.finditer(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
        try:
            datetime.date(year, month, day)
        except ValueError:
            return f"there is no date {m.group()}; {DATES}"
    return DATES


UNREADABLE = "cannot read the query; check that its quotes, brackets and parentheses come in pairs"


def text_fields(languages: tuple[str, ...]) -> list[str]:
    return ["title", *(text_field(lang) for lang in languages), text_field(OTHER)]


class _Parser(QueryParser):
    """Whoosh's parser, but a word analyzed into several terms at one position (two
    forms of the word) matches either, scored as the best of them (one word counts once,
    typed with accents or without); terms at different positions stay ANDed."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        field = self.schema[fieldname] if self.schema and fieldname in self.schema else None
        if field is None or not tokenize or field.self_parsing() or not field.analyzer:
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        at: dict[int, list[str]] = {}
        for n, token in enumerate(field.tokenize(text, mode="query", positions=True, removestops=removestops)):
            forms = at.setdefault(getattr(token, "pos", n), [])
            if token.text not in forms:
                forms.append(token.text)
        if not at:
            return None
        parts = [
            termclass(fieldname, forms[0], boost=boost)
            if len(forms) == 1
            else BestFields([termclass(fieldname, form, boost=boost) for form in forms], tiebreak=0.0)
            for forms in at.values()
        ]
        return parts[0] if len(parts) == 1 else q.And(parts)


def nearest_actors(table: AliasTable, spelling: str, discovered=None, n: int = 3) -> list[str]:
    """The actors (the table's, the discovered ones) with a spelling close to
    ``spelling``: a whole name, or for a one-word spelling a name's last word too
    ("Steinmeir" is close to Frank-Walter Steinmeier); a one-word spelling that is a word
    of some names ("Kim") gives those names only (Kim Jong-un, not Crimea)."""
    named = dict(table.spellings)
    if discovered is not None:
        named.update({name: discovered.spellings[name] for name in discovered.actors})
    spellings: dict[str, str] = {}
    one_word = len(spelling.split()) == 1
    word = fold(spelling)
    holding: list[str] = []  # names with the one word in them, as written ("Kim" of Kim Jong-un)
    for name, all_ in named.items():
        for s in all_:
            spellings.setdefault(fold(s), name)
            words = s.split()
            if one_word and len(words) > 1:
                spellings.setdefault(fold(words[-1]), name)
            if one_word and name not in holding and word in _words(s):
                holding.append(name)
    if holding:  # those names only
        return holding[:n]
    close = difflib.get_close_matches(fold(spelling), list(spellings), n=10, cutoff=settings.ACTOR_SUGGESTION_CUTOFF)
    names: list[str] = []
    for s in close:
        if spellings[s] not in names:
            names.append(spellings[s])
    return names[:n]


def _words(spelling: str) -> list[str]:
    """The folded words of a spelling of several words (hyphens part words)."""
    words = fold(spelling).replace("-", " ").split()
    return words if len(words) > 1 else []


def unknown_actor(table: AliasTable, spelling: str, param: str, discovered=None) -> QueryError:
    near = nearest_actors(table, spelling, discovered)
    if discovered is not None:  # a surname of several discovered people: each of them
        people = sorted(discovered.surnames.get(name_key(spelling), ()), key=lambda a: -discovered.articles[a])
        near = [*people, *(a for a in near if a not in people)][: max(3, len(people))]
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return QueryError(f"unknown actor {spelling!r}{hint}", param)


def canonical_actor(table: AliasTable, spelling: str, discovered=None) -> str | None:
    """The canonical name of the actor ``spelling`` names (any spelling of the alias
    table, or of a discovered actor), or None when it names none."""
    actor = resolve(table, spelling) or table.resolve(spelling, names_only=True)
    if actor:
        return actor
    return discovered.resolve(spelling) if discovered else None


def actor_term(table: AliasTable, spelling: str, param: str = "actor", discovered=None) -> q.Query:
    """The articles tagged with the actor ``spelling`` names: one of the alias table's,
    else a discovered one (:class:`search.discovered.DiscoveredActors`), any of its keys."""
    actor = canonical_actor(table, spelling)
    if actor:
        return q.Term("actors", actor)
    found = discovered.resolve(spelling) if discovered else None
    if not found:
        raise unknown_actor(table, spelling, param, discovered)
    keys = discovered.keys[found]
    return q.Term("names", keys[0]) if len(keys) == 1 else q.Or([q.Term("names", k) for k in keys])


def _phrase(fieldname, words, slop=1, boost=1.0, char_ranges=None) -> q.Query:
    """A phrase. Where the analysis gave one word of it several terms (two forms, at one
    place in the text), the OR of the phrases of each form (at most
    ``MAX_PHRASE_FORMS``)."""
    places: list[list[str]] = []
    ranges: list = []
    for word, where in zip(words, char_ranges or [(None, None)] * len(words)):
        if places and where[0] is not None and where == ranges[-1]:
            if word not in places[-1]:
                places[-1].append(word)
        else:
            places.append([word])
            ranges.append(where)
    if all(len(forms) == 1 for forms in places):
        return q.Phrase(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
    return q.Or(
        [
            q.Phrase(fieldname, list(each), slop=slop, boost=boost, char_ranges=ranges)
            for each in islice(product(*places), MAX_PHRASE_FORMS)
        ]
    )


class QueryBuilder:
    """Parse user queries against one index's schema and alias table."""

    def __init__(self, schema, table: AliasTable, languages: tuple[str, ...], discovered=None):
        self.table = table
        self.discovered = discovered
        self.fields = text_fields(languages)
        self.schema = schema
        self.parser = _Parser(None, schema, phraseclass=_phrase)
        self.parser.replace_plugin(operators())
        self.parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
        self.parser.add_plugin(SyntaxChecks(self._known))
        language_fields = [schema[f] for f in self.fields if field_language(f) and f in schema]
        self.parser.add_plugin(QueryWords(table, self.fields, language_fields))

    def _known(self, fieldname: str) -> bool:
        """Whether a query may name the field (after the aliases users know)."""
        return fieldname in self.schema and bool(getattr(self.schema[fieldname], "indexed", False))

    def parse(self, text: str) -> q.Query:
        text = (text or "").strip()
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(f"the query is {len(text)} characters long; at most {MAX_QUERY_CHARS} are allowed")
        if not text:
            return q.Every()
        try:
            parsed = self.parser.parse(text)
        except QueryError:
            raise
        except Exception:  # Whoosh's parser is lenient, but not everywhere (dates, mostly)
            raise QueryError(_date_message(text) if "date:" in text.lower() else UNREADABLE) from None
        try:
            return self._check(parsed)
        except QueryError as exc:
            if str(exc) == DATES:  # which date of the query is wrong, when it is one that does not exist
                raise QueryError(_date_message(text)) from None
            raise

    def _check(self, node: q.Query) -> q.Query:
        """Resolve actor terms, refuse broken dates, make ``*`` every article; return the
        (rewritten) query."""
        if getattr(node, "error", None):  # a value its field could not read: only dates do
            raise QueryError(DATES if getattr(node, "fieldname", None) in (None, "date") else UNREADABLE)
        if getattr(node, "fieldname", None) == "actors" and isinstance(node, (q.Term, q.Phrase, q.Prefix)):
            text = " ".join(node.words) if isinstance(node, q.Phrase) else node.text
            if isinstance(node, q.Term) and text in self.table.actors:
                return node
            return actor_term(self.table, text, "query", self.discovered)
        if getattr(node, "fieldname", None) == "date" and isinstance(node, (q.Term, q.Phrase, q.Prefix, q.TermRange)):
            raise QueryError(DATES)
        if isinstance(node, q.Wildcard) and not node.text.strip("*"):
            return q.Every(node.fieldname, boost=node.boost)
        if node.is_leaf():
            return node
        return self._unstemmed(self._every(node.apply(self._check)))

    def _unstemmed(self, node: q.Query) -> q.Query:
        """A field-less prefix spread over the default fields was stemmed there by the
        parser (``OTS*`` became ``ot*``, ``sév*`` in French ``sev*``): each field gets the
        prefix as typed (folded) instead, and a stemmed field a :class:`StemmedPrefix`."""
        if not isinstance(node, (q.Or, BestFields)):
            return node
        subs = node.subqueries
        if (
            not subs
            or any(type(sub) is not q.Prefix or sub.boost != 1.0 for sub in subs)
            or {sub.fieldname for sub in subs} != set(self.fields)
        ):
            return node
        typed = next(sub for sub in subs if sub.fieldname == text_field(OTHER)).text
        return _like(
            node,
            [
                StemmedPrefix(sub.fieldname, typed) if field_language(sub.fieldname) else q.Prefix(sub.fieldname, typed)
                for sub in subs
            ],
        )

    def _every(self, node: q.Query) -> q.Query:
        """A ``*`` spread over the default fields (every word of each) is every article."""
        if not isinstance(node, (q.Or, BestFields)):
            return node
        spread = [
            sub for sub in node.subqueries if type(sub) is q.Every and sub.boost == 1.0 and sub.fieldname in self.fields
        ]
        if {sub.fieldname for sub in spread} != set(self.fields):
            return node
        rest = [sub for sub in node.subqueries if sub not in spread]
        return _like(node, [*rest, q.Every()]) if rest else q.Every(boost=node.boost)


def _like(node: q.CompoundQuery, subqueries: list[q.Query]) -> q.CompoundQuery:
    """A query of the same kind as ``node`` (and boost, and tie-breaker) on other subqueries."""
    extra = {"tiebreak": node.tiebreak} if isinstance(node, BestFields) else {}
    return type(node)(subqueries, boost=node.boost, **extra)


class StemmedPrefix(PrefixWithMore):
    """A prefix on a stemmed field: the words that start with it, and the stems it may
    have been cut to: the prefix up to :data:`~search.settings.STEM_SUFFIX_CHARS` letters
    shorter, never under three (``severa*`` finds "several", indexed in English as
    ``sever``), and the prefix's own stem as if it were a word (``negotiation*`` finds
    "negotiations", indexed as ``negoti``). A stem stands for all its words, so such a
    prefix may also find a word that shares the stem ("severe")."""

    def more(self, reader):
        for stem in stems_of_prefix(self.text, field_language(self.fieldname)):
            if (self.fieldname, stem) in reader:
                yield stem.encode("utf-8")


def stems_of_prefix(text: str, lang: str | None = None) -> list[str]:
    """The stems a word starting with ``text`` may have been cut to, in a field of
    ``lang`` (its stemmer's reading of ``text`` too)."""
    shortest = max(3, len(text) - settings.STEM_SUFFIX_CHARS)
    stems = [text[:n] for n in range(len(text) - 1, shortest - 1, -1)]
    stem = _stemmer(lang)
    word = stem(text) if stem else text
    if len(word) >= 3 and word != text and word not in stems:
        stems.append(word)
    return stems


_stemmer = functools.cache(stemmer)
