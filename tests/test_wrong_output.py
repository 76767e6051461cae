"""What the site and the commands say is true: each test is one wrong answer kbgen used to give (issue 18)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import REPO, build_site_in, run


def _built(kb, files: dict[str, str]):
    """Write a small site, build it (which must succeed) and return what the build printed."""
    kb({"kbgen.yml": "site_name: Help\n", **files})
    result = run("build")
    assert result.exit_code == 0, result.output
    return result


def _search(*args: str) -> list[dict]:
    result = run("search", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_answers_from_the_content_it_is_given(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\n",
        "a/apples.md": "# Apples\n\nApples grow on trees in orchards.\n",
        "b/bananas.md": "# Bananas\n\nBananas grow in the tropics.\n"})
    assert [h["key"] for h in _search("apples", "--content", "a")] == ["apples.md"]
    assert [h["key"] for h in _search("bananas", "--content", "b")] == ["bananas.md"]
    # The index of `b` was built last in this folder; asking `a` again answers from `a`.
    assert [h["key"] for h in _search("apples", "--content", "a")] == ["apples.md"]
    assert _search("bananas", "--content", "a") == []


def test_an_encoded_hash_in_a_link_is_part_of_the_file_name(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\n",
        "content/Q&A #1.md": "# Questions\n\n## Fees\n\nNone.\n",
        "content/start.md": "# Start\n\nSee [questions](Q&A%20%231.md) and [fees](Q&A%20%231.md#fees).\n\n"
                            "![logo](logo%231.png)\n",
        "content/logo#1.png": b"\x89PNG\r\n\x1a\n",
        })
    result = run("build", "--strict")
    assert result.exit_code == 0, result.output
    html = (kb.root / "site/start/index.html").read_text(encoding="utf-8")
    assert 'href="../q-a-1/"' in html and 'href="../q-a-1/#fees"' in html
    assert 'src="../logo%231.png"' in html


def _kbgen(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_an_upgraded_rendering_library_renders_every_article_again(kb, tmp_path_factory) -> None:
    kb({"kbgen.yml": "site_name: Help\n", "content/a.md": "# A\n\nText.\n", "content/b.md": "# B\n\nText.\n"})
    first = _kbgen(kb.root, "build")
    assert "2 rendered" in first.stdout, first.stdout + first.stderr
    # The same mdit-py-plugins, announcing a new version, first on the path: as after `pip install -U`.
    upgraded = tmp_path_factory.mktemp("upgraded")
    real = Path(importlib.util.find_spec("mdit_py_plugins").origin).parent
    shutil.copytree(real, upgraded / "mdit_py_plugins")
    init = upgraded / "mdit_py_plugins/__init__.py"
    init.write_text(re.sub(r'__version__ = "[^"]+"', '__version__ = "99.0"', init.read_text()))
    again = _kbgen(kb.root, "build", env={"PYTHONPATH": str(upgraded)})
    assert "up to date" not in again.stdout
    assert "2 rendered" in again.stdout, again.stdout + again.stderr


def test_the_declared_mdit_py_plugins_is_one_that_works() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    bound = next(d for d in declared if d.startswith("mdit-py-plugins"))
    assert bound.startswith("mdit-py-plugins>=") and tuple(map(int, bound.split(">=")[1].split("."))) >= (0, 6)


def test_github_actions_marks_each_problem_on_its_line(kb, monkeypatch) -> None:
    kb({"kbgen.yml": "site_name: Help\n",
        "content/a.md": "# A\n\nSee [gone](gone.md).\n\n![x](<100% sure.png>)\n"})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "::error file=content/a.md,line=3,title=broken-link::'gone.md' does not lead to any article, " \
           "folder or file" in lines
    assert "::warning file=content/a.md,line=5,title=missing-image::image '100%25 sure.png' not found next to the " \
           "article" in lines
    monkeypatch.setenv("GITHUB_ACTIONS", "false")  # anywhere else: the plain lines only
    assert "::" not in run("check").stderr.replace("[", "")


def test_a_search_test_of_an_article_that_does_not_exist_says_so(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\nsearch_tests:\n  - {query: refund, expect: billing/refund.md}\n",
        "content/billing/refunds.md": "# Refunds\n\nMoney back within 30 days.\n"})
    result = run("check")
    assert result.exit_code == 1
    assert "kbgen.yml:3: error[search-test]: search for 'refund' expects billing/refund.md, which is not an " \
           "article of the site (the path is relative to the content folder); did you mean " \
           "'billing/refunds.md'?" in result.stderr
    assert "not at all" not in result.stderr


def test_a_report_file_has_the_mode_of_any_file_the_user_makes(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\n", "content/a.md": "# A\n"})
    old = os.umask(0o022)
    try:
        assert run("report", "--format", "md", "-o", "report.md").exit_code == 0
        assert stat.S_IMODE((kb.root / "report.md").stat().st_mode) == 0o644  # the team's CI artefact can read it
        (kb.root / "private.md").write_text("")
        (kb.root / "private.md").chmod(0o600)
        assert run("report", "--format", "md", "-o", "private.md").exit_code == 0
        assert stat.S_IMODE((kb.root / "private.md").stat().st_mode) == 0o600  # made private: stays private
    finally:
        os.umask(old)


def _tree(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder below `root` with its modification time and bytes: what a command changed."""
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else b"")
            for p in sorted(root.rglob("*"))}


def test_check_writes_nothing_into_the_project(kb) -> None:
    files = {"kbgen.yml": "site_name: Help\nsearch_tests:\n  - {query: zebra, expect: t/a7.md}\n"}
    for i in range(80):  # enough articles for the helper processes, which drop their work in a folder
        files[f"content/t/a{i}.md"] = f"# Article {i}\n\nAbout {'zebras' if i == 7 else 'topics'}. See " \
                                      f"[next](a{(i + 1) % 80}.md).\n"
    kb(files)
    before = _tree(kb.root)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert _tree(kb.root) == before
    (kb.root / "content/t/a3.md").write_text("# Article 3\n\n[broken](nowhere.md)\n")
    before = _tree(kb.root)
    assert run("check").exit_code == 1  # with an error too
    assert _tree(kb.root) == before
    assert not (kb.root / ".kbgen").exists()


def test_a_control_character_in_a_title_leaves_the_feed_valid_xml(tmp_path: Path) -> None:
    site = build_site_in(tmp_path, {
        "kbgen.yml": "site_name: \"Help\\x1b desk\"\n",
        "content/a.md": "---\ntitle: \"Refunds\\x01 and returns\"\ndescription: \"Money\\x0b back\"\n---\nText.\n",
        "content/b.md": "# Setup\x02 guide\n\nText.\n"})
    feed = ET.parse(site / "feed.xml").getroot()  # a feed reader's parser: it raised before
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert sorted(e.findtext("a:title", namespaces=ns) for e in feed.iterfind("a:entry", ns)) == [
        "Refunds and returns", "Setup guide"]
    assert feed.findtext("a:title", namespaces=ns) == "Help desk"


def test_a_category_icon_shows_on_its_card(kb) -> None:
    result = _built(kb, {
        "content/billing/_category.yml": "title: Billing\nicon: card icon.svg\n",
        "content/billing/card icon.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        "content/billing/refunds.md": "# Refunds\n",
        "content/setup/_category.yml": "title: Setup\nicon: \"\U0001f527\"\n",
        "content/setup/install.md": "# Install\n",
        "content/team/_category.yml": "title: Team\n\nicon: people.png\n",
        "content/team/who.md": "# Who\n"})
    assert "content/team/_category.yml:3: warning[missing-image]: icon 'people.png' not found" in result.stderr
    home = (kb.root / "site/index.html").read_text(encoding="utf-8")
    assert '<img class="card-icon" src="billing/card%20icon.svg" alt=""' in home
    assert '<span class="card-icon" aria-hidden="true">\U0001f527</span>' in home
    assert (kb.root / "site/billing/card icon.svg").is_file()


def test_a_built_in_icon_is_drawn_in_the_page_and_a_mistyped_one_is_said(kb) -> None:
    """`icon: billing` needs no file: a line drawing in the text colour (dark mode included); `icon: biling` is a
    typo of it, not an emoji, so the writer is told which names exist."""
    result = _built(kb, {
        "content/billing/_category.yml": "title: Billing\nicon: billing\n",
        "content/billing/refunds.md": "# Refunds\n",
        "content/shop/_category.yml": "title: Shop\nicon: biling\n",
        "content/shop/cart.md": "# Cart\n"})
    assert "content/shop/_category.yml:2: warning[missing-image]: icon 'biling' is not a built-in icon (account, " \
           "billing," in result.stderr
    home = (kb.root / "site/index.html").read_text(encoding="utf-8")
    assert '<svg class="card-icon" viewBox="0 0 24 24"' in home and 'stroke="currentColor"' in home
    assert home.count("<svg class=\"card-icon\"") == 1  # the mistyped one is not drawn


def test_two_tags_spelled_alike_are_named_together(kb) -> None:
    result = _built(kb, {"content/a.md": "---\ntitle: A\ntags: [Billing, setup]\n---\nText.\n",
                         "content/b.md": "---\ntitle: B\ndescription: x\ntags:\n  - billing!\n---\nText.\n"})
    assert "content/b.md:4: warning[duplicate-tag]: tag 'billing!' has the same page as 'Billing' (tags/billing/, " \
           "tagged in content/a.md)" in result.stderr
    page = (kb.root / "site/tags/billing/index.html").read_text(encoding="utf-8")
    assert 'href="../../a/"' in page and 'href="../../b/"' in page  # one page, both articles
    index = (kb.root / "site/tags/index.html").read_text(encoding="utf-8")
    assert index.count('href="../tags/billing/"') + index.count('href="billing/"') == 1


def test_links_and_images_written_as_html_are_checked_and_resolved(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\n",
        "content/billing/refunds.md": "# Refunds\n\n## Fees\n",
        "content/logo.png": b"\x89PNG\r\n\x1a\n",
        "content/start.md": "# Start\n\n"
                            "<div class=\"box\">\n"
                            "<a href=\"billing/refunds.md#fees\">fees</a>\n"
                            "<img src='logo.png' alt=\"\">\n"
                            "<a href=\"gone.md\">gone</a>\n"
                            "<a href=\"https://example.com/x.md\">out</a>\n"
                            "</div>\n\n"
                            "Inline <a href=billing/nowhere.md>here</a> and <img src=\"missing.png\" alt=\"\">.\n"})
    result = run("build")
    assert result.exit_code == 1
    assert "content/start.md:6: error[broken-link]: 'gone.md' does not lead to any article" in result.stderr
    assert "content/start.md:10: error[broken-link]: 'billing/nowhere.md' does not lead" in result.stderr
    assert "content/start.md:10: warning[missing-image]: image 'missing.png' not found" in result.stderr
    assert result.stderr.count("start.md") == 3
    (kb.root / "content/start.md").write_text("# Start\n\n<p><a href=\"billing/refunds.md#fees\">fees</a>\n"
                                              "<img src='logo.png' alt=\"\"></p>\n")
    assert run("build").exit_code == 0
    html = (kb.root / "site/start/index.html").read_text(encoding="utf-8")
    assert '<a href="../billing/refunds/#fees">fees</a>' in html
    assert '<img src="../logo.png"' in html
