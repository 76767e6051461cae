"""`kbgen serve` in a real Chromium tab: each kind of save shows up in the open tab by itself."""

from __future__ import annotations

import os
import re

import pytest
from serving import edit

TIMEOUT = 5000  # ms: a save normally shows in well under 100 ms; this is only the give-up point


def main_has(page, text: str) -> None:
    # While the tab moves to another page there is a moment with no <main> yet: wait through it, don't fail on it.
    page.wait_for_function("t => { const m = document.querySelector('main');"
                           " return m !== null && m.innerText.includes(t); }", arg=text, timeout=TIMEOUT)


def overlay(page):
    return page.locator("#kb-live-overlay")


def test_a_body_edit_appears_in_place_without_a_reload(preview, page) -> None:
    page.goto(preview.url + "billing/refunds/")
    page.evaluate("window.sameDocument = true; document.querySelector('main h1').kept = 'yes'")
    edit(preview.root / "content/billing/refunds.md", "refunds unused months", "refunds every unused month")
    main_has(page, "refunds every unused month")
    assert page.evaluate("window.sameDocument") is True  # <main> was brought up to date, the page not reloaded
    assert page.evaluate("document.querySelector('main h1').kept") == "yes"  # unchanged parts untouched
    edit(preview.root / "content/billing/refunds.md", "## Card refunds", "## Card refunds\n\nNew paragraph.")
    main_has(page, "New paragraph.")
    assert page.locator("main h2", has_text="Card refunds").count() == 1
    assert page.errors == []


def test_a_title_change_updates_the_category_page_and_the_neighbours_links(preview, page, browser) -> None:
    page.goto(preview.url + "billing/")
    neighbour = browser.new_page()
    neighbour.goto(preview.url + "billing/invoices/")  # invoices comes before refunds: its "next" is refunds
    edit(preview.root / "content/billing/refunds.md", "title: Refunds", "title: Money back")
    main_has(page, "Money back")
    main_has(neighbour, "Money back")
    assert "Refunds" not in page.locator("main").inner_text()
    neighbour.close()


def test_a_new_article_appears_in_its_category(preview, page) -> None:
    page.goto(preview.url + "billing/")
    (preview.root / "content/billing/payment-methods.md").write_text(
        "---\ntitle: Payment methods\n---\n\nCards and bank transfers.\n", encoding="utf-8")
    main_has(page, "Payment methods")
    page.get_by_role("link", name="Payment methods").click()
    main_has(page, "Cards and bank transfers.")


def test_the_open_search_page_finds_a_new_article_by_itself(preview, page) -> None:
    page.goto(preview.url + "search/?q=zebra")
    page.locator("#kb-search-empty").wait_for(timeout=TIMEOUT)  # nothing about zebras yet
    (preview.root / "content/billing/zebra-pay.md").write_text(
        "---\ntitle: Paying with Zebra\n---\n\nZebra wallets are accepted.\n", encoding="utf-8")
    page.locator("#kb-search-results a", has_text="Paying with Zebra").first.wait_for(timeout=TIMEOUT)
    assert page.url.endswith("search/?q=zebra")
    assert page.errors == []


def test_a_deleted_article_404s_and_links_to_it_become_errors_in_the_overlay(preview, page) -> None:
    page.goto(preview.url + "billing/refunds/")
    (preview.root / "content/billing/refunds.md").unlink()
    overlay(page).wait_for(timeout=TIMEOUT)
    text = overlay(page).inner_text()
    assert "content/getting-started/create-account.md:13" in text and "broken-link" in text
    page.wait_for_function("() => { const m = document.querySelector('main');"
                           " return m !== null && !m.innerText.includes('unused months'); }",
                           timeout=TIMEOUT)
    assert page.request.get(preview.url + "billing/refunds/").status == 404


def test_a_renamed_article_is_followed_by_the_tab(preview, page) -> None:
    page.goto(preview.url + "billing/refunds/")
    os.rename(preview.root / "content/billing/refunds.md", preview.root / "content/billing/money-back.md")
    page.wait_for_url(preview.url + "billing/money-back/", timeout=TIMEOUT)
    main_has(page, "refunds unused months")


def test_a_template_edit_and_a_config_edit_reach_the_open_tab(preview, page) -> None:
    page.goto(preview.url + "billing/refunds/")
    template = preview.root / "themes/acme/templates/article.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "default/article.html" %}\n'
                        '{% block main %}<p class="banner">Preview build</p>{{ super() }}{% endblock %}\n',
                        encoding="utf-8")
    config = preview.root / "kbgen.yml"
    config.write_text(config.read_text(encoding="utf-8") + "theme: acme\n", encoding="utf-8")
    main_has(page, "Preview build")
    edit(template, "Preview build", "Draft build")
    main_has(page, "Draft build")
    edit(config, "site_name: Acme Help", "site_name: Acme Support")
    page.locator(".site-name", has_text="Acme Support").wait_for(timeout=TIMEOUT)


def test_broken_yaml_shows_the_overlay_and_fixing_it_recovers(preview, page) -> None:
    path = preview.root / "content/billing/refunds.md"
    good = path.read_text(encoding="utf-8")
    page.goto(preview.url + "billing/refunds/")
    path.write_text(good.replace("tags: [account, money]", "tags: [account, <b>money"), encoding="utf-8")
    overlay(page).wait_for(timeout=TIMEOUT)
    assert re.search(r"content/billing/refunds\.md:\d+: error\[yaml-syntax\]", overlay(page).inner_text())
    assert page.locator("#kb-live-overlay b").count() == 0  # the file's text is shown, never run as markup
    main_has(page, "refunds unused months")  # the last good page stays
    path.write_text(good.replace("refunds unused months", "refunds fixed months"), encoding="utf-8")
    main_has(page, "refunds fixed months")
    overlay(page).wait_for(state="detached", timeout=TIMEOUT)
    assert page.errors == []


@pytest.mark.parametrize("path", ["/", "/billing/refunds/", "/no/such/page/"])
def test_no_console_errors_on_preview_pages(preview, page, path: str) -> None:
    response = page.goto(preview.url.rstrip("/") + path)
    assert response.status == (404 if "no/such" in path else 200)
    page.wait_for_timeout(100)
    assert page.errors == []
