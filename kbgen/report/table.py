"""The report as a terminal table, written from `Report.data`. Imported only when the table is asked for: rich takes
longer to load than the other formats take to write."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text as T  # cells as plain text: a query like "[email] x" is not rich markup

from kbgen.report.rows import answer_text, by_owner, others_line


def to_table(data: dict[str, Any]) -> str:
    """Warnings first, then each section that has something to say, then what the figures are based on."""
    console = Console(record=True, width=120, file=io.StringIO(), color_system=None)
    s = data["summary"]
    for warning in s["warnings"]:
        console.print(f"warning: {warning}", markup=False)
    console.print(_stale(data))
    if s["log_files"] == 0:
        console.print("No logs read: give access logs (kbgen report access.log*), or run kbgen serve to record "
                      "searches in .kbgen/events.jsonl.", markup=False)
    else:
        console.print(_gaps(data))
        _print_others(console, data.get("zero_result_others"))
    if data["no_click_queries"]:
        console.print(_table("Searches with results nobody opened", ("Search", "Times"),
                             [(T(q["query"]), str(q["searches"])) for q in data["no_click_queries"]]))
        _print_others(console, data.get("no_click_others"))
    if data["unhelpful_articles"]:
        console.print(_table("Articles readers found unhelpful", ("Article", "Not helpful", "Helpful"),
                             [(T(f"{a['title']}\n{a['url']}"), str(a["unhelpful"]), str(a["helpful"]))
                              for a in data["unhelpful_articles"]]))
    console.print(f"{s['events']} events and {s['page_views']} page views from {s['log_files']} file(s); "
                  f"{s['malformed_lines']} malformed line(s) skipped; dates from {s['dates_from']}.", markup=False)
    return console.export_text()


def _stale(data: dict[str, Any]) -> Table | T:
    """The articles due for review, grouped by owner; one line when none is."""
    s = data["summary"]
    title = (f"Articles due for review ({s['articles_overdue']} overdue, {s['articles_due_soon']} due soon, "
             f"{s['articles_ok']} ok)")
    if not data["stale"]:
        return T(f"{title}: nothing due.")
    return _table(title, ("Owner", "Article", "Status", "Updated", "Source", "Review every", "Demand"), [
        (T(owner), T(f"{row['title']}\n{row['source']}"), row["status"], row["updated"], row["updated_from"],
         f"{row['review_every']} d", str(row["demand"]))
        for owner, rows in by_owner(data["stale"]) for row in rows])


def _gaps(data: dict[str, Any]) -> Table | T:
    """The searches without results and what each finds today; one line when there is none."""
    s = data["summary"]
    title = f"Searches without results ({s['zero_result_searches']} of {s['searches']} searches)"
    if not data["zero_result_queries"]:
        return T(f"{title}: none.")
    return _table(title, ("Search", "Times", "Now"),
                  [(T(q["query"]), str(q["count"]), T(answer_text(q))) for q in data["zero_result_queries"]])


def _print_others(console: Console, others: dict[str, int] | None) -> None:
    """The line under a capped list, when it left something out."""
    line = others_line(others)
    if line:
        console.print(T(line))


def _table(title: str, columns: tuple[str, ...], rows: list[tuple[T | str, ...]]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    return table
