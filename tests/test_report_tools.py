"""A team whose help centre reports to Plausible, Umami, Matomo or GoatCounter exports that tool's data and gets
the same report from it as from the equivalent access log: the searches that found nothing, with their counts."""

from __future__ import annotations

import codecs
import gzip
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import run
from report_helpers import report_json

from kbgen.report.tools import parse_record

KB = {
    "kbgen.yml": "site_name: Help\n",
    "content/billing/refunds.md": "---\ntitle: Refunds\nupdated: 2026-11-01\n---\nHow to get a refund for a card "
                                  "payment.\n",
    "content/billing/invoices.md": "---\ntitle: Invoices\nupdated: 2026-11-01\n---\nDownload your invoice.\n",
}

#: What readers did, as the site reports it to a tool (already masked in the page): (event record, times).
EVENTS = [
    ("kbgen:search|0|en|wire transfer", 2),
    ("kbgen:search|0|en|Wire Transfer", 1),
    ("kbgen:search|1|en|refund", 2),
    ("kbgen:search|0|en|vpn", 1),
    ("kbgen:search|0|en|card [number]", 2),
    ("kbgen:search|0|en|mail bob@example.com", 1),  # from an older page that did not mask: masked on reading
    ("kbgen:click|1|billing/refunds/|refund", 1),
    ("kbgen:vote|0|billing/invoices/", 1),
]
#: The zero-result searches the report must list for them.
EXPECTED = [("wire transfer", 3), ("card [number]", 2), ("mail [email]", 1), ("vpn", 1)]


def zero_results(data: dict) -> list[tuple[str, int]]:
    return [(q["query"], q["count"]) for q in data["zero_result_queries"]]


def nginx_log(path: Path) -> Path:
    """The same events as beacon requests in an nginx access log, among ordinary page views."""
    lines = ['198.51.100.7 - - [20/Nov/2026:10:00:00 +0000] "GET /billing/refunds/ HTTP/1.1" 200 900 "-" "UA"']
    for record, times in EVENTS:
        event = parse_record(record)
        query = {"search": f"e=search&q={quote(event.query)}&n={event.results}&l=en",
                 "click": f"e=click&q={quote(event.query)}&u={event.url}&r={event.rank}",
                 "vote": f"e=vote&u={event.url}&h=0"}[event.kind]
        if "bob@" in record:
            query = "e=search&q=mail%20bob%40example.com&n=0&l=en"
        lines += [f'198.51.100.7 - - [20/Nov/2026:10:00:00 +0000] "GET /_kb/e.gif?{query}&v=1 HTTP/1.1" 200 43 '
                  f'"-" "UA"'] * times
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plausible_csv(path: Path) -> Path:
    """Plausible's custom_props.csv: every property's values, ours among the dashboard's own."""
    rows = ["property,value,visitors,events,percentage", "query,wire transfer,3,3,20.0", "results,0,7,7,46.7"]
    rows += [f'kbgen,"{record}",{times},{times},{times * 10}.0' for record, times in EVENTS]
    rows += ["author,Jane,4,4,26.7"]
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


def umami_json(path: Path) -> Path:
    """Umami's answer to GET /api/websites/<id>/event-data/values?event=kb-search&propertyName=kbgen (and the
    click and vote events), saved together."""
    path.write_text(json.dumps([{"value": record, "total": times} for record, times in EVENTS]), encoding="utf-8")
    return path


def goatcounter_csv(path: Path) -> Path:
    """GoatCounter's export: one row per page view or event; kbgen's events have the record as their path."""
    header = ("2,Path,Title,Event,User-Agent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,"
              "Location,FirstVisit,Date")
    rows = [header, '/billing/refunds/,"Refunds\nHelp",false,,Chrome 120,Linux,9f1,0,,,"1280,800,1",NL,true,'
                    "2026-11-20T10:00:00Z"]
    for record, times in EVENTS:
        rows += [f'"{record}",Search,true,,Chrome 120,Linux,9f1,0,,,"1280,800,1",NL,false,2026-11-20T10:00:0{i}Z'
                 for i in range(times)]
    rows.append('"kbgen:search|0|en|crawler junk",Search,true,,,,9f2,3,,,,,false,2026-11-20T10:00:00Z')  # a bot
    with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
        f.write("\n".join(rows) + "\n")
    return path


def test_each_tools_export_gives_the_report_of_the_equivalent_access_log(kb, tmp_path) -> None:
    kb(KB)
    expected = report_json(str(nginx_log(tmp_path / "access.log")))
    assert zero_results(expected) == EXPECTED
    for export in (plausible_csv(tmp_path / "custom_props.csv"), umami_json(tmp_path / "kb-search.json"),
                   goatcounter_csv(tmp_path / "goatcounter-export.csv.gz")):
        data = report_json(str(export))
        assert zero_results(data) == EXPECTED, export.name
        assert data["summary"]["searches"] == expected["summary"]["searches"] == 9
        assert data["summary"]["malformed_lines"] == 0
        assert data["unhelpful_articles"] == expected["unhelpful_articles"] != []
        assert data["no_click_queries"] == expected["no_click_queries"] == []  # refund: found and opened


def matomo_csv(path: Path, rows: list[tuple[str, int]]) -> Path:
    """Matomo's Reporting API with format=CSV: UTF-16LE with a byte-order mark, as Matomo writes it by default."""
    lines = ["label,nb_visits,nb_hits,sum_time_spent,exit_nb_visits,nb_pages_per_search,metadata_segment"]
    lines += [f'"{label}",{n},{n},{30 * n},0,1,siteSearchKeyword=={quote(label)}' for label, n in rows]
    path.write_bytes(codecs.BOM_UTF16_LE + "\n".join(lines).encode("utf-16-le"))
    return path


def test_matomo_site_search_reports(kb, tmp_path) -> None:
    """The no-result keywords report lists what found nothing; the all-keywords report leaves it to today's index.
    Matomo's own site-search report carries no kbgen record: the keyword is the (masked) search."""
    kb(KB)
    no_result = matomo_csv(tmp_path / "Actions.getSiteSearchNoResultKeywords.csv",
                           [("wire transfer", 3), ("card [number]", 2), ("mail [email]", 1), ("vpn", 1)])
    assert zero_results(report_json(str(no_result))) == EXPECTED
    # JSON for two days (date=last2): an object of period → rows, each dated.
    keywords = tmp_path / "keywords.json"
    keywords.write_text(json.dumps({
        "2026-11-19": [{"label": "refund", "nb_visits": 2, "nb_hits": 2}, {"label": "wire transfer", "nb_visits": 1}],
        "2026-11-20": [{"label": "wire transfer", "nb_visits": 2}, {"label": "Q&amp;A", "nb_visits": 1}],
    }), encoding="utf-8")
    data = report_json(str(keywords))
    assert zero_results(data) == [("wire transfer", 3), ("Q&A", 1)]  # refund: today's site answers it
    assert data["summary"]["first_day"] == "2026-11-19" and data["summary"]["last_day"] == "2026-11-20"
    # The same file named by --log-format as the no-result report: every row found nothing then.
    data = report_json("--log-format", "matomo-no-result", str(keywords))
    assert ("refund", 2) in zero_results(data)


def test_a_damaged_record_is_a_malformed_line_and_other_rows_are_not(kb, tmp_path) -> None:
    kb(KB)
    export = tmp_path / "custom_props.csv"
    export.write_text("property,value,visitors,events\nkbgen,kbgen:search|lots|en|vpn,1,1\n"
                      "kbgen,kbgen:search|0|en|vpn,1,2\nkbgen,kbgen:teleport|1,1,1\nurl,/x,1,1\n", encoding="utf-8")
    data = report_json(str(export))
    assert zero_results(data) == [("vpn", 2)]
    assert data["summary"]["malformed_lines"] == 2


@pytest.mark.parametrize("record", ["kbgen:click|2|a%7Cb/%257C/|x|y", "kbgen:vote|1|a%7Cb/%257C/"])
def test_a_url_keeps_the_characters_the_record_escapes(record: str) -> None:
    event = parse_record(record)
    assert event is not None and event.url == "a|b/%7C/"
    assert event.kind != "click" or (event.query == "x|y" and event.rank == 2)


def test_log_format_names_the_tools(kb, tmp_path) -> None:
    kb(KB)
    result = run("report", "--log-format", "plausible", str(plausible_csv(tmp_path / "p.csv")))
    assert result.exit_code == 2
    assert "plausible-csv" in result.output and "goatcounter-csv" in result.output


def test_damaged_exports_are_counted_not_a_traceback(kb, tmp_path) -> None:
    """A cut download, a quote that never closes, a field of 200 KB, JSON nested past any limit: skipped and
    counted, and what could be read is still reported."""
    kb(KB)
    goat = tmp_path / "goatcounter.csv"
    goat.write_text("2,Path,Title,Event,Bot,Date\n"
                    f'"kbgen:search|0|en|vpn",{"x" * 200_000},true,0,2026-11-20T10:00:00Z\n'
                    '"kbgen:search|0|en|vpn",t,true,0,2026-11-20T10:00:00Z\n'
                    '"kbgen:search|0|en|fax",t,true,0,2026-11-20T10:00:00Z\n'
                    '"kbgen:search|0|en|vpn","' + ("y" * 60_000 + "\n") * 3 + '",true,0,2026-11-20T10:00:00Z\n'
                    '"kbgen:search|0|en|never closed,t,true,0,2026-11-20\n', encoding="utf-8")
    matomo = tmp_path / "matomo.json"
    matomo.write_text('[{"label": "x", "nb_visits": 1}, ' + "[" * 100_000 + "]" * 100_000 + "]", encoding="utf-8")
    umami = tmp_path / "umami.json"
    umami.write_text('[{"value": "kbgen:search|0|en|vpn", "total": "3"}, {"value": "kbgen:search|0|en|x", '
                     '"total": true}, {"value": 7, "total": 1}, "junk"]', encoding="utf-8")
    result = run("report", "--format", "json", str(goat), str(matomo), str(umami))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(q["query"], q["count"]) for q in data["zero_result_queries"]] == [("vpn", 4), ("fax", 1)]
    assert data["summary"]["malformed_lines"] == 3  # a title past 128 KiB, the nested JSON, a total that is no number
    assert data["summary"]["too_long_lines"] == 1  # the 200 KB row, skipped without being read whole


def test_a_snippets_protocol_relative_script_is_accepted(kb) -> None:
    kb({"kbgen.yml": "analytics:\n  provider: goatcounter\n  script: //gc.zgo.at/count.js\n"
                     "  site_id: https://acme.goatcounter.com/count\n", "content/a.md": "# A\n"})
    assert run("build").exit_code == 0
    assert 'data-script="//gc.zgo.at/count.js"' in Path("site/a/index.html").read_text(encoding="utf-8")
