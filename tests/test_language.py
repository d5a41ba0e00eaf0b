"""Language per paragraph: en/fr, other languages as themselves, neighbours, no letters."""

import pytest

from indexer.language import get_detector, summarize

detector = get_detector(("en", "fr"))


@pytest.mark.parametrize("text, lang", [
    ("The prime minister announced a change of alliances on Sunday.", "en"),
    ("Ask me if you have any questions.", "en"),
    ("Le ministre russe des affaires étrangères a rencontré son homologue à Moscou.", "fr"),
    ("Du côté du Kremlin, le porte-parole assurait que la priorité est la sécurité.", "fr"),
    ("Die Regierung in Jerewan hat am Montag neue Gespräche angekündigt.", "de"),
    ("El primer ministro anunció el domingo un cambio de alianzas.", "es"),
    ("Il primo ministro ha annunciato domenica un cambiamento di alleanze.", "it"),
    ("Премьер-министр Армении заявил об изменении союзов.", "ru"),
    ("Հայաստանի վարչապետը հայտարարել է դաշինքների փոփոխության մասին։", "hy"),
])
def test_detects_languages(text, lang):
    assert detector.detect(text) == lang


def test_other_languages_are_never_forced_to_en_or_fr():
    only_en_fr = get_detector(("en", "fr"))
    assert only_en_fr.detect("Der Außenminister reiste gestern nach Baku und Eriwan.") == "de"


def test_detection_is_deterministic():
    text = "Armenia et l'Azerbaïdjan: talks resume"
    assert len({detector.guess(text).lang for _ in range(20)}) == 1


def test_no_letters_never_raises():
    assert detector.detect("2023 — 14:35 !!! ***") is None
    assert detector.detect("") is None
    assert detector.tag(["12345", "..."]) == [None, None]


def test_short_paragraphs_take_their_neighbours_language():
    paragraphs = [
        "The initial response from Russian diplomacy confirmed Moscow's position as an observer.",
        "Tense context",
        "Nikol Pashinyan, Armenian Prime Minister.",
        "Members of the government had already met in early May in Washington and Brussels.",
    ]
    assert detector.tag(paragraphs) == ["en", "en", "en", "en"]


def test_a_clearly_french_heading_keeps_its_language():
    paragraphs = [
        "Despite its connection to the Russian army, the channel went as far as mentioning it.",
        "Service minimum diplomatique",
        "The initial response from Russian diplomacy confirmed Moscow's position as an observer.",
    ]
    assert detector.tag(paragraphs) == ["en", "fr", "en"]


def test_summary_by_letters():
    paragraphs = ["A long English paragraph about the talks in Brussels.", "Un paragraphe."]
    assert summarize(paragraphs, ["en", "fr"]) == ("en", ["en", "fr"])
    assert summarize(["123"], [None]) == (None, [])
