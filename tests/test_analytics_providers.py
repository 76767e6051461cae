"""A team that already runs Plausible, Umami, Matomo or GoatCounter names it in kbgen.yml: the site reports searches
(with their result counts), result clicks and votes through that tool's page API, masked as the report masks them,
never when the reader opted out; and `kbgen report` reads back what the tool received, from the tool's export.

The tools' scripts are test doubles served by a second server on 127.0.0.1, as the real ones come from another
host: each defines the tool's documented page API and sends every call it gets to its own server, where the test
reads them (a call made just before the browser follows a link still arrives, as the real tools' requests do)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run
from report_helpers import build_golden, reader_session, report_json, search_for, wait_until

from kbgen.report.logs import search_text

ANALYTICS_JS = Path(__file__).parent.parent / "kbgen" / "themes" / "default" / "assets" / "analytics.js"
NODE = shutil.which("node")

_RECORD = "function rec(call) { navigator.sendBeacon(new URL(me.src).origin + '/api/calls', JSON.stringify(call)); }"
#: Test doubles of the tools' scripts: the page API each tool documents, recording what it is called with.
STUBS = {
    # Plausible's script replays the calls its snippet's queue function kept (plausible.q).
    "plausible.js": f"""(function () {{ var me = document.currentScript; {_RECORD}
      rec({{load: {{domain: me.getAttribute('data-domain')}}}});
      var queued = (window.plausible && window.plausible.q) || [];
      window.plausible = function (name, options) {{ rec({{call: [name, options]}}); }};
      queued.forEach(function (args) {{ window.plausible.apply(null, args); }});
    }})();""",
    "umami.js": f"""(function () {{ var me = document.currentScript; {_RECORD}
      rec({{load: {{website: me.getAttribute('data-website-id')}}}});
      window.umami = {{track: function (name, data) {{ rec({{call: [name, data]}}); }}}};
    }})();""",
    # matomo.js runs the commands already in _paq, then replaces it with an object whose push() runs them.
    "matomo.js": f"""(function () {{ var me = document.currentScript; {_RECORD}
      rec({{load: {{}}}});
      var queued = window._paq || [];
      window._paq = {{push: function (command) {{ rec({{call: command}}); }}}};
      queued.forEach(function (command) {{ window._paq.push(command); }});
    }})();""",
    "count.js": f"""(function () {{ var me = document.currentScript; {_RECORD}
      rec({{load: {{endpoint: me.getAttribute('data-goatcounter')}}}});
      window.goatcounter = window.goatcounter || {{}};
      window.goatcounter.count = function (vars) {{ rec({{call: vars}}); }};
    }})();""",
}
#: The search that finds nothing: a card number in it is masked before the tool sees it.
ZERO_QUERY = "wombat 4111 1111 1111 1111"
SCRIPTS = {"plausible": "plausible.js", "umami": "umami.js", "matomo": "matomo.js", "goatcounter": "count.js"}
SITE_IDS = {"plausible": "help.acme.test", "umami": "0f6a3c1e-5b1d-4c55-9a2e-2a1f0c0d9e11", "matomo": "7",
            "goatcounter": "https://acme.goatcounter.com/count"}


@pytest.fixture
def tool(tmp_path, serve):
    """The analytics tool's host: its scripts, and every call its page API was given."""
    folder = tmp_path / "tool"
    folder.mkdir()
    for name, text in STUBS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return serve(folder)


def provider_config(provider: str, tool) -> str:
    return (f"analytics:\n  provider: {provider}\n  script: {tool.url}{SCRIPTS[provider]}\n"
            f"  site_id: '{SITE_IDS[provider]}'\n")


def received(tool) -> list[dict]:
    return [json.loads(r.body) for r in tool.requests if r.path == "/api/calls"]


def calls(tool) -> list:
    return [item["call"] for item in received(tool) if "call" in item]


def expected_calls(provider: str, tool, found: int) -> list:
    """What each tool's page API must be given for `reader_session`, in its own documented form."""
    searches = [("refund", found), ("wombat [number]", 0), ("invoice", 1)]
    click, vote = ("invoice", "billing/invoices/", 1), "billing/invoices/"
    if provider == "plausible":
        return [*(["KB Search", {"props": {"query": q, "results": str(n), "lang": "en",
                                           "kbgen": f"kbgen:search|{n}|en|{q}"}}] for q, n in searches),
                ["KB Search Click", {"props": {"query": "invoice", "url": vote, "rank": "1",
                                               "kbgen": f"kbgen:click|1|{vote}|invoice"}}],
                ["KB Vote", {"props": {"url": vote, "helpful": "no", "kbgen": f"kbgen:vote|0|{vote}"}}]]
    if provider == "umami":
        return [*(["kb-search", {"query": q, "results": n, "lang": "en", "kbgen": f"kbgen:search|{n}|en|{q}"}]
                  for q, n in searches),
                ["kb-search-click", {"query": "invoice", "url": vote, "rank": 1,
                                     "kbgen": f"kbgen:click|1|{vote}|invoice"}],
                ["kb-vote", {"url": vote, "helpful": False, "kbgen": f"kbgen:vote|0|{vote}"}]]
    if provider == "matomo":
        setup = [["disableCookies"], ["trackPageView"], ["enableLinkTracking"],
                 ["setTrackerUrl", f"{tool.url}matomo.php"], ["setSiteId", "7"]]
        return [*setup, *setup,  # two pages loaded: the one searched on, and the article followed
                *(["trackSiteSearch", q, "en", n] for q, n in searches),
                ["trackEvent", "kbgen", "search click", click[1], 1],
                ["trackEvent", "kbgen", "not helpful", vote]]
    return [*({"path": f"kbgen:search|{n}|en|{q}", "title": f"Search: {q} ({n})", "event": True}
              for q, n in searches),
            {"path": f"kbgen:click|1|{vote}|invoice", "title": f"Search click: invoice → {vote}", "event": True},
            {"path": f"kbgen:vote|0|{vote}", "title": f"Not helpful: {vote}", "event": True}]


def export_of(provider: str, got: list, folder: Path) -> Path:
    """What the tool received, written as the tool exports it (see kbgen/report/tools.py)."""
    if provider == "plausible":
        path = folder / "custom_props.csv"
        rows = ["property,value,visitors,events,percentage"]
        rows += [f'kbgen,"{props["props"]["kbgen"]}",1,1,10' for _name, props in got]
    elif provider == "umami":
        path = folder / "kb-search.json"
        path.write_text(json.dumps([{"value": data["kbgen"], "total": 1} for _name, data in got]), encoding="utf-8")
        return path
    elif provider == "matomo":
        path = folder / "Actions.getSiteSearchNoResultKeywords.csv"
        rows = ["label,nb_visits"] + [f'"{c[1]}",1' for c in got if c[0] == "trackSiteSearch" and c[3] == 0]
    else:
        path = folder / "goatcounter.csv"
        rows = ["2,Path,Title,Event,User-Agent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,"
                "Location,FirstVisit,Date"]
        rows += [f'"{c["path"]}",x,true,,,,s,0,,,,,false,2026-12-01T10:00:00Z' for c in got]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def wait_for_calls(page, tool, count: int) -> None:
    wait_until(page, lambda: len(calls(tool)) >= count)
    page.wait_for_timeout(500)  # and no more than that


#: Half the tools are tried with Do-Not-Track on, half with Global Privacy Control.
OPT_OUTS = {"plausible": "doNotTrack", "umami": "globalPrivacyControl", "matomo": "globalPrivacyControl",
            "goatcounter": "doNotTrack"}


@pytest.mark.parametrize("provider", list(SCRIPTS))
def test_each_tool_gets_searches_clicks_and_votes_unless_the_reader_opted_out(
        provider, tmp_path, monkeypatch, serve, tool, browser) -> None:
    site = build_golden(tmp_path, monkeypatch, provider_config(provider, tool))
    assert not (site / "_kb").exists()  # no beacon file: the tool collects
    server = serve(site, "/help/")

    # A reader who asked not to be tracked: a search, a click on its first result, a vote. The tool's script is
    # not even loaded.
    context = browser.new_context()
    value = "'1'" if OPT_OUTS[provider] == "doNotTrack" else "true"
    context.add_init_script(f"Object.defineProperty(navigator, '{OPT_OUTS[provider]}', {{get: () => {value}}});")
    page = context.new_page()
    page.goto(server.url + "billing/refunds/")
    search_for(page, "invoice")
    with page.expect_navigation():
        page.locator("#kb-search-popup .search-option").first.click()
    page.locator("[data-kbgen-feedback] [data-kbgen-vote=no]").click()
    page.wait_for_timeout(800)
    context.close()
    assert tool.requests == []

    # Any other reader.
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "billing/refunds/")
    found = reader_session(page, ZERO_QUERY)
    expected = expected_calls(provider, tool, found)
    wait_for_calls(page, tool, len(expected))
    assert found > 0
    assert sorted(map(json.dumps, calls(tool))) == sorted(map(json.dumps, expected))  # requests may cross
    loads = [list(item["load"].values()) for item in received(tool) if "load" in item]
    assert loads == [[SITE_IDS[provider]]] * 2 if provider != "matomo" else loads == [[]] * 2  # two pages
    assert context.cookies() == []
    assert errors == []
    assert not [p for p in server.paths() if "_kb/e.gif" in p]
    context.close()

    # What the tool received, exported as the tool exports it, is what `kbgen report` reads.
    data = report_json(str(export_of(provider, calls(tool), tmp_path)))
    assert [(q["query"], q["count"]) for q in data["zero_result_queries"]] == [("wombat [number]", 1)]


def test_a_snippet_the_team_adds_through_its_theme_gets_the_events(tmp_path, monkeypatch, serve, tool, page) -> None:
    """Without `script`, the site loads nothing itself: the tool's own snippet, added by the team's theme, does."""
    theme = {"themes/acme/templates/base.html": '{% extends "default/base.html" %}{% block head %}<script defer '
             f'data-domain="help.acme.test" src="{tool.url}plausible.js"></script>{{% endblock %}}'}
    site = build_golden(tmp_path, monkeypatch, "theme: acme\nanalytics:\n  provider: plausible\n", theme)
    html = (site / "billing" / "refunds" / "index.html").read_text(encoding="utf-8")
    assert 'data-provider="plausible"' in html and "data-script" not in html
    server = serve(site)
    page.goto(server.url + "billing/refunds/")
    search_for(page, "refund")
    page.wait_for_timeout(1800)
    wait_for_calls(page, tool, 1)
    assert [name for name, _props in calls(tool)] == ["KB Search"]
    assert page.errors == []


@pytest.mark.parametrize(("settings", "message"), [
    ("analytics:\n  provider: plausable\n", "did you mean 'plausible'"),
    ("analytics:\n  script: https://plausible.io/js/script.js\n", "say which with 'provider'"),
    ("analytics:\n  provider: umami\n  script: https://cloud.umami.is/script.js\n", "needs 'site_id'"),
    ("analytics:\n  provider: goatcounter\n  site_id: acme\n", "https://MYCODE.goatcounter.com/count"),
    ("analytics:\n  provider: matomo\n  script: matomo.js\n  site_id: 1\n", "expected an absolute URL"),
])
def test_a_provider_setting_that_cannot_work_names_the_line(kb, settings: str, message: str) -> None:
    kb({"kbgen.yml": "site_name: X\n" + settings, "content/a.md": "# A\n"})
    result = run("build")
    assert result.exit_code == 1
    assert "kbgen.yml:2" in result.output and message in result.output, result.output


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_page_masks_a_search_exactly_as_the_report_does() -> None:
    """analytics.js's searchText and kbgen.report.logs.search_text agree on texts built to hit their edges: the cut
    at 200 characters, numbers across it, e-mails, phone numbers, non-Latin words and digits, odd spaces."""
    rng = random.Random(21)
    pieces = ["card", "4111", " ", "  ", "1111-2222", "+7 (912) 345-67-89", "bob@example.com", "a.b+c@d-e.ru",
              "ошибка", "0x80070005", "12345", "١٢٣٤٥", "２０２６", "\u00a0", "\u2003", "\x1c", "\x85", "\ufeff",
              "é", "日本語", "😀", "_", "-", ".", "(", ")", "x" * 40, "word", "\t", "\n",
              "bob@localhost", "card4111111111111111", "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432",
              "KB5034441", "𝟎𝟏𝟐𝟑𝟒"]
    cases = ["", "  refund  ", "mail bob@example.com re 4111 1111 1111 1111"]
    cases += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(1500)]
    script = (f"const a = require({json.dumps(str(ANALYTICS_JS))});"
              "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(cases.map(a.searchText)));")
    out = subprocess.run([NODE, "-e", script], input=json.dumps(cases), capture_output=True, text=True, timeout=60,
                         check=True).stdout
    differ = [(c, page, search_text(c)) for c, page in zip(cases, json.loads(out), strict=True)
              if page != search_text(c)]
    assert differ == []
