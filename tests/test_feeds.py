"""Every search has an Atom twin a feed reader can follow; saved searches list theirs."""

import json
import re
from html import unescape
from urllib.parse import quote
from xml.etree import ElementTree

import feedparser
import pytest

from indexer.store.indexing import run_index
from search import settings
from search.web import create_app

from .helpers import CORPUS, run_cli

ATOM = "{http://www.w3.org/2005/Atom}"

HOSTILE = {
    "id": 'odd/<id> & "quotes"',
    "title": 'Tom & Jerry <script>alert("x")</script> in\x0b the Kremlin',
    "date": "2023-10-02",
    "source": "Le Monde & <Co>",
    "url": "https://example.org/a?b=1&c=<2>",
    "text": "The Kremlin said <b>nothing</b> & more about the talks in the Kremlin, "
    "where the ministers met for a second day of talks on the future of the region.",
}
UNDATED = {"id": "undated-1", "title": "No date", "text": "The Kremlin spoke again about the talks, without a date."}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    corpus, index = tmp_path_factory.mktemp("feed-corpus"), tmp_path_factory.mktemp("feed-index")
    for path in CORPUS.iterdir():
        (corpus / path.name).write_bytes(path.read_bytes())
    (corpus / "odd.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (HOSTILE, UNDATED)), encoding="utf-8"
    )
    assert run_index([corpus], index).failed == 0
    return index


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()


def parsed(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    ElementTree.fromstring(response.data)  # well-formed XML
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_a_search_feed_lists_its_articles_newest_first_with_every_field(client):
    feed = parsed(client.get("/feed.atom?q=Kremlin"))
    page = client.get("/api/search?q=Kremlin&sort=date&limit=50").get_json()
    assert [e.id for e in feed.entries] == [f"urn:news-search:article:{quote(h['id'])}" for h in page["hits"]]
    assert len(feed.entries) == page["total"] >= 4
    dates = [e.get("published") for e in feed.entries if e.get("published")]
    assert dates == sorted(dates, reverse=True)
    assert feed.entries[-1].id.endswith("undated-1")  # undated last
    assert "Kremlin" in feed.feed.title and feed.feed.id and feed.feed.updated
    raw = ElementTree.fromstring(client.get("/feed.atom?q=Kremlin").data)
    summaries = [e.find(f"{ATOM}summary") for e in raw.iter(f"{ATOM}entry")]
    for entry, hit, summary in zip(feed.entries, page["hits"], summaries):
        assert entry.title == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", hit["title"])  # not XML: left out
        assert entry.updated_parsed is not None
        assert entry.link.startswith("/article/") and entry.link.endswith("?q=Kremlin")
        # the snippet, its words marked, as HTML (a feed reader drops the tags it does not show)
        assert summary.get("type") == "html" and summary.text == hit["snippet"] and "<mark>" in summary.text
        assert entry.summary == re.sub("</?mark>", "", hit["snippet"])
        assert entry.title_detail.language == hit["language"]
        assert client.get(entry.link).status_code == 200


def test_everything_in_a_feed_is_escaped(client):
    feed = parsed(client.get("/feed.atom?q=Kremlin&source=Le+Monde+%26+%3CCo%3E"))
    (entry,) = feed.entries
    assert entry.title == 'Tom & Jerry <script>alert("x")</script> in the Kremlin'
    assert entry.author == "Le Monde & <Co>"
    assert entry.id == "urn:news-search:article:odd/%3Cid%3E%20%26%20%22quotes%22"
    related = [link.href for link in entry.links if link.rel == "related"]
    assert related == ["https://example.org/a?b=1&c=<2>"]
    raw = client.get("/feed.atom?q=Kremlin&source=Le+Monde+%26+%3CCo%3E").data.decode()
    assert "<script>" not in raw and "\x0b" not in raw


def test_a_feed_takes_every_filter_of_the_page(client):
    both = parsed(client.get("/feed.atom?q=Kremlin&actor=Poutine&lang=fr&since=2023-09&until=2023-12"))
    page = client.get("/api/search?q=Kremlin&actor=Poutine&lang=fr&since=2023-09&until=2023-12&limit=50").get_json()
    assert {e.id for e in both.entries} == {f"urn:news-search:article:{quote(h['id'])}" for h in page["hits"]}
    assert parsed(client.get("/feed.atom?q=nosuchwordanywhere")).entries == []
    bad = client.get("/feed.atom?since=2023-13")
    assert bad.status_code == 400 and b"since" in bad.data


def test_every_search_page_links_its_feed(client):
    page = client.get("/?q=Kremlin&actor=Poutine&sort=date&page=1").data.decode()
    (link,) = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page)
    assert unescape(link) == "/feed.atom?q=Kremlin&actor=Vladimir+Putin"  # the canonical name
    assert parsed(client.get(unescape(link))).entries


def test_saved_searches_are_listed_with_their_feeds(index, client):
    assert "No saved search" in client.get("/saved").data.decode()
    assert run_cli("watch", "add", "kremlin-fr", "Kremlin", "--lang", "fr", "--index", index).exit_code == 0
    page = client.get("/saved").data.decode()
    assert "kremlin-fr" in page
    (feed,) = re.findall(r'<a class="feed" href="([^"]+)"', page)
    assert unescape(feed) == "/feed.atom?q=Kremlin&lang=fr"
    entries = parsed(client.get(unescape(feed))).entries
    assert entries and all(e.title_detail.language for e in entries)
    assert 'href="/saved"' in client.get("/").data.decode()


def test_a_feed_holds_the_matches_runs_added_or_changed_last_whatever_their_date(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "FEED_ENTRIES", 3)
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()

    def article(n, date=None, text="The harbour talks went on"):
        return {"id": f"art-{n}", "title": f"Harbour {n}", "text": f"{text} for day {n}, said the officials."} | (
            {"date": date} if date else {}
        )

    def write(name, records):
        (corpus / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    write("first.jsonl", [article(n, f"2023-05-{n:02d}") for n in range(1, 6)])
    assert run_index([corpus], index).failed == 0
    client = create_app(index).test_client()
    # a later run: an old-dated article, an undated one, and an edit of an old one
    write("second.jsonl", [article(6, "1999-01-01"), article(7)])
    write(
        "first.jsonl",
        [article(n, f"2023-05-{n:02d}") for n in range(1, 6) if n != 2]
        + [article(2, "2023-05-02", "The harbour talks were edited")],
    )
    assert run_index([corpus], index).failed == 0
    feed = parsed(client.get("/feed.atom?q=harbour"))
    ids = [e.id.rsplit(":", 1)[1] for e in feed.entries]
    # the run's three articles, newest article date first, undated last; not the 2023-05-05 one
    assert ids == ["art-2", "art-6", "art-7"]
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    # with nothing new, older runs follow newest first
    monkeypatch.setattr(settings, "FEED_ENTRIES", 50)
    ids = [e.id.rsplit(":", 1)[1] for e in parsed(client.get("/feed.atom?q=harbour")).entries]
    assert ids == ["art-2", "art-6", "art-7", "art-5", "art-4", "art-3", "art-1"]


def test_a_feed_filtered_by_an_actor_marks_the_actor(client):
    raw = ElementTree.fromstring(client.get("/feed.atom?actor=Poutine").data)
    summaries = [e.find(f"{ATOM}summary").text for e in raw.iter(f"{ATOM}entry")]
    assert summaries and all("<mark>" in s for s in summaries)
