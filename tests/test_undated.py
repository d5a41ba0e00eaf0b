"""Undated and old articles are first-class: indexed, found, sorted last, counted."""

import json

import pytest

from .helpers import CORPUS, run_cli

UNDATED_STORY = (
    "A story without any date\n\n"
    "Pashinyan met officials in Yerevan to discuss the border and the peace treaty "
    "with Azerbaijan, and nobody said when the meeting took place.\n"
)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for path in CORPUS.iterdir():
        (corpus / path.name).write_bytes(path.read_bytes())
    (corpus / "undated.txt").write_text(UNDATED_STORY, encoding="utf-8")
    records = [
        {
            "id": "wire-1",
            "date": "26-FEB-1987 15:01:01.79",
            "title": "Grain talks",
            "text": "Ministers from Armenia and France discussed grain exports at length in Paris today.",
        },
        {
            "id": "wire-2",
            "date": "1887-03-12",
            "title": "An old report",
            "text": "The correspondent in Tiflis reported heavy snow across the Caucasus mountains.",
        },
        {
            "id": "wire-3",
            "date": "yesterday",
            "title": "A relative date",
            "text": "Officials in Baku commented on the negotiations with Armenia about the border.",
        },
    ]
    (corpus / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    result = run_cli("index", corpus, "--index", index)
    assert result.exit_code == 0, result.output
    return index, result


def query(index, *args):
    result = run_cli("query", *args, "--index", index[0], "--format", "json", "--limit", "100")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_words_find_an_undated_article(index):
    hits = query(index, "Pashinyan")["hits"]
    undated = [h for h in hits if h["id"] == "undated.txt"]
    assert undated and undated[0]["date"] is None
    assert len(hits) == 5


def test_plain_text_output_says_undated(index):
    result = run_cli("query", "Yerevan officials", "--index", index[0])
    assert result.exit_code == 0, result.output
    assert "undated" in result.stdout


def test_undated_articles_come_last_in_date_order(index):
    dates = [h["date"] for h in query(index, "--sort", "date")["hits"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates[len(dated) :] == [None] * (len(dates) - len(dated))
    assert None in dates


def test_recent_sort_keeps_undated_results(index):
    ids = [h["id"] for h in query(index, "Armenia", "--sort", "recent")["hits"]]
    assert "undated.txt" in ids


def test_a_date_filter_leaves_undated_articles_out(index):
    result = query(index, "--since", "1800")
    assert all(h["date"] for h in result["hits"])
    assert result["total"] == query(index)["total"] - 2  # the undated story and "yesterday"


def test_facets_count_an_undated_bucket(index):
    result = query(index)
    months = result["facets"]["month"]
    assert months[-1] == {"value": "undated", "count": 2}
    assert sum(m["count"] for m in months) == result["total"]
    assert sum(y["count"] for y in result["facets"]["year"]) == result["total"]


def test_old_metadata_dates_are_kept(index):
    dates = {h["id"]: h["date"] for h in query(index, "--since", "1800", "--until", "1999")["hits"]}
    assert dates == {"wire-1": "1987-02-26", "wire-2": "1887-03-12"}
    assert [h["id"] for h in query(index, "date:1987")["hits"]] == ["wire-1"]


def test_a_date_that_is_no_date_is_a_warning_naming_the_record(index):
    lines = [line for line in index[1].stderr.splitlines() if "yesterday" in line]
    assert len(lines) == 1 and "wire.jsonl:3:" in lines[0] and "undated" in lines[0]


def test_inspect_names_the_record_of_a_warning(tmp_path):
    records = [
        {"id": "a", "date": "2023-05-04", "text": "Officials in Baku met the press at noon."},
        {"id": "b", "date": "2023-13-45", "text": "Officials in Yerevan met the press at noon."},
    ]
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    result = run_cli("inspect", path)
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and f"{path}:2: warning" in warnings[0] and "2023-13-45" in warnings[0]


def test_stats_counts_undated_articles(index):
    result = run_cli("stats", "--index", index[0], "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["undated"] == 2 and data["first_month"] == "1887-03"


def test_web_page_and_article_of_an_undated_article(index):
    from search.engine import SearchEngine
    from search.web import create_app

    client = create_app(engine=SearchEngine(index[0])).test_client()
    page = client.get("/?q=Yerevan")
    assert page.status_code == 200 and b"undated" in page.data
    assert client.get("/").status_code == 200
    assert client.get("/article/undated.txt").status_code == 200
    assert client.get("/api/search?sort=date").get_json()["hits"][-1]["date"] is None


def test_a_segment_of_undated_articles_beside_dated_ones(tmp_path):
    """A run that adds only undated articles writes a segment without any date: searches,
    date sorts and facets over it and the dated articles of another run still work, and
    each article keeps its own date."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "undated.txt").write_text(UNDATED_STORY, encoding="utf-8")
    assert run_cli("index", corpus, "--index", index).exit_code == 0
    for path in CORPUS.iterdir():
        (corpus / path.name).write_bytes(path.read_bytes())
    assert run_cli("index", corpus, "--index", index).exit_code == 0
    everything = query((index,), "")
    assert everything["total"] == 6
    dated = query((index,), "", "--sort", "date")["hits"]
    assert [h["date"] is None for h in dated] == [False] * 5 + [True]
    assert next(h for h in dated if h["date"] is None)["title"] == "A story without any date"
    months = {d["value"]: d["count"] for d in everything["facets"]["month"]}
    assert months.get("undated") == 1 and sum(months.values()) == 6


@pytest.mark.parametrize("until", ["9999", "9999-12", "9999-12-31"])
def test_a_date_range_may_end_with_the_last_year_a_date_can_have(index, until):
    """``--until 9999`` is the end of time: every dated article, not an internal error."""
    every_dated = [h for h in query(index, "")["hits"] if h["date"] is not None]
    assert {h["id"] for h in query(index, "", "--until", until)["hits"]} == {h["id"] for h in every_dated}


def test_stats_of_an_archive_with_no_dated_article_says_so(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text(
        "Talks in Baku\n\nOfficials in Baku met the press at noon.\n", encoding="utf-8"
    )
    assert run_cli("index", tmp_path / "c", "--index", tmp_path / "ix", "--quiet").exit_code == 0
    result = run_cli("stats", "--index", tmp_path / "ix")
    assert result.exit_code == 0 and "months: none, 1 undated" in result.stdout and "None" not in result.stdout


def test_show_says_undated(index):
    result = run_cli("show", "undated.txt", "--index", index[0])
    assert result.exit_code == 0 and "\ndate: undated\n" in result.stdout
