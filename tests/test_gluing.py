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
