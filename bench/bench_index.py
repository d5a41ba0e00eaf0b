"""Benchmark ``news-search index`` against plain Whoosh, on synthetic or real corpora.

    python bench/bench_index.py [--articles N ...] [--corpus PATH ...] [--jsonl-gb GB] [--workdir DIR]

For each N (default 20000 when nothing else is asked) it makes a deterministic synthetic
corpus (bench/synthetic.py); for each ``--corpus`` (a folder, such as the archive in
``../shared/data/archive``, or one file, such as its ``geopolitics.jsonl``) it takes the
corpus as it is. For each it prints, in one run:

* ``news-search index``, end to end (cleaning, languages, dates, actors, several fields,
  worker processes): MB/s of input and articles/s, peak memory (see :class:`Memory`: the
  private memory of the largest process and of the whole process tree, and the largest
  resident size with mapped files), index size;
* a second run with nothing changed: its time;
* the same indexing with the grouping of copies of one story turned off
  (``NEWS_SEARCH_STORIES=0``), into another folder, right after, then with grouping again
  (so that each order is measured once): the speeds with grouping as shares of the speed
  without (the target is at least 0.9); the grouping's own seconds in the indexer's process,
  from the index's record;
* the baseline on the same files: plain Whoosh, one ``StemmingAnalyzer`` field, one writer,
  no ingest (each file's text, or each JSON record's title and text, read and added as it
  is): MB/s and articles/s.

``--repeat N`` runs the pair (a fresh index, then the baseline) N more times, in turn, and
prints each ratio and their median: on a shared machine one pair can meet a busy moment
the other did not. Each run of ``news-search index`` also says how many cores it kept busy
(its processes' CPU time over its wall time).

``--jsonl-gb GB`` writes one JSON-lines file of about GB gigabytes of records made by the
synthetic generator, indexes it (time, MB/s, peak memory), appends 1% new records and
indexes again: the time of that run against the first. (No baseline: at its speed it would
take longer than the rest.)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realdata import corpus_bytes, corpus_texts  # noqa: E402
from synthetic import MONTHS, ROOT, VERBS, make_corpus, sample_paragraphs  # noqa: E402


class Memory:
    """Peak memory of an indexing run's process tree, sampled.

    Private memory is anonymous memory (what the processes allocated, which the system
    cannot drop without swap): for the largest process its resident anonymous memory
    (RssAnon), and for all processes together the sum of their proportional shares of it
    (Pss_Anon: a page that forked workers still share with the indexer counts once, not
    once per process). The resident high-water mark (VmHWM) adds the file pages a
    process has mapped (an index's files read through ``mmap``), which the kernel may drop
    at will.
    """

    def __init__(self):
        self.private_largest = self.private_total = self.resident_largest = 0
        self.cpu_seconds = 0.0

    def sample(self, pid: int) -> None:
        total = 0
        pids = [pid]
        while pids:
            p = pids.pop()
            try:
                status = _fields(f"/proc/{p}/status", ("RssAnon", "VmHWM"))
                rollup = _fields(f"/proc/{p}/smaps_rollup", ("Pss_Anon",))
                with open(f"/proc/{p}/task/{p}/children") as f:
                    pids.extend(int(c) for c in f.read().split())
            except (OSError, ValueError):
                continue
            total += rollup.get("Pss_Anon", status.get("RssAnon", 0))
            self.private_largest = max(self.private_largest, status.get("RssAnon", 0))
            self.resident_largest = max(self.resident_largest, status.get("VmHWM", 0))
        self.private_total = max(self.private_total, total)

    def __str__(self) -> str:
        return (
            f"peak memory: {self.private_largest / 1e6:,.0f} MB largest process, "
            f"{self.private_total / 1e6:,.0f} MB all processes (private); "
            f"{self.resident_largest / 1e6:,.0f} MB largest resident, mapped files included"
        )


def _fields(path: str, keys: tuple[str, ...]) -> dict[str, int]:
    """Some ``Key:  N kB`` lines of a /proc file, in bytes."""
    out = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in keys:
                out[key] = int(value.split()[0]) * 1024
    return out


def run_indexer(corpus: Path, index: Path, grouping: bool = True) -> tuple[float, Memory, str]:
    """Run ``news-search index``; return seconds, peak memory, summary."""
    cmd = [sys.executable, "-m", "search.cli", "index", str(corpus), "--index", str(index), "--quiet"]
    env = dict(os.environ, NEWS_SEARCH_STORIES="1" if grouping else "0")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    memory = Memory()

    def sample():
        while proc.poll() is None:
            memory.sample(proc.pid)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the indexer and its workers (waited for, so counted): what other programs on
    # a shared machine do not change as much as the time elapsed
    memory.cpu_seconds = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"news-search index failed ({proc.returncode}): {err.strip()[-500:]}")
    refused = [line for line in err.splitlines() if "refused" in line]
    busy = f"{memory.cpu_seconds / seconds:.2f} cores busy" if seconds else ""
    return seconds, memory, f"{documents(index):,} articles in the index, {len(refused)} refused; {busy}"


def documents(index: Path) -> int:
    """The number of articles in the index, as ``news-search stats`` counts them."""
    cmd = [sys.executable, "-m", "search.cli", "stats", "--index", str(index), "--format", "json"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(out)["articles"]


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
    for ident, text in corpus_texts(corpus):
        writer.add_document(path=ident, content=text)
        count += 1
    writer.commit()
    return time.perf_counter() - start, count


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(label: str, corpus: Path, nbytes: int, index: Path, base: Path, repeat: int = 0) -> None:
    """Index ``corpus`` twice, then the baseline; print the figures; then ``repeat`` more
    pairs of a fresh index and the baseline, in turn."""
    mb = nbytes / 1e6
    print(f"== {label}, {mb:.1f} MB of text ({os.cpu_count()} cores)")
    seconds, memory, summary = run_indexer(corpus, index)
    n = int(re.match(r"[\d,]+", summary).group().replace(",", ""))
    print(f"  news-search index:  {mb / seconds:.2f} MB/s, {n / seconds:,.0f} articles/s ({seconds:.1f} s)")
    print(f"    {memory}")
    print(f"    index size: {size_of(index) / 1e6:.0f} MB; {summary}")
    grouping = json.loads((index / "news-search.json").read_text())["last_run"].get("grouping_seconds", 0.0)
    again, _, summary = run_indexer(corpus, index)
    print(f"  second run, nothing changed: {again:.2f} s ({summary})")
    alone, again_dir = index.with_name(index.name + "-no-grouping"), index.with_name(index.name + "-again")
    for path in (alone, again_dir):
        shutil.rmtree(path, ignore_errors=True)
    off, off_memory, _ = run_indexer(corpus, alone, grouping=False)
    on, on_memory, _ = run_indexer(corpus, again_dir, grouping=True)  # after it, against the order's bias
    for path in (alone, again_dir):
        shutil.rmtree(path, ignore_errors=True)
    print(
        f"  without grouping into stories: {mb / off:.2f} MB/s ({off:.1f} s); with grouping, run again after it: "
        f"{on:.1f} s; with grouping: {off / seconds:.2f}x and {off / on:.2f}x its speed (the first run, the "
        f"run after it; grouping itself: {grouping:.2f} s in the indexer's process, first run)"
    )
    print(
        f"    CPU time (indexer and workers): {memory.cpu_seconds:.1f} s with grouping, {off_memory.cpu_seconds:.1f} s "
        f"without, {on_memory.cpu_seconds:.1f} s with again: with grouping "
        f"{off_memory.cpu_seconds / memory.cpu_seconds:.2f}x and {off_memory.cpu_seconds / on_memory.cpu_seconds:.2f}x "
        f"the speed without, by CPU"
    )
    b_seconds, count = baseline(corpus, base)
    print(
        f"  baseline, plain Whoosh (one StemmingAnalyzer field, one writer, no ingest): "
        f"{mb / b_seconds:.2f} MB/s, {count / b_seconds:,.0f} articles/s ({b_seconds:.1f} s, {count:,} articles)"
    )
    print(f"  news-search index / baseline: {b_seconds / seconds:.2f}x the baseline's MB/s")
    ratios = [b_seconds / seconds]
    for i in range(repeat):
        shutil.rmtree(index)
        shutil.rmtree(base)
        seconds, _, summary = run_indexer(corpus, index)
        b_seconds, _ = baseline(corpus, base)
        ratios.append(b_seconds / seconds)
        print(
            f"  pair {i + 2}: news-search {seconds:.1f} s ({summary.split('; ')[-1]}), "
            f"baseline {b_seconds:.1f} s: {ratios[-1]:.2f}x"
        )
    if repeat:
        print(f"  median of {len(ratios)} pairs: {statistics.median(ratios):.2f}x the baseline's MB/s")


def bench(n: int, workdir: Path, repeat: int = 0) -> None:
    corpus, index, base = workdir / f"corpus-{n}", workdir / f"index-{n}", workdir / f"baseline-{n}"
    for path in (corpus, index, base):
        shutil.rmtree(path, ignore_errors=True)
    nbytes = make_corpus(corpus, n)
    measure(f"{n:,} synthetic articles", corpus, nbytes, index, base, repeat)


def bench_corpus(corpus: Path, workdir: Path, repeat: int = 0) -> None:
    name = re.sub(r"\W+", "-", corpus.name)
    index, base = workdir / f"index-{name}", workdir / f"baseline-{name}"
    for path in (index, base):
        shutil.rmtree(path, ignore_errors=True)
    measure(f"{corpus}", corpus, corpus_bytes(corpus), index, base, repeat)


def synthetic_records(start: int, seed: int = 7):
    """Endless JSON-lines records from the synthetic generator, ids from ``start`` on:
    the generated lead as title and first paragraph, sample paragraphs after it, a
    metadata date for most and a dateline in the text for every fifth."""
    from indexer.ingest.actors import load_table

    rng = random.Random(seed * 1_000_003 + start)
    paragraphs = sample_paragraphs()
    table = load_table()
    people = [name for name, kind in table.actors.items() if kind == "person"]
    places = [name for name, kind in table.actors.items() if kind in ("country", "place")]
    first = datetime.date(2019, 1, 1)
    i = start
    while True:
        day = first + datetime.timedelta(days=rng.randrange(7 * 365))
        a, b = rng.sample(people, 2)
        lead = f"{a} {rng.choice(VERBS)} {b} in {rng.choice(places)} about {rng.choice(places)}."
        body = "\n\n".join([lead, *rng.sample(paragraphs, rng.randint(3, 7))])
        record = {"id": f"synthetic/{i:09d}", "title": lead, "text": body}
        if i % 5:
            record["date"] = day.isoformat()
        else:
            record["text"] = f"{day.day} {MONTHS[day.month - 1]} {day.year}\n\n" + body
        yield record
        i += 1


def write_jsonl(path: Path, nbytes: int, start: int = 0, mode: str = "w") -> tuple[int, int]:
    """Write (or append) synthetic records until ``nbytes``; return records and bytes."""
    count = written = 0
    with open(path, mode, encoding="utf-8") as f:
        for record in synthetic_records(start):
            line = json.dumps(record, ensure_ascii=False) + "\n"
            f.write(line)
            count += 1
            written += len(line.encode("utf-8"))
            if written >= nbytes:
                break
    return count, written


def bench_jsonl(gb: float, workdir: Path) -> None:
    """One large JSON-lines file: first run, then a run after appending 1% new records."""
    folder, index = workdir / f"jsonl-{gb}", workdir / f"index-jsonl-{gb}"
    for path in (folder, index):
        shutil.rmtree(path, ignore_errors=True)
    folder.mkdir(parents=True)
    corpus = folder / "synthetic.jsonl"
    count, nbytes = write_jsonl(corpus, int(gb * 1e9))
    mb = nbytes / 1e6
    print(f"== one JSON-lines file of {count:,} synthetic records, {mb:,.1f} MB ({os.cpu_count()} cores)")
    seconds, memory, summary = run_indexer(corpus, index)
    print(f"  news-search index:  {mb / seconds:.2f} MB/s, {count / seconds:,.0f} records/s ({seconds:.1f} s)")
    print(f"    {memory}")
    print(f"    index size: {size_of(index) / 1e6:.0f} MB; {summary}")
    added, extra = write_jsonl(corpus, nbytes // 100, start=count, mode="a")
    again, memory_again, summary = run_indexer(corpus, index)
    print(
        f"  after appending {added:,} records ({extra / 1e6:.1f} MB, 1%): {again:.1f} s, "
        f"{again / seconds:.1%} of the first run ({summary})"
    )
    print(f"    {memory_again}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles",
        type=int,
        nargs="+",
        default=None,
        help="synthetic corpora of N articles [default: 20000 if nothing else is asked]",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        nargs="+",
        default=[],
        help="real corpora: folders or files (e.g. ../shared/data/archive)",
    )
    parser.add_argument(
        "--jsonl-gb", type=float, default=None, help="one generated JSON-lines file of about this many GB"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="kept after the run if given")
    parser.add_argument(
        "--repeat", type=int, default=0, help="N more pairs of a fresh index and the baseline, in turn [default: 0]"
    )
    args = parser.parse_args()
    for corpus in args.corpus:
        if not corpus.exists():
            parser.error(f"--corpus: {corpus} does not exist")
    articles = args.articles if args.articles is not None else ([] if args.corpus or args.jsonl_gb else [20000])

    def run(workdir: Path) -> None:
        for n in articles:
            bench(n, workdir, args.repeat)
        for corpus in args.corpus:
            bench_corpus(corpus.resolve(), workdir, args.repeat)
        if args.jsonl_gb:
            bench_jsonl(args.jsonl_gb, workdir)

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="news-search-bench-") as tmp:
            run(Path(tmp))


if __name__ == "__main__":
    main()
