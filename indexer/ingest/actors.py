"""Actors: find the people, countries, organisations and places an article names.

The alias table is a CSV file (``data/actors.csv`` by default; users can extend it or
point to their own) of canonical names, types, other names and spellings in English and
French, and related words (demonyms, capitals used for the country) that tag an article
with the actor without being its name.
Matching works on tokens: the text and every alias are split into words, folded (no
accents, lower case) and aliases of up to several words are looked up greedily, longest
first. Word boundaries come free, and so does French elision ("l'OTSC" is "l" + "OTSC").
Case is checked on the original text: acronyms (US, EU, ONU) only in capitals, names with
a capital only with a capital (a name of several words: one of its capitalised words, so
"statut de Rome" is the Rome Statute's), lower-case aliases (demonyms like "arménien") in
any case; a short name (Xi) is not matched by a word in capitals (the numeral XI).
The gazetteer (``data/places.csv``: countries, capitals, major cities and regions in
English, French, German and Russian) is read under every table in the same form: the
table wins where it speaks (a gazetteer row it names by any spelling is left out, and so
is a gazetteer spelling it already has). A Russian spelling also matches its case forms
(Ирак: Ирака, Ираке, Ираком; Путин: Путина, Путиным), made by the regular endings of
nouns and adjectives (:func:`russian_forms`; Ближний Восток: на Ближнем Востоке), and a
name whose first words end as German adjectives do in theirs (Naher Osten: im Nahen
Osten, des Nahen Ostens: :func:`german_forms`).
An alias the table marks ambiguous (its fifth column: "Wagner", a surname too; "Minsk"
in "Minsk agreements"; "Washington" in a dateline) tags an article only with evidence:
the article also names the actor by an unambiguous alias, or a title stands before it
("President Xi"). So does a person's one-word spelling that is the first word of a
person's name of several words ("Rupert" of Rupert Murdoch, a row "Will" beside "Will
Young"): a first name alone names no one.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path

from .. import settings
from .article import Actor
from .folding import fold
from .wordlists import word_lists

TYPES = ("person", "country", "organization", "place")
TOKEN = re.compile(r"\w+")
#: What may stand between two words of one name: a space, hyphen or apostrophe.
JOINER = re.compile(r"^(?:[ \-‐–'’]{0,2}|\.)$")  # "." only inside an acronym (U.S.)


def trie_pattern(words) -> str:
    """A regular expression matching any of ``words``, as a trie (fast to match)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


class AliasTableError(ValueError):
    """The alias table cannot be read; the message names the file and line."""


class _FoldTable(dict):
    """str.translate table folding one character to one, so positions are kept."""

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        value = self[code] = folded if len(folded) == 1 else chr(code).lower()
        return value


FOLD_TABLE = _FoldTable()


@dataclass(frozen=True)
class Alias:
    actor: str
    type: str
    spelling: str
    case: str  # "upper", "title" or "any"
    is_name: bool = True  # False for a related word (demonym, capital)
    ambiguous: bool = False  # needs evidence in the article to tag it

    @classmethod
    def make(cls, actor: str, type_: str, spelling: str, is_name: bool = True, ambiguous: bool = False) -> Alias:
        letters = [c for c in spelling if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            case = "upper"
        elif letters and letters[0].isupper():
            case = "title"
        else:
            case = "any"
        return cls(actor, type_, spelling, case, is_name, ambiguous)

    def accepts(self, original: str) -> bool:
        """Whether the text as written (``original``) has the case this alias needs."""
        if self.case == "upper":
            return all(c.isupper() for c in original if c.isalpha())
        if self.case == "title":
            letters = [c for c in original if c.isalpha()]
            if len(letters) <= 3 and all(c.isupper() for c in letters):
                return False  # a numeral or an acronym, not a short name
            capitals = [i for i, w in enumerate(TOKEN.findall(self.spelling)) if w[0].isupper()]
            words = TOKEN.findall(original)
            return any(i < len(words) and words[i][0].isupper() for i in capitals)
        return True


class AliasTable:
    """All spellings of all actors, ready for matching."""

    def __init__(self, rows: list[tuple], path: str = "<rows>"):
        """``rows``: (name, type, aliases, related[, ambiguous]), the last three lists."""
        self.path = path
        self.actors: dict[str, str] = {}
        #: the actor's names (canonical first): what a search for the actor accepts
        self.spellings: dict[str, list[str]] = {}
        self.lookup: dict[tuple[str, ...], list[Alias]] = {}
        given = _first_names(rows)
        for name, type_, aliases, related, *rest in rows:
            ambiguous = {fold(a) for a in (rest[0] if rest else ())}
            if type_ == "person":  # a first name alone ("Rupert" of Rupert Murdoch) needs evidence
                ambiguous |= {fold(s) for s in (name, *aliases) if " " not in s.strip() and fold(s) in given}
            self.actors[name] = type_
            self.spellings[name] = [name, *aliases]
            for spelling, is_name in [(name, True), *((a, True) for a in aliases), *((r, False) for r in related)]:
                alias = Alias.make(name, type_, spelling, is_name, fold(spelling) in ambiguous)
                for key in _keys(spelling):
                    self.lookup.setdefault(key, []).append(alias)
        #: first word of an alias -> the most words an alias starting with it has
        self.first_words: dict[str, int] = {}
        for key in self.lookup:
            self.first_words[key[0]] = max(len(key), self.first_words.get(key[0], 0))
        self.first_pattern = re.compile(r"(?<!\w)" + trie_pattern(self.first_words) + r"(?!\w)")

    @classmethod
    def from_file(cls, path: str | Path, places: str | Path | None = settings.PLACES_FILE) -> AliasTable:
        """The table in ``path``, over the gazetteer ``places`` (None: without it)."""
        rows = read_rows(path)
        if places is not None:
            rows += under(rows, read_rows(places))
        return cls(rows, str(path))

    def names(self) -> frozenset[str]:
        """Every one-word spelling, folded: words the glued-word repair must know."""
        return frozenset(key[0] for key in self.lookup if len(key) == 1)

    def resolve(self, spelling: str, names_only: bool = False) -> str | None:
        """The canonical actor a spelling names, in any case ("poutine" -> Vladimir Putin);
        with ``names_only``, not through a related word ("Kremlin")."""
        for alias in self.lookup.get(tuple(TOKEN.findall(fold(spelling))), ()):
            if alias.is_name or not names_only:
                return alias.actor
        return None

    def find(self, text: str) -> Counter[str]:
        """Mentions of each actor in ``text``; an ambiguous alias's only with evidence (the
        actor named by an unambiguous alias too, or a title before it)."""
        found = list(self.mentions(text))
        sure = {alias.actor for _, _, alias in found if not alias.ambiguous}
        return Counter(
            alias.actor
            for start, _, alias in found
            if not alias.ambiguous or alias.actor in sure or _after_title(text, start)
        )

    def mentions(self, text: str):
        """Each mention of an actor in ``text``, in order: ``(start, end, alias)``."""
        lowered = text.lower() if text.isascii() else text.translate(FOLD_TABLE)
        lookup, longest_for = self.lookup, self.first_words
        done = 0
        for first in self.first_pattern.finditer(lowered):  # only where an alias may start
            if first.start() < done:
                continue
            words = [first]
            if longest_for[first.group()] > 1:
                for word in TOKEN.finditer(lowered, first.end()):
                    words.append(word)
                    if len(words) >= longest_for[first.group()]:
                        break
            for n in range(len(words), 0, -1):
                aliases = lookup.get(tuple(w.group() for w in words[:n]))
                if not aliases:
                    continue
                # the words of a name are joined by spaces or hyphens, not punctuation
                if n > 1 and not all(JOINER.match(text[a.end() : b.start()]) for a, b in zip(words, words[1:n])):
                    continue
                original = text[first.start() : words[n - 1].end()]
                alias = next((a for a in aliases if a.accepts(original)), None)
                if alias:
                    yield first.start(), words[n - 1].end(), alias
                    done = words[n - 1].end()
                    break

    def actors_in(self, paragraphs: list[str]) -> list[Actor]:
        """The actors of an article, most mentioned first."""
        counts = self.find("\n".join(paragraphs))  # a name never spans a newline
        return [Actor(name, self.actors[name], n) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def read_rows(path: str | Path) -> list[tuple]:
    """The rows of the alias table (or gazetteer) in ``path``: (name, type, aliases,
    related, ambiguous)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasTableError(f"{path}: cannot read the alias table ({exc})") from None
    rows = []
    reader = csv.reader(text.splitlines())
    header_seen = False
    for number, row in enumerate(reader, 1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if not header_seen and [c.strip().lower() for c in row[:3]] == ["name", "type", "aliases"]:
            header_seen = True
            continue
        if len(row) < 2 or len(row) > 5 or not row[0].strip():
            raise AliasTableError(f"{path}:{number}: expected name,type,aliases,related,ambiguous")
        name, type_ = row[0].strip(), row[1].strip().lower()
        if type_ not in TYPES:
            raise AliasTableError(f"{path}:{number}: type {type_!r} is not one of {', '.join(TYPES)}")
        aliases, related, ambiguous = (
            [a.strip() for a in cell.split(";") if a.strip()] for cell in (row + ["", "", ""])[2:5]
        )
        spellings = {fold(s) for s in [name, *aliases, *related]}
        unknown = [a for a in ambiguous if fold(a) not in spellings]
        if unknown:
            raise AliasTableError(f"{path}:{number}: ambiguous {unknown[0]!r} is not one of the row's spellings")
        rows.append((name, type_, aliases, related, ambiguous))
    return rows


def under(table: list[tuple], places: list[tuple]) -> list[tuple]:
    """The gazetteer's rows the table leaves room for: not a row whose name the table
    gives (by any spelling), nor a spelling the table already has."""
    known = {key for name, _t, aliases, related, *_ in table for s in (name, *aliases, *related) for key in _keys(s)}
    kept = []
    for name, type_, aliases, related, ambiguous in places:
        if set(_keys(name)) & known:
            continue
        aliases, related = ([s for s in cell if not set(_keys(s)) & known] for cell in (aliases, related))
        spellings = {fold(s) for s in (name, *aliases, *related)}
        kept.append((name, type_, aliases, related, [a for a in ambiguous if fold(a) in spellings]))
    return kept


CYRILLIC = re.compile("[\u0400-\u04ff]")
#: Russian case endings: (the ends of a word's usual form, the ends of its other forms);
#: the first that fits is used.
_ENDINGS = (
    (("ый", "ой"), ("ого", "ому", "ым", "ом")),
    (("ий",), ("ого", "ому", "им", "ом", "ем", "его", "ему", "ия", "ию", "ием", "ии")),  # Зеленский; Ближний; Дмитрий
    (("ая", "яя"), ("ой", "ую", "ей", "юю")),
    (("ое", "ее"), ("ого", "ому", "ым", "ом")),
    (("ые", "ие"), ("ых", "их", "ым", "им", "ыми", "ими")),
    (("ия",), ("ии", "ию", "ией")),
    (("а",), ("ы", "и", "е", "у", "ой", "ою")),
    (("я",), ("и", "е", "ю", "ей")),
    (("ь",), ("я", "ю", "ем", "ём", "е", "и", "ью")),
    (("й",), ("я", "ю", "ем", "е")),
    (("ы",), ("ов", "ам", "ами", "ах")),
)


def russian_forms(word: str) -> list[str]:
    """A Russian word and its case forms by the regular endings (Путин: Путина, Путину,
    Путиным, Путине; Россия: России, Россию); an acronym, a short word or one ending in
    another vowel (Шойгу, Перу) does not change."""
    if len(word) < 3 or word.isupper() or not CYRILLIC.search(word):
        return [word]
    lower = word.lower()
    for ends, others in _ENDINGS:
        for end in ends:
            if lower.endswith(end):
                return [word, *(word[: -len(end)] + other for other in others)]
    if lower[-1] in "оеиуюэё":
        return [word]
    return [word, *(word + other for other in ("а", "у", "ом", "ым", "е"))]


#: German adjective endings: an adjective before a noun takes any of them by case
#: ("Naher Osten", "im Nahen Osten", "des Nahen Ostens").
_GERMAN_ADJECTIVE = ("er", "en", "em", "es", "e")


@lru_cache(maxsize=1 << 16)
def russian_bases(word: str) -> tuple[str, ...]:
    """The usual forms of which a Russian word may be a case form, by the same endings
    (Обамы: Обама; Берлине: Берлин, Берлина…), the word itself first."""
    if len(word) < 4 or word.isupper() or not CYRILLIC.search(word):
        return (word,)
    lower = word.lower()
    bases = [word]
    for ends, others in _ENDINGS:
        for other in others:
            if lower.endswith(other) and len(lower) > len(other) + 2:
                bases += [word[: -len(other)] + end for end in ends]
    for other in ("а", "у", "ом", "ым", "е"):
        if lower.endswith(other) and len(lower) > len(other) + 2:
            bases.append(word[: -len(other)])
    return tuple(dict.fromkeys(bases))


def german_forms(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The case forms of a name of several folded words whose words before the last end
    as a German adjective does: each adjective with the other endings, the last word with
    a genitive's "s" too ("naher osten": "nahen osten", "nahen ostens")."""
    if len(words) < 2 or len(words) > 3:
        return []
    choices = []
    for word in words[:-1]:
        end = next((e for e in _GERMAN_ADJECTIVE if word.endswith(e) and len(word) > len(e) + 2), None)
        choices.append([word] if end is None else [word[: -len(end)] + e for e in _GERMAN_ADJECTIVE])
    if all(len(c) == 1 for c in choices):
        return []
    last = words[-1]
    choices.append([last, last + "s"] if last[-1] not in "sxz" else [last])
    return [combo for combo in product(*choices) if combo != words]


def _keys(spelling: str) -> list[tuple[str, ...]]:
    """The lookup keys of a spelling: its folded words, and for a Russian spelling each
    combination of its words' case forms."""
    if not CYRILLIC.search(spelling):
        key = tuple(TOKEN.findall(fold(spelling)))
        # the text is folded letter for letter (FOLD_TABLE: "ß" stays one letter, where
        # fold() makes it "ss"): the spelling folded so too is a key as well
        lettered = tuple(TOKEN.findall(spelling.translate(FOLD_TABLE)))
        return [k for k in dict.fromkeys((key, lettered, *german_forms(key))) if k]
    return list(product(*([fold(form) for form in russian_forms(w)] for w in TOKEN.findall(spelling))))


def _first_names(rows: list[tuple]) -> set[str]:
    """The first words of the people's names of several words in ``rows``, folded: alone,
    such a word is a first name, which names no one without more evidence."""
    return {
        fold(s.split()[0])
        for name, type_, aliases, *_ in rows
        if type_ == "person"
        for s in (name, *aliases)
        if len(s.split()) > 1 and "-" not in s.split()[0]
    }


def _after_title(text: str, start: int) -> bool:
    """Whether a title stands right before ``start`` ("President Xi", "M. Wagner")."""
    before = TOKEN.findall(text[max(0, start - 30) : start])
    if not before or not text[:start].endswith((" ", ". ")):
        return False
    titles = word_lists()["titles"]
    word = fold(before[-1])
    return word in titles or (word + ".") in titles


def load_table(path: str | Path = settings.ACTORS_FILE) -> AliasTable:
    """The alias table in ``path``, read again only when the file changed."""
    try:
        st = Path(path).stat()
    except OSError as exc:
        raise AliasTableError(f"{path}: cannot read the alias table ({exc.strerror})") from None
    return _load_table(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _load_table(path: str, mtime_ns: int, size: int) -> AliasTable:
    return AliasTable.from_file(path)
