"""Mentions of names in the paragraphs whose language the rules of discovery cannot read
(German, Russian: :data:`indexer.settings.DISCOVERY_MENTION_LANGUAGES`).

German capitalises every noun, so its capitals say nothing of what a name is: these
paragraphs never make a name (:mod:`indexer.ingest.discovery`). They only say where a
name is written, as mentions (:data:`indexer.ingest.discovery.MENTION`): a mention
gives no vote for a name to become an actor, but once the English and French articles
have made it one, a filter on the actor and the actor facet count the German or Russian
article that names it by one of its spellings ("Merkel", "SPD", "Heiko Maas"; a Cyrillic
spelling by its transliteration, :func:`indexer.ingest.naming.name_key`, and a Russian
word alone by the usual forms it may be a case form of: "Обамы" is "Обама", Obama).

Each stretch of capitalised words is cut at the words the article also writes in lower
case (a sentence's first word, "Die"), and every part of it of up to
``DISCOVERY_MENTION_MAX_WORDS`` words is a mention ("Außenminister Heiko Maas" gives
"Heiko Maas" and "Maas" too). A word after a determiner ("der Frost", "die Regierung":
``name-determiners.txt``) is a common noun unless it is an acronym ("die SPD"); a word
with a common noun's ending ("Regierung", "Freiheit", "Демократия":
``name-noun-endings.txt``) or a long compound ("Ausländerzentralregister") is one
wherever it stands, and cuts the stretch. At most ``DISCOVERY_MENTION_MAX`` mentions, the
most frequent, are kept. Names the alias table knows are left to the table.
"""

from __future__ import annotations

import re

from .. import settings
from .actors import russian_bases
from .discovery import LOWER_WORD, MENTION, SPAN, TOKEN, Name, _title_cased, fold
from .naming import name_key
from .wordlists import word_lists


class MentionFinder:
    """Finds the mentions of names in an article's German or Russian paragraphs."""

    def __init__(self, known: frozenset[str]):
        #: the keys of the alias table's spellings (its names are not discovered)
        self.known = known
        lists = word_lists()
        self.determiners = lists["determiners"]
        #: a determiner and the space after it: where a common noun starts
        self.after_determiner = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, self.determiners))) + r") ")
        #: words that are never a name's (English and French stop words, German determiners)
        self.stop = lists["debris"] | self.determiners
        self._words: dict[str, bool] = {}
        #: spelling -> its keys and forms, for a word alone (True) and for several words
        self._spellings: dict[bool, dict[str, tuple[tuple[str, str], ...]]] = {True: {}, False: {}}
        ends = sorted(lists["noun_endings"], key=len, reverse=True)
        #: a common noun by its ending ("Regierung", "Freiheit"), or a long compound
        self.noun = re.compile(
            r"^(?:\w+(?:" + "|".join(map(re.escape, ends)) + rf")|\w{{{settings.DISCOVERY_MENTION_NOUN_LETTERS},}})$"
        )

    def find(self, paragraphs: list[str]) -> list[Name]:
        """The mentions of an article's paragraphs, most frequent first."""
        if not paragraphs:
            return []
        lowered = set(LOWER_WORD.findall("\n".join(paragraphs)))
        #: key -> {spelling: count}, in the order first met
        counts: dict[str, dict[str, int]] = {}
        longest = settings.DISCOVERY_MENTION_MAX_WORDS
        for paragraph in paragraphs:
            if _title_cased(paragraph):
                continue
            for words in self._runs(paragraph, lowered):
                n = len(words)
                for size in range(1, min(longest, n) + 1):
                    for start in range(n - size + 1):
                        first, after_determiner = words[start]
                        if size == 1 and after_determiner:
                            continue  # a common noun after a determiner
                        spelling = paragraph[first.start() : words[start + size - 1][0].end()]
                        for key, base in self._keys(spelling, size == 1):
                            found = counts.get(key)
                            if found is None:
                                counts[key] = {base: 1}
                            else:
                                found[base] = found.get(base, 0) + 1
        names = [Name(key, MENTION, max(found, key=found.get), sum(found.values())) for key, found in counts.items()]
        names.sort(key=lambda n: (-n.mentions, n.key))
        return names

    def _keys(self, spelling: str, alone: bool) -> tuple[tuple[str, str], ...]:
        """The keys a spelling counts under, each with the form it is counted as: a Russian
        word alone may be a case form, so its usual forms too ("Обама" for "Обамы"), each
        key by its shortest form ("Бундестаг", not "Бундестагь"); none for a name the alias
        table knows (cached: names recur)."""
        cache = self._spellings[alone]
        found = cache.get(spelling)
        if found is None:
            keys: dict[str, str] = {}
            for base in russian_bases(spelling) if alone else (spelling,):
                key = name_key(base)
                if key not in keys or len(base) < len(keys[key]):
                    keys[key] = base
            found = cache[spelling] = tuple(
                (key, base) for key, base in keys.items() if key and key not in self.known and len(spelling) > 1
            )
            if len(cache) > settings.LANGUAGE_WORD_CACHE:
                cache.clear()
        return found

    def _never_a_name(self, word: str) -> bool:
        """Whether a word is no word of a name wherever it stands: in lower case, a stop
        word or a determiner, a common noun by its ending or its length (cached)."""
        found = self._words.get(word)
        if found is None:
            folded = fold(word)
            found = self._words[word] = (
                not word[0].isupper()
                or folded in self.stop
                or (not word.isupper() and self.noun.match(folded) is not None)
            )
            if len(self._words) > settings.LANGUAGE_WORD_CACHE:
                self._words.clear()
        return found

    def _runs(self, text: str, lowered: set[str]) -> list[list[tuple[re.Match, bool]]]:
        """The runs of capitalised words of a paragraph, each word with whether it stands
        right after a determiner (then, alone, a common noun)."""
        runs: list[list[tuple[re.Match, bool]]] = []
        nouns = None
        known, never_a_name = self._words, self._never_a_name
        for span in SPAN.finditer(text):
            run: list[tuple[re.Match, bool]] = []
            for token in TOKEN.finditer(text, span.start(), span.end()):
                word = token.group()
                never = known.get(word)
                if never is None:
                    never = never_a_name(word)
                if never or word.lower() in lowered:
                    if run:
                        runs.append(run)
                        run = []
                    continue
                if nouns is None:
                    nouns = {m.end() for m in self.after_determiner.finditer(text)}
                run.append((token, token.start() in nouns and not word.isupper()))
            if run:
                runs.append(run)
        return runs


def merge(names: list[Name], mentions: list[Name]) -> list[Name]:
    """The names of an article's readable paragraphs, with the mentions of the others
    added: a mention of a name the article already has counts as more of it."""
    extra = {m.key: m for m in mentions}
    merged = []
    for name in names:
        more = extra.pop(name.key, None)
        if more is not None:
            name = Name(name.key, name.type, name.spelling, name.mentions + more.mentions, name.forms)
        merged.append(name)
    rest = sorted(extra.values(), key=lambda n: (-n.mentions, n.key))
    return merged + rest[: settings.DISCOVERY_MENTION_MAX]
