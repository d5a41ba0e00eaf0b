"""Queries: from what a user types to a Whoosh query.

The query language is Whoosh's (words ANDed, ``OR``, ``NOT``, ``"phrases"``, ``prefix*``,
parentheses) with the fields users know: ``title:``, ``actor:``, ``lang:``, ``source:``
and ``date:`` (``2023``, ``2023-09``, ``2023-09-07`` or ``[2023-09-01 to 2023-09-30]``).

* A word without a field is searched in every language's text field, each with its own
  analyzer, and in the title: an English word and a French word both find their articles.
* A word or phrase that is a spelling of an actor also finds the articles tagged with that
  actor: ``Poutine`` finds articles that only say "Putin".
* ``actor:`` takes any spelling of the alias table; an unknown one is an error that names
  the nearest known names.
* ``*`` alone (or ``**``…) stands for every article; ``title:*`` for every article with a
  title. Prefixes, wildcards and ranges of words are bounded when they are evaluated
  (:mod:`search.evaluation`).

A query that cannot be read is a :class:`QueryError` saying what to check, in the user's
words.
"""

from __future__ import annotations

import difflib

from whoosh import query as q
from whoosh.qparser import FieldAliasPlugin, MultifieldParser, syntax
from whoosh.qparser.plugins import PhrasePlugin, Plugin

from indexer.actors import AliasTable, fold
from indexer.schema import OTHER, field_language, text_field

from .settings import MAX_QUERY_CHARS

#: User-facing field names and the index fields they mean.
FIELD_ALIASES = {"actors": ["actor"], "languages": ["lang", "language"], "source": ["source"],
                 "date": ["date"], "title": ["title"]}
USER_FIELDS = {"title", "actor", "lang", "language", "source", "date"}
DATES = "dates are YYYY, YYYY-MM, YYYY-MM-DD or [YYYY-MM-DD to YYYY-MM-DD]"
UNREADABLE = "cannot read the query; check that its quotes, brackets and parentheses come in pairs"


class QueryError(ValueError):
    """A query that cannot be run; ``param`` names the parameter at fault."""

    def __init__(self, message: str, param: str = "query"):
        super().__init__(message)
        self.param = param


def text_fields(languages: tuple[str, ...]) -> list[str]:
    return ["title", *(text_field(lang) for lang in languages), text_field(OTHER)]


class ActorWordsPlugin(Plugin):
    """A field-less word or phrase naming an actor also matches that actor's tag."""

    def __init__(self, table: AliasTable):
        self.table = table

    def filters(self, parser):
        return [(self.expand, 105)]  # before the multifield plugin spreads words over fields

    def expand(self, parser, group):
        nodes = []
        for node in group:
            if isinstance(node, syntax.GroupNode):
                node = self.expand(parser, node)
            elif isinstance(node, (syntax.WordNode, PhrasePlugin.PhraseNode)) and node.fieldname is None:
                actor = resolve(self.table, node.text)
                if actor:
                    tag = syntax.WordNode(actor)
                    tag.set_fieldname("actors")
                    tag.startchar, tag.endchar = node.startchar, node.endchar
                    node = syntax.OrGroup([node, tag])
            nodes.append(node)
        group.nodes = nodes
        return group


def resolve(table: AliasTable, spelling: str) -> str | None:
    """The actor a spelling in a query names (not a related word such as "Kremlin");
    acronyms only when typed in capitals."""
    from indexer.actors import TOKEN

    for alias in table.lookup.get(tuple(TOKEN.findall(fold(spelling))), ()):
        if alias.is_name and (alias.case != "upper" or spelling.isupper()):
            return alias.actor
    return None


def nearest_actors(table: AliasTable, spelling: str, n: int = 3) -> list[str]:
    spellings = {fold(s): name for name, all_ in table.spellings.items() for s in all_}
    close = difflib.get_close_matches(fold(spelling), list(spellings), n=10, cutoff=0.6)
    names: list[str] = []
    for s in close:
        if spellings[s] not in names:
            names.append(spellings[s])
    return names[:n]


def unknown_actor(table: AliasTable, spelling: str, param: str) -> QueryError:
    near = nearest_actors(table, spelling)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return QueryError(f"unknown actor {spelling!r}{hint}", param)


def actor_term(table: AliasTable, spelling: str, param: str = "actor") -> q.Term:
    actor = resolve(table, spelling) or table.resolve(spelling, names_only=True)
    if not actor:
        raise unknown_actor(table, spelling, param)
    return q.Term("actors", actor)


class QueryBuilder:
    """Parse user queries against one index's schema and alias table."""

    def __init__(self, schema, table: AliasTable, languages: tuple[str, ...]):
        self.table = table
        self.fields = text_fields(languages)
        self.parser = MultifieldParser(self.fields, schema)
        self.parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
        self.parser.add_plugin(ActorWordsPlugin(table))

    def parse(self, text: str) -> q.Query:
        text = (text or "").strip()
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(f"the query is {len(text)} characters long; at most {MAX_QUERY_CHARS} are allowed")
        if not text:
            return q.Every()
        try:
            parsed = self.parser.parse(text)
        except Exception:  # Whoosh's parser is lenient, but not everywhere (dates, mostly)
            raise QueryError(DATES if "date:" in text.lower() else UNREADABLE) from None
        return self._check(parsed)

    def _check(self, node: q.Query) -> q.Query:
        """Resolve actor terms, refuse broken dates, make ``*`` every article; return the
        (rewritten) query."""
        if getattr(node, "error", None):  # a value its field could not read: only dates do
            raise QueryError(DATES if getattr(node, "fieldname", None) in (None, "date") else UNREADABLE)
        if getattr(node, "fieldname", None) == "actors" and isinstance(node, (q.Term, q.Phrase, q.Prefix)):
            text = " ".join(node.words) if isinstance(node, q.Phrase) else node.text
            if isinstance(node, q.Term) and text in self.table.actors:
                return node
            return actor_term(self.table, text, "query")
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
        if not isinstance(node, q.Or):
            return node
        subs = node.subqueries
        if not subs or any(type(sub) is not q.Prefix or sub.boost != 1.0 for sub in subs) \
                or {sub.fieldname for sub in subs} != set(self.fields):
            return node
        typed = next(sub for sub in subs if sub.fieldname == text_field(OTHER)).text
        return q.Or([StemmedPrefix(sub.fieldname, typed) if field_language(sub.fieldname) else q.Prefix(sub.fieldname, typed)
                     for sub in subs], boost=node.boost)


    def _every(self, node: q.Query) -> q.Query:
        """A ``*`` spread over the default fields (every word of each) is every article."""
        if not isinstance(node, q.Or):
            return node
        spread = [sub for sub in node.subqueries
                  if type(sub) is q.Every and sub.boost == 1.0 and sub.fieldname in self.fields]
        if {sub.fieldname for sub in spread} != set(self.fields):
            return node
        rest = [sub for sub in node.subqueries if sub not in spread]
        return q.Or([*rest, q.Every()], boost=node.boost) if rest else q.Every(boost=node.boost)


class StemmedPrefix(q.Prefix):
    """A prefix on a stemmed field: the words that start with it, and the stems it may
    have been cut to (``severa*`` finds "several", indexed in English as ``sever``; up to
    :data:`STEM_SUFFIX_CHARS` letters shorter, never under three). A stem stands for all
    its words, so such a prefix may also find a word that shares the stem ("severe")."""

    def _btexts(self, ixreader):
        yield from super()._btexts(ixreader)
        for stem in stems_of_prefix(self.text):
            if (self.fieldname, stem) in ixreader:
                yield stem.encode("utf-8")


#: How many letters stemming may cut from the end of a word.
STEM_SUFFIX_CHARS = 4


def stems_of_prefix(text: str) -> list[str]:
    """The stems a word starting with ``text`` may have been cut to."""
    shortest = max(3, len(text) - STEM_SUFFIX_CHARS)
    return [text[:n] for n in range(len(text) - 1, shortest - 1, -1)]
