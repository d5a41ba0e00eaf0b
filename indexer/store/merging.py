"""Merging at commit: when deleted documents are rewritten away.

Whoosh never rewrites a segment for its deletions: a replaced or deleted document stays
on disk, marked deleted, until its segment is merged. Runs that replace articles again
and again (or crash and rerun) would grow the index without bound. So at each commit:

* :func:`merge_policy`: a segment whose deleted documents reach
  :data:`indexer.settings.MERGE_DELETED_SHARE` of it is merged (its live documents
  rewritten, the deleted ones dropped), and small segments are merged together as Whoosh
  does by default (``MERGE_SMALL``);
* :func:`optimize_all` (``news-search index --optimize``): every segment is merged into
  one, as Whoosh's ``OPTIMIZE``.
"""

from __future__ import annotations

from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL, OPTIMIZE

from .. import settings


def _merge(writer, segment) -> None:
    reader = SegmentReader(writer.storage, writer.schema, segment)
    try:
        writer.add_reader(reader)
    finally:
        reader.close()


def deleted_share(segment) -> float:
    total = segment.doc_count_all()
    return segment.deleted_count() / total if total else 0.0


def merge_policy(writer, segments):
    """Merge segments with many deleted documents, and small ones; the segments kept."""
    kept = []
    for segment in segments:
        if deleted_share(segment) >= settings.MERGE_DELETED_SHARE:
            _merge(writer, segment)
        else:
            kept.append(segment)
    return MERGE_SMALL(writer, kept)


def optimize_all(writer, segments):
    """Merge every segment into the new one."""
    return OPTIMIZE(writer, segments)
