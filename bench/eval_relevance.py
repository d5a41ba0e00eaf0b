"""Known-item search on the real archive: how well news-search ranks, beside three baselines.

    python bench/eval_relevance.py [DATA_DIR] [--per-set N] [--keep DIR]   (default ../shared/data)

The archive ``DATA_DIR/archive`` (BBC stories as ``bbc/<topic>/<nnn>.txt`` with the
headline on the first line; blog posts in ``geopolitics.jsonl`` with ids ``LANG/YEAR/SLUG``)
is read at run time. Each query has one known target; the query sets (seeded samples of
``--per-set`` queries, default 300) are:

1. a BBC headline, every word required → its story (headlines that several files share
   are left out);
2. a blog title, every word required → its post (titles several posts share left out);
3. four words of a post's body that are rare in the collection (alphabetic, at least five
   letters, in 2 to 20 documents), any word → that post; the words are taken from what a
   reader sees (not from link targets, shortcodes or URLs), though every engine indexes
   the whole text;
4. the queries of 1 and 2 again, any word;
5. a post's title, any word → its translation: any post with the same slug in another
   language counts, and the post itself is taken out of the results.

The engines index the same documents (title and text) and answer the same queries:
news-search (``run_index`` on the archive, then ``SearchEngine.search`` with copies of a story
not collapsed into one hit, since the baselines rank articles one by one), bare Whoosh, SQLite
FTS5 and tantivy (``bench/relevance_baselines.py``). For each engine and query set it prints
MRR@10, success@1, success@10, the share of queries with no result at all, and how many
queries failed with an error (counted as misses, with the first message), then each
engine's indexing time.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_DATA = HERE.parents[1] / "shared" / "data"
SEED = 7
PER_SET = 300
TOP = 10

# Words that a query language reads as operators when written in capitals.
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "IN", "TO"}
# A word: letters or digits, possibly joined by inner dots, hyphens or apostrophes ("U.S",
# "al-Qaeda", "Labour's", "l'armée"). Everything else (double quotes, colons, brackets, *, ?,
# ^, ~, a leading - or apostrophe) is dropped.
WORD = re.compile(r"[^\W_]+(?:[.\-'’][^\W_]+)*")
RARE_WORD = re.compile(r"[^\W\d_]{5,}")
# What a reader of a post does not see: link targets and titles, shortcodes, URLs, tags.
LINK_TARGET = re.compile(r"\]\([^)]*\)")
HIDDEN = re.compile(r"\{\{[<%].*?[%>]\}\}|https?://\S+|www\.\S+|<[^>]+>", re.S)


def query_words(text: str) -> list[str]:
    """The words of ``text`` that every engine's query language reads as plain words.

    Characters with a meaning in a query language are dropped (an apostrophe is kept inside
    a word, where only tantivy's parser needs it escaped), operator words in capitals are
    lower-cased, and a word given twice is kept once.
    """
    words, seen = [], set()
    for word in WORD.findall(text):
        if word in OPERATORS:
            word = word.lower()
        if word.lower() not in seen:
            seen.add(word.lower())
            words.append(word)
    return words


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]
    mode: str  # "and" or "or"
    targets: frozenset[str]
    exclude: str | None = None


@dataclass
class Scores:
    n: int = 0
    reciprocal: float = 0.0
    at1: int = 0
    at10: int = 0
    empty: int = 0
    errors: int = 0
    first_error: str = ""
    seconds: float = 0.0

    def row(self) -> list[str]:
        n = max(self.n, 1)
        return [
            f"{self.reciprocal / n:.3f}",
            f"{self.at1 / n:.1%}",
            f"{self.at10 / n:.1%}",
            f"{self.empty / n:.1%}",
            str(self.errors),
        ]


@dataclass
class Collection:
    documents: list[tuple[str, str, str]] = field(default_factory=list)  # id, title, text
    bbc: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_archive(archive: Path) -> Collection:
    """BBC stories (headline, rest) and blog posts (title, text), ids as news-search gives them."""
    collection = Collection()
    for path in sorted((archive / "bbc").rglob("*.txt")):
        title, _, text = read_text(path).strip().partition("\n")
        doc_id = path.relative_to(archive).as_posix()
        collection.documents.append((doc_id, title.strip(), text.strip()))
        collection.bbc.append(doc_id)
    with open(archive / "geopolitics.jsonl", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                collection.documents.append((record["id"], record.get("title") or "", record.get("text") or ""))
                collection.posts.append(record["id"])
    return collection


def unique_titles(ids: list[str], titles: dict[str, str]) -> list[str]:
    counts = Counter(titles[i].strip().lower() for i in ids)
    return [i for i in ids if counts[titles[i].strip().lower()] == 1 and query_words(titles[i])]


def sample(items: list, name: str, n: int) -> list:
    return random.Random(f"{SEED}-{name}").sample(items, min(n, len(items)))


def twin_key(post_id: str) -> str:
    return post_id.split("/", 1)[1]


def visible(text: str) -> str:
    """The text a reader sees: markdown link targets, shortcodes, URLs and tags taken out."""
    return HIDDEN.sub(" ", LINK_TARGET.sub("]", text))


def rare_word_queries(collection: Collection, n: int) -> list[Query]:
    """Four words of a post's visible text, each found in 2 to 20 documents' visible text."""
    df = Counter()
    texts = {}
    for doc_id, title, text in collection.documents:
        texts[doc_id] = visible(text).lower()
        df.update(set(RARE_WORD.findall(f"{title.lower()}\n{texts[doc_id]}")))
    rng = random.Random(f"{SEED}-rare")
    eligible = []
    for post in collection.posts:
        rare = sorted({w for w in RARE_WORD.findall(texts[post]) if 2 <= df[w] <= 20})
        if len(rare) >= 4:
            eligible.append((post, rare))
    chosen = rng.sample(eligible, min(n, len(eligible)))
    return [Query(tuple(query_words(" ".join(rng.sample(rare, 4)))), "or", frozenset([post])) for post, rare in chosen]


def query_sets(collection: Collection, n: int) -> dict[str, list[Query]]:
    titles = {doc_id: title for doc_id, title, _ in collection.documents}
    headlines = sample(unique_titles(collection.bbc, titles), "bbc", n)
    blog = sample(unique_titles(collection.posts, titles), "blog", n)
    families = defaultdict(list)
    for post in collection.posts:
        families[twin_key(post)].append(post)
    with_twins = [p for p in collection.posts if len(families[twin_key(p)]) > 1 and query_words(titles[p])]
    twins = sample(with_twins, "twins", n)

    def by_title(ids, mode):
        return [Query(tuple(query_words(titles[i])), mode, frozenset([i])) for i in ids]

    return {
        "1 BBC headline, all words": by_title(headlines, "and"),
        "2 blog title, all words": by_title(blog, "and"),
        "3 four rare body words, any": rare_word_queries(collection, n),
        "4a BBC headline, any word": by_title(headlines, "or"),
        "4b blog title, any word": by_title(blog, "or"),
        "5 title → translation, any": [
            Query(tuple(query_words(titles[p])), "or", frozenset(t for t in families[twin_key(p)] if t != p), exclude=p)
            for p in twins
        ],
    }


class NewsSearch:
    """The product: ``run_index`` on the archive's stories and posts, ``SearchEngine.search``."""

    name = "news-search"

    def __init__(self, workdir: Path, archive: Path):
        self.workdir = workdir
        self.archive = archive
        self.notes: list[str] = []

    def build(self, documents) -> int:
        from indexer.store.indexing import run_index
        from search.engine import SearchEngine

        # Only the stories and posts: the archive's gold.json is no article.
        root = self.workdir / "archive"
        root.mkdir(parents=True)
        (root / "bbc").symlink_to(self.archive / "bbc", target_is_directory=True)
        (root / "geopolitics.jsonl").symlink_to(self.archive / "geopolitics.jsonl")
        summary = run_index([root], self.workdir / "index")
        problems = list(getattr(summary, "problems", []) or [])
        warnings = list(getattr(summary, "warnings", []) or [])
        if problems:
            self.notes.append(f"{len(problems)} refused, first: {problems[0]}")
        if warnings:
            self.notes.append(f"{len(warnings)} warnings, first: {warnings[0]}")
        self.engine = SearchEngine(self.workdir / "index")
        return getattr(summary, "documents", 0)

    def search(self, words: list[str], mode: str, limit: int) -> list[str]:
        from search.engine import SearchRequest

        text = (" " if mode == "and" else " OR ").join(words)
        # articles ranked one by one, as the baselines rank them: copies of one story (a
        # post and its translation) are not collapsed into one hit here
        result = self.engine.search(SearchRequest(text, limit=limit, facets=False, collapse=False))
        return [hit["id"] for hit in result["hits"]]

    def close(self) -> None:
        pass


def evaluate(engine, queries: list[Query], known: set[str], unknown: Counter) -> Scores:
    """Score ``engine`` on ``queries``; a query that raises counts as a miss."""
    scores = Scores(n=len(queries))
    start = time.perf_counter()
    for query in queries:
        limit = TOP + (1 if query.exclude else 0)
        try:
            ids = engine.search(list(query.words), query.mode, limit)
        except Exception as exc:  # the engine under test may fail on a query: count it, go on
            scores.errors += 1
            if not scores.first_error:
                scores.first_error = f"{' '.join(query.words)!r}: {exc}"
            continue
        ids = [i for i in ids if i != query.exclude][:TOP]
        unknown.update(i for i in ids if i not in known)
        if not ids:
            scores.empty += 1
        for rank, doc_id in enumerate(ids, 1):
            if doc_id in query.targets:
                scores.reciprocal += 1 / rank
                scores.at1 += rank == 1
                scores.at10 += 1
                break
    scores.seconds = time.perf_counter() - start
    return scores


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def run(data: Path, per_set: int, workdir: Path) -> None:
    from relevance_baselines import BASELINES, Fts5Baseline, build_timed

    archive = data / "archive"
    collection = load_archive(archive)
    known = {doc_id for doc_id, _, _ in collection.documents}
    print(f"== archive {archive}: {len(collection.bbc)} BBC stories, {len(collection.posts)} blog posts")
    sets = query_sets(collection, per_set)
    for name, queries in sets.items():
        print(f"  query set {name}: {len(queries)} queries")

    engines = [NewsSearch(workdir / "news-search", archive)]
    for cls in BASELINES:
        if cls is Fts5Baseline and not Fts5Baseline.available():
            print("  SQLite FTS5: not available in this Python's sqlite3, left out")
            continue
        engines.append(cls(workdir / cls.__name__))

    print("== indexing (the same documents, title and text)")
    results: dict[str, dict[str, Scores]] = {}
    timings = []
    for engine in engines:
        try:
            count, seconds = build_timed(engine, collection.documents)
        except Exception as exc:  # an engine that cannot index is reported and left out
            print(f"  {engine.name}: could not index: {exc}")
            continue
        timings.append((engine.name, count, seconds))
        print(f"  {engine.name}: {count} documents in {seconds:.1f} s")
        for note in getattr(engine, "notes", []):
            print(f"    {note}")
        unknown = Counter()
        results[engine.name] = {name: evaluate(engine, queries, known, unknown) for name, queries in sets.items()}
        engine.close()
        if unknown:
            print(f"    {sum(unknown.values())} results with an id not in the archive, e.g. {next(iter(unknown))!r}")
        for name, scores in results[engine.name].items():
            if scores.errors:
                print(f"    {name}: {scores.errors} queries failed, first: {scores.first_error}")

    print("== ranking (MRR@10, success@1, success@10, no result, errors)")
    rows = []
    for name, queries in sets.items():
        for engine_name, by_set in results.items():
            rows.append([name, str(len(queries)), engine_name, *by_set[name].row()])
    print(
        markdown(["query set", "queries", "engine", "MRR@10", "success@1", "success@10", "no result", "errors"], rows)
    )
    print()
    print(
        markdown(
            ["engine", "documents", "indexing", "all queries"],
            [[n, str(c), f"{s:.1f} s", f"{sum(x.seconds for x in results[n].values()):.1f} s"] for n, c, s in timings],
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--per-set", type=int, default=PER_SET, help="queries per query set")
    parser.add_argument("--keep", type=Path, default=None, help="build the indexes in DIR and keep them")
    args = parser.parse_args()
    if not (args.data / "archive" / "geopolitics.jsonl").is_file():
        parser.error(f"{args.data / 'archive'}: no archive there (bbc/ and geopolitics.jsonl)")
    for path in (str(ROOT), str(HERE)):
        if path not in sys.path:
            sys.path.insert(0, path)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=False)
        run(args.data.resolve(), args.per_set, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="news-search-relevance-") as tmp:
            run(args.data.resolve(), args.per_set, Path(tmp))


if __name__ == "__main__":
    main()
