"""The vector query evaluator matches exactly the documents Whoosh matches, with its scores."""

import random

import numpy as np
import pytest
from whoosh import query as q

from indexer.store.indexing import run_index
from search.engine import SearchEngine
from search.evaluation import Evaluator

from .helpers import CORPUS

QUERIES = [
    "Kremlin",
    "Armenia security",
    "Russie OR Russia",
    "Armenia NOT Azerbaijan",
    "NOT Armenia",
    '"peace agreement"',
    '"accord de paix"',
    '"Nagorno Karabakh" OR Erdogan',
    "peace*",
    "secur* AND Armenia",
    "Arm?nia OR Azerbaïdj*",
    "title:Arm*",
    "peace*^2 Russia",
    "zzz*",
    "title:Pashinyan",
    "actor:Poutine",
    "Poutine",
    "lang:fr",
    "date:2023",
    "date:[2023-09-01 to 2023-12-31] Armenia",
    "(Armenia OR Azerbaijan) AND (CSTO OR OTSC) NOT Turkey",
    "Armenia^3 security",
    "sécurité securite",
    "zzzunknownword",
    "Armenia OR zzzunknownword",
    "zzzunknownword Armenia security",
    "title:*",
    "actor:* Armenia",
    "lang:* OR Kremlin",
    "Armenia *",
    "title:[a TO c] Armenia",
    "Armenia ANDMAYBE Russia",
    "Armenia ANDNOT Russia",
    "Armenia REQUIRE Russia",
    "(Armenia ANDMAYBE Kremlin) OR title:Pashinyan",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """An index of 60 articles made from the sample paragraphs, written in two runs, with
    one article changed in the second (so it has two segments and a deleted document)."""
    corpus = tmp_path_factory.mktemp("corpus")
    index = tmp_path_factory.mktemp("index")
    rng = random.Random(3)
    paragraphs = [
        p for f in sorted(CORPUS.iterdir()) for p in f.read_text(encoding="utf-8").split("\n\n") if len(p) > 60
    ]

    def write(i):
        day = f"20{rng.randint(21, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(2, 5)))
        (corpus / f"{i:03d}.txt").write_text(f" date {day} {body}", encoding="utf-8")

    for i in range(40):
        write(i)
    assert run_index([corpus], index).failed == 0
    for i in [5, *range(40, 60)]:
        write(i)
    assert run_index([corpus], index).failed == 0
    return SearchEngine(index)


@pytest.mark.parametrize("text", QUERIES)
def test_same_documents_and_scores_as_whoosh(engine, text, monkeypatch):
    # On an index of up to 5,000 documents Whoosh may preload an OR of three or more
    # words (a prefix's words among them) with constant scores; on larger ones, and with
    # this setting, it sums the words' scores, as the evaluator always does.
    monkeypatch.setattr(q.Or, "matcher_type", q.Or.DEFAULT_MATCHER)
    searcher, columns = engine.searcher()
    query = engine.builder.parse(text)
    matches = Evaluator(searcher, columns.live(), columns.dates()).run(query)
    ours = {int(d): float(matches.scores[d]) for d in np.flatnonzero(matches.mask)}
    theirs = {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}
    assert ours.keys() == theirs.keys()
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-9), docnum


def test_the_index_has_what_the_comparison_needs(engine):
    searcher, _ = engine.searcher()
    assert len(searcher.leaf_searchers()) > 1 or searcher.reader().has_deletions()
    total = sum(len(searcher.search(engine.builder.parse(t), limit=None)) for t in QUERIES)
    assert total > 100
