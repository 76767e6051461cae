"""Real knowledge bases from ../shared/corpora build cleanly: one page per article, counts printed."""

from __future__ import annotations

import re
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
