"""Search as a reader uses it, in Debian's Chromium: type, see results, press Enter, go back, follow a deep link,
misspell, search in Russian, paste markup; over HTTP, under /help/ and from file://."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, build_site_in, run

FILLER = "\n\n".join(f"Paragraph {i} about accounts and settings in general." for i in range(60))

KB = {
    "kbgen.yml": "site_name: Acme Help\nsupport_url: https://example.com/support\n",
    "content/account/reset-password.md": f"""\
---
title: Reset your password
---
If you forgot your password, open the sign-in page.

{FILLER}

## Use the email link

We send a confirmation link that works for one hour.

{FILLER}
""",
    "content/billing/refunds.md": "---\ntitle: Refunds\n---\nAsk for a refund within 30 days.\n",
    "content/guides/stati.md": "---\ntitle: Как писать\n---\nЭта статья о том, как писать для базы знаний.\n",
    "content/hardware/arduino.md": "---\ntitle: Arduino boards\n---\nConnect the board over USB.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site_in(tmp_path_factory.mktemp("kb"),
                         {k: textwrap.dedent(v) if k.endswith(".yml") else v for k, v in KB.items()})


def _type(page, text: str) -> None:
    box = page.locator("header input[name=q]")
    box.click()
    box.press_sequentially(text, delay=20)


def _popup_titles(page) -> list[str]:
    """The popup's titles once it answers the whole query typed so far: every keystroke gets its own answer, and
    on a busy machine the answer to a prefix ("refu") can still be showing."""
    page.wait_for_function("""() => {
        const box = document.querySelector('header input[name=q]');
        const popup = document.getElementById('kb-search-popup');
        const all = popup && !popup.hidden && popup.querySelector('.search-all');
        return !!all && all.getAttribute('href').endsWith('?q=' + encodeURIComponent(box.value));
    }""")
    return page.locator("#kb-search-popup .search-title").all_inner_texts()


def test_typing_shows_results_and_enter_opens_the_results_page(site, serve, page) -> None:
    server = serve(site)
    page.goto(server.url)
    page.evaluate("""window.events = [];
        for (const t of ['kb:search', 'kb:click'])
          document.addEventListener(t, e => window.events.push([t, e.detail]));""")
    _type(page, "passw")  # the last word is a prefix while typing
    assert _popup_titles(page)[0] == "Reset your password"
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=passw")
    page.locator("#kb-search-results .search-title").first.wait_for()
    assert page.locator("#kb-search-status").inner_text().startswith("1 result")
    page.locator("#kb-search-results a").first.click()
    page.wait_for_url("**/account/reset-password/")
    page.go_back()
    page.wait_for_url("**/search/?q=passw")
    page.locator("#kb-search-results .search-title").first.wait_for()
    assert page.locator("#kb-search-results .search-title").all_inner_texts() == ["Reset your password"]
    assert page.locator("main input[name=q]").input_value() == "passw"
    assert page.errors == []


def test_arrows_and_enter_follow_a_result_and_report_it(site, serve, page) -> None:
    server = serve(site)
    page.goto(server.url + "guides/stati/")
    page.evaluate("""window.events = [];
        for (const t of ['kb:search', 'kb:click'])
          document.addEventListener(t, e => window.events.push([t, e.detail]));
        window.addEventListener('beforeunload', () => sessionStorage.events = JSON.stringify(window.events));""")
    _type(page, "refund")
    _popup_titles(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/billing/refunds/")
    events = page.evaluate("JSON.parse(sessionStorage.events)")
    assert events == [["kb:search", {"q": "refund", "n": 1, "lang": "en"}],
                      ["kb:click", {"q": "refund", "url": "billing/refunds/", "rank": 1}]]


def test_escape_closes_and_slash_focuses(site, serve, page) -> None:
    server = serve(site)
    page.goto(server.url)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type("refund")
    _popup_titles(page)
    page.keyboard.press("Escape")
    assert page.locator("#kb-search-popup").is_hidden()


def test_a_result_opens_its_section_scrolled_into_view(site, serve, page) -> None:
    server = serve(site)
    page.goto(server.url + "search/?q=confirmation+link")
    link = page.locator("#kb-search-results a").first
    link.wait_for()
    assert link.get_attribute("href").endswith("account/reset-password/#use-the-email-link")
    assert "confirmation" in link.locator("mark").all_inner_texts()
    link.click()
    page.wait_for_url("**/account/reset-password/#use-the-email-link")
    heading = page.locator("#use-the-email-link")
    page.wait_for_function("document.getElementById('use-the-email-link').getBoundingClientRect().top < 200")
    assert heading.is_visible() and page.evaluate("window.scrollY") > 500


@pytest.mark.parametrize(("query", "title"), [("pasword", "Reset your password"), ("статьями", "Как писать"),
                                              ("adruino", "Arduino boards")])
def test_misspelt_and_inflected_queries_find_their_article(site, serve, page, query, title) -> None:
    server = serve(site)
    page.goto(server.url)
    _type(page, query)
    assert _popup_titles(page)[0] == title


def test_markup_in_a_query_is_shown_as_text(site, serve, page) -> None:
    server = serve(site)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    evil = "<img src=x onerror=alert(1)>"
    page.goto(server.url)
    _type(page, evil)
    page.locator("#kb-search-popup").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.locator("#kb-search-status").filter(has_text="result").wait_for()
    assert page.locator("main input[name=q]").input_value() == evil
    assert page.locator("main img, #kb-search-popup img").count() == 0
    assert dialogs == [] and page.errors == []


def test_no_result_offers_popular_articles_and_support(site, serve, page) -> None:
    server = serve(site)
    page.goto(server.url + "search/?q=zzqx")
    page.locator("#kb-search-status").filter(has_text="0 results").wait_for()
    empty = page.locator("#kb-search-empty")
    assert empty.is_visible()
    assert set(empty.locator(".search-popular a").all_inner_texts()) >= {"Refunds", "Reset your password"}
    assert empty.locator("a[href='https://example.com/support']").count() == 1


def test_empty_state_offers_did_you_mean(site, serve, page) -> None:
    server = serve(site)
    page.goto(server.url + "search/?q=rfund+xq")
    page.locator("#kb-search-results .search-title, #kb-search-empty a").first.wait_for()
    assert page.locator(".search-suggestion a").first.inner_text() == "refund xq"


def test_did_you_mean_re_runs_the_search_in_one_click(site, serve, page) -> None:
    server = serve(site)
    page.goto(server.url + "search/?q=adruino+boards")
    page.locator("#kb-search-results .search-title").first.wait_for()
    link = page.locator("#kb-search-status .search-suggestion a")
    assert link.inner_text() == "arduino boards"
    link.click()
    page.wait_for_url("**/search/?q=arduino%20boards")
    page.wait_for_function("!document.querySelector('#kb-search-status .search-suggestion')")
    assert page.locator("main input[name=q]").input_value() == "arduino boards"
    assert page.locator("#kb-search-results .search-title").all_inner_texts() == ["Arduino boards"]
    page.go_back()  # the search before the correction is one step back
    page.wait_for_url("**/search/?q=adruino+boards")
    page.locator("#kb-search-status .search-suggestion").wait_for()
    assert page.errors == []


def test_excerpts_mark_the_words_that_matched_in_any_form(site, serve, page) -> None:
    """Corrected (`adruino`), inflected (`статьями`), or only in the title: the reader sees what matched."""
    server = serve(site)
    for query, marked in (("adruino", "Arduino"), ("статьями", "статья"), ("refunds", "refund")):
        page.goto(server.url + "search/?q=" + query)
        page.locator("#kb-search-results .search-title").first.wait_for()
        first = page.locator("#kb-search-results .search-result").first
        assert marked in first.locator("mark").all_inner_texts(), query


def test_a_question_to_our_own_help_centre_finds_its_article_first(tmp_path, serve, page, monkeypatch) -> None:
    """Question words and a typo in the subject: the Netlify article still comes first, not the FAQ that says
    "How do I" in every heading."""
    for name in ("content", "themes"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "kbgen.yml", tmp_path / "kbgen.yml")
    monkeypatch.chdir(tmp_path)
    assert run("build", "-q").exit_code == 0
    server = serve(tmp_path / "site")
    page.goto(server.url + "en/")
    _type(page, "how do I publish to netlfy")
    assert _popup_titles(page)[0] == "Netlify"


def test_search_works_under_a_sub_path(site, serve, page) -> None:
    server = serve(site, "/help/")
    page.goto(server.url + "billing/refunds/")
    _type(page, "refund")
    assert _popup_titles(page) == ["Refunds"]
    assert [p for p in server.paths() if not p.startswith("/help/")] == []


def test_search_works_from_file(site, page) -> None:
    page.goto((site / "index.html").as_uri())
    _type(page, "password")
    assert _popup_titles(page)[0] == "Reset your password"
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/index.html?q=password")
    page.locator("#kb-search-results .search-title").first.wait_for()
    assert page.errors == []


def test_the_results_page_shows_more_on_request(tmp_path, serve, page) -> None:
    widgets = {f"content/widget-{i:02}.md": f"---\ntitle: Widget {i}\n---\nThe widget number {i}.\n" for i in range(25)}
    site = build_site_in(tmp_path, widgets)
    server = serve(site)
    page.goto(server.url + "search/?q=widget")
    page.locator("#kb-search-status").filter(has_text="25 results").wait_for()
    assert page.locator("#kb-search-results li").count() == 20
    page.get_by_role("button", name="More results").click()
    page.wait_for_function("document.querySelectorAll('#kb-search-results li').length === 25")
    assert page.get_by_role("button", name="More results").is_hidden()


RUSSIAN_FAQ = {
    "kbgen.yml": "site_name: Помощь\nlanguage: ru\n",
    "content/pay/card.md": "---\ntitle: Платежи\n---\nМожно оплатить картой или переводом.\n",
    "content/pay/delivery.md": "---\ntitle: Доставка\n---\nКурьер привезёт заказ за два дня.\n",
}


@pytest.mark.parametrize("query", ["карта", "оплата", "оплата картами"])
def test_a_form_of_a_word_no_article_uses_finds_the_article(tmp_path, serve, page, query) -> None:
    """The FAQ says «оплатить картой»: the browser stems «карта» and «оплата» as the build stemmed those words."""
    site = build_site_in(tmp_path, RUSSIAN_FAQ)
    index = "".join(p.read_text(encoding="utf-8") for p in (site / "search" / "s").glob("*.js"))
    assert "карта" not in index and "оплата" not in index  # the index never saw these forms
    server = serve(site)
    page.goto(server.url)
    _type(page, query)
    assert _popup_titles(page) == ["Платежи"]
    page.keyboard.press("Enter")
    page.locator("#kb-search-results .search-title").first.wait_for()
    assert page.locator("#kb-search-results .search-title").all_inner_texts() == ["Платежи"]
    assert page.errors == []
