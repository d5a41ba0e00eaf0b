"""Analyzers: elision, stop words, accents and stemming; the fast indexing path agrees
with Whoosh's; what reaches the index (terms, positions, lengths)."""

import json

import pytest
from whoosh import query as q

from indexer.store.analysis import Terms, analyzer_for, stoplist_for
from indexer.store.index_folder import open_index

from .helpers import CORPUS, run_cli


def whoosh_terms(lang, text):
    return sorted(((t.text, t.pos) for t in analyzer_for(lang)(text, positions=True)), key=lambda x: (x[1], x[0]))


def fast_terms(lang, text):
    positions = Terms(lang).positions(text)
    return sorted(((term, pos) for term, poses in positions.items() for pos in poses), key=lambda x: (x[1], x[0]))


def terms_of(lang, word):
    return {t for t, _ in whoosh_terms(lang, word)}


def test_french_elision_stop_words_and_accents():
    terms = whoosh_terms("fr", "l'OTSC, qu'il dit : la sécurité d'Azerbaïdjan")
    # "sécurité" is one word at one position, under two terms: its stem as written
    # ("secur", folded) and the stem of "securite" typed without accents
    assert terms == [("otsc", 0), ("dit", 1), ("secur", 2), ("securit", 2), ("azerbaidjan", 3)]
    assert terms_of("fr", "securite") < terms_of("fr", "sécurité")


@pytest.mark.parametrize(
    "one, other",
    [
        ("signée", "signé"),
        ("négocié", "négocier"),
        ("signées", "signer"),
        ("déclarée", "déclaré"),
        ("sécurité", "securite"),
    ],
)
def test_french_words_share_a_stem_with_their_accents(one, other):
    """The Snowball French stemmer finds suffixes by their accents: "signée" and "signé"
    have a term in common only when stemmed before their accents fold."""
    assert terms_of("fr", one) & terms_of("fr", other)
    assert fast_terms("fr", one) == whoosh_terms("fr", one)


def test_the_terms_of_one_word_share_its_position():
    terms = whoosh_terms("fr", "Les accords signés, la sécurité nationale signée hier")
    assert terms == [
        ("accord", 1),
        ("sign", 2),
        ("secur", 3),
        ("securit", 3),
        ("national", 4),
        ("sign", 5),
        ("signe", 5),
        ("hi", 6),
    ]
    assert fast_terms("fr", "Les accords signés, la sécurité nationale signée hier") == terms


def test_english_is_folded_before_stemming_as_before():
    assert whoosh_terms("en", "résumé resume") == [("resum", 0), ("resum", 1)]


def test_english_possessive_and_stemming():
    assert [t for t, _ in whoosh_terms("en", "Pashinyan's talks, talking")] == ["pashinyan", "talk", "talk"]


def test_neutral_keeps_every_word_folded():
    assert [t for t, _ in whoosh_terms(None, "Սերգեյ Sergueï the")] == ["սերգեյ", "serguei", "the"]


@pytest.mark.parametrize(
    "lang, words",
    [
        ("fr", ["les", "des", "aux", "du", "ils", "cette", "sans", "leurs", "été", "à", "quelles"]),
        ("en", ["the", "of", "would", "could", "don't", "isn’t", "such", "their", "it's", "into"]),
    ],
)
def test_stop_words_of_lucene_and_snowball(lang, words):
    assert [w for w in words if whoosh_terms(lang, w)] == []
    assert [w for w in words if Terms(lang).terms(w)] == []


def test_words_that_stay_searchable():
    """ "US" is the United States; French words that only look like stop words stay."""
    assert terms_of("en", "US") == {"us"}
    assert terms_of("fr", "lesbos") and terms_of("fr", "sansal")
    assert "us" not in stoplist_for("en")


def test_stop_words_are_read_from_the_data_folder(tmp_path, monkeypatch):
    """A language's stop words are a file one can edit; a language without one keeps
    Whoosh's list."""
    from indexer import settings

    (tmp_path / settings.STOPWORDS_FILE.format(lang="fr")).write_text(
        "# a comment\nmoscou  # a word\nÉtat\n", encoding="utf-8"
    )
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    stoplist_for.cache_clear()
    try:
        assert stoplist_for("fr") >= {"moscou", "etat"} and "les" not in stoplist_for("fr")
        assert [t for t, _ in whoosh_terms("fr", "Moscou, les État")] == ["le"]  # "les" is no stop word here
        assert "und" in stoplist_for("de")
    finally:
        stoplist_for.cache_clear()


FRENCH = (
    "Le traité a été signé à Moscou : les négociations, qu'ils ont négociées pendant l'été, "
    "portaient sur la sécurité des frontières. L'accord signée hier « garantit » l'intégrité "
    "territoriale ; les États-Unis l'ont salué. Sergueï Lavrov s'est déclaré satisfait."
)


@pytest.mark.parametrize("lang", ["en", "fr", None])
def test_fast_path_equals_whoosh_on_the_corpus(lang):
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert fast_terms(lang, text) == whoosh_terms(lang, text), path.name
    assert fast_terms(lang, FRENCH) == whoosh_terms(lang, FRENCH)


def test_fast_path_tells_the_second_terms_of_words():
    positions, seconds = Terms("fr").postings(FRENCH)
    assert seconds and all(0 < n <= len(positions[term]) for term, n in seconds.items())
    words = {pos for poses in positions.values() for pos in poses}
    assert sum(len(poses) for poses in positions.values()) - sum(seconds.values()) == len(words)
    terms = Terms("fr")
    assert terms.term("sécurité") == "securit" and terms.terms("sécurité") == ("securit", "secur")


# --- in the index ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def french_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("french")
    records = [
        {
            "id": "feminine",
            "title": "Moscou",
            "lang": "fr",
            "date": "2023-09-01",
            "text": "La déclaration commune a été signée hier à Moscou par les deux ministres, "
            "après des semaines de discussions sur la sécurité nationale.",
        },
        {
            "id": "masculine",
            "title": "Erevan",
            "lang": "fr",
            "date": "2023-09-02",
            "text": "Le traité de paix a été signé hier à Erevan par les deux ministres, "
            "après des mois de discussions sur la securite des frontieres.",
        },
    ]
    (root / "fr.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    index = root / "index"
    result = run_cli("index", root, "--index", index, "--quiet")
    assert result.exit_code == 0, result.output
    return index


def docs_matching(index, query):
    with open_index(index).searcher() as searcher:
        return sorted(searcher.stored_fields(n)["id"] for n in query.docs(searcher))


def test_a_stem_finds_the_word_with_and_without_its_accents(french_index):
    signed = Terms("fr").terms("signé")
    assert docs_matching(french_index, q.Or([q.Term("text_fr", t) for t in signed])) == ["feminine", "masculine"]
    typed = Terms("fr").terms("securite")
    assert docs_matching(french_index, q.Or([q.Term("text_fr", t) for t in typed])) == ["feminine", "masculine"]


def test_a_phrase_matches_through_either_term_of_a_word(french_index):
    assert docs_matching(french_index, q.Phrase("text_fr", ["secur", "national"])) == ["feminine"]
    assert docs_matching(french_index, q.Phrase("text_fr", ["securit", "national"])) == ["feminine"]
    assert docs_matching(french_index, q.Phrase("text_fr", ["sign", "hi"])) == ["feminine", "masculine"]


def test_a_document_length_counts_each_word_once(french_index):
    """Two terms at one position are one word of the document's length (BM25's length)."""
    with open_index(french_index).searcher() as searcher:
        reader = searcher.reader()
        for docnum in range(reader.doc_count_all()):
            fields = searcher.stored_fields(docnum)
            record = json.loads(fields["record"])
            text = "\n\n".join(p["text"] for p in record["paragraphs"] if p["lang"] == "fr")
            if record["headline"]:
                text = record["title"] + "\n\n" + text
            words = sum(len(Terms("fr").terms(w)) > 0 for w in __import__("re").findall(r"\w+(?:['’]\w+)*", text))
            assert reader.doc_field_length(docnum, "text_fr") == words, fields["id"]
