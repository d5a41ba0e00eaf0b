"""The list of actors ``news-search actors`` prints: the alias table's and, from an
index, the discovered ones, with the number of articles naming each; and the export of
the index's table with its discovered actors as rows of it, for a user to keep as their own."""

from __future__ import annotations

import csv
import io

from indexer.ingest.actors import AliasTable

from .discovered import DiscoveredActors


def table_rows(table: AliasTable, kind: str | None = None) -> list[dict]:
    """The alias table's actors, by type then name."""
    return [
        {"name": name, "type": type_, "spellings": table.spellings[name][1:], "discovered": False}
        for name, type_ in sorted(table.actors.items(), key=lambda kv: (kv[1], kv[0]))
        if kind in (None, type_)
    ]


def index_rows(
    table: AliasTable, discovered: DiscoveredActors, counts: dict[str, int], kind: str | None, only_discovered: bool
) -> list[dict]:
    """Every actor of an index with its articles, most named first; discovered ones marked."""
    rows = [] if only_discovered else [dict(r, articles=counts.get(r["name"], 0)) for r in table_rows(table, kind)]
    rows += [
        {
            "name": name,
            "type": type_,
            "spellings": [s for s in discovered.spellings[name] if s != name],
            "discovered": True,
            "articles": counts.get(name, 0),
        }
        for name, type_ in discovered.actors.items()
        if kind in (None, type_)
    ]
    rows.sort(key=lambda r: (-r["articles"], r["name"]))
    return rows


def export_csv(rows: list[dict], table_text: str = "") -> str:
    """An alias table (``name,type,aliases,related,ambiguous``) a user can edit and index
    with ``--actors``: the index's own table as it is (``table_text``, its related words and
    ambiguous spellings kept), then the discovered actors of ``rows`` as rows of it. The
    table comes whole, since ``--actors`` replaces the table rather than adding to it.

    A discovered actor's one-word spellings of a name of several words (a surname alone,
    "Maas"; a word of an organisation's name, "Motors") are written as ambiguous: as in
    discovery, they then name the actor only in an article that names it in full too, or
    after a title ("Mr Maas"), not wherever the word stands (another Brown, "Fox News")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if table_text.strip():
        out.write(table_text.rstrip("\n") + "\n")
    else:
        writer.writerow(["name", "type", "aliases", "related", "ambiguous"])
    for row in rows:
        if row["discovered"]:
            spellings = [s.replace(";", " ") for s in row["spellings"]]
            ambiguous = [s for s in spellings if _one_word_of_many(s, row["name"])]
            writer.writerow([row["name"], row["type"], ";".join(spellings), "", ";".join(ambiguous)])
    return out.getvalue()


def _one_word_of_many(spelling: str, name: str) -> bool:
    """Whether ``spelling`` is one word (not an acronym) standing for ``name``, of several."""
    return len(spelling.split()) == 1 and not spelling.isupper() and len(name.split()) > 1
