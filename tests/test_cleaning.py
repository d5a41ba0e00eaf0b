"""Cleaning rules, one by one, and together."""

import pytest

from indexer import cleaning
from indexer.cleaning import clean


@pytest.mark.parametrize("line", [
    "(Also: Two North Korean defectors tell what it's like)",
    "(See also: South Korea takes measures)",
    "(You can read: China and Syria announce a relationship)",
    "(In context: Azerbaijan and separatist groups begin talks)",
    "(Also read: Kazakhstan asks to join the Security Council)",
    "Lire aussi : La Russie et l'Arménie",
    "À lire aussi » Ballonnements",
    "À lire aussi",
])
def test_see_also_lines(line):
    assert cleaning.is_see_also_line(line)


@pytest.mark.parametrize("line", [
    "Also, the minister said the talks would resume.",
    "See you in court, he said.",
    "Read the full statement below.",
])
def test_see_also_leaves_sentences(line):
    assert not cleaning.is_see_also_line(line)


def test_see_also_tail_is_cut_and_sentence_kept():
    p = "It proved ineffective. See also First RFEF Group 2: results of matchday 33"
    assert cleaning.cut_see_also_tail(p) == "It proved ineffective."
    untouched = "Officials will see also whether the truce holds."
    assert cleaning.cut_see_also_tail(untouched) == untouched


def test_sponsor_and_navigation_lines():
    assert cleaning.is_sponsor_line("Sponsor:  QWIKET: Elevate your fantasy game!")
    assert cleaning.is_sponsor_line("Publicité")
    assert not cleaning.is_sponsor_line("Sponsors of the ceasefire met in Moscow.")
    assert cleaning.is_navigation("back") and cleaning.is_navigation("Topic") and cleaning.is_navigation("Partager")
    assert not cleaning.is_navigation("Back to the negotiating table")


@pytest.mark.parametrize("line, share", [
    ("You have 36.66% of this article left to read. The following is for subscribers only.", 36.66),
    ("You still have 30.45% of this article left to read. The rest is reserved for subscribers.", 30.45),
    ("Il vous reste 63% de cet article à lire. La suite est réservée aux abonnés.", 63.0),
    ("Il vous reste 63,5 % de cet article à lire.", 63.5),
    ("La suite est réservée aux abonnés.", None),
])
def test_paywall_notices(line, share):
    assert cleaning.paywall_notice(line) == (True, share)


def test_paywall_notice_is_not_a_sentence_about_paywalls():
    assert cleaning.paywall_notice("Readers said they have 60% less time to read.") == (False, None)


@pytest.mark.parametrize("line", [
    "© 2022, Example News. All rights reserved.",
    "Follow us on Twitter and Instagram",
    "Tags: Armenia, Russia",
    "(Credit: Jane Doe / Agency)",
    "Suivez-nous sur Facebook",
    "Subscribe now to our daily edition for the full story.",
])
def test_boilerplate_lines(line):
    assert cleaning.is_boilerplate(line)


def test_boilerplate_leaves_reporting():
    assert not cleaning.is_boilerplate("The photo shows troops near Lachin, officials said.")
    assert not cleaning.is_boilerplate("Armenia will subscribe to the EU mission's terms, he added.")


def test_normalisation_of_spaces_and_quotes():
    text = cleaning.normalize_characters("“Yes,”\u00a0he said\u200b \u2019twas\r\nnew")
    assert text == "\"Yes,\" he said 'twas\nnew"
    assert cleaning.normalize_spaces("  a   b , c .") == "a b, c."


def test_split_paragraphs_keeps_lines_and_joins_hard_wraps():
    text = (
        "Short heading\n"
        "This is a long line of a hard-wrapped paragraph that goes on and on\n"
        "and continues here in lower case.\n\n"
        "Next paragraph."
    )
    assert cleaning.split_paragraphs(text) == [
        "Short heading",
        "This is a long line of a hard-wrapped paragraph that goes on and on and continues here in lower case.",
        "Next paragraph.",
    ]


def test_header_chrome_is_stripped_keeping_source_and_dateline():
    text = "\n".join([
        "DAILY WIRE DIGEST",
        "Mar 3, 2026 | 12 |",
        "| Springfield, IL",
        "Sponsor: ACME",
        "back",
        "Le Figaro",
        "12 février 2024",
        "Photo AFP",
        "Armenia and Azerbaijan agreed on a first stretch of their border, officials said on Monday.",
        "AFP",
    ])
    result = clean(text)
    assert result.paragraphs == [
        "Armenia and Azerbaijan agreed on a first stretch of their border, officials said on Monday."]
    assert result.source == "Le Figaro"
    assert [d.isoformat() for d in result.header_dates] == ["2024-02-12"]


def test_credit_line_at_the_end_is_the_source():
    result = clean("The talks went on for hours, diplomats said on Friday evening.\nReuters")
    assert result.source == "Reuters"
    assert result.paragraphs == ["The talks went on for hours, diplomats said on Friday evening."]


def test_paywall_marks_truncated():
    result = clean("One paragraph of the article, long enough to be a body one.\n"
                   "Il vous reste 63% de cet article à lire. La suite est réservée aux abonnés.")
    assert result.truncated and result.remaining_percent == 63.0
    assert len(result.paragraphs) == 1
