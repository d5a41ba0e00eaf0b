"""Serving the web page on every core: one listening socket, several waitress processes.

Python runs one thread at a time in a process (the GIL), and a search is mostly Python
(parsing, scoring, snippets), so a threaded server answers about as many searches per
second with 20 clients as with one. :func:`serve` binds the socket in the parent, then
forks ``workers`` processes; each builds its own app (its own engine, searcher and
columns: nothing is shared but the socket) and serves the socket with waitress, the
kernel handing each new connection to one of them. The parent only watches: a worker that
dies is started again, and SIGTERM or SIGINT stops them all. With one worker the page is
served in the calling process, as before.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

#: Connections the kernel queues while every worker is busy.
BACKLOG = 1024
#: A worker that fails on its own sooner than this after its start is not started again
#: (a fault that would only repeat); one killed by a signal always is.
MIN_WORKER_SECONDS = 5.0


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening (OSError if it cannot be)."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(info[4])
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def serve(make_app: Callable, sock: socket.socket, workers: int, threads: int, ident: str) -> None:
    """Serve ``make_app()`` on ``sock`` with ``workers`` processes of ``threads`` threads."""
    import waitress

    if workers <= 1 or not hasattr(os, "fork"):
        waitress.serve(make_app(), sockets=[sock], threads=threads, ident=ident)
        return

    def start() -> int:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 0
            try:
                waitress.serve(make_app(), sockets=[sock], threads=threads, ident=ident)
            except BaseException:
                log.exception("worker %d failed", os.getpid())
                code = 1
            finally:
                os._exit(code)
        return pid

    stopping = False
    children: dict[int, float] = {}

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        children[start()] = time.monotonic()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        started = children.pop(pid, None)
        if started is None or stopping:
            continue
        code = os.waitstatus_to_exitcode(status)
        if code > 0 and time.monotonic() - started < MIN_WORKER_SECONDS:
            print(f"news-search: a worker stopped at once (status {code}); stopping", file=sys.stderr)
            stop(signal.SIGTERM, None)
            continue
        print(f"news-search: a worker stopped (status {code}); starting another", file=sys.stderr)
        children[start()] = time.monotonic()
