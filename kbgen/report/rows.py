"""What every writer of the report says the same way: the review list grouped by owner, the line under a capped
list, and what a search without results finds today. Shared by the text writers (`output`) and the HTML page
(`html`), so neither imports the other."""

from __future__ import annotations

from itertools import groupby
from typing import Any


def by_owner(stale: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Groups in order of each owner's most urgent article; within a group the rows keep their order."""
    order: dict[str, int] = {}
    for i, row in enumerate(stale):
        order.setdefault(_owner(row), i)
    ranked = sorted(stale, key=lambda r: order[_owner(r)])
    return [(owner, list(rows)) for owner, rows in groupby(ranked, key=_owner)]


def others_line(others: dict[str, int] | None) -> str:
    """The line under a capped list: `1,234 other distinct searches, 2,345 searches`; empty when none is left out."""
    if not others or not others["queries"]:
        return ""
    n, m = others["queries"], others["searches"]
    return (f"{n:,} other distinct search{'es' if n != 1 else ''}, {m:,} search{'es' if m != 1 else ''} "
            f"(not listed)")


def answer_text(q: dict[str, Any]) -> str:
    """A search without results as it stands today: the article that answers it now, or its status and a
    "did you mean"."""
    if q["answered_by"]:
        return f"now answered by {q['answered_by']['title']} ({q['answered_by']['url']})"
    return q["status"] + (f"; did you mean “{q['did_you_mean']}”?" if q["did_you_mean"] else "")


def _owner(row: dict[str, Any]) -> str:
    return row["owner"] or "(no owner)"
