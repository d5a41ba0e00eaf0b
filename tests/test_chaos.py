"""Indexing runs killed with SIGKILL while a server answers: nothing is lost or stale.

Runs ``bench/chaos.py`` on a small slice of the real archive (a few kills); see that
script for what it checks. Slow (about a minute): ``pytest -m slow`` runs it.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "data" / "archive"


@pytest.mark.slow
@pytest.mark.skipif(not ARCHIVE.is_dir(), reason=f"the real archive is not at {ARCHIVE}")
def test_killed_runs_lose_nothing_and_the_server_never_fails_or_serves_deleted_articles(tmp_path):
    cmd = [
        sys.executable,
        str(ROOT / "bench" / "chaos.py"),
        "--articles",
        "400",
        "--kills",
        "6",
        "--seconds",
        "90",
        "--requests",
        "3000",
        "--seed",
        "3",
        "--workdir",
        str(tmp_path),
    ]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    print(result.stdout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    kills = re.search(r"^(\d+) kills, (\d+) runs completed", result.stdout, re.MULTILINE)
    assert kills and int(kills.group(1)) == 6, result.stdout[-3000:]  # the runs were really killed
