"""Rendering search results for the terminal: text, JSON or CSV (one row per hit)."""

from __future__ import annotations

import csv
import io
import json
import re

import click

MARK = re.compile(r"<mark>(.*?)</mark>")
TAG = re.compile(r"<[^>]+>")


def plain(snippet: str, color: bool) -> str:
    """An HTML snippet for a terminal: matches in bold on a terminal, else as they are."""
    import html

    text = MARK.sub(lambda m: click.style(m.group(1), bold=True) if color else m.group(1), snippet)
    return html.unescape(TAG.sub("", text))


def date_label(hit: dict) -> str:
    if not hit.get("date"):
        return "undated"
    return f"~{hit['date']}" if hit.get("date_source") == "inferred" else hit["date"]


def render(result: dict, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(
            [
                "id",
                "title",
                "date",
                "date_source",
                "language",
                "languages",
                "source",
                "url",
                "truncated",
                "actors",
                "score",
                "snippet",
            ]
        )
        for h in result["hits"]:
            writer.writerow(
                [
                    h["id"],
                    h["title"],
                    h["date"] or "",
                    h["date_source"] or "",
                    h["language"] or "",
                    " ".join(h["languages"]),
                    h["source"] or "",
                    h["url"] or "",
                    h["truncated"],
                    "; ".join(h["actors"]),
                    h["score"],
                    plain(h["snippet"], False),
                ]
            )
        return buf.getvalue()
    total = result["total"]
    stories = result.get("stories", total)
    head = f"{total} article{'s' if total != 1 else ''}"
    if result.get("collapsed") and stories != total:
        head = f"{stories} stor{'ies' if stories != 1 else 'y'} ({head})"
    lines = [f"{head} (page {result['page']})"]
    if result.get("suggestion"):
        lines.append(f"Did you mean: {result['suggestion']}?")
    lines += [f"Note: {note}" for note in result.get("notes") or ()]
    for h in result["hits"]:
        meta = " · ".join(
            x
            for x in (date_label(h), h["source"], "/".join(h["languages"]), "truncated" if h["truncated"] else "")
            if x
        )
        lines += ["", click.style(h["title"], bold=True) if color else h["title"], f"  {meta}  [{h['id']}]"]
        if h["actors"]:
            lines.append("  actors: " + ", ".join(h["actors"][:8]))
        if h["snippet"]:
            lines.append("  " + plain(h["snippet"], color))
        if h.get("copies") and result.get("collapsed"):
            lines.append("  " + copies_line(h["copies"], h.get("copies_total")) + f" (news-search show {h['id']})")
    facets = result.get("facets") or {}
    if facets.get("month"):
        lines += ["", "months: " + ", ".join(f"{d['value']} ({d['count']})" for d in facets["month"])]
    if facets.get("actor"):
        lines.append("actors: " + ", ".join(f"{d['value']} ({d['count']})" for d in facets["actor"][:10]))
    return "\n".join(lines) + "\n"


def copies_line(copies: list[dict], total: int | None = None) -> str:
    """'N more copies: sources, languages' (of the copies listed; N counts them all)."""
    sources = sorted({c["source"] for c in copies if c.get("source")})
    languages = sorted({c["language"] for c in copies if c.get("language")})
    parts = ", ".join([*sources, *languages])
    n = max(len(copies), total or 0)
    return f"{n} more cop{'ies' if n != 1 else 'y'}" + (f": {parts}" if parts else "")


def article_text(record: dict) -> str:
    lines = [record["title"], ""]
    meta = [
        f"id: {record['id']}",
        f"date: {record['date']} ({record['date_source']})" if record["date"] else "date: undated",
        f"language: {record['language']} ({', '.join(record['languages'])})",
        f"source: {record['source'] or '-'}",
        f"truncated: {'yes' if record['truncated'] else 'no'}",
        "actors: " + ", ".join(f"{a['name']} ({a['mentions']})" for a in record["actors"]),
    ]
    lines += meta + [""]
    for p in record["paragraphs"]:
        prefix = "" if p["lang"] == record["language"] else f"[{p['lang']}] "
        lines += [prefix + p["text"], ""]
    if record.get("copies"):
        lines.append(copies_line(record["copies"], record.get("copies_total")) + " of this story:")
        for c in record["copies"]:
            meta = " · ".join(x for x in (c.get("date"), c.get("source"), c.get("language")) if x)
            lines.append(f"  {c['title']}  [{c['id']}]" + (f" ({meta})" if meta else ""))
        lines.append("")
    return "\n".join(lines)


def stats_text(data: dict) -> str:
    lines = [
        f"articles: {data['articles']}",
        (f"months: {data['first_month']} to {data['last_month']}" if data.get("first_month") else "months: none")
        + (f", {data['undated']} undated" if data.get("undated") else ""),
        "languages: " + ", ".join(f"{d['value']} ({d['count']})" for d in data["languages"]),
        "top actors: " + ", ".join(f"{d['value']} ({d['count']})" for d in data["top_actors"]),
    ]
    run = data.get("last_indexing")
    if run:
        lines.append(
            f"last indexing: {run.get('finished')}: {run.get('added')} added, {run.get('updated')} updated, "
            f"{run.get('deleted')} deleted, {run.get('failed')} failed"
        )
    return "\n".join(lines)
