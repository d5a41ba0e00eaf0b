"""The index writer: Whoosh's SegmentWriter, able to commit segments that worker
processes wrote, with field lengths read from memory (:mod:`indexer.lengths`) when it
writes postings. Everything else (locking, pooling, merging, committing) is Whoosh's own.
"""

from __future__ import annotations

from whoosh.writing import SegmentWriter

from . import lengths

lengths.install()


class IndexWriter(SegmentWriter):
    """A SegmentWriter that can finish a segment for a worker, or commit workers' segments."""

    def finish_segment(self):
        """Write out this writer's segment without committing it (for a worker); the
        segment, or None when nothing was added."""
        if self._added:
            return self._finalize_segment()
        self._close_segment()
        return None

    def commit_with(self, segments: list, mergetype=None) -> None:
        """Commit, adding ``segments`` written by workers to the index's own.

        As :meth:`commit`: merge (or clear, with ``mergetype=CLEAR``) the existing
        segments, finish this writer's own, then write the table of contents, which is
        what publishes the new index in one step.
        """
        self._check_state()
        final = self._merge_segments(mergetype, None, None)
        final.extend(s for s in segments if s is not None)
        if self._added:
            final.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(final)
        self._finish()
