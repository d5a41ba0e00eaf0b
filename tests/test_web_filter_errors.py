"""What the search page does with a filter it cannot use: a bad date, an unknown
language or source, another spelling of an actor (Flask's test client)."""

import re
from html import unescape
from urllib.parse import parse_qs

import pytest

from search.web import create_app

from .helpers import run_cli


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()


def fields(page: str, form_class: str | None = None) -> list[tuple[str, str]]:
    """The named inputs of the page's forms (or of the form of ``form_class``): (name, value)."""
    if form_class:
        page = re.search(rf'<form class="{form_class}".*?</form>', page, re.S).group(0)
    out = []
    for tag in re.findall(r"<input [^>]*>", page):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            out.append((name.group(1), unescape(value.group(1)) if value else ""))
    return out


def test_a_bad_date_shows_the_date_form_with_what_was_typed(client):
    answer = client.get("/?q=Kremlin&since=August+2019&lang=en")
    page = answer.data.decode()
    assert answer.status_code == 400
    assert "since: &#39;August 2019&#39; is not a date" in page
    dates = dict(fields(page, "dates"))
    assert dates["since"] == "August 2019" and dates["until"] == ""
    assert dates["q"] == "Kremlin" and dates["lang"] == "en"
    assert "quotes" not in page  # the advice is about dates, not the query's syntax
    assert "2023-09-07" in page


def test_a_new_search_from_the_error_page_leaves_the_bad_date_out(client):
    page = client.get("/?q=Kremlin&since=2023&until=Sept").data.decode()
    searchbox = fields(page, "searchbox")
    assert ("until", "Sept") not in searchbox and ("since", "2023") in searchbox
    query = "&".join(f"{k}={v}" for k, v in searchbox)
    assert client.get(f"/?{query}").status_code == 200
    # the Atom link and the JSON link of the error page leave it out too
    for href in re.findall(r'href="(/(?:feed\.atom|api/search)[^"]*)"', page):
        assert "until" not in parse_qs(unescape(href).partition("?")[2])


def test_date_inputs_do_not_cut_what_is_typed(client):
    page = client.get("/?q=Kremlin").data.decode()
    form = re.search(r'<form class="dates".*?</form>', page, re.S).group(0)
    assert "maxlength" not in form
    long = "the first of August, two thousand and nineteen " * 10
    answer = client.get("/", query_string={"since": long})
    assert answer.status_code == 400
    text = unescape(answer.data.decode())
    assert f"since: '{long[:60]}…' is not a date" in text


def test_dates_in_the_wrong_order_are_named(client):
    answer = client.get("/?since=2024&until=2023")
    text = unescape(answer.data.decode())
    assert answer.status_code == 400
    assert "since '2024' is after until '2023'" in text
    assert dict(fields(answer.data.decode(), "dates")) == {"since": "2024", "until": "2023"}


def test_the_query_s_syntax_error_keeps_its_advice(client):
    answer = client.get('/?q="peace')
    assert answer.status_code == 400
    assert "quotes, brackets and parentheses in pairs" in answer.data.decode()
    assert '<form class="dates"' not in answer.data.decode()


def chips(page: str) -> list[str]:
    return [unescape(c) for c in re.findall(r'aria-label="Remove filter ([^"]+)"', page)]


def actor_toggles(page: str) -> dict[str, tuple[str, bool]]:
    out = {}
    for href, cls, text in re.findall(r'<a href="([^"]+)" class="(active)?" data-facet="actor"[^>]*>(.*?)</a>', page):
        out[unescape(re.sub(r"<[^>]+>|\(filter on: remove\)|✓", "", text).strip())] = (unescape(href), cls == "active")
    return out


def test_an_actor_filter_in_another_spelling_is_the_canonical_actor(client):
    page = client.get("/?actor=Pachinian&actor=OTSC").data.decode()
    assert chips(page) == ["Person: Nikol Pashinyan", "Organisation: CSTO"]
    url, on = actor_toggles(page)["Nikol Pashinyan"]
    assert on  # marked active, and a click removes it instead of adding a second filter
    assert parse_qs(url.partition("?")[2]) == {"actor": ["CSTO"]}
    remove = re.search(r'href="([^"]+)" aria-label="Remove filter Organisation: CSTO"', page).group(1)
    assert parse_qs(unescape(remove).partition("?")[2]) == {"actor": ["Nikol Pashinyan"]}
    # the same actor in two spellings is one filter
    twice = client.get("/?actor=Pachinian&actor=Nikol+Pashinyan").data.decode()
    assert chips(twice) == ["Person: Nikol Pashinyan"]


def test_the_whole_list_of_an_actor_type_marks_another_spelling_active(client):
    page = client.get("/actors/people?actor=Pachinyan").data.decode()
    url, on = actor_toggles(page)["Nikol Pashinyan"]
    assert on and url == "/"


@pytest.mark.parametrize("value", ["xx", "Klingon", "en-GB"])
def test_an_unknown_language_is_a_400_listing_the_index_s_languages(client, value):
    answer = client.get("/", query_string={"lang": value})
    text = unescape(answer.data.decode())
    assert answer.status_code == 400
    assert f"lang: unknown language '{value}'; the index has en (English), fr (French)" in text
    api = client.get("/api/search", query_string={"lang": value})
    assert api.status_code == 400 and api.get_json()["param"] == "lang"


def test_a_language_s_english_name_is_its_code(client):
    by_name = client.get("/api/search?lang=French&limit=50").get_json()
    by_code = client.get("/api/search?lang=fr&limit=50").get_json()
    assert by_name["total"] == by_code["total"] > 0
    assert [h["id"] for h in by_name["hits"]] == [h["id"] for h in by_code["hits"]]
    page = client.get("/?lang=french").data.decode()
    assert chips(page) == ["Language: French"]
    assert re.search(r'class="active" data-facet="language"[^>]*>.*?French', page)


def test_an_unknown_source_is_a_400_naming_it_and_the_known_ones(client):
    answer = client.get("/?q=Kremlin&source=BBC")
    text = unescape(answer.data.decode())
    assert answer.status_code == 400
    assert "source: unknown source 'BBC'; the sources are " in text
    assert "Le Monde" in text.partition("the sources are ")[2]
    assert ("source", "BBC") not in fields(answer.data.decode(), "searchbox")
    assert client.get("/?source=LE+MONDE").status_code == 200  # case does not matter


def test_the_command_line_refuses_them_too(index):
    for option, value, message in [
        ("--lang", "xx", "lang: unknown language 'xx'"),
        ("--source", "BBC", "source: unknown source 'BBC'"),
    ]:
        result = run_cli("query", "Kremlin", option, value, "--index", index)
        assert result.exit_code == 2 and message in result.output, result.output
    assert run_cli("query", "Kremlin", "--lang", "French", "--index", index).exit_code == 0


def test_lang_and_source_in_the_query_are_read_as_the_filters_are(client):
    """``lang:French`` and ``source:afp`` typed in the box find what the filters find; one
    the index does not have is a term like any other: it finds nothing, and ORed with a
    word leaves that word's articles."""
    for typed, param in [("lang:French", "lang=fr"), ("lang:FR", "lang=fr"), ("source:afp", "source=AFP")]:
        in_query = client.get(f"/api/search?q={typed}&limit=50").get_json()
        as_filter = client.get(f"/api/search?{param}&limit=50").get_json()
        assert in_query["total"] == as_filter["total"] > 0, typed
    kremlin = client.get("/api/search?q=Kremlin&limit=50").get_json()["total"]
    for typed in ("lang:klingon", "source:bbc"):
        assert client.get(f"/api/search?q={typed}").get_json()["total"] == 0
        assert client.get(f"/api/search?q=Kremlin+OR+{typed}&limit=50").get_json()["total"] == kremlin > 0
