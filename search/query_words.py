"""Field-less words of a query: what each means, and where it is searched.

A parser plugin (:mod:`search.querying` puts it in), run once the operators and
parentheses are read, that rewrites every field-less word, phrase or pattern:

* a word with hyphens inside is its parts, as in the text (``Nagorno-Karabakh`` is
  ``Nagorno Karabakh``, ``cessez-le-feu`` is ``cessez le feu``);
* words next to each other that together spell an actor's name (greedily, the longest
  first, as the indexer tags the text) also find the articles tagged with the actor
  (``Nagorno Karabakh``), and so does one word or phrase naming an actor (``Poutine``
  finds articles that only say "Putin"); an elided article or preposition before the name
  is no part of it (``l'OTSC``, ``d'Azerbaïdjan``);
* in a group of words that are all required, a word that the analysis of one of the
  index's languages drops (a stop word in any of them: "the", "la", "au") is left out,
  neither required nor scored, unless the group has nothing else to find (a query of
  stop words alone finds what it can); ``+word`` makes it required; a word naming an
  actor is never left out; a stop word cannot be excluded (``NOT the`` is refused: the
  text of some languages does not hold it);
* each field-less word is searched in the title and in every language's text, each with
  its own analysis, plus the actor tag when it names one, combined as
  :class:`~search.best_fields.BestFields` (the best field's score plus a share of the
  others').
"""

from __future__ import annotations

import copy
import re

from whoosh.qparser import syntax
from whoosh.qparser.plugins import PhrasePlugin, Plugin

from indexer.ingest.actors import TOKEN, AliasTable
from indexer.ingest.folding import fold
from indexer.store.analysis import ELISION, POSSESSIVE

from . import settings
from .best_fields import BestFields
from .query_error import QueryError

#: A hyphen (or dash) between two letters or digits of one word.
INNER_HYPHEN = re.compile(r"(?<=\w)[-‐‑–](?=\w)")


def resolve(table: AliasTable, spelling: str) -> str | None:
    """The actor a spelling in a query names (not a related word such as "Kremlin"),
    with no elided article or preposition before it nor possessive after it (``l'OTSC``,
    ``Putin's``); acronyms only when typed in capitals."""
    spelling = POSSESSIVE.sub("", ELISION.sub("", spelling.strip()))
    for alias in table.lookup.get(tuple(TOKEN.findall(fold(spelling))), ()):
        if alias.is_name and (alias.case != "upper" or spelling.isupper()):
            return alias.actor
    return None


class BestFieldsGroup(syntax.GroupNode):
    qclass = BestFields


class QueryWords(Plugin):
    """Spread field-less words over ``fields`` (see the module's docstring)."""

    def __init__(self, table: AliasTable, fields: list[str], language_fields: list):
        self.table = table
        self.fields = fields
        self.language_fields = language_fields  # schema fields with a language's analysis
        self.longest_name = max(table.first_words.values(), default=1)
        self._stops: dict[str, bool] = {}

    def filters(self, parser):
        return [(self.rewrite, 700)]  # after the operators (600)

    def rewrite(self, parser, group):
        node = self._node(group)
        return node if isinstance(node, syntax.GroupNode) else syntax.AndGroup([node])

    # --- nodes -------------------------------------------------------------------------------

    def _node(self, node):
        if type(node) is syntax.AndGroup:
            return self._all(node)
        if isinstance(node, syntax.NotGroup) and node.nodes and self._stops_only(node.nodes[0]):
            words = " ".join(self._words(node.nodes[0]))
            raise QueryError(f"cannot leave out {words!r}: a stop word is too common to be indexed in every language")
        if isinstance(node, syntax.GroupNode):
            node.nodes = [self._node(child) for child in node.nodes]
            return node
        if _plain(node):
            return self._word(node)
        if node.has_fieldname and node.fieldname is None:
            actor = resolve(self.table, node.text) if isinstance(node, PhrasePlugin.PhraseNode) else None
            return self._spread(node, actor)
        return node

    def _word(self, node):
        parts = INNER_HYPHEN.split(node.text)
        if len(parts) > 1:
            return self._all(syntax.AndGroup([_word_like(node, part) for part in parts if part]), node.boost)
        return self._spread(node, resolve(self.table, node.text))

    def _spread(self, node, actor: str | None):
        """The node searched in every field (and the actor tag), best field first."""
        subs = []
        for fieldname in self.fields:
            sub = copy.copy(node)
            sub.set_fieldname(fieldname)
            sub.set_boost(1.0)
            subs.append(sub)
        if actor:
            subs.append(_tag(actor, node))
        return _best(subs, node.boost)

    # --- groups of required words ------------------------------------------------------------

    def _all(self, group, boost: float = 1.0, names: bool = True):
        """An AND group: hyphenated words split, actor names found across words, stop
        words made optional."""
        items = self._flat(group)
        if names:
            items = self._names(items)
        required, optional, positive = [], [], False
        for item in items:
            if self._optional(item):
                optional.append(self._spread(item, None))
                continue
            positive = positive or not isinstance(item, syntax.NotGroup)
            required.append(item if isinstance(item, BestFieldsGroup) else self._node(item))
        if optional and not positive:
            required.insert(0, syntax.OrGroup(optional))  # nothing else to find: any of them
        # else the stop words are left out, as a stop filter does: a language that keeps
        # them (the title's, or another language's text) would make them count
        result = syntax.AndGroup(required)
        result.boost = boost * group.boost
        return result

    def _flat(self, group) -> list:
        """The group's items, with nested AND groups and hyphenated words opened."""
        items = []
        for node in group.nodes:
            if type(node) is syntax.AndGroup and node.boost == 1.0:
                items.extend(self._flat(node))
            elif _plain(node) and node.boost == 1.0 and INNER_HYPHEN.search(node.text):
                items.extend(_word_like(node, part) for part in INNER_HYPHEN.split(node.text) if part)
            else:
                items.append(node)
        return items

    def _names(self, items: list) -> list:
        """Runs of two words or more spelling an actor's name, greedily, longest first:
        the words (all required) or the actor's tag."""
        out, i = [], 0
        while i < len(items):
            run = 0
            while (
                i + run < len(items)
                and run < self.longest_name
                and _plain(items[i + run])
                and items[i + run].boost == 1.0
            ):
                run += 1
            for n in range(run, 1, -1):
                words = items[i : i + n]
                actor = resolve(self.table, " ".join(w.text for w in words))
                if actor:
                    spelled = self._all(syntax.AndGroup(words), names=False)
                    out.append(_best([spelled, _tag(actor, words[0])], 1.0))
                    i += n
                    break
            else:
                out.append(items[i])
                i += 1
        return out

    def _stops_only(self, node) -> bool:
        """Whether a node is stop words and nothing else (``the``, ``(the OR la)``)."""
        if isinstance(node, (syntax.AndGroup, syntax.OrGroup)):
            return bool(node.nodes) and all(self._stops_only(child) for child in node.nodes)
        return self._optional(node)

    @staticmethod
    def _words(node) -> list[str]:
        if isinstance(node, syntax.GroupNode):
            return [word for child in node.nodes for word in QueryWords._words(child)]
        return [node.text]

    def _optional(self, node) -> bool:
        """A field-less word that the analysis of some language drops, naming no actor."""
        if not _plain(node):  # a phrase, a pattern, a field, +word
            return False
        text = node.text
        if text not in self._stops:
            if len(self._stops) > 10_000:
                self._stops.clear()
            self._stops[text] = any(
                not list(field.process_text(text, mode="query")) for field in self.language_fields
            ) and not resolve(self.table, text)
        return self._stops[text]


def _best(subs: list, boost: float) -> BestFieldsGroup:
    return BestFieldsGroup(subs, boost=boost, tiebreak=settings.BEST_FIELDS_TIEBREAK)


def _plain(node) -> bool:
    """A word without a field (not a phrase, pattern or range)."""
    return type(node) is syntax.WordNode and node.fieldname is None


def _word_like(node, text: str) -> syntax.WordNode:
    word = syntax.WordNode(text)
    word.startchar, word.endchar = node.startchar, node.endchar
    return word


def _tag(actor: str, where) -> syntax.WordNode:
    tag = syntax.WordNode(actor)
    tag.set_fieldname("actors")
    tag.startchar, tag.endchar = where.startchar, where.endchar
    return tag
