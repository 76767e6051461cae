"""Content tabs and the announcement banner as readers use them, in a real Chromium (issue 23).

The MkDocs fixture's tabs by mouse and by keyboard (the WAI-ARIA tabs pattern), the chosen label remembered on the
next page and after a reload, a deep link to one tab, every panel readable without JavaScript; the banner dismissed
and still dismissed after a reload, back when its text changes; axe-core on pages with both.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run
from test_theme_quality import axe_source  # noqa: F401 - the fixture, installed once

INSTALL = "getting-started/install/"
FIRST_SYNC = "getting-started/first-sync/"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(REPO / "tests" / "sites" / "from-mkdocs", kb)
    result = run("build", "--config", str(kb / "kbgen.yml"))
    assert result.exit_code == 0, result.output
    return kb


def selected(page) -> list[str]:
    """The label of the selected tab of each tab set on the page."""
    return page.eval_on_selector_all(".kb-tablist", "lists => lists.map(l => "
                                     "l.querySelector('[aria-selected=true]').textContent)")


def visible_panels(page) -> list[str]:
    return page.eval_on_selector_all(".kb-tab", "ps => ps.filter(p => !p.hidden).map(p => p.id)")


def test_tabs_by_mouse_and_by_keyboard(project: Path, serve, page) -> None:
    server = serve(project / "site")
    page.goto(server.url + INSTALL)

    assert selected(page) == ["Windows"]
    assert visible_panels(page) == ["tab-windows"]
    page.get_by_role("tab", name="macOS").click()
    assert selected(page) == ["macOS"] and visible_panels(page) == ["tab-macos"]
    assert page.get_by_role("tabpanel").get_attribute("aria-labelledby") == "tab-macos--tab"

    page.get_by_role("tab", name="macOS").focus()
    page.keyboard.press("ArrowRight")
    assert selected(page) == ["Linux"]
    assert page.evaluate("document.activeElement.textContent") == "Linux"
    page.keyboard.press("ArrowRight")  # wraps around
    assert selected(page) == ["Windows"]
    page.keyboard.press("End")
    assert selected(page) == ["Linux"]
    page.keyboard.press("Home")
    assert selected(page) == ["Windows"]
    tabindexes = page.eval_on_selector_all("[role=tab]", "ts => ts.map(t => t.tabIndex)")
    assert tabindexes == [0, -1, -1]  # roving: Tab leaves the tab list for the panel
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "tab-windows"
    assert page.errors == []


def test_the_chosen_label_is_remembered_on_other_pages_and_after_a_reload(project: Path, serve, page) -> None:
    server = serve(project / "site")
    page.goto(server.url + INSTALL)
    page.get_by_role("tab", name="Linux").click()

    page.goto(server.url + FIRST_SYNC)
    assert selected(page) == ["Desktop app", "Linux"]  # the set without a Linux tab keeps its first
    page.get_by_role("tab", name="Command line").click()
    page.reload()
    assert selected(page) == ["Command line", "Linux"]
    page.goto(server.url + INSTALL)
    assert selected(page) == ["Linux"]


def test_a_deep_link_opens_its_tab(project: Path, serve, page) -> None:
    server = serve(project / "site")
    page.goto(server.url + INSTALL + "#tab-macos")

    assert selected(page) == ["macOS"]
    page.goto(server.url + INSTALL + "#tab-linux")  # same page, another hash
    assert selected(page) == ["Linux"]


def test_without_javascript_every_panel_is_readable(project: Path, serve, browser) -> None:
    server = serve(project / "site")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + INSTALL)

    for label, text in [("Windows", "AcmeSync-Setup.exe"), ("macOS", "brew install"), ("Linux", "apt install")]:
        assert page.locator(".kb-tab-label", has_text=label).is_visible()
        assert page.get_by_text(text).first.is_visible()
    assert page.locator(".announcement").is_visible()  # stays; its button needs the script and is hidden
    assert not page.locator("[data-kbgen-dismiss]").is_visible()
    context.close()


def test_the_banner_is_dismissed_remembered_and_back_when_it_changes(project: Path, serve, page) -> None:
    server = serve(project / "site")
    page.goto(server.url + INSTALL)
    banner = page.get_by_role("region", name="Announcement")
    assert banner.is_visible() and "Acme Sync 4.2 is out" in banner.inner_text()

    page.get_by_role("button", name="Dismiss the announcement").click()
    assert not banner.is_visible()
    page.goto(server.url + FIRST_SYNC)
    assert not page.locator(".announcement").is_visible()

    config = project / "kbgen.yml"
    config.write_text(re.sub(r"announcement: .*", 'announcement: "Maintenance on Sunday"',
                             config.read_text(encoding="utf-8")), encoding="utf-8")
    assert run("build", "--config", str(config)).exit_code == 0
    page.reload()
    assert page.get_by_role("region", name="Announcement").inner_text().startswith("Maintenance on Sunday")


def test_axe_finds_nothing_serious_on_pages_with_tabs_and_the_banner(project: Path, serve, page,
                                                                      axe_source: str) -> None:  # noqa: F811
    server = serve(project / "site")
    problems = []
    for url in (INSTALL, FIRST_SYNC + "#tab-linux"):
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(server.url + url)
            page.add_script_tag(content=axe_source)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            problems += [f"{url} ({scheme}): {v['id']} {v['impact']}: {[n['target'] for n in v['nodes']][:3]}"
                         for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert problems == []
