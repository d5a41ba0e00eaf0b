"""Did you mean: suggestions from the articles' own words, in the query word's language.

A small archive (written here) of English and French articles on the same subjects:
"Moscow" and "security" in English text only, "Moscou", "sécurité" and "cessez-le-feu" in
French text only, and titles with common words ("most", "were", "about") close to the
misspellings tried.
"""

import pytest

from search.engine import SearchRequest

from .helpers import engine_of

ARTICLES = [
    {
        "id": "en-1",
        "title": "The most difficult week",
        "text": "Officials in Moscow said the negotiations would continue next week in a neutral country.\n\n"
        "The security services were placed on alert across the country after the attacks.",
    },
    {
        "id": "en-2",
        "title": "Talks were held in Paris",
        "text": "The security talks were held behind closed doors, with diplomats from Moscow and Paris.\n\n"
        "Both delegations said the negotiations had been long but useful for the security of the region.",
    },
    {
        "id": "en-3",
        "title": "What we know about the talks",
        "text": "Diplomats from Moscow arrived on Monday. The talks on security will resume in the spring.",
    },
    {
        "id": "fr-1",
        "title": "La sécurité de la région",
        "text": "La sécurité de la région dépend d'un cessez-le-feu durable entre les deux pays voisins.\n\n"
        "Les négociations reprendront à Moscou la semaine prochaine, selon les diplomates présents.",
    },
    {
        "id": "fr-2",
        "title": "Un accord fragile",
        "text": "Le cessez-le-feu a été signé par les deux parties après une longue nuit de discussions.\n\n"
        "La sécurité des civils reste la priorité des ministres, qui se retrouveront à Moscou.",
    },
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_of(tmp_path_factory, "suggestions", ARTICLES)


def suggestion(engine, text, **filters):
    return engine.search(SearchRequest(text, **filters))["suggestion"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Moscw", "Moscow"),  # a word of the text, not of a title ("most")
        ("moscw", "Moscow"),  # a name keeps the capital the articles give it
        ("sécurty", "sécurité"),  # typed with a French letter: French, never "security"
        ("securty", "security"),
        ("cesez-le-feu", "cessez-le-feu"),  # hyphenated words are kept whole
        ('"cesez-le-feu"', '"cessez-le-feu"'),
        ("négociatoins", "négociations"),  # a misspelt ending: the stem is found all the same
        ("Moscw talks", "Moscow talks"),
    ],
)
def test_a_misspelt_word_is_replaced_by_the_nearest_word_of_its_language(engine, text, expected):
    assert suggestion(engine, text) == expected


@pytest.mark.parametrize(
    "text, expected", [("Moscw semaine", "Moscou semaine"), ("Moscw week", "Moscow week"), ("sécurty", "sécurité")]
)
def test_the_query_words_language_decides_whatever_each_would_find(engine, text, expected):
    """The other words of the query, or the word's own letters, tell its language: the
    nearest word of another language is not proposed even if it found more."""
    from search import suggestions

    searcher, _ = engine.searcher()
    assert suggestions.suggest(text, searcher, engine.languages, lambda _: 10**6, 0) == expected


@pytest.mark.parametrize("text", ["serez", "abuot"])
def test_a_stop_word_is_neither_corrected_nor_proposed(engine, text):
    """ "serez" is French (a stop word, in no index); "about" is the nearest word to
    "abuot" but a stop word: no suggestion at all is better than either."""
    assert suggestion(engine, text) is None


def test_a_suggestion_finds_more_than_the_query_with_the_same_filters(engine):
    # among French articles only, "Moscow" finds nothing: the next nearest word is given
    assert suggestion(engine, "Moscw", lang="fr") == "Moscou"
    for text in ["Moscw", "sécurty", "cesez-le-feu", "Moscw talks"]:
        for filters in ({}, {"lang": "fr"}, {"lang": "en"}):
            before = engine.search(SearchRequest(text, **filters))
            if before["suggestion"]:
                after = engine.search(SearchRequest(before["suggestion"], **filters))
                assert after["total"] > before["total"], (text, filters, before["suggestion"])


def test_no_suggestion_when_nothing_nearer_finds_more(engine):
    assert suggestion(engine, "Moscw", lang="fr", since="2030") is None
    assert suggestion(engine, "Zanzibar") is None
