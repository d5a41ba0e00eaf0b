"""The index writer: Whoosh's SegmentWriter, able to commit segments that worker
processes wrote, with a faster postings pool and writer (:mod:`indexer.store.whoosh_compat`).
Everything else (locking, spilling postings to disk, merging, committing) is Whoosh's own.
"""

from __future__ import annotations

from whoosh.writing import SegmentWriter

from . import whoosh_compat


class IndexWriter(SegmentWriter):
    """A SegmentWriter that can finish a segment for a worker, or commit workers' segments."""

    def __init__(self, ix, **kwargs):
        kwargs.setdefault("codec", whoosh_compat.Codec())
        super().__init__(ix, **kwargs)
        whoosh_compat.use_faster_pool(self)

    def finish_segment(self):
        """Write out this writer's segment without committing it (for a worker); the
        segment, or None when nothing was added."""
        return whoosh_compat.finish_segment(self)

    def commit_with(self, segments: list, mergetype=None) -> None:
        """Commit, adding ``segments`` written by workers to the index's own.

        As :meth:`commit`: merge (or clear, with ``mergetype=CLEAR``) the existing
        segments, finish this writer's own, then write the table of contents, which is
        what publishes the new index in one step.
        """
        whoosh_compat.commit_with(self, segments, mergetype)
