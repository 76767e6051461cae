"""Shared by the report tests: a real git repository with commits dated in the past."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

from conftest import run

GOLDEN_SOURCE = Path(__file__).parent / "sites" / "golden"


def build_golden(tmp_path: Path, monkeypatch, config_extra: str = "", files: dict[str, str] | None = None) -> Path:
    """A copy of the golden site, `config_extra` added to its kbgen.yml and `files` written into it, built with
    `kbgen build` in its folder (the current directory from then on); the built site's folder."""
    shutil.copytree(GOLDEN_SOURCE, tmp_path / "kb")
    with (tmp_path / "kb" / "kbgen.yml").open("a", encoding="utf-8") as f:
        f.write(config_extra)
    for name, text in (files or {}).items():
        (tmp_path / "kb" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "kb" / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "kb")
    result = run("build")
    assert result.exit_code == 0, result.output
    return tmp_path / "kb" / "site"


def git(repo: Path, *args: str, when: dt.date | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Writer", "GIT_AUTHOR_EMAIL": "writer@example.com",
           "GIT_COMMITTER_NAME": "Writer", "GIT_COMMITTER_EMAIL": "writer@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if when is not None:
        stamp = f"{when.isoformat()}T12:00:00+00:00"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def count_git_processes(bin_dir: Path, monkeypatch) -> Path:
    """A `git` first on PATH that leaves a line in the returned file each time it is started."""
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout.strip()
    calls = bin_dir / "calls.log"
    wrapper = bin_dir / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{real_git}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return calls


def commit_all(repo: Path, message: str, when: dt.date) -> None:
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


def days_ago(n: int) -> dt.date:
    return dt.datetime.now(dt.UTC).date() - dt.timedelta(days=n)


def report_json(*args: str) -> dict:
    """`kbgen report --format json ARGS`, which must succeed, as data."""
    result = run("report", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def search_for(page, query: str) -> int:
    """Type into the header's search box like a reader; the number of results the box reports."""
    box = page.locator("header input[type=search]")
    box.fill("")
    box.press_sequentially(query, delay=30)
    # The box answers every keystroke; wait for its answer to the whole query, not to a prefix of it.
    page.wait_for_function("""([q, typed]) => {
        const popup = document.getElementById('kb-search-popup');
        if (popup.hidden) return false;
        const all = popup.querySelector('.search-all');
        if (all) return all.getAttribute('href').endsWith('?q=' + encodeURIComponent(q));
        return popup.querySelector('.search-none') !== null && Date.now() - typed > 1000;
    }""", arg=[query, page.evaluate("Date.now()")])
    total = page.locator("#kb-search-popup .search-all")
    return int("".join(c for c in total.inner_text() if c.isdigit())) if total.count() else 0


def reader_session(page, zero_query: str = "wombat zzqx") -> int:
    """Two searches left to settle (the second, `zero_query`, finds nothing), a third whose first result is
    followed, then "No" to "Was this helpful?" on that article. Returns the first search's result count."""
    found = search_for(page, "refund")
    page.wait_for_timeout(1800)  # the search settles after 1.5 s without typing
    assert search_for(page, zero_query) == 0
    page.wait_for_timeout(1800)
    search_for(page, "invoice")
    with page.expect_navigation():
        page.locator("#kb-search-popup .search-option").first.click()
    page.locator("[data-kbgen-feedback] [data-kbgen-vote=no]").click()
    return found


def wait_until(page, ready, tries: int = 150) -> None:
    """Let the page run until `ready()` (requests sent from it have arrived), at most `tries` tenths of a second."""
    for _ in range(tries):
        if ready():
            return
        page.wait_for_timeout(100)
