"""Readers: formats, ids, decoding, and bad input that never stops a run."""

import json

from indexer import settings
from indexer.ingest.article import Article, Problem
from indexer.ingest.readers import read_paths

from .helpers import inspect_records, run_cli


def read(*paths):
    return list(read_paths(paths))


def test_text_date_marker_is_metadata_not_text(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2024-02-29 Yerevan said on Monday that talks would go on.")
    [article] = read(tmp_path)
    assert article.date == "2024-02-29"
    assert article.text == "Yerevan said on Monday that talks would go on."
    assert article.id == "a.txt"


def test_directory_is_walked_recursively_with_relative_ids(tmp_path):
    (tmp_path / "2023" / "09").mkdir(parents=True)
    (tmp_path / "2023" / "09" / "x.txt").write_text("Some text here.")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "y.txt").write_text("Hidden text.")
    (tmp_path / "notes.md").write_text("not an article")
    assert [a.id for a in read(tmp_path)] == ["2023/09/x.txt"]


def test_utf8_bom_is_read(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeffLe ministre arménien a parlé.".encode())
    [article] = read(tmp_path)
    assert article.text == "Le ministre arménien a parlé."
    assert not article.warnings


def test_cp1252_fallback_warns_and_reads(tmp_path):
    (tmp_path / "old.txt").write_bytes("Le ministre français a parlé à Erevan.".encode("cp1252"))
    [article] = read(tmp_path)
    assert "français" in article.text
    assert "not UTF-8" in article.warnings[0]


def test_bad_files_are_refused_with_a_reason(tmp_path, monkeypatch):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n ")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "huge.txt").write_text("x" * 2000)
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 1000)
    problems = {p.path.rsplit("/", 1)[-1]: p.reason for p in read(tmp_path)}
    assert problems == {
        "binary.txt": "refused: binary file",
        "blank.txt": "refused: empty file",
        "empty.txt": "refused: empty file",
        "huge.txt": "refused: 2.0 kB is over the 1.0 kB limit",
    }


def test_missing_and_unknown_paths(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    problems = read(tmp_path / "nope.txt", tmp_path / "a.pdf")
    assert [p.reason for p in problems] == ["not found", "refused: unknown file type '.pdf'"]


def test_json_lines_ids_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "r1", "title": "T", "date": "2023-09-19", "text": "Baku launched an offensive."}),
        "{not json",
        json.dumps({"url": "https://example.org/a", "text": "Moscow said nothing."}),
        json.dumps({"text": "No id nor url."}),
        json.dumps(["a list"]),
        json.dumps({"id": "r5"}),
        json.dumps({"id": "r6", "text": 42}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    items = read(tmp_path)
    articles = [i for i in items if isinstance(i, Article)]
    problems = [str(i) for i in items if isinstance(i, Problem)]
    assert [a.id for a in articles] == ["r1", "https://example.org/a", "feed.jsonl:4"]
    assert articles[0].title == "T" and articles[0].date == "2023-09-19"
    assert [p.split(": ", 1)[0].rsplit("/", 1)[-1] for p in problems] == [
        "feed.jsonl:2",
        "feed.jsonl:5",
        "feed.jsonl:6",
        "feed.jsonl:7",
    ]
    assert "JSON does not parse" in problems[0]


def test_json_document_object_or_list(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"id": "x", "html": "<p>Hello</p>"}, indent=2))
    (tmp_path / "many.json").write_text(json.dumps([{"id": "a", "text": "A."}, {"id": "b", "text": "B."}]))
    (tmp_path / "broken.json").write_text('[{"id": "a", ')
    items = read(tmp_path)
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "b", "x"]
    assert [i for i in items if isinstance(i, Article) and i.id == "x"][0].html == "<p>Hello</p>"
    assert any(isinstance(i, Problem) and i.path.endswith("broken.json") for i in items)


def test_inspect_reports_problems_one_line_each_and_reads_the_rest(tmp_path):
    (tmp_path / "good.txt").write_text("Nikol Pashinyan met Ilham Aliyev in Brussels on Sunday.")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "feed.jsonl").write_text('{"id": "ok", "text": "Lavrov spoke."}\n{oops\n')
    (tmp_path / "page.html").write_text("<html><body><div><p>Unclosed <b>tags")
    result, records = inspect_records(tmp_path)
    assert result.exit_code == 0
    assert sorted(r["id"] for r in records) == ["good.txt", "ok", "page.html"]
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert all(line.startswith("news-search: ") and "Traceback" not in line for line in errors)
    assert any("bad.txt: refused: binary file" in line for line in errors)
    assert any("feed.jsonl:2: refused: JSON does not parse" in line for line in errors)


def test_inspect_fails_only_when_nothing_could_be_read(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00")
    result = run_cli("inspect", tmp_path)
    assert result.exit_code == 1
    assert "bad.txt: refused: binary file" in result.stderr
