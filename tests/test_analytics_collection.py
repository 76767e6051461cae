"""A reader's searches, clicks and votes on the published site reach the site's beacon file as documented requests,
and nothing is sent when the reader opted out (Do-Not-Track, Global Privacy Control) or the site turned it off."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import run
from report_helpers import build_golden, reader_session, search_for, wait_until

from kbgen.render.analytics import BEACON_GIF, parse_event, record_event


def beacons(server, endpoint: str = "_kb/e.gif") -> list[tuple[str, list[tuple[str, str]]]]:
    """(method, decoded query pairs in order) of every request for the beacon file."""
    out = []
    for r in server.requests:
        parts = urlsplit(r.path)
        if parts.path == server.prefix + endpoint:
            out.append((r.method, parse_qsl(parts.query, keep_blank_values=True)))
    return out


def wait_for_beacons(page, server, count: int) -> None:
    wait_until(page, lambda: len(beacons(server)) >= count)


@pytest.mark.parametrize("prefix", ["/", "/help/"])
def test_search_click_and_vote_send_the_documented_requests(tmp_path, monkeypatch, serve, page, prefix) -> None:
    site = build_golden(tmp_path, monkeypatch)
    assert (site / "_kb" / "e.gif").read_bytes() == BEACON_GIF
    server = serve(site, prefix)
    page.goto(server.url + "billing/refunds/")
    refund_results = reader_session(page)
    assert refund_results > 0
    wait_for_beacons(page, server, 5)
    page.wait_for_timeout(500)  # and no more than that
    # Each event is its own request; they may reach the server in any order.
    assert sorted(beacons(server)) == sorted([
        ("GET", [("e", "search"), ("q", "refund"), ("n", str(refund_results)), ("l", "en"), ("v", "1")]),
        ("GET", [("e", "search"), ("q", "wombat zzqx"), ("n", "0"), ("l", "en"), ("v", "1")]),
        ("GET", [("e", "search"), ("q", "invoice"), ("n", "1"), ("l", "en"), ("v", "1")]),
        ("GET", [("e", "click"), ("q", "invoice"), ("u", "billing/invoices/"), ("r", "1"), ("v", "1")]),
        ("GET", [("e", "vote"), ("u", "billing/invoices/"), ("h", "0"), ("v", "1")]),
    ])
    beacon = next(r for r in server.requests if "_kb/e.gif" in r.path)
    assert "Cookie" not in beacon.headers
    assert page.url == server.url + "billing/invoices/"
    assert page.errors == []
    assert [p for p in server.paths() if not p.startswith(prefix)] == []


def searches_sent(server) -> list[tuple[str, str]]:
    """(query, result count) of every search event the site's beacon file received."""
    return [(dict(q)["q"], dict(q)["n"]) for _method, q in beacons(server) if dict(q).get("e") == "search"]


@pytest.mark.parametrize("pause", [True, False])
def test_a_search_sent_with_enter_counts_once(tmp_path, monkeypatch, serve, page, pause: bool) -> None:
    """Typed in the header box, maybe left to settle there, then sent with Enter: the results page opens (and is
    reloaded) and the search is still one event, with the results page's count; a different search counts again."""
    site = build_golden(tmp_path, monkeypatch)
    server = serve(site, "/")
    page.goto(server.url + "billing/refunds/")
    search_for(page, "refund")
    if pause:
        page.wait_for_timeout(1800)  # settled in the box: counted on this page already
    with page.expect_navigation():
        page.locator("header input[type=search]").press("Enter")
    assert "?q=refund" in page.url
    page.locator("#kb-search-results .search-result").first.wait_for()
    shown = page.locator("#kb-search-results .search-result").count()
    page.reload()
    page.locator("#kb-search-results .search-result").first.wait_for()
    page.locator("main input[type=search]").fill("invoice")
    page.wait_for_timeout(1800)
    wait_for_beacons(page, server, 2)
    page.wait_for_timeout(500)  # and no more than that
    assert searches_sent(server) == [("refund", str(shown)), ("invoice", "1")]
    assert page.errors == []


@pytest.mark.parametrize("opt_out", ["navigator.doNotTrack", "navigator.globalPrivacyControl"])
def test_nothing_is_sent_when_the_reader_opted_out(tmp_path, monkeypatch, serve, browser, opt_out) -> None:
    site = build_golden(tmp_path, monkeypatch)
    server = serve(site)
    context = browser.new_context()
    value = "'1'" if opt_out.endswith("doNotTrack") else "true"
    context.add_init_script(f"Object.defineProperty(navigator, '{opt_out.split('.')[1]}', {{get: () => {value}}});")
    page = context.new_page()
    page.goto(server.url + "billing/refunds/")
    reader_session(page)
    page.wait_for_timeout(800)
    context.close()
    assert beacons(server) == []
    assert any(p.endswith("assets/analytics.js") for p in server.paths())  # loaded, and stayed quiet


def test_nothing_is_sent_or_written_when_analytics_is_off(tmp_path, monkeypatch, serve, page) -> None:
    site = build_golden(tmp_path, monkeypatch, "analytics: false\n")
    assert not (site / "_kb").exists()
    assert "analytics.js" not in (site / "billing/refunds/index.html").read_text(encoding="utf-8")
    server = serve(site)
    page.goto(server.url + "billing/refunds/")
    reader_session(page)
    page.wait_for_timeout(800)
    assert beacons(server) == []


def test_a_custom_endpoint_gets_the_beacon_file(tmp_path, monkeypatch) -> None:
    site = build_golden(tmp_path, monkeypatch, "analytics:\n  endpoint: /stats/hit.gif\n")
    assert (site / "stats" / "hit.gif").read_bytes() == BEACON_GIF
    assert 'data-endpoint="../../stats/hit.gif"' in (site / "billing/refunds/index.html").read_text(encoding="utf-8")


def test_a_wrong_analytics_setting_names_the_line(kb) -> None:
    kb({"kbgen.yml": "site_name: X\nanalytics:\n  endpont: x.gif\n", "content/a.md": "# A\n"})
    result = run("build")
    assert result.exit_code != 0
    assert "kbgen.yml:2" in result.output and "did you mean 'endpoint'" in result.output


def test_serve_records_valid_events_as_json_lines(tmp_path: Path) -> None:
    cache = tmp_path / ".kbgen"
    assert record_event(cache, "e=search&q=refund%20card&n=2&l=en&v=1", now=1_700_000_000)
    assert record_event(cache, "e=vote&u=billing/refunds/&h=0&v=1", now=1_700_000_001)
    assert not record_event(cache, "e=search&q=x&n=lots&l=en&v=1")  # not a count
    assert not record_event(cache, "e=search&q=x&n=1&l=en")  # no version
    assert not record_event(cache, "e=delete&v=1")
    assert not record_event(cache, "e=search&q=" + "x" * 5000 + "&n=1&v=1")
    lines = (cache / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"e": "search", "q": "refund card", "n": 2, "l": "en", "t": 1_700_000_000},
        {"e": "vote", "u": "billing/refunds/", "h": False, "t": 1_700_000_001},
    ]


def test_long_text_is_cut_not_stored_whole() -> None:
    event = parse_event("e=click&q=" + "a" * 500 + "&u=x/&r=3&v=1")
    assert event is not None and len(event["q"]) == 200 and event["r"] == 3
