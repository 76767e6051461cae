"""The report as a terminal table, JSON, CSV or Markdown, all written from `Report.data`."""

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
    return to_table(data)


def to_table(data: dict[str, Any]) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text as T  # cells as plain text: a query like "[email] x" is not rich markup

    console = Console(record=True, width=120, file=io.StringIO(), color_system=None)
    s = data["summary"]
    for warning in s["warnings"]:
        console.print(f"warning: {warning}", markup=False)
    stale = Table(title=f"Articles due for review ({s['articles_overdue']} overdue, {s['articles_due_soon']} due "
                        f"soon, {s['articles_ok']} ok)", title_justify="left")
    for col in ("Owner", "Article", "Status", "Updated", "Source", "Review every", "Demand"):
        stale.add_column(col)
    for owner, rows in by_owner(data["stale"]):
        for row in rows:
            stale.add_row(T(owner), T(f"{row['title']}\n{row['source']}"), row["status"], row["updated"],
                          row["updated_from"], f"{row['review_every']} d", str(row["demand"]))
    console.print(stale if data["stale"] else T(f"{stale.title}: nothing due."))
    gaps = Table(title=f"Searches without results ({s['zero_result_searches']} of {s['searches']} searches)",
                 title_justify="left")
    for col in ("Search", "Times", "Now"):
        gaps.add_column(col)
    for q in data["zero_result_queries"]:
        gaps.add_row(T(q["query"]), str(q["count"]), T(answer_text(q)))
    if s["log_files"] == 0:
        console.print("No logs read: give access logs (kbgen report access.log*), or run kbgen serve to record "
                      "searches in .kbgen/events.jsonl.", markup=False)
    else:
        console.print(gaps if data["zero_result_queries"] else T(f"{gaps.title}: none."))
        if others_line(data.get("zero_result_others")):
            console.print(T(others_line(data["zero_result_others"])))
    if data["no_click_queries"]:
        noclick = Table(title="Searches with results nobody opened", title_justify="left")
        noclick.add_column("Search")
        noclick.add_column("Times")
        for q in data["no_click_queries"]:
            noclick.add_row(T(q["query"]), str(q["searches"]))
        console.print(noclick)
        if others_line(data.get("no_click_others")):
            console.print(T(others_line(data["no_click_others"])))
    if data["unhelpful_articles"]:
        votes = Table(title="Articles readers found unhelpful", title_justify="left")
        for col in ("Article", "Not helpful", "Helpful"):
            votes.add_column(col)
        for a in data["unhelpful_articles"]:
            votes.add_row(T(f"{a['title']}\n{a['url']}"), str(a["unhelpful"]), str(a["helpful"]))
        console.print(votes)
    console.print(f"{s['events']} events and {s['page_views']} page views from {s['log_files']} file(s); "
                  f"{s['malformed_lines']} malformed line(s) skipped; dates from {s['dates_from']}.", markup=False)
    return console.export_text()


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
