"""Searching the five sample articles through ``news-search query --format json``."""

import json
import random

import pytest

from search.engine import SearchEngine, SearchRequest
from search.querying import QueryError

from .helpers import CORPUS, HIT_KEYS, run_cli


@pytest.fixture(scope="session")
def index(tmp_path_factory):
    path = tmp_path_factory.mktemp("index")
    result = run_cli("index", CORPUS, "--index", path, "--quiet")
    assert result.exit_code == 0, result.output
    return path


def query(index, *args):
    limit = () if "--limit" in args else ("--limit", "100")
    result = run_cli("query", *args, "--index", index, "--format", "json", *limit)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def found(index, *args):
    return sorted(h["id"][:3] for h in query(index, *args)["hits"])


@pytest.mark.parametrize(
    "args, expected",
    [
        (("--actor", "Putin"), ["002", "004"]),
        (("--actor", "Poutine"), ["002", "004"]),
        (("--actor", "Pashinyan"), ["000", "001", "002", "003"]),
        (("--actor", "Pachinian"), ["000", "001", "002", "003"]),
        (("--actor", "CSTO"), ["000", "001", "002", "003"]),
        (("--actor", "OTSC"), ["000", "001", "002", "003"]),
        (("--actor", "Lavrov"), ["004"]),
        (("Serguei",), ["004"]),
        (("Peskov",), ["000", "004"]),
        (("Kremlin",), ["000", "002", "004"]),
        (("--since", "2023-09-01", "--until", "2023-09-30"), ["000", "001", "004"]),
        (("date:[2023-09-01 to 2023-09-30]",), ["000", "001", "004"]),
        (("QWIKET",), []),
        (("RFEF",), []),
        (('"Kim Yo-jong"',), []),
        (("subscribers",), []),
        (("--actor", "North Korea"), []),
    ],
)
def test_seed_searches(index, args, expected):
    assert found(index, *args) == expected


@pytest.mark.parametrize("text", ['"porte-parole"', "securite", "sécurité"])
def test_french_words_find_004(index, text):
    assert "004" in found(index, text)


def test_words_naming_an_actor_find_its_articles(index):
    assert found(index, "Poutine") == ["002", "004"]
    assert found(index, "actor:Poutine") == ["002", "004"]
    assert found(index, "Pachinian") == ["000", "001", "002", "003"]


def test_month_facet_and_empty_query_lists_everything_newest_first(index):
    result = query(index)
    assert result["total"] == 5
    assert result["facets"]["month"] == [
        {"value": "2023-05", "count": 1},
        {"value": "2023-09", "count": 3},
        {"value": "2023-11", "count": 1},
    ]
    dates = [h["date"] for h in result["hits"]]
    assert dates == sorted(dates, reverse=True)


def test_facets_cover_the_whole_result_set(index):
    result = query(index, "Kremlin", "--limit", "1")
    assert len(result["hits"]) == 1 and result["total"] == 3
    actors = {d["value"]: d for d in result["facets"]["actor"]}
    assert actors["Russia"]["count"] == 3 and actors["Russia"]["type"] == "country"
    assert actors["Vladimir Putin"]["count"] == 2
    assert {d["value"]: d["count"] for d in result["facets"]["language"]} == {"en": 3, "fr": 1}
    assert sum(d["count"] for d in result["facets"]["year"]) == 3


def test_filters_combine(index):
    assert found(index, "Kremlin", "--actor", "Putin") == ["002", "004"]
    assert found(index, "--actor", "Putin", "--actor", "Lavrov") == ["004"]
    assert found(index, "--lang", "fr") == ["004"]
    assert found(index, "--source", "le monde") == ["003"]
    assert found(index, "--since", "2023-11") == ["003"]
    assert found(index, "--until", "2023-05") == ["002"]


def test_query_language(index):
    assert found(index, "Kremlin NOT Peskov") == ["002"]
    assert found(index, "Peskov OR Blinken") == ["000", "002", "004"]
    assert found(index, "title:bombings") == []  # 004's first line ends like a sentence: no headline
    assert found(index, "lang:fr") == ["004"]
    assert found(index, "date:2023-11") == ["003"]
    assert "003" in found(index, "Zangez*")


def test_hit_fields_and_snippet(index):
    [hit] = query(index, "Serguei")["hits"]
    assert set(hit) == HIT_KEYS
    assert hit["date_source"] == "inferred" and hit["truncated"] is True
    assert "<mark>Sergueï</mark>" in hit["snippet"]


def test_sorts_and_pages(index):
    by_date = query(index, "Armenia", "--sort", "date")["hits"]
    assert [h["date"] for h in by_date] == sorted((h["date"] for h in by_date), reverse=True)
    recent = query(index, "Armenia", "--sort", "recent")
    assert recent["total"] == 5
    page2 = query(index, "--limit", "2", "--page", "2")
    assert page2["page"] == 2 and len(page2["hits"]) == 2


def test_a_page_past_the_last_says_which_is_the_last(index):
    result = run_cli("query", "Armenia", "--limit", "2", "--page", "7", "--index", index)
    assert result.exit_code == 0 and result.stdout.startswith("5 articles (page 7)")
    assert "--page 7 is past the last page of this search (3)" in result.stderr
    assert "past the last" not in run_cli("query", "Armenia", "--limit", "2", "--page", "3", "--index", index).stderr


def test_the_last_page_of_a_collapsed_search_counts_stories(tmp_path):
    """Copies of one story are one hit: pages go through stories, and so does the last."""
    from .helpers import repeated_corpus

    index = tmp_path / "ix"
    assert run_cli("index", repeated_corpus(tmp_path, times=3), "--index", index, "--quiet").exit_code == 0
    found = json.loads(run_cli("query", "Armenia", "--index", index, "--format", "json").stdout)
    assert found["collapsed"] and found["stories"] < found["total"]
    past = run_cli("query", "Armenia", "--limit", "2", "--page", "9", "--index", index)
    assert f"past the last page of this search ({-(-found['stories'] // 2)})" in past.stderr
    flat = run_cli("query", "Armenia", "--limit", "2", "--page", "9", "--no-collapse", "--index", index)
    assert f"past the last page of this search ({-(-found['total'] // 2)})" in flat.stderr


def test_suggestion(index):
    assert query(index, "Pashinyam")["suggestion"] == "Pashinyan"


def test_csv_and_text_output(index):
    csv_out = run_cli("query", "Peskov", "--index", index, "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,title,date") and len(csv_out) == 3
    text = run_cli("query", "Peskov", "--index", index).stdout
    assert text.startswith("2 articles") and "\x1b[" not in text


@pytest.mark.parametrize(
    "args, param",
    [
        (("actor:Nobodyx",), "query"),
        (("--actor", "Poutin"), "actor"),
        (("--since", "2023-13"), "since"),
        (("--until", "yesterday"), "until"),
        (("date:2023-13",), "query"),
        (("x" * 10_000,), "query"),
    ],
)
def test_errors_are_one_line_exit_2(index, args, param):
    result = run_cli("query", *args, "--index", index)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"news-search: {param}:")
    assert "Traceback" not in result.output


def test_unknown_actor_names_the_nearest(index):
    result = run_cli("query", "--actor", "Poutin", "--index", index)
    assert "Vladimir Putin" in result.stderr


def test_missing_index_says_how_to_build_it(tmp_path):
    result = run_cli("query", "x", "--index", tmp_path / "nowhere")
    assert result.exit_code == 2 and "news-search index" in result.stderr


def test_show_stats_and_actors(index):
    shown = run_cli("show", "004_fcc0568d9e52dacc.txt", "--index", index, "--format", "json")
    assert json.loads(shown.stdout)["title"].startswith("The bombings")
    assert run_cli("show", "nope", "--index", index).exit_code == 2
    stats = json.loads(run_cli("stats", "--index", index, "--format", "json").stdout)
    assert stats["articles"] == 5 and stats["first_month"] == "2023-05" and stats["last_month"] == "2023-11"
    people = run_cli("actors", "--type", "person").stdout
    assert "Vladimir Putin\tperson\tPutin; Poutine" in people and "Armenia" not in people


def test_fuzzed_queries_never_raise_past_the_error(index):
    rng = random.Random(1234)
    pieces = [
        '"',
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "*",
        "?",
        "~",
        "^",
        ":",
        "AND",
        "OR",
        "NOT",
        "to",
        "TO",
        "title:",
        "actor:",
        "lang:",
        "source:",
        "date:",
        "date:[",
        "Kremlin",
        "Пу",
        "é",
        "\u0000",
        "\\",
        "2023-",
        "-",
        "+",
        "'",
        "l'",
        "𝔘",
        " ",
        " ",
        "Poutine",
        "*:*",
        "/",
    ]
    engine = SearchEngine(index)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        try:
            engine.search(SearchRequest(text))
        except QueryError:
            pass
    for text in ['title:"', "date:[2023 to", "((((", "actor:", '"' * 5, "x" * 10_000, "ñ" * 999]:
        result = run_cli("query", text, "--index", index)
        assert result.exit_code in (0, 2) and "Traceback" not in result.output


@pytest.mark.parametrize("prefix", ["negotiation*", "negotiations*", "negot*"])
def test_a_prefix_finds_a_word_whose_stem_is_shorter_than_the_prefix(index, prefix):
    # "negotiations" is indexed in English as its stem "negoti", shorter than the prefix
    assert "002" in found(index, prefix)


def test_recent_ranks_by_score_weighed_by_age(tmp_path):
    text = "The border commission met in Yerevan to discuss the demarcation of the border."
    records = [
        {"id": "old", "date": "2021-03-01", "text": text},  # as relevant, three years older
        {"id": "new", "date": "2024-03-01", "text": text},
        {"id": "mid", "date": "2023-09-01", "text": "The commission met again; the border was not discussed."},
        {"id": "none", "text": text},  # undated: as relevant, weighed as very old
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    index = tmp_path / "index"
    assert run_cli("index", tmp_path / "c.jsonl", "--index", index).exit_code == 0
    by_relevance = [h["id"] for h in query(index, "border demarcation")["hits"]]
    assert sorted(by_relevance) == ["new", "none", "old"]
    recent = [h["id"] for h in query(index, "border demarcation", "--sort", "recent")["hits"]]
    assert recent[0] == "new" and recent.index("old") < recent.index("none")
