"""Evaluate the actors of an archive: recall of a hand-checked list, precision of the top
discovered actors, and the speed of ingest with and without discovery.

    python bench/eval_actors.py [ARCHIVE] [--index DIR] [--list CSV] [--top N]

ARCHIVE defaults to ``../shared/data/archive``; the archive is indexed into a temporary
folder unless ``--index`` names an index of it. The list (``bench/data/actors-checked.csv``)
holds people and organisations the archive names most, with their spellings, and
frequent capitalised phrases that are not actors. It prints:

* recall: the listed actors found as one actor (the alias table's, or discovered and named
  in enough articles) under which every listed spelling the index knows is merged; those
  found under several actors (spellings not merged) and those missing, by name;
* the discovered actors by type, and the top N (default 100) by articles, each marked
  ``x`` when the list says it is not an actor: precision is the share not marked;
* ingest on one core (this process, no workers): MB/s of article text with and without
  discovery, over the same articles, by the process's CPU time (so that other programs on
  the machine do not count), and the time elapsed.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.article import Article  # noqa: E402
from indexer.ingest.naming import name_key  # noqa: E402
from indexer.ingest.pipeline import Pipeline  # noqa: E402
from indexer.ingest.readers import read_paths  # noqa: E402
from indexer.store.indexing import run_index  # noqa: E402
from search.engine import SearchEngine  # noqa: E402

DEFAULT_LIST = ROOT / "bench" / "data" / "actors-checked.csv"


def read_list(path: Path) -> list[tuple[str, str, list[str]]]:
    rows = []
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    for row in csv.DictReader(lines):
        rows.append((row["kind"], row["name"], [s.strip() for s in row["spellings"].split(";") if s.strip()]))
    return rows


def actor_of(engine: SearchEngine, spelling: str) -> str | None:
    return engine.table.resolve(spelling, names_only=True) or engine.discovered.resolve(spelling)


def recall(engine: SearchEngine, rows, counts: dict[str, int]) -> None:
    actors = [(name, spellings) for kind, name, spellings in rows if kind != "not-actor"]
    found, split, missing = [], [], []
    for name, spellings in actors:
        got = {s: actor_of(engine, s) for s in spellings}
        names = {a for a in got.values() if a and counts.get(a, 0) > 0}
        if not names:
            missing.append(name)
        elif len(names) > 1:
            split.append(f"{name} ({', '.join(sorted(names))})")
        else:
            found.append(name)
    share = len(found) / len(actors)
    print(f"== recall: {len(found)} of {len(actors)} listed actors found under one name ({share:.1%})")
    print(f"  found under several names: {len(split)}" + (f": {'; '.join(split)}" if split else ""))
    print(f"  missing: {len(missing)}" + (f": {'; '.join(missing)}" if missing else ""))


def precision(engine: SearchEngine, rows, counts: dict[str, int], top: int) -> None:
    discovered = engine.discovered
    print(f"== discovered actors: {len(discovered)}; by type: {dict(Counter(discovered.actors.values()))}")
    wrong = {name_key(s) for kind, _, spellings in rows if kind == "not-actor" for s in spellings}
    ranked = sorted(discovered.actors, key=lambda n: (-counts.get(n, 0), n))[:top]
    bad = [n for n in ranked if any(name_key(s) in wrong for s in [n, *discovered.spellings[n][:3]])]
    print(
        f"== top {len(ranked)} discovered: {len(bad)} not actors by the list, precision {1 - len(bad) / max(1, len(ranked)):.0%}"
    )
    for name in ranked:
        mark = "x" if name in bad else " "
        others = [s for s in discovered.spellings[name] if s != name][:3]
        print(
            f"  {mark} {counts.get(name, 0):4d} {discovered.actors[name]:<12} {name}"
            + (f"  ({'; '.join(others)})" if others else "")
        )


def speed(archive: Path, limit_mb: float) -> None:
    articles: list[Article] = []
    size = 0
    for item in read_paths([archive]):
        if isinstance(item, Article):
            articles.append(item)
            size += len((item.text or item.html or "").encode("utf-8"))
            if size > limit_mb * 1e6:
                break
    print(f"== ingest on one core, {len(articles):,} articles, {size / 1e6:.1f} MB")
    for label, discover in (("without discovery", False), ("with discovery", True)):
        pipeline = Pipeline(discover=discover)
        pipeline.process(articles[0])  # loaded, warm
        start, cpu = time.perf_counter(), time.process_time()
        for article in articles:
            pipeline.process(article)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"  {label}: {size / 1e6 / cpu:.2f} MB/s of CPU time ({cpu:.1f} s; {seconds:.1f} s elapsed)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ROOT.parent / "shared" / "data" / "archive")
    parser.add_argument("--index", type=Path, default=None, help="an index of the archive (else one is built)")
    parser.add_argument("--list", type=Path, default=DEFAULT_LIST)
    parser.add_argument("--top", type=int, default=100)
    parser.add_argument("--speed-mb", type=float, default=20.0, help="MB of articles to time ingest on")
    args = parser.parse_args()
    rows = read_list(args.list)
    with tempfile.TemporaryDirectory() as tmp:
        index = args.index
        if index is None:
            index = Path(tmp) / "index"
            start = time.perf_counter()
            summary = run_index([args.archive], index)
            print(f"== indexed {summary.documents:,} articles in {time.perf_counter() - start:.1f} s")
        engine = SearchEngine(index)
        counts = engine.actor_counts()
        recall(engine, rows, counts)
        precision(engine, rows, counts, args.top)
    speed(args.archive, args.speed_mb)


if __name__ == "__main__":
    main()
