"""The time chart: days, months of whole years, or years over a long span; an empty index says how to fill it."""

from __future__ import annotations

from search import settings
from search.web.charts import time_chart
from search.web.state import SearchState

from .helpers import run_cli as cli


def test_the_chart_shows_months_of_whole_years_while_they_fit_and_years_past_that():
    months = [{"value": "2023-01", "count": 2}, {"value": "2023-03", "count": 1}, {"value": "undated", "count": 4}]
    years = [{"value": "2023", "count": 3}, {"value": "undated", "count": 4}]
    chart = time_chart({"month": months, "year": years}, SearchState())
    assert chart["unit"] == "month"
    # a fixed scale: the whole year, so that one month is a twelfth of the chart
    assert [b["value"] for b in chart["bars"]] == [f"2023-{m:02d}" for m in range(1, 13)]
    assert [(b["value"], b["count"]) for b in chart["bars"][:3]] == [("2023-01", 2), ("2023-02", 0), ("2023-03", 1)]
    assert chart["undated"] == 4
    assert [t["label"] for t in chart["ticks"]] == ["2023", "Apr", "Jul", "Oct"]
    assert chart["peak"] == 2 and all(b["show_count"] == (b["count"] > 0) for b in chart["bars"])

    first, last = 2000, 2000 + settings.CHART_MAX_BARS // 12 + 1  # more months than bars
    months = [{"value": f"{first}-05", "count": 1}, {"value": f"{last}-02", "count": 3}]
    years = [{"value": str(first), "count": 1}, {"value": str(last), "count": 3}, {"value": "undated", "count": 9}]
    chart = time_chart({"month": months, "year": years}, SearchState())
    assert chart["unit"] == "year"
    assert [b["value"] for b in chart["bars"]] == [str(y) for y in range(first, last + 1)]
    assert chart["bars"][0]["count"] == 1 and chart["bars"][-1]["count"] == 3
    assert all(b["count"] == 0 and b["url"] is None for b in chart["bars"][1:-1])
    assert "since=" + str(last) in chart["bars"][-1]["url"]


def test_one_month_is_drawn_by_day_over_the_whole_month_and_a_bar_toggles():
    facets = {
        "month": [{"value": "2024-02", "count": 3}],
        "year": [{"value": "2024", "count": 3}],
        "day": [{"value": "2024-02-03", "count": 2}, {"value": "2024-02-20", "count": 1}],
    }
    chart = time_chart(facets, SearchState(since="2024-02-03", until="2024-02-03"))
    assert chart["unit"] == "day"
    assert len(chart["bars"]) == 29  # a leap February, every day
    assert [t["label"] for t in chart["ticks"]] == ["Feb 2024", "10", "20"]
    on = chart["bars"][2]
    assert on["value"] == "2024-02-03" and on["active"] and on["url"] == "/"  # a second click widens back
    assert chart["bars"][19]["url"] == "/?since=2024-02-20&until=2024-02-20"
    assert chart["bars"][0]["url"] is None  # an empty day has no link


def test_an_empty_index_says_how_to_add_articles(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    assert cli("index", corpus, "--index", index, "--quiet").exit_code == 0
    result = cli("query", "Kremlin", "--index", index)
    assert result.exit_code == 2
    assert f"the index at {index} is empty; add articles with: news-search index" in result.output
    assert len(result.output.strip().splitlines()) == 1
