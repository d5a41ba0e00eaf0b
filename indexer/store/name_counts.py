"""Name counts: how many articles name each discovered name, kept beside the index.

Each run adds the names of the articles it indexes and takes away those of the articles
it replaces or deletes (read from their stored record), so that the counts follow the
index without a second pass over the archive. The counts of one Whoosh index are in
``names-<index name>.json`` in the index directory, written whole to a temporary file
and renamed (a reader sees the old counts or the new ones), and named in the index's
record; a rebuild starts from nothing. The file says which generation of the index it
counts: a run killed between its commit and the file's writing leaves counts of an older
generation, which the next run counts again from the index's stored records. Per name key (:func:`indexer.ingest.naming.name_key`):
the number of articles, their votes for a type, and the spellings they used; per form
(an acronym, a surname alone) the names it was seen as in one article, with how many
articles linked them. The search side (:mod:`search.discovered`) reads this file to
merge the forms and promote the names named in enough articles to actors.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

VERSION = 1


class NameCounts:
    """The counts of the discovered names of one index."""

    def __init__(self, names: dict | None = None, links: dict | None = None, generation: int = -1):
        #: the generation of the index these are the counts of
        self.generation = generation
        #: changed since read (to write again)
        self.changed = generation < 0
        #: key -> {"articles": n, "types": {type: n}, "spellings": {spelling: n}}
        self.names: dict[str, dict] = names or {}
        #: form key -> {name key: articles}
        self.links: dict[str, dict[str, int]] = links or {}

    def add(self, names: list, sign: int = 1) -> None:
        """Count (``sign`` 1) or uncount (-1) the names of one article, as
        :meth:`indexer.ingest.discovery.Name.to_json` gives them."""
        self.changed = True
        for key, type_, spelling, _mentions, forms in names:
            entry = self.names.setdefault(key, {"articles": 0, "types": {}, "spellings": {}})
            entry["articles"] += sign
            _bump(entry["types"], type_, sign)
            _bump(entry["spellings"], spelling, sign)
            if entry["articles"] <= 0:
                del self.names[key]
            for form in forms:
                links = self.links.setdefault(form, {})
                _bump(links, key, sign)
                if not links:
                    del self.links[form]

    def to_json(self) -> dict:
        return {"version": VERSION, "generation": self.generation, "names": self.names, "links": self.links}

    @classmethod
    def from_json(cls, data: dict) -> NameCounts:
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return cls()
        return cls(dict(data.get("names") or {}), dict(data.get("links") or {}), int(data.get("generation", -1)))

    def articles(self) -> Counter:
        return Counter({key: entry["articles"] for key, entry in self.names.items()})


def _bump(counts: dict, key: str, sign: int) -> None:
    value = counts.get(key, 0) + sign
    if value > 0:
        counts[key] = value
    else:
        counts.pop(key, None)


def file_name(index_name: str) -> str:
    return f"names-{index_name}.json"


def load(index_dir: Path, meta: dict) -> NameCounts:
    """The counts the index's record names, or none (a new index, or a lost file)."""
    name = meta.get("names")
    if not name:
        return NameCounts()
    try:
        return NameCounts.from_json(json.loads((Path(index_dir) / name).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return NameCounts()


def of_index(index_dir: Path, meta: dict, ix) -> NameCounts:
    """The counts of the index ``ix`` as it is: from its file when the file counts its
    latest generation, else counted again from its documents' stored records."""
    counts = load(index_dir, meta)
    generation = ix.latest_generation()
    if counts.generation == generation:
        return counts
    counts = NameCounts(generation=generation)
    counts.changed = True
    with ix.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            counts.add(names_of(fields))
    return counts


def names_of(stored: dict) -> list:
    """The discovered names of a document, from its stored record."""
    try:
        return json.loads(stored.get("record") or "{}").get("names") or []
    except ValueError:
        return []


def save(index_dir: Path, index_name: str, counts: NameCounts) -> str:
    """Write the counts of ``index_name`` in one step (unless they are the file's already,
    unchanged); the file's name, for the record."""
    name = file_name(index_name)
    if not counts.changed and (Path(index_dir) / name).is_file():
        return name
    tmp = Path(index_dir) / f".{name}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="ascii") as out:
        json.dump(counts.to_json(), out, separators=(",", ":"))
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, Path(index_dir) / name)
    return name
