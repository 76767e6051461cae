"""Three accessibility failures axe-core and a keyboard found (issue 18): task-list checkboxes had no name, the
search page had two search landmarks without names, and the 404 page's skip link led to the home page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import build_site_in
from test_theme_quality import axe_source  # noqa: F401 - the fixture that installs axe-core

SITE = {
    "content/index.md": "---\ntitle: Home\n---\n\nWelcome.\n",
    "content/setup.md": "---\ntitle: Set up\n---\n\n- [x] Create an *account*\n- [ ] Invite \"your\" team\n",
}


def test_task_list_checkboxes_are_named_after_their_task(tmp_path: Path) -> None:
    site = build_site_in(tmp_path, {**SITE, "kbgen.yml": "site_name: Acme\n"})

    html = (site / "setup" / "index.html").read_text(encoding="utf-8")

    assert 'type="checkbox" checked="" aria-label="Create an account">' in html
    assert 'type="checkbox" aria-label="Invite &quot;your&quot; team">' in html


def test_the_search_pages_two_search_landmarks_have_names_of_their_own(tmp_path: Path, serve, page,
                                                                      axe_source: str) -> None:  # noqa: F811
    site = build_site_in(tmp_path, {**SITE, "kbgen.yml": "site_name: Acme\n"})
    server = serve(site, "/")

    page.goto(server.url + "search/?q=team")
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, {runOnly: ['landmark-unique', 'region'], resultTypes: ['violations']})")
    names = page.evaluate("Array.from(document.querySelectorAll('[role=search]'), f => f.getAttribute('aria-label')"
                          " || document.getElementById(f.getAttribute('aria-labelledby'))?.textContent)")

    assert [v["id"] for v in result["violations"]] == []
    assert names == ["Search the help centre", "Search results"]


@pytest.mark.parametrize("config", ["site_name: Acme\n", "site_name: Acme\nbase_url: https://help.acme.test/\n"],
                         ids=["probed-base", "base_url"])
def test_the_404_pages_skip_link_stays_on_the_page(tmp_path: Path, serve, page, config: str) -> None:
    site = build_site_in(tmp_path, {**SITE, "kbgen.yml": config})
    missing = site / "no" / "such" / "page"
    missing.mkdir(parents=True)
    shutil.copy(site / "404.html", missing / "index.html")  # what a host serves at a path it does not have
    server = serve(site, "/")

    page.goto(server.url + "no/such/page/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)

    assert page.url == server.url + "no/such/page/#main"
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.locator("h1").inner_text() == "Page not found"
