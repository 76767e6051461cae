"""The report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts, nothing fetched, so it
can be mailed, attached to a CI run or opened from disk. Every piece of text is escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from kbgen.report.rows import answer_text, by_owner, others_line

_AGE_BUCKETS = [(0, 90, "< 3 months"), (90, 180, "3–6 months"), (180, 365, "6–12 months"),
                (365, 730, "1–2 years"), (730, 10**9, "> 2 years")]

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d232a;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d8dde3}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #e6e9ee;vertical-align:top}th{background:#f4f6f8}td.n{text-align:right}
.overdue{color:#a4161a;font-weight:600}.due{color:#8a5a00}.warn{background:#fff4e5;border-left:4px solid #d97706;
padding:.5rem 1rem}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:1rem}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}svg text{font:12px system-ui,sans-serif;fill:#1d232a}
code{font-size:.9em}
"""


def to_html(data: dict[str, Any]) -> str:
    s = data["summary"]
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             '<link rel="icon" href="data:,">',  # or the browser asks the host for /favicon.ico
             f"<title>Knowledge base report · {escape(s['today'])}</title>", f"<style>{_CSS}</style>", "</head>",
             "<body>", "<h1>Knowledge base report</h1>",
             f"<p>{escape(s['today'])}: {s['articles']} articles — <span class=overdue>{s['articles_overdue']} "
             f"overdue</span>, <span class=due>{s['articles_due_soon']} due soon</span>; {s['searches']} searches, "
             f"{s['zero_result_searches']} without results.</p>"]
    parts += [f'<p class="warn">{escape(w)}</p>' for w in s["warnings"]]
    parts += ['<div class="charts">', _figure("Top searches without results", _bars(
        [(q["query"], q["count"]) for q in data["zero_result_queries"][:10]])),
        _figure("Articles by time since last update", _bars(_age_histogram(data["ages"]))),
        _figure("Weekly share of searches without results", _weekly(data["weekly_searches"])), "</div>"]
    parts.append("<h2>Articles due for review</h2>")
    for owner, rows in by_owner(data["stale"]):
        parts.append(f"<h3>{escape(owner)}</h3>")
        parts.append(_table(["Article", "Status", "Updated", "Source", "Due", "Demand"], [
            [f"{escape(r['title'])}<br><code>{escape(r['source'])}</code>",
             f'<span class="{"overdue" if r["status"] == "overdue" else "due"}">{escape(r["status"])}</span>',
             escape(r["updated"]), escape(r["updated_from"]), escape(r["due"]), str(r["demand"])]
            for r in rows]))
    if not data["stale"]:
        parts.append("<p>Every article is within its review period.</p>")
    parts.append("<h2>Searches without results</h2>")
    parts.append(_table(["Search", "Times", "Now"], [
        [escape(q["query"]), str(q["count"]), escape(answer_text(q))] for q in data["zero_result_queries"]]))
    parts += _others(data.get("zero_result_others"))
    parts.append("<h2>Searches with results nobody opened</h2>")
    parts.append(_table(["Search", "Times"], [[escape(q["query"]), str(q["searches"])]
                                               for q in data["no_click_queries"]]))
    parts += _others(data.get("no_click_others"))
    parts.append("<h2>Articles readers found unhelpful</h2>")
    parts.append(_table(["Article", "Not helpful", "Helpful"], [
        [f"{escape(a['title'])}<br><code>{escape(a['url'])}</code>", str(a["unhelpful"]), str(a["helpful"])]
        for a in data["unhelpful_articles"]]))
    parts.append(f"<p><small>{s['events']} events and {s['page_views']} page views from {s['log_files']} file(s); "
                 f"{s['malformed_lines']} malformed lines skipped; dates from {escape(s['dates_from'])}.</small></p>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _others(others: dict[str, int] | None) -> list[str]:
    line = others_line(others)
    return [f"<p>{escape(line)}</p>"] if line else []


def _table(head: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "<p>None.</p>"
    out = ["<table>", "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(f'<td{" class=n" if c.isdigit() else ""}>{c}</td>' for c in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _figure(caption: str, svg: str) -> str:
    return f"<figure><figcaption>{escape(caption)}</figcaption>{svg}</figure>"


def _age_histogram(ages: list[int]) -> list[tuple[str, int]]:
    return [(label, sum(1 for a in ages if lo <= a < hi)) for lo, hi, label in _AGE_BUCKETS]


def _bars(items: list[tuple[str, int]]) -> str:
    """Horizontal bars with their labels and counts."""
    if not items or not any(n for _, n in items):
        return "<p>No data.</p>"
    row, label_w, bar_w = 22, 150, 150
    top = max(n for _, n in items)
    h = row * len(items) + 4
    out = [f'<svg role="img" viewBox="0 0 {label_w + bar_w + 40} {h}" width="100%" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for i, (label, n) in enumerate(items):
        y = i * row + 2
        w = round(bar_w * n / top) if top else 0
        short = label if len(label) <= 18 else label[:17] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(short)}<title>{escape(label)}'
                   f'</title></text><rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 8}" fill="#3b6fb6"/>'
                   f'<text x="{label_w + w + 4}" y="{y + 14}">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def _weekly(weeks: list[dict[str, Any]]) -> str:
    """One column per week: the share of that week's searches that found nothing."""
    if not weeks:
        return "<p>No dated searches.</p>"
    weeks = weeks[-26:]
    col, h, base = 14, 120, 100
    width = 34 + col * 26
    out = [f'<svg role="img" viewBox="0 0 {width} {h + 24}" width="100%" xmlns="http://www.w3.org/2000/svg">',
           f'<line x1="30" y1="{base + 4}" x2="{width}" y2="{base + 4}" stroke="#999"/>',
           '<text x="0" y="12">100%</text>', f'<text x="0" y="{base + 4}">0%</text>']
    for i, w in enumerate(weeks):
        share = w["zero_result"] / w["searches"] if w["searches"] else 0
        bar = round(base * share)
        x = 34 + i * col
        out.append(f'<rect x="{x}" y="{base + 4 - bar}" width="{col - 6}" height="{bar}" fill="#c2410c">'
                   f'<title>{escape(w["week"])}: {w["zero_result"]} of {w["searches"]} searches without results'
                   f'</title></rect>')
        if i in (0, len(weeks) - 1) and (i == 0 or len(weeks) > 4):
            out.append(f'<text x="{x}" y="{h + 18}">{escape(w["week"][5:])}</text>')
    out.append("</svg>")
    return "".join(out)
