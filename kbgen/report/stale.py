"""Which articles are due for review: when each was last updated, how often it must be reviewed, and its status.

Last updated is the pages' own date (`kbgen.content.dates`: the front matter's `updated`, else the last git commit that
touched the file, else the file's time), and the report says which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kbgen.content.dates import GitDates, last_updated
from kbgen.content.model import Article, Site

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
        updated, source = last_updated(a, git)
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

