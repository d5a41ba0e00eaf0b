"""Name keys: one key for the spellings of a name across languages and transliterations.

Discovered names (:mod:`indexer.ingest.discovery`) are counted under a key, so that
"Sergueï Lavrov", "Sergei Lavrov" and "Sergey Lavrov", or "Pachinian" and "Pashinyan",
are one name. The key is the name folded (no accents, lower case) with the spelling
differences of English, French and German transliterations of Russian, Armenian,
Turkish, Arabic… names taken out: ``ou``/``u`` before a single consonant and a vowel or
at a word's end (``Poutine``, ``Choïgou``; not ``Houston``), ``y``/``i`` (and the ``ii``
it leaves), ``ch``/``sh``/``tch``, ``kh``/``h``, ``dj``/``j``, and the ``gu`` before
``e``/``i`` that French writes for a hard ``g``, and German's ways: an umlaut written
out (``oe``/``ue``/``ae`` between consonants: Schroeder/Schröder), ``s`` for a Russian
word's first ``з`` (Selenskyj/Zelensky), ``w`` for its ``в`` in a name ending as Russian names do (Lawrow/Lavrov,
Medwedew/Medvedev) and
``j`` for its final ``й``; a Cyrillic spelling is transliterated first (Меркель is
Merkel). Nothing else is forgiven: different
names of like letters (Cameroon/Cameron, Milan/Millan, Basel/Bâchel, Mann/Man) keep
different keys. An acronym (a word in capitals) is only folded: EA is not EEA, NZ not
NZZ. Only words are kept, one space between them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .folding import fold

_WORD = re.compile(r"[^\W_]+")
#: Russian letters (folded: no "й", "ё") as English transliterates them; the rules below
#: then forgive the rest ("Зеленский" is "zelenskii", the key of "Zelensky").
_CYRILLIC = str.maketrans(
    {
        **dict(zip("абвгдезиклмнопрстуфыэ", "abvgdeziklmnoprstufye")),
        **{"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "ъ": "", "ь": ""},
    }
)
#: Replacements, in order, on each folded word.
_RULES = [
    (re.compile(r"tch"), "ch"),
    (re.compile(r"sch|sh|ch"), "sh"),
    (re.compile(r"dzh|dj"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"ou(?=[^\Waeiouy](?:[aeiouy]|$)|$)"), "u"),
    (re.compile(r"gu(?=[ei])"), "g"),
    # German's umlauts written out: Schroeder/Schröder, Mueller/Müller (between consonants)
    (re.compile(r"(?<=[^\Waeiouq])([aou])e(?=[^\Waeiouy])"), r"\1"),
    (re.compile(r"^z"), "s"),  # German's S for a Russian З: Selenskyj/Zelensky
    (re.compile(r"w(?=\w*[eo]wa?$)|(?<=[eo])w(?=a?$)"), "v"),  # German's w for a Russian в: Lawrow/Lavrov
    (re.compile(r"[yj](?=[aeiou])|(?<=[aeiou])[yj]"), "i"),  # Pashinyan/Pachinian, Sergey/Sergueï
    (re.compile(r"y"), "i"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"i{2,}"), "i"),  # Zelenskyy/Zelensky/Zelenskiy
    (re.compile(r"ij$"), "i"),  # German's final j: Selenskyj
]


@lru_cache(maxsize=65536)
def name_key(spelling: str) -> str:
    """The key of a spelling: ``name_key("Sergueï Lavrov") == name_key("Sergey Lavrov")``."""
    return " ".join(map(_word_key, _WORD.findall(spelling)))


@lru_cache(maxsize=1 << 17)
def _word_key(original: str) -> str:
    """The key of one word (words recur across names: each is keyed once)."""
    word = fold(original).translate(_CYRILLIC)
    if len(original) > 1 and original.isupper():
        return word  # an acronym: its letters are its identity
    for pattern, replacement in _RULES:
        word = pattern.sub(replacement, word)
    return word
