"""The month facet as a bar chart that the template draws as inline SVG.

``month_bars`` turns the month facet (``[{"value": "2023-09", "count": 4}, …]``, months
with results only) into one bar per calendar month from the first to the last, empty
months included so that time reads evenly, each bar with its geometry, label and the URL
of the search narrowed to that month. The template only draws what it is given.
"""

from __future__ import annotations

from .. import settings
from ..facets import UNDATED
from .state import SearchState


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_bars(months: list[dict], years: list[dict], state: SearchState) -> dict | None:
    """Bars for the chart, or None when there are no dated results (the undated bucket
    is not a bar: it is listed beside the chart)."""
    months = [m for m in months if m["value"] != UNDATED]
    years = [y for y in years if y["value"] != UNDATED]
    if not months:
        return None
    counts = {m["value"]: m["count"] for m in months}
    values = _months(months[0]["value"], months[-1]["value"])
    unit = "month"
    if len(values) > settings.CHART_MAX_BARS:
        counts = {y["value"]: y["count"] for y in years}
        values = [str(y) for y in range(int(years[0]["value"]), int(years[-1]["value"]) + 1)]
        unit = "year"
    peak = max(counts.values())
    step = settings.CHART_WIDTH / len(values)
    gap = min(2.0, step * 0.2)
    bars = []
    for i, value in enumerate(values):
        count = counts.get(value, 0)
        height = round((settings.CHART_HEIGHT - 14) * count / peak, 1) if count else 0
        bars.append(
            {
                "value": value,
                "count": count,
                "x": round(i * step, 2),
                "y": round(settings.CHART_HEIGHT - height, 1),
                "width": round(step - gap, 2),
                "height": height,
                "label": f"{value}: {count} article{'s' if count != 1 else ''}",
                "url": state.url(since=value, until=value) if count else None,
                "active": state.since == value and state.until == value,
            }
        )
    return {
        "width": settings.CHART_WIDTH,
        "height": settings.CHART_HEIGHT,
        "bars": bars,
        "unit": unit,
        "first": values[0],
        "last": values[-1],
        "peak": peak,
    }
