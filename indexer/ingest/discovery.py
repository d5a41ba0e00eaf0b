"""Discovery: the people, organisations and places an article names that the alias table
does not know, found by rules on the text (no model, no list of names).

For each paragraph in a language the rules know (English, French), capitalised words
joined by spaces or hyphens, with name particles between them (de, von, al-…), make a
run. A run loses the titles it starts with (``President``, ``M.``, ``ministre``: then the
name is a person's), and a sentence's first word when the article also writes it in lower
case or it is a stop word; it is split at a title inside it. What remains is typed: an
acronym or a run with an organisation's head word (``Party``, ``Ministère``…) or after a
word such as "firm" is an organisation; one with a place's head word (``Sea``,
``Province``…) or after a locative (``in``, ``à``) a place; one after a title or before a
word such as "said" or "who" a person (a single word after a title other than one of
courtesy, ``Mr``, ``Mme``, only when the article never writes it in lower case: not the
"Election" of "General Election", nor one of the language's commonest words). A run of several words and nothing else to type
it by is untyped (:data:`UNTYPED`: a person's name as often as a film's). A single word
without such evidence counts as the surname of a person the article names in full
("Heiko Maas" … "Maas"), which makes the full name a person's (a word the article also
writes as a first name, "Michael" of "George Michael" and "Michael Howard", is no
surname), and otherwise as a mere mention (:data:`MENTION`: no vote for it to become an
actor, but an article a filter on it finds). ``Long Form (LF)`` defines
an acronym: both count as the long form, and the acronym is remembered as one of its
forms, so that articles naming only the acronym join it across the archive. Headings
(in capitals or title case), wars, treaties, competitions, units, names the alias table
knows (by any spelling, or a transliteration of one:
:func:`indexer.ingest.naming.name_key`) and news sources are left out. The word lists
are data files (``indexer/data/name-*.txt``, :mod:`indexer.ingest.wordlists`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

from .. import settings
from .actors import AliasTable
from .folding import fold as fold_text
from .gluing import zipf
from .naming import name_key
from .wordlists import word_lists

TOKEN = re.compile(r"(?:[OD]['’](?=[A-Z]))?[^\W_]+(?:[-‐][^\W_]+)*")  # O'Brien, D'Alema
ROMAN = re.compile(r"^[IVXLCDM]+$")
#: What may precede a sentence's first word (beside the start of a paragraph).
SENTENCE_END = frozenset('.!?:;"“”«»—–•*#([')
_UPPER = "".join(c for c in map(chr, range(0x590)) if c.isupper())
_LOWER = "".join(c for c in map(chr, range(0x590)) if c.islower())
_CAP = rf"(?:[OD]['’](?=[{_UPPER}]))?[{_UPPER}][^\W_]*(?:[-‐][^\W_]+)*"
#: A stretch of capitalised words (or a particle's "al-Assad"), joined by single spaces,
#: a middle initial's full stop, or lower-case words of at most three letters (particles,
#: checked word by word). Read word by word, it gives the runs.
SPAN = re.compile(
    rf"(?<![\w'’‐-])(?:{_CAP}|[{_LOWER}]{{1,3}}[-‐][{_UPPER}][^\W_]*)"
    rf"(?:(?:[ \u00a0]|(?<=\b[{_UPPER}])\. )(?:[{_LOWER}]{{1,3}}[ \u00a0])*{_CAP})*"
)
DIGIT = re.compile(r"\d")
CAPITAL_WORD = re.compile(rf"(?<![\w'’])[{_UPPER}]")
LOWER_WORD = re.compile(rf"(?<![\w'’‐-])[{_LOWER}][^\W_]*")
#: Words recur: each is folded once (a bounded cache).
fold = lru_cache(maxsize=1 << 17)(fold_text)
#: The type of a name of several capitalised words and nothing else to type it by.
UNTYPED = "name"
#: Words before an acronym that make it a technology's ("via GPRS", "over ADSL").
INSTRUMENTS = frozenset({"via", "over", "using"})
#: The type of a single capitalised word an article names with no evidence of what it is
#: ("Iraq" in "Iraq's oil"): it does not count towards making the word an actor, but once
#: the word is one (other articles typed it), a filter on the actor finds this article.
MENTION = "mention"
#: The type of an acronym that names a thing, not an actor ("SIM card", "DRM
#: (digital rights management)"): counted, never promoted to an actor.
THING = "thing"


@dataclass(frozen=True)
class Name:
    """A name discovered in one article."""

    key: str
    type: str
    spelling: str
    mentions: int
    #: keys of other forms the article gave the name (an acronym, a surname alone)
    forms: tuple[str, ...] = ()

    def to_json(self) -> list:
        return [self.key, self.type, self.spelling, self.mentions, list(self.forms)]

    @classmethod
    def from_json(cls, item: list) -> Name:
        key, type_, spelling, mentions, forms = item
        return cls(key, type_, spelling, int(mentions), tuple(forms))


@dataclass
class _Run:
    tokens: list[re.Match]
    titled: bool = False  # after a title: a person
    located: bool = False  # after a locative: a place
    organised: bool = False  # after a word such as "firm", "parti": an organisation
    speaking: bool = False  # before a word such as "said", "who": a person
    work: bool = False  # a work's title ("the film Ray", "starred in Closer"), a technology ("via GPRS")
    courteous: bool = False  # after a title of courtesy ("Mr", "Mme"): a person, whatever the word
    definite: bool = False  # after a definite article ("the", "la"): no person's name
    the_name: bool = False  # after a capitalised "The" inside a sentence: the name's ("The Hague")

    @property
    def text(self) -> str:
        return self.tokens[0].string[self.tokens[0].start() : self.tokens[-1].end()]


@dataclass
class _Tally:
    spellings: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    mentions: int = 0
    forms: set = field(default_factory=set)


class NameFinder:
    """Finds the names of one article; build once (it reads the word lists)."""

    def __init__(self, table: AliasTable):
        self.lists = word_lists()
        self.known = frozenset(name_key(a.spelling) for aliases in table.lookup.values() for a in aliases)

    def find(self, paragraphs: list[str]) -> list[Name]:
        """The names of an article's paragraphs (those in a language the rules know)."""
        lowered = set(LOWER_WORD.findall("\n".join(paragraphs)))
        tallies: dict[str, _Tally] = defaultdict(_Tally)
        bare: dict[str, Counter] = defaultdict(Counter)
        for paragraph in paragraphs:
            if _title_cased(paragraph):
                continue  # a heading or a byline in title case
            for run in self._runs(paragraph, lowered):
                self._classify(run, lowered, tallies, bare)
        return self._names(tallies, bare)

    # --- runs of capitalised words ---------------------------------------------------------

    def _is_cap(self, token: str) -> bool:
        if not token[0].isupper():
            head, _, rest = token.partition("-")
            return bool(rest) and rest[0].isupper() and head in self.lists["particles"]
        return fold(token) not in self.lists["debris"]

    def _is_title(self, word: str, text: str, end: int, after: str | None = None) -> bool:
        """Whether ``word`` (ending at ``end`` in ``text``) is a title before a name, not
        a word of an office's name ("Foreign" in "Foreign Ministry": ``after`` it)."""
        word = fold(word)
        if after is not None and (fold(after) in self.lists["org"] or fold(after) in self.lists["place"]):
            return False
        if word + "." in self.lists["titles"] and text.startswith(".", end):
            return True
        return word in self.lists["titles"] and (len(word) > 2 or not text.startswith(".", end))

    def _title_at(self, tokens: list[re.Match], i: int) -> bool:
        text = tokens[i].string
        after = tokens[i + 1].group() if i + 1 < len(tokens) and _joined(text, tokens[i], tokens[i + 1]) else None
        return self._is_title(tokens[i].group(), text, tokens[i].end(), after)

    def _runs(self, text: str, lowered: set[str]):
        """The runs of capitalised words of a paragraph: each stretch the span pattern finds,
        read word by word."""
        debris = self.lists["debris"]
        for span in SPAN.finditer(text):
            word = span.group()
            if " " not in word and (
                fold(word) in debris
                or (word.lower() in lowered and _sentence_start(text, span.start()))
                or name_key(word) in self.known
            ):
                continue  # most stretches: one word of no name ("The", "But" at a sentence's start) or a known name
            tokens = list(TOKEN.finditer(text, span.start(), span.end()))
            yield from self._runs_in(text, tokens, _previous(text, span.start()), lowered)

    def _runs_in(self, text: str, tokens: list[re.Match], before, lowered: set[str]):
        i, n = 0, len(tokens)
        while i < n:
            if not self._is_cap(tokens[i].group()) or self._title_at(tokens, i):
                i += 1
                continue
            start = i
            run = [tokens[i]]
            i += 1
            while i < n and (_joined(text, tokens[i - 1], tokens[i]) or _initial(text, tokens[i - 1], tokens[i])):
                word = tokens[i].group()
                if self._title_at(tokens, i):
                    break
                if self._is_cap(word):
                    run.append(tokens[i])
                elif (
                    fold(word) in self.lists["particles"]
                    and i + 1 < n
                    and _joined(text, tokens[i], tokens[i + 1])
                    and tokens[i + 1].group()[0].isupper()
                ) or self._conjoined(text, tokens, i):
                    run.append(tokens[i])
                else:
                    break
                i += 1
            if start > 0:
                prev, gap, prev_end = (
                    tokens[start - 1].group(),
                    text[tokens[start - 1].end() : tokens[start].start()],
                    tokens[start - 1].end(),
                )
            elif before is not None:
                prev, gap, prev_end = before
            else:
                prev, gap, prev_end = "", "", 0
            titled = bool(prev) and gap in (" ", ". ", "\u00a0", ".\u00a0") and self._is_title(prev, text, prev_end)
            courteous = titled and fold(prev) + gap.strip() in self.lists["honorifics"]
            context = fold(prev) if gap in (" ", "\u00a0") else ""
            # "A" before a name is an initial ("A Troncon"), not the locative "à"
            located = context in self.lists["locatives"] and not (len(prev) == 1 and prev.isupper())
            organised = context in self.lists["org_context"]
            initial = _sentence_start(text, tokens[start].start())
            first = run[0].group()
            if initial and not titled and (first.lower() in lowered or fold(first) in self.lists["debris"]):
                run = run[1:]
            if run and run[0].group()[0].islower() and "-" not in run[0].group():
                run = run[1:]
            while run and fold(run[-1].group()) in self.lists["particles"]:
                run.pop()
            while run and _adjective_compound(run[0].group()):
                run = run[1:]  # "State-owned Rosneft", "Kremlin-backed"
            while run and _adjective_compound(run[-1].group()):
                run.pop()
            if run and fold(run[0].group()) in self.lists["place"] and self._adjective(text, run[-1]):
                run = []  # "South African rugby", "Latin American countries": an adjective
            if run and len(run) <= settings.DISCOVERY_MAX_WORDS:
                if name_key(text[run[0].start() : run[-1].end()]) in self.known:
                    continue  # the alias table's (or the gazetteer's): nothing to find out
                # the word after the run, read once: "in European countries" (an adjective,
                # no place), "former Tory MP" (a title: no person's name; a role such as
                # "boss" or "MP": an organisation's), "Maas said" (a person)
                nxt = TOKEN.search(text, run[-1].end(), run[-1].end() + 40)
                gap = text[run[-1].end() : nxt.start()] if nxt else ""
                after = fold(nxt.group()) if nxt else ""
                joined = gap in JOINERS
                if located and joined and nxt.group()[0].islower() and after not in self.lists["debris"]:
                    located = False
                if located and len(run) > 1 and gap in ("'", "’") and after == "s":
                    located = False  # "in Oliver Stone's film": a person's, as often as a place's
                role = joined and (after in self.lists["titles"] or after in self.lists["org_roles"])
                titled = titled and not role
                organised = organised or (joined and after in self.lists["org_roles"])
                speaking = gap in (" ", ", ") and after in self.lists["person_verbs"]
                work = (
                    context in self.lists["work_nouns"]  # "the film Ray"
                    or (context in INSTRUMENTS and run[0].group().isupper())  # "via GPRS"
                    or (located and self._work_before(text, prev_end - len(prev)))  # "starred in Closer"
                )
                yield _Run(
                    run,
                    titled=titled,
                    located=located and not work,
                    organised=organised,
                    speaking=speaking,
                    work=work,
                    courteous=courteous and not role,
                    definite=context in self.lists["definite"],
                    the_name=prev == "The" and not _sentence_start(text, prev_end - len(prev)),
                )

    def _conjoined(self, text: str, tokens: list[re.Match], i: int) -> bool:
        """Whether the conjunction ``tokens[i]`` ("and") joins two parts of one
        organisation's name: the capitalised words after it end with an organisation's
        head word ("Securities and Exchange Commission"; not "Blair and Brown")."""
        if fold(tokens[i].group()) not in self.lists["conjunctions"]:
            return False
        j = i + 1
        while j < len(tokens) and _joined(text, tokens[j - 1], tokens[j]) and tokens[j].group()[0].isupper():
            j += 1
        return j > i + 1 and fold(tokens[j - 1].group()) in self.lists["org"]

    def _work_before(self, text: str, start: int) -> bool:
        """Whether a word such as "starred" or "role" ends right before ``start``."""
        before = _previous(text, start)
        return before is not None and fold(before[0]) in self.lists["work_roles"]

    def _names_thing(self, last: re.Match) -> bool:
        """Whether a noun of a thing follows the acronym ``last`` ("SIM card")."""
        text = last.string
        nxt = TOKEN.search(text, last.end(), last.end() + 40)
        return nxt is not None and _joined(text, last, nxt) and fold(nxt.group()) in self.lists["things"]

    def _adjective(self, text: str, last: re.Match) -> bool:
        """Whether the run ending with ``last`` qualifies the lower-case word after it
        ("in European countries"), instead of naming a place ("in Gyumri on Monday")."""
        nxt = TOKEN.search(text, last.end())
        if nxt is None or not _joined(text, last, nxt):
            return False
        word = nxt.group()
        return word[0].islower() and fold(word) not in self.lists["debris"]

    # --- typing -----------------------------------------------------------------------------

    def _classify(self, run: _Run, lowered: set[str], tallies: dict, bare: dict[str, Counter]) -> None:
        words = [t.group() for t in run.tokens]
        folded = [fold(w) for w in words]
        spelling = run.text
        key = name_key(spelling)
        sources = self.lists["sources"]
        if not key or key in self.known or fold(spelling) in sources or "the " + fold(spelling) in sources:
            return
        if len(folded) > 1 and folded[0] in sources:  # "BBC Sport", "AFP Photo": the source's
            return
        if any(f in self.lists["events"] for f in folded[len(folded) > 1 :]) and folded[-1] not in self.lists["org"]:
            return  # a war, a treaty, a summit: not an actor
        if DIGIT.search(spelling) or len(spelling) < 2:
            return
        if run.work or (len(folded) > 1 and folded[-1] in self.lists["products"]):
            # a film, a song, a technology, a product ("Windows XP"): counted, no actor
            self._add(tallies, key, THING, spelling, 3)
            return
        if any(f in self.lists["institutions"] for f in folded):
            # "Bundestag", "German Bundestag", "Aston Villa", "Scissor Sisters": an organisation
            self._add(tallies, key, "organization", spelling, 3)
            if len(words) == 1:
                self._expansion(run, tallies, key)
            return
        if len(words) == 1:
            word = words[0]
            letters = [c for c in word if c.isalpha()]
            if not word.isupper() and any(folded[0] in self.lists[k] for k in ("common", "org", "place")):
                return  # "One", "European", "Cabinet": a word of names, none alone
            if word.isupper() and 2 <= len(letters) <= 6:
                if ROMAN.match(word):
                    return
                kind = "organization"
                if self._names_thing(run.tokens[-1]):
                    self._add(tallies, key, THING, spelling, 3)
                    return
            elif run.titled and (run.courteous or (words[0].lower() not in lowered and not _very_common(word))):
                kind = "person"  # not the "Election" of "General Election"
            elif (run.organised or (run.speaking and run.definite)) and words[0].lower() not in lowered:
                kind = "organization"  # "the firm Sophos", "the Pentagon said"
            elif run.located and words[0].lower() not in lowered:
                kind = "place"
            else:
                # a surname alone, perhaps; not after a "The" inside a sentence ("in The
                # Hague": no William Hague) nor one of the commonest words opening one
                # ("Major problems")
                first = _sentence_start(run.tokens[0].string, run.tokens[0].start())
                if (
                    words[0].lower() not in lowered
                    and len(letters) > 2
                    and not run.the_name
                    and not (first and _very_common(word))
                ):
                    bare[key][word] += 1
                return
            self._add(tallies, key, kind, spelling, 3 if run.titled or run.organised else 1)
            self._expansion(run, tallies, key)
            return
        if any(f in self.lists["org"] for f in folded[1:]) or (folded[0] in self.lists["org"] and len(words) > 1):
            kind, weight = "organization", 3
        elif (
            any(f in self.lists["place"] and f not in self.lists["place_prefixes"] for f in folded[1:])
            or folded[0] in self.lists["place"]
        ):  # "West End", "Gulf of Aden"; not "Kanye West"
            kind, weight = "place", 3
        elif any(w.isupper() and len(w) > 1 for w in words):
            kind, weight = "organization", 1
        elif run.organised:
            kind, weight = "organization", 2
        elif run.located:
            kind, weight = "place", 2
        elif run.titled or run.speaking:
            kind, weight = "person", 3 if run.titled else 2
        else:
            kind, weight = UNTYPED, 1  # a person's name, or a film's, a song's…: said by other evidence
        self._add(tallies, key, kind, spelling, weight)

    @staticmethod
    def _add(tallies: dict, key: str, kind: str, spelling: str, weight: int) -> None:
        tally = tallies[key]
        tally.spellings[spelling] += 1
        tally.votes[kind] += weight
        tally.mentions += 1

    def _expansion(self, run: _Run, tallies: dict, key: str) -> None:
        """For an acronym in parentheses, the words before it whose initials spell it: the
        long form takes the acronym as one of its forms."""
        token = run.tokens[0]
        text = token.string
        if text[token.start() - 1 : token.start()] != "(" or text[token.end() : token.end() + 1] != ")":
            return
        before = list(TOKEN.finditer(text, max(0, token.start() - 200), token.start() - 1))
        letters = fold(token.group()).replace("-", "")
        for start in range(len(before) - 1, max(-1, len(before) - 3 * len(letters) - 1), -1):
            words = [w.group() for w in before[start:]]
            if _spells(letters, [fold(w) for w in words], self.lists["debris"]):
                long_form = text[before[start].start() : before[-1].end()]
                if any(w[:1].islower() and fold(w) not in self.lists["debris"] for w in words):
                    # "digital rights management (DRM)": a term, not an organisation
                    tally = tallies[key]
                    tally.votes[THING] += 3
                    return
                long_key = name_key(long_form)
                if long_key in self.known:
                    tallies.pop(key, None)
                    return
                tally = tallies[long_key]
                tally.spellings[long_form] += 1
                tally.votes["organization"] += 3
                tally.forms.add(key)
                return

    # --- the article's names ----------------------------------------------------------------

    @staticmethod
    def _join_abbreviations(tallies: dict[str, _Tally]) -> None:
        """A name whose words abbreviate, one by one, those of a longer name of the
        article ("Lib Dems" of "Liberal Democrats", "Man Utd" of "Manchester United")
        counts as it, and is one of its forms."""
        groups: dict[tuple, list[str]] = defaultdict(list)
        for key in tallies:
            words = key.split()
            if len(words) > 1:
                groups[tuple(w[0] for w in words)].append(key)
        for keys in groups.values():
            if len(keys) < 2:
                continue
            for short in sorted(keys, key=len):
                longer = [k for k in keys if len(k) > len(short) and k in tallies and abbreviates(short, k)]
                if longer and short in tallies:
                    full = max(longer, key=lambda k: tallies[k].mentions)
                    tally = tallies.pop(short)
                    tallies[full].mentions += tally.mentions
                    tallies[full].forms.add(short)

    def _names(self, tallies: dict[str, _Tally], bare: dict[str, Counter]) -> list[Name]:
        # an acronym defined in the article counts as its long form
        for tally in list(tallies.values()):
            for form in tally.forms:
                other = tallies.pop(form, None)
                if other:
                    tally.mentions += other.mentions
        self._join_abbreviations(tallies)
        # a surname (alone, or after a title) counts as the full name the article gives:
        # only a person's (or an untyped name's) last word, and not a word the article
        # also gives as a first name ("Michael" of "George Michael" and "Michael Howard")
        surnames: dict[str, str] = {}
        first_names: set[str] = set()
        for key, tally in tallies.items():
            words = max(tally.spellings, key=tally.spellings.get).split()
            if len(words) > 1:
                first_names.add(name_key(words[0]))
            if len(words) > 1 and _kind(tally) in ("person", UNTYPED):
                surnames.setdefault(name_key(words[-1]), key)  # "Kilroy-Silk" of "Robert Kilroy-Silk"
        for key in first_names:
            surnames.pop(key, None)
        for key in list(tallies):
            full = surnames.get(key)
            if full in tallies and full != key and _kind(tallies[key]) == "person":
                tallies[full].mentions += tallies.pop(key).mentions
                tallies[full].forms.add(key)
                tallies[full].votes["person"] += 3
        mentioned = []
        for key, spellings in bare.items():
            count = sum(spellings.values())
            full = surnames.get(key)
            if full in tallies:
                tallies[full].mentions += count
                tallies[full].forms.add(key)
                tallies[full].votes["person"] += 3  # named by the surname alone: a person
            elif key in tallies:
                tallies[key].mentions += count
            else:  # named, without evidence of what it is: found by a filter, not typed
                mentioned.append(Name(key, MENTION, spellings.most_common(1)[0][0], count))
        names = []
        for key, tally in tallies.items():
            kind = _kind(tally)
            spelling = max(tally.spellings.items(), key=lambda sc: (sc[1], len(sc[0])))[0]
            names.append(Name(key, kind, spelling, tally.mentions, tuple(sorted(tally.forms))))
        names.sort(key=lambda n: (-n.mentions, n.key))
        mentioned.sort(key=lambda n: (-n.mentions, n.key))
        return (names + mentioned)[: settings.DISCOVERY_MAX_NAMES]


def acronym_of(acronym: str, long_form: str) -> bool:
    """Whether the initials of ``long_form``'s words (stop words may be skipped) spell
    ``acronym`` ("cdu" of "Christlich Demokratische Union")."""
    letters = fold(acronym).replace("-", "").replace(" ", "")
    words = [fold(w) for w in TOKEN.findall(long_form)]
    return len(words) > 1 and _spells(letters, words, word_lists()["debris"])


def _very_common(word: str) -> bool:
    """Whether a word is among its language's most common (wordfreq: "election", not
    "Quimby" or "bush")."""
    return zipf(word) >= settings.ZIPF_VERY_COMMON


def _adjective_compound(word: str) -> bool:
    """A capitalised compound whose last part is in lower case: an adjective
    ("State-owned", "Kremlin-backed", "US-based"), not a word of a name."""
    head, _, tail = word.rpartition("-")
    return bool(head) and tail[:1].islower()


def abbreviates(short: str, full: str) -> bool:
    """Whether each word of ``short`` is its word of ``full`` with letters left out."""
    for a, b in zip(short.split(), full.split()):
        if a == b:
            continue
        letters = iter(b)
        if len(a) >= len(b) or not all(c in letters for c in a):
            return False
    return short != full


def _kind(tally: _Tally) -> str:
    """The type most evidence gives a name; untyped when there is none but its capitals."""
    if tally.votes[THING] and tally.votes[THING] >= sum(tally.votes.values()) / 2:
        return THING
    typed = [(n, kind) for kind, n in tally.votes.items() if kind not in (UNTYPED, THING)]
    return max(typed)[1] if typed else UNTYPED


#: What joins two words of one name: a single space or hyphen.
JOINERS = frozenset((" ", "-", "‐", "\u00a0"))


def _joined(text: str, a: re.Match, b: re.Match) -> bool:
    """Two words of one name: a single space or hyphen between them."""
    return text[a.end() : b.start()] in JOINERS


def _initial(text: str, a: re.Match, b: re.Match) -> bool:
    """A middle initial and the name after it ("George W. Bush")."""
    return len(a.group()) == 1 and a.group().isupper() and text[a.end() : b.start()] == ". " and b.group()[0].isupper()


def _near(text: str, a: re.Match, b: re.Match) -> bool:
    """A title and the name after it: a space, or an abbreviation's full stop and a space."""
    return text[a.end() : b.start()] in (" ", ". ", "\u00a0", ".\u00a0")


def _previous(text: str, start: int) -> tuple[str, str, int] | None:
    """The word before ``start``, what separates them (a space, or a full stop and a
    space), and where the word ends; None when it is not a word."""
    gap = ". " if text.startswith(". ", start - 2) else text[start - 1 : start]
    if gap not in (" ", "\u00a0", ". "):
        return None
    end = start - len(gap)
    begin = end
    while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in "'’‐-"):
        begin -= 1
    word = text[begin:end]
    return (word, gap, end) if word and word[0].isalpha() else None


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start].rstrip()
    return not before or before[-1] in SENTENCE_END


def _title_cased(paragraph: str) -> bool:
    """A line of several words, most of them capitalised, or all in capitals: a heading,
    not a sentence."""
    words = paragraph.split()
    if len(words) < 2 or len(words) > 25:
        return False
    if len(words) < 4:
        return paragraph.isupper()
    return len(CAPITAL_WORD.findall(paragraph)) / len(words) > 0.7


def _spells(letters: str, words: list[str], skip: frozenset[str]) -> bool:
    """Whether the initials of ``words`` (stop words may be skipped) spell ``letters``,
    the first word giving the first letter."""
    if not words or not letters or words[0][:1] != letters[0]:
        return False

    @cache
    def match(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(letters)
        word = words[j]
        if i < len(letters) and word[:1] == letters[i]:
            # a word may give one letter, or two (its initial and another of its letters)
            if match(i + 1, j + 1):
                return True
            if i + 1 < len(letters) and letters[i + 1] in word[1:] and match(i + 2, j + 1):
                return True
        return word in skip and match(i, j + 1)

    return match(0, 0)
