"""Every use of Whoosh's private names, in one place.

news-search pins whoosh-reloaded 2.7.5 and reaches past its public API where the public
way is too slow or copies too much: reading field lengths and posting blocks for NumPy,
writing segments in worker processes, reading segment files in place. Each use below
says why and what it relies on; :data:`RELIES_ON` lists the names, and
``tests/test_whoosh_compat.py`` fails when Whoosh's version or one of them changes, so an
upgrade shows at once what it breaks.

The two patches of Whoosh's classes (:func:`install`) are installed by an explicit call:
an indexing run (:func:`indexer.store.indexing.run_index`) and a search engine
(``search.engine.SearchEngine``) make it when they start.
"""

from __future__ import annotations

import inspect
import pickle
import re
from array import array
from collections.abc import Callable
from functools import lru_cache
from operator import itemgetter
from pickle import dumps

import numpy as np
import whoosh
from whoosh import columns, system, writing
from whoosh import query as q
from whoosh.codec import whoosh3
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3PostingsWriter
from whoosh.filedb import filetables, structfile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from .inplace import ViewFile

#: The Whoosh version every name below was read from.
WHOOSH_VERSION = (2, 7, 5)

#: (object, attribute) for the private names used here that a class or module holds (and
#: the public methods replaced by :func:`install`); the attributes Whoosh sets on its
#: objects (a matcher's ``_data``, a writer's ``_added``, a lock's ``fd``…) are checked by
#: using them, in ``tests/test_whoosh_compat.py``.
RELIES_ON = (
    (whoosh3, "_lenfield"),
    (W3PerDocReader, "_cached_reader"),
    (W3PerDocReader, "doc_field_length"),
    (structfile.BufferFile, "__init__"),
    (W3PostingsWriter, "_write_block"),
    (W3Codec, "postings_writer"),
    (W3PostingsWriter, "_mini_weights"),
    (W3PostingsWriter, "_mini_values"),
    (whoosh3, "WHOOSH3_HEADER_MAGIC"),
    (whoosh3.W3TermInfo, "_struct"),
    (SegmentWriter, "_check_state"),
    (SegmentWriter, "_merge_segments"),
    (SegmentWriter, "_finalize_segment"),
    (SegmentWriter, "_close_segment"),
    (SegmentWriter, "_commit_toc"),
    (SegmentWriter, "_finish"),
    (writing.PostingPool, "save"),
    (writing.PostingPool, "items"),
    (whoosh3.W3LeafMatcher, "_read_data"),
    (whoosh3.W3LeafMatcher, "_read_values"),
    (whoosh3.W3LeafMatcher, "_next_block"),
    (whoosh3.W3LeafMatcher, "_goto"),
    (system, "_int_struct"),
    (system, "_INT_SIZE"),
    (q.PatternQuery, "_get_pattern"),
    (q.PatternQuery, "_find_prefix"),
    (q.MultiTerm, "_btexts"),
)


def check() -> None:
    """Raise RuntimeError naming what changed, when the installed Whoosh is not the one
    this module was written for."""
    if tuple(whoosh.__version__[:3]) != WHOOSH_VERSION:
        raise RuntimeError(
            f"news-search needs Whoosh {'.'.join(map(str, WHOOSH_VERSION))}, "
            f"found {whoosh.versionstring()}: read indexer/store/whoosh_compat.py"
        )
    missing = [f"{getattr(obj, '__name__', obj)}.{name}" for obj, name in RELIES_ON if not hasattr(obj, name)]
    if "_lk" not in inspect.signature(SegmentWriter.__init__).parameters:
        missing.append("SegmentWriter(_lk=…)")
    if missing:
        raise RuntimeError(f"Whoosh no longer has {', '.join(missing)}: read indexer/store/whoosh_compat.py")


# --- field lengths ---------------------------------------------------------------------------

#: byte -> length, as Whoosh decodes it (a zero byte means no length: None)
LENGTH_OF_BYTE = [None] + [byte_to_length(b) for b in range(1, 256)]


def length_codes(reader) -> Callable[..., list[int] | None]:
    """A function of a field name (and optionally some document numbers) giving every
    document's (or those documents') encoded length byte of that field in one segment (a
    list), or None when the field keeps no lengths.

    Relies on: a segment reader's per-document reader (``SegmentReader._perdoc``) keeping
    one lengths column per field, named by ``whoosh3._lenfield`` and opened by
    ``W3PerDocReader._cached_reader``, a ``NumericColumn`` of bytes whose reader keeps the
    column's file, start, count of stored values and default (``_dbfile``, ``_basepos``,
    ``_count``, ``_default``, ``_typecode``, ``_reverse``): its bytes are read at once.
    Whoosh's public ``doc_field_length`` reads it one document at a time (a seek and a read
    each); scoring whole posting lists needs them all.
    """
    perdoc = getattr(reader, "_perdoc", reader)

    def codes(fieldname: str, docnums=None) -> list[int] | None:
        column = perdoc._cached_reader(whoosh3._lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        size = perdoc.doc_count_all()
        if type(column) is columns.NumericColumn.Reader and column._typecode == "B" and not column._reverse:
            # one byte a document, stored up to the last document with a length: read at once
            stored = column._dbfile.get(column._basepos, column._count)
            if docnums is None:
                return list(stored) + [column._default] * (size - len(stored))
            return [stored[i] if i < len(stored) else column._default for i in docnums]
        return [column[i] for i in (range(size) if docnums is None else docnums)]

    return codes


def field_lengths(reader, fieldname: str) -> list[int | None] | None:
    """Every document's length of a field in one segment (None for none), as Whoosh's
    ``doc_field_length`` decodes it, read once per segment and field; None when the field
    keeps no lengths."""
    cache = reader.__dict__.get("_news_search_lengths")
    if cache is None:
        cache = reader.__dict__["_news_search_lengths"] = {}
    lengths = cache.get(fieldname, False)
    if lengths is False:
        codes = length_codes(reader)(fieldname)
        lengths = cache[fieldname] = None if codes is None else [LENGTH_OF_BYTE[c] for c in codes]
    return lengths


def _doc_field_length(self, docnum, fieldname, default=0):
    """``W3PerDocReader.doc_field_length`` answered from :func:`field_lengths`: same numbers
    as Whoosh's, which it asks for each posting it writes or scores."""
    lengths = field_lengths(self, fieldname)
    if lengths is None:
        return default
    return lengths[docnum]


# --- segment files read in place -------------------------------------------------------------


def _buffer_file_init(self, buf, name=None, onclose=None):
    """``BufferFile.__init__`` over a :class:`~indexer.store.inplace.ViewFile` instead of a
    ``BytesIO`` copy of the mapped segment. Relies on: the attributes Whoosh's own
    ``__init__`` sets (``_buf``, ``_name``, ``file``, ``onclose``, ``is_real``,
    ``is_closed``), which the rest of ``StructFile`` reads."""
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def install() -> None:
    """Patch Whoosh: field lengths from memory, segment files read in place (idempotent)."""
    W3PerDocReader.doc_field_length = _doc_field_length
    structfile.BufferFile.__init__ = _buffer_file_init


# --- writing segments ------------------------------------------------------------------------


class PostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer without its per-posting type assertions (the postings come
    from :mod:`indexer.store.documents`, already checked): writing a segment adds every
    posting through here, half a million for a few hundred articles. Relies on:
    ``W3PostingsWriter.add_posting``'s body as of 2.7.5, its block buffers (``_ids``,
    ``_weights``, ``_values``), bounds (``_maxweight``, ``_minlength``, ``_maxlength``) and
    ``_write_block`` when ``_blocklimit`` postings are buffered."""

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


class PostingPool(writing.PostingPool):
    """Whoosh's pool of a segment's postings, added and sorted with less work.

    Every posting of a segment passes through :meth:`add` (half a million for a few
    hundred articles), and the pool is sorted before it is written, by Whoosh as whole
    tuples ``(fieldname, term, docnum, weight, value)``. Within one field and term,
    postings always come in increasing document order (documents are added in order, and
    a merged segment's after them), so sorting each field's postings by term alone, in a
    stable sort, gives the same order four times faster: comparing two tuples costs more
    than comparing two terms. Runs spilled to disk when the pool outgrows ``limitmb`` are
    sorted the same way and merged by Whoosh.

    Relies on: ``SortingPool``'s ``current`` list and ``runs`` (the spilled runs), its
    ``save`` (which sorts ``current`` again: already in order, that is one pass) and
    ``items``; ``PostingPool``'s ``limit`` and ``currentsize``, and its size estimate of a
    posting, kept here.
    """

    def add(self, item):
        # as PostingPool.add: the same estimate of a posting's size, without the checks
        # (the postings come from indexer.store.documents, already checked)
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or "")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def save(self):
        self.current = _by_field_and_term(self.current)
        super().save()

    def items(self, maxfiles=128):
        if not self.runs:
            return _by_field_and_term(self.current)
        return super().items(maxfiles)


def use_faster_pool(writer: SegmentWriter) -> None:
    """Give a new writer a :class:`PostingPool` in place of Whoosh's (same temporary
    storage, segment and memory limit). Relies on ``SegmentWriter.pool`` and the pool's
    ``tempstore``, ``segment`` and ``limit``."""
    old = writer.pool
    assert not old.current and not old.runs, "the pool is replaced before anything is added"
    pool = PostingPool(old.tempstore, old.segment)
    pool.limit = old.limit
    writer.pool = pool


def _by_field_and_term(postings: list[tuple]) -> list[tuple]:
    """``sorted(postings)`` for postings added in document order (see :class:`PostingPool`)."""
    fields: dict[str, list[tuple]] = {}
    for posting in postings:
        group = fields.get(posting[0])
        if group is None:
            fields[posting[0]] = [posting]
        else:
            group.append(posting)
    out: list[tuple] = []
    for name in sorted(fields):
        out += sorted(fields[name], key=_TERM)
    return out


_TERM = itemgetter(1)


class Codec(W3Codec):
    """Whoosh's codec, with posting blocks stored uncompressed: an archive's many rare
    words each get a small block, and compressing them costs more time (a tenth of
    writing a segment) than the little disk it saves. Readers see no difference: each
    block says whether it is compressed. Relies on: the codec's settings kept as
    ``_blocklimit``, ``_compression``, ``_inlinelimit``. Its field writer is
    :class:`FieldWriter`."""

    def __init__(self):
        super().__init__(compression=0)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class FieldWriter(whoosh3.W3FieldWriter):
    """Whoosh's field writer, writing a segment's postings term by term in one loop.

    Whoosh writes each term through four objects (field writer, postings writer, term
    info, terms table), with a ``tell()`` (a system call) and several small writes per
    term; an archive's segment has a hundred thousand terms, most with one or two
    postings, and that was a third of a worker's time. This loop writes the same bytes
    (``tests/test_whoosh_compat.py`` compares the files): per term, its blocks of
    ``_blocklimit`` postings (a header magic, then per block its length, negative for the
    last, its pickled header and its pickled ids, weights and values, never compressed:
    see :class:`Codec`) and its row in the terms table (the term info's bytes, whose
    offset and length say where its blocks are), keeping the positions itself.

    Relies on: ``W3FieldWriter``'s ``_postfile``, ``_tindex``, ``_fieldmap`` (through
    ``start_field``), ``_fieldid``, ``_codec._blocklimit``; ``W3PostingsWriter``'s block
    layout (``_write_block``, ``_mini_ids``/``_mini_weights``/``_mini_values``, weights kept
    as 32-bit floats) and ``W3TermInfo``'s (``_struct``, ``to_bytes``); the terms table's
    ``OrderedHashWriter.add`` (``index``, ``buckets``, ``hashfn``, ``lastkey``, ``dbfile``);
    ``FieldWriter.add_postings``'s checks. Any other file object (a checksumming one) or
    a compressing codec takes Whoosh's own way.
    """

    def add_postings(self, schema, lengths, items):
        plain = type(self._postfile) is type(self._tindex.dbfile) is structfile.StructFile
        if not plain or self._codec._compression:
            return super().add_postings(schema, lengths, items)
        write = _TermWriter(self, lengths)
        lastfn = lasttext = None
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for fieldname, btext, docnum, weight, value in items:
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
            if fieldname == lastfn and lasttext and btext < lasttext:
                raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
            if fieldname != lastfn:
                if lasttext is not None:
                    write.term(lasttext, ids, weights, values)
                    ids, weights, values = [], [], []
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                write.field(fieldname, self._fieldid, schema[fieldname].format)
                lastfn, lasttext = fieldname, None
            if docnum == -1:  # a spelling word, as Whoosh skips it
                continue
            if btext != lasttext:
                if lasttext is not None:
                    write.term(lasttext, ids, weights, values)
                    ids, weights, values = [], [], []
                lasttext = btext
            ids.append(docnum)
            weights.append(weight)
            values.append(value or b"")  # an empty value is no value, as Whoosh keeps it
        if lasttext is not None:
            write.term(lasttext, ids, weights, values)


_BLOCK_MAGIC = whoosh3.WHOOSH3_HEADER_MAGIC
_TABLE_LENGTHS = filetables._lengths


class _TermWriter:
    """Writes one field's terms for :class:`FieldWriter`: its blocks into the postings
    file and its rows into the terms table, each term's bytes in one write."""

    def __init__(self, writer: FieldWriter, lengths):
        self.post_write = writer._postfile.file.write
        self.post_at = writer._postfile.tell()
        self.table = writer._tindex
        self.table_write = self.table.dbfile.file.write
        self.table_at = self.table.dbfile.tell()
        self.blocklimit = writer._codec._blocklimit
        self.reader = lengths  # the segment's per-document reader, or None

    def field(self, fieldname: str, fieldid: int, fmt) -> None:
        self.prefix = pack_ushort(fieldid)
        self.lengths = field_lengths(self.reader, fieldname) if self.reader else None
        fixed = fmt.fixed_value_size()
        self.values = "tuple" if fixed is None or fixed < 0 else "none" if fixed == 0 else "join"

    def term(self, btext: bytes, ids: list[int], weights: list[float], values: list[bytes]) -> None:
        if len(ids) == 1:
            return self._one(btext, ids[0], weights[0], values[0])
        lengths, limit = self.lengths, self.blocklimit
        parts = [_BLOCK_MAGIC]
        total, df, tmin, tmax, tmaxweight = 0.0, 0, None, 0, 0
        for at in range(0, len(ids), limit):
            bids, bweights = ids[at : at + limit], weights[at : at + limit]
            floats = array("f", bweights)
            maxweight = max(0, *bweights)
            if lengths is None:
                low, high = None, 0
            else:
                present = [n for n in (lengths[d] for d in bids) if n]
                low, high = (min(present), max(present)) if present else (None, 0)
            data = dumps((_deltas(bids), _mini_weights(floats), self._mini_values(values[at : at + limit])), 2)
            info = dumps((len(bids), bids[-1], maxweight, 0, _length_byte(low), _length_byte(high)), 2)
            size = len(info) + len(data)
            parts += (pack_int(-size if at + limit >= len(ids) else size), info, data)
            total += sum(floats)
            df += len(bids)
            tmin = low if tmin is None else min(tmin, low)
            tmax, tmaxweight = max(tmax, high), max(tmaxweight, maxweight)
        info = (total, df, _length_byte(tmin), _length_byte(tmax), tmaxweight, ids[0], ids[-1])
        self._write(btext, b"".join(parts), info)

    def _one(self, btext: bytes, doc: int, weight: float, value: bytes) -> None:
        """:meth:`term` of a term with one posting (most terms), the same bytes, shorter."""
        length = self.lengths[doc] if self.lengths is not None else None
        low, high = _length_byte(length or None), _length_byte(length or 0)
        stored = _float32(weight)
        maxweight = weight if weight > 0 else 0
        data = dumps(((doc,), None if stored == 1.0 else stored, self._mini_values([value])), 2)
        header = dumps((1, doc, maxweight, 0, low, high), 2)
        blocks = b"".join((_BLOCK_MAGIC, pack_int(-len(header) - len(data)), header, data))
        self._write(btext, blocks, (0.0 + stored, 1, low, high, maxweight, doc, doc))

    def _write(self, btext: bytes, blocks: bytes, info: tuple) -> None:
        """A term's blocks into the postings file, and its row (its term info: ``info``,
        then where its blocks are) into the terms table."""
        start = self.post_at
        self.post_write(blocks)
        self.post_at += len(blocks)
        row = whoosh3.W3TermInfo._struct.pack(False, *info) + pack_long(start) + pack_int(len(blocks))
        self._row(self.prefix + btext, row)

    def _mini_values(self, values: list[bytes]):
        """``W3PostingsWriter._mini_values`` of a block's values (it keeps only non-empty ones)."""
        if self.values == "none":
            return None
        kept = [v for v in values if v]
        return tuple(kept) if self.values == "tuple" else b"".join(kept)

    def _row(self, key: bytes, value: bytes) -> None:
        """``OrderedHashWriter.add``, with the table's position kept here."""
        table = self.table
        if key <= table.lastkey:
            raise ValueError(f"Keys must increase: {table.lastkey!r}..{key!r}")
        at = self.table_at
        table.index.append(at)
        row = _TABLE_LENGTHS.pack(len(key), len(value)) + key + value
        self.table_write(row)
        self.table_at = at + len(row)
        h = table.hashfn(key)
        table.buckets[h & 255].append((h, at))
        table.lastkey = key


@lru_cache(maxsize=4096)
def _length_byte(length: int | None) -> int:
    return length_to_byte(length)


@lru_cache(maxsize=4096)
def _float32(weight: float) -> float:
    """A weight as Whoosh's block keeps it (an array of 32-bit floats)."""
    return array("f", (weight,))[0]


def _deltas(ids: list[int]) -> tuple[int, ...]:
    return tuple(b - a for a, b in zip([0, *ids], ids))


def _mini_weights(weights: array):
    """``W3PostingsWriter._mini_weights``: None when all are 1, one float when all equal."""
    first = weights[0]
    if first == 1.0 and weights.count(1.0) == len(weights):
        return None
    if weights.count(first) == len(weights):
        return first
    return tuple(weights)


#: Keyword arguments of a writer that does not take the index's lock: a worker process
#: writes its own segment under the indexer's lock. Relies on ``SegmentWriter``'s
#: ``_lk`` argument.
UNLOCKED = {"_lk": False}


def finish_segment(writer: SegmentWriter):
    """Write out the writer's segment without committing it (for a worker); the segment,
    or None when nothing was added. Relies on ``_added``, ``_finalize_segment`` and
    ``_close_segment``, the steps of ``SegmentWriter.commit`` before the table of
    contents."""
    if writer._added:
        return writer._finalize_segment()
    writer._close_segment()
    return None


def commit_with(writer: SegmentWriter, segments: list, mergetype=None) -> None:
    """Commit, adding ``segments`` written by workers to the index's own: as
    ``SegmentWriter.commit`` (merge or clear the existing segments, finish the writer's
    own, write the table of contents, which publishes the new index in one step), with
    the workers' segments added to the list. Relies on ``commit``'s steps as of 2.7.5:
    ``_check_state``, ``_merge_segments``, ``_finalize_segment``, ``_close_segment``,
    ``_commit_toc``, ``_finish``."""
    writer._check_state()
    final = writer._merge_segments(mergetype, None, None)
    final.extend(s for s in segments if s is not None)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()


def lock_fds(writer: SegmentWriter) -> list[int]:
    """The file descriptor of the writer's lock, for worker processes to close (a forked
    copy would outlive a killed indexer). Relies on ``FcntlLock.fd``."""
    fd = getattr(getattr(writer, "writelock", None), "fd", None)
    return [fd] if fd is not None else []


# --- reading postings and words --------------------------------------------------------------


def posting_blocks(reader, fieldname: str, text: bytes, values: bool = False, check=None, within=None):
    """A term's postings in one segment, block by block: (document numbers, weights, encoded
    values or None) per block, with ``check`` called before each; deleted documents are not
    left out. Whoosh's matcher yields one posting per call; NumPy wants whole blocks.
    ``within`` (sorted document numbers of the segment), if given, limits the blocks read
    to those whose range of documents holds one of them: the others are skipped on their
    header alone (read straight from the mapped postings, without Whoosh's file object,
    when the segment is mapped). Relies on: the leaf matcher's ``_data`` (ids, weights:
    None for all 1, a float for all the same), ``_byteids`` (ids stored as they are, else
    delta-coded), ``_maxid`` (the block's last document), ``_read_data``,
    ``_read_values``/``_values``, ``_next_block``, ``_goto``, ``_postfile`` and
    ``_baseoffset`` (where the first block starts: its length as an int, negative for the
    last block, then its pickled header, whose second item is its last document)."""
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):  # deleted documents: the caller's live mask drops them
        matcher = matcher.child
    if within is not None:
        yield from _blocks_within(matcher, within, values, check)
        return
    while matcher.is_active():
        if check is not None:
            check()
        yield _block(matcher, values)
        matcher._next_block()


def _block(matcher, values: bool):
    if matcher._data is None:
        matcher._read_data()
    encoded = None
    if values:
        matcher._read_values()
        encoded = matcher._values
    return matcher._data[0], not matcher._byteids, matcher._data[1], encoded


#: A block's header is a pickled tuple of six numbers: far fewer bytes than this.
_HEADER_BYTES = 256


def _block_maxids(matcher) -> tuple[list[int], list[int]] | None:
    """Where each block of the matcher's postings starts and its last document, read
    from the mapped postings file; None when the file is not a mapped buffer."""
    postfile = matcher._postfile
    buf = getattr(postfile, "_buf", None) if isinstance(postfile, structfile.BufferFile) else None
    if buf is None:
        return None
    view = memoryview(buf).cast("B")
    unpack, size = system._int_struct.unpack_from, system._INT_SIZE
    starts, maxids = [], []
    at = matcher._baseoffset
    while True:
        length = unpack(view, at)[0]
        starts.append(at)
        maxids.append(pickle.loads(view[at + size : at + size + _HEADER_BYTES])[1])
        if length < 0:
            return starts, maxids
        at += size + length


def _blocks_within(matcher, within, values: bool, check):
    """The blocks of ``matcher`` that may hold one of the documents ``within``."""
    if not matcher.is_active() or not len(within):
        return
    found = _block_maxids(matcher)
    if found is None:  # not mapped: walk the blocks with Whoosh's reader
        low = 0
        while matcher.is_active():
            if check is not None:
                check()
            high = matcher._maxid
            at = np.searchsorted(within, low)
            if at < len(within) and within[at] <= high:
                yield _block(matcher, values)
            low = high + 1
            matcher._next_block()
        return
    starts, maxids = found
    highs = np.asarray(maxids, dtype=np.int64)
    lows = np.concatenate(([0], highs[:-1] + 1))
    wanted = np.searchsorted(within, highs, side="right") > np.searchsorted(within, lows)
    for index in np.flatnonzero(wanted).tolist():
        if check is not None:
            check()
        matcher._goto(starts[index])
        yield _block(matcher, values)


def positions_payload(encoded: bytes) -> bytes:
    """The pickled position deltas of a ``Positions`` value: what follows its count, an int
    of ``whoosh.system._INT_SIZE`` bytes."""
    return encoded[system._INT_SIZE :]


def pattern_and_prefix(query: q.PatternQuery):
    """A wildcard's or regex's compiled pattern and the literal prefix its words start
    with (Whoosh's ``_get_pattern`` and ``_find_prefix``), to read only those words."""
    return re.compile(query._get_pattern()), query._find_prefix(query.text)


def query_words(query: q.MultiTerm, reader):
    """The words (bytes) a range or fuzzy query reads, as Whoosh's ``_btexts`` lists them."""
    return query._btexts(reader)


class PrefixWithMore(q.Prefix):
    """A prefix query whose words are Whoosh's plus :meth:`more` (Whoosh's multi-term
    queries read their words through ``_btexts``, which this extends)."""

    def more(self, reader):
        """Further words (bytes) to search beside those starting with the prefix."""
        return ()

    def _btexts(self, ixreader):
        yield from super()._btexts(ixreader)
        yield from self.more(ixreader)
