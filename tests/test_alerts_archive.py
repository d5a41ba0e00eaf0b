"""Alerts and feeds on the real archive beside the project (../shared/data/archive).

A first run indexes 150 of the BBC's business stories; saved searches are made at run time from
what the archive's files hold (no text of the archive is written here); a second run adds
150 politics stories and every fifth of the blog posts (four languages, markdown left
in), written as JSON lines into the test's own folder. Each saved
search's alerts must be exactly what the same search over the whole index finds among the
articles the second run added, and every feed must be valid Atom.
"""

from __future__ import annotations

import json
import re

import feedparser
import pytest

from indexer.store.indexing import run_index
from search.engine import SearchEngine, SearchRequest
from search.web import create_app

from .helpers import run_cli
from .test_real_archive import ARCHIVE

pytestmark = pytest.mark.skipif(not ARCHIVE.is_dir(), reason=f"the real archive is not at {ARCHIVE}")


def longest_word(text: str) -> str:
    return max(re.findall(r"[^\W\d_]{6,}", text), key=len)


def link(folder, files):
    folder.mkdir()
    for path in files:
        (folder / path.name).symlink_to(path)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    corpus, index = tmp_path_factory.mktemp("archive-corpus"), tmp_path_factory.mktemp("archive-index")
    link(corpus / "business", sorted((ARCHIVE / "bbc" / "business").glob("*.txt"))[:150])
    assert run_index([corpus], index).added == 150
    politics = sorted((ARCHIVE / "bbc" / "politics").glob("*.txt"))[:150]
    headline = politics[0].read_text(encoding="utf-8").splitlines()[0]
    searches = {
        "headline-word": (longest_word(headline),),
        "french": ("", "--lang", "fr"),
        "either": (f"{longest_word(headline)} OR {longest_word(politics[1].read_text(encoding='utf-8'))}",),
        "everything": ("",),
    }
    for name, args in searches.items():
        result = run_cli("watch", "add", name, *args, "--index", index)
        assert result.exit_code == 0, result.output
    before = {
        h["id"]
        for h in SearchEngine(index).search(SearchRequest("", limit=10_000, facets=False, collapse=False))["hits"]
    }
    link(corpus / "politics", politics)
    posts = (ARCHIVE / "geopolitics.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (corpus / "posts.jsonl").write_text("".join(posts[::5]), encoding="utf-8")
    summary = run_index([corpus], index)
    assert summary.added > 250 and summary.updated == 0
    return index, searches, before


def test_alerts_are_the_searches_results_among_the_new_articles(runs):
    index, searches, before = runs
    result = run_cli("alerts", "--format", "json", "--limit", "10000", "--index", index)
    assert result.exit_code == 0, result.stderr
    alerted = {}
    for line in result.stdout.splitlines():
        entry = json.loads(line)
        alerted[entry["name"]] = [h["id"] for h in entry["hits"]]
    engine = SearchEngine(index)
    everything = {h["id"] for h in engine.search(SearchRequest("", limit=10_000, facets=False, collapse=False))["hits"]}
    new = everything - before
    for name, args in searches.items():
        query, filters = args[0], dict(zip(args[1::2], args[2::2]))
        request = SearchRequest(query, lang=filters.get("--lang"), limit=10_000, facets=False, collapse=False)
        expected = {h["id"] for h in engine.search(request)["hits"]} & new
        assert expected, name  # the search finds something new, or nothing is tested
        assert set(alerted.get(name, [])) == expected, name
        assert len(alerted[name]) == len(expected)  # each once
    assert set(alerted["everything"]) == new
    assert run_cli("alerts", "--mark-read", "--index", index).exit_code == 0
    assert run_cli("alerts", "--index", index).stdout == ""


def test_feeds_of_the_archive_are_valid_atom(runs):
    index, searches, _ = runs
    client = create_app(index).test_client()
    page = client.get("/saved").data.decode()
    feeds = [f.replace("&amp;", "&") for f in re.findall(r'<a class="feed" href="([^"]+)"', page)]
    assert len(feeds) == len(searches)
    for url in [*feeds, "/feed.atom?lang=ru", "/feed.atom?lang=de"]:
        response = client.get(url)
        feed = feedparser.parse(response.data)
        assert response.status_code == 200 and not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.entries, url
        for entry in feed.entries:
            assert entry.id and entry.title and entry.updated_parsed and entry.link.startswith("/article/")
