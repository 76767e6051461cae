"""The default theme's quality bars, measured on the repo's own help centre in a real Chromium: every link and asset
works and nothing is fetched from another host; axe-core finds no serious or critical problem; CSS + JS stay small;
no page scrolls sideways on a phone. Screenshots land in $KBGEN_SCREENSHOTS when set (else a temp folder).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from conftest import REPO, run

BILINGUAL = Path(__file__).parent / "sites" / "bilingual"
AXE_DIR = Path(__file__).parent / ".cache" / "npm"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
#: The budget for the theme's own CSS and JS, gzipped (the search index is data, not theme).
SIZE_BUDGET = 30 * 1024


@pytest.fixture(scope="module")
def help_centre(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's own help centre built into a temp folder (the bilingual fixture when content/ is absent), with
    listings cut into short pages, so its longer categories and tags show the paginated listing (issue 20) too."""
    kb = tmp_path_factory.mktemp("help") / "kb"
    if (REPO / "content").is_dir() and (REPO / "kbgen.yml").is_file():
        kb.mkdir()
        shutil.copytree(REPO / "content", kb / "content")
        shutil.copy(REPO / "kbgen.yml", kb / "kbgen.yml")
        if (REPO / "themes").is_dir():
            shutil.copytree(REPO / "themes", kb / "themes")
        page_size = 4
    else:
        shutil.copytree(BILINGUAL, kb)
        page_size = 1
    with (kb / "kbgen.yml").open("a", encoding="utf-8") as config:
        config.write(f"\nlisting_page_size: {page_size}\n")
    result = run("build", "--config", str(kb / "kbgen.yml"))
    assert result.exit_code == 0, result.output
    return kb / "site"


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core from the npm registry, installed once into the git-ignored tests/.cache/."""
    if not AXE_JS.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed (apt-get install npm); axe-core comes from the npm registry")
        done = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
                               "axe-core@4"], capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not AXE_JS.is_file():
            pytest.skip(f"could not install axe-core from the npm registry: {done.stderr.strip()[-300:]}")
    return AXE_JS.read_text(encoding="utf-8")


def sample_pages(site: Path, lang: str) -> dict[str, str]:
    """One page of each kind in `lang`, as URLs relative to the site root."""
    pages = sorted(p for p in (site / lang).rglob("index.html"))

    def text(p: Path) -> str:
        return p.read_text(encoding="utf-8")

    articles = [p for p in pages if 'class="article"' in text(p) and "/tags/" not in p.as_posix()]
    category = next(p for p in pages if '<ul class="article-list">' in text(p) and "<article" not in text(p)
                    and "/tags/" not in p.as_posix() and p.parent != site / lang)
    faq = next(p for p in pages if 'class="article faq"' in text(p))
    richest = max(articles, key=lambda p: text(p).count('class="highlight"') + text(p).count("<table"))
    tasks = next(p for p in articles if "task-list-item-checkbox" in text(p))
    tag = next(p for p in sorted((site / lang / "tags").glob("*/index.html")))
    paginated = next(p for p in pages if p.parent.parent.name == "page" and "/tags/" not in p.as_posix())

    def rel(p: Path) -> str:
        return p.parent.relative_to(site).as_posix() + "/"

    return {"home": f"{lang}/", "category": rel(category), "article": rel(richest), "faq": rel(faq),
            "tag": rel(tag), "paginated": rel(paginated), "404": f"{lang}/404.html", "tasks": rel(tasks),
            "tags": f"{lang}/tags/",
            "search": f"{lang}/search/?q=install"}


def languages_of(site: Path) -> list[str]:
    return [lang for lang in ("en", "ru") if (site / lang / "index.html").is_file()]


def test_axe_finds_no_serious_or_critical_violations(help_centre: Path, axe_source: str, serve, page) -> None:
    """Every kind of page a reader meets: home, category, article, FAQ, tag and tags index, page 2 of a long
    listing, search results, 404, a page with a task list, and the language choice page."""
    server = serve(help_centre, "/")
    problems, checked = [], 0
    pages = [(lang, kind, url) for lang in languages_of(help_centre)
             for kind, url in sample_pages(help_centre, lang).items()]
    pages.append(("", "languages", "?stay"))  # without following the browser's language
    for lang, kind, url in pages:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(server.url + url)
            page.add_script_tag(content=axe_source)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            checked += 1
            for v in result["violations"]:
                if v["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in v["nodes"]][:3]
                    problems.append(f"{lang} {kind} {url} ({scheme}): {v['id']} {v['impact']}: {targets}")
    print(f"axe: {checked} page views checked ({len({k for _l, k, _u in pages})} kinds of page), "
          f"{len(problems)} serious/critical violations")
    assert checked == 2 * len(pages) >= 38 and problems == [], "\n".join(problems)


def test_theme_css_and_js_fit_the_size_budget(help_centre: Path) -> None:
    files = [p for p in (help_centre / "assets").rglob("*") if p.suffix in (".css", ".js")]
    sizes = {p.name: len(gzip.compress(p.read_bytes(), 9)) for p in files}
    total = sum(sizes.values())
    print(f"theme CSS + JS gzipped: {total} bytes ({total / 1024:.1f} KB) {sizes}")
    assert {"kbgen.css", "kbgen.js", "pygments.css"} <= set(sizes)
    assert total <= SIZE_BUDGET


_LINKED = """() => Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src], source[src]'))
    .map(el => el.href || el.src)"""


def test_crawl_follows_every_link_and_asset_with_none_broken_and_no_other_host(help_centre: Path, serve,
                                                                               page) -> None:
    server = serve(help_centre, "/help/")
    own = urlsplit(server.url).netloc
    foreign, failed = [], []
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc != own
            and not r.url.startswith("data:") else None)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    start = server.url + "?stay"  # the language choice page, without following the browser's language
    queue, seen, visited, external = deque([start]), {start}, 0, set()
    resources: set[str] = set()
    while queue:
        url = queue.popleft()
        page.goto(url)
        visited += 1
        for link in page.evaluate(_LINKED):
            target = urldefrag(urljoin(page.url, link)).url
            if urlsplit(target).netloc != own:
                external.add(target)
            elif not target.startswith(server.url):
                failed.append(f"outside the site: {target} (on {url})")
            elif target.endswith("/") or target.endswith(".html"):
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
            else:
                resources.add(target)
    for url in sorted(resources):  # feeds, images, assets not loaded by a page
        status = page.request.get(url).status
        if status >= 400:
            failed.append(f"{status} {url}")
    print(f"crawl: {visited} pages, {len(resources)} other files, {len(external)} links to other sites "
          f"(not followed), {len(failed)} broken, {len(foreign)} requests to other hosts")
    assert visited > 10
    assert failed == [] and foreign == []


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_pages_fit_the_screen_and_screenshots_are_taken(help_centre: Path, serve, browser, tmp_path: Path,
                                                        width: int) -> None:
    keep = os.environ.get("KBGEN_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    server = serve(help_centre, "/")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    taken, overflowing = [], []
    try:
        for lang in languages_of(help_centre):
            pages = sample_pages(help_centre, lang)
            for kind in ("home", "article", "faq", "category", "tag", "paginated", "404"):
                for scheme in ("light", "dark"):
                    page.emulate_media(color_scheme=scheme)
                    page.goto(server.url + pages[kind])
                    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    if wide > 0:
                        overflowing.append(f"{pages[kind]} ({scheme}) is {wide}px too wide at {width}px")
                    if kind in ("home", "article", "faq") and width != 320:
                        shot = folder / f"{lang}-{kind}-{scheme}-{width}.png"
                        page.screenshot(path=str(shot), full_page=True)
                        taken.append(shot)
    finally:
        context.close()
    assert overflowing == []
    assert all(s.stat().st_size > 5000 for s in taken)
    assert len(taken) == (0 if width == 320 else 6 * len(languages_of(help_centre)))


def test_code_colours_come_in_a_light_and_a_dark_style(help_centre: Path) -> None:
    css = (help_centre / "assets" / "pygments.css").read_text(encoding="utf-8")
    assert re.search(r'^:root\[data-theme="dark"\] \.highlight', css, re.M)
    assert "@media (prefers-color-scheme: dark)" in css


@pytest.mark.parametrize("query", ["install", "zzqxw"])  # results, and the empty state
def test_axe_finds_nothing_serious_in_the_open_search_popup(help_centre: Path, axe_source: str, serve, page,
                                                            query: str) -> None:
    server = serve(help_centre, "/")
    page.goto(server.url + "en/getting-started/")
    box = page.locator("header input[name=q]")
    box.click()
    box.press_sequentially(query, delay=20)
    page.locator("#kb-search-popup").wait_for()
    page.wait_for_function("() => document.querySelector('#kb-search-popup').childElementCount > 0")
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    problems = [f"{v['id']} {v['impact']}: {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert problems == []
