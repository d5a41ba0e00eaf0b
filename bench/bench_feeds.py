"""Feeds: the matches the latest runs added or changed, against the newest-dated matches.

Times :func:`search.latest.latest_hits` (what ``/feed.atom`` serves: the search's matches,
the change log read backwards, the ids mapped to documents, the hits built) against the
baseline in the same run: the same search sorted by date (what a feed served before), with
the same number of hits and no facets. Both build the same number of snippets; the
difference is the change log's reading and the mapping of its ids.

    python bench/bench_feeds.py --index /tmp/archive-index     # an existing index
    python bench/bench_feeds.py --index IDX --repeat 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.engine import SearchEngine, SearchRequest  # noqa: E402
from search.latest import latest_hits  # noqa: E402
from search.settings import FEED_ENTRIES  # noqa: E402

SEARCHES = [("", []), ("Russia", []), ("the", []), ("", ["NATO"]), ("election OR vote", [])]


def timed(func, repeat: int) -> float:
    func()  # warm: the searcher, its columns, the id map
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    engine = SearchEngine(args.index)
    print(f"{'search':28} {'by date (ms)':>13} {'latest (ms)':>12}")
    for text, actors in SEARCHES:
        request = SearchRequest(text, actors, sort="date", limit=FEED_ENTRIES, facets=False)
        base = timed(lambda r=request: engine.search(r), args.repeat)
        latest = timed(lambda r=request: latest_hits(engine, r, FEED_ENTRIES), args.repeat)
        label = " ".join([repr(text), *(f"--actor {a}" for a in actors)])
        print(f"{label:28} {base:13.1f} {latest:12.1f}")


if __name__ == "__main__":
    main()
