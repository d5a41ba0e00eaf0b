"""What the index holds, read back by an indexing run to know what changed.

Every document carries one ``state`` column value: the file it came from, that file's
size and modification time when it was read, what produced the document (the pipeline
signature), a hash of its content (the whole file's, or for a JSON record the record's
own bytes), its id, and for a record where it stood in its file. A run reads that one
column for every document (no stored fields) into an :class:`IndexState`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(slots=True)
class Doc:
    """One indexed document, as its state column tells it."""

    id: str
    sig: str
    pipeline_sig: str
    content_hash: str
    where: str | None  # None: the document is a whole file; else its record's place


@dataclass(slots=True)
class FileState:
    """What the index holds of one file."""

    docs: list[Doc] = field(default_factory=list)
    by_hash: dict[str, Doc] = field(default_factory=dict)  # records only

    def unchanged(self, sig: str, pipeline_sig: str) -> bool:
        return bool(self.docs) and all(d.sig == sig and d.pipeline_sig == pipeline_sig for d in self.docs)


def encode(file: str, sig: str, pipeline_sig: str, content_hash: str, doc_id: str, where: str | None) -> bytes:
    """The state column value of one document."""
    return json.dumps([file, sig, pipeline_sig, content_hash, doc_id, where]).encode("ascii")


@dataclass
class IndexState:
    """Every file the index holds documents of, and which file holds each id."""

    files: dict[str, FileState] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, reader) -> IndexState:
        state = cls()
        if reader.doc_count() == 0:
            return state
        column = reader.column_reader("state")
        shared: dict[str, str] = {}  # one copy of each file name and signature
        for docnum in reader.all_doc_ids():
            try:
                file, sig, pipeline_sig, digest, doc_id, where = json.loads(column[docnum])
            except (ValueError, TypeError):
                continue  # not ours: the next run replaces it when its file is read
            file = shared.setdefault(file, file)
            doc = Doc(doc_id, shared.setdefault(sig, sig), shared.setdefault(pipeline_sig, pipeline_sig), digest, where)
            known = state.files.setdefault(file, FileState())
            known.docs.append(doc)
            if where is not None:
                known.by_hash[digest] = doc
            state.owner[doc_id] = file
        return state
