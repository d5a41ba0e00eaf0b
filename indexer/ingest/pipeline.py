"""The pipeline: a raw Article in, a cleaned and enriched Record out.

One :class:`Pipeline` holds what is costly to load (language profiles, the alias table,
word frequencies) and is reused for every article; :func:`ingest` runs it over corpus
paths, yielding a Record or a Problem for each article, never raising for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .. import settings
from .actors import AliasTable, load_table
from .article import Article, Paragraph, Problem, Record
from .cleaning import clean, normalize_characters, normalize_spaces
from .dates import DateEvidence, find_date
from .gluing import GlueRepair
from .htmlpage import PageError, parse_page
from .language import get_detector, summarize
from .markup import FRONT_MATTER, strip_markup
from .readers import read_paths

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"«A-ZÀ-Ý0-9])")
#: A line that ends with a full stop (not an ellipsis), perhaps before closing quotes.
FULL_STOP = re.compile(r"(?<!\.)\.[\"'»)\]]*$")


#: The ``title`` of a YAML or TOML front matter block.
FRONT_MATTER_TITLE = re.compile(r"""^title[ \t]*[:=][ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\n]*?))[ \t]*$""", re.M)


def front_matter_title(text: str) -> str | None:
    """The title a text's front matter declares (a site generator's post), if any."""
    if text.lstrip()[:3] not in ("---", "+++"):
        return None
    block = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    found = FRONT_MATTER_TITLE.search(block.group()) if block else None
    if not found:
        return None
    double, single, bare = found.groups()
    title = re.sub(r"\\(.)", r"\1", double) if double is not None else single.replace("''", "'") if single is not None else bare
    return " ".join(title.split()) or None


def looks_like_headline(line: str) -> bool:
    """A short line that does not end like a sentence."""
    return (len(line) <= settings.TITLE_MAX_CHARS and len(line.split()) <= settings.HEADLINE_MAX_WORDS
            and FULL_STOP.search(line) is None)


def _as_cleaned(raw: str) -> str:
    """A line of text as cleaning writes it (markup and entities gone, characters and
    spaces normalised)."""
    line = raw.strip()
    return normalize_spaces(normalize_characters(strip_markup(line))) if line else line


def stands_apart(text: str, paragraph: str, blocks: bool = False) -> bool:
    """Whether ``paragraph`` (as cleaning gave it) is a line of ``text`` of its own, with a
    blank line after it; with ``blocks`` (a page's text, a block a line), a line of its own."""
    lines = text.split("\n", settings.HEADLINE_SEARCH_LINES)
    for i, raw in enumerate(lines[: settings.HEADLINE_SEARCH_LINES]):
        if raw.strip() == paragraph or _as_cleaned(raw) == paragraph:
            return blocks or (i + 1 < len(lines) and not lines[i + 1].partition("\n")[0].strip())
    return False


def first_sentence(paragraph: str) -> str:
    """The paragraph's first sentence, cut short, as a title to show."""
    sentence = SENTENCE_END.split(paragraph, maxsplit=1)[0]
    if len(sentence) > settings.DERIVED_TITLE_CHARS:
        cut = sentence[: settings.DERIVED_TITLE_CHARS].rsplit(" ", 1)[0]
        sentence = cut.rstrip(",;:") + "…"
    return sentence


def split_title(paragraphs: list[str], text: str = "", declared: str | None = None,
                blocks: bool = False) -> tuple[str, list[str], bool]:
    """The title, the body, and whether the title is a headline.

    A title the file declares is a headline; the first paragraph goes when it repeats it.
    Otherwise a first line that stands apart in ``text`` as a headline
    (:func:`looks_like_headline`, :func:`stands_apart`) is the headline, and the body is
    the rest; else the title is the first sentence, only to show, and the body is all."""
    first = paragraphs[0]
    if declared:
        repeated = len(paragraphs) > 1 and normalize_spaces(normalize_characters(declared)) == first
        return declared, paragraphs[1:] if repeated else paragraphs, True
    if len(paragraphs) > 1 and looks_like_headline(first) and stands_apart(text, first, blocks):
        return first, paragraphs[1:], True
    return first_sentence(first), paragraphs, False


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
            title = title or front_matter_title(text)
        cleaned = clean(text)
        if not cleaned.paragraphs:
            return Problem(article.path, "refused: no article text found")
        title, paragraphs, headline = split_title(cleaned.paragraphs, text, title, blocks=article.html is not None)
        tags = self.detector.tag(paragraphs)
        ours = set(self.detector.configured)
        paragraphs = [self.glue.repair(p) if lang in ours else p for p, lang in zip(paragraphs, tags)]
        if title.rstrip("…") in cleaned.paragraphs[0]:  # made from the text: repaired as the text is
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
            headline=headline,
            where=article.where,
        )


def ingest(paths: Iterable[str | Path], pipeline: Pipeline | None = None) -> Iterator[Record | Problem]:
    """Every article under ``paths`` as a Record, or a Problem saying why not."""
    pipeline = pipeline or Pipeline()
    for item in read_paths(paths):
        yield item if isinstance(item, Problem) else pipeline.process(item)
