"""Analyzers: elision, accents, stemming; and the fast indexing path agrees with Whoosh's."""

import pytest

from indexer.analysis import Terms, analyzer_for

from .helpers import CORPUS


def whoosh_terms(lang, text):
    return [(t.text, t.pos) for t in analyzer_for(lang)(text, positions=True)]


def fast_terms(lang, text):
    positions = Terms(lang).positions(text)
    return sorted(((term, pos) for term, poses in positions.items() for pos in poses), key=lambda x: x[1])


def test_french_elision_stop_words_and_accents():
    terms = [t for t, _ in whoosh_terms("fr", "l'OTSC, qu'il dit : la sécurité d'Azerbaïdjan")]
    assert terms == ["otsc", "dit", "securit", "azerbaidjan"]
    assert whoosh_terms("fr", "securite")[0][0] == whoosh_terms("fr", "sécurité")[0][0]


def test_english_possessive_and_stemming():
    assert [t for t, _ in whoosh_terms("en", "Pashinyan's talks, talking")] == ["pashinyan", "talk", "talk"]


def test_neutral_keeps_every_word_folded():
    assert [t for t, _ in whoosh_terms(None, "Սերգեյ Sergueï the")] == ["սերգեյ", "serguei", "the"]


@pytest.mark.parametrize("lang", ["en", "fr", None])
def test_fast_path_equals_whoosh_on_the_corpus(lang):
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert fast_terms(lang, text) == whoosh_terms(lang, text), path.name
