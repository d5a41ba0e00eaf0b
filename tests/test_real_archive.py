"""The whole real archive beside the project (../shared/data/archive), indexed once.

2,225 undated BBC stories (one ``.txt`` each, headline first) and the blog posts of
``geopolitics.jsonl`` in English, French, German and Russian, checked against
``gold.json`` (each record's language, and its date where one is known). The queries are
made at run time from what the index shows of its articles; no text of the archive is
written here.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from indexer.store.analysis import stoplist_for
from search.engine import SearchEngine, SearchRequest

from .helpers import HIT_KEYS, run_cli

ARCHIVE = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "archive").resolve()
FACETS = {"actor", "month", "year", "day", "language", "source"}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Tokens a query can take as they are: letters only (any script), long enough not to be a
# stop word in any language of the archive.
PLAIN_WORD = re.compile(r"^[^\W\d_]{6,}$")
STOP_WORDS = stoplist_for("en") | stoplist_for("fr")  # not searched, as the README says

pytestmark = pytest.mark.skipif(not ARCHIVE.is_dir(), reason=f"the real archive is not at {ARCHIVE}")


def expected_ids() -> set[str]:
    """What a complete index of the archive holds: every BBC file by its path, every
    JSON line that parses into a record with text, by its ``id``."""
    ids = {p.relative_to(ARCHIVE).as_posix() for p in (ARCHIVE / "bbc").rglob("*.txt")}
    with open(ARCHIVE / "geopolitics.jsonl", encoding="utf-8") as f:
        for line in f:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and str(record.get("text") or "").strip():
                ids.add(record["id"])
    return ids


@pytest.fixture(scope="module")
def gold():
    return json.loads((ARCHIVE / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """``news-search index ARCHIVE`` once: (index dir, CLI result, seconds taken)."""
    index = tmp_path_factory.mktemp("archive-index")
    start = time.perf_counter()
    result = run_cli("index", ARCHIVE, "--index", index, "--workers", "2")
    seconds = time.perf_counter() - start
    print(f"\nindexed the real archive in {seconds:.1f} s: {result.stdout.strip()}")
    assert result.exit_code == 0, result.output
    return index, result, seconds


@pytest.fixture(scope="module")
def engine(archive):
    return SearchEngine(archive[0])


@pytest.fixture(scope="module")
def everything(engine):
    """Every article, newest first, with the facets of the whole index."""
    return engine.search(SearchRequest("", limit=10_000, collapse=False))


@pytest.fixture(scope="module")
def records(engine, everything, gold):
    """A deterministic sample of indexed articles, as ``show`` gives them: eight evenly
    spaced BBC stories, and eight blog posts of each language."""
    groups: dict[str, list[str]] = {}
    for ident in sorted(h["id"] for h in everything["hits"]):
        group = "bbc" if ident.startswith("bbc/") else gold[ident]["lang"]
        groups.setdefault(group, []).append(ident)
    sample = [ids[k * len(ids) // 8] for ids in groups.values() for k in range(8)]
    return [engine.article(i) for i in sample]


def query(index, *args) -> dict:
    result = run_cli("query", *args, "--index", index, "--format", "json", "--limit", "10000", "--no-collapse")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ids_of(result: dict) -> set[str]:
    return {h["id"] for h in result["hits"]}


def search_ids(engine, text="", **kwargs) -> set[str]:
    return ids_of(engine.search(SearchRequest(text, limit=10_000, facets=False, collapse=False, **kwargs)))


def plain(word: str) -> bool:
    """A word a query can take as it is: letters only, six or more, not a stop word."""
    folded = unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode()
    return bool(PLAIN_WORD.match(word)) and folded not in STOP_WORDS


def plain_words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text) if plain(w)]


def facet(result: dict, name: str) -> dict[str, int]:
    return {d["value"]: d["count"] for d in result["facets"][name]}


# --- every article is committed ----------------------------------------------------------


def test_the_index_holds_every_article_of_the_archive(archive, everything, gold):
    expected = expected_ids()
    assert expected == set(gold)  # the archive's own bookkeeping agrees with itself
    ids = [h["id"] for h in everything["hits"]]
    assert everything["total"] == len(expected) == len(ids)
    assert set(ids) == expected
    assert f"{len(expected)} articles in the index" in archive[1].stdout


def test_a_file_that_is_not_utf8_is_indexed_with_a_warning_naming_it(archive, everything):
    lines = [line for line in archive[1].stderr.splitlines() if "199.txt" in line]
    assert len(lines) == 1 and "bbc/sport/199.txt" in lines[0] and "UTF-8" in lines[0]
    assert "bbc/sport/199.txt" in ids_of(everything)


def test_every_message_of_the_run_is_one_line_naming_a_file(archive):
    for line in archive[1].stderr.splitlines():
        assert line.startswith(f"news-search: {ARCHIVE}/"), line
        assert "Error" not in line and "Traceback" not in line, line


def test_the_hits_have_the_documented_shape(everything):
    assert set(everything) >= {"query", "total", "page", "hits", "facets", "suggestion"}
    assert set(everything["facets"]) == FACETS
    for hit in everything["hits"]:
        assert set(hit) == HIT_KEYS
        assert hit["date"] is None or DAY.match(hit["date"])
        assert hit["language"] in hit["languages"]


def test_stats_counts_every_article_and_the_undated_ones(archive, everything):
    result = run_cli("stats", "--index", archive[0], "--format", "json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["articles"] == everything["total"]
    assert stats["undated"] == sum(1 for h in everything["hits"] if h["date"] is None)


# --- languages and dates against gold.json ---------------------------------------------------


def test_languages_of_the_blog_posts_match_gold(everything, gold):
    """The main language of each JSON-lines post is its gold ``lang`` for at least 98% of
    the posts, and 95% within each language. Some posts are how-tos whose French, German
    or Russian versions are mostly English commands and code, where the main language is
    truly in doubt: 2% (about 17 posts) leaves room for those and for nothing systematic."""
    posts = [h for h in everything["hits"] if not h["id"].startswith("bbc/")]
    right = Counter(h["language"] == gold[h["id"]]["lang"] for h in posts)
    wrong = [(h["id"], h["language"]) for h in posts if h["language"] != gold[h["id"]]["lang"]]
    assert right[True] >= 0.98 * len(posts), wrong
    for lang in ("en", "fr", "de", "ru"):
        mine = [h for h in posts if gold[h["id"]]["lang"] == lang]
        assert len(mine) > 100
        good = sum(h["language"] == lang for h in mine)
        assert good >= 0.95 * len(mine), (lang, [w for w in wrong if gold[w[0]]["lang"] == lang])


def test_languages_of_the_bbc_stories_are_english(everything, gold):
    stories = [h for h in everything["hits"] if h["id"].startswith("bbc/")]
    assert len(stories) == sum(1 for i in gold if i.startswith("bbc/"))
    wrong = [(h["id"], h["language"]) for h in stories if h["language"] != gold[h["id"]]["lang"]]
    assert len(wrong) <= 0.005 * len(stories), wrong


def test_dates_of_the_blog_posts_are_their_metadata_dates(everything, gold):
    posts = [h for h in everything["hits"] if gold[h["id"]]["date"]]
    assert len(posts) > 800
    wrong = [
        (h["id"], h["date"], gold[h["id"]]["date"])
        for h in posts
        if (h["date"], h["date_source"]) != (gold[h["id"]]["date"], "metadata")
    ]
    assert wrong == []


def test_articles_without_a_known_date_get_none_or_an_inferred_one(everything, gold):
    """No article without a date gets one said to come from its metadata or a dateline."""
    for hit in everything["hits"]:
        if not gold[hit["id"]]["date"]:
            assert hit["date"] is None or hit["date_source"] == "inferred", hit


# --- undated articles are first-class ------------------------------------------------------


@pytest.fixture(scope="module")
def undated(everything):
    ids = {h["id"] for h in everything["hits"] if h["date"] is None}
    assert len(ids) > 1000  # most BBC stories carry no date at all
    return ids


def test_undated_articles_are_found_by_their_words(engine, records):
    tried = 0
    for record in records:
        if record["date"] is not None:
            continue
        words = plain_words(record["title"])
        if words:
            tried += 1
            hits = engine.search(SearchRequest(words[0], limit=10_000, facets=False, collapse=False))["hits"]
            mine = [h for h in hits if h["id"] == record["id"]]
            assert mine and mine[0]["date"] is None, (record["id"], words[0])
    assert tried >= 5


def test_undated_articles_pass_filters_other_than_dates(engine, undated, everything):
    english = search_ids(engine, lang="en")
    assert undated & english
    assert facet(everything, "language")["en"] == len(english)
    top_actor = everything["facets"]["actor"][0]["value"]
    assert undated & search_ids(engine, actors=[top_actor])


def test_undated_articles_come_last_in_date_order(archive, undated):
    dates = [h["date"] for h in query(archive[0], "--sort", "date")["hits"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates[len(dated) :] == [None] * len(undated)


def test_a_date_filter_leaves_undated_articles_out(archive, undated, everything):
    result = query(archive[0], "--since", "1800")
    assert not ids_of(result) & undated
    assert result["total"] == everything["total"] - len(undated)


def test_the_month_facet_has_an_undated_bucket_and_adds_up(everything, undated):
    months = everything["facets"]["month"]
    assert {"value": "undated", "count": len(undated)} in months
    assert sum(m["count"] for m in months) == everything["total"]


# --- every kind of search --------------------------------------------------------------------


def queries_from(record: dict) -> dict[str, str]:
    """Queries a reader of the article could type, by kind, made from its shown text."""
    queries = {}
    title_words = plain_words(record["title"] or "")
    if title_words:
        queries["title"] = f"title:{title_words[-1]}"
        queries["title word"] = title_words[-1]
    words = [w for p in record["paragraphs"] for w in re.split(r"\s+", p["text"])]
    for a, b in zip(words, words[1:]):
        if plain(a) and plain(b):
            queries["word"], queries["phrase"] = a, f'"{a} {b}"'
            break
    long = [w for w in words if plain(w) and len(w) >= 9]
    if long:
        queries["prefix"] = long[0][:6] + "*"
    return queries


@pytest.mark.parametrize("kind", ["title", "title word", "word", "phrase", "prefix"])
def test_a_word_of_an_article_finds_it(engine, records, kind):
    """For sampled articles of every language: a word of the title (as ``title:`` and
    as a plain word), a word of the text, two consecutive words as a phrase, and the
    first six letters of a long word as a prefix, each as the article shows them, find
    the article."""
    tried, missed = Counter(), []
    for record in records:
        text = queries_from(record).get(kind)
        if text:
            tried[record["language"]] += 1
            if record["id"] not in search_ids(engine, text):
                missed.append((record["id"], record["language"], text))
    assert set(tried) >= ({"en", "de", "ru"} if kind.startswith("title") else {"en", "fr", "de", "ru"})
    assert missed == []


def test_actor_queries_and_filters_agree_with_the_actor_facet(archive, engine, everything):
    for entry in everything["facets"]["actor"][:5]:
        name = entry["value"]
        by_filter = search_ids(engine, actors=[name])
        assert len(by_filter) == entry["count"]
        assert search_ids(engine, f'actor:"{name}"') == by_filter
        assert query(archive[0], "--actor", name)["total"] == entry["count"]


def test_language_queries_and_filters_agree_with_the_language_facet(archive, engine, everything):
    languages = facet(everything, "language")
    for lang in ("en", "fr", "de", "ru"):
        by_filter = search_ids(engine, lang=lang)
        assert len(by_filter) == languages[lang]
        assert search_ids(engine, f"lang:{lang}") == by_filter
        assert query(archive[0], "--lang", lang)["total"] == languages[lang]


def test_source_queries_agree_with_the_source_facet(archive, engine, everything):
    for entry in everything["facets"]["source"]:
        assert len(search_ids(engine, source=entry["value"])) == entry["count"]
    result = query(archive[0], "source:nowhere")
    assert result["total"] == sum(e["count"] for e in everything["facets"]["source"] if e["value"].lower() == "nowhere")


def test_date_queries_and_filters_find_the_dated_posts(archive, engine, everything, gold):
    months, years = facet(everything, "month"), facet(everything, "year")
    dated = sorted((d["date"], i) for i, d in gold.items() if d["date"])
    for day, ident in dated[:: len(dated) // 6]:
        assert ident in search_ids(engine, f"date:{day}")
        month, year = day[:7], day[:4]
        assert len(search_ids(engine, f"date:{month}")) == months[month]
        assert search_ids(engine, since=month, until=month) == search_ids(engine, f"date:{month}")
        assert len(search_ids(engine, f"date:{year}")) == years[year]
        assert query(archive[0], "--since", year, "--until", year)["total"] == years[year]
    first, last = dated[0][0], dated[len(dated) // 2][0]
    in_range = {i for d, i in dated if first <= d <= last}
    by_query = search_ids(engine, f"date:[{first} to {last}]")
    assert by_query == search_ids(engine, since=first, until=last)
    assert in_range <= by_query


def test_a_filtered_search_is_a_subset_of_the_unfiltered_one(engine, everything):
    top_actor = everything["facets"]["actor"][0]["value"]
    broad = search_ids(engine, "government OR regierung OR gouvernement")
    assert broad
    for kwargs in ({"lang": "en"}, {"lang": "de"}, {"actors": [top_actor]}, {"since": "2015"}, {"until": "2014-06"}):
        assert search_ids(engine, "government OR regierung OR gouvernement", **kwargs) <= broad


@pytest.mark.parametrize("sort", ["relevance", "date", "recent"])
def test_the_three_sorts_order_the_same_results(engine, sort):
    text = "minister OR ministre OR minister*"
    result = engine.search(SearchRequest(text, sort=sort, limit=10_000, collapse=False))
    hits = result["hits"]
    assert len(hits) == result["total"] > 100
    assert {h["id"] for h in hits} == search_ids(engine, text)
    if sort == "relevance":
        scores = [h["score"] for h in hits]
        assert scores == sorted(scores, reverse=True)
    if sort == "date":
        dates = [h["date"] for h in hits]
        dated = [d for d in dates if d]
        assert dates == sorted(dated, reverse=True) + [None] * (len(dates) - len(dated))


@pytest.mark.parametrize("collapse", [False, True])
def test_pages_cover_the_results_exactly_once(engine, collapse):
    """Every article once, or with copies collapsed every story once (the archive holds
    translations and reprints: fewer stories than articles)."""
    text = "market OR football OR film"
    first = engine.search(SearchRequest(text, facets=False, collapse=collapse))
    total = first["stories"] if collapse else first["total"]
    assert total > 300 and first["stories"] < first["total"]
    seen: list[str] = []
    stories: list[int] = []
    page = 1
    while True:
        result = engine.search(SearchRequest(text, limit=100, page=page, facets=False, collapse=collapse))
        assert (result["total"], result["stories"]) == (first["total"], first["stories"])
        if not result["hits"]:
            break
        seen += [h["id"] for h in result["hits"]]
        stories += [h["story"] for h in result["hits"]]
        page += 1
    assert len(seen) == len(set(seen)) == total
    if collapse:
        assert len(set(stories)) == total


@pytest.mark.parametrize("collapse", [False, True])
def test_facets_count_the_whole_result_set(engine, collapse):
    """Articles, or with copies collapsed stories (a story whose copies fall in two months
    counts in both)."""
    result = engine.search(SearchRequest("election OR wahl OR élection", limit=5, collapse=collapse))
    total = result["stories"] if collapse else result["total"]
    assert total > 5 and len(result["hits"]) == 5
    assert result["stories"] < result["total"]  # translations of one post, collapsed or not
    months = sum(m["count"] for m in result["facets"]["month"])
    years = sum(y["count"] for y in result["facets"]["year"])
    assert months == total if not collapse else total <= months < result["total"]
    assert years == total if not collapse else total <= years <= months
    for entry in result["facets"]["language"] + result["facets"]["actor"]:
        assert 0 < entry["count"] <= total
    if collapse:  # a value counts the stories its filter would list
        for entry in result["facets"]["language"][:3]:
            code = entry["value"]
            filtered = engine.search(SearchRequest("election OR wahl OR élection", lang=code, limit=1, facets=False))
            assert filtered["stories"] == entry["count"]


@pytest.mark.parametrize(
    "args",
    [
        ("economy",),
        ('"prime minister"',),
        ("tele*",),
        ("title:music",),
        ("lang:fr",),
        ("date:2016",),
        ("date:[2013-01-01 to 2014-12-31]",),
        ("source:bbc",),
        ("economy", "--sort", "date"),
        ("economy", "--sort", "recent"),
        ("--lang", "de", "--page", "2"),
        ("--since", "2014", "--until", "2016-06-30"),
        ("musique OR musik OR music", "--no-facets"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "csv", "text"])
def test_the_command_line_answers_every_kind_of_search(archive, args, fmt):
    result = run_cli("query", *args, "--index", archive[0], "--format", fmt, "--limit", "20")
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert all(set(h) == HIT_KEYS for h in data["hits"])
        shown = data["stories"] if data["collapsed"] else data["total"]  # copies of a story collapsed
        assert len(data["hits"]) == min(20, max(0, shown - 20 * (data["page"] - 1)))
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows and "id" in rows[0]


def test_show_prints_a_sampled_article_of_each_kind(archive, records):
    for record in records[:: max(1, len(records) // 8)]:
        result = run_cli("show", record["id"], "--index", archive[0], "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["id"] == record["id"]


def test_the_web_page_on_the_archive(engine, everything):
    """The search page agrees with the engine on a real archive: each actor type has its
    list, titles carry their language, the undated count and the pages add up."""
    import re

    from search.web import create_app

    client = create_app(engine=engine).test_client()
    page = client.get("/").data.decode()
    for heading in ("People", "Countries", "Organisations"):
        assert f">{heading}</h2>" in page
    undated = facet(engine.search(SearchRequest("", limit=1)), "month").get("undated", 0)  # stories
    assert f'Undated: <span class="count">{undated:,}<' in page
    for hit_id, lang in re.findall(r'<li class="hit" data-id="([^"]+)">\s*<h2 lang="([^"]+)"', page):
        assert lang == next(h["language"] for h in everything["hits"] if h["id"] == hit_id)
    german = client.get("/?lang=de").data.decode()
    assert 'aria-label="Remove filter Language: German"' in german
    assert set(re.findall(r'<h2 lang="([^"]+)"', german)) == {"de"}
    last = -(-engine.search(SearchRequest("", limit=1))["stories"] // 20)  # copies collapsed
    assert client.get(f"/?page={last}").status_code == 200
    assert client.get(f"/?page={last + 1}").status_code == 404


# --- discovered actors ---------------------------------------------------------------------


def test_the_archive_has_discovered_actors_of_every_type(engine):
    types = set(engine.discovered.actors.values())
    assert types == {"person", "organization", "place"}
    assert len(engine.discovered) >= 100


def test_a_discovered_actor_in_the_facet_filters_to_its_count(engine, everything):
    discovered = [f for f in everything["facets"]["actor"] if f.get("discovered")]
    assert discovered  # the whole archive's top actors include discovered ones
    for f in discovered:
        for spelling in engine.discovered.spellings[f["value"]][:3]:
            found = search_ids(engine, actors=[spelling])
            assert len(found) == f["count"], (f["value"], spelling)


def test_every_spelling_of_a_discovered_actor_names_it_alone(engine):
    from indexer.ingest.discovery import word_lists
    from indexer.ingest.folding import fold

    lists = word_lists()
    for name, spellings in engine.discovered.spellings.items():
        assert engine.table.resolve(name) is None  # the table's actors are the table's
        assert fold(name) not in lists["sources"] and fold(name) not in lists["debris"]
        for spelling in spellings:
            assert engine.discovered.resolve(spelling) == name
