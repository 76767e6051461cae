"""The whole loop: a KB in git with old commits, its built site served with an access log, readers searching in a
real browser, then `kbgen report` on that log — and again after the writer fills a gap."""

from __future__ import annotations

import json

from conftest import run
from report_helpers import commit_all, days_ago, search_for


def settle_search(page, query: str) -> None:
    """A reader types a search into the header box and stops typing until it counts as finished."""
    search_for(page, query)
    page.wait_for_timeout(1800)


def wait_for_log(page, log, count: int) -> None:
    for _ in range(150):
        if log.exists() and log.read_text().count("_kb/e.gif?") >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} beacons in the access log")


def test_served_site_searches_become_a_report_and_a_filled_gap_shows(kb, serve, page, tmp_path) -> None:
    kb({
        "kbgen.yml": "site_name: Help\nstale_after: 180d\n",
        "content/billing/refunds.md": "---\ntitle: Refunds\nowner: anna\n---\nHow to get your money back.\n",
        "content/billing/invoices.md": "---\ntitle: Invoices\n---\nDownload an invoice.\n",
    })
    commit_all(kb.root, "first articles", days_ago(400))
    (kb.root / "content/billing/invoices.md").write_text("---\ntitle: Invoices\n---\nDownload a PDF invoice.\n")
    commit_all(kb.root, "invoices reviewed", days_ago(3))
    assert run("build").exit_code == 0

    log = tmp_path / "access.log"
    server = serve(kb.root / "site", "/help/", access_log=log)
    page.goto(server.url)
    settle_search(page, "wire transfer")
    settle_search(page, "Wire  transfers")
    settle_search(page, "crypto")
    search_for(page, "refund")
    with page.expect_navigation():
        page.locator("#kb-search-popup .search-option").first.click()
    assert page.url == server.url + "billing/refunds/"
    wait_for_log(page, log, 5)  # four searches and a click
    assert page.errors == []

    result = run("report", "--format", "json", "--log", str(log))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(r["source"], r["status"], r["updated_from"], r["updated"], r["owner"]) for r in data["stale"]] == [
        ("billing/refunds.md", "overdue", "git", str(days_ago(400)), "anna")]
    assert data["stale"][0]["demand"] == 2  # the reader's click and visit, read from the access log
    gaps = {q["query"]: (q["count"], q["status"]) for q in data["zero_result_queries"]}
    assert gaps == {"wire transfer": (2, "still no result"), "crypto": (1, "still no result")}

    (kb.root / "content/billing/wire-transfers.md").write_text(
        "---\ntitle: Paying by wire transfer\n---\nSend a wire transfer to our bank.\n")
    data = json.loads(run("report", "--format", "json", "--log", str(log)).stdout)
    gap = next(q for q in data["zero_result_queries"] if q["query"] == "wire transfer")
    assert gap["status"] == "now answered"
    assert gap["answered_by"] == {"url": "billing/wire-transfers/", "title": "Paying by wire transfer"}
    table = run("report", "--log", str(log)).stdout
    assert "now answered by Paying by wire transfer" in table
