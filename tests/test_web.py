"""The web page and its JSON twin, through Flask's test client."""

import json
import re
import shutil
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer.store.indexing import run_index
from search.web import create_app

from .helpers import CORPUS, repeated_corpus, run_cli, without_stories


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()


def ids(page: bytes) -> list[str]:
    """The article ids listed on a search page, in order (first three characters)."""
    return [i[:3] for i in re.findall(r'<li class="hit" data-id="([^"]+)"', page.decode())]


def links(page: bytes, pattern: str) -> list[str]:
    """The hrefs of the links whose markup matches ``pattern`` (HTML-unescaped)."""
    return [unescape(h) for h in re.findall(pattern, page.decode())]


def params(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def test_search_page_lists_hits_with_their_details(client):
    response = client.get("/?q=Kremlin")
    assert response.status_code == 200
    assert sorted(ids(response.data)) == ["000", "002", "004"]
    page = response.data.decode()
    assert "3 articles" in page
    assert "<mark>Kremlin</mark>" in page
    assert "about 2023-05-25" in page  # 002's inferred date is shown as approximate
    assert 'class="badge truncated"' in page
    assert 'class="badge lang" title="French">FR<' in page  # 004 has French paragraphs
    assert re.search(r'href="/article/002_651fe709a4f31e93\.txt\?q=Kremlin"', page)


def test_empty_search_lists_every_article_newest_first(client):
    assert ids(client.get("/").data) == ["003", "001", "004", "000", "002"]


def test_actor_facet_link_adds_the_filter(client):
    page = client.get("/?q=Kremlin").data
    [putin] = links(page, r'<a href="([^"]+)" class="" data-facet="actor"\s*>Vladimir Putin<')
    assert params(putin) == {"q": ["Kremlin"], "actor": ["Vladimir Putin"]}
    narrowed = client.get(putin).data
    assert sorted(ids(narrowed)) == ["002", "004"]
    [remove] = links(
        narrowed, r'<a class="chip-remove" href="([^"]+)" aria-label="Remove filter Person: Vladimir Putin"'
    )
    assert params(remove) == {"q": ["Kremlin"]}


def test_month_bars_narrow_to_their_month(client):
    page = client.get("/?q=Kremlin").data
    bars = dict((v, u) for u, v in re.findall(r'<a href="([^"]+)" class="bar" data-value="([^"]+)"', page.decode()))
    assert set(bars) == {"2023-05", "2023-09"}  # months without results have no link
    september = unescape(bars["2023-09"])
    assert params(september) == {"q": ["Kremlin"], "since": ["2023-09"], "until": ["2023-09"]}
    narrowed = client.get(september).data
    assert sorted(ids(narrowed)) == ["000", "004"]
    assert 'aria-label="Remove filter Date: 2023-09"' in narrowed.decode()


def test_other_filters_from_the_url(client):
    assert ids(client.get("/?lang=fr").data) == ["004"]
    assert ids(client.get("/?source=le+monde").data) == ["003"]
    assert sorted(ids(client.get("/?since=2023-09-01&until=2023-09-30").data)) == ["000", "001", "004"]
    assert sorted(ids(client.get("/?actor=Poutine&actor=Lavrov").data)) == ["004"]
    dated = client.get("/?q=Pashinyan&sort=date").data
    assert ids(dated) == ["003", "001", "000", "002"]


def test_pagination_links_keep_the_search(tmp_path):
    corpus = repeated_corpus(tmp_path)
    with without_stories():
        run_index([corpus], tmp_path / "index")
    client = create_app(tmp_path / "index").test_client()
    first = client.get("/?actor=Armenia").data
    assert len(ids(first)) == 20 and "Page 1 of 3" in first.decode()
    [next_url] = links(first, r'<a rel="next" href="([^"]+)"')
    assert params(next_url) == {"actor": ["Armenia"], "page": ["2"]}
    last = client.get("/?actor=Armenia&page=3").data
    assert len(ids(last)) == 45 - 40
    assert not links(last, r'<a rel="next" href="([^"]+)"')
    assert links(last, r'<a rel="prev" href="([^"]+)"')


def test_article_view(client):
    response = client.get("/article/004_fcc0568d9e52dacc.txt?q=Kremlin")
    assert response.status_code == 200
    page = response.data.decode()
    assert "The bombings by Azerbaijan in the Nagorno-Karabakh region" in page
    assert '<p lang="fr" class="other-lang">' in page
    assert "Du côté du <mark>Kremlin</mark>" in page
    assert 'href="/?actor=Vladimir+Putin"' in page
    assert 'href="/?q=Kremlin">' in page  # back to the search


def test_query_is_escaped(client):
    page = client.get("/?q=%3Cscript%3Ealert(1)%3C/script%3E").data.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "url, param",
    [
        ("/?page=abc", "page"),
        ("/?page=0", "page"),
        ("/?page=10001", "page"),
        ("/?sort=popular", "sort"),
        ("/?since=2023-13", "since"),
        ("/?since=2024&until=2023", "since"),
        ("/?actor=Nobody+Atall", "actor"),
        ("/?q=" + "a" * 2001, "q"),
        ("/?q=date:[2023-99-01+to+2023]", "q"),
    ],
)
def test_bad_parameters_get_a_friendly_400(client, url, param):
    response = client.get(url)
    assert response.status_code == 400
    page = response.data.decode()
    assert "That search could not be run" in page and f"{param}: " in page
    assert "Traceback" not in page
    api = client.get(url.replace("/?", "/api/search?"))
    assert api.status_code == 400 and api.json["param"] == param


def test_unknown_article_and_page_are_404(client):
    assert client.get("/article/nope.txt").status_code == 404
    assert client.get("/api/article/nope.txt").json == {"error": "No article with the id 'nope.txt'.", "status": 404}
    assert client.get("/nowhere").status_code == 404


def test_read_only(client):
    assert client.post("/?q=Kremlin").status_code == 405
    assert client.delete("/api/article/000_052c9c5229c07dab.txt").status_code == 405


def test_stylesheet_is_served(client):
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert ":focus-visible" in css.data.decode()


def test_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "args",
    [
        ["Kremlin"],
        ["Kremlin", "--actor", "Poutine"],
        ["", "--since", "2023-09", "--sort", "date", "--limit", "2", "--page", "2"],
        ["sécurité OR Pashinyan", "--lang", "en", "--sort", "recent"],
        ["Kremlin", "--no-facets"],
    ],
)
def test_api_search_is_the_command_line_json(client, index, args):
    cli = run_cli("query", *args, "--index", index, "--format", "json")
    assert cli.exit_code == 0, cli.output
    names = {
        "--actor": "actor",
        "--since": "since",
        "--sort": "sort",
        "--limit": "limit",
        "--page": "page",
        "--lang": "lang",
    }
    query = [("q", args[0])]
    rest = args[1:]
    while rest:
        if rest[0] == "--no-facets":
            query.append(("facets", "0"))
            rest = rest[1:]
        else:
            query.append((names[rest[0]], rest[1]))
            rest = rest[2:]
    api = client.get("/api/search", query_string=query)
    assert api.status_code == 200 and api.mimetype == "application/json"
    assert api.data.decode() == cli.stdout


def test_api_article_is_the_command_line_json_without_the_server_path(client, index):
    cli = run_cli("show", "001_6df0311b031fad39.txt", "--index", index, "--format", "json")
    shown = json.loads(cli.stdout)
    assert "path" in shown  # the command line, on the server, says where the file is
    del shown["path"]
    assert client.get("/api/article/001_6df0311b031fad39.txt").json == shown


def test_healthz_and_opensearch(client):
    assert client.get("/healthz").json == {"status": "ok", "articles": 5}
    xml = client.get("/opensearch.xml")
    assert xml.mimetype == "application/opensearchdescription+xml"
    assert 'template="/?q={searchTerms}"' in xml.data.decode()
    assert 'template="/api/search?q={searchTerms}"' in xml.data.decode()
    assert 'href="/opensearch.xml"' in client.get("/").data.decode()


def test_new_documents_appear_without_a_restart(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = sorted(CORPUS.iterdir())
    for f in files[:4]:
        shutil.copy(f, corpus / f.name)
    run_index([corpus], tmp_path / "index")
    client = create_app(tmp_path / "index").test_client()
    assert "004" not in ids(client.get("/?q=Kremlin").data)
    shutil.copy(files[4], corpus / files[4].name)
    run_index([corpus], tmp_path / "index")
    assert "004" in ids(client.get("/?q=Kremlin").data)
    assert client.get("/healthz").json["articles"] == 5


def test_missing_index_says_how_to_build_it(tmp_path):
    client = create_app(tmp_path / "none").test_client()
    page = client.get("/?q=Kremlin")
    assert page.status_code == 503 and "news-search index" in page.data.decode()
    assert client.get("/healthz").status_code == 503


def test_concurrent_searches_give_the_same_answers(client):
    """The server answers from several threads at once; each answer is the one alone."""
    from concurrent.futures import ThreadPoolExecutor

    urls = [
        "/api/search?q=Kremlin",
        "/api/search?q=Pashinyan&sort=date",
        "/api/search?actor=Poutine",
        '/api/search?q="peace+agreement"',
        "/api/search?q=s%C3%A9curit%C3%A9&lang=fr",
        "/api/article/003_d10fb9464b89c259.txt",
        "/api/search?since=2023-09",
    ]
    alone = {url: client.get(url).data for url in urls}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda url: (url, client.get(url).data), urls * 15))
    assert all(data == alone[url] for url, data in answers)
