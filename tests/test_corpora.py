"""Real knowledge bases from ../shared/corpora build cleanly: one page per article, counts printed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import CORPORA, run

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not beside the repo")


def build_corpus(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    articles = CORPORA / name / "articles"
    monkeypatch.chdir(tmp_path)
    result = run("build", "--content", str(articles), "--out", str(tmp_path / "out"))
    return articles, result


def article_count(articles: Path) -> int:
    return sum(1 for _ in articles.rglob("*.md"))


def test_arduino_help_center(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles, result = build_corpus("en-arduino-helpcenter", tmp_path, monkeypatch)
    assert result.exit_code == 0, result.stderr[-2000:]
    assert "Traceback" not in result.output
    drafts = sum(1 for p in articles.rglob("*.md") if re.search(r"^draft: true", p.read_text("utf-8"), re.MULTILINE))
    m = re.search(r"Built (\d+) pages \((\d+) articles", result.stdout)
    assert m and int(m.group(2)) == article_count(articles) - drafts
    pages = list((tmp_path / "out").rglob("index.html"))
    assert len(pages) >= int(m.group(2))
    # Folder names with spaces, '&' and accents become clean URLs.
    assert (tmp_path / "out/hardware-support/yun-board").is_dir()
    assert (tmp_path / "out/about-arduino/licensing-counterfeits").is_dir() or any(
        "licensing-counterfeits" in str(p) for p in pages)
    # `{#custom-id}` anchors and GitHub alerts render.
    html = "".join(p.read_text("utf-8") for p in pages[:400])
    assert "markdown-alert" in html
    assert re.search(r"\d+ warnings? \(", result.stdout) or "no warnings" in result.stdout


def test_ru_doka(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles, result = build_corpus("ru-doka", tmp_path, monkeypatch)
    assert result.exit_code == 0, result.stderr[-2000:]
    assert "Traceback" not in result.output
    m = re.search(r"Built (\d+) pages \((\d+) articles", result.stdout)
    assert m and int(m.group(2)) == article_count(articles)
    # Warnings are counted by code in the summary.
    assert re.search(r"warnings \((?:[a-z-]+ ×\d+(?:, )?)+\)", result.stdout)
    page = (tmp_path / "out/a11y/aria-live/index.html").read_text("utf-8")
    # The BOM file still has its title; site-absolute links with transliterated anchors resolve.
    assert "<title>aria-live · Help Centre</title>" in page
    assert 'href="../aria-attrs/#atributy-izmenyayushchihsya-oblastey"' in page
    bom = (tmp_path / "out/js/array-tosorted/index.html").read_text("utf-8")
    assert "<code>.toSorted()</code>" in bom
    # `${{ matrix.os }}` in real articles stays literal text.
    texts = [p.read_text("utf-8") for p in (tmp_path / "out").rglob("index.html")]
    assert any("${{ matrix.os }}" in t for t in texts)


def test_cpp_docs_includes_all_resolve_and_are_not_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Microsoft's C++ docs include fragments 500 times (`[!INCLUDE[…](includes/….md)]`): each one is found,
    and the fragments are parts of pages, not pages. The whole corpus takes minutes to build, so its includes are
    resolved as the build does, and two of its folders are built for real."""
    from kbgen.content.discover import discover
    from kbgen.markdown.includes import candidates, collect, targets

    articles = CORPORA / "en-cpp-docs" / "articles"
    files = discover(articles, [])
    included = collect(articles, files.articles)
    directives = [(rel, t) for rel in files.articles for t in targets((articles / rel).read_text("utf-8", "replace"))]
    missing = [(rel, target) for rel, (syntax, target) in directives
               if not any(c in included.texts for c in candidates(syntax, target, rel))]
    print(f"en-cpp-docs: {len(directives)} includes of {len(included.texts)} files, {len(missing)} not found")
    assert len(directives) >= 400 and missing == []
    assert all("/includes/" in rel for rel in included.texts)

    for folder in ("get-started", "overview"):
        shutil.copytree(articles / folder, tmp_path / "content" / folder)
    (tmp_path / "kbgen.yml").write_text("severity: {broken-link: ignore, broken-anchor: ignore, missing-image: ignore, "
                                        "missing-file: ignore, link-case: ignore}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 0, result.stderr[-2000:]
    assert "missing-include" not in result.stderr
    assert not (tmp_path / "site" / "get-started" / "includes").exists()
    pages = "".join(p.read_text("utf-8") for p in (tmp_path / "site").rglob("index.html"))
    assert "[!INCLUDE" not in pages and "Add Git source control" in pages  # the fragment's own heading
