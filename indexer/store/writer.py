"""The index writer: Whoosh's SegmentWriter, able to commit segments that worker
processes wrote, with field lengths read from memory (:mod:`indexer.store.lengths`) when it
writes postings. Everything else (locking, pooling, merging, committing) is Whoosh's own.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.writing import SegmentWriter

from . import inplace, lengths

inplace.install()
lengths.install()


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer without its per-posting type assertions (the postings
    come from :mod:`indexer.store.documents`, already checked): writing a segment adds every
    posting through here, half a million for a few hundred articles."""

    def add_posting(self, id_, weight, vbytes, length=None):
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length


class _Codec(W3Codec):
    """Whoosh's codec, with posting blocks stored uncompressed: an archive's many rare
    words each get a small block, and compressing them costs more time (a tenth of
    writing a segment) than the little disk it saves. Readers see no difference: each
    block says whether it is compressed."""

    def __init__(self):
        super().__init__(compression=0)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)


def codec() -> W3Codec:
    return _Codec()


class IndexWriter(SegmentWriter):
    """A SegmentWriter that can finish a segment for a worker, or commit workers' segments."""

    def __init__(self, ix, **kwargs):
        kwargs.setdefault("codec", codec())
        super().__init__(ix, **kwargs)

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
