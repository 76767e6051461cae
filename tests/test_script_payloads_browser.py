"""Script payloads everywhere a writer or a reader can type, and not one runs (issue 18): a site whose titles,
descriptions, tags, headings, link text and targets, category names and config texts carry `<img onerror>`,
`"><script>` and `javascript:` is opened page by page in Chromium, and its search box is fed the same payloads.
Every payload would set `window.__pwned` or open a dialog; both are watched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import build_site_in

FLAG = "window.__pwned=1"
PAYLOADS = [f'<img src=x onerror="{FLAG};alert(1)">', f'"><script>{FLAG};alert(2)</script>',
            f"'><svg onload={FLAG}>", f"javascript:{FLAG};alert(3)"]
ALL = " ".join(PAYLOADS)


def _y(text: str) -> str:
    return json.dumps(text)  # JSON is YAML: any payload as one quoted scalar


SITE = {
    "kbgen.yml": f"site_name: {_y('Acme ' + PAYLOADS[1])}\ndescription: {_y(ALL)}\n"
                 f"support_email: {_y('help@acme.test' + PAYLOADS[0])}\n"
                 f"footer_links:\n  {_y(PAYLOADS[0])}: https://acme.test/?q={PAYLOADS[2]}\n"
                 "severity: {unsafe-url: warning, broken-link: warning, missing-file: warning, "
                 "missing-image: warning}\n",
    "content/index.md": f"---\ntitle: {_y('Home ' + PAYLOADS[0])}\n---\n\nWelcome.\n",
    "content/billing/_category.yml": f"title: {_y('Billing ' + PAYLOADS[1])}\ndescription: {_y(ALL)}\n",
    "content/billing/refunds.md": f"""---
title: {_y('Refunds ' + ALL)}
description: {_y(ALL)}
tags: [{_y(PAYLOADS[0])}, {_y(PAYLOADS[1])}, money]
---

Intro with [{PAYLOADS[0].replace('"', '')}](faq.md) and [a target](<javascript:{FLAG}>),
[an encoded one](javascript%3Awindow.__pwned%3D1), <javascript:alert(4)> and ![{PAYLOADS[2]}](data:text/html,x).

## Heading \\<img src=x onerror="{FLAG}"\\> `{PAYLOADS[1]}`

Answer with `{PAYLOADS[3]}` in code.

- [x] Task {PAYLOADS[2].replace('<', '&lt;')}
""",
    "content/billing/faq.md": f"""---
title: {_y('FAQ ' + PAYLOADS[2])}
type: faq
tags: [money]
---

## Question \\"><script>{FLAG}</script\\>?

Yes, see [refunds](refunds.md).
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site_in(tmp_path_factory.mktemp("kb"), SITE)


_WATCH = """() => ({
    pwned: window.__pwned === 1,
    runnable: Array.from(document.querySelectorAll('[href], [src], [action]'))
        .map(e => e.href || e.src || e.action || '').filter(u => /^\\s*(javascript|data|vbscript):/i.test(u)),
    handlers: Array.from(document.querySelectorAll('*'))
        .flatMap(e => Array.from(e.attributes).filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name)),
})"""


def _check(page, where: str, dialogs: list[str]) -> list[str]:
    page.wait_for_timeout(50)
    seen = page.evaluate(_WATCH)
    problems = [f"{where}: a dialog opened: {d}" for d in dialogs]
    problems += [f"{where}: window.__pwned was set"] if seen["pwned"] else []
    problems += [f"{where}: runnable URL {u}" for u in seen["runnable"]]
    problems += [f"{where}: handler attribute {h}" for h in seen["handlers"]]
    dialogs.clear()
    return problems


def test_no_payload_runs_on_any_page(site: Path, serve, page) -> None:
    server = serve(site, "/")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    problems = []
    for rel in pages:
        page.goto(server.url + rel)
        page.wait_for_load_state("load")
        problems += _check(page, rel, dialogs)
    print(f"payloads: {len(pages)} pages opened, {len(problems)} problems")
    assert len(pages) >= 9  # home, category, two articles, tag pages, tags, search, 404
    assert problems == [], "\n".join(problems)
    page.goto(server.url + "billing/refunds/")  # the payloads are there, as text
    assert page.locator("h1").inner_text().startswith('Refunds <img src=x onerror="window.__pwned=1;alert(1)">')


def test_no_payload_typed_into_search_runs(site: Path, serve, page) -> None:
    server = serve(site, "/")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    problems = []
    page.goto(server.url + "billing/refunds/")
    for query in [*PAYLOADS, "refunds", "Refunds <img"]:  # the last two find the article whose title is payloads
        box = page.locator("header input[name=q]")
        box.fill("")
        box.press_sequentially(query, delay=5)
        page.wait_for_function("() => !document.getElementById('kb-search-popup').hidden")
        page.wait_for_timeout(200)
        problems += _check(page, f"popup for {query!r}", dialogs)
        box.press("Enter")  # the results page, with the query in its address
        page.wait_for_url("**/search/**")
        page.wait_for_function("() => document.getElementById('kb-search-status').textContent !== ''")
        problems += _check(page, f"results page for {query!r}", dialogs)
        page.goto(server.url + "billing/refunds/")
    assert problems == [], "\n".join(problems)
