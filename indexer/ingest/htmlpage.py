"""HTML pages: the article's main text and the page's own metadata.

trafilatura finds the main text (dropping navigation, share buttons, comments and
footers); the page's markup gives the title, site name, canonical URL, declared language
and publication date (htmldate, which reads meta tags, ``<time>``, JSON-LD and the URL).
The text then goes through the same cleaning as any plain-text article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import lxml.html
from lxml import etree

from .. import settings

LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]|$)")


class PageError(ValueError):
    """The page cannot be parsed at all."""


@dataclass
class Page:
    text: str
    title: str | None = None
    site_name: str | None = None
    url: str | None = None
    lang: str | None = None
    date: str | None = None
    date_source: str | None = None


def parse_tree(html: str):
    """An lxml tree of the page, however broken its markup."""
    if not html.strip():
        raise PageError("empty page")
    # lxml refuses str input that declares an encoding; bytes let it read the declaration
    # but our text is already decoded, so drop the declaration instead
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise PageError(f"HTML does not parse ({exc})") from None
    if tree is None:
        raise PageError("HTML does not parse")
    return tree


def _first(tree, *xpaths: str) -> str | None:
    for xpath in xpaths:
        for value in tree.xpath(xpath):
            value = " ".join(str(value).split())
            if value:
                return value
    return None


def declared_language(tree) -> str | None:
    value = _first(
        tree,
        "/html/@lang",
        "/html/@xml:lang",
        "//meta[@http-equiv='content-language']/@content",
        "//meta[@property='og:locale']/@content",
        "//meta[@name='language']/@content",
    )
    match = LANG.match(value or "")
    return match.group(1).lower() if match else None


#: Where a page says when it was published, most specific first.
PUBLISHED = (
    "//*[@itemprop='datePublished']/@datetime",
    "//*[@itemprop='datePublished']/@content",
    "//meta[@property='article:published_time']/@content",
    "//meta[@property='og:published_time']/@content",
    "//meta[@name='pubdate']/@content",
)
JSON_LD_PUBLISHED = re.compile(r'"(?:datePublished|publicationDate)"\s*:\s*"([^"]+)"')
TIMESTAMP = re.compile(r"^(?:19|20)\d\d-\d\d-\d\dT\d\d:\d\d(?::\d\d)?(?:\.\d+)?[+-]\d\d:?\d\d$")
#: A numeric date whose day and month could be swapped (11/8/2023) is no dateline.
AMBIGUOUS_NUMERIC = re.compile(r"\b(0?[1-9]|1[0-2])[/.](0?[1-9]|1[0-2])[/.](?:19|20)\d\d\b")


def _timestamp(value: str) -> datetime | None:
    """A timezone-aware timestamp, or None for a date without time or zone."""
    value = value.strip().replace("Z", "+00:00")
    if not TIMESTAMP.match(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def published_timestamps(tree) -> list[datetime]:
    found = []
    for xpath in PUBLISHED:
        found.extend(tree.xpath(xpath))
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        found.extend(JSON_LD_PUBLISHED.findall(script))
    return [ts for ts in map(_timestamp, map(str, found)) if ts is not None]


def local_published(tree, url=None) -> str | None:
    """The day of the page's "published" timestamp, in the place's local time.

    The earliest published instant is taken (a later one is an update); its day is only
    known when the page writes that instant with a UTC offset somewhere, since a UTC
    timestamp may fall on the next day of the place where the article appeared.
    """
    stamps = published_timestamps(tree)
    if not stamps:
        return None
    first = min(stamps)
    for ts in sorted(stamps, key=lambda t: t.utcoffset() == timedelta(0)):
        if ts.utcoffset() != timedelta(0) and abs(ts - first) <= timedelta(minutes=1):
            return ts.date().isoformat()
    return None


def _htmldate(tree, url, extensive: bool) -> str | None:
    from htmldate import find_date

    try:
        return find_date(tree, url=url, original_date=True, extensive_search=extensive)
    except Exception:  # htmldate raises assorted errors on odd pages; a date is optional
        return None


def htmldate_metadata(tree, url=None) -> str | None:
    """htmldate on the page's metadata, URL and markup (no guessing from free text)."""
    return _htmldate(tree, url, extensive=False)


def visible_dateline(tree, url=None) -> str | None:
    """A line under (or just above) the headline that is a date ("30 septembre 2018",
    "Updated June 13, 2019")."""
    from .dates import date_line

    headlines = tree.xpath("//h1")
    start = headlines[0] if headlines else tree.find("body")
    if start is None:
        return None
    after = _visible_texts(start.xpath("following::text()"), settings.DATELINE_TEXT_NODES)
    before = _visible_texts(reversed(start.xpath("preceding::text()")), settings.DATELINE_TEXT_NODES_ABOVE)
    for text in after + before:
        day = date_line(text)
        if day and not AMBIGUOUS_NUMERIC.search(text):
            return day.isoformat()
    return None


def _visible_texts(nodes, limit: int) -> list[str]:
    texts = []
    for node in nodes:
        text = " ".join(str(node).split())
        if text and node.getparent().tag not in ("script", "style", "noscript", "title"):
            texts.append(text)
            if len(texts) >= limit:
                break
    return texts


def htmldate_extensive(tree, url=None) -> str | None:
    """htmldate's extensive search: dates anywhere in the page, weighed."""
    return _htmldate(tree, url, extensive=True)


#: The date cascade for pages, cheapest and surest first, with the date_source each gives.
DATE_CASCADE = (
    ("metadata", local_published),
    ("dateline", visible_dateline),
    ("metadata", htmldate_metadata),
    ("inferred", htmldate_extensive),
)


def page_date(tree, url: str | None = None) -> tuple[str | None, str | None]:
    """The page's publication day (``YYYY-MM-DD``) and how it was found."""
    for source, step in DATE_CASCADE:
        day = step(tree, url)
        if day:
            return day, source
    return None, None


def main_text(tree) -> str:
    """The article's main text, paragraphs separated by newlines."""
    import trafilatura

    text = trafilatura.extract(tree, include_comments=False)
    return text or ""


def parse_page(html: str, url: str | None = None) -> Page:
    tree = parse_tree(html)
    url = url or _first(tree, "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
    day, date_source = page_date(tree, url)
    page = Page(
        text="",
        title=_first(tree, "//meta[@property='og:title']/@content", "//title/text()", "//h1//text()"),
        site_name=_first(
            tree, "//meta[@property='og:site_name']/@content", "//meta[@name='application-name']/@content"
        ),
        url=url,
        lang=declared_language(tree),
        date=day,
        date_source=date_source,
    )
    page.text = main_text(tree)  # last: trafilatura prunes the tree it is given
    return page
