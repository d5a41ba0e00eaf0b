"""Dates: parsing English and French dates, datelines, inference, and the cascade."""

from datetime import date

import pytest

from indexer.ingest import dates
from indexer.ingest.dates import DateEvidence, find_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2023-09-07", date(2023, 9, 7)),
        ("2023-09-07T22:10:00+02:00", date(2023, 9, 7)),
        ("27 Nov 2023", date(2023, 11, 27)),
        ("Nov. 27, 2023", date(2023, 11, 27)),
        ("30 janvier 2025", date(2025, 1, 30)),
        ("1er juin 2025", date(2025, 6, 1)),
        ("22 nov. 2023", date(2023, 11, 22)),
        ("mardi 19 septembre 2023", date(2023, 9, 19)),
        ("18/09/2023", date(2023, 9, 18)),
        ("31 février 2023", None),
        ("sometime in 2023", None),
    ],
)
def test_parse_date(text, expected):
    assert dates.parse_date(text) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("27 Nov 2023", date(2023, 11, 27)),
        ("Publié le 22 nov. 2023 à 10h30", date(2023, 11, 22)),
        ("Published on November 22, 2023, 10:30 am", date(2023, 11, 22)),
        ("PARIS - 30 janvier 2025", date(2025, 1, 30)),
        ("Le ministre russe des affaires étrangères, à Moscou, le 18 septembre 2023.", None),
        ("The ceasefire, signed on November 9, 2020 under Moscow's tutelage", None),
    ],
)
def test_date_line(line, expected):
    assert dates.date_line(line) == expected


def test_opening_date():
    assert dates.opening_date("YEREVAN, 30 janvier 2025 (AFP) - Armenia said...") == date(2025, 1, 30)
    assert dates.opening_date("On 30 January 2025 Armenia said...") is None


def test_weekday_inference_uses_latest_cited_year():
    text = "They met Thursday, May 25, in Moscow. The war of 2020 ... since May 2021 ..."
    assert dates.weekday_date(text) == date(2023, 5, 25)


def test_weekday_inference_in_french():
    text = "L'offensive a repris mardi 19 septembre, un an après les combats de 2022."
    assert dates.weekday_date(text) == date(2023, 9, 19)


def test_cascade_order_and_sources():
    body = ["They met on Tuesday, September 19, after the clashes of 2022."]
    assert find_date(DateEvidence("2024-01-02", [date(2023, 1, 1)], body)) == (date(2024, 1, 2), "metadata")
    assert find_date(DateEvidence(None, [date(2023, 1, 1)], body)) == (date(2023, 1, 1), "dateline")
    assert find_date(DateEvidence(None, [], body)) == (date(2023, 9, 19), "inferred")
    assert find_date(DateEvidence(None, [], ["No date at all."])) == (None, None)


def test_header_date_nearest_the_body_wins():
    ev = DateEvidence(None, [date(2025, 6, 24), date(2023, 11, 27)], ["Body."])
    assert find_date(ev) == (date(2023, 11, 27), "dateline")


def test_latest_full_date_is_the_last_resort():
    ev = DateEvidence(None, [], ["Signed on 9 November 2020.", "Talks resumed on 14 May 2023 in Brussels."])
    assert find_date(ev) == (date(2023, 5, 14), "inferred")


def test_a_weekday_without_any_year_in_the_text_is_no_date():
    """An archive's story saying only "Tuesday, 14 June" could be from any of a dozen
    years: it stays undated rather than being put in a recent one."""
    text = "The band will play on Tuesday, 14 June, the organisers said, and tickets sell fast."
    assert dates.weekday_date(text) is None
    assert dates.find_date(dates.DateEvidence(paragraphs=[text])) == (None, None)
