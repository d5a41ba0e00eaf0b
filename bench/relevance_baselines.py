"""Baseline search engines for ``bench/eval_relevance.py``, each over one text field.

Every engine is built from the same ``(id, title, text)`` documents and answers the same
queries: a list of words (already stripped of query-language syntax) and a mode, ``"and"``
(every word required) or ``"or"`` (any word). ``search`` returns ids, best first.

* ``WhooshBaseline``: one ``TEXT(analyzer=StemmingAnalyzer())`` field, one writer, the
  default BM25F scoring, a query parser with an AND or OR group;
* ``Fts5Baseline``: SQLite FTS5 with ``porter unicode61 remove_diacritics 2``, each word
  quoted, ordered by ``bm25``;
* ``TantivyBaseline``: tantivy's ``en_stem`` tokenizer, the index's query parser over the
  text field, conjunction by default for AND.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

Document = tuple[str, str, str]  # id, title, text


class WhooshBaseline:
    name = "bare Whoosh"

    def __init__(self, workdir: Path):
        self.workdir = workdir

    def build(self, documents: Iterable[Document]) -> int:
        from whoosh import index as whoosh_index
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.qparser import AndGroup, OrGroup, QueryParser

        schema = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=StemmingAnalyzer()))
        path = self.workdir / "whoosh"
        path.mkdir(parents=True)
        self.index = whoosh_index.create_in(str(path), schema)
        writer = self.index.writer(limitmb=256)
        count = 0
        for doc_id, title, text in documents:
            writer.add_document(id=doc_id, body=f"{title}\n{text}")
            count += 1
        writer.commit()
        self.searcher = self.index.searcher()
        self.parsers = {
            "and": QueryParser("body", schema, group=AndGroup),
            "or": QueryParser("body", schema, group=OrGroup),
        }
        return count

    def search(self, words: list[str], mode: str, limit: int) -> list[str]:
        query = self.parsers[mode].parse(" ".join(words))
        return [hit["id"] for hit in self.searcher.search(query, limit=limit)]

    def close(self) -> None:
        self.searcher.close()


class Fts5Baseline:
    name = "SQLite FTS5 bm25"

    def __init__(self, workdir: Path):
        self.workdir = workdir

    @staticmethod
    def available() -> bool:
        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        except sqlite3.OperationalError:
            return False
        return True

    def build(self, documents: Iterable[Document]) -> int:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.workdir / "fts5.sqlite"))
        self.db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, body, tokenize='porter unicode61 remove_diacritics 2')"
        )
        rows = ((doc_id, f"{title}\n{text}") for doc_id, title, text in documents)
        with self.db:
            self.db.executemany("INSERT INTO t (id, body) VALUES (?, ?)", rows)
        return self.db.execute("SELECT count(*) FROM t").fetchone()[0]

    def search(self, words: list[str], mode: str, limit: int) -> list[str]:
        quoted = ['"' + w.replace('"', '""') + '"' for w in words]
        match = (" " if mode == "and" else " OR ").join(quoted)
        rows = self.db.execute("SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (match, limit))
        return [row[0] for row in rows]

    def close(self) -> None:
        self.db.close()


class TantivyBaseline:
    name = "tantivy"

    def __init__(self, workdir: Path):
        self.workdir = workdir

    def build(self, documents: Iterable[Document]) -> int:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
        path = self.workdir / "tantivy"
        path.mkdir(parents=True)
        self.index = tantivy.Index(builder.build(), path=str(path))
        writer = self.index.writer(heap_size=100_000_000, num_threads=1)
        count = 0
        for doc_id, title, text in documents:
            writer.add_document(tantivy.Document(id=doc_id, body=f"{title}\n{text}"))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return count

    def search(self, words: list[str], mode: str, limit: int) -> list[str]:
        # An apostrophe quotes in tantivy's grammar; inside a word it is escaped.
        text = " ".join(w.replace("'", "\\'") for w in words)
        query = self.index.parse_query(text, ["body"], conjunction_by_default=(mode == "and"))
        hits = self.searcher.search(query, limit).hits
        return [self.searcher.doc(address)["id"][0] for _score, address in hits]

    def close(self) -> None:
        pass


BASELINES = (WhooshBaseline, Fts5Baseline, TantivyBaseline)


def build_timed(engine, documents: list[Document]) -> tuple[int, float]:
    """Index ``documents`` with ``engine``; return how many it holds and the seconds taken."""
    start = time.perf_counter()
    count = engine.build(documents)
    return count, time.perf_counter() - start
