"""A KB owner feeds the report whatever logs they have and learns what readers searched for and did not find."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import run
from report_helpers import report_json

from kbgen.events.privacy import mask

KB = {
    "kbgen.yml": "site_name: Help\n",
    "content/billing/refunds.md": "---\ntitle: Refunds\nupdated: 2026-11-01\n---\nHow to get a refund for a card "
                                  "payment.\n",
    "content/billing/invoices.md": "---\ntitle: Invoices\nupdated: 2026-11-01\n---\nDownload your invoice.\n",
    "content/ru/oplata.md": "---\ntitle: Оплата\nupdated: 2026-11-01\n---\nОплата картой и возврат платежей.\n",
    "content/help.md": "---\ntitle: Help is here\nupdated: 2026-11-01\n---\nWe are here to help.\n",
}


def beacon(query: str, day: str = "20/Nov/2026", prefix: str = "/") -> str:
    return f'203.0.113.9 - - [{day}:10:00:00 +0000] "GET {prefix}_kb/e.gif?{query}&v=1 HTTP/1.1" 200 43 "-" "UA"'


def gaps(data: dict) -> dict[str, dict]:
    return {q["query"]: q for q in data["zero_result_queries"]}


def test_zero_result_searches_grouped_counted_and_asked_again(kb, tmp_path) -> None:
    kb(KB)
    lines = [
        beacon("e=search&q=wire%20transfer&n=0&l=en"),
        beacon("e=search&q=Wire%20Transfer&n=0&l=en"),
        beacon("e=search&q=wire++transfers&n=0&l=en", prefix="/help/"),
        beacon("e=search&q=wire%20transfer&n=0&l=en"),
        beacon("e=search&q=%D1%91%D0%BB%D0%BA%D0%B0&n=0&l=ru"),  # ёлка
        beacon("e=search&q=%D0%B5%D0%BB%D0%BA%D0%B8&n=0&l=ru"),  # елки: same word, other form and spelling
        beacon("e=search&q=refund&n=0&l=en"),  # found nothing then; the article exists now
        beacon("e=search&q=rfundd&n=0&l=en"),  # a typo too far for the engine's fuzzy matching
        '203.0.113.9 - - [20/Nov/2026:10:00:01 +0000] "GET /billing/refunds/ HTTP/1.1" 200 900 "-" "UA"',
        '203.0.113.9 - - [20/Nov/2026:10:00:01 +0000] "GET /assets/kbgen.css HTTP/1.1" 200 900 "-" "UA"',
        "this is not a log line",
        beacon("e=search&q=x&n=many&l=en"),  # a beacon, but not a valid event
    ]
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = report_json("--log", str(log))
    found = gaps(data)
    assert found["wire transfer"]["count"] == 4  # shown as readers wrote it most often
    assert set(found["wire transfer"]["spellings"]) == {"wire transfer", "Wire Transfer", "wire  transfers"}
    assert found["wire transfer"]["status"] == "still no result"
    assert found["wire transfer"]["did_you_mean"] is None  # not "here transfer": two letters changed is no typo
    assert [q["count"] for q in data["zero_result_queries"]][:2] == [4, 2]  # most frequent first
    assert found["refund"]["status"] == "now answered"
    assert found["refund"]["answered_by"] == {"url": "billing/refunds/", "title": "Refunds"}
    assert found["rfundd"]["did_you_mean"] == "refund" and found["rfundd"]["status"] == "still no result"
    assert data["summary"]["malformed_lines"] == 2
    assert data["summary"]["page_views"] == 1
    assert data["summary"]["zero_result_searches"] == 8


def test_many_files_gzip_common_format_jsonl_and_csv_together(kb, tmp_path) -> None:
    kb(KB)
    common = tmp_path / "access.log.1.gz"
    with gzip.open(common, "wt", encoding="utf-8") as f:
        f.write('10.0.0.1 - - [19/Nov/2026:09:00:00 +0000] "GET /_kb/e.gif?e=search&q=vpn&n=0&l=en&v=1 '
                'HTTP/1.0" 200 43\n')
    events = tmp_path / "events.jsonl"
    events.write_text(json.dumps({"e": "search", "q": "VPN", "n": 0, "l": "en", "t": 1_763_600_000}) + "\n"
                      + "{broken json\n", encoding="utf-8")
    exported = tmp_path / "searches.csv"
    exported.write_text("query,count,results\nvpn,5,0\nrefund,4\nlaser printer,2\n", encoding="utf-8")
    data = report_json(str(common), "--log", str(events), str(exported))
    found = gaps(data)
    assert found["vpn"]["count"] == 7 and "VPN" in found["vpn"]["spellings"]
    assert "refund" not in found  # no result count given, and today's site answers it
    assert found["laser printer"]["count"] == 2  # no result count given, and today's site has nothing
    assert data["summary"]["malformed_lines"] == 1 and data["summary"]["log_files"] == 3


def test_searches_with_results_nobody_opened_and_unhelpful_articles(kb, tmp_path) -> None:
    kb(KB)
    lines = [beacon("e=search&q=invoice&n=1&l=en")] * 3 + [beacon("e=search&q=refund&n=1&l=en")] * 2
    lines += [beacon("e=click&q=refund&u=billing/refunds/&r=1")]
    lines += [beacon("e=vote&u=billing/invoices/&h=0")] * 2 + [beacon("e=vote&u=billing/invoices/&h=1")]
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = report_json(str(log))
    assert data["no_click_queries"] == [{"query": "invoice", "searches": 3, "clicks": 0}]
    assert data["unhelpful_articles"] == [
        {"url": "billing/invoices/", "title": "Invoices", "unhelpful": 2, "helpful": 1}]


def test_since_and_min_count_narrow_the_report(kb, tmp_path) -> None:
    kb(KB)
    log = tmp_path / "access.log"
    log.write_text("\n".join([beacon("e=search&q=old%20thing&n=0&l=en", day="01/Jan/2020"),
                              beacon("e=search&q=rare&n=0&l=en", day="20/Nov/2026"),
                              *[beacon("e=search&q=common&n=0&l=en", day="20/Nov/2026")] * 2]) + "\n")
    assert set(gaps(report_json(str(log)))) == {"old thing", "rare", "common"}
    assert set(gaps(report_json(str(log), "--since", "3y"))) == {"rare", "common"}
    assert set(gaps(report_json(str(log), "--since", "3y", "--min-count", "2"))) == {"common"}
    result = run("report", str(log), "--fail-on", "gaps", "--min-count", "3")
    assert result.exit_code == 0
    result = run("report", str(log), "--fail-on", "gaps", "--min-count", "2")
    assert result.exit_code == 1 and "1 search still without results" in result.stderr
    assert run("report", "--since", "lately").exit_code == 2


def test_personal_data_never_reaches_any_output(kb, tmp_path) -> None:
    kb(KB)
    log = tmp_path / "access.log"
    log.write_text("\n".join([
        beacon("e=search&q=bob%40example.com%20refund&n=0&l=en"),
        beacon("e=search&q=call%20%2B44%2020%207946%200958&n=0&l=en"),
        beacon("e=search&q=card%204111111111111111&n=0&l=en"),
        beacon("e=search&q=error%20404&n=0&l=en"),
    ]) + "\n")
    for fmt in ("table", "json", "csv", "md", "html"):
        out = run("report", str(log), "--format", fmt).stdout
        for secret in ("bob@", "example.com", "7946", "4111", "0958"):
            assert secret not in out, (fmt, secret)
        assert "error 404" in out and "[email] refund" in out
    assert "[email] refund" in gaps(report_json(str(log)))


@pytest.mark.parametrize(("text", "masked"), [
    ("mail anna.k+kb@mail.example.org now", "mail [email] now"),
    ("phone 8 (916) 123-45-67", "phone [number]"),
    ("order 123456", "order [number]"),
    ("windows 11 error 0x80070005", "windows 11 error 0x80070005"),
    ("iphone 15 2024", "iphone 15 2024"),
])
def test_masking(text: str, masked: str) -> None:
    assert mask(text) == masked


def test_every_format_writes_a_file(kb, tmp_path: Path) -> None:
    kb(KB)
    for fmt in ("json", "csv", "md", "html", "table"):
        out = tmp_path / "out" / f"report.{fmt}"
        assert run("report", "--format", fmt, "-o", str(out)).exit_code == 0
        assert out.stat().st_size > 50
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_without_logs_the_report_reads_what_kbgen_serve_recorded_in_each_language(kb) -> None:
    kb({
        "kbgen.yml": "site_name: Help\nlanguages: [en, ru]\n",
        "content/en/billing/refunds.md": "---\ntitle: Refunds\n---\nMoney back.\n",
        "content/ru/billing/refunds.md": "---\ntitle: Возврат денег\n---\nКак вернуть деньги.\n",
    })
    events = [{"e": "search", "q": "возвраты", "n": 0, "l": "ru", "t": 1_763_800_000},
              {"e": "search", "q": "blockchain", "n": 0, "l": "en", "t": 1_763_800_000}]
    (kb.root / ".kbgen").mkdir()
    (kb.root / ".kbgen/events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    found = gaps(report_json())
    assert found["возвраты"]["answered_by"] == {"url": "ru/billing/refunds/", "title": "Возврат денег"}
    assert found["blockchain"]["status"] == "still no result"


def test_a_log_of_countless_one_off_searches_keeps_the_frequent_ones_and_exact_totals(kb, tmp_path,
                                                                                    monkeypatch) -> None:
    """Months of logs hold more distinct searches than the report remembers (a cap of 20 here): the rare ones are
    folded into the totals, the ones readers repeat are still listed with their full counts, and the report says
    what it left out."""
    from kbgen.report import demand

    monkeypatch.setattr(demand, "MAX_QUERIES", 20)
    kb(KB)
    lines = []
    for i in range(120):
        lines.append(beacon(f"e=search&q=oneoff{i}x&n=0&l=en"))  # each seen once
        if i % 4 == 0:
            lines.append(beacon("e=search&q=wire%20transfer&n=0&l=en"))  # 30 times in all, spread over the log
        if i % 10 == 0:
            lines.append(beacon("e=search&q=invoice&n=1&l=en"))  # 12 times
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = report_json("--log", str(log), "--min-count", "5")
    assert data["summary"]["searches"] == 120 + 30 + 12
    assert data["summary"]["zero_result_searches"] == 120 + 30
    assert [(q["query"], q["count"]) for q in data["zero_result_queries"]] == [("wire transfer", 30)]
    folded = [w for w in data["summary"]["warnings"] if "distinct searches" in w]
    assert folded and "count in the totals but are not listed" in folded[0]
