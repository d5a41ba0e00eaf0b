"""The web page facing odd requests: Host headers, redirects, server paths, record URLs."""

import json
import logging
import re

import pytest

from indexer.store.indexing import run_index
from search.web import create_app

from .helpers import CORPUS

ARTICLE = "000_052c9c5229c07dab.txt"
PAGES = [
    "/",
    "/?q=Kremlin",
    f"/article/{ARTICLE}?q=Kremlin",
    f"/api/article/{ARTICLE}",
    "/api/search?q=Kremlin",
    "/healthz",
    "/opensearch.xml",
    "/static/style.css",
    "/nowhere",
    "/?page=abc",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The sample articles, and JSON records whose URLs are not web addresses."""
    corpus = tmp_path_factory.mktemp("corpus")
    for f in CORPUS.iterdir():
        (corpus / f.name).write_bytes(f.read_bytes())
    text = (CORPUS / ARTICLE).read_text(encoding="utf-8")
    urls = {
        "js": "javascript:alert(document.domain)",
        "data": "data:text/html,<script>alert(1)</script>",
        "proto": "//elsewhere.example/page",
        "spaced": " JavaScript:alert(1)",
        "web": "https://news.example.org/a?b=1&c=2",
    }
    with open(corpus / "links.jsonl", "w", encoding="utf-8") as out:
        for key, url in urls.items():
            out.write(json.dumps({"id": f"link-{key}", "url": url, "title": f"Link {key}", "text": text}) + "\n")
    path = tmp_path_factory.mktemp("index")
    assert run_index([corpus], path).failed == 0
    return path


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()


@pytest.mark.parametrize(
    "host",
    [
        "a" * 64 + ".example.org",
        "a" * 64,
        "..",
        "a..b",
        ".example.org",
        "é" * 70,
        "x:port",
        "a b",
        "[not-an-address]",
        "h\x00st",
        ("a." * 140) + "org",
    ],
)
def test_odd_host_headers_are_answered(client, host, caplog):
    caplog.set_level(logging.CRITICAL)
    for page in PAGES:
        response = client.get(page, headers={"Host": host})
        assert response.status_code < 500, (page, response.status_code)
    assert client.get("/?q=Kremlin", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-Host": "evil.example"},
        {"Accept": "\x7f\x7f"},
        {"Accept-Language": ";;q=x,,"},
        {"Cookie": "=;=;;a"},
        {"If-Modified-Since": "yesterday"},
        {"Range": "bytes=z-"},
        {"Content-Length": "-1"},
        {"Authorization": "Basic ???"},
    ],
)
def test_odd_headers_are_answered(client, headers, caplog):
    caplog.set_level(logging.CRITICAL)
    for page in PAGES:
        assert client.get(page, headers=headers).status_code < 500, page


def test_the_host_is_never_echoed(client):
    host = "evil.example"
    for page in [*PAGES, "/api//search?q=Kremlin", f"/article//{ARTICLE}"]:
        response = client.get(page, headers={"Host": host})
        assert host not in response.get_data(as_text=True), page
        assert host not in str(response.headers), page
    xml = client.get("/opensearch.xml", headers={"Host": host}).get_data(as_text=True)
    assert re.findall(r'template="([^"]+)"', xml) == ["/?q={searchTerms}", "/api/search?q={searchTerms}"]


def test_redirects_stay_on_the_site(client):
    response = client.get("/api//search?q=Kremlin", headers={"Host": "evil.example"})
    assert response.status_code == 308
    assert response.headers["Location"] == "/api/search?q=Kremlin"
    response = client.get(f"//article//{ARTICLE}", headers={"Host": "evil.example"})
    assert response.headers.get("Location", "/").startswith("/")
    assert not response.headers.get("Location", "/").startswith("//")


def test_a_configured_base_url_makes_opensearch_absolute(index):
    client = create_app(index, base_url="https://news.example.org/").test_client()
    xml = client.get("/opensearch.xml", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert 'template="https://news.example.org/?q={searchTerms}"' in xml
    assert "evil" not in xml


def test_no_server_path_in_answers(client, index):
    record = client.get(f"/api/article/{ARTICLE}").json
    assert "path" not in record and record["id"] == ARTICLE
    for page in PAGES:
        body = client.get(page).get_data(as_text=True)
        assert str(CORPUS) not in body and str(index.parent) not in body, page


def test_the_missing_index_page_names_the_index_only(tmp_path):
    client = create_app(tmp_path / "news-index").test_client()
    for page in ["/?q=Kremlin", "/healthz", "/api/search?q=Kremlin"]:
        response = client.get(page)
        body = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "news-index" in body and str(tmp_path) not in body, page


@pytest.mark.parametrize("key", ["js", "data", "proto", "spaced"])
def test_only_web_urls_become_links(client, key):
    page = client.get(f"/article/link-{key}").get_data(as_text=True)
    assert page.count("<a ") >= 3  # the page's own links are there
    assert not re.search(r'href="\s*(?:javascript|data):', page, re.I)
    assert 'href="//elsewhere' not in page
    [original] = re.findall(r"<dt>Original</dt><dd>(.*?)</dd>", page, re.S)
    assert "<a" not in original and original.strip()  # shown as text


def test_web_urls_are_links(client):
    page = client.get("/article/link-web").get_data(as_text=True)
    assert '<a href="https://news.example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">' in page
