"""Chaos: indexing runs killed with SIGKILL at random moments while a server answers.

    python bench/chaos.py [--kills N] [--seconds S] [--articles N] [--seed N] [--workdir DIR]

It copies a slice of the real archive (``../shared/data/archive``: BBC stories as files,
blog posts as one JSON-lines file) into a work folder, indexes it once, starts
``news-search serve`` on 127.0.0.1 and a loop of requests against it (searches, articles,
health; bounded in count and time), then, ``--kills`` times: changes the corpus (files
added, changed and deleted; records of the JSON-lines file added, changed and deleted),
starts ``news-search index`` (sometimes with ``--rebuild``, sometimes switching ``--lang``
between ``en,fr`` and ``en,fr,de``) and kills it with SIGKILL after a random delay (some
land during the commit, some after the run has ended). At the end one clean run, then:

* the index holds exactly the corpus: its ids are the files' and records' ids;
* the server sees that final index;
* no request failed (a 5xx status or a connection error);
* no request returned a deleted article: an article counts as deleted from the end of the
  first run that started after its deletion and completed, until it is added again; a hit
  (or an ``/api/article`` answer) for it in a request started in that span is stale.

It prints how many kills and requests it made, what it found, and exits with status 1
when a check failed. The work folder is a temporary one unless ``--workdir`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realdata import ARCHIVE  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en,fr", "en,fr,de")
POSTS = "posts.jsonl"
FOREVER = float("inf")


# --- the corpus and what it should hold --------------------------------------------------


class Corpus:
    """The work corpus: BBC files under ``bbc/`` and blog posts in one JSON-lines file, a
    reserve of unused ones to add, and a log of when each id was deleted or added."""

    def __init__(self, folder: Path, archive: Path, articles: int, rng: random.Random):
        self.folder, self.rng = folder, rng
        stories = sorted(p.relative_to(archive).as_posix() for p in (archive / "bbc").rglob("*.txt"))
        posts = [
            json.loads(line)
            for line in (archive / "geopolitics.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        rng.shuffle(stories)
        rng.shuffle(posts)
        n_posts = min(len(posts) // 2, articles // 5)
        n_stories = min(len(stories) * 3 // 4, articles - n_posts)
        self.archive = archive
        self.files = stories[:n_stories]
        self.spare_files = stories[n_stories:]
        self.posts = posts[:n_posts]
        self.spare_posts = posts[n_posts:]
        self.lock = threading.Lock()
        self.deleted_at: dict[str, float] = {}  # id -> when it left the corpus (still out)
        self.stale_spans: dict[str, list[list[float]]] = {}  # id -> [from, until] spans
        self.edits = 0
        for name in self.files:
            self.copy(name)
        self.write_posts()

    def copy(self, name: str) -> None:
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.archive / name, target)

    def write_posts(self) -> None:
        text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in self.posts)
        tmp = self.folder / f".{POSTS}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.folder / POSTS)

    def ids(self) -> set[str]:
        return set(self.files) | {p["id"] for p in self.posts}

    def headline(self, ident: str) -> str:
        if ident.endswith(".txt"):
            path = self.folder / ident if (self.folder / ident).exists() else self.archive / ident
            return path.read_bytes().decode("utf-8", errors="replace").split("\n", 1)[0]
        return next((p["title"] for p in self.posts + self.spare_posts if p["id"] == ident), "")

    def _deleted(self, ident: str) -> None:
        self.deleted_at[ident] = time.time()

    def _added(self, ident: str) -> None:
        self.deleted_at.pop(ident, None)
        now = time.time()
        for span in self.stale_spans.get(ident, []):
            span[1] = min(span[1], now)

    def mutate(self) -> dict[str, int]:
        """Add, change and delete a few files and records; return how many of each."""
        rng, done = self.rng, {"added": 0, "changed": 0, "deleted": 0}
        with self.lock:
            for _ in range(rng.randint(1, 4)):
                if self.spare_files and rng.random() < 0.7:
                    name = self.spare_files.pop(rng.randrange(len(self.spare_files)))
                    self.copy(name)
                    self.files.append(name)
                    self._added(name)
                    done["added"] += 1
                if self.files and rng.random() < 0.6:
                    name = self.files.pop(rng.randrange(len(self.files)))
                    (self.folder / name).unlink()
                    self.spare_files.append(name)
                    self._deleted(name)
                    done["deleted"] += 1
                if self.files and rng.random() < 0.6:
                    name = rng.choice(self.files)
                    self.edits += 1
                    with open(self.folder / name, "a", encoding="utf-8") as f:
                        f.write(f"\n\nThis story was edited ({self.edits}).\n")
                    done["changed"] += 1
            if rng.random() < 0.7:
                if self.spare_posts:
                    post = self.spare_posts.pop(rng.randrange(len(self.spare_posts)))
                    self.posts.insert(rng.randrange(len(self.posts) + 1), post)
                    self._added(post["id"])
                    done["added"] += 1
                if len(self.posts) > 1:
                    post = self.posts.pop(rng.randrange(len(self.posts)))
                    self.spare_posts.append(post)
                    self._deleted(post["id"])
                    done["deleted"] += 1
                if self.posts:
                    post = rng.choice(self.posts)
                    self.edits += 1
                    post["text"] += f"\n\nThis post was edited ({self.edits})."
                    done["changed"] += 1
                self.write_posts()
        return done

    def run_completed(self, started: float, ended: float) -> None:
        """A run that started at ``started`` completed at ``ended``: every id deleted before
        it started is out of the index from ``ended`` on, until it is added again."""
        with self.lock:
            for ident, when in self.deleted_at.items():
                if when < started:
                    spans = self.stale_spans.setdefault(ident, [])
                    if not spans or spans[-1][1] != FOREVER:
                        spans.append([ended, FOREVER])

    def is_stale(self, ident: str, at: float) -> bool:
        with self.lock:
            return any(start < at < end for start, end in self.stale_spans.get(ident, []))

    def gone(self) -> list[str]:
        """Ids out of the index by now (deleted, not added again, a completed run since)."""
        with self.lock:
            return [i for i, spans in self.stale_spans.items() if spans and spans[-1][1] == FOREVER]


# --- the server and the requests --------------------------------------------------------


@dataclass
class Requests:
    made: int = 0
    failed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    emptied: int = 0  # searches for everything that found nothing (an emptied index)
    by_status: dict[int, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 20.0) -> tuple[int, dict | None]:
    """GET http://127.0.0.1:port/path; (status, JSON body), status 0 when no answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read() or b"null")
        except ValueError:
            body = None
        return exc.code, body
    except (OSError, ValueError) as exc:
        return 0, {"error": str(exc)}


class QueryLoop(threading.Thread):
    """Requests to the server, one at a time, until stopped or out of budget."""

    def __init__(
        self, port: int, corpus: Corpus, words: list[str], rng: random.Random, max_requests: int, deadline: float
    ):
        super().__init__(daemon=True)
        self.port, self.corpus, self.words, self.rng = port, corpus, words, rng
        self.max_requests, self.deadline = max_requests, deadline
        self.stop = threading.Event()
        self.requests = Requests()

    def path(self) -> tuple[str, str | None]:
        """A request path, and the article id it asks for (if any)."""
        rng = self.rng
        kind = rng.random()
        if kind < 0.15:
            return "/healthz", None
        if kind < 0.35:
            with self.corpus.lock:
                pool = list(self.corpus.deleted_at) or list(self.corpus.ids())
            ident = rng.choice(pool)
            return "/api/article/" + urllib.parse.quote(ident), ident
        if kind < 0.5:
            return "/api/search?" + urllib.parse.urlencode({"limit": 10000, "facets": 0}), None
        params = {"q": rng.choice(self.words), "limit": 200}
        if rng.random() < 0.3:
            params["sort"] = rng.choice(["date", "recent"])
        if rng.random() < 0.2:
            params["page"] = 2
        return "/api/search?" + urllib.parse.urlencode(params), None

    def run(self) -> None:
        log = self.requests
        while not self.stop.is_set() and log.made < self.max_requests and time.time() < self.deadline:
            path, ident = self.path()
            started = time.time()
            status, body = get(self.port, path)
            log.made += 1
            log.by_status[status] = log.by_status.get(status, 0) + 1
            if status == 0 or status >= 500:
                log.failed.append(f"{path}: {status or 'no answer'} {json.dumps(body)[:200]}")
            elif ident is not None and status == 200 and self.corpus.is_stale(ident, started):
                log.stale.append(f"{path}: answered 200 for a deleted article")
            elif path.startswith("/api/search") and status == 200 and isinstance(body, dict):
                for hit in body.get("hits", []):
                    if self.corpus.is_stale(hit["id"], started):
                        log.stale.append(f"{path}: hit {hit['id']!r} is a deleted article")
                if "q=" not in path and body.get("total") == 0:
                    log.emptied += 1
            time.sleep(0.01)


def start_server(index: Path, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "search.cli", "serve", "--index", str(index), "--port", str(port), "--threads", "4"]
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(300):
        if get(port, "/healthz", timeout=2)[0] == 200:
            return server
        if server.poll() is not None:
            raise SystemExit(f"news-search serve ended: {server.stderr.read().decode()[-500:]}")
        time.sleep(0.1)
    raise SystemExit("news-search serve did not answer /healthz within 30 s")


# --- indexing runs -----------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                children = [int(c) for c in f.read().split()]
        except OSError:
            continue
        found += children
        todo += children
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


@dataclass
class Run:
    args: list[str]
    started: float
    ended: float
    status: int | None  # None: killed
    orphans: int = 0
    stderr: str = ""


def index_run(corpus: Path, index: Path, extra: list[str], kill_after: float | None) -> Run:
    """One ``news-search index`` run, killed with SIGKILL after ``kill_after`` seconds
    unless it ends first; its workers left behind are counted, then ended."""
    cmd = [sys.executable, "-m", "search.cli", "index", str(corpus), "--index", str(index), "--quiet", *extra]
    started = time.time()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    children: set[int] = set()
    deadline = None if kill_after is None else started + kill_after
    while proc.poll() is None and (deadline is None or time.time() < deadline):
        children.update(descendants(proc.pid))
        time.sleep(0.02)
    if proc.poll() is None:
        children.update(descendants(proc.pid))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        run = Run(extra, started, time.time(), None)
        time.sleep(1.0)
        left = [c for c in children if alive(c)]
        run.orphans = len(left)
        for child in left:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.stderr.close()
        return run
    run = Run(extra, started, time.time(), proc.returncode, stderr=proc.stderr.read().decode(errors="replace"))
    proc.stderr.close()
    return run


def index_ids(index: Path) -> set[str]:
    """Every id in the index, read by a fresh engine."""
    sys.path.insert(0, str(ROOT))
    from search.engine import SearchEngine, SearchRequest

    result = SearchEngine(index).search(SearchRequest("", limit=10_000, facets=False, collapse=False))
    return {h["id"] for h in result["hits"]}


# --- the whole run -----------------------------------------------------------------------


def chaos(workdir: Path, kills: int, seconds: float, articles: int, seed: int, archive: Path, max_requests: int) -> int:
    rng = random.Random(seed)
    folder, index = workdir / "corpus", workdir / "index"
    for path in (folder, index):
        shutil.rmtree(path, ignore_errors=True)
    folder.mkdir(parents=True)
    corpus = Corpus(folder, archive, articles, rng)
    print(
        f"corpus: {len(corpus.files)} BBC files and {len(corpus.posts)} posts in one JSON-lines file "
        f"(of {archive}), in {folder}"
    )

    lang = LANGS[0]
    first = index_run(folder, index, ["--lang", lang], None)
    print(f"first run: status {first.status} in {first.ended - first.started:.1f} s")
    if first.status != 0:
        print(first.stderr[-2000:])
        return 1
    # how long each kind of run takes, from the last one that completed
    durations = {"rebuild": first.ended - first.started, "languages": first.ended - first.started, "update": 1.5}

    words = sorted({w for ident in corpus.ids() for w in re.findall(r"[A-Za-z]{5,}", corpus.headline(ident))})
    port = free_port()
    server = start_server(index, port)
    deadline = time.time() + seconds
    loop = QueryLoop(port, corpus, words, random.Random(seed + 1), max_requests, deadline + 120)
    loop.start()
    runs: list[Run] = []
    try:
        k = 0
        while sum(r.status is None for r in runs) < kills and k < 3 * kills:
            if time.time() > deadline:
                print(f"out of time after {sum(r.status is None for r in runs)} kills")
                break
            changes = corpus.mutate()
            extra = []
            kind = "update"
            if rng.random() < 0.3:
                lang = LANGS[1] if lang == LANGS[0] else LANGS[0]
                kind = "languages"
            if rng.random() < 0.25:
                extra.append("--rebuild")
                kind = "rebuild"
            extra += ["--lang", lang]
            estimate = durations[kind]
            # a third of the kills near the end of a run (its commit), some after it ended
            delay = rng.uniform(0.8, 2.0) * estimate if rng.random() < 0.35 else rng.uniform(0.05, 1.0) * estimate
            run = index_run(folder, index, extra, delay)
            runs.append(run)
            k += 1
            took = run.ended - run.started
            if run.status == 0:
                corpus.run_completed(run.started, run.ended)
                durations[kind] = took
            outcome = "killed" if run.status is None else f"ended with status {run.status}"
            print(
                f"run {k}: {' '.join(extra)}; {changes}; {outcome} after {took:.1f} s"
                + (f"; {run.orphans} worker processes left running" if run.orphans else ""),
                flush=True,
            )
            if run.status not in (None, 0, 75):
                print("  " + run.stderr.strip().replace("\n", "\n  ")[-1500:])

        final = index_run(folder, index, ["--lang", lang], None)
        corpus.run_completed(final.started, final.ended)
        print(f"final clean run: status {final.status} in {final.ended - final.started:.1f} s")
        time.sleep(1.0)
        # the server's view of the final index, checked while the loop still runs
        status, body = get(port, "/api/search?" + urllib.parse.urlencode({"limit": 10000, "facets": 0, "collapse": 0}))
        served = {h["id"] for h in body["hits"]} if status == 200 and isinstance(body, dict) else None
        time.sleep(min(5.0, max(0.0, deadline + 120 - time.time())))
    finally:
        loop.stop.set()
        loop.join(timeout=60)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    expected = corpus.ids()
    held = index_ids(index)
    log = loop.requests
    killed = sum(r.status is None for r in runs)
    print(
        f"\n{killed} kills, {sum(r.status == 0 for r in runs)} runs completed, "
        f"{sum(r.status == 75 for r in runs)} found the index busy, "
        f"{sum(r.status not in (None, 0, 75) for r in runs)} failed; "
        f"{sum(r.orphans for r in runs)} worker processes outlived a killed run"
    )
    print(
        f"{log.made} requests: {dict(sorted(log.by_status.items()))}; {len(log.failed)} failed, "
        f"{len(log.stale)} returned a deleted article, {log.emptied} searches for everything found nothing"
    )
    problems = []
    if final.status != 0:
        problems.append(f"the final clean run ended with status {final.status}: {final.stderr.strip()[-500:]}")
    if held != expected:
        problems.append(
            f"the index holds {len(held)} articles, the corpus {len(expected)}: "
            f"{len(expected - held)} missing (e.g. {sorted(expected - held)[:5]}), "
            f"{len(held - expected)} extra (e.g. {sorted(held - expected)[:5]})"
        )
    if served is None:
        problems.append(f"the server did not answer the final search ({status})")
    elif served != expected:
        problems.append(
            f"the server serves {len(served)} articles, the corpus has {len(expected)}: "
            f"{len(expected - served)} missing, {len(served - expected)} extra"
        )
    if log.failed:
        problems.append(f"{len(log.failed)} requests failed, e.g. {log.failed[:3]}")
    if log.stale:
        problems.append(f"{len(log.stale)} answers held deleted articles, e.g. {log.stale[:3]}")
    if log.emptied:
        problems.append(f"{log.emptied} searches for every article found none (an emptied index was served)")
    for line in problems:
        print(f"FAILED: {line}")
    if not problems:
        print("OK: the index holds exactly the corpus, and every request was answered without deleted articles")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--kills", type=int, default=20, help="indexing runs to kill (runs that end first do not count) [default: 20]"
    )
    parser.add_argument("--seconds", type=float, default=600, help="time for the killed runs [default: 600]")
    parser.add_argument("--articles", type=int, default=2000, help="articles in the corpus [default: 2000]")
    parser.add_argument("--requests", type=int, default=20000, help="requests at most [default: 20000]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--archive", type=Path, default=ARCHIVE, help=f"[default: {ARCHIVE}]")
    parser.add_argument("--workdir", type=Path, default=None, help="kept after the run if given")
    args = parser.parse_args(argv)
    if not (args.archive / "bbc").is_dir():
        parser.error(f"--archive: no bbc/ folder in {args.archive}")
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return chaos(args.workdir, args.kills, args.seconds, args.articles, args.seed, args.archive, args.requests)
    with tempfile.TemporaryDirectory(prefix="news-search-chaos-") as tmp:
        return chaos(Path(tmp), args.kills, args.seconds, args.articles, args.seed, args.archive, args.requests)


if __name__ == "__main__":
    sys.exit(main())
