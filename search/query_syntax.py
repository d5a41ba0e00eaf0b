"""Query syntax: the operators a user types, and the mistakes refused before searching.

Parser plugins on Whoosh's query parser (:mod:`search.querying` puts them together):

* ``-word`` (also ``-"a phrase"``, ``-(a group)``, ``-title:word``) means ``NOT word`` and
  ``+word`` makes a word required even where it would be optional (a stop word): a ``-``
  or ``+`` counts only at the start of a term, after a space or an opening parenthesis,
  so hyphenated words (``Nagorno-Karabakh``, ``cessez-le-feu``) stay words;
* two ``NOT`` in a row cancel out (``NOT NOT x`` is ``x``);
* a query Whoosh would read silently in another sense than the one typed is refused with
  a :class:`QueryError` saying what to fix: a parenthesis, quote or bracket without its
  pair, an ``AND``/``OR``/``ANDNOT``/``ANDMAYBE``/``REQUIRE`` without something on each
  side, a ``NOT`` with nothing after it, a field with nothing right after it (``title:``,
  ``title: x``) and a field that does not exist (``foo:bar``; put text in quotes to
  search it as words).
"""

from __future__ import annotations

from whoosh.qparser import syntax
from whoosh.qparser.plugins import GroupPlugin, OperatorsPlugin, Plugin

from .query_error import QueryError

#: The fields a query may name, as users write them.
USER_FIELDS = ("title", "actor", "lang", "source", "date")
#: The operators, as typed.
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"})


class RequiredGroup(syntax.Wrapper):
    """``+word``: the word, required wherever it stands."""

    def query(self, parser):
        return self.nodes[0].query(parser)


def operators() -> OperatorsPlugin:
    """Whoosh's operators with ``-`` (NOT) and ``+`` (required) before a term."""
    tagger = OperatorsPlugin.OpTagger
    return OperatorsPlugin(
        ops=[
            (tagger(r"(?:^|(?<=[\s(]))-(?=[^\s\-+)])", syntax.NotGroup, syntax.PrefixOperator, memo="minus"), 0),
            (tagger(r"(?:^|(?<=[\s(]))\+(?=[^\s\-+)])", RequiredGroup, syntax.PrefixOperator, memo="plus"), 0),
        ]
    )


class SyntaxChecks(Plugin):
    """Refuse what the parser would otherwise read in another sense than typed; cancel
    ``NOT NOT``. ``known`` tells whether a field name (after aliases) may be searched."""

    def __init__(self, known):
        self.known = known

    def filters(self, parser):
        # pairs before the parser groups parentheses (0); fields before it applies them
        # (100) and while spaces still show (500); operators before it reads them (600)
        return [(self.pairs, -1), (self.fields, 95), (self.operators, 590)]

    # --- quotes, brackets, parentheses -----------------------------------------------------

    def pairs(self, parser, group):
        depth = 0
        for node in group:
            if isinstance(node, GroupPlugin.OpenBracket):
                depth += 1
            elif isinstance(node, GroupPlugin.CloseBracket):
                depth -= 1
                if depth < 0:
                    raise QueryError("a closing parenthesis ')' has no '(' before it")
            else:
                text = getattr(node, "text", None) if isinstance(node, syntax.WordNode) else None
                for mark, name in (
                    ('"', "a quote '\"'"),
                    ("[", "a bracket '['"),
                    ("{", "a bracket '{'"),
                    ("]", "a bracket ']'"),
                    ("}", "a bracket '}'"),
                ):
                    if text and mark in text:
                        raise QueryError(f"{name} has no pair; close it, or leave it out")
        if depth > 0:
            raise QueryError("a parenthesis '(' is not closed")
        return group

    # --- fields ------------------------------------------------------------------------------

    def fields(self, parser, group):
        nodes = list(group)
        for i, node in enumerate(nodes):
            if isinstance(node, syntax.GroupNode):
                self.fields(parser, node)
            if not isinstance(node, syntax.FieldnameNode) or node.fieldname == "*":
                continue
            shown = node.original
            if not self.known(node.fieldname):
                if not node.fieldname[:1].isalpha():  # "10:30" is text
                    continue
                raise QueryError(
                    f"unknown field {shown!r}; the fields are "
                    f"{', '.join(f + ':' for f in USER_FIELDS)} (put text in quotes to search it as words)"
                )
            after = nodes[i + 1] if i + 1 < len(nodes) else None
            if after is None or after.is_ws() or isinstance(after, GroupPlugin.CloseBracket):
                raise QueryError(f"{shown!r} needs what to search right after it, as in {shown}word")
        return group

    # --- operators ---------------------------------------------------------------------------

    def operators(self, parser, group):
        nodes = []
        for node in group:
            if _is_not(node) and nodes and _is_not(nodes[-1]):
                nodes.pop()  # NOT NOT x is x
                continue
            nodes.append(node)
        for i, node in enumerate(nodes):
            before = nodes[i - 1] if i else None
            after = nodes[i + 1] if i + 1 < len(nodes) else None
            if isinstance(node, syntax.InfixOperator):
                if (
                    before is None
                    or after is None
                    or isinstance(before, syntax.Operator)
                    or isinstance(after, syntax.InfixOperator)
                ):
                    raise QueryError(f"{node.text!r} needs something to search on each side of it")
            elif isinstance(node, syntax.PrefixOperator):
                if after is None or isinstance(after, syntax.InfixOperator):
                    shown = "NOT" if node.text == "-" else node.text
                    raise QueryError(f"{shown!r} needs something to search right after it")
            elif isinstance(node, syntax.GroupNode):
                self.operators(parser, node)
            elif type(node) is syntax.WordNode and node.fieldname is None and node.text in OPERATORS:
                # an operator at either end of the query or of parentheses is read as a word
                raise QueryError(
                    f"{node.text!r} needs something to search "
                    f"{'right after it' if node.text == 'NOT' else 'on each side of it'}"
                )
        group.nodes = nodes
        return group


def _is_not(node) -> bool:
    return isinstance(node, syntax.PrefixOperator) and node.grouptype is syntax.NotGroup
