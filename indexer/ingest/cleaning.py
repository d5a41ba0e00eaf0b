"""Cleaning: from scraped text to the article's own paragraphs.

Each rule is a small function over one paragraph (a line of the text). The rules that
drop a paragraph return True; the rules that rewrite one return the new text. The order
of :func:`clean` is the order of the flow:

1. turn markup left in the text (markdown, shortcodes, stray HTML: :mod:`indexer.ingest.markup`)
   into plain lines, normalise characters (spaces, quotes), and split into paragraphs,
   joining the lines of a hard-wrapped paragraph;
2. drop paragraphs without a letter (rules, stray punctuation, bare numbers), "see also"
   lines, sponsor lines, navigation words and the site's boilerplate (copyright,
   newsletter, share and follow prompts, photo credits, taxonomy:
   :mod:`indexer.ingest.boilerplate`); cut "See also …" tails;
3. drop the paywall notice, recording that the article is truncated, and how much is left;
4. strip the header chrome an aggregator puts above the article (banners, comment counts,
   pipe-separated rows, photo credits), keeping what it tells: the source and the dates;
5. take a credit line ("AFP") at the end as the source.

Words glued together by tag stripping are repaired later (:mod:`indexer.ingest.gluing`), once
each paragraph's language is known.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .. import settings
from . import boilerplate, dates
from .markup import strip_markup
from .sources import match_source

# --- characters ----------------------------------------------------------------------------

_SPACES = dict.fromkeys(
    map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\f\v"), " "
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = {
    ord("“"): '"',
    ord("”"): '"',
    ord("„"): '"',
    ord("‟"): '"',
    ord("″"): '"',
    ord("‘"): "'",
    ord("’"): "'",
    ord("‚"): "'",
    ord("‛"): "'",
    ord("′"): "'",
}
_TABLE = {**_SPACES, **_INVISIBLE, **_QUOTES}
_ASCII_SPACES = {ord("\t"): " ", ord("\f"): " ", ord("\v"): " "}
#: Any character of ``_TABLE``: a text without one is left as it is (``str.translate``
#: looks every character of a non-ASCII text up in the table, a long text's main cost).
_TABLED = re.compile("[" + re.escape("".join(map(chr, _TABLE))) + "]")


def normalize_characters(text: str) -> str:
    """NFC; one kind of space, no invisible characters, straight quotes, ``\\n`` newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text.translate(_ASCII_SPACES) if "\t" in text or "\f" in text or "\v" in text else text
    text = unicodedata.normalize("NFC", text)
    return _TABLED.sub(lambda m: _TABLE[ord(m.group())] or "", text)


_SPACES = re.compile(r" {2,}")
_SPACE_BEFORE_MARK = re.compile(r" +([,.;:!?])(?=\s|$)")


def _before_mark(m: re.Match) -> str:
    return m.group(1) if m.group(1) in ",." else " " + m.group(1)


def normalize_spaces(paragraph: str) -> str:
    """Runs of spaces become one; no space before a comma or full stop."""
    paragraph = paragraph.strip()
    if "  " in paragraph:
        paragraph = _SPACES.sub(" ", paragraph)
    return _SPACE_BEFORE_MARK.sub(_before_mark, paragraph)


_SENTENCE_END = (".", "!", "?", ":", '"', "»", ")")


def _wrapped(block: list[str]) -> bool:
    """Whether a block of lines is hard-wrapped text: three lines or more, all but the last
    no longer than a wrapping width, and most of them (a share) close to the longest."""
    if len(block) < 3:
        return False
    lengths = [len(line) for line in block[:-1]]
    width = max(lengths)
    if width > settings.WRAPPED_LINE_MAX_CHARS:
        return False
    near = sum(n >= width - settings.WRAPPED_LINE_SLACK for n in lengths)
    return near >= settings.WRAPPED_SHARE * len(lengths)


def split_paragraphs(text: str) -> list[str]:
    """Non-empty lines are paragraphs; the lines of a hard-wrapped paragraph are joined: a
    line continues a long one that does not end a sentence when it starts in lower case,
    and in a block of lines (between blank lines) wrapped at a fixed width, it continues
    any line that does not end a sentence, and any line when it starts in lower case."""
    out: list[str] = []
    block: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            block.append(line)
            continue
        _join_block(block, out)
        block = []
    _join_block(block, out)
    return out


def _join_block(block: list[str], out: list[str]) -> None:
    if not block:
        return
    wrapped = _wrapped(block)
    previous = None
    for line in block:
        if previous is not None and _continues(previous, line, wrapped):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        previous = line


def _continues(previous: str, line: str, wrapped: bool) -> bool:
    """Whether ``line`` goes on with the paragraph of the ``previous`` one."""
    ended = previous.endswith(_SENTENCE_END)
    if wrapped:
        return not ended or line[:1].islower()
    return not ended and len(previous) >= settings.HARD_WRAP_MIN_CHARS and line[:1].islower()


def has_letter(p: str) -> bool:
    """Whether ``p`` has a letter at all: a rule, an arrow, a bare number is no paragraph."""
    return any(map(str.isalpha, p))


# --- rules that drop a paragraph --------------------------------------------------------------

SEE_ALSO_LINE = re.compile(rf"^\(?\s*(?:{settings.SEE_ALSO_WORDS})\s*(?:[:»>|].*|\)?)$", re.IGNORECASE)
SEE_ALSO_TAIL = re.compile(
    r"(?<=[.!?\"»])\s+(?:See also|Read also|Also read|Read more|Lire aussi|À lire aussi|Voir aussi)\b[^.!?]*[.!?]?$"
)
SPONSOR_LINE = re.compile(
    r"^(?:sponsor(?:ed|isé|isée)?|sponsored content|advertisement|publicité|partner content|"
    r"contenu sponsorisé|contenu partenaire|promoted)\b\s*[:\-–]?",
    re.IGNORECASE,
)
PHOTO_CREDIT = re.compile(
    r"^(?:images?|photo|photos|crédit photo|credit|crédit|illustration|getty images|afp photo)\b.{0,50}$",
    re.IGNORECASE,
)


def is_see_also_line(p: str) -> bool:
    """ "(Also: …)", "(See also: …)", "(You can read: …)", "Lire aussi : …" lines."""
    return bool(SEE_ALSO_LINE.match(p))


def cut_see_also_tail(p: str) -> str:
    """ "… interests. See also First RFEF Group 2: …" keeps the sentence before the link."""
    return SEE_ALSO_TAIL.sub("", p)


def is_sponsor_line(p: str) -> bool:
    return bool(SPONSOR_LINE.match(p))


def is_boilerplate(p: str) -> bool:
    """A short line of the site's: copyright, "Follow us on", "Tags:", "Credit: …"."""
    return boilerplate.is_boilerplate(p)


def is_navigation(p: str) -> bool:
    """A line that is only a navigation word ("back", "topic", "Partager")."""
    return p.strip(" .:|>»«<-").casefold() in settings.NAVIGATION_WORDS


def paywall_notice(p: str) -> tuple[bool, float | None]:
    """Whether ``p`` is a paywall notice, and the share of the article left, if it says."""
    return boilerplate.paywall_notice(p)


# --- header chrome ------------------------------------------------------------------------------


def is_body(p: str) -> bool:
    """A sentence of the article itself: several words, ending as sentences do."""
    return len(p.split()) >= 8 and p.rstrip("\"')»").endswith((".", "!", "?", ":"))


def is_banner(p: str) -> bool:
    """An all-capitals line of several words ("THE AMERICA ONE NEWS")."""
    letters = [c for c in p if c.isalpha()]
    return len(p.split()) >= 2 and len(letters) >= 6 and all(c.isupper() for c in letters)


def is_pipe_row(p: str) -> bool:
    """A row of pipe-separated fields with numbers ("Jun 24, 2025 | 0 | Remer,MN"), or
    a loose end of one (" | Remer,MN")."""
    return "|" in p and (p.startswith("|") or p.endswith("|") or any(c.isdigit() for c in p))


def is_bare_number(p: str) -> bool:
    """A number alone on its line, such as a comment count."""
    return bool(re.fullmatch(r"[\d\s.,:]+", p))


def is_photo_credit(p: str) -> bool:
    return bool(PHOTO_CREDIT.match(p)) and not is_body(p)


@dataclass
class Cleaned:
    paragraphs: list[str]
    truncated: bool = False
    remaining_percent: float | None = None
    source: str | None = None
    header_dates: list[date] = field(default_factory=list)


def strip_header(paragraphs: list[str], cleaned: Cleaned) -> list[str]:
    """Remove the chrome above the first body paragraph, keeping its source and dates."""
    body_start = next((i for i, p in enumerate(paragraphs) if is_body(p)), 0)
    kept = []
    for p in paragraphs[:body_start]:
        source = match_source(p)
        if source:
            cleaned.source = cleaned.source or source
            continue
        if is_pipe_row(p):
            continue  # an aggregator's row: its date is the page's, not the article's
        day = dates.date_line(p)
        if day:
            cleaned.header_dates.append(day)
            continue
        if is_bare_number(p) or is_banner(p) or is_photo_credit(p):
            continue
        kept.append(p)
    return kept + paragraphs[body_start:]


def strip_credit_line(paragraphs: list[str], cleaned: Cleaned) -> list[str]:
    """A last line that only names an agency ("AFP") is the article's source."""
    while paragraphs:
        source = match_source(paragraphs[-1])
        if not source:
            break
        cleaned.source = cleaned.source or source
        paragraphs = paragraphs[:-1]
    return paragraphs


def clean(text: str) -> Cleaned:
    """Clean scraped article text into paragraphs, with what the chrome told."""
    cleaned = Cleaned(paragraphs=[])
    kept = []
    for p in split_paragraphs(normalize_characters(strip_markup(text))):
        p = normalize_spaces(p)
        if not has_letter(p) or is_see_also_line(p) or is_sponsor_line(p) or is_navigation(p) or is_boilerplate(p):
            continue
        notice, share = paywall_notice(p)
        if notice:
            cleaned.truncated = True
            cleaned.remaining_percent = cleaned.remaining_percent or share
            continue
        p = cut_see_also_tail(p)
        if p:
            kept.append(p)
    cleaned.paragraphs = strip_credit_line(strip_header(kept, cleaned), cleaned)
    return cleaned
