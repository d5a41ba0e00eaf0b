"""Joins of discovered names across the archive that no single article links: the rules
:class:`search.discovered.DiscoveredActors` applies after the links articles gave.

* an acronym that is the initials of one organisation's or place's name, and of no
  other, is that name when an article linked them at least once ("UKIP" of "UK
  Independence Party"; one letter a word, where an article's own "Long Form (LF)" may
  take more; without the link, "BT" would be "British Tories");
* a person's name with middle initials is the name without them when it is the only one
  that reduces to it ("George W Bush" and "George Bush");
* a word that a title stands before in an organisation's name ("General Motors"), and
  that articles take for a person's name after that title ("Motors"), is that
  organisation: a fragment of it;
* names a data file gives as one (``indexer/data/name-same-names.txt``: short forms no
  rule can join, "Tory Party" and "Conservative Party") are one.

Each function calls ``join(a, b)`` for two keys to make one actor; ``counts`` is
:class:`indexer.store.name_counts.NameCounts`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

from indexer import settings
from indexer.ingest.discovery import MENTION, TOKEN, UNTYPED, fold
from indexer.ingest.naming import name_key
from indexer.ingest.wordlists import word_lists

Join = Callable[[str, str], None]


def _types(entry: dict) -> dict[str, int]:
    return {t: n for t, n in entry["types"].items() if t not in (UNTYPED, MENTION)}


def _top(entry: dict) -> str | None:
    types = _types(entry)
    return max(types, key=lambda t: (types[t], t)) if types else None


def _spelling(entry: dict) -> str:
    return max(entry["spellings"].items(), key=lambda sc: (sc[1], sc[0]))[0] if entry["spellings"] else ""


def join_acronyms(counts, join: Join, root: Callable[[str], str]) -> None:
    """An acronym typed an organisation joins the one organisation or place (of several
    words, made by some article) whose initials it is and that an article linked it to,
    when there is one only."""
    debris = word_lists()["debris"]
    by_initials: dict[str, list[str]] = defaultdict(list)
    for key, entry in counts.names.items():
        if " " in key and _top(entry) in ("organization", "place"):
            spelling = _spelling(entry)
            if not spelling.isupper():
                for initials in set(_initials(spelling, debris)):
                    by_initials[initials].append(key)
    for key, entry in counts.names.items():
        if " " in key or key not in by_initials or _top(entry) != "organization" or root(key) != key:
            continue
        linked = counts.links.get(key) or {}
        if _spelling(entry).isupper() and 2 <= len(key) <= 6:
            roots = {root(k) for k in by_initials[key] if linked.get(k)}
            if len(roots) == 1:
                join(key, roots.pop())


def _initials(spelling: str, debris: frozenset[str]) -> tuple[str, str]:
    """A name's initials, with its stop words and without them; a word in capitals gives
    all its letters ("UK Independence Party": "ukip")."""
    words = TOKEN.findall(spelling)
    parts = [(fold(w) if w.isupper() else fold(w[0]), fold(w) in debris) for w in words]
    return "".join(p for p, _ in parts), "".join(p for p, stop in parts if not stop)


def join_initials(counts, join: Join) -> None:
    """A person's name with single letters inside it ("George W Bush") joins the name
    without them ("George Bush") when no other name reduces to that one."""
    reduced: dict[str, list[str]] = defaultdict(list)
    for key, entry in counts.names.items():
        words = key.split()
        if len(words) > 2 and any(len(w) == 1 for w in words[1:-1]) and _top(entry) == "person":
            reduced[" ".join([words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]])].append(key)
    for short, keys in reduced.items():
        entry = counts.names.get(short)
        if len(keys) == 1 and entry is not None and _top(entry) in ("person", None):
            join(keys[0], short)


@lru_cache(maxsize=1)
def same_names() -> tuple[tuple[str, ...], ...]:
    """The lines of ``name-same-names.txt``: the keys of names that are one actor."""
    lines = (settings.DATA_DIR / "name-same-names.txt").read_text(encoding="utf-8").splitlines()
    groups = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            groups.append(tuple(name_key(s) for s in line.split(";") if s.strip()))
    return tuple(groups)


def join_same_names(counts, join: Join) -> None:
    """The names the data file gives as one, those the archive has, are one actor."""
    for keys in same_names():
        present = [k for k in keys if k in counts.names]
        for other in present[1:]:
            join(other, present[0])


def join_title_fragments(counts, join: Join) -> set[str]:
    """A word that is the rest of an organisation's name after a title ("Motors" of
    "General Motors") joins it; the keys of the organisations it joined."""
    titles = {name_key(t) for t in word_lists()["titles"]}
    joined = set()
    for key, entry in counts.names.items():
        words = key.split()
        if len(words) == 2 and words[0] in titles and words[1] in counts.names and _top(entry) == "organization":
            join(words[1], key)
            joined.add(key)
    return joined
