"""The index writer: Whoosh's SegmentWriter, with field lengths read once per segment,
and able to commit segments that worker processes wrote.

When Whoosh flushes a segment it asks, for every posting, the length of the posting's
field in its document, reading it back from the lengths column on disk, one seek and read
per posting. Here the lengths of a field are read once, when the field is first needed,
and kept in a list: the postings and the files written are the same, in a fraction of the
time. Everything else (locking, pooling, merging, committing) is Whoosh's own.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter


class _Lengths:
    """``doc_field_length`` over a per-document reader, each field's column read once."""

    def __init__(self, reader):
        self.reader = reader
        self.fields: dict[str, list | None] = {}

    def _load(self, fieldname: str) -> list | None:
        column = self.reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        return [byte_to_length(b) if b else None for b in (column[i] for i in range(self.reader.doc_count_all()))]

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        lengths = self.fields.get(fieldname, False)
        if lengths is False:
            lengths = self.fields[fieldname] = self._load(fieldname)
        return default if lengths is None else lengths[docnum]


class IndexWriter(SegmentWriter):
    """A SegmentWriter that flushes its segment faster (see the module's docstring)."""

    def _flush_segment(self):
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        postings = self.pool.iter_postings()
        self.fieldwriter.add_postings(self.schema, _Lengths(reader) if reader else None, postings)
        self.fieldwriter.close()
        if reader:
            reader.close()

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
