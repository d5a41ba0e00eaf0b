"""Alerts: matching one indexing run's new articles against many saved searches.

Builds (or reuses, with ``--workdir``) an index of ``--articles`` synthetic articles
(``bench/synthetic.py``), saves ``--searches`` searches of every kind (words, phrases,
prefixes, OR and NOT, actors, languages, dates), indexes ``--new`` more articles in one
run, and times ``news-search alerts``' matching (``search.alerts.new_matches``: the change
log read, the new articles' document numbers found, every saved search matched against
them) against the baseline in the same run: each saved search evaluated over the whole
archive as a search does (without facets or snippets), its matches kept if new. Both must find the same
matches. Target: 1,000 new articles against 200 saved searches on 100,000 articles in
under 2 s.

    python bench/bench_alerts.py                       # 100,000 articles (indexing takes a while)
    python bench/bench_alerts.py --articles 5000       # a quick run
    python bench/bench_alerts.py --optimized           # also with the new articles inside one big segment
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import make_corpus  # noqa: E402
from indexer.ingest.actors import load_table  # noqa: E402
from indexer.store import changelog  # noqa: E402
from indexer.store.indexing import run_index  # noqa: E402
from search.alerts import add_hits, new_matches  # noqa: E402
from search.engine import SearchEngine, SearchRequest  # noqa: E402
from search.querying import QueryError  # noqa: E402
from search.settings import QUERY_SECONDS  # noqa: E402
from search.watches import SavedSearch  # noqa: E402

WORDS = [
    "peace",
    "security",
    "border",
    "talks",
    "agreement",
    "minister",
    "sanctions",
    "corridor",
    "sécurité",
    "accord",
    "frontière",
    "Kremlin",
    "troops",
    "election",
]
PHRASES = ['"peace agreement"', '"prime minister"', '"porte-parole"', '"humanitarian aid"']
PREFIXES = ["negoti*", "milit*", "diplom*", "sécur*"]


def saved_searches(n: int, seed: int = 3) -> list[SavedSearch]:
    """``n`` saved searches of every kind a user saves, the same for the same seed."""
    rng = random.Random(seed)
    table = load_table()
    actors = sorted(table.actors)
    single = [name for name in actors if " " not in name]
    out = []
    for i in range(n):
        kind = i % 8
        actor = [rng.choice(actors)]
        if kind == 0:
            s = SavedSearch(f"s{i}", f"{rng.choice(WORDS)} {rng.choice(WORDS)}")
        elif kind == 1:
            s = SavedSearch(f"s{i}", rng.choice(WORDS), actors=actor)
        elif kind == 2:
            s = SavedSearch(f"s{i}", rng.choice(PHRASES))
        elif kind == 3:
            s = SavedSearch(f"s{i}", f"{rng.choice(PREFIXES)} {rng.choice(WORDS)}")
        elif kind == 4:
            s = SavedSearch(f"s{i}", f"{rng.choice(WORDS)} OR {rng.choice(WORDS)} NOT {rng.choice(WORDS)}")
        elif kind == 5:
            s = SavedSearch(f"s{i}", "", actors=[*actor, rng.choice(actors)])
        elif kind == 6:
            s = SavedSearch(f"s{i}", rng.choice(WORDS), lang="fr", since=f"{rng.randint(2019, 2024)}")
        else:
            s = SavedSearch(f"s{i}", f"actor:{rng.choice(single)} {rng.choice(WORDS)}")
        out.append(s)
    return out


def timed(func, *args):
    start = time.perf_counter()
    value = func(*args)
    return value, time.perf_counter() - start


def cpu_timed(func, *args):
    """The value, the wall-clock seconds and the CPU seconds of this process (on a
    shared machine the first includes waiting for a core)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = func(*args)
    return value, time.perf_counter() - start, time.process_time() - cpu


def baseline(engine: SearchEngine, searches: list[SavedSearch], new: set[int]) -> dict[str, set[int] | None]:
    """Each saved search evaluated over the whole archive (as a search does, without
    facets or snippets), its matches among the new documents kept (None: refused)."""
    searcher, columns = engine.searcher()
    found = {}
    for s in searches:
        try:
            main = engine.builder.parse(s.query)
            docnums, _ = engine._match(searcher, main, engine.filters(s.request(), searcher), columns)
        except QueryError:  # refused: too broad for the search's time limit (or not valid)
            found[s.name] = None
            continue
        found[s.name] = set(np.asarray(docnums).tolist()) & new
    return found


def bench(workdir: Path, articles: int, new: int, searches: int, rounds: int, optimized: bool) -> None:
    corpus, index = workdir / f"corpus-{articles}", workdir / f"index-{articles}"
    if not corpus.exists():
        make_corpus(corpus, articles)
    fresh = corpus / "zz-new"
    if fresh.exists():  # a previous round's new articles: out of the index again
        shutil.rmtree(fresh)
    start = time.perf_counter()
    summary = run_index([corpus], index)
    print(f"== {articles:,} synthetic articles: indexing took {time.perf_counter() - start:.0f} s ({summary.line()})")
    saved = saved_searches(searches)
    mark = changelog.sequence(index)
    for s in saved:
        s.read = mark
    make_corpus(fresh, new, seed=11)
    start = time.perf_counter()
    summary = run_index([corpus], index)
    print(f"  a run adding {new:,} articles: {time.perf_counter() - start:.1f} s ({summary.line()})")
    upto = changelog.sequence(index)
    new_ids = {i for i, _ in changelog.since(index, mark, upto)}
    print(f"  the change log lists {len(new_ids):,} new articles after sequence {mark}")

    measure(index, saved, upto, new_ids, rounds)
    if optimized:
        start = time.perf_counter()
        run_index([corpus], index, optimize=True)
        print(f"  --optimized: the index merged into one segment in {time.perf_counter() - start:.0f} s")
        measure(index, saved, upto, new_ids, rounds)


def measure(index: Path, saved: list[SavedSearch], upto: int, new_ids: set[str], rounds: int) -> None:
    segments = len(SearchEngine(index).searcher()[0].leaf_searchers())
    print(f"  the index has {segments} segment{'s' if segments != 1 else ''}")
    cold_engine, opening, opening_cpu = cpu_timed(SearchEngine, index)
    alerts, cold, cold_cpu = cpu_timed(new_matches, cold_engine, saved, upto, 100, False)
    cold, cold_cpu = cold + opening, cold_cpu + opening_cpu
    warm, warm_cpu = [], []
    for _ in range(rounds):
        alerts, seconds, cpu = cpu_timed(new_matches, cold_engine, saved, upto, 100, False)
        warm.append(seconds)
        warm_cpu.append(cpu)
    errors = [a for a in alerts if a.error]
    total = sum(a.total for a in alerts)
    print(
        f"  matching {len(saved)} saved searches x {len(new_ids):,} new articles: {cold:.2f} s ({cold_cpu:.2f} s of CPU) "
        f"with a new engine (opening the index), {statistics.median(warm):.2f} s ({statistics.median(warm_cpu):.2f} s "
        f"of CPU) warm (median of {rounds}); "
        f"{total:,} matches in {sum(1 for a in alerts if a.total)} searches, {len(errors)} refused"
    )
    shown = sum(len(a.shown) for a in alerts)
    _, rendering = timed(add_hits, cold_engine, alerts)
    print(f"  then their hits, with snippets ({shown:,}, at most 100 a search): {rendering:.2f} s")
    engine = SearchEngine(index)
    engine.search(SearchRequest("warm up"))
    searcher = engine.searcher()[0]
    new_docnums = {searcher.document_number(id=i) for i in new_ids}
    found, full, full_cpu = cpu_timed(baseline, engine, saved, new_docnums)
    print(
        f"  baseline, each saved search evaluated over the whole archive: {full:.2f} s ({full_cpu:.2f} s of CPU; "
        f"{full_cpu / max(statistics.median(warm_cpu), 1e-9):.1f}x the matching's CPU, warm)"
    )
    every = new_matches(cold_engine, saved, upto, 10**9, False)
    mine = {a.search.name: {d for d, _ in a.shown} for a in every}
    refused = [n for n in mine if found[n] is None]
    differ = [n for n in mine if found[n] is not None and mine[n] != found[n]]
    print(
        f"  same matches as the baseline: {'yes' if not differ else 'NO: ' + ', '.join(differ[:5])}"
        + (f" ({len(refused)} refused by the baseline as taking over {QUERY_SECONDS} s)" if refused else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="synthetic articles in the archive")
    parser.add_argument("--new", type=int, default=1_000, help="articles the measured run adds")
    parser.add_argument("--searches", type=int, default=200, help="saved searches")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--optimized",
        action="store_true",
        help="then merge the index into one segment (the new articles among all the others) and measure again",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="kept (and reused) if given")
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        bench(args.workdir, args.articles, args.new, args.searches, args.rounds, args.optimized)
    else:
        with tempfile.TemporaryDirectory(prefix="news-search-bench-") as tmp:
            bench(Path(tmp), args.articles, args.new, args.searches, args.rounds, args.optimized)


if __name__ == "__main__":
    main()
