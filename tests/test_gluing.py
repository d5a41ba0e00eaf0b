"""Glued-word repair: split what tag stripping glued, never a real word or name."""

import pytest

from indexer.ingest.gluing import GlueRepair

glue = GlueRepair(frozenset({"pashinyan", "karabakh", "azatutyun", "russia", "csto"}))


@pytest.mark.parametrize(
    "glued, repaired",
    [
        ("Nagorno-Karabakhon the day", "Nagorno-Karabakh on the day"),
        ("Nikol Pashinyansensationally announced", "Nikol Pashinyan sensationally announced"),
        ("close to Russiaand through", "close to Russia and through"),
        ("joint with theUS Army", "joint with the US Army"),
        ("The stance andestrangement however", "The stance and estrangement however"),
        (
            "this Azerbaijani interventionleaving the separatists",
            "this Azerbaijani intervention leaving the separatists",
        ),
        ("Radio Azatutyunfor the first time", "Radio Azatutyun for the first time"),
    ],
)
def test_glued_words_are_split(glued, repaired):
    assert glue.repair(glued) == repaired


@pytest.mark.parametrize(
    "text",
    [
        "Clinton Kingston Weston Washington Boston",
        "Matevossian Giragosian Badalyan Zangezur Nakhchivan Gyumri Rybar",
        "iPhone McDonald LinkedIn YouTube",
        "peacekeepers ceasefire interoperability notwithstanding",
        "a Kievan move by Tastas and Paintbucket in Suddie",
        "la sécurité des forces de maintien de la paix",
    ],
)
def test_real_words_and_names_are_left_alone(text):
    assert glue.repair(text) == text


@pytest.mark.parametrize("name", ["Darkharbor", "Northlance", "Lightvault", "Openbridge", "Musicfield", "Southgrain"])
def test_a_capitalised_word_of_two_common_words_is_a_name_and_stays_whole(name):
    """A company's, a band's or a place's name made of two words ("Clear" + "swift") is
    unknown to the word lists like glued text: it splits only with a function word in it."""
    assert glue.repair(f"shares of {name} rose") == f"shares of {name} rose"
    assert glue.repair("Thegovernment said") == "The government said"


def test_paragraphs_of_a_language_the_repair_has_no_words_for_are_left_alone():
    """An archive configured for German too: German words are unknown to the English and
    French word lists, and were cut into English or French halves ("beliebig" into
    "belie big")."""
    from indexer.ingest.article import Article
    from indexer.ingest.pipeline import Pipeline

    german = (
        "Die Zeitung berichtet, die Regierung könne die Steuern beliebig erhöhen, "
        "und die Opposition kritisiert diese Entscheidung scharf im Parlament."
    )
    text = f"Titel der Meldung\n\n{german}\n\n{german}"
    record = Pipeline(("en", "fr", "de"), discover=False).process(Article(id="a", path="a.txt", text=text))
    assert [p.lang for p in record.paragraphs] == ["de", "de"]
    assert [p.text for p in record.paragraphs] == [german, german]
