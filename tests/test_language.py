"""Language per paragraph: en/fr, other languages as themselves, neighbours, no letters."""

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from indexer.ingest.language import get_detector, summarize

detector = get_detector(("en", "fr"))


@pytest.mark.parametrize(
    "text, lang",
    [
        ("The prime minister announced a change of alliances on Sunday.", "en"),
        ("Ask me if you have any questions.", "en"),
        ("Le ministre russe des affaires étrangères a rencontré son homologue à Moscou.", "fr"),
        ("Du côté du Kremlin, le porte-parole assurait que la priorité est la sécurité.", "fr"),
        ("Die Regierung in Jerewan hat am Montag neue Gespräche angekündigt.", "de"),
        ("El primer ministro anunció el domingo un cambio de alianzas.", "es"),
        ("Il primo ministro ha annunciato domenica un cambiamento di alleanze.", "it"),
        ("Премьер-министр Армении заявил об изменении союзов.", "ru"),
        ("Հայաստանի վարչապետը հայտարարել է դաշինքների փոփոխության մասին։", "hy"),
    ],
)
def test_detects_languages(text, lang):
    assert detector.detect(text) == lang


def test_other_languages_are_never_forced_to_en_or_fr():
    only_en_fr = get_detector(("en", "fr"))
    assert only_en_fr.detect("Der Außenminister reiste gestern nach Baku und Eriwan.") == "de"


def test_detection_does_not_depend_on_what_was_detected_before():
    text = "Armenia et l'Azerbaïdjan: talks resume"
    first = detector.guess(text)
    for other in ("Der Außenminister reiste gestern nach Baku.", "Le ministre a parlé.", "The talks resumed."):
        detector.guess(other)
    again = get_detector(("en", "fr")).guess(text)
    assert (again.lang, again.scores.tolist()) == (first.lang, first.scores.tolist())


def test_detection_does_not_depend_on_how_many_words_are_remembered(monkeypatch):
    """Words' scores are kept in a bounded table that starts again when full: a detector
    whose table fills every few paragraphs tags as one that never fills it, acronyms and
    words with no known n-gram included."""
    from indexer import settings
    from indexer.ingest.language import LanguageDetector

    articles = [
        ["Le Premier ministre arménien a rencontré le président azerbaïdjanais à Bruxelles.", "OTSC UE ONU"],
        ["The talks in Moscow ended without a deal, the Kremlin said.", "Der Außenminister reiste nach Baku."],
        ["ZZQX ☃ 1234", "Президент России заявил, что переговоры продолжатся.", "Ask me if you have any questions."],
    ] * 3
    roomy = LanguageDetector(("en", "fr"))
    monkeypatch.setattr(settings, "LANGUAGE_WORD_CACHE", 12)
    small = LanguageDetector(("en", "fr"))
    for paragraphs in articles:
        assert small.tag(paragraphs) == roomy.tag(paragraphs)
        for text in paragraphs:
            a, b = small.guess(text), roomy.guess(text)
            assert (a.lang, a.margin, None if a.scores is None else a.scores.tolist()) == (
                b.lang,
                b.margin,
                None if b.scores is None else b.scores.tolist(),
            )


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
        "Du côté du Kremlin, le porte-parole assurait que la priorité était la sécurité des forces "
        "de maintien de la paix, et il a démenti les rumeurs d'une opération annoncée en amont.",
    ]
    assert detector.tag(paragraphs) == ["en", "fr", "en", "fr"]


ENGLISH = [
    "The foreign ministers met in Brussels on Monday to discuss the border commission's first report.",
    "Officials said the talks had gone better than expected, although no date was set for the next round.",
    "Both delegations agreed to exchange maps of the disputed villages before the end of the month.",
]


def test_a_language_with_a_few_words_in_an_article_is_not_one_of_its_languages():
    # a short French heading alone is not French text "of some length": it takes its
    # neighbours' language, and the article is English only
    paragraphs = [ENGLISH[0], "Service minimum diplomatique", *ENGLISH[1:]]
    tags = detector.tag(paragraphs)
    assert tags == ["en"] * 4
    assert summarize(paragraphs, tags) == ("en", ["en"])


def test_a_quoted_paragraph_of_some_length_keeps_its_language():
    quote = (
        "Die Regierung hat am Montag beschlossen, die Gespräche mit den Nachbarländern fortzusetzen, "
        "obwohl die Opposition im Parlament dagegen gestimmt hat. Sie fordert seit Wochen neue Wahlen."
    )
    tags = detector.tag([ENGLISH[0], quote, *ENGLISH[1:]])
    assert tags == ["en", "de", "en", "en"]
    assert summarize([ENGLISH[0], quote, *ENGLISH[1:]], tags)[1] == ["en", "de"]


def test_the_threshold_is_a_setting(monkeypatch):
    from indexer import settings

    quote = "Die Regierung hat am Montag beschlossen, die Gespräche fortzusetzen, obwohl die Opposition dagegen ist."
    paragraphs = [ENGLISH[0], quote, *ENGLISH[1:]]
    monkeypatch.setattr(settings, "LANGUAGE_MIN_SHARE", 0.9)
    monkeypatch.setattr(settings, "LANGUAGE_MIN_LETTERS", 10_000)
    assert set(detector.tag(paragraphs)) == {"en"}
    monkeypatch.setattr(settings, "LANGUAGE_MIN_LETTERS", 50)
    assert detector.tag(paragraphs)[1] == "de"


def test_debris_lines_take_their_neighbours_language():
    # one-line debris (a code-like line, a row of names, an acronym list) tags no language
    paragraphs = [
        ENGLISH[0],
        "RX errors 189 dropped 16 overruns 0 frame 189",
        "Namibia, Brazil, Hong Kong",
        "R de Marigny; Mirco Bergamasco, C Stoica, A Masi, L Nitoglia; Orquera, Griffen",
        *ENGLISH[1:],
    ]
    tags = detector.tag(paragraphs)
    assert tags == ["en"] * len(paragraphs)


def test_a_heading_in_a_related_language_takes_its_neighbours_language():
    # a short Cyrillic heading between Russian paragraphs scores Bulgarian or Macedonian
    # as well as Russian: it is Russian
    russian = [
        "Министр иностранных дел заявил в понедельник, что переговоры о границе продолжатся на следующей неделе.",
        "Держите вора!",
        "По его словам, обе стороны согласились обменяться картами спорных сёл до конца месяца.",
    ]
    assert detector.tag(russian) == ["ru", "ru", "ru"]


def test_every_paragraph_with_letters_has_a_language_and_the_article_a_main_one():
    # no profile knows Ethiopic letters: the paragraph still gets a language, and so does
    # the article; a paragraph without letters gets none
    paragraphs = ["ሰላም ለዓለም", "12 345"]
    tags = detector.tag(paragraphs)
    assert tags[0] is not None and tags[1] is None
    assert summarize(paragraphs, tags)[0] is not None
    mixed = ["ሰላም ለዓለም", *ENGLISH]
    assert detector.tag(mixed) == ["en"] * 4


def test_summary_by_letters():
    paragraphs = ["A long English paragraph about the talks in Brussels.", "Un paragraphe."]
    assert summarize(paragraphs, ["en", "fr"]) == ("en", ["en", "fr"])
    assert summarize(["123"], [None]) == (None, [])


def test_profiles_are_read_as_langdetect_reads_them():
    """The detector's n-gram probabilities are langdetect's own, language for language."""
    import numpy as np
    from langdetect import detector_factory
    from langdetect.detector_factory import DetectorFactory

    from indexer.ingest.language import load_profiles

    factory = DetectorFactory()
    factory.load_profile(detector_factory.PROFILES_DIRECTORY)
    langs, index, probs = load_profiles()
    assert langs == factory.langlist
    assert index.keys() == factory.word_lang_prob_map.keys()
    expected = np.array([factory.word_lang_prob_map[gram] for gram in index])
    assert np.array_equal(probs, expected)
    # and their logarithms as the detector scores with them, the same float for float
    smoothing = 0.5 / 10000
    assert np.array_equal(load_profiles(smoothing)[2], np.log(expected + smoothing).astype(np.float32))


@hsettings(max_examples=300, deadline=None)
@given(word=st.text(st.characters(blacklist_categories=("Zs", "Cc", "Cs")), min_size=1, max_size=14))
def test_a_words_ngrams_are_langdetects(word):
    """The n-grams a word is scored by, found position by position, are langdetect's own:
    every 1-, 2- and 3-gram of the word between spaces that its profiles know, each as
    often as the word has it."""
    from langdetect.utils.ngram import NGram

    detector = get_detector(("en", "fr"))
    padded = f" {word} "
    expected = [
        padded[i : i + n]
        for n in (1, 2, 3)
        for i in range(len(padded) - n + 1)
        if not (n == 1 and padded[i] == " ") and padded[i : i + n] in detector.index
    ]
    assert NGram.N_GRAM == 3
    assert sorted(detector._gram_rows.of(word)) == sorted(detector.index[g] for g in expected)
