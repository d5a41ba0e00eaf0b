"""``news-search serve --workers N``: N processes answer on one port, and stop together."""

import http.client
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from indexer.store.indexing import run_index

from .helpers import CORPUS, spawn_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> set[int]:
    return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_workers_share_the_port_and_stop_with_the_server(tmp_path):
    assert run_index([CORPUS], tmp_path / "index").failed == 0
    port = free_port()
    server = spawn_cli("serve", "--index", tmp_path / "index", "--port", port, "--workers", 2, "--threads", 2)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not answer in a minute"
                time.sleep(0.2)
        workers = children(server.pid)
        assert len(workers) == 2
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: get(port, "/?q=Kremlin"), range(24)))
        assert all(status == 200 and b'data-id="004_' in body for status, body in answers)

        os.kill(min(workers), signal.SIGKILL)  # a worker that dies is replaced
        deadline = time.monotonic() + 30
        while len(children(server.pid) - {min(workers)}) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(children(server.pid) - {min(workers)}) == 2
        assert get(port, "/?q=Kremlin")[0] == 200
        workers = children(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for pid in workers:  # gone with the server
        deadline = time.monotonic() + 10
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    assert b"2 workers" in server.stderr.read()
