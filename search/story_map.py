"""The stories of an index, as search reads them: each document's story, and a story's copies.

The indexer groups copies of one story (:mod:`indexer.stories.groups`) into
``stories-<index>.npz`` beside the index; search reads only its ids, story numbers and
languages. A document the file does not know (a run killed before writing it) is a story
of its own.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from indexer.stories.groups import read_numbers


class StoryMap:
    """Story numbers by article id, and the articles of each story."""

    def __init__(self, ids: list[str] | None = None, story: np.ndarray | None = None, languages=None):
        self.ids = ids or []
        self.story = story if story is not None else np.zeros(0, dtype=np.int64)
        self.languages = languages or []
        self.row = {doc_id: n for n, doc_id in enumerate(self.ids)}
        order = np.argsort(self.story, kind="stable")
        s = self.story[order]
        starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]]) if len(s) else np.zeros(0, dtype=np.int64)
        ends = np.r_[starts[1:], len(s)] if len(s) else starts
        #: story -> rows of its articles, for the stories of more than one
        self.members: dict[int, np.ndarray] = {
            int(s[lo]): order[lo:hi] for lo, hi in zip(starts.tolist(), ends.tolist()) if hi - lo > 1
        }

    @classmethod
    def load(cls, index_dir: Path, meta: dict) -> StoryMap:
        numbers = read_numbers(index_dir, meta)
        return cls(*numbers) if numbers else cls()

    def story_of(self, doc_id: str) -> int | None:
        row = self.row.get(doc_id)
        return None if row is None else int(self.story[row])

    def copies_of(self, doc_id: str):
        """The other articles of ``doc_id``'s story, in the order they were indexed (lazily: a
        story may have thousands), and how many there are."""
        story = self.story_of(doc_id)
        rows = self.members.get(story) if story is not None else None
        if rows is None:
            return iter(()), 0
        mine = self.row[doc_id]
        return (self.ids[r] for r in rows.tolist() if r != mine), len(rows) - 1

    def dense(self, doc_ids: list[str | None]) -> np.ndarray:
        """For documents numbered 0..n-1 with these ids (None: deleted), a story index from
        0: equal for the copies of one story, its own for an article the file does not know."""
        known = np.array([self.row.get(i, -1) if i is not None else -1 for i in doc_ids], dtype=np.int64)
        out = np.empty(len(known), dtype=np.int64)
        has = known >= 0
        if has.any():
            _, out[has] = np.unique(self.story[known[has]], return_inverse=True)
        start = int(out[has].max()) + 1 if has.any() else 0
        out[~has] = np.arange(start, start + int((~has).sum()))
        return out
