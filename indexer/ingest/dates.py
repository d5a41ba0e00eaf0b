"""Publication dates: parse English and French dates, and find an article's date.

:func:`find_date` is a cascade, cheapest and surest first; each step returns a date or
None, and the first date found wins, with the name of the step as its ``date_source``:

1. ``metadata``: a date the file declared (the ``date`` marker of a text file, a JSON
   ``date`` field). For an HTML page, the page's own cascade comes next
   (:data:`indexer.ingest.htmlpage.DATE_CASCADE`: markup, then a visible dateline, then htmldate's
   search of the whole page).
2. ``dateline``: a line near the top that is a date and little else ("27 Nov 2023",
   "Publié le 22 nov. 2023"), or a date opening the first paragraph ("PARIS, 30 janvier
   2025 -"). An aggregator's own page date, on a line of its chrome, is not one.
3. ``inferred``: a weekday with a day and month and no year ("Thursday, May 25") is put in
   the first year, no earlier than the latest year the article cites, in which that day is
   that weekday; failing that, the latest full date the text cites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .. import settings

MONTHS = {
    "january": 1,
    "jan": 1,
    "janvier": 1,
    "janv": 1,
    "february": 2,
    "feb": 2,
    "fevrier": 2,
    "février": 2,
    "fev": 2,
    "fév": 2,
    "fevr": 2,
    "févr": 2,
    "march": 3,
    "mar": 3,
    "mars": 3,
    "april": 4,
    "apr": 4,
    "avril": 4,
    "avr": 4,
    "may": 5,
    "mai": 5,
    "june": 6,
    "jun": 6,
    "juin": 6,
    "july": 7,
    "jul": 7,
    "juillet": 7,
    "juil": 7,
    "august": 8,
    "aug": 8,
    "aout": 8,
    "août": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "septembre": 9,
    "october": 10,
    "oct": 10,
    "octobre": 10,
    "november": 11,
    "nov": 11,
    "novembre": 11,
    "december": 12,
    "dec": 12,
    "decembre": 12,
    "décembre": 12,
    "déc": 12,
}
WEEKDAYS = {
    "monday": 0,
    "lundi": 0,
    "tuesday": 1,
    "mardi": 1,
    "wednesday": 2,
    "mercredi": 2,
    "thursday": 3,
    "jeudi": 3,
    "friday": 4,
    "vendredi": 4,
    "saturday": 5,
    "samedi": 5,
    "sunday": 6,
    "dimanche": 6,
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = "(?P<weekday>" + "|".join(WEEKDAYS) + ")"
_DAY = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

#: Full dates, each with named groups day, month and year.
FULL_DATES = [
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:19|20)\d\d)\b"),
]
#: A weekday with a day and a month but no year ("Thursday, May 25", "mardi 19 septembre").
WEEKDAY_DATES = [
    re.compile(rf"\b{_WEEKDAY},?\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?!\s*,?\s*(?:19|20)\d\d)", re.IGNORECASE),
    re.compile(rf"\b{_WEEKDAY},?\s+{_MONTH}\s+{_DAY}\b(?!\s*,?\s*(?:19|20)\d\d)", re.IGNORECASE),
]
#: Dates with a month's name and a year from 1800 on, for metadata only.
METADATA_DATES = [
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+(?P<year>(?:1[89]|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<year>(?:1[89]|20)\d\d)\b", re.IGNORECASE),
]
YEAR = re.compile(r"(?<![\d.,/-])(?:19|20)\d\d(?![\d.,/-]\d)")
#: What may stand around a date in a dateline.
DATELINE_WORDS = re.compile(
    r"(?i)\b(?:published|updated|posted|on|le|publié|publie|mis à jour|modifié|"
    r"à|at|am|pm|gmt|utc|cet|cest|by|par|h)\b|\d{1,2}[:h]\d{2}|[-–—|,.():]"
)


def _month_number(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    return MONTHS.get(value.lower().rstrip("."))


def latest_year() -> int:
    """No article is published later than next year."""
    return date.today().year + 1


def _make_date(year: int, month: int | None, day: int, min_year: int = settings.TEXT_MIN_YEAR) -> date | None:
    if month is None or not min_year <= year <= latest_year():
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass
class Found:
    """A date found in text, with where it was."""

    value: date
    start: int
    end: int


def find_full_dates(text: str) -> list[Found]:
    """Every complete date (day, month, year) in ``text``, in order of position."""
    found = []
    for pattern in FULL_DATES:
        for m in pattern.finditer(text):
            value = _make_date(int(m.group("year")), _month_number(m.group("month")), int(m.group("day")))
            if value and not any(f.start <= m.start() < f.end for f in found):
                found.append(Found(value, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


ISO_DAY = re.compile(r"\s*(\d{4})-?(\d\d)-?(\d\d)(?![\d])")


def parse_date(value: str | None) -> date | None:
    """A metadata date, from 1800 to next year: ISO 8601 (any time part ignored), a
    written date in English or French, or any complete date ``dateutil`` reads ("26-FEB-1987
    15:01:01.79", "Thu, 26 Feb 1987 10:00:00 GMT"). None when it is not a whole, real date:
    a month alone, "2023-13-45" or "yesterday" is no publication date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    low = settings.METADATA_MIN_YEAR
    m = ISO_DAY.match(value)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), low)
    written = _written_date(value, low)
    if written:
        return written
    return _dateutil_date(value, low)


def _written_date(value: str, low: int) -> date | None:
    """A date written with a month's name, in English or French, any year from ``low``."""
    for pattern in METADATA_DATES:
        m = pattern.search(value)
        if m:
            return _make_date(int(m.group("year")), _month_number(m.group("month")), int(m.group("day")), low)
    return None


def _dateutil_date(value: str, low: int) -> date | None:
    """What ``dateutil`` reads as a complete date (parsed twice with different defaults:
    a part it filled in itself differs between the two, and the date is refused)."""
    from datetime import datetime

    from dateutil import parser

    if len(value) > 64 or not re.search(r"\d{4}", value):
        return None
    try:
        a = parser.parse(value, default=datetime(2001, 1, 1))
        b = parser.parse(value, default=datetime(2002, 2, 2))
    except (ValueError, OverflowError, parser.ParserError):
        return None
    if a.date() != b.date():
        return None
    return _make_date(a.year, a.month, a.day, low)


def date_line(line: str) -> date | None:
    """The date of a line that is a date and little else, as a dateline is."""
    if len(line) > settings.DATELINE_MAX_CHARS:
        return None
    found = find_full_dates(line)
    if len(found) != 1:
        return None
    if line[found[0].end :].strip().endswith("."):
        return None  # a sentence that ends with a date, not a dateline
    rest = line[: found[0].start] + line[found[0].end :]
    rest = DATELINE_WORDS.sub(" ", rest)
    rest = re.sub(rf"\b(?:{'|'.join(WEEKDAYS)})\b", " ", rest, flags=re.IGNORECASE)
    words = rest.split()
    # a place name ("PARIS", "Erevan") may stand before the date; nothing much else
    if len(words) > 3 or (words and not all(w[:1].isupper() for w in words)):
        return None
    return found[0].value


def opening_date(paragraph: str) -> date | None:
    """A date that opens a paragraph, as in "PARIS, 30 janvier 2025 (AFP) - ..."."""
    head = paragraph[:60]
    for found in find_full_dates(head):
        before = head[: found.start]
        after = paragraph[found.end : found.end + 12]
        if len(before.split()) <= 3 and re.match(r"\s*(?:\([^)]{1,20}\))?\s*[-–—:|]", after):
            return found.value
    return None


def cited_years(text: str) -> list[int]:
    return [int(y) for y in YEAR.findall(text) if settings.TEXT_MIN_YEAR <= int(y) <= latest_year()]


def weekday_date(text: str) -> date | None:
    """Place "Thursday, May 25" in the first year, from the latest year cited, that fits;
    None when the text cites no year (counting back from today would date an archive's
    stories to recent years)."""
    years = cited_years(text)
    for pattern in WEEKDAY_DATES:
        for m in pattern.finditer(text):
            month, day = _month_number(m.group("month")), int(m.group("day"))
            weekday = WEEKDAYS[m.group("weekday").lower()]
            if not years:
                return None  # no year to start from: any of a dozen years fits
            candidates = range(max(years), max(years) + 12)
            for year in candidates:
                value = _make_date(year, month, day)
                if value and value.weekday() == weekday:
                    return value
    return None


@dataclass
class DateEvidence:
    """What the date cascade looks at."""

    metadata: str | None = None
    header_dates: list[date] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    #: a date the page itself gave (HTML), with how it was found
    page: tuple[str | None, str | None] = (None, None)


def from_metadata(ev: DateEvidence) -> date | None:
    return parse_date(ev.metadata)


def from_dateline(ev: DateEvidence) -> date | None:
    # the header date nearest the body is the article's; earlier ones are page chrome
    if ev.header_dates:
        return ev.header_dates[-1]
    for paragraph in ev.paragraphs[: settings.DATELINE_PARAGRAPHS]:
        value = date_line(paragraph) or opening_date(paragraph)
        if value:
            return value
    return None


def from_text(ev: DateEvidence) -> date | None:
    text = "\n".join(ev.paragraphs)
    value = weekday_date(text)
    if value:
        return value
    found = find_full_dates(text)
    return max(f.value for f in found) if found else None


CASCADE = (("metadata", from_metadata), ("dateline", from_dateline), ("inferred", from_text))


def find_date(ev: DateEvidence) -> tuple[date | None, str | None]:
    """The article's date and how it was found (``metadata``, ``dateline``, ``inferred``)."""
    explicit = from_metadata(ev)
    if explicit:
        return explicit, "metadata"
    page_day, page_source = ev.page
    if parse_date(page_day):
        return parse_date(page_day), page_source
    for name, step in CASCADE:
        value = step(ev)
        if value:
            return value, name
    return None, None
