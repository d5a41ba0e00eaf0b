"""Benchmark queries with facets and snippets, against a naive Whoosh setup.

    python bench/bench_query.py [--articles N ...] [--corpus PATH ...] [--workdir DIR] [--rounds R]
                                [--baseline-rounds B]

For each N (default 20000 and 100000 when no ``--corpus`` is given) it builds the
synthetic corpus of bench/bench_index.py and its index; for each ``--corpus`` (a folder,
such as the archive in ``../shared/data/archive``, or one file) it indexes the corpus as
it is (indexes are kept in --workdir if given, and reused). Then it runs a fixed mix of
queries (words, phrases, prefixes, actor, date and language filters, broad and narrow,
three sorts; one mix for the synthetic corpora, one in general news words for real
ones), each with facets and 10 snippets, and prints p50/p95 latency:

* news-search's search function (facets from in-memory columns, snippets from stored
  paragraphs), after one warm-up query;
* the same queries on the same index through a naive Whoosh setup: ``DateRangeFacet`` by
  month over the index's years and ``FieldFacet`` on actors (plus languages and
  sources), and Whoosh's default highlighting of the stored text.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import ROOT, make_corpus  # noqa: E402

sys.path.insert(0, str(ROOT))
from indexer.store.indexing import run_index  # noqa: E402
from search.engine import SearchEngine, SearchRequest  # noqa: E402

MIX = [
    SearchRequest("Kremlin"),
    SearchRequest("Armenia security"),
    SearchRequest('"peace agreement"'),
    SearchRequest("Russia", sort="date"),
    SearchRequest("", actors=["Vladimir Putin"]),
    SearchRequest("ceasefire", actors=["Nikol Pashinyan"], since="2021-01", until="2022-06"),
    SearchRequest("", since="2024-03-01", until="2024-03-31"),
    SearchRequest(""),
    SearchRequest("Zangezur corridor"),
    SearchRequest("sécurité OR securite"),
    SearchRequest("Pashinyan Aliyev", sort="recent"),
    SearchRequest("peacekeep*"),
]

#: The same kinds of query for a real corpus, in words a general news archive holds.
REAL_MIX = [
    SearchRequest("government"),
    SearchRequest("election campaign"),
    SearchRequest('"prime minister"'),
    SearchRequest("Russia", sort="date"),
    SearchRequest("", actors=["Vladimir Putin"]),
    SearchRequest("economy", since="2014", until="2018"),
    SearchRequest("", lang="de"),
    SearchRequest(""),
    SearchRequest("music OR film"),
    SearchRequest("Europe OR Europa", sort="recent"),
    SearchRequest("sécurité OR securite"),
    SearchRequest("tech*"),
]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def ours(engine: SearchEngine, request: SearchRequest) -> None:
    engine.search(request)


def naive(engine: SearchEngine, request: SearchRequest) -> None:
    """The same search, done the obvious Whoosh way."""
    from whoosh import highlight, sorting

    searcher, _ = engine.searcher()
    main = engine.builder.parse(request.query)
    filt = engine.filters(request, searcher)
    first, last = _years(engine)
    facets = {
        "month": sorting.DateRangeFacet("date", datetime(first, 1, 1), datetime(last + 1, 1, 1), gap=_month()),
        "actor": sorting.FieldFacet("actors", allow_overlap=True),
        "language": sorting.FieldFacet("languages", allow_overlap=True),
        "source": sorting.FieldFacet("source"),
    }
    kwargs = {"sortedby": "date", "reverse": True} if request.sort == "date" or not request.query else {}
    results = searcher.search(main, filter=filt, limit=10, groupedby=facets, **kwargs)
    for name in facets:
        results.groups(name)
    results.fragmenter = highlight.ContextFragmenter()
    for hit in results:
        record = json.loads(hit["record"])
        text = "\n\n".join(p["text"] for p in record["paragraphs"])
        for field in ("text_en", "text_fr"):
            hit.highlights(field, text=text)


_YEARS: dict[str, tuple[int, int]] = {}


def _years(engine: SearchEngine) -> tuple[int, int]:
    """The first and last year of the index's dates (2019-2025 when it has none)."""
    key = str(engine.index_dir)
    if key not in _YEARS:
        stats = engine.stats()
        first, last = stats.get("first_month"), stats.get("last_month")
        _YEARS[key] = (int(first[:4]), int(last[:4])) if first and last else (2019, 2025)
    return _YEARS[key]


def _month():
    from whoosh.support.relativedelta import relativedelta

    return relativedelta(months=1)


def timed(func, engine, rounds: int, mix: list[SearchRequest]) -> list[float]:
    times = []
    for _ in range(rounds):
        for request in mix:
            start = time.perf_counter()
            func(engine, request)
            times.append((time.perf_counter() - start) * 1000)
    return times


def ensure_index(n: int, workdir: Path) -> Path:
    corpus, index = workdir / f"corpus-{n}", workdir / f"index-{n}"
    if not corpus.exists():
        make_corpus(corpus, n)
    if not any(index.glob("_*_*.toc")):
        print(f"  indexing {n:,} synthetic articles…", flush=True)
    run_index([corpus], index)
    return index


def ensure_corpus_index(corpus: Path, workdir: Path) -> Path:
    name = re.sub(r"\W+", "-", corpus.name)
    index = workdir / f"index-{name}"
    print(f"  indexing {corpus}…", flush=True)
    run_index([corpus], index)
    return index


def bench(label: str, index: Path, rounds: int, baseline_rounds: int, mix: list[SearchRequest]) -> None:
    engine = SearchEngine(index)
    start = time.perf_counter()
    engine.search(SearchRequest("warm up"))
    articles = engine.stats()["articles"]
    print(f"== {label} ({articles:,} articles), {len(mix)} queries x {rounds} rounds, facets and 10 snippets each")
    print(f"  first query (opens the index, loads facet columns): {(time.perf_counter() - start) * 1000:.0f} ms")
    mine = timed(ours, engine, rounds, mix)
    base = timed(naive, engine, baseline_rounds, mix)
    p50, p95 = percentile(mine, 50), percentile(mine, 95)
    b50, b95 = percentile(base, 50), percentile(base, 95)
    print(f"  news-search:  p50 {p50:.0f} ms, p95 {p95:.0f} ms (mean {statistics.mean(mine):.0f} ms)")
    print(f"  naive Whoosh: p50 {b50:.0f} ms, p95 {b95:.0f} ms (mean {statistics.mean(base):.0f} ms)")
    print(f"  speed-up: {b50 / p50:.1f}x at p50, {b95 / p95:.1f}x at p95")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles",
        type=int,
        nargs="+",
        default=None,
        help="synthetic corpora of N articles [default: 20000 100000 without --corpus]",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        nargs="+",
        default=[],
        help="real corpora: folders or files (e.g. ../shared/data/archive)",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="kept (and reused) if given")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--baseline-rounds",
        type=int,
        default=1,
        help="rounds of the naive setup (seconds per query at 100,000 articles)",
    )
    args = parser.parse_args()
    for corpus in args.corpus:
        if not corpus.exists():
            parser.error(f"--corpus: {corpus} does not exist")
    articles = args.articles if args.articles is not None else ([] if args.corpus else [20000, 100000])

    def run(workdir: Path) -> None:
        for n in articles:
            bench(f"{n:,} synthetic articles", ensure_index(n, workdir), args.rounds, args.baseline_rounds, MIX)
        for corpus in args.corpus:
            corpus = corpus.resolve()
            bench(str(corpus), ensure_corpus_index(corpus, workdir), args.rounds, args.baseline_rounds, REAL_MIX)

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="news-search-bench-") as tmp:
            run(Path(tmp))


if __name__ == "__main__":
    main()
