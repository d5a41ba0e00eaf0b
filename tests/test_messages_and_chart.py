"""The month chart turns to years over a long span; an empty index says how to fill it."""

from __future__ import annotations

from search import settings
from search.web.charts import month_bars
from search.web.state import SearchState

from .helpers import run_cli as cli


def test_the_chart_shows_months_while_they_fit_and_years_past_that():
    months = [{"value": "2023-01", "count": 2}, {"value": "2023-03", "count": 1}, {"value": "undated", "count": 4}]
    years = [{"value": "2023", "count": 3}, {"value": "undated", "count": 4}]
    chart = month_bars(months, years, SearchState())
    assert chart["unit"] == "month"
    assert [(b["value"], b["count"]) for b in chart["bars"]] == [("2023-01", 2), ("2023-02", 0), ("2023-03", 1)]

    first, last = 2000, 2000 + settings.CHART_MAX_BARS // 12 + 1  # more months than bars
    months = [{"value": f"{first}-05", "count": 1}, {"value": f"{last}-02", "count": 3}]
    years = [{"value": str(first), "count": 1}, {"value": str(last), "count": 3}, {"value": "undated", "count": 9}]
    chart = month_bars(months, years, SearchState())
    assert chart["unit"] == "year"
    assert [b["value"] for b in chart["bars"]] == [str(y) for y in range(first, last + 1)]
    assert chart["bars"][0]["count"] == 1 and chart["bars"][-1]["count"] == 3
    assert all(b["count"] == 0 and b["url"] is None for b in chart["bars"][1:-1])
    assert "since=" + str(last) in chart["bars"][-1]["url"]


def test_an_empty_index_says_how_to_add_articles(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    assert cli("index", corpus, "--index", index, "--quiet").exit_code == 0
    result = cli("query", "Kremlin", "--index", index)
    assert result.exit_code == 2
    assert f"the index at {index} is empty; add articles with: news-search index" in result.output
    assert len(result.output.strip().splitlines()) == 1
