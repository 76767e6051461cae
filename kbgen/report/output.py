"""The report in the format asked for, written from `Report.data`: JSON, CSV and Markdown here, the terminal
table in `table`, the HTML page in `html`."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from kbgen.report.html import to_html
from kbgen.report.neutral import csv_cell
from kbgen.report.rows import answer_text, by_owner, others_line

FORMATS = ("table", "json", "csv", "md", "html")


def render(data: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return to_csv(data)
    if fmt == "md":
        return to_markdown(data)
    if fmt == "html":
        return to_html(data)
    from kbgen.report.table import to_table  # rich loads only for the terminal

    return to_table(data)


def to_csv(data: dict[str, Any]) -> str:
    """One table with a `section` column, so a spreadsheet can filter it."""
    out = io.StringIO()
    w = _FormulaSafeWriter(csv.writer(out, lineterminator="\n"))
    w.writerow(["section", "item", "url", "count", "status", "detail", "owner", "updated", "updated_from", "due"])
    for r in data["stale"]:
        w.writerow(["stale", r["title"], r["url"], r["demand"], r["status"], r["source"], r["owner"] or "",
                    r["updated"], r["updated_from"], r["due"]])
    for q in data["zero_result_queries"]:
        w.writerow(["zero_result", q["query"], (q["answered_by"] or {}).get("url", ""), q["count"], q["status"],
                    q["did_you_mean"] or "", "", "", "", ""])
    for q in data["no_click_queries"]:
        w.writerow(["no_click", q["query"], "", q["searches"], "", "", "", "", "", ""])
    for section in ("zero_result", "no_click"):
        others = data.get(f"{section}_others")
        if others_line(others):
            w.writerow([f"{section}_others", others_line(others), "", others["searches"], "", "", "", "", "", ""])
    for a in data["unhelpful_articles"]:
        w.writerow(["unhelpful", a["title"], a["url"], a["unhelpful"], "", f"helpful: {a['helpful']}",
                    "", "", "", ""])
    return out.getvalue()


class _FormulaSafeWriter:
    """A csv writer whose text cells never start a spreadsheet formula (`kbgen.report.neutral.csv_cell`)."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow([csv_cell(cell) for cell in row])


def _md(text: Any) -> str:
    """Table cells: pipes and line breaks would break the row; `<` would become HTML in most renderers."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def to_markdown(data: dict[str, Any]) -> str:
    s = data["summary"]
    lines = ["# Knowledge base report", "", f"{s['today']}: {s['articles']} articles, {s['articles_overdue']} "
             f"overdue, {s['articles_due_soon']} due soon; {s['searches']} searches, "
             f"{s['zero_result_searches']} without results.", ""]
    lines += [f"> **Warning:** {_md(w)}" for w in s["warnings"]]
    lines += ["", "## Articles due for review", ""]
    for owner, rows in by_owner(data["stale"]):
        lines += [f"### {_md(owner)}", "", "| Article | Status | Updated | Source | Due | Demand |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {_md(r['title'])} (`{_md(r['source'])}`) | {r['status']} | {r['updated']} | "
                  f"{r['updated_from']} | {r['due']} | {r['demand']} |" for r in rows]
        lines.append("")
    lines += ["## Searches without results", "", "| Search | Times | Now |", "|---|---|---|"]
    lines += [f"| {_md(q['query'])} | {q['count']} | {_md(answer_text(q))} |" for q in data["zero_result_queries"]]
    lines += ["", others_line(data.get("zero_result_others"))] if others_line(data.get("zero_result_others")) else []
    lines += ["", "## Searches with results nobody opened", "", "| Search | Times |", "|---|---|"]
    lines += [f"| {_md(q['query'])} | {q['searches']} |" for q in data["no_click_queries"]]
    lines += ["", others_line(data.get("no_click_others"))] if others_line(data.get("no_click_others")) else []
    lines += ["", "## Articles readers found unhelpful", "", "| Article | Not helpful | Helpful |", "|---|---|---|"]
    lines += [f"| {_md(a['title'])} (`{_md(a['url'])}`) | {a['unhelpful']} | {a['helpful']} |"
              for a in data["unhelpful_articles"]]
    return "\n".join(lines) + "\n"
