"""Segment files read in place, not copied into memory.

A Whoosh segment is one compound file that readers map into memory; each part of it
(postings, terms, every column) is then opened as a ``BufferFile``, which Whoosh builds
on a ``BytesIO`` of the part, and a ``BytesIO`` made from a memory view copies it. So
opening a reader copied every segment's postings into the process: 3 GB of memory and
5 seconds for an index of a 1 GB dump, in the indexer after each run and in every
search process. :class:`ViewFile` reads the mapped bytes where they are instead (a read
copies only what it returns); :func:`indexer.store.whoosh_compat.install` makes
``BufferFile`` use it.
"""

from __future__ import annotations

import io


class ViewFile(io.RawIOBase):
    """A read-only, seekable file over a buffer (a memory view of a mapped file, or bytes),
    without copying it."""

    def __init__(self, buf):
        super().__init__()
        self._view = memoryview(buf).cast("B")
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence == io.SEEK_END:
            offset += len(self._view)
        if offset < 0:
            raise ValueError("negative seek position")
        self._pos = offset
        return offset

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(len(self._view), start + size)
        if end <= start:
            return b""
        self._pos = end
        return self._view[start:end].tobytes()

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        start, view = self._pos, self._view
        end = len(view) if size is None or size < 0 else min(len(view), start + size)
        step = 256
        at = start
        while at < end:
            chunk = view[at : min(end, at + step)].tobytes()
            found = chunk.find(b"\n")
            if found >= 0:
                end = at + found + 1
                break
            at += len(chunk)
            step *= 2
        return self.read(end - start)

    def close(self) -> None:
        self._view = memoryview(b"")  # let go of the map (Whoosh closes it with the segment)
        super().close()
