"""Queries that would cost the server too much are refused quickly, in the user's words.

The limits are made small here (they are settings) so that a small index exceeds them.
"""

import builtins
import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from search import evaluation, settings
from search.engine import SearchEngine, SearchRequest
from search.querying import QueryError
from search.web import create_app

from .helpers import run_cli


@pytest.fixture(scope="module")
def engine(index):
    return SearchEngine(index)


def search(engine, text, **kwargs):
    return engine.search(SearchRequest(text, **kwargs))


def refusal(engine, text) -> str:
    with pytest.raises(QueryError) as caught:
        search(engine, text)
    assert caught.value.param == "query"
    return str(caught.value)


@pytest.mark.parametrize("text", ["*", "**", "***", " ** "])
def test_stars_alone_are_every_article(engine, text, monkeypatch):
    monkeypatch.setattr(settings, "MAX_EXPANSION", 1)  # not expanded into words
    monkeypatch.setattr(settings, "MAX_EXPANDED_POSTINGS", 1)
    everything = search(engine, "", sort="date", limit=10)
    stars = search(engine, text, limit=10)
    assert stars["total"] == everything["total"] == 5
    assert [h["id"] for h in stars["hits"]] == [h["id"] for h in everything["hits"]]  # newest first


def test_a_field_star_is_every_article_with_that_field(engine):
    assert search(engine, "source:**")["total"] == 2  # AFP, Le Monde (no sample article has a headline)
    assert search(engine, "lang:* AND Kremlin")["total"] == search(engine, "Kremlin")["total"] == 3


def test_a_prefix_past_the_limit_is_refused_naming_it(engine, monkeypatch):
    monkeypatch.setattr(settings, "MAX_EXPANSION", 3)
    assert refusal(engine, "Kremlin a*") == "'a*' matches more than 3 words; make it longer or more specific"
    assert search(engine, "Arm?n*")["total"] == 5  # few words: answered


def test_the_word_list_is_read_only_up_to_the_limit(engine, monkeypatch):
    read = []
    candidates = evaluation._candidates

    def counted(query, reader):
        for item in candidates(query, reader):
            read.append(item)
            yield item

    monkeypatch.setattr(evaluation, "_candidates", counted)
    monkeypatch.setattr(settings, "MAX_EXPANSION", 4)
    assert refusal(engine, "actor:?*").startswith("'?*' matches more than 4 words")
    assert len(read) == 5  # the fifth word is the one past the limit


@pytest.mark.parametrize("text, shown", [("[a TO z]", "[a TO z]"), ("{b TO d}", "{b TO d}"), ("[m TO]", "[m TO]")])
def test_ranges_of_words_are_bounded_too(engine, monkeypatch, text, shown):
    monkeypatch.setattr(settings, "MAX_EXPANSION", 3)
    assert refusal(engine, text) == f"{shown!r} matches more than 3 words; make it longer or more specific"


def test_a_pattern_without_leading_letters_reads_a_bounded_word_list(engine, monkeypatch):
    monkeypatch.setattr(settings, "MAX_SCANNED_WORDS", 20)
    message = refusal(engine, "*zzq*")  # matches nothing, but would read every word
    assert message == (
        "'*zzq*' reads more than 20 words to find its matches; put a few letters before its first * or ?"
    )
    assert search(engine, "zz*q")["total"] == 0  # starts with letters: reads few words


def test_patterns_standing_for_too_many_postings_are_refused_before_reading_them(engine, monkeypatch):
    monkeypatch.setattr(settings, "MAX_EXPANDED_POSTINGS", 10)
    read = []
    postings = evaluation._postings
    monkeypatch.setattr(evaluation, "_postings", lambda *a, **k: read.append(a) or postings(*a, **k))
    assert "found too often" in refusal(engine, "Kremlin arm*")
    assert read == []
    assert search(engine, "Armenia Kremlin")["total"] == 3  # plain words are not counted


def test_a_query_past_its_time_is_refused(engine, monkeypatch):
    monkeypatch.setattr(settings, "QUERY_SECONDS", 0.0)
    assert refusal(engine, "Kremlin OR Armenia") == "the query took too long; make it more specific"
    monkeypatch.setattr(settings, "QUERY_SECONDS", 5.0)
    assert search(engine, "Kremlin OR Armenia")["total"] == 5


def test_the_clock_is_read_while_postings_are_read(engine, monkeypatch):
    """A slow step anywhere in a long evaluation stops it: here the clock jumps past the
    budget while one word's postings are read."""
    now = [0.0]
    monkeypatch.setattr(evaluation.time, "monotonic", lambda: now[0])
    postings = evaluation._postings

    def slow(*args, **kwargs):
        now[0] += 10.0
        return postings(*args, **kwargs)

    monkeypatch.setattr(evaluation, "_postings", slow)
    assert "took too long" in refusal(engine, "Kremlin")


def test_refusals_on_the_command_line_and_the_web(index, monkeypatch):
    monkeypatch.setattr(settings, "MAX_EXPANSION", 3)
    cli = run_cli("query", "a*", "--index", index)
    assert cli.exit_code == 2
    assert "'a*' matches more than 3 words" in cli.output and len(cli.output.strip().splitlines()) == 1
    client = create_app(index).test_client()
    api = client.get("/api/search?q=a*")
    assert api.status_code == 400
    assert api.json == {
        "error": "q: 'a*' matches more than 3 words; make it longer or more specific",
        "param": "q",
        "status": 400,
    }
    page = client.get("/?q=%5Ba+TO+z%5D")
    assert page.status_code == 400 and "q: &#39;[a TO z]&#39; matches more than 3 words" in page.get_data(as_text=True)
    assert client.get("/?q=**").status_code == 200
    assert client.get("/article/000_052c9c5229c07dab.txt?q=a*").status_code == 200  # nothing marked


def _class_names() -> set[str]:
    names, todo = set(), [BaseException]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names | {name for name in dir(builtins) if name[:1].isupper()}


CLASS_NAMES = _class_names()
PIECES = [
    "title:",
    "actor:",
    "lang:",
    "source:",
    "date:",
    "id:",
    "AND",
    "OR",
    "NOT",
    "ANDNOT",
    "ANDMAYBE",
    "REQUIRE",
    "TO",
    "to",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    '"',
    "'",
    ":",
    "^",
    "~",
    "*",
    "?",
    "^2",
    "~3",
    "Kremlin",
    "Poutine",
    "2023",
    "2023-09",
    "2023-0x",
    "sécurité",
    "\u0301",
    "Ж",
    " ",
    " ",
    "-",
    "+",
    "\\",
    "/",
    "0",
    "1.5",
    "\x00",
]
QUERIES = st.one_of(st.text(max_size=40), st.lists(st.sampled_from(PIECES), max_size=14).map("".join))


@hypothesis_settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=QUERIES)
def test_any_text_is_answered_or_refused_in_words(engine, text):
    try:
        search(engine, text)
    except QueryError as exc:
        message = str(exc)
        assert "\n" not in message and message
        words = set(re.findall(r"[A-Za-z_]\w*", message)) - set(re.findall(r"[A-Za-z_]\w*", text))
        assert not words & CLASS_NAMES, message
        assert "int()" not in message and "literal" not in message, message


@pytest.mark.parametrize("text", ["date:[2023 TO x]", "date:[a TO z]", "date:2023-0x"])
def test_bad_dates_say_what_a_date_is(engine, text):
    assert refusal(engine, text) == "dates are YYYY, YYYY-MM, YYYY-MM-DD or [YYYY-MM-DD to YYYY-MM-DD]"


@pytest.mark.parametrize(
    "text, day",
    [
        ("date:2019-02-30", "2019-02-30"),
        ("date:[2023-99-01 to 2023]", "2023-99-01"),
        ("Kremlin date:2023-99", "2023-99"),
    ],
)
def test_a_date_that_does_not_exist_is_named(engine, text, day):
    """A date of the right form that no calendar has is named, not taken for a wrong form."""
    assert (
        refusal(engine, text)
        == f"there is no date {day}; dates are YYYY, YYYY-MM, YYYY-MM-DD or [YYYY-MM-DD to YYYY-MM-DD]"
    )


def test_a_suggestion_costs_no_search_per_word(engine, monkeypatch):
    """A long query with one unknown word once ran a search per word to find it (seconds
    on a large index); the suggestion reads how often each word occurs instead."""
    from whoosh.searching import Searcher

    def no_search(*args, **kwargs):
        raise AssertionError("a search per word")

    monkeypatch.setattr(Searcher, "search", no_search)
    result = search(engine, "Kremlin Armenia Pashinyam Kremlin")
    assert result["total"] == 0
    assert result["suggestion"] == "Kremlin Armenia Pashinyan Kremlin"
