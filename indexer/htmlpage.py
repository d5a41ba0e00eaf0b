"""HTML pages: the article's main text and the page's own metadata.

trafilatura finds the main text (dropping navigation, share buttons, comments and
footers); the page's markup gives the title, site name, canonical URL, declared language
and publication date (htmldate, which reads meta tags, ``<time>``, JSON-LD and the URL).
The text then goes through the same cleaning as any plain-text article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

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
        "/html/@lang", "/html/@xml:lang", "//meta[@http-equiv='content-language']/@content",
        "//meta[@property='og:locale']/@content", "//meta[@name='language']/@content",
    )
    match = LANG.match(value or "")
    return match.group(1).lower() if match else None


def page_date(html_or_tree, url: str | None = None) -> str | None:
    """The page's publication date as ``YYYY-MM-DD``, from its markup (htmldate)."""
    from htmldate import find_date

    try:
        return find_date(html_or_tree, url=url, original_date=True, extensive_search=True)
    except Exception:  # htmldate raises assorted errors on odd pages; a date is optional
        return None


def main_text(tree) -> str:
    """The article's main text, paragraphs separated by newlines."""
    import trafilatura

    text = trafilatura.extract(tree, include_comments=False, include_tables=False, favor_precision=False)
    return text or ""


def parse_page(html: str, url: str | None = None) -> Page:
    tree = parse_tree(html)
    url = url or _first(tree, "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
    return Page(
        text=main_text(tree),
        title=_first(tree, "//meta[@property='og:title']/@content", "//title/text()", "//h1//text()"),
        site_name=_first(tree, "//meta[@property='og:site_name']/@content", "//meta[@name='application-name']/@content"),
        url=url,
        lang=declared_language(tree),
        date=page_date(tree, url),
    )
