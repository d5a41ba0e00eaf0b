"""Scoring: BM25F with each field's statistics taken over the articles that have the field.

BM25 scores a word in a field by its rarity (idf: how many documents hold it, out of how
many) and by how often it occurs there against how long the field is compared with the
field's average length. Whoosh takes both over every document of the index; with one text
field per language most articles have no French or "other" text, so the average length of
``text_fr`` is a fraction of a French text's real length (every French article counts as
several times longer than average, and its words score a fraction of what they would in
an English article), and a French word's rarity is measured against articles that could
not hold it. Lucene (and so Elasticsearch) takes a field's statistics over the documents
that have the field (its ``docCount``); so does :class:`FieldBM25F`, with Whoosh's own
formulas otherwise (``idf = log(N / (df + 1)) + 1``).

The searcher of :class:`~search.engine.SearchEngine` uses it, so Whoosh's matchers and the
vector evaluation (:mod:`search.evaluation`, which reads the scorer's ``idf`` and
``avgfl``) score alike.
"""

from __future__ import annotations

from math import log

from whoosh.scoring import BM25F, BM25FScorer

from indexer.store.lengths import load_lengths


class FieldBM25F(BM25F):
    """Whoosh's BM25F, with each field's document count and average length over the
    documents holding the field."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, BM25FScorer):
            parent = searcher.get_parent()
            holding, average = field_statistics(parent, fieldname)
            if holding:
                scorer.idf = log(holding / (parent.doc_frequency(fieldname, text) + 1)) + 1
                scorer.avgfl = average
        return scorer


def field_statistics(searcher, fieldname: str) -> tuple[int, float]:
    """How many documents have some length in the field (deleted ones included, as in
    Whoosh's counts), and the field's average length over them; (0, 0.0) when the field
    keeps no lengths. Computed once per searcher."""
    cache = searcher.__dict__.setdefault("_field_statistics", {})
    if fieldname not in cache:
        holding = 0
        for sub, _ in searcher.leaf_searchers():
            lengths = load_lengths(sub.reader(), fieldname) if fieldname in sub.schema else None
            holding += sum(1 for n in lengths or () if n)
        total = searcher.field_length(fieldname) if holding else 0
        cache[fieldname] = (holding, total / holding) if holding and total else (0, 0.0)
    return cache[fieldname]
