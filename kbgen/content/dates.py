"""When each article was last updated: its front matter, else git, else its file's time — one rule for the pages,
the sitemap, the feed and the report.

Git is asked once for the whole content tree (`git log --name-only`), never once per file: a 10,000-article site
would otherwise start 10,000 processes. A shallow clone (as CI makes by default) lacks old commits, so every
article would look as new as the clone: the caller says so.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbgen.content.model import Article

SHALLOW_HINT = ("commits older than the clone's depth are missing, so articles may look more recently updated "
                "than they are; fetch the full history (git fetch --unshallow; in CI, checkout with "
                "fetch-depth: 0)")


@dataclass
class GitDates:
    """Last commit date of each file (path relative to the content folder), and what git could not say."""

    dates: dict[str, dt.date]
    available: bool
    shallow: bool
    processes: int = 0


NO_GIT = GitDates({}, available=False, shallow=False)


def git_dates(content_dir: Path) -> GitDates:
    """One `git log` over the content folder: the first time a path shows up is its last commit."""
    import shutil  # here: a build with nothing to do never asks git
    import subprocess

    git = shutil.which("git")
    git_dir = _git_dir(content_dir)
    if git is None or git_dir is None:
        return NO_GIT
    shallow = _is_shallow(git_dir)
    try:
        out = subprocess.run(
            [git, "-c", "core.quotepath=off", "log", "--name-only", "--relative", "--no-renames",
             "--format=%x00%ct", "--", "."],
            cwd=content_dir, capture_output=True, check=True, env={**os.environ, "GIT_PAGER": "cat"},
        ).stdout.decode("utf-8", "replace")
    except (subprocess.CalledProcessError, OSError):
        return GitDates({}, available=False, shallow=shallow, processes=1)
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in out.split("\n"):
        if line.startswith("\0"):
            current = dt.datetime.fromtimestamp(int(line[1:]), dt.UTC).date()
        elif line and current is not None and line not in dates:
            dates[line] = current
    return GitDates(dates, available=True, shallow=shallow, processes=1)


def last_updated(article: Article, git: GitDates) -> tuple[dt.date, str]:
    """The article's date and where it came from, with what git says (the rule: `Article.last_updated`)."""
    return article.last_updated(git.dates)


def date_articles(articles: Iterable[Article], git: GitDates) -> None:
    """Give every article its date, as the pages, sitemap and feed show it."""
    for a in articles:
        a.dated = last_updated(a, git)


def git_head(content_dir: Path) -> str:
    """The commit checked out, read from the git folder without a process: a new commit changes pages' dates
    even when no file changed, so it is part of what a build's output depends on."""
    git_dir = _git_dir(content_dir)
    if git_dir is None:
        return ""
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
        if head.startswith("ref:"):
            common = _common_dir(git_dir)
            ref = head[4:].strip()
            loose = common / ref
            if loose.is_file():
                return loose.read_text(encoding="utf-8", errors="replace").strip()
            packed = common / "packed-refs"
            for line in packed.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.endswith(f" {ref}"):
                    return line.split(" ", 1)[0]
        return head
    except OSError:
        return ""


def _git_dir(start: Path) -> Path | None:
    """The repository's git folder, found by walking up (no git process: the one allowed is for the dates)."""
    for folder in [start, *start.parents]:
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # a worktree or submodule: `gitdir: <path>`
            text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (folder / text[len("gitdir:"):].strip()).resolve()
    return None


def _common_dir(git_dir: Path) -> Path:
    """A worktree's git folder keeps HEAD; the repository's (`commondir`) keeps the refs."""
    commondir = git_dir / "commondir"
    if commondir.is_file():
        return (git_dir / commondir.read_text(encoding="utf-8").strip()).resolve()
    return git_dir


def _is_shallow(git_dir: Path) -> bool:
    return (git_dir / "shallow").exists() or (_common_dir(git_dir) / "shallow").exists()
