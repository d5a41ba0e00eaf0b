"""A deterministic synthetic corpus for the benchmarks, made from the paragraphs of corpus/.

``make_corpus(directory, n)`` writes ``n`` plain-text articles: each a few paragraphs of
the sample articles, shuffled, with a generated lead sentence naming actors from the alias
table, and a date between 2019 and 2025 (a date marker for most, a dateline for some).
The same ``n`` and seed always give the same files.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.actors import load_table  # noqa: E402
from indexer.ingest.cleaning import clean  # noqa: E402
from indexer.ingest.readers import read_paths  # noqa: E402

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
VERBS = ["met", "called", "criticised", "warned", "praised", "accused", "rencontré", "critiqué"]


def sample_paragraphs() -> list[str]:
    paragraphs = []
    for article in read_paths([ROOT / "corpus"]):
        paragraphs.extend(p for p in clean(article.text).paragraphs if len(p) > 80)
    return paragraphs


def make_corpus(directory: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` articles under ``directory`` (100 per folder); return their total bytes."""
    rng = random.Random(seed)
    paragraphs = sample_paragraphs()
    table = load_table()
    people = [name for name, kind in table.actors.items() if kind == "person"]
    places = [name for name, kind in table.actors.items() if kind in ("country", "place")]
    start = date(2019, 1, 1)
    total = 0
    for i in range(n):
        day = start + timedelta(days=rng.randrange(7 * 365))
        a, b = rng.sample(people, 2)
        lead = f"{a} {rng.choice(VERBS)} {b} in {rng.choice(places)} about {rng.choice(places)}."
        body = rng.sample(paragraphs, rng.randint(3, 7))
        if i % 5 == 0:
            text = f"{day.day} {MONTHS[day.month - 1]} {day.year}\n\n" + "\n\n".join([lead, *body])
        else:
            text = f" date {day.isoformat()} " + "\n\n".join([lead, *body])
        folder = directory / f"{i // 100:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (folder / f"{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total
