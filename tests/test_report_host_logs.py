"""A team publishes the help centre on S3, CloudFront, Caddy or a host with a log drain, gives `kbgen report` the log
that host keeps, and gets the same report as from nginx's log of the same traffic (issue 21).

Each log is written here the way its host documents it, with the site's beacons among ordinary page, asset and
scanner requests; the field lists each reader relies on are in kbgen/report/access.py and jsonlogs.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import run
from report_helpers import report_json

KB = {
    "kbgen.yml": "site_name: Help\n",
    "content/billing/refunds.md": "---\ntitle: Refunds\nupdated: 2026-11-01\n---\nHow to get a refund for a card "
                                  "payment.\n",
    "content/billing/invoices.md": "---\ntitle: Invoices\nupdated: 2026-11-01\n---\nDownload your invoice.\n",
}


def wire(**fields: object) -> str:
    """A beacon's query string as the site's analytics.js writes it (encodeURIComponent)."""
    return "&".join(f"{k}={quote(str(v), safe='')}" for k, v in {**fields, "v": 1}.items())


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, 7, tzinfo=dt.UTC)


#: (when, method, path and query as sent, status): one week of a small help centre.
TRAFFIC = [
    (at(16), "GET", "/", 200),
    (at(16), "GET", "/assets/kbgen.css", 200),
    (at(16), "GET", "/_kb/e.gif?" + wire(e="search", q="wire transfer", n=0, l="en"), 200),
    (at(16, 11), "GET", "/_kb/e.gif?" + wire(e="search", q="Wire transfers", n=0, l="en"), 200),
    (at(17), "GET", "/_kb/e.gif?" + wire(e="search", q="refund card", n=1, l="en"), 200),
    (at(17), "GET", "/_kb/e.gif?" + wire(e="click", q="refund card", u="billing/refunds/", r=1), 200),
    (at(17), "GET", "/billing/refunds/", 200),
    (at(17), "GET", "/billing/refunds/", 304),
    (at(18), "GET", "/_kb/e.gif?" + wire(e="vote", u="billing/refunds/", h=0), 200),
    (at(18), "GET", "/_kb/e.gif?" + wire(e="search", q="mail bob@example.com", n=0, l="en"), 200),
    (at(19), "GET", "/_kb/e.gif?" + wire(e="search", q="ёлка", n=0, l="ru"), 200),
    (at(19), "GET", "/wp-login.php", 404),
    (at(19), "POST", "/xmlrpc.php", 405),
    (at(20), "GET", "/billing/invoices/index.html", 200),
    (at(20), "GET", "/_kb/e.gif?" + wire(e="search", q="invoice", n=1, l="en"), 200),
]


def nginx(path: Path) -> Path:
    path.write_text("".join(
        f'203.0.113.9 - - [{t:%d/%b/%Y:%H:%M:%S} +0000] "{m} {target} HTTP/1.1" {s} 43 "-" "Mozilla/5.0"\n'
        for t, m, target, s in TRAFFIC), encoding="utf-8")
    return path


def s3(path: Path) -> Path:
    """S3 server access log, website endpoint (docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html)."""
    owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    lines = []
    for i, (t, m, target, s) in enumerate(TRAFFIC):
        key = target.split("?")[0].lstrip("/") or "index.html"
        lines.append(f'{owner} help.example.com [{t:%d/%b/%Y:%H:%M:%S} +0000] 192.0.2.3 - 3E57427F3EXAMPLE{i} '
                     f'WEBSITE.{m}.OBJECT {quote(key)} "{m} {target} HTTP/1.1" {s} - 43 43 7 6 "-" '
                     f'"Mozilla/5.0 (X11)" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP= - - - '
                     f'help.example.com.s3-website-us-east-1.amazonaws.com - - - -\n')
    path.write_text("".join(lines), encoding="utf-8")
    return path


#: The 33 fields of a CloudFront standard log, in the documented order.
CLOUDFRONT_FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
                     "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header "
                     "cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher "
                     "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port "
                     "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start "
                     "sc-range-end")


def cloudfront_encode(text: str) -> str:
    """CloudFront's own encoding of a field value: `%`, space, control and non-ASCII bytes and a few others."""
    special = set('<>"#%{}|\\^~[]`\' ')
    return "".join(f"%{b:02X}" if b <= 32 or b >= 127 or chr(b) in special else chr(b) for b in text.encode())


def cloudfront(path: Path) -> Path:
    """A CloudFront standard log file as delivered: gzip, W3C header lines, tab-separated."""
    rows = ["#Version: 1.0", "#Fields: " + CLOUDFRONT_FIELDS]
    for i, (t, m, target, s) in enumerate(TRAFFIC):
        stem, _, query = target.partition("?")
        cells = [f"{t:%Y-%m-%d}", f"{t:%H:%M:%S}", "FRA56-C1", "512", "192.0.2.183", m, "d111111abcdef8.cloudfront.net",
                 cloudfront_encode(stem), str(s), "https://help.example.com/", "Mozilla/5.0%20(X11)",
                 cloudfront_encode(query) if query else "-", "-", "Hit", f"req{i}==", "help.example.com", "https",
                 "300", "0.002", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/2.0", "-", "-", "50432",
                 "0.002", "Hit", "image/gif", "43", "-", "-"]
        rows.append("\t".join(cells))
    path.write_bytes(gzip.compress(("\n".join(rows) + "\n").encode()))
    return path


def caddy(path: Path) -> Path:
    """Caddy's JSON access log (the default format of a `log { output file … }`)."""
    lines = [json.dumps({"level": "info", "ts": t.timestamp(), "logger": "http.log.access.log0",
                         "msg": "handled request",
                         "request": {"remote_ip": "203.0.113.9", "remote_port": "51234", "client_ip": "203.0.113.9",
                                     "proto": "HTTP/2.0", "method": m, "host": "help.example.com", "uri": target,
                                     "headers": {"User-Agent": ["Mozilla/5.0"]}},
                         "bytes_read": 0, "user_id": "", "duration": 0.0004, "size": 43, "status": s,
                         "resp_headers": {"Content-Type": ["image/gif"]}}) for t, m, target, s in TRAFFIC]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def vercel_drain(path: Path) -> Path:
    """What a Vercel log drain (NDJSON delivery) posts for static requests, saved as received."""
    lines = [json.dumps({"id": f"157381718733037706171730000{i}", "deploymentId": "dpl_233NRGRjVZX1caZrXWtz5g1TAksD",
                         "source": "static", "host": "help.example.com", "timestamp": int(t.timestamp() * 1000),
                         "projectId": "gdufoJxB6b9b1fEqr1jUtFkyavUU", "level": "info", "environment": "production",
                         "proxy": {"timestamp": int(t.timestamp() * 1000), "method": m, "host": "help.example.com",
                                   "path": target, "userAgent": ["Mozilla/5.0"], "region": "fra1",
                                   "statusCode": s, "scheme": "https", "vercelCache": "HIT"}})
             for i, (t, m, target, s) in enumerate(TRAFFIC)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def netlify_drain(path: Path) -> Path:
    """Traffic records of the shape Netlify's log drains post (`url`, `status_code`, ISO `timestamp`), one JSON
    array per delivered batch, as a drain receiver that saves each POST body as a line keeps them."""
    records = [{"log_type": "traffic", "timestamp": t.isoformat().replace("+00:00", "Z"), "method": m, "url": target,
                "status_code": s, "response_size": 43, "request_id": f"01H{i}", "content_type": "text/html"}
               for i, (t, m, target, s) in enumerate(TRAFFIC)]
    path.write_text(json.dumps(records[:7]) + "\n" + json.dumps(records[7:]) + "\n", encoding="utf-8")
    return path


def searches(data: dict) -> dict:
    """What the report says about readers, without the parts that describe the files themselves."""
    summary = {k: data["summary"][k] for k in ("events", "page_views", "searches", "zero_result_searches",
                                               "first_day", "last_day")}
    return {"summary": summary, **{k: data[k] for k in ("zero_result_queries", "no_click_queries",
                                                       "unhelpful_articles", "weekly_searches")}}


@pytest.mark.parametrize("write", [s3, cloudfront, caddy, vercel_drain, netlify_drain])
def test_each_hosts_log_gives_the_report_nginx_gives(kb, tmp_path, write) -> None:
    kb(KB)
    expected = report_json(str(nginx(tmp_path / "access.log")))
    assert expected["summary"]["events"] == 8 and expected["summary"]["page_views"] == 4
    assert {q["query"] for q in expected["zero_result_queries"]} == {"wire transfer", "mail [email]", "ёлка"}

    log = write(tmp_path / {cloudfront: "E2EXAMPLE.2026-11-16-10.a1b2c3.gz"}.get(write, f"{write.__name__}.log"))
    data = report_json(str(log))
    assert searches(data) == searches(expected)
    assert data["summary"]["malformed_lines"] == 0 and data["summary"]["warnings"] == []


def test_log_format_overrides_what_the_content_suggests(kb, tmp_path) -> None:
    kb(KB)
    log = s3(tmp_path / "access.log")
    assert report_json(str(log), "--log-format", "s3")["summary"]["events"] == 8
    result = run("report", str(log), "--log-format", "cloudfront", "--format", "json")
    assert result.exit_code == 1
    assert f"{log}: read as a CloudFront standard log (W3C, tab-separated) (as --log-format says)" in result.stderr


def test_a_file_of_another_format_is_named_with_what_was_expected(kb, tmp_path) -> None:
    kb(KB)
    good = nginx(tmp_path / "access.log")
    other = tmp_path / "haproxy.log"  # a format kbgen does not read: every line is skipped
    other.write_text("Nov 20 10:00:07 lb haproxy[7]: 203.0.113.9:51234 [20/Nov/2026:10:00:07.012] web app/s1 "
                     "0/0/1/2/3 200 43 - - ---- 1/1/0/0/0 0/0 \"GET /_kb/e.gif?e=search&q=vpn&n=0&l=en&v=1 "
                     "HTTP/1.1\"\n" * 3)
    result = run("report", str(good), str(other), "--format", "json")
    assert result.exit_code == 0, result.output
    assert (f"warning: {other}: warning[log-no-events]: no search event in it: read as an nginx/Apache access log "
            "(combined or common format) (told by its content), expected requests for /_kb/e.gif?e=…&v=1 (the site's "
            "search beacon); 3 lines did not match that format") in result.stderr
    assert json.loads(result.stdout)["summary"]["events"] == 8


def test_when_no_line_of_any_log_can_be_read_the_report_fails(kb, tmp_path) -> None:
    """Issue 18: the report exited 0 with an empty page when it could read nothing it was given."""
    kb(KB)
    junk = tmp_path / "junk.log"
    junk.write_text("not a log line\nnor this one\n")
    empty = tmp_path / "events.csv"
    empty.write_text("query,count,results\n")
    result = run("report", str(junk), str(empty))
    assert result.exit_code == 1
    assert "error[log-no-events]: not one of the 3 lines of the logs given could be read" in result.stderr
    assert f"{junk}: read as an nginx/Apache access log" in result.stderr
    assert f"{empty}: read as a CSV of searches (query,count[,results]) (told by its content), expected rows of " \
           "query,count[,results]" in result.stderr
    assert "hint: give the logs of the host that serves the site" in result.stderr
    assert "Traceback" not in result.output


def test_a_log_with_pages_but_no_beacon_warns_and_still_reports(kb, tmp_path) -> None:
    kb(KB)
    log = tmp_path / "access.log"
    log.write_text('203.0.113.9 - - [20/Nov/2026:10:00:00 +0000] "GET /billing/refunds/ HTTP/1.1" 200 9 "-" "UA"\n')
    result = run("report", str(log), "--format", "json")
    assert result.exit_code == 0
    assert "warning[log-no-events]: no search event in it" in result.stderr
    assert json.loads(result.stdout)["summary"]["page_views"] == 1
