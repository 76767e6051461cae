"""Which articles are due for review: when each was last updated, how often it must be reviewed, and its status.

Last updated comes from the front matter's `updated`, else the last git commit that touched the file, else the
file's time, and the report says which. Git is asked once for the whole content tree (`git log --name-only`),
never once per file: a 10,000-article site would otherwise start 10,000 processes.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kbgen.article import Article
from kbgen.site import Site

#: An article due within this many days is "due soon".
DUE_SOON_DAYS = 14

OVERDUE, DUE_SOON, OK = "overdue", "due soon", "ok"
_STATUS_ORDER = {OVERDUE: 0, DUE_SOON: 1, OK: 2}


@dataclass
class StaleArticle:
    url: str
    source: str  # path in the content folder
    title: str
    owner: str | None
    updated: dt.date
    updated_from: str  # "front matter" | "git" | "file time"
    review_every: int  # days
    review_from: str  # "article" | "_category.yml of <folder>" | "stale_after"
    due: dt.date
    status: str
    age_days: int
    demand: int = 0  # views and clicks over the report's period


@dataclass
class GitDates:
    """Last commit date of each file (path relative to the content folder), and what git could not say."""

    dates: dict[str, dt.date]
    available: bool
    shallow: bool
    processes: int = 0


def git_dates(content_dir: Path) -> GitDates:
    """One `git log` over the content folder: the first time a path shows up is its last commit."""
    git = shutil.which("git")
    git_dir = _git_dir(content_dir)
    if git is None or git_dir is None:
        return GitDates({}, available=False, shallow=False)
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


def _is_shallow(git_dir: Path) -> bool:
    common = git_dir
    commondir = git_dir / "commondir"
    if commondir.is_file():
        common = (git_dir / commondir.read_text(encoding="utf-8").strip()).resolve()
    return (git_dir / "shallow").exists() or (common / "shallow").exists()


def review_period(article: Article, default_days: int) -> tuple[int, str]:
    """The article's own `review_every`, else the nearest category's, else the site's `stale_after`."""
    own = article.meta.get("review_every")
    if own:
        return own, "article"
    cat = article.category
    while cat is not None:
        if getattr(cat, "review_every", None):
            return cat.review_every, f"_category.yml of {cat.rel or 'content'}"
        cat = cat.parent
    return default_days, "stale_after"


def stale_articles(site: Site, default_days: int, git: GitDates, today: dt.date,
                   demand: dict[str, int]) -> list[StaleArticle]:
    """Every published article with its review status, the most urgent and most read first."""
    out = []
    for a in site.articles:
        updated, source = _last_updated(a, git)
        period, period_from = review_period(a, default_days)
        due = _plus_days(updated, period)
        left = (due - today).days
        status = OVERDUE if left < 0 else DUE_SOON if left <= DUE_SOON_DAYS else OK
        out.append(StaleArticle(a.url, a.rel, a.title, a.meta.get("owner"), updated, source, period, period_from,
                                due, status, (today - updated).days, demand.get(a.url, 0)))
    out.sort(key=lambda s: (_STATUS_ORDER[s.status], -s.demand, s.due, s.source))
    return out


def _plus_days(day: dt.date, days: int) -> dt.date:
    """`day` plus `days`, or the calendar's last day: `updated: 9999-12-31` is due never, not a crash."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def _last_updated(article: Article, git: GitDates) -> tuple[dt.date, str]:
    if article.meta.get("updated"):
        return article.meta["updated"], "front matter"
    if article.rel in git.dates:
        return git.dates[article.rel], "git"
    return dt.datetime.fromtimestamp(article.mtime, dt.UTC).date(), "file time"
