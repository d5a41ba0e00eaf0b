"""Snippets and the article view: which paragraph is shown, and which words are marked.

A small archive of three articles (written here) in English and French: one says only
"Putin" and "CSTO", one only "l'OTSC" and "cessez-le-feu" (with "cesser" and "feu" in an
earlier paragraph), one has a phrase with a stop word inside ("minister of foreign
affairs") and the same stop word elsewhere, and a full name ("Vladimir Putin").
"""

import re

import pytest

from search.engine import SearchRequest

from .helpers import engine_of

ARTICLES = [
    {
        "id": "en-talks",
        "title": "Talks in Sochi",
        "date": "2023-05-02",
        "text": "The talks in Sochi lasted two days and ended without a joint statement from the delegations.\n\n"
        "Putin told reporters that the security of the region depends on the CSTO and on its member states.\n\n"
        "The ministers met again in the evening to discuss the border, the roads and the new trade agreement.",
    },
    {
        "id": "fr-truce",
        "title": "La trêve tient",
        "date": "2023-05-03",
        "text": "Les deux camps ont refusé de cesser le combat pendant la nuit, et le feu a repris près de la frontière.\n\n"
        "Un cessez-le-feu a été signé lundi par les ministres, sous l'égide de l'OTSC, après des semaines de discussions.\n\n"
        "Les habitants des villages voisins attendent maintenant le retour des familles déplacées.",
    },
    {
        "id": "en-council",
        "title": "A council meeting",
        "date": "2023-05-04",
        "text": "The minister of foreign affairs opened the meeting of the council with a short speech on trade.\n\n"
        "The council of ministers then heard the reports of the two delegations on the border crossings. "
        "Vladimir Putin was not invited.",
    },
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_of(tmp_path_factory, "snippets", ARTICLES)


def snippets(engine, text) -> dict[str, str]:
    hits = engine.search(SearchRequest(text, limit=100))["hits"]
    return {h["id"]: h["snippet"] for h in hits}


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


@pytest.mark.parametrize(
    "text, spelling", [("Poutine", "Putin"), ('"Vladimir Poutine"', "Putin"), ("OTSC", "CSTO"), ("actor:OTSC", "CSTO")]
)
def test_a_hit_found_through_another_spelling_of_an_actor_marks_that_spelling(engine, text, spelling):
    found = snippets(engine, text)
    assert "en-talks" in found
    assert spelling in marked(found["en-talks"])


@pytest.mark.parametrize("text, marks", [("Poutine", ["Vladimir Putin"]), ("Putin", ["Putin"])])
def test_a_name_is_marked_whole_unless_the_query_says_part_of_it(engine, text, marks):
    assert marked(snippets(engine, text)["en-council"]) == marks


def test_an_elided_actor_name_is_marked_without_its_article(engine):
    snippet = snippets(engine, "CSTO")["fr-truce"]
    assert "l&#x27;<mark>OTSC</mark>" in snippet


def test_the_article_view_marks_every_spelling_of_the_actor(engine):
    record = engine.article("en-talks")
    paragraphs = engine.article_html(record, "Poutine")
    assert [marked(p) for p in paragraphs] == [[], ["Putin"], []]


def test_a_phrase_query_shows_the_paragraph_that_holds_the_phrase(engine):
    snippet = snippets(engine, '"cessez-le-feu"')["fr-truce"]
    assert marked(snippet) == ["cessez-le-feu"]
    assert "cesser" not in snippet


def test_a_stop_word_is_marked_inside_a_phrase_only(engine):
    snippet = snippets(engine, '"minister of foreign affairs"')["en-council"]
    assert marked(snippet) == ["minister of foreign affairs"]  # not the "of" of "meeting of the council"


@pytest.mark.parametrize(
    "text, words", [("the council", {"council"}), ("les habitants", {"habitants"}), ("le feu", {"feu"})]
)
def test_a_stop_word_alone_is_never_marked(engine, text, words):
    found = snippets(engine, text)
    assert found
    for snippet in found.values():
        assert {w.lower() for w in marked(snippet)} <= words, snippet


@pytest.mark.parametrize("words", ["", "talks"])
def test_an_actor_filter_marks_the_actor_as_actor_x_in_the_query_does(engine, words):
    by_filter = engine.search(SearchRequest(words, actors=["OTSC"], limit=100))["hits"]
    by_query = engine.search(SearchRequest(f"{words} actor:OTSC".strip(), limit=100))["hits"]
    snippets = {h["id"]: h["snippet"] for h in by_filter}
    assert snippets == {h["id"]: h["snippet"] for h in by_query}
    assert "en-talks" in snippets
    if not words:  # the paragraph naming the actor, not the lead, marked
        assert all("CSTO" in marked(s) or "OTSC" in marked(s) for s in snippets.values())
        assert "Putin told reporters" in snippets["en-talks"]


# --- a page of one huge line ---------------------------------------------------------------------

HUGE_SENTENCE = "Pashinyan spoke about Armenia and the weather in Yerevan today. "


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    """An article whose text is one line of over a megabyte, naming Pashinyan and Armenia
    tens of thousands of times, with a word of its own only at its very end."""
    from search.settings import MARKED_CHARS

    text = HUGE_SENTENCE * (3 * MARKED_CHARS // len(HUGE_SENTENCE)) + "Zanzibarite"
    return engine_of(tmp_path_factory, "huge", [{"id": "huge", "title": "Huge line", "text": text}, *ARTICLES])


def test_a_huge_paragraph_is_marked_in_its_start(huge):
    """Searching is over the whole text; marking looks at its start only, so a snippet of
    a multi-megabyte line comes as fast as any (it took minutes: every mention of an actor
    was compared with every marked word)."""
    hits = huge.search(SearchRequest("Armenia", actors=["Pashinyan"], limit=10))["hits"]
    assert [h["id"] for h in hits] == ["huge"]
    assert {"Pashinyan", "Armenia"} <= set(marked(hits[0]["snippet"]))
    far = huge.search(SearchRequest("Zanzibarite", limit=10))["hits"]
    assert [h["id"] for h in far] == ["huge"]  # found by a word past what is marked
    assert marked(far[0]["snippet"]) == [] and far[0]["snippet"].startswith("Pashinyan spoke")
