"""What a reader does in the help centre, in a real Chromium: at a domain root, under /help/, and from disk.

Home → category → article by clicking; a deep link to a FAQ question opens it; "copy link" copies it; dark mode
is remembered after a reload; the language switcher lands on the translation; "Was this helpful?" says so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser import copy_site
from conftest import run

BILINGUAL = Path(__file__).parent / "sites" / "bilingual"
WHERE = ["/", "/help/", "file"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bilingual fixture KB built once for this module; tests only read it."""
    kb = tmp_path_factory.mktemp("bilingual") / "kb"
    shutil.copytree(BILINGUAL, kb)
    result = run("build", "--config", str(kb / "kbgen.yml"))
    assert result.exit_code == 0, result.output
    return kb / "site"


@pytest.fixture(params=WHERE, ids=["root", "sub-path", "file"])
def site_url(request, built: Path, serve):
    """The URL of the site's root, served over HTTP at `/` or `/help/`, or opened from disk."""
    if request.param == "file":
        return built.as_uri() + "/", None
    server = serve(built, request.param)
    return server.url, server


def at(base: str, path: str) -> str:
    """The address of a page; from disk a folder needs its `index.html` spelled out, as a reader's bookmark has."""
    if base.startswith("file:"):
        folder, _, fragment = path.partition("#")
        if folder == "" or folder.endswith("/"):
            path = folder + "index.html" + (f"#{fragment}" if fragment else "")
    return base + path


def page_path(url: str) -> str:
    """A page's address without the `index.html` that kbgen.js adds to folder links from file://."""
    return url.removesuffix("index.html")


def only_own_requests(server, prefix: str) -> None:
    if server is not None:
        assert [p for p in server.paths() if not p.startswith(prefix)] == []


def test_reader_goes_home_then_category_then_article(site_url, page) -> None:
    base, server = site_url
    page.goto(at(base, ""), wait_until="commit")  # the language choice page follows the browser's language (en-US)
    page.wait_for_url(f"{base}en/**")
    assert page.locator("h1").inner_text() == "Acme Help"
    page.locator(".cards").get_by_role("link", name="Billing").click()
    assert page.locator("h1").inner_text() == "Billing"
    page.get_by_role("link", name="Refunds").first.click()
    assert page_path(page.url) == f"{base}en/billing/refunds/"
    assert page.locator("h1").inner_text() == "Refunds"
    page.locator(".breadcrumbs").get_by_role("link", name="Home").click()
    assert page_path(page.url) == f"{base}en/"
    assert page.errors == []
    only_own_requests(server, "/help/" if "/help/" in base else "/")


def test_deep_link_opens_the_faq_question(site_url, page) -> None:
    base, _server = site_url
    page.goto(at(base, "en/faq/general/#how-do-i-delete-my-account"))
    assert page.locator("#how-do-i-delete-my-account").evaluate("d => d.open") is True
    assert page.locator("#can-i-change-my-email").evaluate("d => d.open") is False
    assert page.get_by_text("We delete it within a week.").is_visible()
    page.evaluate("location.hash = '#can-i-change-my-email'")  # a link followed within the page
    page.wait_for_function("document.getElementById('can-i-change-my-email').open")
    # keyboard: the question's summary is focusable and Enter toggles it
    page.locator("#do-you-offer-refunds summary").focus()
    page.keyboard.press("Enter")
    assert page.locator("#do-you-offer-refunds").evaluate("d => d.open") is True
    assert page.errors == []


def test_copy_link_copies_the_questions_address(site_url, page) -> None:
    base, _server = site_url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(at(base, "en/faq/general/"))
    button = page.locator('.faq-item > [data-kbgen-copy-link="#can-i-change-my-email"]')
    button.click()
    page.wait_for_function("document.querySelector('.copy-link.copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url.split("#")[0] + "#can-i-change-my-email"
    label = button.evaluate("b => getComputedStyle(b, '::after').content")
    assert label == '"Link copied"'  # the visible "copied" state
    assert page.get_by_role("status").filter(has_text="Link copied").count() == 1
    assert page.errors == []


def test_dark_mode_toggle_is_remembered_after_reload(site_url, page) -> None:
    base, _server = site_url
    page.emulate_media(color_scheme="light")
    page.goto(at(base, "en/billing/refunds/"))
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    toggle = page.locator("[data-kbgen-theme-toggle]")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.evaluate(background) == "rgb(13, 17, 23)"
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(background) == "rgb(13, 17, 23)"
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    page.reload()
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    assert page.errors == []


def test_language_switcher_lands_on_the_translation(site_url, page) -> None:
    base, _server = site_url
    page.goto(at(base, "en/account/password/"))
    page.locator(".lang-switch").get_by_role("link", name="Русский").click()
    assert page_path(page.url) == f"{base}ru/account/parol/"
    assert page.locator("h1").inner_text() == "Как сбросить пароль"
    assert page.locator("html").get_attribute("lang") == "ru"
    page.locator(".lang-switch").get_by_role("link", name="English").click()
    assert page_path(page.url) == f"{base}en/account/password/"
    assert page.errors == []


def test_was_this_helpful_sends_one_vote_event(site_url, page) -> None:
    base, _server = site_url
    page.goto(at(base, "ru/billing/refunds/"))
    page.evaluate("window.votes = []; document.addEventListener('kb:vote', e => votes.push(e.detail))")
    page.get_by_role("button", name="Нет").click()
    assert page.evaluate("votes") == [{"url": "ru/billing/refunds/", "helpful": False}]
    assert page.get_by_text("Спасибо за отзыв!").is_visible()
    assert page.get_by_role("button", name="Да").is_disabled()
    assert page.errors == []


def test_404_page_finds_the_site_from_a_nested_missing_path(built: Path, tmp_path: Path, serve, page) -> None:
    site = copy_site(built, tmp_path / "site")
    missing = site / "no/such/page"
    missing.mkdir(parents=True)
    shutil.copy(site / "404.html", missing / "index.html")  # what a host sends for /help/no/such/page/
    server = serve(site, "/help/")
    page.goto(f"{server.url}no/such/page/")
    page.wait_for_function("getComputedStyle(document.querySelector('.site-header')).borderTopWidth === '4px'")
    page.get_by_role("link", name="Back to the help centre home").click()
    page.wait_for_url(f"{server.url}en/")
    assert page.locator("h1").inner_text() == "Acme Help"
    assert page.errors == []
