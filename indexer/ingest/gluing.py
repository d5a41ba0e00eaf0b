"""Repair words glued together when HTML tags were stripped.

Scraped text loses the space where an inline tag ended: "Pashinyansensationally",
"Russiaand", "theUS Army", "Nagorno-Karabakhon". A token is split in two only when

* the whole token is no word at all (wordfreq, English and French, has never seen it,
  and it is not a name from the actor table), and
* both halves are known in one same language (a short half only if very common: "on",
  "and"), and at least one is common or is a known name,

* a capitalised token splits only after a known name, or when one of its halves is a
  function word ("Russiaand", "Thegovernment", "Rightsand"), since an unknown capitalised
  word is mostly a name ("Clearswift", "Fightstar", "Nordstream"),

so real words and names, rare or not ("Clinton", "Paintbucket", "Matevossian"), are not cut.
Only paragraphs in the archive's languages are repaired: a German compound is no glue.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from .. import settings

TOKEN = re.compile(r"[^\W\d_]{" + str(settings.GLUED_MIN_CHARS) + ",}")
CAMEL = re.compile(r"^([a-zà-ÿ]{2,})([A-Z][A-Za-z]*)$")


#: The languages whose words the repair knows (wordfreq's lists of them): only their
#: paragraphs are repaired.
LANGUAGES = settings.LANGUAGES


@lru_cache(maxsize=1)
def _frequencies() -> tuple[dict[str, float], ...]:
    import wordfreq

    return tuple(wordfreq.get_frequency_dict(lang, "large") for lang in LANGUAGES)


def _zipf(freq: float) -> float:
    return math.log10(freq) + 9 if freq > 0 else 0.0


def zipf(word: str) -> float:
    """The word's Zipf frequency: the highest over the configured languages, 0 if unknown."""
    return _zipf(max(table.get(word.lower(), 0.0) for table in _frequencies()))


class GlueRepair:
    """Split glued tokens; ``names`` are extra known words (folded), such as actor names."""

    def __init__(self, names: frozenset[str] = frozenset()):
        self.names = names
        #: tokens known to stay as they are, and those known to split (into what)
        self._same: set[str] = set()
        self._split: dict[str, str] = {}

    @staticmethod
    def load() -> None:
        """Load the word frequencies now (else at the first repair)."""
        _frequencies()

    @staticmethod
    def acceptable(part: str, frequency: float) -> bool:
        """A half of a split: a known word of some length, or a very common short one."""
        if len(part) >= settings.GLUED_MIN_PART:
            return frequency >= settings.ZIPF_KNOWN
        return frequency >= settings.ZIPF_VERY_COMMON

    def split(self, token: str) -> str | None:
        """``"left right"`` if ``token`` is two words glued, else None."""
        camel = CAMEL.match(token)
        if camel and zipf(camel.group(1)) >= settings.ZIPF_COMMON:
            return f"{camel.group(1)} {camel.group(2)}"
        if token.lower() in self.names or zipf(token) > 0:
            return None  # any word wordfreq has seen, however rare, is a word
        best, best_score = None, 0.0
        for i in range(2, len(token) - 1):
            left, right = token[:i], token[i:]
            if not right.islower():
                continue
            left_lower = left.lower()
            name = left_lower in self.names
            # both halves come from one language's sentence: judge them in the same one
            for table in _frequencies():
                zr = _zipf(table.get(right, 0.0))
                if not self.acceptable(right, zr):
                    continue  # (most cuts) no word on the right: the left is not looked up
                zl = _zipf(table.get(left_lower, 0.0))
                if self.plausible(left, right, zl, zr, name):
                    score = min(9.0 if name else zl, zr)
                    if score > best_score:
                        best, best_score = f"{left} {right}", score
        return best

    def plausible(self, left: str, right: str, zl: float, zr: float, name: bool) -> bool:
        """Whether ``left`` + ``right`` (with their frequencies in one language) were glued."""
        if not (name or self.acceptable(left, zl)) or not self.acceptable(right, zr):
            return False
        if left[0].isupper() and not (
            name or (len(left) >= 3 and zl >= settings.ZIPF_VERY_COMMON and max(zl, zr) >= settings.ZIPF_FUNCTION_WORD)
        ):
            return False  # an unknown capitalised word is a name more often than two glued
        return name or zl >= settings.ZIPF_COMMON or zr >= settings.ZIPF_COMMON

    def repair(self, text: str) -> str:
        """``text`` with every glued token split.

        Most texts have no glued token, and most of their words were seen before: the
        text's distinct tokens are compared with the words known to stay as they are in
        one set difference, and the text is rewritten only when one of them splits."""
        pending = set(TOKEN.findall(text)) - self._same
        if not pending:
            return text
        if len(self._same) + len(self._split) > 200_000:
            self._same.clear()
            self._split.clear()
        for token in pending:
            if token not in self._split:
                result = self._repair_token(token)
                if result == token:
                    self._same.add(token)
                else:
                    self._split[token] = result
        if self._split.keys() & pending:
            return TOKEN.sub(self._replace, text)
        return text

    def _replace(self, match: re.Match) -> str:
        token = match.group()
        return self._split.get(token, token)

    def _repair_token(self, token: str) -> str:
        lower = token.lower()
        if token.islower() and any(lower in table for table in _frequencies()):
            return token  # the common case: a word
        return self.split(token) or token
