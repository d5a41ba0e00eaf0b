"""The pipeline: a raw Article in, a cleaned and enriched Record out.

One :class:`Pipeline` holds what is costly to load (language profiles, the alias table,
word frequencies) and is reused for every article; :func:`ingest` runs it over corpus
paths, yielding a Record or a Problem for each article, never raising for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import settings
from .actors import AliasTable, load_table
from .article import Article, Paragraph, Problem, Record
from .cleaning import clean
from .dates import DateEvidence, find_date
from .gluing import GlueRepair
from .htmlpage import PageError, parse_page
from .language import get_detector, summarize
from .readers import read_paths

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"«A-ZÀ-Ý0-9])")


def split_title(paragraphs: list[str]) -> tuple[str, list[str]]:
    """The headline and the body: a short first paragraph followed by others is the
    headline; otherwise the title is the first sentence (cut short) and the body is all."""
    first = paragraphs[0]
    if len(paragraphs) > 1 and len(first) <= settings.TITLE_MAX_CHARS:
        return first, paragraphs[1:]
    sentence = SENTENCE_END.split(first, maxsplit=1)[0]
    if len(sentence) > settings.DERIVED_TITLE_CHARS:
        cut = sentence[: settings.DERIVED_TITLE_CHARS].rsplit(" ", 1)[0]
        sentence = cut.rstrip(",;:") + "…"
    return sentence, paragraphs


class Pipeline:
    """Clean and enrich articles; build once, call :meth:`process` for each article."""

    def __init__(self, languages: tuple[str, ...] = settings.LANGUAGES,
                 actors: str | Path | AliasTable = settings.ACTORS_FILE):
        self.table = actors if isinstance(actors, AliasTable) else load_table(actors)
        self.glue = GlueRepair(self.table.names())
        self.detector = get_detector(tuple(languages))

    def process(self, article: Article) -> Record | Problem:
        text, title, source, url, declared = article.text, article.title, article.source, article.url, article.lang
        if article.html is not None:
            try:
                page = parse_page(article.html, url)
            except PageError as exc:
                return Problem(article.id if article.id != Path(article.path).name else article.path, str(exc))
            text = page.text
            title, url, declared = title or page.title, url or page.url, declared or page.lang
            site_name, page_date = page.site_name, (page.date, page.date_source)
        else:
            site_name, page_date = None, (None, None)
        cleaned = clean(text)
        if not cleaned.paragraphs:
            return Problem(article.path, "refused: no article text found")
        headline, body = split_title(cleaned.paragraphs)
        title = title or headline
        if title == headline and body is not cleaned.paragraphs:
            paragraphs = body
        else:
            paragraphs = cleaned.paragraphs
        tags = self.detector.tag(paragraphs)
        ours = set(self.detector.configured)
        paragraphs = [self.glue.repair(p) if lang in ours else p for p, lang in zip(paragraphs, tags)]
        if title == headline:
            title = self.glue.repair(title)
        language, languages = summarize(paragraphs, tags)
        day, date_source = find_date(DateEvidence(article.date, cleaned.header_dates, paragraphs, page_date))
        warnings = list(article.warnings)
        if article.date and date_source != "metadata":
            fallback = f"dated from its {date_source}" if day else "left undated"
            warnings.append(f"date {article.date[:40]!r} is not a date from {settings.METADATA_MIN_YEAR} "
                            f"to next year; {fallback}")
        return Record(
            id=article.id,
            path=article.path,
            title=title,
            date=day.isoformat() if day else None,
            date_source=date_source,
            language=language or declared,
            languages=languages,
            source=source or cleaned.source or site_name,
            url=url,
            truncated=cleaned.truncated,
            remaining_percent=cleaned.remaining_percent,
            paragraphs=[Paragraph(p, lang) for p, lang in zip(paragraphs, tags)],
            actors=self.table.actors_in(paragraphs if paragraphs[0].startswith(title.rstrip("…")) else [title, *paragraphs]),
            warnings=warnings,
        )


def ingest(paths: Iterable[str | Path], pipeline: Pipeline | None = None) -> Iterator[Record | Problem]:
    """Every article under ``paths`` as a Record, or a Problem saying why not."""
    pipeline = pipeline or Pipeline()
    for item in read_paths(paths):
        yield item if isinstance(item, Problem) else pipeline.process(item)
