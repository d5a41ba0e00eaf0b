"""Real corpora for the benchmarks: their files, their size, and their text read plainly.

A corpus is a folder (walked for the formats ``news-search`` reads) or one file, such as
the archive beside the project (``../shared/data/archive``) or its JSON-lines file alone.
The baselines read each article's text without ingest: a text or HTML file whole, each
record of a JSON or JSON-lines file (its title and text, or its HTML), line by line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import settings  # noqa: E402

ARCHIVE = ROOT.parent / "shared" / "data" / "archive"


def corpus_files(path: Path) -> list[Path]:
    """Every file of the corpus that news-search reads, in a stable order."""
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower() in settings.SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )


def corpus_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in corpus_files(path))


def _record_text(obj) -> str | None:
    if not isinstance(obj, dict):
        return None
    body = obj.get("text") or obj.get("html")
    if not isinstance(body, str) or not body.strip():
        return None
    title = obj.get("title")
    return f"{title}\n\n{body}" if isinstance(title, str) and title else body


def corpus_texts(path: Path) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of every article, read as plainly as possible (for the baselines)."""
    for file in corpus_files(path):
        if file.suffix.lower() not in settings.JSON_SUFFIXES:
            yield str(file), file.read_bytes().decode("utf-8", errors="replace")
            continue
        with open(file, encoding="utf-8", errors="replace") as f:
            first = f.read(1)
            while first.isspace():
                first = f.read(1)
            f.seek(0)
            if first == "[" or (first == "{" and file.suffix.lower() == ".json"):
                try:
                    data = json.load(f)
                except ValueError:
                    continue
                records = data if isinstance(data, list) else [data]
            else:
                records = (_loads(line) for line in f)
            for n, obj in enumerate(records, 1):
                text = _record_text(obj)
                if text is not None:
                    yield f"{file}:{n}", text


def _loads(line: str):
    try:
        return json.loads(line)
    except ValueError:
        return None
