"""Saved searches: named searches kept beside the index, for alerts and feeds.

A saved search holds what a search on the command line or the page can say (the query,
actors, dates, language, source) and the change-log sequence number up to which its new
matches were read (:mod:`indexer.store.changelog`); a new one starts at the current
number, so it alerts only on what later runs add. They live in one small JSON file in the
index folder (:data:`WATCHES_FILE`), replaced in one step (written beside it, then renamed)
under a lock, so concurrent commands never lose each other's changes.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from indexer.store.index_folder import KEPT_PREFIX

from . import settings
from .engine import SearchRequest
from .querying import QueryError

WATCHES_FILE = f"{KEPT_PREFIX}watches.json"
_LOCK_FILE = f"{KEPT_PREFIX}watches.lock"
#: A name: a letter or digit, then letters, digits, ``-``, ``_`` or ``.`` (of any script).
NAME = re.compile(r"[^\W_][\w.-]*")


class WatchError(ValueError):
    """A saved search that cannot be stored or read (the message says why)."""


@dataclass
class SavedSearch:
    name: str
    query: str = ""
    actors: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    lang: str | None = None
    source: str | None = None
    #: the change log's sequence number up to which new matches were read
    read: int = 0

    def request(self, limit: int = 10, sort: str = "date") -> SearchRequest:
        return SearchRequest(
            self.query, list(self.actors), self.since, self.until, self.lang, self.source, sort, limit, 1, False
        )

    def params(self) -> list[tuple[str, str]]:
        """The search as the web page's query-string pairs."""
        pairs = [("q", self.query)] if self.query else []
        pairs += [("actor", a) for a in self.actors]
        pairs += [(k, getattr(self, k)) for k in ("since", "until", "lang", "source") if getattr(self, k)]
        return pairs

    def describe(self) -> str:
        """The search in one line, as the command line would take it."""
        parts = [json.dumps(self.query, ensure_ascii=False) if self.query else '""']
        parts += [f"--actor {json.dumps(a, ensure_ascii=False)}" for a in self.actors]
        parts += [
            f"--{k} {json.dumps(getattr(self, k), ensure_ascii=False)}"
            for k in ("since", "until", "lang", "source")
            if getattr(self, k)
        ]
        return " ".join(parts)


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or "") or len(name) > settings.MAX_WATCH_NAME:
        raise WatchError(
            f"{name!r} is not a name for a saved search: use at most {settings.MAX_WATCH_NAME} letters, "
            "digits, '-', '_' or '.', starting with a letter or digit"
        )
    return name


def check_search(search: SavedSearch) -> None:
    """Refuse what no search accepts (the query itself is checked against the index)."""
    if len(search.query) > settings.MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {settings.MAX_QUERY_CHARS} characters", "query")
    if len(search.actors) > settings.MAX_ACTORS:
        raise QueryError(f"at most {settings.MAX_ACTORS} actor filters", "actor")
    for name in ("since", "until", "lang", "source"):
        if len(getattr(search, name) or "") > settings.MAX_PARAM_CHARS:
            raise QueryError(f"{name} is too long (at most {settings.MAX_PARAM_CHARS} characters)", name)


class WatchList:
    """The saved searches of one index folder."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self.path = self.index_dir / WATCHES_FILE

    def load(self) -> dict[str, SavedSearch]:
        """Every saved search by name, in the order they were added."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise WatchError(f"{self.path}: the saved searches cannot be read: {exc}") from None
        entries = data.get("searches") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise WatchError(f"{self.path}: the saved searches cannot be read: no list of searches")
        searches = {}
        for n, entry in enumerate(entries, 1):
            search = _entry(entry)
            if search is None:
                raise WatchError(f"{self.path}: saved search {n} is not valid; remove or correct it")
            searches[search.name] = search
        return searches

    @contextmanager
    def editing(self):
        """The saved searches, to change in place; written back in one step on leaving."""
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.index_dir / _LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise WatchError(f"{self.index_dir}: cannot write the saved searches: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            searches = self.load()
            yield searches
            self._write(searches)
        finally:
            os.close(fd)

    def _write(self, searches: dict[str, SavedSearch]) -> None:
        tmp = self.index_dir / f"{WATCHES_FILE}.{os.getpid()}.new"
        try:
            with open(tmp, "w", encoding="utf-8") as out:
                json.dump({"searches": [asdict(s) for s in searches.values()]}, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            try:
                os.remove(tmp)
            except OSError:
                pass
            raise WatchError(f"{self.path}: cannot write the saved searches: {exc.strerror or exc}") from None


def _entry(entry) -> SavedSearch | None:
    """A saved search read back from the file, or None when a field has the wrong type."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        return None
    values = {f.name: entry[f.name] for f in fields(SavedSearch) if f.name in entry}
    text = ("query",)
    optional = ("since", "until", "lang", "source")
    if any(not isinstance(values.get(k, ""), str) for k in text) or any(
        values.get(k) is not None and not isinstance(values[k], str) for k in optional
    ):
        return None
    actors = values.get("actors", [])
    read = values.get("read", 0)
    if not isinstance(actors, list) or not all(isinstance(a, str) for a in actors):
        return None
    if not isinstance(read, int) or isinstance(read, bool) or read < 0:
        return None
    return SavedSearch(**values)
