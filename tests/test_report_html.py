"""The HTML report is one file a KB owner opens anywhere: it shows its charts with no console errors, asks nothing
from the network, and escapes what readers typed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from conftest import run

SEARCHES = ["wire transfer"] * 5 + ["<script>alert(1)</script>"] * 3 + ["refund"] * 2 + ["vpn setup"]


def test_html_report_opens_cleanly_in_chromium(kb, serve, browser, tmp_path) -> None:
    kb({
        "kbgen.yml": "site_name: Help\n",
        "content/billing/refunds.md": "---\ntitle: Refunds\nupdated: 2024-01-10\nowner: anna\n---\nMoney back.\n",
        "content/billing/invoices.md": "---\ntitle: Invoices & <Bills>\nupdated: 2026-10-01\n---\nInvoices.\n",
    })
    lines = []
    for week in range(6):
        for i, q in enumerate(SEARCHES):
            n = 0 if (i + week) % 3 else 1
            day = (dt.date(2026, 9, 7) + dt.timedelta(days=7 * week)).strftime("%d/%b/%Y")
            lines.append(f'1.2.3.4 - - [{day}:10:00:00 +0000] '
                         f'"GET /_kb/e.gif?e=search&q={q.replace(" ", "%20")}&n={n}&l=en&v=1 HTTP/1.1" 200 43 "-" "UA"')
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "report" / "index.html"
    assert run("report", str(log), "--format", "html", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    server = serve(out.parent)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server.url)
    page.wait_for_load_state("networkidle")
    assert problems == []
    assert [u for u in requests if not u.startswith(server.url)] == []
    assert [u for u in requests] == [server.url]  # the page alone: styles and charts are inline
    assert page.locator("figure svg").count() == 3
    assert page.locator("h1").inner_text() == "Knowledge base report"
    assert page.locator("td", has_text="<script>alert(1)</script>").first.is_visible()
    shot = Path(os.environ.get("KBGEN_REPORT_SCREENSHOT", tmp_path / "report.png"))
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    context.close()
