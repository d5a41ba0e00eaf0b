"""Discovered actors: the names the indexer found (:mod:`indexer.ingest.discovery`) that
enough articles name, as actors a search can filter by and a facet can count.

The index keeps how many articles name each name key and which forms (an acronym, a
surname alone) articles gave them (:mod:`indexer.store.name_counts`). Here a form joins
the name it was seen with when at least ``DISCOVERY_MIN_LINKS`` articles linked them, no
other name got half as many of its links, and the evidence is strong: an acronym joins
only the name its initials spell ("CDU" its long form); a word joins only as the last
word of a person's name ("Maas" joins "Heiko Maas"; "Madrid" not "Real Madrid", "Charles"
not "Ray Charles" while more articles give "Charles" as a first name); a word also joins
the organisation named by it and a head word that such names drop ("Labour" the "Labour
Party", "Microsoft" "Microsoft Corporation": ``indexer/data/name-short-heads.txt``), which
makes the actor an organisation; a word joins the name that is it after an article
("Spiegel" "Der Spiegel", "Guardian" "The Guardian"); a name whose words abbreviate, one by one, those of one
organisation's name joins it across articles as within one ("Lib Dems" and "Liberal
Democrat" join "Liberal Democrats"); a word alone that is the surname of one discovered person
and no other joins that person when most articles linking it to a full name linked it
to theirs ("Merkel" to Angela Merkel; not "Smith" to Walter Smith when articles also name
Alan and Patti Smith: :func:`owns`), unless articles type it otherwise or give it more
often as a first name (:meth:`DiscoveredActors._join_surnames`); as a filter, it names
that person where it joined or was never seen alone, and the surname of several
discovered people names none (the user chooses). The keys joined make one actor, shown under its most
frequent full spelling, of the type most of its articles gave it. An actor is discovered when at least
``DISCOVERY_MIN_ARTICLES`` articles name it, at least ``DISCOVERY_MIN_TYPED_SHARE`` of
them with evidence of its type and fewer as a thing's ("SIM card"), and the alias table does not know it (the table wins
where it speaks). Documents hold the keys (field ``names``), so a filter on a
discovered actor is an OR of its keys' terms, and the facet maps keys to actors.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from indexer import settings
from indexer.ingest.actors import CYRILLIC, AliasTable
from indexer.ingest.discovery import MENTION, THING, UNTYPED, abbreviates, acronym_of, fold
from indexer.ingest.naming import name_key
from indexer.ingest.wordlists import word_lists
from indexer.store.name_counts import NameCounts

from . import name_joins


class DiscoveredActors:
    """The discovered actors of one index."""

    def __init__(self, counts: NameCounts, table: AliasTable, min_articles: int = settings.DISCOVERY_MIN_ARTICLES):
        parent: dict[str, str] = {}

        def root(key: str) -> str:
            while parent.get(key, key) != key:
                key = parent[key] = parent.get(parent[key], parent[key])
            return key

        def join(a: str, b: str) -> None:
            a, b = root(a), root(b)
            if a != b:
                parent[a] = b

        first_names = _first_names(counts)
        for form, links in counts.links.items():
            ranked = sorted(links.items(), key=lambda kv: (-kv[1], kv[0]))
            best, n = ranked[0]
            second = ranked[1][1] if len(ranked) > 1 else 0
            if (
                n >= settings.DISCOVERY_MIN_LINKS
                and n >= 2 * second
                and _may_join(form, best, links, counts, first_names)
            ):
                a, b = root(form), root(best)
                if a != b:
                    parent[a] = b
        # "Labour" is the Labour Party, "Microsoft" Microsoft Corporation: a word joins the
        # organisation named by it and a head word such names drop (unless more articles
        # gave the word as a person's than named the organisation)
        heads = {name_key(h) for h in word_lists()["short_heads"]}
        headed: set[str] = set()
        for key, entry in counts.names.items():
            words = key.split()
            if len(words) == 2 and words[1] in heads and _top_type(entry) == "organization":
                headed.add(key)
                short = counts.names.get(words[0])
                if short is not None and short["types"].get("person", 0) < entry["articles"]:
                    a, b = root(words[0]), root(key)
                    if a != b:
                        parent[a] = b
        # as within an article, a name whose words abbreviate, one by one, those of one
        # organisation's name ("Lib Dems", "Liberal Democrat" of "Liberal Democrats") is it
        by_initials: dict[tuple, list[str]] = defaultdict(list)
        for key, entry in counts.names.items():
            words = key.split()
            if len(words) > 1 and _top_type(entry) in ("organization", None) and _made(entry):
                by_initials[tuple(w[0] for w in words)].append(key)
        for keys in by_initials.values():
            # longest first: "Lib Dem" abbreviates "Lib Dems" and "Liberal Democrats",
            # which are one already
            for short in sorted(keys, key=len, reverse=True) if len(keys) > 1 else ():
                longer = [k for k in keys if k != short and abbreviates(short, k)]
                roots = {root(k) for k in longer}
                if len(roots) == 1 and any(_top_type(counts.names[k]) == "organization" for k in longer):
                    join(short, longer[0])

        name_joins.join_acronyms(counts, join, root)
        name_joins.join_initials(counts, join)
        name_joins.join_same_names(counts, join)
        headed |= name_joins.join_title_fragments(counts, join)
        headed = {root(key) for key in headed}
        groups: dict[str, list[str]] = {}
        for key in {**counts.names, **counts.links}:  # a form may never be a name by itself
            groups.setdefault(root(key), []).append(key)
        #: canonical name -> type
        self.actors: dict[str, str] = {}
        #: canonical name -> the name keys it stands for
        self.keys: dict[str, list[str]] = {}
        #: canonical name -> articles (the sum over its keys: an article naming two forms
        #: of one actor without linking them counts twice here, once in a facet)
        self.articles: dict[str, int] = {}
        #: canonical name -> its spellings, most frequent first
        self.spellings: dict[str, list[str]] = {}
        self.by_key: dict[str, str] = {}
        for members in groups.values():
            entries = [counts.names[k] for k in members if k in counts.names]
            if not entries:
                continue
            spellings: Counter = Counter()
            types: Counter = Counter()
            for e in entries:
                spellings.update(e["spellings"])
                types.update(e["types"])
            # articles that merely mention it (no evidence of its type) do not count here
            articles = sum(e["articles"] for e in entries) - types[MENTION]
            if articles < min_articles:
                continue
            typed = Counter({t: n for t, n in types.items() if t not in (UNTYPED, THING, MENTION)})
            if sum(typed.values()) < settings.DISCOVERY_MIN_TYPED_SHARE * articles or not typed:
                continue
            if types[THING] >= settings.DISCOVERY_MIN_TYPED_SHARE * articles:
                continue  # a product, a format, a technology ("SIM card") in enough articles
            kind = "organization" if root(members[0]) in headed else typed.most_common(1)[0][0]
            if kind == "person" and all(" " not in k and first_names[k] >= articles for k in members):
                continue  # a first name alone ("John", "Charles"): it names no one
            ranked = [s for s, _ in sorted(spellings.items(), key=lambda sc: (-sc[1], sc[0]))]
            # shown in Latin letters where some article gives them ("Merkel", not "Меркель")
            latin = [s for s in ranked if not CYRILLIC.search(s)] or ranked
            full = [s for s in latin if len(s.split()) > 1]
            name = (full or latin)[0]
            if table.resolve(name) or name in self.actors or any(table.resolve(s) for s in ranked[:3]):
                continue
            self.actors[name] = kind
            self.keys[name] = sorted(members)
            self.articles[name] = articles + types[MENTION]
            self.spellings[name] = ranked
            for key in members:
                self.by_key[key] = name
        #: a surname's key -> the discovered people whose names end with it
        self.surnames: dict[str, set[str]] = defaultdict(set)
        for name, kind in self.actors.items():
            if kind == "person":
                for key in self.keys[name]:
                    if " " in key:
                        self.surnames[key.rsplit(" ", 1)[1]].add(name)
        self._by_last: dict[str, dict[str, int]] | None = None
        #: surnames alone that articles give for others too ("Smith"): they name no one
        self.unowned: set[str] = set()
        self._join_surnames(counts, first_names)
        self._drop_shared_surnames(counts)

    def _drop_shared_surnames(self, counts: NameCounts) -> None:
        """A surname alone that several discovered people share ("Brown": Gordon Brown,
        Dan Brown) names none of them, even where articles linked it to one of them more
        often: an article that says only "Brown" counts for no one, and ``--actor Brown``
        lists them to choose from."""
        for surname, people in self.surnames.items():
            owner = self.by_key.get(surname)
            if len(people) < 2 or owner is None or len(self.keys[owner]) < 2:
                continue
            del self.by_key[surname]
            self.keys[owner].remove(surname)
            self.spellings[owner] = [s for s in self.spellings[owner] if name_key(s) != surname]
            entry = counts.names.get(surname)
            if entry is not None:
                self.articles[owner] -= entry["articles"]

    def _join_surnames(self, counts: NameCounts, first_names: Counter) -> None:
        """A word alone that is the surname of a discovered person, is no actor, and that
        articles give as a person's name or merely mention ("Obama" of "Barack Obama"),
        counts as that person when the person owns it (:meth:`_owns`), unless more
        articles give it as a first name."""
        for surname, people in self.surnames.items():
            entry = counts.names.get(surname)
            if len(people) != 1 or entry is None:
                continue
            (name,) = people
            if not self._owns(name, surname, entry, counts):
                self.unowned.add(surname)
                continue
            if _top_type(entry) not in ("person", None) or first_names[surname] >= self.articles[name]:
                continue
            alone = self.by_key.get(surname)
            if alone is not None:  # an actor of its own: a person named by one word only
                if alone == name or self.actors[alone] != "person" or any(" " in k for k in self.keys[alone]):
                    continue
                for key in self.keys.pop(alone):
                    self.by_key[key] = name
                    self.keys[name].append(key)
                self.articles[name] += self.articles.pop(alone)
                self.spellings[name] += [s for s in self.spellings.pop(alone) if s not in self.spellings[name]]
                del self.actors[alone]
                self.keys[name].sort()
                continue
            self.by_key[surname] = name
            self.keys[name] = sorted([*self.keys[name], surname])
            self.articles[name] += entry["articles"]
            for spelling in entry["spellings"]:
                if spelling not in self.spellings[name]:
                    self.spellings[name].append(spelling)

    def _owns(self, name: str, surname: str, entry: dict, counts: NameCounts) -> bool:
        """Whether the surname alone is, across the archive, the discovered person
        ``name``'s: at least ``DISCOVERY_SURNAME_SHARE`` of the articles that linked it to
        a full name linked it to theirs ("Kennedy" to Charles Kennedy, not "Smith" to
        Walter Smith, when others are Alan, Tom, Ollie Smith); where fewer than
        ``DISCOVERY_MIN_LINKS`` did, that share of the articles naming someone by a full
        name ending with it, and it is spelled as the person's name ends (the key of
        "Fitch" is that of "Fish")."""
        mine = set(self.keys[name])
        linked = counts.links.get(surname) or {}
        if sum(linked.values()) >= settings.DISCOVERY_MIN_LINKS:
            return owns(mine, linked)
        spelled = {fold(s.split()[-1]) for s in self.spellings[name] if " " in s}
        if not any(fold(s) in spelled for s in entry["spellings"]):
            return False
        full = self._full_names(counts).get(surname, {})
        theirs = sum(n for k, n in full.items() if k in mine)
        return theirs > 0 and theirs >= settings.DISCOVERY_SURNAME_SHARE * sum(full.values())

    def _full_names(self, counts: NameCounts) -> dict[str, dict[str, int]]:
        """Per last word, the names of several words ending with it that are people's (or
        untyped), with their articles; made once."""
        if self._by_last is None:
            self._by_last = defaultdict(dict)
            for key, entry in counts.names.items():
                if " " in key and _top_type(entry) in ("person", None):
                    self._by_last[key.rsplit(" ", 1)[1]][key] = entry["articles"]
        return self._by_last

    def resolve(self, spelling: str) -> str | None:
        """The discovered actor a spelling names (any spelling of it, in any case), or a
        surname alone names (that of one discovered person: "Maas" for "Heiko Maas"; not
        one that articles give for others too, "Smith", which is refused, offering the
        person)."""
        if spelling in self.actors:
            return spelling
        key = name_key(spelling)
        found = self.by_key.get(key)
        if found is None and len(self.surnames.get(key, ())) == 1 and key not in self.unowned:
            (found,) = self.surnames[key]
        return found

    def named(self, record: dict) -> list[str]:
        """The discovered actors a stored record names, most mentioned first."""
        found: list[str] = []
        for key, *_ in record.get("names") or ():
            name = self.by_key.get(key)
            if name and name not in found:
                found.append(name)
        return found

    def actors_of(self, record: dict) -> list[dict]:
        """The discovered actors of a stored record as its ``actors`` list has them
        (name, type, mentions, marked ``discovered``), most mentioned first."""
        mentions: Counter = Counter()
        for key, _type, _spelling, n, *_ in record.get("names") or ():
            name = self.by_key.get(key)
            if name:
                mentions[name] += int(n)
        return [
            {"name": name, "type": self.actors[name], "mentions": n, "discovered": True}
            for name, n in sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    def __len__(self) -> int:
        return len(self.actors)


def coverage_note(name: str, unread: list[str]) -> str:
    """What a filter on the discovered actor ``name`` does not see: the articles in
    languages whose paragraphs discovery does not read (``unread``: codes)."""
    from .languages import language_name

    read = _listed([language_name(lang) for lang in settings.DISCOVERY_LANGUAGES])
    return (
        f"{name} is a discovered actor: only {read} paragraphs are read for it; "
        f"{_listed([language_name(lang) for lang in unread])} articles naming it are not counted "
        "(search for the name as words to find them)"
    )


def _listed(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


@lru_cache(maxsize=1)
def _articles() -> frozenset[str]:
    """Articles that begin names ("Der Spiegel", "The Guardian", "Le Monde")."""
    lists = word_lists()
    return lists["definite"] | lists["determiners"]


def owns(keys: set[str], linked: dict[str, int]) -> bool:
    """Whether the names ``keys`` (one person's) got at least ``DISCOVERY_SURNAME_SHARE``
    of a surname's links (``linked``: name key -> articles); a longer run ending with one
    of them ("Pourquoi Hillary Clinton", "d'Angela Merkel") is theirs too."""
    full = [k for k in keys if " " in k]
    mine = sum(n for k, n in linked.items() if k in keys or any(k.endswith(" " + f) for f in full))
    return mine >= settings.DISCOVERY_SURNAME_SHARE * sum(linked.values())


def _first_names(counts: NameCounts) -> Counter:
    """Per word key, the articles naming someone with it as a first word."""
    first: Counter = Counter()
    for key, entry in counts.names.items():
        words = key.split()
        if len(words) > 1:
            first[words[0]] += entry["articles"] - entry["types"].get(MENTION, 0)
    return first


def _made(entry: dict) -> bool:
    """Whether some article made the name (the others merely mention it: a German or
    Russian article, a word alone)."""
    return entry["articles"] > entry["types"].get(MENTION, 0)


def _top_type(entry: dict) -> str | None:
    """The type most articles gave a name, of those that say one (None: none does)."""
    types = Counter({t: n for t, n in entry["types"].items() if t not in (UNTYPED, MENTION, THING)})
    return types.most_common(1)[0][0] if types else None


def _top_spelling(entry: dict | None) -> str:
    spellings = (entry or {}).get("spellings") or {}
    return max(spellings.items(), key=lambda sc: (sc[1], sc[0]))[0] if spellings else ""


def _may_join(form: str, name: str, links: dict[str, int], counts: NameCounts, first_names: Counter) -> bool:
    """Whether the form ``form`` may count as the name ``name`` it was linked to most
    (``links``: the names it was linked to, and in how many articles): an acronym only as
    its expansion, a word only as a person's surname, one that other people's names
    share rarely (:func:`owns`)."""
    entry = counts.names.get(name)
    spelling = _top_spelling(entry)
    if not spelling:
        return False
    form_spelling = _top_spelling(counts.names.get(form))
    if acronym_of(form, spelling):
        return True
    if form_spelling.isupper() or " " in form:
        return False  # an acronym that does not spell the name, or several words
    first, _, rest = spelling.partition(" ")
    if name_key(rest) == form and fold(first) in _articles():
        return True  # "Spiegel" of "Der Spiegel", "Guardian" of "The Guardian"
    types = Counter({t: n for t, n in entry["types"].items() if t not in (UNTYPED, MENTION)})
    if not types or types.most_common(1)[0][0] != "person":
        return False  # not the last word of a place's or an organisation's name
    if name_key(spelling.split()[-1]) != form:
        return False
    own = Counter(
        {t: n for t, n in (counts.names.get(form) or {}).get("types", {}).items() if t not in (UNTYPED, MENTION)}
    )
    if own and own.most_common(1)[0][0] != "person":
        return False  # a place or an organisation where it stands alone ("Houston")
    return first_names[form] < links[name] and owns({name}, links)
