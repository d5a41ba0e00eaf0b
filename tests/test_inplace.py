"""Segment files are read in place: opening an index costs no copy of its postings."""

from __future__ import annotations

import io
import pickle
import random
import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from indexer.store import inplace, whoosh_compat
from indexer.store.writer import IndexWriter

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(-1, 40)),
        st.tuples(st.just("readline"), st.integers(-1, 40)),
        st.tuples(st.just("seek"), st.integers(0, 80)),
        st.tuples(st.just("seek_cur"), st.integers(-5, 20)),
        st.tuples(st.just("seek_end"), st.integers(-30, 0)),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=60), ops=OPS)
def test_view_file_reads_like_bytesio(data, ops):
    view, copy = inplace.ViewFile(memoryview(data)), io.BytesIO(data)
    for op, n in ops:
        if op == "read":
            assert view.read(n) == copy.read(n)
        elif op == "readline":
            assert view.readline(n) == copy.readline(n)
        elif op == "seek":
            assert view.seek(n) == copy.seek(n)
        elif op == "seek_cur":
            if copy.tell() + n >= 0:
                assert view.seek(n, io.SEEK_CUR) == copy.seek(n, io.SEEK_CUR)
        elif len(data) + n >= 0:
            assert view.seek(n, io.SEEK_END) == copy.seek(n, io.SEEK_END)
        assert view.tell() == copy.tell()


def test_view_file_unpickles():
    values = [{"a": 1}, "b" * 1000, list(range(100))]
    buf = io.BytesIO()
    for v in values:
        pickle.dump(v, buf, 2)
    view = inplace.ViewFile(memoryview(buf.getvalue()))
    assert [pickle.load(view) for _ in values] == values


def test_opening_an_index_does_not_copy_its_postings(tmp_path):
    whoosh_compat.install()
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(20_000)]
    schema = Schema(id=ID(stored=True), body=TEXT)
    ix = whoosh_index.create_in(str(tmp_path), schema)
    writer = IndexWriter(ix)
    bodies = {}
    for n in range(3_000):
        bodies[str(n)] = rng.choices(vocabulary, k=300)
        writer.add_document(id=str(n), body=" ".join(bodies[str(n)]))
    writer.commit()
    postings = sum(f.stat().st_size for f in tmp_path.iterdir())
    assert postings > 4_000_000  # a compound segment of several MB

    tracemalloc.start()
    try:
        reader = ix.reader()
        allocated, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert allocated < postings / 10

    with ix.searcher() as searcher:
        hits = searcher.search(QueryParser("body", schema).parse("w17 OR w42"), limit=None)
        expected = {n for n, words in bodies.items() if {"w17", "w42"} & set(words)}
        assert expected and {h["id"] for h in hits} == expected
    reader.close()
