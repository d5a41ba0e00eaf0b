"""JSON streams: records of JSON-lines, JSON-list and JSON files read lazily, in bounded
memory, each record on its own (a bad one spoils nothing else)."""

import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from indexer import settings
from indexer.ingest.article import Article, Problem
from indexer.ingest.jsonstream import RawRecord, iter_raw_records, record_article
from indexer.ingest.readers import read_paths

from .helpers import inspect_records

GEOPOLITICS = Path(__file__).resolve().parents[2] / "shared" / "data" / "archive" / "geopolitics.jsonl"
needs_archive = pytest.mark.skipif(
    not GEOPOLITICS.is_file(), reason=f"the real archive's blog posts are not at {GEOPOLITICS}"
)


def raw(path, start=0):
    return list(iter_raw_records(path, start))


def records(path):
    return [r for r in raw(path) if isinstance(r, RawRecord)]


def reasons(path):
    return [str(r) for r in raw(path) if isinstance(r, Problem)]


# --- a real JSON-lines file ----------------------------------------------------------------


@needs_archive
def test_real_json_lines_file_gives_each_line_as_it_is_in_the_file():
    data = GEOPOLITICS.read_bytes()
    lines = data.split(b"\n")
    found = raw(GEOPOLITICS)
    assert all(isinstance(r, RawRecord) for r in found)
    assert len(found) == 842 == sum(1 for line in lines if line.strip())
    for record in found:
        n = int(record.where[1:])
        assert record.data == lines[n - 1].rstrip(b"\r")
        assert data[record.offset : record.offset + len(record.data)] == record.data


@needs_archive
def test_real_json_lines_file_reads_as_842_articles_with_their_ids():
    items = list(read_paths([GEOPOLITICS]))
    assert all(isinstance(i, Article) for i in items)
    ids = [i.id for i in items]
    assert len(ids) == 842 == len(set(ids))
    assert ids == [json.loads(line)["id"] for line in GEOPOLITICS.read_bytes().splitlines() if line.strip()]


@needs_archive
def test_reading_resumes_from_a_line_start_with_the_same_line_numbers():
    whole = raw(GEOPOLITICS)
    resumed = raw(GEOPOLITICS, whole[500].offset)
    assert resumed == whole[500:]


# --- JSON lines ----------------------------------------------------------------------------


def test_each_line_is_decoded_on_its_own(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        json.dumps({"id": "a", "text": "Déjà vu à Erevan."}, ensure_ascii=False).encode("utf-8")
        + b"\n"
        + json.dumps({"id": "b", "text": "Été à Évian."}, ensure_ascii=False).encode("cp1252")
        + b"\r\n"
        + json.dumps({"id": "c", "text": "Ça va."}, ensure_ascii=False).encode("utf-8")
        + b"\n"
    )
    a, b, c = read_paths([path])
    assert (a.text, b.text, c.text) == ("Déjà vu à Erevan.", "Été à Évian.", "Ça va.")
    assert not a.warnings and not c.warnings
    assert b.warnings == ["not UTF-8 (byte 21); read as cp1252"]  # the "É", after {"id": "b", "text": "


def test_a_line_over_the_record_limit_is_refused_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "MAX_RECORD_BYTES", 1000)
    path = tmp_path / "feed.jsonl"
    lines = [{"id": "a", "text": "short"}, {"id": "b", "text": "x" * 5000}, {"id": "c", "text": "short"}]
    path.write_text("\n".join(json.dumps(o) for o in lines) + "\n")
    assert [r.where for r in records(path)] == [":1", ":3"]
    assert reasons(path) == [f"{path}:2: refused: record over the 1.0 kB limit"]


def test_json_lines_are_not_held_to_the_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 1000)
    (tmp_path / "big.jsonl").write_text(
        "".join(json.dumps({"id": f"r{n}", "text": "Some text."}) + "\n" for n in range(200))
    )
    (tmp_path / "big.json").write_text(json.dumps([{"id": f"l{n}", "text": "Some text."} for n in range(200)]))
    (tmp_path / "big.txt").write_text("Some text. " * 200)
    items = list(read_paths([tmp_path]))
    assert sum(isinstance(i, Article) for i in items) == 400
    assert [str(i) for i in items if isinstance(i, Problem)] == [
        f"{tmp_path / 'big.txt'}: refused: 2.2 kB is over the 1.0 kB limit"
    ]


def test_inspect_streams_a_json_lines_file_over_the_file_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 1000)
    (tmp_path / "feed.jsonl").write_text(
        "".join(
            json.dumps({"id": f"r{n}", "text": f"Nikol Pashinyan met the council on day {n}."}) + "\n"
            for n in range(40)
        )
    )
    result, found = inspect_records(tmp_path)
    assert result.exit_code == 0 and not result.stderr.strip()
    assert [r["id"] for r in found] == [f"r{n}" for n in range(40)]


def test_a_json_lines_file_with_one_record_still_names_its_line(tmp_path):
    (tmp_path / "one.jsonl").write_text('{"text": "Only one."}\n')
    [record] = records(tmp_path / "one.jsonl")
    assert record.where == ":1"
    [article] = read_paths([tmp_path])
    assert article.id == "one.jsonl:1"


def test_utf16_json_lines_are_read(tmp_path):
    path = tmp_path / "wide.jsonl"
    lines = [{"id": "a", "text": "Ереван."}, {"id": "b", "text": "Évian."}]
    path.write_bytes("\n".join(json.dumps(o, ensure_ascii=False) for o in lines).encode("utf-16"))
    found = records(path)
    assert [json.loads(r.data) for r in found] == lines
    assert [r.offset for r in found] == [2, 2 + 2 * (len(json.dumps(lines[0], ensure_ascii=False)) + 1)]


# --- JSON lists and documents --------------------------------------------------------------


def test_a_json_list_is_streamed_element_by_element(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "JSON_CHUNK_BYTES", 16)
    objects = [{"id": f"e{n}", "text": f"Élément numéro {n}, à Évian."} for n in range(30)]
    path = tmp_path / "list.json"
    path.write_text(json.dumps(objects, indent=2, ensure_ascii=False), encoding="utf-8")
    found = records(path)
    data = path.read_bytes()
    assert [json.loads(r.data) for r in found] == objects
    assert [r.where for r in found] == [f"#{n}" for n in range(1, 31)]
    assert all(data[r.offset : r.offset + len(r.data)] == r.data for r in found)


def test_a_malformed_element_is_one_problem_and_the_list_goes_on(tmp_path):
    path = tmp_path / "list.json"
    path.write_text('[{"id": "a", "text": "A."},\n {"id": "b", "text": },\n {"id": "c", "text": "C."}]')
    assert [r.where for r in records(path)] == ["#1", "#3"]
    assert reasons(path) == [f"{path}#2: refused: JSON does not parse (Expecting value at line 2, column 22)"]


def test_a_list_that_cannot_resync_is_one_problem_for_the_rest(tmp_path):
    path = tmp_path / "list.json"
    path.write_text('[{"id": "a", "text": "A."}, no more json here at all ]')
    assert [r.where for r in records(path)] == ["#1"]
    [problem] = reasons(path)
    assert problem.startswith(f"{path}#2: refused: JSON does not parse (")
    assert problem.endswith("; the rest of the file could not be read")


def test_an_element_over_the_record_limit_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "MAX_RECORD_BYTES", 1000)
    monkeypatch.setattr(settings, "JSON_CHUNK_BYTES", 64)
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"id": "a", "text": "A."}, {"id": "b", "text": "x" * 5000}, {"id": "c", "text": "C."}]))
    assert [r.where for r in records(path)] == ["#1", "#3"]
    assert reasons(path) == [f"{path}#2: refused: record over the 1.0 kB limit"]


def test_a_list_cut_short_names_the_file(tmp_path):
    (tmp_path / "cut.json").write_text('[{"id": "a", "text": "A."}, {"id": "b", "te')
    (tmp_path / "open.json").write_text('[{"id": "a", "text": "A."}')
    assert reasons(tmp_path / "cut.json") == [
        f"{tmp_path / 'cut.json'}: refused: JSON does not parse (the file ends inside element #2)"
    ]
    assert reasons(tmp_path / "open.json") == [
        f"{tmp_path / 'open.json'}: refused: JSON does not parse (the list is not closed)"
    ]
    assert len(records(tmp_path / "cut.json")) == 1


def test_a_pretty_printed_object_is_the_files_single_record(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"title": "T", "text": "One article."}, indent=2))
    [record] = raw(path)
    assert (record.where, record.offset, record.data) == ("", 0, path.read_bytes())
    [article] = read_paths([tmp_path])
    assert article.id == "one.json"


def test_record_article_problems_name_file_and_place(tmp_path):
    path = tmp_path / "f.jsonl"
    bad = record_article(RawRecord(":7", b'{"id": 1, "text": ', 0), path, tmp_path, single=False)
    assert str(bad) == f"{path}:7: refused: JSON does not parse (Expecting value at column 19)"
    wrong = record_article(RawRecord("#3", b'["a list"]', 0), path, tmp_path, single=False)
    assert str(wrong) == f"{path}#3: refused: a record must be a JSON object, not a list"


def test_an_unterminated_string_is_named_once_with_its_place(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text('{"id": "a", "text": "A."}\n{"id": "b", "text": "cut off\n')
    [problem] = [i for i in read_paths([path]) if isinstance(i, Problem)]
    assert str(problem) == f"{path}:2: refused: JSON does not parse (Unterminated string starting at column 21)"


def test_empty_files_and_lists(tmp_path):
    (tmp_path / "blank.jsonl").write_text("\n \n")
    (tmp_path / "empty.json").write_text("[ ]")
    assert reasons(tmp_path / "blank.jsonl") == [f"{tmp_path / 'blank.jsonl'}: refused: empty file"]
    assert reasons(tmp_path / "empty.json") == [f"{tmp_path / 'empty.json'}: refused: empty list"]


# --- bounded memory --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["lines", "list"])
def test_memory_stays_bounded_whatever_the_file_size(tmp_path, shape):
    objects = ({"id": f"r{n}", "text": "Some words of an article. " * 400} for n in range(2000))
    path = tmp_path / ("big.jsonl" if shape == "lines" else "big.json")
    with open(path, "w") as out:
        if shape == "lines":
            out.writelines(json.dumps(o) + "\n" for o in objects)
        else:
            out.write("[\n" + ",\n".join(json.dumps(o) for o in objects) + "\n]")
    size = path.stat().st_size
    assert size > 20_000_000
    tracemalloc.start()
    try:
        count = sum(1 for r in iter_raw_records(path) if isinstance(r, RawRecord))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 2000
    assert peak < 8_000_000, f"{peak / 1e6:.1f} MB held to read a {size / 1e6:.0f} MB file"


# --- properties ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
json_objects = st.dictionaries(st.text(max_size=10), json_values, max_size=5)


@hsettings(max_examples=150, deadline=None)
@given(
    objects=st.lists(json_objects, min_size=1, max_size=12),
    shape=st.sampled_from(["lines", "list"]),
    chunk=st.sampled_from([1, 3, 16, 1024]),
    ascii=st.booleans(),
    indent=st.sampled_from([None, 0, 2]),
)
def test_any_json_objects_come_back_in_order_whatever_the_chunk_size(
    tmp_path_factory, objects, shape, chunk, ascii, indent
):
    path = tmp_path_factory.mktemp("p") / ("f.jsonl" if shape == "lines" else "f.json")
    if shape == "lines":
        path.write_text("".join(json.dumps(o, ensure_ascii=ascii) + "\n" for o in objects), encoding="utf-8")
    else:
        path.write_text(json.dumps(objects, ensure_ascii=ascii, indent=indent), encoding="utf-8")
    old = settings.JSON_CHUNK_BYTES
    settings.JSON_CHUNK_BYTES = chunk
    try:
        found = raw(path)
    finally:
        settings.JSON_CHUNK_BYTES = old
    assert all(isinstance(r, RawRecord) for r in found), found
    assert [json.loads(r.data) for r in found] == objects
    data = path.read_bytes()
    assert all(data[r.offset : r.offset + len(r.data)] == r.data for r in found)
    expected = (
        [f":{n}" for n in range(1, len(objects) + 1)]
        if shape == "lines"
        else [f"#{n}" for n in range(1, len(objects) + 1)]
    )
    assert [r.where for r in found] == expected


def test_a_json_file_that_is_no_json_at_all_is_one_problem(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("These are notes,\nnot JSON:\n{ at all }\n")
    assert raw(path) == [Problem(str(path), "refused: JSON does not parse (Expecting value at line 1, column 1)")]


valid_file = st.lists(json_objects, min_size=1, max_size=6).map(lambda objs: json.dumps(objs, indent=1).encode())
valid_lines = st.lists(json_objects, min_size=1, max_size=6).map(
    lambda objs: "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs).encode()
)


@st.composite
def damaged(draw):
    data = bytearray(draw(st.one_of(valid_file, valid_lines)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        data[at : at + draw(st.integers(0, 8))] = draw(st.binary(max_size=6))
    return bytes(data)


@hsettings(max_examples=200, deadline=None)
@given(
    data=st.one_of(st.binary(max_size=300), damaged()),
    suffix=st.sampled_from([".json", ".jsonl"]),
    chunk=st.sampled_from([1, 7, 1024]),
)
def test_whatever_a_json_file_holds_reading_never_raises_and_problems_are_one_line(
    tmp_path_factory, data, suffix, chunk
):
    path = tmp_path_factory.mktemp("d") / f"f{suffix}"
    path.write_bytes(data)
    old = settings.JSON_CHUNK_BYTES
    settings.JSON_CHUNK_BYTES = chunk
    try:
        found = raw(path)
    finally:
        settings.JSON_CHUNK_BYTES = old
    for item in found:
        if isinstance(item, RawRecord):
            item = record_article(item, path, path.parent, single=item.where == "")
        if isinstance(item, Problem):
            assert "\n" not in str(item) and str(item).startswith(str(path))
            assert "Error" not in item.reason and "Traceback" not in item.reason
