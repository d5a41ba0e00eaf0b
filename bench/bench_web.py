"""Load test of the search page: requests per second and latency for concurrent clients.

    python bench/bench_web.py [--articles N] [--clients C] [--requests R] [--workdir DIR]

It builds (or reuses, in --workdir) the synthetic corpus and index of bench/bench_index.py,
starts ``news-search serve`` on 127.0.0.1 on a free port, and has C client threads
(default 20) each fetch R pages (default 25) of the search page, cycling through the query
mix of bench/bench_query.py as URLs (words, phrases, actor and date filters, sorts, later
pages), every page with facets, the month chart and 20 snippets. It prints requests per
second, p50/p95/max latency and the failures (any status but 200, or no answer within 30 s),
and exits 1 if any request failed. Traffic goes to 127.0.0.1 only; the run is bounded by
C x R requests and by --max-seconds. As a baseline, the same server first answers the
mix one request at a time.
"""

from __future__ import annotations

import argparse
import http.client
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


def client(port: int, paths: list[str], offset: int, count: int, deadline: float,
           latencies: list[float], failures: list[str]) -> None:
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
    threads = [threading.Thread(target=client, args=(port, paths, i * 7, requests, deadline, latencies, failures))
               for i in range(clients)]
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
        print(f"    latency: p50 {percentile(latencies, 50):.0f} ms, p95 {percentile(latencies, 95):.0f} ms, "
              f"max {max(latencies):.0f} ms (mean {statistics.mean(latencies):.0f} ms)")
    print(f"    failed: {len(failures)}")
    for failure in failures[:10]:
        print(f"      {failure}")


def bench(index: Path, clients: int, requests: int, max_seconds: float) -> bool:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--index", str(index),
                               "--port", str(port)], cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port, server)
        paths = urls()
        load(port, paths, 1, len(paths), 120)  # warm up: open the index, load the columns
        alone = load(port, paths, 1, 4 * len(paths), max_seconds)
        loaded = load(port, paths, clients, requests, max_seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(f"baseline, one client at a time, {4 * len(paths)} requests", *alone)
    report(f"{clients} clients x {requests} requests", *loaded)
    return not alone[1] and not loaded[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per client")
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--workdir", type=Path, default=None, help="kept (and reused) if given")
    args = parser.parse_args()
    print(f"== search page, {args.articles:,} synthetic articles, served by waitress on 127.0.0.1")
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        ok = bench(ensure_index(args.articles, args.workdir), args.clients, args.requests, args.max_seconds)
    else:
        with tempfile.TemporaryDirectory(prefix="news-search-bench-") as tmp:
            ok = bench(ensure_index(args.articles, Path(tmp)), args.clients, args.requests, args.max_seconds)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
