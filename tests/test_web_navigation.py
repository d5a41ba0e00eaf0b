"""The search page's pages, exports and errors agree with what it shows (Flask's test client)."""

import csv
import io
import re
from html import unescape

import pytest

from indexer.store.indexing import run_index
from search import settings
from search.web import create_app

from .helpers import CORPUS, repeated_corpus, without_stories


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """45 articles: the sample corpus nine times over (three pages)."""
    tmp = tmp_path_factory.mktemp("big")
    corpus = repeated_corpus(tmp)
    with without_stories():
        run_index([corpus], tmp / "index")
    return create_app(tmp / "index").test_client()


def ids(page: bytes) -> list[str]:
    return re.findall(r'<li class="hit" data-id="([^"]+)"', page.decode())


def link(page: bytes, pattern: str) -> str:
    [href] = re.findall(pattern, page.decode())
    return unescape(href)


def test_a_page_past_the_last_is_not_found_and_links_to_the_last(big):
    response = big.get("/?actor=Armenia&page=5")
    assert response.status_code == 404
    page = response.data.decode()
    assert "There is no page 5: this search has 3 pages." in page
    assert "81–" not in page and "No article matches" not in page
    assert link(response.data, r'<a href="([^"]+)">Go to page 3</a>') == "/?actor=Armenia&page=3"
    assert big.get("/?actor=Armenia&page=3").status_code == 200
    nothing = big.get("/?q=Kremlin+Pashinyan+zzzzqx&page=2")
    assert nothing.status_code == 404 and "nothing matches" in nothing.data.decode()


@pytest.mark.parametrize("number", [1, 2, 3])
def test_the_json_link_gives_the_hits_the_page_shows(big, number):
    page = big.get(f"/?actor=Armenia&sort=date&page={number}").data
    api = big.get(link(page, r'<a href="([^"]+)">JSON of this page</a>')).json
    assert [h["id"] for h in api["hits"]] == ids(page)
    assert len(ids(page)) == (settings.PAGE_SIZE if number < 3 else 5)


def test_the_csv_link_gives_every_result(big):
    page = big.get("/?actor=Armenia&sort=date&page=2").data
    url = link(page, r'<a href="([^"]+)" download>CSV of all 45 results</a>')
    response = big.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert len(rows) == 45
    api = big.get("/api/search?actor=Armenia&sort=date&limit=45").json
    assert [r["id"] for r in rows] == [h["id"] for h in api["hits"]]


def test_page_numbers_around_the_current_page(big):
    page = big.get("/?actor=Armenia&page=2").data.decode()
    assert 'aria-current="page" aria-label="Page 2">2<' in page
    numbers = {unescape(h): n for h, n in re.findall(r'<a href="([^"]+)" aria-label="Page (\d+)">', page)}
    assert numbers == {"/?actor=Armenia": "1", "/?actor=Armenia&page=3": "3"}
    assert "Page 2 of 3" in page


def test_a_bad_parameter_keeps_the_rest_of_the_search_in_the_box(client):
    response = client.get("/?q=Kremlin&sort=foo&actor=Vladimir+Putin")
    assert response.status_code == 400
    page = response.data.decode()
    assert "sort: sort must be one of" in page
    assert 'name="q" type="search" value="Kremlin"' in page
    assert '<input type="hidden" name="actor" value="Vladimir Putin">' in page
    assert '<input type="hidden" name="sort"' not in page


def test_a_date_the_query_cannot_read_is_said_in_words(client):
    page = client.get("/?q=date:tomorrow").data.decode()
    assert "dates are YYYY, YYYY-MM, YYYY-MM-DD" in page and "int()" not in page
    assert 'value="date:tomorrow"' in page


def test_the_box_takes_what_the_engine_takes(client):
    page = client.get("/").data.decode()
    assert f'maxlength="{settings.MAX_QUERY_CHARS}"' in page
    assert client.get("/?q=" + "a" * settings.MAX_QUERY_CHARS).status_code == 200
    assert client.get("/?q=" + "a" * (settings.MAX_QUERY_CHARS + 1)).status_code == 400


def test_without_words_the_shown_sort_is_newest_first(client):
    page = client.get("/").data.decode()
    assert '<span class="sort-option active" aria-current="true">Newest</span>' in page
    assert ">Relevance<" not in page
    assert ids(client.get("/?sort=recent").data) == ids(client.get("/").data)
    worded = client.get("/?q=Kremlin").data.decode()
    assert '<span class="sort-option active" aria-current="true">Relevance</span>' in worded


def test_favicon_and_no_server_path_in_the_article_json(client, index):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert 'rel="icon"' in client.get("/").data.decode()
    record = client.get("/api/article/004_fcc0568d9e52dacc.txt").data.decode()
    assert str(CORPUS) not in record and str(index) not in record and '"path"' not in record


def test_titles_and_snippets_say_their_language(client):
    page = client.get("/?q=Kremlin").data.decode()
    hit = page[page.index('data-id="004_') :]
    hit = hit[: hit.index("</li>")]
    assert '<h2 lang="en">' in hit
    assert '<p class="snippet" lang="fr">Du côté du <mark>Kremlin</mark>' in hit  # a French paragraph
    english = page[page.index('data-id="000_') :]
    assert '<p class="snippet" lang="en">' in english[: english.index("</li>")]
