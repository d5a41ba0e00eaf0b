"""Discovered actors in the index: counted as runs add and remove articles, promoted
once enough articles name them, and everywhere actors are (facet, --actor, actor:,
hits, news-search actors, the export to an alias table)."""

import csv
import io
import json

import pytest

from indexer import settings
from indexer.ingest.actors import AliasTable
from indexer.store.index_folder import read_meta
from indexer.store.indexing import run_index
from search.engine import SearchEngine, SearchRequest

from .helpers import run_cli

FILLER = "The talks covered trade, energy and the border. Officials gave no further details of the meeting."


def record(i: int, text: str) -> dict:
    return {"id": f"a{i}", "title": f"Report number {i}", "date": f"2024-03-{i + 1:02d}", "lang": "en", "text": text}


def maas(i: int) -> dict:
    if i % 2:
        text = f"Foreign Minister Heiko Maas met officials in Yerevan. Maas said talks would go on. {FILLER}"
    else:
        text = f"German diplomats travelled to Baku. Mr Maas, the minister, met his counterpart. {FILLER}"
    return record(i, text)


def write(corpus, records):
    (corpus / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.fixture
def archive(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    records = [maas(i) for i in range(6)]
    records += [record(10 + i, f"Jane Roe said the vote was fair. {FILLER}") for i in range(2)]
    records += [record(20 + i, f"Trade grew in Armenia. {FILLER}") for i in range(3)]
    write(corpus, records)
    assert run_index([corpus], index, workers=1).failed == 0
    return corpus, index, records


def actor_facet(engine, **kwargs):
    # the articles share a filler paragraph: copies of one story, counted as articles here
    result = engine.search(SearchRequest(**kwargs, collapse=False))
    return {f["value"]: f for f in result["facets"]["actor"]}, result


def test_a_name_in_enough_articles_is_an_actor_of_the_facet(archive):
    _, index, _ = archive
    facet, _ = actor_facet(SearchEngine(index), query="")
    assert facet["Heiko Maas"] == {"value": "Heiko Maas", "type": "person", "count": 6, "discovered": True}
    assert "Jane Roe" not in facet  # two articles: not enough
    assert "discovered" not in facet["Armenia"]


def test_any_spelling_filters_by_a_discovered_actor(archive):
    _, index, _ = archive
    engine = SearchEngine(index)
    for spelling in ("Heiko Maas", "Maas", "heiko maas"):
        _, result = actor_facet(engine, query="", actors=[spelling])
        assert result["total"] == 6
    _, result = actor_facet(engine, query='actor:"Heiko Maas" AND Yerevan')
    assert result["total"] == 3
    assert all("Heiko Maas" in hit["actors"] for hit in result["hits"])
    with pytest.raises(Exception, match="unknown actor 'Jane Roe'"):
        engine.search(SearchRequest(query="", actors=["Jane Roe"]))


def test_runs_update_the_counts_without_reading_the_archive_again(archive):
    corpus, index, records = archive
    before = json.loads((index / read_meta(index)["names"]).read_text())
    records = records[1:] + [maas(6), maas(7)]  # one article gone, two new
    write(corpus, records)
    summary = run_index([corpus], index, workers=1)
    assert (summary.added, summary.deleted) == (2, 1)
    after = json.loads((index / read_meta(index)["names"]).read_text())

    def articles(counts):  # the full name's and the surname's alone ("Mr Maas")
        return counts["names"]["heiko maas"]["articles"] + counts["names"]["maas"]["articles"]

    assert articles(before) == 6 and articles(after) == 7
    # the same counts as a rebuild from nothing
    run_index([corpus], index, workers=1, rebuild=True)
    rebuilt = json.loads((index / read_meta(index)["names"]).read_text())
    assert rebuilt["names"] == after["names"] and rebuilt["links"] == after["links"]
    facet, _ = actor_facet(SearchEngine(index), query="")
    assert facet["Heiko Maas"]["count"] == 7


def test_counts_of_an_older_generation_are_counted_again(archive):
    corpus, index, records = archive
    names_file = index / read_meta(index)["names"]
    data = json.loads(names_file.read_text())
    data["generation"] = -5
    data["names"] = {}
    names_file.write_text(json.dumps(data))
    write(corpus, [*records, maas(9)])
    run_index([corpus], index, workers=1)
    counts = json.loads(names_file.read_text())["names"]
    assert counts["heiko maas"]["articles"] + counts["maas"]["articles"] == 7


def test_news_search_actors_lists_and_exports_discovered_actors(archive, tmp_path):
    corpus, index, _ = archive
    listed = run_cli("actors", "--index", index, "--discovered")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0].split("\t")[:4] == ["Heiko Maas", "person", "6", "discovered"]
    both = run_cli("actors", "--index", index, "--format", "json").stdout
    rows = {r["name"]: r for r in json.loads(both)}
    assert rows["Armenia"]["articles"] == 6  # three say Armenia, three Yerevan
    assert not rows["Armenia"]["discovered"]
    exported = run_cli("actors", "--index", index, "--export").stdout
    rows_read = [row for row in csv.reader(io.StringIO(exported)) if row and not row[0].startswith("#")]
    assert rows_read[0] == ["name", "type", "aliases", "related", "ambiguous"]
    mine = tmp_path / "mine.csv"
    mine.write_text(exported, encoding="utf-8")
    assert AliasTable.from_file(mine).resolve("Maas") == "Heiko Maas"
    # the export is the index's whole table (related words and all) with the discovered
    # actors added: indexing with it loses none of the table's actors
    bundled = AliasTable.from_file(settings.ACTORS_FILE)
    exported_table = AliasTable.from_file(mine)
    assert set(bundled.actors) < set(exported_table.actors)
    assert exported_table.resolve("Kremlin") == bundled.resolve("Kremlin") == "Russia"
    # kept in the user's table, the actor is the table's, no longer discovered; its surname
    # alone names it as discovery read it, with a title or the full name in the article, not
    # wherever the word stands
    assert ["Heiko Maas", "person", "Maas", "", "Maas"] in rows_read
    river = record(40, f"The Maas flooded the lower town after days of rain. {FILLER}")
    write(corpus, [*(maas(i) for i in range(6)), river])
    run_index([corpus], index, workers=1, actors_file=mine)
    facet, _ = actor_facet(SearchEngine(index), query="")
    assert facet["Heiko Maas"]["count"] == 6 and "discovered" not in facet["Heiko Maas"]


def test_the_web_page_marks_discovered_actors(archive):
    from search.web import create_app

    _, index, _ = archive
    page = create_app(engine=SearchEngine(index)).test_client().get("/?q=talks").get_data(as_text=True)
    assert 'Heiko Maas</a> <span class="discovered"' in page
    # the mark says what it is (not "new since last read"), to the eye and to a screen reader
    badge = page[page.index('Heiko Maas</a> <span class="discovered"') :].split("</span>")[0]
    assert badge.endswith(">found") and 'aria-label="found in the articles, not in the alias table"' in badge
    assert "not in the alias table</p>" in page  # a visible explanation beside the facet


def _counts(names: dict, links: dict):
    from indexer.store.name_counts import NameCounts

    full = {
        key: {"articles": n, "types": {type_: n}, "spellings": {spelling: n}}
        for key, (spelling, type_, n) in names.items()
    }
    return NameCounts(full, links, generation=1)


def test_a_form_joins_a_name_only_on_strong_evidence():
    from indexer.ingest.actors import load_table
    from indexer.ingest.naming import name_key
    from search.discovered import DiscoveredActors

    k = name_key
    counts = _counts(
        {
            k("Heiko Maas"): ("Heiko Maas", "person", 6),
            k("Maas"): ("Maas", "person", 3),
            k("Real Zaragoza"): ("Real Zaragoza", "organization", 6),
            k("Zaragoza"): ("Zaragoza", "place", 9),
            k("Ray Charles"): ("Ray Charles", "person", 6),
            k("Charles"): ("Charles", "person", 9),
            k("Charles Kennedy"): ("Charles Kennedy", "person", 8),
            k("European Environment Agency"): ("European Environment Agency", "organization", 6),
            k("EEA"): ("EEA", "organization", 5),
            k("EA"): ("EA", "organization", 5),
            k("John Houston"): ("John Houston", "person", 5),
            k("Houston"): ("Houston", "place", 11),
        },
        {
            k("Maas"): {k("Heiko Maas"): 4},
            k("Zaragoza"): {k("Real Zaragoza"): 4},
            k("Charles"): {k("Ray Charles"): 4},
            k("EEA"): {k("European Environment Agency"): 4},
            k("EA"): {k("European Environment Agency"): 4},
            k("Houston"): {k("John Houston"): 3},
        },
    )
    found = DiscoveredActors(counts, load_table())
    assert found.resolve("Maas") == "Heiko Maas"  # a person's surname
    assert found.resolve("EEA") == "European Environment Agency"  # its own acronym
    assert found.resolve("Zaragoza") == "Zaragoza"  # not the last word of a club's name
    assert found.resolve("Charles") == "Charles"  # more often a first name
    assert found.resolve("EA") == "EA"  # initials that do not spell the long form
    assert found.resolve("Houston") == "Houston"  # a place where it stands alone


def test_show_and_the_article_api_list_the_actors_a_hit_lists(archive):
    from search.web import create_app

    _, index, _ = archive
    engine = SearchEngine(index)
    hit = engine.search(SearchRequest("Yerevan", facets=False))["hits"][0]
    assert "Heiko Maas" in hit["actors"]
    shown = json.loads(run_cli("show", hit["id"], "--index", index, "--format", "json").stdout)
    assert [a["name"] for a in shown["actors"]] == hit["actors"]
    maas = next(a for a in shown["actors"] if a["name"] == "Heiko Maas")
    assert maas["type"] == "person" and maas["discovered"] and maas["mentions"] >= 2
    assert "Heiko Maas (" in run_cli("show", hit["id"], "--index", index).stdout
    api = create_app(engine=SearchEngine(index)).test_client().get(f"/api/article/{hit['id']}").get_json()
    assert [a["name"] for a in api["actors"]] == hit["actors"]


def test_a_filter_on_a_discovered_actor_finds_the_articles_that_merely_mention_it(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    records = [record(i, f"Officials met in Valdoria on Monday. {FILLER}") for i in range(5)]
    records += [record(10 + i, f"Exports from the region grew. Valdoria signed the deal. {FILLER}") for i in range(3)]
    records += [record(20 + i, f"Prices rose. Zembla signed the deal. {FILLER}") for i in range(8)]
    write(corpus, records)
    assert run_index([corpus], index, workers=1).failed == 0
    engine = SearchEngine(index)
    facet, result = actor_facet(engine, query="", actors=["Valdoria"])
    assert result["total"] == 8  # the five that say where it is, and the three that name it
    assert facet["Valdoria"]["type"] == "place"
    facet, _ = actor_facet(engine, query="")
    assert "Zembla" not in facet  # named in eight articles, with nothing to say what it is


def test_a_word_joins_the_organisation_it_names_without_its_head_word():
    from indexer.ingest.actors import load_table
    from indexer.ingest.naming import name_key
    from search.discovered import DiscoveredActors

    k = name_key
    counts = _counts(
        {
            k("Zorbist Party"): ("Zorbist Party", "organization", 6),
            k("Zorbist"): ("Zorbist", "place", 20),
            k("Quill Group"): ("Quill Group", "organization", 6),
            k("Quill"): ("Quill", "person", 9),
        },
        {},
    )
    found = DiscoveredActors(counts, load_table())
    assert found.resolve("Zorbist") == "Zorbist Party"
    assert found.actors["Zorbist Party"] == "organization"
    assert found.resolve("Quill") == "Quill"  # more articles give it as a person's name


def test_an_abbreviation_or_the_singular_of_an_organisation_joins_it_across_articles():
    from indexer.ingest.actors import load_table
    from indexer.ingest.naming import name_key
    from search.discovered import DiscoveredActors

    k = name_key
    counts = _counts(
        {
            k("Radical Liberals"): ("Radical Liberals", "organization", 8),
            k("Rad Libs"): ("Rad Libs", "organization", 6),
            k("Radical Liberal"): ("Radical Liberal", "organization", 5),
            k("Real Madrid"): ("Real Madrid", "organization", 6),
            k("Real Mallorca"): ("Real Mallorca", "organization", 6),
            k("Rob Lee"): ("Rob Lee", "person", 6),
        },
        {},
    )
    found = DiscoveredActors(counts, load_table())
    assert found.resolve("Rad Libs") == found.resolve("Radical Liberal") == "Radical Liberals"
    assert found.articles["Radical Liberals"] == 19
    assert found.resolve("Real Mallorca") == "Real Mallorca"  # not Real Madrid's
    assert found.resolve("Rob Lee") == "Rob Lee"  # a person's name abbreviates no organisation


def test_german_and_russian_articles_count_towards_a_discovered_actor_without_making_any(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "DISCOVERY_MENTION_LANGUAGES", ("de", "ru"))
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    records = [maas(i) for i in range(6)]
    german = (
        "Außenminister Heiko Maas reiste am Montag nach Eriwan. Die Regierung sagte, Maas werde dort "
        "mit seinem Kollegen über den Konflikt sprechen. Bundespräsident Walter Kranich begrüßte die Reise."
    )
    russian = "Министр иностранных дел Германии Маас прибыл в Ереван. Переговоры продолжатся завтра утром."
    for i in range(5):
        records.append({**record(30 + i, german + f" Treffen Nummer {i}."), "lang": "de"})
    records.append({**record(40, russian), "lang": "ru"})
    genitive = "Визит Мааса в Ереван продлится два дня. Переговоры продолжатся завтра утром в столице."
    records.append({**record(41, genitive), "lang": "ru"})
    write(corpus, records)
    assert run_index([corpus], index, workers=1).failed == 0
    engine = SearchEngine(index)
    facet, _ = actor_facet(engine, query="")
    assert facet["Heiko Maas"]["count"] == 13  # 6 English, 5 German, 2 Russian (one in the genitive)
    _, result = actor_facet(engine, query="", actors=["Maas"], lang="de")
    assert result["total"] == 5
    # German capitalises every noun, and its titles are not read: nothing of it is an actor
    assert engine.discovered.resolve("Walter Kranich") is None
    assert engine.discovered.resolve("Regierung") is None


def test_a_surname_alone_filters_by_the_one_discovered_person_it_names(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    # the full name in six articles (without the surname alone near it), the surname alone in three
    records = [record(i, f"Foreign Minister Lena Obradovic met officials in Yerevan. {FILLER}") for i in range(6)]
    records += [record(10 + i, f"The talks with Obradovic were long. {FILLER}") for i in range(3)]
    write(corpus, records)
    assert run_index([corpus], index, workers=1).failed == 0
    engine = SearchEngine(index)
    _, result = actor_facet(engine, query="", actors=["Obradovic"])
    assert result["total"] == 9
    facet, _ = actor_facet(engine, query="")
    assert facet["Lena Obradovic"]["count"] == 9
    # a near spelling is suggested, a far one is not
    with pytest.raises(Exception, match=r"unknown actor 'Obradovik'; did you mean Lena Obradovic\?"):
        engine.search(SearchRequest(query="", actors=["Obradovik"]))
    with pytest.raises(Exception, match=r"unknown actor 'Maas'$"):
        engine.search(SearchRequest(query="", actors=["Maas"]))


def test_a_surname_of_several_discovered_people_is_refused_naming_each(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    records = [record(i, f"Foreign Minister Lena Obradovic met officials in Yerevan. {FILLER}") for i in range(6)]
    records += [record(10 + i, f"Finance Minister Marko Obradovic visited Baku. {FILLER}") for i in range(6)]
    write(corpus, records)
    assert run_index([corpus], index, workers=1).failed == 0
    with pytest.raises(
        Exception, match="did you mean (Lena Obradovic, Marko Obradovic|Marko Obradovic, Lena Obradovic)"
    ):
        SearchEngine(index).search(SearchRequest(query="", actors=["Obradovic"]))


def test_one_actor_under_transliterations_acronyms_short_forms_and_middle_initials():
    from indexer.ingest.actors import load_table
    from indexer.ingest.naming import name_key
    from search.discovered import DiscoveredActors

    k = name_key
    assert k("Gerhard Schröder") == k("Gerhard Schroeder")  # an umlaut written out
    assert k("Selenskyj") == k("Zelensky") and k("Lawrow") == k("Lavrov")  # German transliterations
    counts = _counts(
        {
            k("Zorbist Independence Party"): ("Zorbist Independence Party", "organization", 6),
            k("ZIP"): ("ZIP", "organization", 7),
            k("International Federation"): ("International Federation", "organization", 6),
            k("INF"): ("INF", "organization", 6),
            k("Conservative Party"): ("Conservative Party", "organization", 9),
            k("Tory Party"): ("Tory Party", "organization", 8),
            k("Hank Q Porter"): ("Hank Q Porter", "person", 8),
            k("Hank Porter"): ("Hank Porter", "person", 6),
            k("Вилли Брандт"): ("Вилли Брандт", "person", 9),
            k("Willi Brandt"): ("Willi Brandt", "person", 5),
            k("BQ"): ("BQ", "organization", 30),
            k("Bright Quills"): ("Bright Quills", "organization", 5),
        },
        {k("ZIP"): {k("Zorbist Independence Party"): 1}, k("INF"): {k("International Federation"): 1}},
    )
    found = DiscoveredActors(counts, load_table())
    assert found.resolve("ZIP") == "Zorbist Independence Party"  # its initials, one a word
    assert found.resolve("INF") == "INF"  # "International" gives no two letters here
    assert found.resolve("BQ") == "BQ"  # no article linked them
    assert found.resolve("Tory Party") == found.resolve("Conservative Party")  # name-same-names.txt
    assert found.resolve("Hank Porter") == found.resolve("Hank Q Porter") == "Hank Q Porter"
    assert found.resolve("Willi Brandt") == "Willi Brandt"  # shown in Latin letters


def test_a_word_after_a_title_that_ends_an_organisations_name_is_that_organisation():
    from indexer.ingest.actors import load_table
    from indexer.ingest.naming import name_key
    from search.discovered import DiscoveredActors

    k = name_key
    counts = _counts(
        {k("General Zorbics"): ("General Zorbics", "organization", 5), k("Zorbics"): ("Zorbics", "person", 17)},
        {},
    )
    found = DiscoveredActors(counts, load_table())
    assert found.resolve("Zorbics") == "General Zorbics"
    assert found.actors["General Zorbics"] == "organization"


def test_a_first_name_alone_is_no_discovered_actor():
    from indexer.ingest.actors import load_table
    from indexer.ingest.naming import name_key
    from search.discovered import DiscoveredActors

    k = name_key
    counts = _counts(
        {
            k("Ivo"): ("Ivo", "person", 7),
            k("Ivo Zorbic"): ("Ivo Zorbic", "person", 9),
            k("Ivo Quillon"): ("Ivo Quillon", "person", 6),
            k("Zorbic"): ("Zorbic", "person", 6),
        },
        {},
    )
    found = DiscoveredActors(counts, load_table())
    assert found.resolve("Ivo") is None
    assert found.resolve("Zorbic") == "Ivo Zorbic"  # a surname alone is one


def test_a_name_written_once_among_a_long_german_articles_nouns_counts(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "DISCOVERY_MENTION_LANGUAGES", ("de", "ru"))
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    records = [maas(i) for i in range(6)]
    # a hundred capitalised nouns, each twice (after an adjective, not a determiner), and Maas once
    nouns = " ".join(
        f"Wir sahen große Zeltplatz{chr(97 + i % 26)}{i} und kleine Zeltplatz{chr(97 + i % 26)}{i}." for i in range(100)
    )
    text = f"{nouns} Danach sprach Maas mit den Gästen über Verantwortung und Freiheit."
    records.append({**record(30, text), "lang": "de"})
    write(corpus, records)
    assert run_index([corpus], index, workers=1).failed == 0
    _, result = actor_facet(SearchEngine(index), query="", actors=["Heiko Maas"], lang="de")
    assert result["total"] == 1


def test_by_default_german_words_never_count_for_a_discovered_actor(tmp_path):
    """Mentions in German and Russian paragraphs are off by default: a German article
    naming "Maas" (or a noun whose key is a name's) adds nothing to an actor."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    records = [maas(i) for i in range(6)]
    german = "Außenminister Heiko Maas reiste am Montag nach Eriwan. Das Buch über den Konflikt erschien."
    records += [{**record(30 + i, german + f" Treffen Nummer {i}."), "lang": "de"} for i in range(3)]
    write(corpus, records)
    assert run_index([corpus], index, workers=1).failed == 0
    facet, _ = actor_facet(SearchEngine(index), query="")
    assert facet["Heiko Maas"]["count"] == 6  # the English articles only


def test_a_surname_two_discovered_people_share_names_neither():
    """Even when articles linked "Brown" to one Brown more often, a surname two discovered
    people share is refused as a filter (both are offered) and counts for no one."""
    from indexer.ingest.actors import load_table
    from indexer.ingest.naming import name_key
    from search.discovered import DiscoveredActors

    k = name_key
    counts = _counts(
        {
            k("Gordon Quarnby"): ("Gordon Quarnby", "person", 12),
            k("Dan Quarnby"): ("Dan Quarnby", "person", 6),
            k("Quarnby"): ("Quarnby", "person", 4),
        },
        {k("Quarnby"): {k("Gordon Quarnby"): 8, k("Dan Quarnby"): 1}},
    )
    found = DiscoveredActors(counts, load_table(settings.ACTORS_FILE))
    assert {"Gordon Quarnby", "Dan Quarnby"} <= set(found.actors)
    assert found.resolve("Quarnby") is None
    assert found.surnames[k("Quarnby")] == {"Gordon Quarnby", "Dan Quarnby"}
    assert k("Quarnby") not in found.keys["Gordon Quarnby"] and "Quarnby" not in found.spellings["Gordon Quarnby"]
    assert found.resolve("Gordon Quarnby") == "Gordon Quarnby"


def test_a_surname_counts_for_the_one_discovered_person_only_where_it_is_theirs():
    """A surname alone joins the one discovered person with it when most articles that
    linked it to a full name linked it to theirs (a longer run ending with their name is
    theirs); not when the archive links it to other people as often ("Smith": Walter,
    Alan, Patti), nor, unlinked, when it is spelled otherwise than their name ends (the
    key of "Fitch" is that of "Fish")."""
    from indexer.ingest.actors import load_table
    from indexer.ingest.naming import name_key
    from search.discovered import DiscoveredActors

    k = name_key
    counts = _counts(
        {
            k("Greta Vosniak"): ("Greta Vosniak", "person", 20),
            k("Vosniak"): ("Vosniak", "person", 9),
            k("Walter Quibb"): ("Walter Quibb", "person", 6),
            k("Alan Quibb"): ("Alan Quibb", "person", 3),
            k("Quibb"): ("Quibb", "mention", 7),
            k("Mardy Fish"): ("Mardy Fish", "person", 6),
            k("Fitch"): ("Fitch", "mention", 3),
        },
        {
            k("Vosniak"): {k("Greta Vosniak"): 6, k("Pourquoi Greta Vosniak"): 1, k("Pia Vosniak"): 2},
            k("Quibb"): {k("Walter Quibb"): 3, k("Alan Quibb"): 2, k("Patti Quibb"): 1, k("Adam Quibb"): 1},
        },
    )
    found = DiscoveredActors(counts, load_table(settings.ACTORS_FILE))
    assert k("Vosniak") in found.keys["Greta Vosniak"] and found.articles["Greta Vosniak"] == 29
    assert k("Quibb") not in found.keys["Walter Quibb"] and found.articles["Walter Quibb"] == 6
    assert k("Fitch") == k("Fish") and k("Fish") not in found.keys["Mardy Fish"]
    assert "Fitch" not in found.spellings["Mardy Fish"]
    # as a filter, a surname the archive gives for others too names no one
    assert found.resolve("Quibb") is None and found.resolve("Vosniak") == "Greta Vosniak"


def test_a_word_joins_the_name_that_is_it_after_an_article():
    from indexer.ingest.actors import load_table
    from indexer.ingest.naming import name_key
    from search.discovered import DiscoveredActors

    k = name_key
    counts = _counts(
        {
            k("Der Quellspiegel"): ("Der Quellspiegel", "organization", 8),
            k("Quellspiegel"): ("Quellspiegel", "mention", 20),
            k("Harald Quellspiegel"): ("Harald Quellspiegel", "person", 1),
        },
        {k("Quellspiegel"): {k("Der Quellspiegel"): 4, k("Harald Quellspiegel"): 1}},
    )
    found = DiscoveredActors(counts, load_table(settings.ACTORS_FILE))
    assert found.resolve("Quellspiegel") == "Der Quellspiegel"
    assert found.articles["Der Quellspiegel"] == 28


def test_a_filter_on_a_discovered_actor_says_which_languages_it_does_not_see(tmp_path):
    """Discovery reads English and French: filtering by a discovered actor in an index with
    German articles says, one line, that German articles naming it are not counted; a
    table actor's filter, or an index in English and French only, says nothing."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    records = [maas(i) for i in range(6)]
    german = "Außenminister Heiko Maas reiste am Montag nach Eriwan und traf dort Vertreter."
    records += [{**record(30 + i, german + f" Treffen Nummer {i}."), "lang": "de"} for i in range(3)]
    write(corpus, records)
    assert run_index([corpus], index, workers=1).failed == 0
    engine = SearchEngine(index)
    result = engine.search(SearchRequest("", actors=["Maas"]))
    assert result["notes"] == [
        "Heiko Maas is a discovered actor: only English and French paragraphs are read for it; "
        "German articles naming it are not counted (search for the name as words to find them)"
    ]
    assert engine.search(SearchRequest("", actors=["Armenia"]))["notes"] == []
    out = run_cli("query", "--index", index, "--actor", "Heiko Maas")
    assert "Note: Heiko Maas is a discovered actor" in out.output
    from search.web import create_app

    page = create_app(index).test_client().get("/?actor=Heiko+Maas").get_data(as_text=True)
    assert '<p class="note">Heiko Maas is a discovered actor' in page


def test_in_an_english_and_french_index_a_discovered_actor_has_no_note(archive):
    _, index, _ = archive
    assert SearchEngine(index).search(SearchRequest("", actors=["Maas"]))["notes"] == []


def test_a_filter_on_a_discovered_actor_marks_it_in_snippets(archive):
    """As for the table's actors, the snippet of a hit found by a discovered actor's
    filter is its paragraph naming the actor, with the actor's spelling marked."""
    import re

    _, index, _ = archive
    hits = SearchEngine(index).search(SearchRequest("", actors=["Heiko Maas"], collapse=False, limit=50))["hits"]
    assert len(hits) == 6
    for hit in hits:
        marks = re.findall(r"<mark>(.*?)</mark>", hit["snippet"])
        assert marks and set(marks) <= {"Heiko Maas", "Maas"}, hit["snippet"]
