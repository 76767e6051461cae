"""A team builds its help centre from git: every page says when its article last changed in git (not when the
clone was made), the sitemap and the feed agree, a shallow CI clone is said once, and `--verbose` shows where
each date came from."""

from __future__ import annotations

import datetime as dt
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import run
from report_helpers import commit_all, count_git_processes, git

from kbgen.pipeline import BuildOptions
from kbgen.serve.session import PreviewSession

OLD, MIDDLE, RECENT = dt.date(2021, 3, 4), dt.date(2023, 7, 8), dt.date(2025, 1, 2)


def _history(repo: Path) -> None:
    """Three articles committed at three back-dated moments; the files themselves are all of today."""
    (repo / "content/billing").mkdir(parents=True)
    (repo / "kbgen.yml").write_text("site_name: Help\nbase_url: https://help.example.com/\n")
    (repo / "content/billing/refunds.md").write_text("# Refunds\n\nMoney back.\n")
    (repo / "content/setup.md").write_text("# Setup\n\nInstall it.\n")
    commit_all(repo, "first", OLD)
    (repo / "content/setup.md").write_text("# Setup\n\nInstall it now.\n")
    commit_all(repo, "setup changed", MIDDLE)
    (repo / "content/reviewed.md").write_text(f"---\ntitle: Reviewed\nupdated: {RECENT}\n---\nChecked.\n")
    commit_all(repo, "reviewed", OLD.replace(year=2022))


def _page_date(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return re.search(r'<p class="meta">.*?<time datetime="([^"]+)"', html, re.S).group(1)


def test_every_page_dates_from_its_last_commit(tmp_path: Path, monkeypatch, tmp_path_factory) -> None:
    _history(tmp_path)
    calls = count_git_processes(tmp_path_factory.mktemp("bin"), monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = run("build", "--verbose")
    assert result.exit_code == 0, result.output
    assert len(calls.read_text().splitlines()) == 1  # one `git log` for the whole site, never one per file

    site = tmp_path / "site"
    assert _page_date(site, "billing/refunds") == OLD.isoformat()
    assert _page_date(site, "setup") == MIDDLE.isoformat()
    assert _page_date(site, "reviewed") == RECENT.isoformat()  # the writer's `updated:` is their word
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://help.example.com/setup/</loc><lastmod>2023-07-08</lastmod>" in sitemap
    assert "<loc>https://help.example.com/billing/refunds/</loc><lastmod>2021-03-04</lastmod>" in sitemap
    feed = ET.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    updated = {e.findtext("a:title", namespaces=ns): e.findtext("a:updated", namespaces=ns)
               for e in feed.iterfind("a:entry", ns)}
    assert updated["Setup"] == "2023-07-08T00:00:00Z"
    assert updated["Refunds"] == "2021-03-04T00:00:00Z"
    # Where each date came from, for a writer who wonders.
    assert f"setup.md: updated {MIDDLE} (git)" in result.stderr
    assert f"reviewed.md: updated {RECENT} (front matter)" in result.stderr
    assert "shallow" not in result.output


def test_committing_a_built_change_redates_its_page(tmp_path: Path, monkeypatch) -> None:
    _history(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content/setup.md").write_text("# Setup\n\nInstall it today.\n")
    assert run("build").exit_code == 0  # built before the commit: no file changes after it
    git(tmp_path, "commit", "-q", "-am", "setup again", when=RECENT)
    result = run("build")
    assert "up to date" not in result.output
    assert _page_date(tmp_path / "site", "setup") == RECENT.isoformat()


def test_an_uncommitted_article_falls_back_to_its_file_time(tmp_path: Path, monkeypatch) -> None:
    _history(tmp_path)
    new = tmp_path / "content/new.md"
    new.write_text("# New\n")
    stamp = dt.datetime(2024, 5, 6, 12, tzinfo=dt.UTC).timestamp()
    os.utime(new, (stamp, stamp))
    monkeypatch.chdir(tmp_path)
    result = run("check", "--verbose")
    assert result.exit_code == 0, result.output
    assert "new.md: updated 2024-05-06 (file time)" in result.stderr
    assert f"setup.md: updated {MIDDLE} (git)" in result.stderr


def test_a_shallow_clone_is_said_once(tmp_path: Path, monkeypatch) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    _history(origin)
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "clone")
    monkeypatch.chdir(tmp_path / "clone")

    result = run("build")
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if "shallow" in line]
    assert len(said) == 1, result.stderr
    assert said[0].startswith("content: warning[shallow-clone]:")
    assert "fetch-depth: 0" in said[0]
    # Its dates are still git's: the last commit, the only one the clone has.
    assert _page_date(tmp_path / "clone/site", "billing/refunds") == OLD.replace(year=2022).isoformat()


def test_the_preview_shows_the_dates_the_build_gives(tmp_path: Path, monkeypatch) -> None:
    _history(tmp_path)
    monkeypatch.chdir(tmp_path)
    session = PreviewSession(BuildOptions(), log=lambda line: None)
    assert f'<time datetime="{MIDDLE}">' in session.page("setup/index.html")
    assert f'<time datetime="{OLD}">' in session.page("billing/refunds/index.html")
