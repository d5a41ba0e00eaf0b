"""The pipeline: a raw Article in, a cleaned and enriched Record out.

One :class:`Pipeline` holds what is costly to load (language profiles, the alias table,
word frequencies) and is reused for every article; :func:`ingest` runs it over corpus
paths, yielding a Record or a Problem for each article, never raising for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from .actors import AliasTable, load_table
from .article import Article, Paragraph, Problem, Record
from .cleaning import clean, normalize_characters, normalize_spaces
from .dates import DateEvidence, find_date
from .discovery import NameFinder
from .gluing import LANGUAGES, GlueRepair
from .htmlpage import PageError, parse_page
from .language import get_detector, summarize
from .markup import FRONT_MATTER, strip_markup
from .name_mentions import MentionFinder, merge
from .readers import read_paths

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"«A-ZÀ-Ý0-9])")
#: A line that ends with a full stop (not an ellipsis), perhaps before closing quotes.
FULL_STOP = re.compile(r"(?<!\.)\.[\"'»)\]]*$")


#: The ``title`` of a YAML or TOML front matter block.
FRONT_MATTER_TITLE = re.compile(
    r"""^title[ \t]*[:=][ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\n]*?))[ \t]*$""", re.M
)


def front_matter_title(text: str) -> str | None:
    """The title a text's front matter declares (a site generator's post), if any."""
    if text.lstrip()[:3] not in ("---", "+++"):
        return None
    block = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    found = FRONT_MATTER_TITLE.search(block.group()) if block else None
    if not found:
        return None
    double, single, bare = found.groups()
    title = (
        re.sub(r"\\(.)", r"\1", double)
        if double is not None
        else single.replace("''", "'")
        if single is not None
        else bare
    )
    return " ".join(title.split()) or None


def looks_like_headline(line: str) -> bool:
    """A short line that does not end like a sentence."""
    return (
        len(line) <= settings.TITLE_MAX_CHARS
        and len(line.split()) <= settings.HEADLINE_MAX_WORDS
        and FULL_STOP.search(line) is None
    )


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


def split_title(
    paragraphs: list[str], text: str = "", declared: str | None = None, blocks: bool = False
) -> tuple[str, list[str], bool]:
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

    def __init__(
        self,
        languages: tuple[str, ...] = settings.LANGUAGES,
        actors: str | Path | AliasTable = settings.ACTORS_FILE,
        discover: bool = True,
    ):
        """``discover``: find the names the alias table does not know (:mod:`discovery`)."""
        self.table = actors if isinstance(actors, AliasTable) else load_table(actors)
        self.glue = GlueRepair(self.table.names())
        self.finder = NameFinder(self.table) if discover else None
        self.mentions = MentionFinder(self.finder.known) if self.finder else None
        self.detector = get_detector(tuple(languages))

    def load(self) -> Pipeline:
        """Load now the word tables that the first articles would load (a worker does it
        before its first job, so that they are set aside from its garbage collection)."""
        self.glue.load()
        self.detector.word_evidence("")
        return self

    def process(self, article: Article) -> Record | Problem:
        """The article cleaned and enriched, step by step; a Problem when it has no text."""
        source = self._source(article)
        if isinstance(source, Problem):
            return source
        cleaned = clean(source.text)
        if not cleaned.paragraphs:
            return Problem(article.path, "refused: no article text found")
        title, paragraphs, headline = split_title(
            cleaned.paragraphs, source.text, source.title, blocks=article.html is not None
        )
        tags = self.detector.tag(paragraphs)
        paragraphs, title = self._repaired(paragraphs, tags, title, cleaned.paragraphs[0])
        language, languages = summarize(paragraphs, tags)
        day, date_source = find_date(DateEvidence(article.date, cleaned.header_dates, paragraphs, source.page_date))
        return Record(
            id=article.id,
            path=article.path,
            title=title,
            date=day.isoformat() if day else None,
            date_source=date_source,
            language=language or source.declared,
            languages=languages,
            source=article.source or cleaned.source or source.site_name,
            url=source.url,
            truncated=cleaned.truncated,
            remaining_percent=cleaned.remaining_percent,
            paragraphs=[Paragraph(p, lang) for p, lang in zip(paragraphs, tags)],
            actors=self._actors(title, paragraphs),
            names=self._names(paragraphs, tags),
            warnings=[*article.warnings, *_date_warnings(article, day, date_source)],
            headline=headline,
            where=article.where,
        )

    @staticmethod
    def _source(article: Article) -> _Source | Problem:
        """The article's text and what its file declares; a page's from its HTML."""
        if article.html is None:
            return _Source(article.text, article.title or front_matter_title(article.text), article.url, article.lang)
        try:
            page = parse_page(article.html, article.url)
        except PageError as exc:
            return Problem(article.id if article.id != Path(article.path).name else article.path, str(exc))
        return _Source(
            page.text,
            article.title or page.title,
            article.url or page.url,
            article.lang or page.lang,
            page.site_name,
            (page.date, page.date_source),
        )

    def _repaired(self, paragraphs: list[str], tags: list, title: str, first: str) -> tuple[list[str], str]:
        """Glued words split again in the paragraphs of the configured languages whose words
        the repair knows (:data:`gluing.LANGUAGES`: a German word unknown to English and French
        is no glue), and in a title made from the text as its paragraph is: a title taken
        from the body's first paragraph shows the words that paragraph is searched by."""
        ours = set(self.detector.configured) & set(LANGUAGES)
        in_body = bool(paragraphs) and paragraphs[0] == first
        repaired = [self.glue.repair(p) if lang in ours else p for p, lang in zip(paragraphs, tags)]
        if title.rstrip("…") in first and (not in_body or tags[0] in ours):
            title = self.glue.repair(title)
        return repaired, title

    def _names(self, paragraphs: list[str], tags: list) -> list:
        """The names the alias table does not know, in the paragraphs the rules can read."""
        if self.finder is None:
            return []
        names = self.finder.find([p for p, lang in zip(paragraphs, tags) if lang in settings.DISCOVERY_LANGUAGES])
        others = [p for p, lang in zip(paragraphs, tags) if lang in settings.DISCOVERY_MENTION_LANGUAGES]
        return merge(names, self.mentions.find(others)) if others else names

    def _actors(self, title: str, paragraphs: list[str]) -> list:
        """The actors of the text, and of the title when the text does not begin with it."""
        begins = paragraphs[0].startswith(title.rstrip("…"))
        return self.table.actors_in(paragraphs if begins else [title, *paragraphs])


@dataclass
class _Source:
    """What an article's file gives before cleaning."""

    text: str
    title: str | None
    url: str | None
    declared: str | None  # the language the file declares
    site_name: str | None = None
    page_date: tuple = (None, None)  # (date, where on the page)


def _date_warnings(article: Article, day, date_source: str | None) -> list[str]:
    """A warning when the date the file declares was not taken."""
    if not article.date or date_source == "metadata":
        return []
    fallback = f"dated from its {date_source}" if day else "left undated"
    return [f"date {article.date[:40]!r} is not a date from {settings.METADATA_MIN_YEAR} to next year; {fallback}"]


def ingest(paths: Iterable[str | Path], pipeline: Pipeline | None = None) -> Iterator[Record | Problem]:
    """Every article under ``paths`` as a Record, or a Problem saying why not."""
    pipeline = pipeline or Pipeline()
    for item in read_paths(paths):
        yield item if isinstance(item, Problem) else pipeline.process(item)
