"""Facets as toggles, chips that say what they filter, an actor type's whole list, the
time chart and the date form of the search page (Flask's test client)."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from search.engine import SearchEngine, SearchRequest
from search.web import create_app


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()


def toggles(page: bytes, facet: str) -> dict[str, tuple[str, bool]]:
    """A facet's values: (link, whether it is on)."""
    out = {}
    for href, cls, _rest, text in re.findall(
        rf'<a href="([^"]+)" class="(active)?" data-facet="{facet}"([^>]*)>(.*?)</a>', page.decode()
    ):
        text = re.sub(r"<[^>]+>|\(filter on: remove\)|✓", "", text).strip()
        out[unescape(text)] = (unescape(href), cls == "active")
    return out


def params(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def chips(page: bytes) -> list[str]:
    return [unescape(c) for c in re.findall(r'aria-label="Remove filter ([^"]+)"', page.decode())]


def test_every_facet_value_toggles(client):
    page = client.get("/?q=Kremlin").data
    url, on = toggles(page, "language")["French"]
    assert not on and params(url) == {"q": ["Kremlin"], "lang": ["fr"]}
    narrowed = client.get(url).data
    url, on = toggles(narrowed, "language")["French"]
    assert on and params(url) == {"q": ["Kremlin"]}  # a second click removes it
    assert 'aria-current="true" title="Remove this filter"' in narrowed.decode()

    url, on = toggles(page, "actor")["Vladimir Putin"]
    assert not on
    url, on = toggles(client.get(url).data, "actor")["Vladimir Putin"]
    assert on and params(url) == {"q": ["Kremlin"]}

    url, on = toggles(page, "year")["2023"]
    assert params(url) == {"q": ["Kremlin"], "since": ["2023"], "until": ["2023"]}
    url, on = toggles(client.get(url).data, "year")["2023"]
    assert on and params(url) == {"q": ["Kremlin"]}

    source = client.get("/?source=Le+Monde").data
    url, on = toggles(source, "source")["Le Monde"]
    assert on and url == "/"


def test_chips_say_what_they_filter(client):
    page = client.get("/?actor=Poutine&actor=Russia&lang=fr&since=2020-01&until=2024&source=Le+Monde").data
    assert chips(page) == [
        "Person: Vladimir Putin",  # the canonical name of the spelling in the URL
        "Country: Russia",
        "Since 2020-01",
        "Until 2024",
        "Language: French",
        "Source: Le Monde",
    ]
    assert chips(client.get("/?actor=Vladimir+Putin&since=2023-09&until=2023-09").data) == [
        "Person: Vladimir Putin",
        "Date: 2023-09",
    ]


def test_the_actor_facet_has_each_type_its_own_top(index):
    engine = SearchEngine(index)
    every = engine.search(SearchRequest("", actors_per_type=None))["facets"]["actor"]
    one = engine.search(SearchRequest("", actors_per_type=1))["facets"]["actor"]
    types = {f["type"] for f in every}
    assert {"person", "country", "organization"} <= types
    assert sorted(f["type"] for f in one) == sorted(types)  # one of each type, the most named
    for f in one:
        assert f["count"] == max(g["count"] for g in every if g["type"] == f["type"])
    assert [f["count"] for f in one] == sorted((f["count"] for f in one), reverse=True)


def test_each_actor_type_lists_its_own_and_links_to_all_of_them(client):
    page = client.get("/?q=Kremlin").data.decode()
    for heading in ("People", "Countries"):
        assert f">{heading}</h2>" in page
    [more] = re.findall(r'<a href="([^"]+)">All countries, and a search by name', page) or [None]
    everything = client.get("/actors/countries?q=Kremlin").data.decode()
    listed = re.findall(r'data-facet="actor">([^<]+)</a>', everything)
    assert "Russia" in listed and "Vladimir Putin" not in listed
    if more:
        assert unescape(more) == "/actors/countries?q=Kremlin"


def test_an_actor_list_is_filtered_by_any_of_a_name_s_spellings(client):
    page = client.get("/actors/people?q=Kremlin&name=poutine").data.decode()
    assert re.findall(r'data-facet="actor">([^<]+)</a>', page) == ["Vladimir Putin"]
    [href] = re.findall(r'<a href="([^"]+)" class="" data-facet="actor">Vladimir Putin', page)
    assert params(unescape(href)) == {"q": ["Kremlin"], "actor": ["Vladimir Putin"]}
    assert '<input type="hidden" name="q" value="Kremlin">' in page  # the filter keeps the search
    accents = client.get("/actors/people?name=ERDOGAN").data.decode()
    assert re.findall(r'data-facet="actor">([^<]+)</a>', accents) == ["Recep Tayyip Erdoğan"]
    assert "No people named like" in client.get("/actors/people?name=zzzz").data.decode()
    assert client.get("/actors/robots").status_code == 404
    assert client.get("/actors/people?name=" + "x" * 300).status_code == 400


def test_the_time_chart_has_an_axis_counts_and_a_date_form(client):
    page = client.get("/").data.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' not in svg  # links inside an image are nested interactive controls
    assert re.findall(r'<text class="tick-label"[^>]*>([^<]+)</text>', svg)[:1] == ["2023"]
    counts = page[page.index('<details class="counts">') : page.index("</details>")]
    listed = dict(re.findall(r'data-facet="period">([^<]+)</a> <span class="count">(\d+)<', counts))
    assert sum(map(int, listed.values())) + int(
        (re.findall(r'Undated: <span class="count">(\d+)<', page) or ["0"])[0]
    ) == len(re.findall(r'<li class="hit"', page))
    form = page[page.index('<form class="dates"') : page.index("</form>", page.index('<form class="dates"'))]
    assert 'name="since"' in form and 'name="until"' in form
    ranged = client.get("/?since=2023-09&until=2023-09-20").data.decode()
    assert chips(ranged.encode()) == ["Since 2023-09", "Until 2023-09-20"]
    assert "By day" in ranged  # a range of weeks is drawn day by day


def test_undated_results_are_counted_beside_the_chart(tmp_path):
    from indexer.store.indexing import run_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Yerevan talks\n\nThe talks in Yerevan went on for a long time.\n")
    (corpus / "b.txt").write_text("Baku talks\n\nThe talks in Baku on 2021-03-04 went on.\n")
    run_index([corpus], tmp_path / "index")
    page = create_app(tmp_path / "index").test_client().get("/?q=talks").data.decode()
    assert re.search(r'Undated: <span class="count">1<', page)


def test_an_actor_list_has_a_json_twin_with_the_same_actors(client):
    page = client.get("/actors/countries?q=Kremlin&name=a").data.decode()
    [json_url] = re.findall(r'<a href="([^"]+)">JSON</a>', page)
    api = client.get(unescape(json_url)).json
    assert [a["value"] for a in api["actors"]] == re.findall(r'data-facet="actor">([^<]+)</a>', page)
    assert api["type"] == "countries" and api["total"] == 3 and all(a["type"] == "country" for a in api["actors"])
    assert client.get("/api/actors/robots").status_code == 404
    # a type's name where its list's is wanted: the lists are named
    wrong = client.get("/api/actors/person")
    assert wrong.status_code == 404 and "people" in wrong.json["error"] and "organisations" in wrong.json["error"]
