"""A reader pages through a long category in a real Chromium, from disk and under a sub-path: next, previous, and a
letter of the A–Z list that lands on the page and the article it promises (issue 20)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import run, write_files
from test_theme_browser import at, page_path


def arrive(page, folder: str, fragment: str = "") -> str:
    """Wait for the page at `folder` (its `index.html` from disk) to load; its address without `index.html`."""
    page.wait_for_url(re.compile(re.escape(folder) + r"(index\.html)?" + re.escape(fragment) + "$"))
    page.wait_for_load_state()
    return page_path(page.url.partition("#")[0])

FRUIT = ["Apples", "Avocados", "Bananas", "Cherries", "Dates", "Elderberries", "Figs", "Grapes", "Guavas", "Honeydew"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kb = tmp_path_factory.mktemp("long") / "kb"
    write_files(kb, {"kbgen.yml": "site_name: Acme\nlisting_page_size: 3\n",
                     **{f"content/fruit/{t.lower()}.md": f"---\ntitle: {t}\n---\n\nAbout {t}.\n" for t in FRUIT}})
    result = run("build", "--config", str(kb / "kbgen.yml"))
    assert result.exit_code == 0, result.output
    shutil.rmtree(kb / ".kbgen")
    return kb / "site"


@pytest.fixture(params=["/help/", "file"], ids=["sub-path", "file"])
def site_url(request, built: Path, serve) -> str:
    return built.as_uri() + "/" if request.param == "file" else serve(built, request.param).url


def test_reader_pages_through_a_long_category_and_jumps_to_a_letter(site_url: str, page) -> None:
    page.goto(at(site_url, "fruit/"))
    assert page.locator(".article-list a").all_inner_texts() == ["Apples", "Avocados", "Bananas"]

    page.get_by_role("link", name="Next page").click()
    assert arrive(page, "/fruit/page/2/") == f"{site_url}fruit/page/2/"
    assert page.locator(".article-list a").all_inner_texts() == ["Cherries", "Dates", "Elderberries"]
    assert page.get_by_text("Page 2 of 4").is_visible()

    page.get_by_role("link", name="Previous page").click()
    assert arrive(page, "/fruit/") == f"{site_url}fruit/"

    page.get_by_role("navigation", name="Jump to a letter").get_by_role("link", name="G", exact=True).click()
    assert arrive(page, "/fruit/page/3/", "#kb-az-g") == f"{site_url}fruit/page/3/"
    assert page.locator(":target").inner_text() == "Grapes"
    assert page.locator(":target a").is_visible()

    page.get_by_role("link", name="Guavas").click()  # and on to the article
    assert arrive(page, "/fruit/guavas/") == f"{site_url}fruit/guavas/"
    assert page.errors == []
