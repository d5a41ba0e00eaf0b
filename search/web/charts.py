"""The time facet as a bar chart that the template draws as inline SVG.

``time_chart`` turns the day, month and year facets (``[{"value": "2023-09", "count": 4},
…]``, periods with results only) into one bar per period, empty periods included so that
time reads evenly. The unit follows the span of the results: days when they fit in a few
months (the day facet is given then), months when they fit in ``CHART_MAX_BARS`` months,
else years. The scale is fixed: a day chart covers whole calendar months, a month chart
whole calendar years, so one month looks like one month and not like the whole chart.
Each bar has its geometry, its count (printed over it when there is room, and listed in a
table beside the chart), and the URL that narrows the search to its period (or widens it
back when the search is already narrowed to that period). The axis has ticks for years,
months or days and the scale's top. The template only draws what it is given.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from .. import settings
from ..facets import UNDATED
from .state import SearchState

MONTHS = [calendar.month_abbr[m] for m in range(13)]  # "", "Jan", ..., "Dec" (C locale)

#: The plot's margins inside the SVG: left for the scale, top for counts, bottom for ticks.
LEFT, TOP, BOTTOM = 22, 12, 16


def _periods(unit: str, first: str, last: str) -> list[str]:
    """Every period of the unit covering ``first`` to ``last``, padded to whole months
    (for days) or whole years (for months)."""
    if unit == "year":
        return [str(y) for y in range(int(first[:4]), int(last[:4]) + 1)]
    if unit == "month":
        return [f"{y:04d}-{m:02d}" for y in range(int(first[:4]), int(last[:4]) + 1) for m in range(1, 13)]
    day = date(int(first[:4]), int(first[5:7]), 1)
    end_year, end_month = int(last[:4]), int(last[5:7])
    end = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    out = []
    while day <= end:
        out.append(day.isoformat())
        day += timedelta(days=1)
    return out


def _tick(unit: str, value: str, many_years: bool) -> str | None:
    """The tick label of a period, or None for no tick."""
    if unit == "year":
        return value
    if unit == "month":
        month = int(value[5:7])
        if month == 1:
            return value[:4]
        return None if many_years or month not in (4, 7, 10) else MONTHS[month]
    day = int(value[8:10])
    if day == 1:
        return f"{MONTHS[int(value[5:7])]} {value[:4]}"
    return None if many_years else (str(day) if day in (10, 20) else None)


def _plural(count: int) -> str:
    return f"{count:,} article{'s' if count != 1 else ''}"


def time_chart(facets: dict, state: SearchState) -> dict | None:
    """The chart of the results over time, or None when no result is dated. The undated
    count (not a bar) is given beside it."""
    months = [m for m in facets.get("month", []) if m["value"] != UNDATED]
    undated = sum(m["count"] for m in facets.get("month", []) if m["value"] == UNDATED)
    if not months:
        return {"bars": [], "undated": undated} if undated else None
    days = facets.get("day") or []
    first, last = months[0]["value"], months[-1]["value"]
    if days:
        unit, buckets = "day", days
    elif (int(last[:4]) - int(first[:4]) + 1) * 12 <= settings.CHART_MAX_BARS:
        unit, buckets = "month", months
    else:
        unit, buckets = "year", [y for y in facets.get("year", []) if y["value"] != UNDATED]
    counts = {b["value"]: b["count"] for b in buckets}
    values = _periods(unit, first, last)
    # past two years (or two months), only the years (or months) are ticked
    many_years = len(values) > 24 if unit == "month" else len({v[:7] for v in values}) > 2
    peak = max(counts.values())
    width, height = settings.CHART_WIDTH, settings.CHART_HEIGHT
    plot = height - TOP - BOTTOM
    step = (width - LEFT) / len(values)
    gap = min(2.0, step * 0.2)
    labelled = len(values) <= settings.CHART_LABELLED_BARS
    bars, ticks = [], []
    for i, value in enumerate(values):
        count = counts.get(value, 0)
        bar_height = round(plot * count / peak, 1) if count else 0
        x = round(LEFT + i * step, 2)
        bars.append(
            {
                "value": value,
                "count": count,
                "x": x,
                "y": round(TOP + plot - bar_height, 1),
                "width": round(step - gap, 2),
                "height": bar_height,
                "middle": round(x + (step - gap) / 2, 2),
                "label": f"{value}: {_plural(count)}",
                "show_count": labelled and count > 0,
                "url": state.toggle_period(value) if count else None,
                "active": state.since == value and state.until == value,
            }
        )
        tick = _tick(unit, value, many_years)
        if tick is not None and (unit != "year" or i % max(1, -(-len(values) // 10)) == 0):
            ticks.append({"x": x, "label": tick})
    return {
        "width": width,
        "height": height,
        "left": LEFT,
        "top": TOP,
        "base": TOP + plot,
        "bars": bars,
        "ticks": ticks,
        "unit": unit,
        "first": values[0],
        "last": values[-1],
        "peak": peak,
        "undated": undated,
        "shown": [b for b in bars if b["count"]],
    }
