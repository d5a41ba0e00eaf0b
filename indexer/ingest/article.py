"""The two shapes an article takes on its way to the index.

* :class:`Article` is what a reader found in a file, before any judgement: the raw text
  (or HTML) and whatever metadata the file itself declared.
* :class:`Record` is the cleaned, enriched article the pipeline makes of it; its
  :meth:`Record.to_json` is the public JSON contract of ``news-search inspect``.

:class:`Problem` is a file (or record) that could not be read, with a one-line reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """An article as read from a file, before cleaning."""

    id: str
    path: str
    text: str = ""
    html: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: its place in its file: ``:LINE`` or ``#N`` for a JSON record, "" for a whole file
    where: str = ""


@dataclass
class Paragraph:
    text: str
    lang: str | None = None


@dataclass
class Actor:
    name: str
    type: str
    mentions: int


@dataclass
class Record:
    """A cleaned article with its language, date and actors."""

    id: str
    path: str
    title: str
    date: str | None
    date_source: str | None
    language: str | None
    languages: list[str]
    source: str | None
    url: str | None
    truncated: bool
    paragraphs: list[Paragraph]
    actors: list[Actor]
    remaining_percent: float | None = None
    warnings: list[str] = field(default_factory=list)
    #: Whether ``title`` is the article's headline (declared by the file, or a short first
    #: line standing apart) rather than its first sentence, shown for want of one.
    headline: bool = True
    #: the article's place in its file, as :attr:`Article.where` (not part of the JSON)
    where: str = ""
    #: names the alias table does not know (:class:`indexer.ingest.discovery.Name`)
    names: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "date_source": self.date_source,
            "language": self.language,
            "languages": list(self.languages),
            "source": self.source,
            "url": self.url,
            "truncated": self.truncated,
            "paragraphs": [{"text": p.text, "lang": p.lang} for p in self.paragraphs],
            "actors": [{"name": a.name, "type": a.type, "mentions": a.mentions} for a in self.actors],
            "remaining_percent": self.remaining_percent,
            "headline": self.headline,
            "names": [n.to_json() for n in self.names],
        }


@dataclass
class Problem:
    """A file or record that was refused, and why, in one line."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
