"""Matching queries against a few documents gives exactly what the search gives on them."""

import json
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.store import whoosh_compat
from indexer.store.indexing import run_index
from search.engine import SearchEngine, SearchRequest
from search.evaluation import Evaluator
from search.percolation import CandidateEvaluator

WORDS = "talks summit border corridor ceasefire minister army election protest treaty bank oil gas".split()
PLACES = ["Moscow", "Yerevan", "Baku", "Paris", "Brussels", "Lachin"]

QUERIES = [
    "talks",
    "talks summit",
    "talks OR oil",
    "border NOT army",
    '"peace talks"',
    "corr*",
    "title:*",
    "Moscow",
    "actor:Armenia",
    "date:2023-05",
    "*",
    "(treaty OR bank) -gas",
    "lang:en talks",
    "source:nowhere OR bank",
]


def _records(n: int, seed: int) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        words = [rnd.choice(WORDS) for _ in range(30)] + [rnd.choice(PLACES), "peace talks" if i % 7 == 0 else "calm"]
        rnd.shuffle(words)
        out.append(
            {
                "id": f"s{seed}-{i}",
                "title": " ".join(rnd.sample(WORDS, 3)) if i % 3 else "",
                "date": f"2023-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}" if i % 5 else None,
                "text": " ".join(words).capitalize() + ". " + rnd.choice(["Armenia", "Azerbaijan", "Russia"]) + ".",
            }
        )
    return out


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """An index of three segments, some words in hundreds of documents (several blocks)."""
    corpus, index = tmp_path_factory.mktemp("perc-corpus"), tmp_path_factory.mktemp("perc-index")
    for seed, n in ((1, 700), (2, 300), (3, 200)):
        path = corpus / f"part{seed}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in _records(n, seed)), encoding="utf-8")
        run_index([corpus], index, workers=1)  # one segment a run, the same at every run
    engine = SearchEngine(index)
    engine.search(SearchRequest("talks"))
    return engine


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_candidates_match_as_the_search_matches_them(engine, data):
    searcher, columns = engine.searcher()
    live = np.flatnonzero(columns.live())
    chosen = data.draw(st.lists(st.sampled_from(live.tolist()), max_size=60, unique=True))
    candidates = np.array(sorted(chosen), dtype=np.int64)
    text = data.draw(st.sampled_from(QUERIES))
    query = engine.builder.parse(text)
    whole = Evaluator(searcher, columns.live(), columns.dates()).run(query)
    few = CandidateEvaluator(searcher, candidates, columns.dates()[candidates]).run(query)
    assert few.mask.tolist() == whole.mask[candidates].tolist(), text
    assert np.allclose(few.scores, whole.scores[candidates]), text


def test_posting_blocks_skip_only_blocks_without_wanted_documents(engine):
    searcher, _ = engine.searcher()
    sub = max((s for s, _ in searcher.leaf_searchers()), key=lambda s: s.doc_count_all()).reader()
    text = sub.schema["text_en"].to_bytes("talk")

    def ids_of(blocks):
        return np.concatenate([np.cumsum(b[0]) if b[1] else np.asarray(b[0]) for b in blocks])

    every = list(whoosh_compat.posting_blocks(sub, "text_en", text))
    assert len(every) > 3  # several blocks, or nothing is tested
    ids = ids_of(every)
    within = np.array(sorted({int(ids[5]), int(ids[-1]), int(ids[-1]) + 1}))
    read = list(whoosh_compat.posting_blocks(sub, "text_en", text, within=within))
    assert len(read) == 2  # the first block and the last
    assert set(ids_of(read).tolist()) >= {int(ids[5]), int(ids[-1])}
    assert list(whoosh_compat.posting_blocks(sub, "text_en", text, within=np.array([], dtype=np.int64))) == []
