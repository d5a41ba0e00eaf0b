"""The browser tab's title of a search, and the wording of a search's filters on every
page that names it: the search page, its feed and the saved searches (Flask's test client)."""

import re
from html import unescape

import feedparser
import pytest

from search.web import create_app
from search.web.page import search_title
from search.web.state import SearchState

from .helpers import run_cli


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()


def title(page: bytes) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", page.decode(), re.S).group(1))


def test_the_tab_title_says_the_words_the_filters_and_the_page(client):
    assert title(client.get("/").data) == "News search"
    assert title(client.get("/?actor=Vladimir+Putin").data) == "Person: Vladimir Putin · News search"
    assert (
        title(client.get("/?q=Kremlin&actor=Poutine&lang=fr&since=2020&source=Le+Monde").data)
        == "Kremlin · Person: Vladimir Putin · Since 2020 · Language: French · Source: Le Monde · News search"
    )


def test_a_title_names_a_page_past_the_first():
    state = SearchState(q="Kremlin", actors=("CSTO",), page=3)
    assert search_title(state, {"CSTO": "organization"}) == "Kremlin · Organisation: CSTO · page 3"
    assert search_title(SearchState(page=1200), {}) == "page 1,200"


def test_saved_searches_and_feeds_word_filters_as_the_search_page(index, client):
    added = run_cli("watch", "add", "pm-fr", "Kremlin", "--actor", "Pachinian", "--lang", "fr", "--index", index)
    assert added.exit_code == 0, added.output
    page = client.get("/saved").data.decode()
    label = unescape(re.search(r'<span class="saved-label">(.*?)</span>', page).group(1))
    assert label == "Kremlin · Person: Nikol Pashinyan · Language: French"
    feed = feedparser.parse(client.get("/feed.atom?q=Kremlin&actor=Pachinian&lang=fr").data)
    assert feed.feed.title == "Kremlin · Person: Nikol Pashinyan · Language: French · News search"
