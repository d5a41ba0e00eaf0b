"""Benchmark ``news-search index`` against plain Whoosh on a synthetic corpus.

    python bench/bench_index.py [--articles N ...] [--workdir DIR]

For each N (default 20000) it makes a deterministic synthetic corpus (bench/synthetic.py)
and prints, in one run:

* ``news-search index``, end to end (cleaning, languages, dates, actors, several fields,
  worker processes): MB/s of input and articles/s, peak memory (the largest process, and
  the whole process tree sampled), index size;
* a second run with nothing changed: its time;
* the baseline on the same files: plain Whoosh, one ``StemmingAnalyzer`` field, one writer,
  no ingest (the text is read and added as it is): MB/s and articles/s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import ROOT, make_corpus  # noqa: E402


def tree_rss(pid: int) -> int:
    """Resident memory of a process and its descendants, in bytes."""
    total = 0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{p}/task/{p}/children") as f:
                pids.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return total


def run_indexer(corpus: Path, index: Path) -> tuple[float, int, int, str]:
    """Run ``news-search index``; return seconds, peak tree RSS, peak process RSS, summary."""
    cmd = [sys.executable, "-m", "search.cli", "index", str(corpus), "--index", str(index)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"news-search index failed ({proc.returncode}): {err.strip()[-500:]}")
    import resource

    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return seconds, peak[0], largest, out.strip()


def baseline(corpus: Path, index: Path) -> tuple[float, int]:
    """Plain Whoosh: one StemmingAnalyzer field, one writer, no ingest."""
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(path=ID(stored=True, unique=True), content=TEXT(analyzer=StemmingAnalyzer()))
    index.mkdir(parents=True)
    ix = whoosh_index.create_in(str(index), schema)
    start = time.perf_counter()
    writer = ix.writer(limitmb=256)
    count = 0
    for path in sorted(corpus.rglob("*.txt")):
        writer.add_document(path=str(path), content=path.read_text(encoding="utf-8"))
        count += 1
    writer.commit()
    return time.perf_counter() - start, count


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bench(n: int, workdir: Path) -> None:
    corpus, index, base = workdir / f"corpus-{n}", workdir / f"index-{n}", workdir / f"baseline-{n}"
    for path in (corpus, index, base):
        shutil.rmtree(path, ignore_errors=True)
    nbytes = make_corpus(corpus, n)
    mb = nbytes / 1e6
    print(f"== {n:,} synthetic articles, {mb:.1f} MB of text ({os.cpu_count()} cores)")
    seconds, tree_peak, process_peak, summary = run_indexer(corpus, index)
    print(f"  news-search index:  {mb / seconds:.2f} MB/s, {n / seconds:,.0f} articles/s ({seconds:.1f} s)")
    print(f"    peak memory: {process_peak / 1e6:.0f} MB largest process, {tree_peak / 1e6:.0f} MB all processes")
    print(f"    index size: {size_of(index) / 1e6:.0f} MB; {summary}")
    again, _, _, summary = run_indexer(corpus, index)
    print(f"  second run, nothing changed: {again:.2f} s ({summary})")
    b_seconds, count = baseline(corpus, base)
    print(f"  baseline, plain Whoosh (one StemmingAnalyzer field, one writer, no ingest): "
          f"{mb / b_seconds:.2f} MB/s, {count / b_seconds:,.0f} articles/s ({b_seconds:.1f} s)")
    print(f"  news-search index / baseline: {b_seconds / seconds:.2f}x the baseline's MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[20000])
    parser.add_argument("--workdir", type=Path, default=None, help="kept after the run if given")
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        for n in args.articles:
            bench(n, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="news-search-bench-") as tmp:
            for n in args.articles:
                bench(n, Path(tmp))


if __name__ == "__main__":
    main()
