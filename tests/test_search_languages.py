"""Search on a help centre in two languages: each language searches its own articles, and a result leads to the
article (not to a doubled language folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_site_in

KB = {
    "kbgen.yml": "site_name: Acme Help\nlanguages: [en, ru]\n",
    "content/en/billing/refunds.md": "---\ntitle: Refunds\n---\nAsk for a refund within 30 days.\n",
    "content/ru/billing/refunds.md": "---\ntitle: Возврат денег\n---\nВернуть деньги можно в течение 30 дней.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site_in(tmp_path_factory.mktemp("kb"), KB)


@pytest.mark.parametrize("lang, query, title", [("en", "refund", "Refunds"), ("ru", "деньги", "Возврат денег")])
def test_a_result_opens_the_article_in_the_readers_language(site, serve, page, lang, query, title) -> None:
    server = serve(site, "/help/")
    page.goto(f"{server.url}{lang}/billing/refunds/")
    box = page.locator("header input[name=q]")
    box.click()
    box.press_sequentially(query, delay=20)
    option = page.locator("#kb-search-popup .search-option").first
    option.wait_for()
    assert page.locator("#kb-search-popup .search-title").all_inner_texts() == [title]
    option.click()
    page.wait_for_url(f"{server.url}{lang}/billing/refunds/**")
    assert page.locator("h1").inner_text() == title
    assert page.errors == []
