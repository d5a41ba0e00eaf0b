"""Load test of the search page: requests per second and latency for concurrent clients.

    python bench/bench_web.py [--articles N] [--clients C] [--requests R] [--workdir DIR]
                              [--workers W] [--hostile-only]

It builds (or reuses, in --workdir) the synthetic corpus and index of bench/bench_index.py,
starts ``news-search serve`` on 127.0.0.1 on a free port, and has C client threads
(default 20) each fetch R pages (default 25) of the search page, cycling through the query
mix of bench/bench_query.py as URLs (words, phrases, actor and date filters, sorts, later
pages), every page with facets, the time chart and 20 snippets. As a baseline, the same
server first answers the mix one request at a time. It prints requests per second,
p50/p95/max latency and the failures (any status but 200, or no answer within 30 s), the
ratio of the C clients' requests per second to one client's, and the cores the server
used (its CPU seconds per second, all its processes: about 1 at most for one process,
whose Python runs one thread at a time) beside the machine's load average, since other
work on the machine takes cores too. The server runs ``--workers`` processes (by default
its own default, one per core); ``--workers 1`` is the single-process server, for
comparison. Traffic goes to 127.0.0.1 only; the run is bounded by C x R requests and by
--max-seconds; it exits 1 if any request failed.

Then hostile queries (``*``, ``**``, ``???*``, ``[a TO z]``, ``*a*``): each is fetched
alone a few times (its status, 200 or 400, and its slowest time: each must take under a
second), and five clients fetch normal searches (``gold``-like words, a phrase, an actor)
first alone, then while one more client sends the hostile queries back to back: their
latency must stay what it was alone. ``--hostile-only`` runs this section only. The run
exits 1 if a request failed, a hostile query took a second or more, or a normal one
answered other than 200.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_query import MIX, ensure_index, percentile  # noqa: E402
from synthetic import ROOT  # noqa: E402


def urls() -> list[str]:
    """The query mix as search-page URLs, plus second pages and sorts."""
    out = []
    for request in MIX:
        params = [("q", request.query)] if request.query else []
        params += [("actor", a) for a in request.actors]
        params += [(k, v) for k, v in (("since", request.since), ("until", request.until)) if v]
        if request.sort != "relevance":
            params.append(("sort", request.sort))
        out.append("/?" + urlencode(params))
    out += ["/?q=Armenia&page=2", "/?q=Kremlin&sort=date&page=3", "/?actor=Vladimir+Putin&since=2023-09&until=2023-09"]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz in time")


def client(
    port: int, paths: list[str], offset: int, count: int, deadline: float, latencies: list[float], failures: list[str]
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(count):
        if time.monotonic() > deadline:
            failures.append("stopped by --max-seconds")
            return
        path = paths[(offset + i) % len(paths)]
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200 or b'class="hits"' not in body:
                failures.append(f"{path}: status {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            failures.append(f"{path}: {type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append((time.perf_counter() - start) * 1000)
    conn.close()


def load(port: int, paths: list[str], clients: int, requests: int, max_seconds: float) -> tuple:
    latencies: list[float] = []
    failures: list[str] = []
    deadline = time.monotonic() + max_seconds
    threads = [
        threading.Thread(target=client, args=(port, paths, i * 7, requests, deadline, latencies, failures))
        for i in range(clients)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures, time.perf_counter() - start


def report(label: str, latencies: list[float], failures: list[str], elapsed: float) -> None:
    done = len(latencies)
    print(f"  {label}: {done} answered in {elapsed:.1f} s, {done / elapsed:.1f} requests/s")
    if latencies:
        print(
            f"    latency: p50 {percentile(latencies, 50):.0f} ms, p95 {percentile(latencies, 95):.0f} ms, "
            f"max {max(latencies):.0f} ms (mean {statistics.mean(latencies):.0f} ms)"
        )
    print(f"    failed: {len(failures)}")
    for failure in failures[:10]:
        print(f"      {failure}")


#: Queries that once cost seconds each; each must now be answered or refused in under 1 s.
HOSTILE = ["*", "**", "???*", "[a TO z]", "*a*"]
#: Normal searches, as other users make them while a hostile query runs.
NORMAL = [
    "/?q=gold",
    "/?q=Kremlin",
    "/?q=Armenia+security",
    "/?q=%22peace+agreement%22",
    "/?actor=Vladimir+Putin",
    "/?q=sanctions&sort=date",
]
NORMAL_CLIENTS = 5


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - start) * 1000


def hostile_client(port: int, stop: threading.Event, seen: list[tuple[str, int, float]]) -> None:
    """Send the hostile queries back to back until told to stop."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = 0
    while not stop.is_set():
        text = HOSTILE[i % len(HOSTILE)]
        status, ms = fetch(conn, "/?" + urlencode({"q": text}))
        seen.append((text, status, ms))
        i += 1
    conn.close()


def hostile_section(port: int, rounds: int, max_seconds: float) -> bool:
    print("  hostile queries, each alone (status, slowest of 3):")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    ok = True
    for text in HOSTILE:
        runs = [fetch(conn, "/?" + urlencode({"q": text})) for _ in range(3)]
        statuses = sorted({status for status, _ in runs})
        slowest = max(ms for _, ms in runs)
        ok &= slowest < 1000 and all(s in (200, 400) for s in statuses)
        print(f"    {text!r:12} {'/'.join(map(str, statuses))}  {slowest:.0f} ms")
    conn.close()
    alone = load(port, NORMAL, NORMAL_CLIENTS, rounds, max_seconds)
    stop, seen = threading.Event(), []
    attacker = threading.Thread(target=hostile_client, args=(port, stop, seen))
    attacker.start()
    try:
        attacked = load(port, NORMAL, NORMAL_CLIENTS, rounds, max_seconds)
    finally:
        stop.set()
        attacker.join()
    report(f"normal searches alone, {NORMAL_CLIENTS} clients x {rounds}", *alone)
    report(f"the same while one client sends hostile queries ({len(seen)} sent)", *attacked)
    if seen:
        slowest = max(ms for _, _, ms in seen)
        statuses = sorted({status for _, status, _ in seen})
        print(
            f"    hostile queries meanwhile: status {'/'.join(map(str, statuses))}, "
            f"p50 {percentile([ms for _, _, ms in seen], 50):.0f} ms, max {slowest:.0f} ms"
        )
        ok &= slowest < 1000 and all(s in (200, 400) for s in statuses)
    return ok and not alone[1] and not attacked[1]


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by a process and its live children (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for each in [str(pid), *children]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    except (OSError, IndexError, ValueError):
        return float("nan")
    return total


def bench(
    index: Path, clients: int, requests: int, max_seconds: float, hostile_only: bool = False, workers: int = 0
) -> bool:
    port = free_port()
    command = [sys.executable, "-m", "search.cli", "serve", "--index", str(index), "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    ok = True
    try:
        wait_until_up(port, server)
        paths = urls()
        load(port, paths, 1, len(paths), 120)  # warm up: open the index, load the columns
        if not hostile_only:
            before = cpu_seconds(server.pid)
            alone = load(port, paths, 1, 4 * len(paths), max_seconds)
            middle = cpu_seconds(server.pid)
            loaded = load(port, paths, clients, requests, max_seconds)
            after = cpu_seconds(server.pid)
            report(f"baseline, one client at a time, {4 * len(paths)} requests", *alone)
            report(f"{clients} clients x {requests} requests", *loaded)
            if alone[0] and loaded[0]:
                ratio = (len(loaded[0]) / loaded[2]) / (len(alone[0]) / alone[2])
                print(f"    {clients} clients get {ratio:.2f} times the requests per second of one client")
            print(
                f"    the server used {(middle - before) / alone[2]:.2f} cores with one client, "
                f"{(after - middle) / loaded[2]:.2f} with {clients} (CPU seconds per second; the machine has "
                f"{os.cpu_count()}, load average {os.getloadavg()[0]:.1f})"
            )
            ok = not alone[1] and not loaded[1]
        ok &= hostile_section(port, requests, max_seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per client")
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--workdir", type=Path, default=None, help="kept (and reused) if given")
    parser.add_argument("--hostile-only", action="store_true", help="only the hostile-query section")
    parser.add_argument("--workers", type=int, default=0, help="server processes (default: the server's default)")
    args = parser.parse_args()
    workers = f"{args.workers} worker{'s' if args.workers != 1 else ''}" if args.workers else "default workers"
    print(f"== search page, {args.articles:,} synthetic articles, served by waitress on 127.0.0.1 ({workers})")
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        ok = bench(
            ensure_index(args.articles, args.workdir),
            args.clients,
            args.requests,
            args.max_seconds,
            args.hostile_only,
            args.workers,
        )
    else:
        with tempfile.TemporaryDirectory(prefix="news-search-bench-") as tmp:
            ok = bench(
                ensure_index(args.articles, Path(tmp)),
                args.clients,
                args.requests,
                args.max_seconds,
                args.hostile_only,
                args.workers,
            )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
