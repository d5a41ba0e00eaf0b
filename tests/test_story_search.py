"""Results collapsed by story: one hit per story with its other copies, --no-collapse and
collapse=0 for every copy, copies listed by ``show`` and the article page."""

import json
import re
import shutil

import pytest

from indexer.store.indexing import run_index
from search.web.app import create_app

from .helpers import CORPUS, run_cli
from .test_stories import EN, FR, OTHER, damaged, record, write_jsonl

ORIGINAL = "000_052c9c5229c07dab.txt"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The sample articles, a scraped copy of the first, and an invented story in English
    and French beside another story of the same day."""
    tmp = tmp_path_factory.mktemp("stories")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "copy.txt").write_text(damaged((CORPUS / ORIGINAL).read_text(encoding="utf-8")), encoding="utf-8")
    write_jsonl(
        corpus / "port.jsonl",
        [record("en/strike", EN, "en"), record("fr/greve", FR, "fr"), record("en/budget", OTHER, "en")],
    )
    assert run_index([corpus], tmp / "index").failed == 0
    return tmp / "index"


def query(index, *args):
    result = run_cli(
        "query", *args, "--index", index, "--format", "json", *([] if "--limit" in args else ["--limit", "50"])
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_story_is_one_hit_with_its_copies(index):
    data = query(index, "Pashinyan")
    ids = [h["id"] for h in data["hits"]]
    assert len([i for i in ids if i in (ORIGINAL, "copy.txt")]) == 1
    assert data["collapsed"] is True
    assert data["stories"] == len(ids) and data["total"] == len(ids) + 1
    [hit] = [h for h in data["hits"] if h["id"] in (ORIGINAL, "copy.txt")]
    [copy] = hit["copies"]
    assert copy["id"] == ({ORIGINAL, "copy.txt"} - {hit["id"]}).pop()
    assert set(copy) == {"id", "date", "language", "source"} and hit["copies_total"] == 1
    assert copy["date"] == "2023-09-07"  # the copy's date: the original's, which its file names
    others = [h for h in data["hits"] if h is not hit]
    assert all(h["copies"] == [] for h in others)
    assert len({h["story"] for h in data["hits"]}) == len(ids)


def test_the_best_ranked_copy_stands_for_the_story(index):
    every = query(index, "Valmora", "--no-collapse")
    collapsed = query(index, "Valmora")
    best_of_strike = next(h["id"] for h in every["hits"] if h["id"] in ("en/strike", "fr/greve"))
    assert [h["id"] for h in collapsed["hits"]] == [
        h["id"] for h in every["hits"] if h["id"] in (best_of_strike, "en/budget")
    ]


def test_no_collapse_lists_every_copy(index):
    data = query(index, "Pashinyan", "--no-collapse")
    ids = [h["id"] for h in data["hits"]]
    assert ORIGINAL in ids and "copy.txt" in ids
    assert data["collapsed"] is False and data["total"] == len(ids) and data["stories"] == len(ids) - 1
    story = {h["id"]: h["story"] for h in data["hits"]}
    assert story[ORIGINAL] == story["copy.txt"]


def test_a_translation_is_a_copy_and_pages_count_stories(index):
    data = query(index, "Markovic")
    assert data["stories"] == 2 and data["total"] == 3
    pages = [query(index, "Markovic", "--limit", "1", "--page", str(n)) for n in (1, 2, 3)]
    assert [len(p["hits"]) for p in pages] == [1, 1, 0]
    shown = {h["id"] for p in pages for h in p["hits"]}
    assert "en/budget" in shown and len(shown & {"en/strike", "fr/greve"}) == 1


def test_the_text_output_says_how_many_more_copies(index):
    result = run_cli("query", "Markovic", "--index", index)
    assert result.exit_code == 0
    assert result.stdout.startswith("2 stories (3 articles)")
    assert re.search(r"1 more copy: (en|fr) \(news-search show (en/strike|fr/greve)\)", result.stdout)
    plain = run_cli("query", "Markovic", "--index", index, "--no-collapse")
    assert plain.stdout.startswith("3 articles") and "more cop" not in plain.stdout


def test_show_lists_the_other_copies(index):
    result = run_cli("show", "fr/greve", "--index", index, "--format", "json")
    record = json.loads(result.stdout)
    assert [c["id"] for c in record["copies"]] == ["en/strike"]
    assert record["copies"][0]["language"] == "en" and record["story"] is not None
    assert record["copies"][0]["title"].startswith("The dock workers") and record["copies_total"] == 1
    text = run_cli("show", "fr/greve", "--index", index).stdout
    assert "1 more copy: en of this story:" in text and "[en/strike]" in text
    alone = json.loads(run_cli("show", "en/budget", "--index", index, "--format", "json").stdout)
    assert alone["copies"] == []


def test_the_page_collapses_and_collapse_0_lists_every_copy(index):
    client = create_app(index).test_client()
    page = client.get("/?q=Markovic").data.decode()
    hits = re.findall(r'<li class="hit" data-id="([^"]+)"', page)
    assert len(hits) == 2 and "2 stories" in page
    assert "1 more copy" in page and "#copies" in page
    [every] = re.findall(r'<a id="every-copy" href="([^"]+)"', page)
    assert "collapse=0" in every
    page = client.get("/?q=Markovic&collapse=0").data.decode()
    assert len(re.findall(r'<li class="hit" data-id="([^"]+)"', page)) == 3 and "3 articles" in page
    [sort_link] = re.findall(r'<a class="sort-option" href="([^"]+)"', page)[:1]
    assert "collapse=0" in sort_link  # the search's other links keep it
    api = client.get("/api/search?q=Markovic&collapse=0").get_json()
    assert api["total"] == 3 and api["stories"] == 2 and len(api["hits"]) == 3


def test_a_bad_collapse_value_is_a_400(index):
    response = create_app(index).test_client().get("/api/search?q=Markovic&collapse=maybe")
    assert response.status_code == 400
    assert "collapse must be" in response.get_data(as_text=True)


def test_the_article_page_lists_the_other_copies(index):
    page = create_app(index).test_client().get("/article/en/strike").data.decode()
    assert 'id="copies"' in page and 'href="/article/fr/greve"' in page
    page = create_app(index).test_client().get("/article/en/budget").data.decode()
    assert 'id="copies"' not in page


def test_facets_count_stories_when_collapsed_and_articles_when_not(index):
    def counts(data, name):
        return {f["value"]: f["count"] for f in data["facets"][name]}

    collapsed = query(index, "Markovic")
    every = query(index, "Markovic", "--no-collapse")
    assert counts(collapsed, "month") == {"2025-03": 2} and counts(every, "month") == {"2025-03": 3}
    assert counts(collapsed, "day") == {"2025-03-04": 2} and counts(every, "day") == {"2025-03-04": 3}
    # a value counts the stories its filter lists: the French copy's story once
    assert counts(collapsed, "language")["fr"] == query(index, "Markovic", "--lang", "fr")["stories"] == 1
    assert counts(collapsed, "language")["en"] == 2 and counts(every, "language")["en"] == 2


@pytest.mark.parametrize("seed", range(6))
def test_collapsing_keeps_each_storys_first_ranked_article_in_ranking_order(seed):
    """Against the plain definition (rank every article, keep each story's first), both when
    the first of the ranking hold enough stories and when a story fills most of it."""
    import numpy as np

    from search.engine import SearchEngine, SearchRequest

    rng = np.random.default_rng(seed)
    n = 300
    docnums = np.sort(rng.choice(1000, n, replace=False))
    scores = rng.integers(1, 30, n).astype(float)  # ties broken by document number
    stories = rng.integers(0, 400, 1000) if seed % 2 else np.where(rng.random(1000) < 0.9, 0, np.arange(1000))
    for wanted in (1, 5, 40):
        got = SearchEngine._order(SearchRequest(limit=wanted), docnums, scores, None, wanted, stories)
        ranked = sorted(range(n), key=lambda i: (-scores[i], docnums[i]))
        seen, expected = set(), []
        for i in ranked:
            if stories[docnums[i]] not in seen:
                seen.add(stories[docnums[i]])
                expected.append(i)
        assert got.tolist() == expected[:wanted]


def test_copies_listed_are_capped_but_counted(tmp_path, monkeypatch):
    from search import settings as search_settings

    write_jsonl(
        tmp_path / "a.jsonl",
        [record("en/strike", EN, "en"), record("fr/greve", FR, "fr"), record("en/copy", damaged(EN), "en")],
    )
    run_index([tmp_path / "a.jsonl"], tmp_path / "index")
    monkeypatch.setattr(search_settings, "COPIES_LISTED", 1)
    [hit] = query(tmp_path / "index", "Markovic")["hits"]
    assert len(hit["copies"]) == 1 and hit["copies_total"] == 2
    assert "2 more copies" in run_cli("query", "Markovic", "--index", tmp_path / "index").stdout
