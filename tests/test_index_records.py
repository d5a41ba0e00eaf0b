"""JSON-lines dumps are indexed record by record; ids are unique; the alias table an
index was built with is the one its searches use."""

import json

from indexer.store.indexing import run_index
from search.engine import SearchEngine, SearchRequest

from .helpers import CORPUS, run_cli

TOPICS = ["Yerevan", "Baku", "Moscow", "Brussels", "Tbilisi", "Paris"]


def record(i: int, **extra) -> dict:
    city = TOPICS[i % len(TOPICS)]
    return {
        "id": f"r{i}",
        "date": f"2021-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
        "title": f"Dispatch {i} from {city}",
        "text": f"Dispatch number {i}: officials in {city} met reporters and discussed the border talks "
        f"with their neighbours for a long time before the evening.",
        **extra,
    }


def write_jsonl(path, records) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def search(index, text="", **kw):
    return SearchEngine(index).search(SearchRequest(text, limit=1000, collapse=False, **kw))


def test_appending_records_ingests_only_the_new_ones(tmp_path):
    dump, index = tmp_path / "dump" / "wire.jsonl", tmp_path / "index"
    dump.parent.mkdir()
    records = [record(i) for i in range(40)]
    write_jsonl(dump, records)
    first = run_index([dump.parent], index, workers=1)
    assert (first.added, first.unchanged) == (40, 0)

    write_jsonl(dump, records + [record(i) for i in range(40, 44)])
    appended = run_index([dump.parent], index, workers=1)
    assert (appended.added, appended.updated, appended.deleted, appended.unchanged) == (4, 0, 0, 40)

    again = run_index([dump.parent], index, workers=1)
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 44)
    assert search(index)["total"] == 44


def test_changed_and_vanished_records_are_replaced_and_deleted(tmp_path):
    dump, index = tmp_path / "wire.jsonl", tmp_path / "index"
    records = [record(i) for i in range(30)]
    write_jsonl(dump, records)
    run_index([dump], index, workers=1)

    records[3] = record(3, title="Dispatch 3 rewritten about Stepanakert")
    del records[7]
    records.reverse()  # order alone is no change
    write_jsonl(dump, records)
    summary = run_index([dump], index, workers=1)
    assert (summary.added, summary.updated, summary.deleted, summary.unchanged) == (0, 1, 1, 28)
    result = search(index)
    assert result["total"] == 29
    ids = [h["id"] for h in result["hits"]]
    assert len(ids) == len(set(ids)) and "r7" not in ids
    assert [h["id"] for h in search(index, "Stepanakert")["hits"]] == ["r3"]


def test_a_dump_cut_off_mid_record_loses_no_article(tmp_path):
    """A dump read while its writer is half-way (its end cut in a record) keeps the
    articles it held past the cut, says so, and changes nothing once whole again; records
    truly gone are deleted once it is whole."""
    dump, index = tmp_path / "wire.jsonl", tmp_path / "index"
    records = [record(i) for i in range(30)]
    write_jsonl(dump, records)
    run_index([dump], index, workers=1)
    whole = dump.read_bytes()
    dump.write_bytes(whole[: len(whole) // 2 - 7])  # cut in the middle of a record
    cut = run_index([dump], index, workers=1)
    assert (cut.added, cut.updated, cut.deleted) == (0, 0, 0)
    assert any("kept" in p and "wire.jsonl" in p for p in cut.problems)
    assert search(index)["total"] == 30
    dump.write_bytes(whole)
    restored = run_index([dump], index, workers=1)
    assert (restored.added, restored.updated, restored.deleted, restored.unchanged) == (0, 0, 0, 30)
    write_jsonl(dump, records[:20])
    shorter = run_index([dump], index, workers=1)
    assert (shorter.added, shorter.deleted) == (0, 10)
    assert search(index)["total"] == 20


def test_records_are_shared_among_workers(tmp_path):
    dump, index = tmp_path / "wire.jsonl", tmp_path / "index"
    write_jsonl(dump, [record(i) for i in range(800)])
    summary = run_index([dump], index, workers=2)
    assert summary.added == 800 and not summary.problems
    segments = {p.name.split("_")[1] for p in index.glob("*.seg")}
    assert len(segments) >= 2  # both workers wrote a segment of the one file
    assert search(index, "Yerevan")["total"] == len([i for i in range(800) if i % 6 == 0])


def test_an_id_used_by_two_files_is_refused_naming_both(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write_jsonl(corpus / "a.jsonl", [record(1), record(2)])
    write_jsonl(corpus / "b.jsonl", [record(2, title="A second copy of dispatch 2"), record(3)])
    result = run_cli("index", corpus, "--index", index)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "'r2'" in line]
    assert len(lines) == 1 and "b.jsonl" in lines[0] and "a.jsonl" in lines[0]
    hits = search(index)["hits"]
    assert sorted(h["id"] for h in hits) == ["r1", "r2", "r3"]
    assert [h["title"] for h in hits if h["id"] == "r2"] == ["Dispatch 2 from Moscow"]
    assert run_cli("index", corpus, "--index", index).exit_code == 0
    assert search(index)["total"] == 3


def test_the_same_id_twice_in_one_file_is_refused(tmp_path):
    dump, index = tmp_path / "wire.jsonl", tmp_path / "index"
    write_jsonl(dump, [record(1), record(1, title="Again")])
    summary = run_index([dump], index, workers=1)
    assert summary.added == 1
    assert any("'r1'" in p and "already used" in p for p in summary.problems)


def globex(tmp_path):
    """A custom alias table (the bundled one and a company), and a dump naming the company."""
    table = tmp_path / "mine.csv"
    bundled = (CORPUS.parent / "indexer" / "data" / "actors.csv").read_text(encoding="utf-8")
    table.write_text(bundled.rstrip("\n") + "\nGlobex Corporation,organization,Globex\n", encoding="utf-8")
    dump, index = tmp_path / "wire.jsonl", tmp_path / "index"
    write_jsonl(dump, [record(1, text="Globex Corporation opened an office in Yerevan, and Globex hired staff.")])
    return table, bundled, dump, index


def test_the_index_keeps_its_alias_table_for_searches(tmp_path):
    table, bundled, dump, index = globex(tmp_path)
    assert run_cli("index", dump, "--index", index, "--actors", table).exit_code == 0

    result = run_cli("query", "--actor", "Globex", "--index", index, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [h["id"] for h in json.loads(result.stdout)["hits"]] == ["r1"]
    assert "Globex Corporation" in run_cli("stats", "--index", index).stdout

    table.write_text(bundled, encoding="utf-8")  # changed since indexing
    result = run_cli("query", "--actor", "Globex", "--index", index, "--format", "json")
    assert result.exit_code == 0
    assert "changed since it was indexed" in result.stderr and "news-search index" in result.stderr


def test_a_nul_byte_refuses_its_record_only(tmp_path):
    dump, index = tmp_path / "wire.jsonl", tmp_path / "index"
    lines = [json.dumps(record(1)), '{"id": "bad", "text": "a NUL \x00 inside"}', json.dumps(record(2))]
    dump.write_bytes("\n".join(lines).encode("utf-8"))
    summary = run_index([dump], index, workers=1)
    assert summary.added == 2
    assert len(summary.problems) == 1 and f"{dump}:2" in summary.problems[0]
    assert "NUL" in summary.problems[0] and "_stored" not in summary.problems[0]


def test_a_record_refused_for_its_id_comes_in_once_the_holder_is_gone(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write_jsonl(corpus / "a.jsonl", [record(1)])
    write_jsonl(corpus / "b.jsonl", [record(1, title="The second holder"), record(2)])
    first = run_index([corpus], index, workers=1)
    assert first.added == 2 and any("'r1'" in p for p in first.problems)
    (corpus / "a.jsonl").unlink()
    second = run_index([corpus], index, workers=1)
    assert second.deleted == 1 and second.added == 1 and not second.problems
    assert [h["title"] for h in search(index)["hits"] if h["id"] == "r1"] == ["The second holder"]


def test_a_plain_run_keeps_the_languages_and_table_the_index_was_built_with(tmp_path):
    table, bundled, dump, index = globex(tmp_path)
    assert run_cli("index", dump, "--index", index, "--lang", "en,fr,de", "--actors", table).exit_code == 0
    result = run_cli("index", dump, "--index", index)
    assert result.exit_code == 0 and "0 added" in result.stdout and "1 unchanged" in result.stdout
    assert json.loads((index / "news-search.json").read_text())["languages"] == ["de", "en", "fr"]
    assert run_cli("query", "--actor", "Globex", "--index", index).exit_code == 0


def test_an_id_given_up_by_a_file_read_earlier_is_taken_by_a_later_one_in_the_same_run(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    (corpus / "a").mkdir(parents=True)
    write_jsonl(corpus / "a" / "dump.jsonl", [record(1), record(2)])
    write_jsonl(corpus / "other.jsonl", [record(2, title="The other copy"), record(3)])
    first = run_index([corpus], index, workers=1)
    assert first.added == 3 and [p for p in first.problems if "'r2'" in p and "already used" in p]

    write_jsonl(corpus / "a" / "dump.jsonl", [record(1)])  # the holder, read first, gives r2 up
    second = run_index([corpus], index, workers=1)
    assert (second.added, second.deleted, second.problems) == (1, 1, [])
    assert [h["title"] for h in search(index)["hits"] if h["id"] == "r2"] == ["The other copy"]

    third = run_index([corpus], index, workers=1)
    assert (third.added, third.updated, third.deleted, third.unchanged, third.problems) == (0, 0, 0, 3, [])
