"""Whoosh's private names, used in indexer/store/whoosh_compat.py only, still mean what
that module relies on: an upgrade of Whoosh that changes one fails here, by name."""

from __future__ import annotations

import pickle
import subprocess
import sys
from itertools import accumulate
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from whoosh import columns
from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.codec import whoosh3
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from indexer.store import whoosh_compat
from indexer.store.lengths import length_array, load_lengths
from indexer.store.whoosh_compat import LENGTH_OF_BYTE, length_codes
from indexer.store.writer import IndexWriter

ROOT = Path(__file__).resolve().parent.parent

DOCS = {"a": "alpha beta gamma alpha", "b": "beta delta", "c": "alpha " * 300, "d": ""}


def _index(tmp_path):
    schema = Schema(id=ID(stored=True), body=TEXT(phrase=True))
    ix = whoosh_index.create_in(str(tmp_path), schema)
    worker = IndexWriter(ix, **whoosh_compat.UNLOCKED)
    for key in ("a", "b"):
        worker.add_document(id=key, body=DOCS[key])
    segment = whoosh_compat.finish_segment(worker)
    assert whoosh_compat.finish_segment(IndexWriter(ix, **whoosh_compat.UNLOCKED)) is None  # nothing added
    writer = IndexWriter(ix)
    assert whoosh_compat.lock_fds(writer) and all(isinstance(fd, int) for fd in whoosh_compat.lock_fds(writer))
    for key in ("c", "d"):
        writer.add_document(id=key, body=DOCS[key])
    writer.commit_with([segment, None])
    return ix


def test_the_installed_whoosh_is_the_one_the_module_was_written_for():
    whoosh_compat.check()


def test_workers_segments_are_committed_with_the_writers_own(tmp_path):
    ix = _index(tmp_path)
    with ix.searcher() as searcher:
        assert {hit["id"] for hit in searcher.search(q.Term("body", "beta"))} == {"a", "b"}
        assert {hit["id"] for hit in searcher.search(q.Term("body", "alpha"))} == {"a", "c"}
        assert searcher.doc_count() == 4


def test_posting_blocks_are_whooshs_postings(tmp_path):
    ix = _index(tmp_path)
    with ix.reader() as reader:
        for sub, _ in reader.leaf_readers():
            for word in sub.lexicon("body"):
                expected = _posting_triples(sub.postings("body", word))
                ids, weights, values = [], [], []
                for block_ids, delta_coded, block_weights, block_values in whoosh_compat.posting_blocks(
                    sub, "body", word, values=True
                ):
                    block_ids = list(block_ids)
                    if delta_coded:
                        block_ids = [sum(block_ids[: i + 1]) for i in range(len(block_ids))]
                    ids += block_ids
                    weights += (
                        [1.0] * len(block_ids)
                        if block_weights is None
                        else [block_weights] * len(block_ids)
                        if isinstance(block_weights, float)
                        else list(block_weights)
                    )
                    values += list(block_values)
                assert list(zip(ids, weights, values)) == expected
                for value in values:
                    payload = whoosh_compat.positions_payload(value)
                    deltas = pickle.loads(payload if payload.endswith(b".") else payload + b".")
                    assert list(accumulate(deltas)) == sub.schema["body"].format.decode_positions(value)


def _posting_triples(matcher):
    out = []
    while matcher.is_active():
        out.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return out


def test_field_lengths_read_whole_are_whooshs_lengths(tmp_path):
    ix = _index(tmp_path)
    with ix.reader() as reader:
        for sub, _ in reader.leaf_readers():
            # the lengths are a column of bytes, read at once (the fast path is the one tested)
            column = sub._perdoc._cached_reader("_body_len", columns.NumericColumn("B"))
            assert type(column) is columns.NumericColumn.Reader and column._typecode == "B"
            lengths = load_lengths(sub, "body")
            stored = [sub.stored_fields(n)["id"] for n in range(sub.doc_count_all())]
            expected = [byte_to_length(length_to_byte(len(DOCS[k].split()))) or None for k in stored]
            assert lengths == expected
            assert list(length_array(sub, "body")) == [n or 1.0 for n in expected]
            every = range(sub.doc_count_all())
            assert list(length_array(sub, "body", every[::-1])) == [n or 1.0 for n in expected[::-1]]
            assert [LENGTH_OF_BYTE[c] for c in length_codes(sub)("body", every)] == expected
            assert load_lengths(sub, "id") is None  # an ID field keeps no lengths


def test_installed_lengths_answer_as_whoosh_does(tmp_path):
    ix = _index(tmp_path)
    with ix.reader() as reader:
        before = [
            sub.doc_field_length(n, "body") for sub, _ in reader.leaf_readers() for n in range(sub.doc_count_all())
        ]
    whoosh_compat.install()
    with ix.reader() as reader:
        after = [
            sub.doc_field_length(n, "body") for sub, _ in reader.leaf_readers() for n in range(sub.doc_count_all())
        ]
    assert after == before


def test_patterns_ranges_and_prefixes_read_whooshs_words(tmp_path):
    ix = _index(tmp_path)
    with ix.reader() as reader:
        pattern, prefix = whoosh_compat.pattern_and_prefix(q.Wildcard("body", "al?ha"))
        assert prefix == "al" and pattern.match("alpha") and not pattern.match("alphas")
        words = set(whoosh_compat.query_words(q.TermRange("body", "b", "e"), reader))
        assert words == {b"beta", b"delta"}

        class Plus(whoosh_compat.PrefixWithMore):
            def more(self, reader):
                yield b"gamma"

        with ix.searcher() as searcher:
            assert {hit["id"] for hit in searcher.search(Plus("body", "del"))} == {"a", "b"}


def test_patches_are_not_installed_by_importing():
    code = (
        "import pkgutil, importlib, indexer, search\n"
        "for pkg in (indexer, search):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "from whoosh.codec.whoosh3 import W3PerDocReader\n"
        "from whoosh.filedb.structfile import BufferFile\n"
        "print(W3PerDocReader.doc_field_length.__module__, BufferFile.__init__.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["whoosh.codec.whoosh3", "whoosh.filedb.structfile"]


def test_no_other_module_names_a_private_whoosh_name():
    private = {name for _, name in whoosh_compat.RELIES_ON if name.startswith("_") and name != "__init__"}
    private |= {"_data", "_byteids", "_values", "_added", "_perdoc", "_lk", "_INT_SIZE", "_btexts"}
    for path in [*ROOT.glob("indexer/**/*.py"), *ROOT.glob("search/**/*.py")]:
        if path.name == "whoosh_compat.py":
            continue
        text = path.read_text(encoding="utf-8")
        used = {name for name in private if f".{name}" in text or f"import {name}" in text or f"{name}=" in text}
        assert not used, f"{path.relative_to(ROOT)} uses {sorted(used)}"


# --- the segment's postings, written by news-search's field writer -----------------------------

WORDS = ["alpha", "beta", "gamma", "delta", "épée", "мир", "x"]


SCHEMA = Schema(
    id=ID(stored=True),
    body=TEXT(phrase=True),
    tags=KEYWORD(scorable=True),
    flat=TEXT(phrase=False, field_boost=2.5),
)


def _segment_files(
    directory: Path, docs: list[dict], whooshs: bool, schema=SCHEMA, limitmb: float = 128
) -> dict[str, bytes]:
    """The postings and terms files of one segment holding ``docs``: written by
    news-search's writer (its postings pool spilling sorted runs to disk past ``limitmb``),
    or (``whooshs``) by Whoosh's own writer, pool and field writer."""
    directory.mkdir(exist_ok=True)
    ix = whoosh_index.create_in(str(directory), schema)
    if whooshs:
        writer = SegmentWriter(ix, codec=_WhooshFieldWriter(), compound=False, _lk=False)
    else:
        writer = IndexWriter(ix, compound=False, limitmb=limitmb, **whoosh_compat.UNLOCKED)
    for doc in docs:
        writer.add_document(**doc)
    segment = whoosh_compat.finish_segment(writer)
    return {ext: (directory / f"{segment.segment_id()}.{ext}").read_bytes() for ext in ("pst", "trm")}


class _WhooshFieldWriter(whoosh_compat.Codec):
    """The same codec with Whoosh's own field writer, to compare bytes with."""

    def field_writer(self, storage, segment):
        return whoosh3.W3FieldWriter(self, storage, segment)


_doc = st.fixed_dictionaries(
    {
        "body": st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join),
        "tags": st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join),
        "flat": st.lists(st.sampled_from(WORDS[:3]), max_size=4).map(" ".join),
    }
)


@hsettings(max_examples=40, deadline=None)
@given(docs=st.lists(_doc, min_size=1, max_size=300))
def test_the_field_writer_writes_whooshs_bytes(tmp_path_factory, docs):
    """Any documents (terms in one document or in hundreds, over several blocks; weights
    of one and of more; empty fields) give the same postings and terms files, byte for
    byte, as Whoosh's own writer and field writer."""
    docs = [{"id": str(i), **doc} for i, doc in enumerate(docs)]
    ours = _segment_files(tmp_path_factory.mktemp("ours"), docs, whooshs=False)
    theirs = _segment_files(tmp_path_factory.mktemp("theirs"), docs, whooshs=True)
    assert ours == theirs
    # a pool too small for them: sorted runs on disk, merged
    assert _segment_files(tmp_path_factory.mktemp("spilled"), docs, whooshs=False, limitmb=0.002) == theirs


def test_the_field_writer_writes_whooshs_bytes_for_real_documents(tmp_path):
    """The sample corpus's documents as an indexing run makes them (positions, a title
    field, field lengths, stored records): the same bytes as Whoosh's field writer."""
    from indexer.ingest.pipeline import ingest
    from indexer.store.documents import to_document
    from indexer.store.schema import build_schema

    languages = ("en", "fr")
    schema = build_schema(languages)
    docs = [to_document(r, schema, languages, state=b"s") for r in ingest([ROOT / "corpus"])] * 60
    ours = _segment_files(tmp_path / "ours", docs, whooshs=False, schema=schema)
    assert ours == _segment_files(tmp_path / "theirs", docs, whooshs=True, schema=schema)
