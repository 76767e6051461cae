"""What readers did, counted while the logs stream past: searches grouped by what they mean, clicks, votes, views.

Only counts are kept (one entry per distinct search, page and week), never the events, so memory depends on how
varied the searches are, not on how long the logs are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from kbgen.report.logs import Event

#: How many spellings of one search are remembered to show the most common one.
_MAX_FORMS = 8


@dataclass
class QueryStats:
    """One search as readers meant it (all spellings and word forms of it together)."""

    searches: int = 0
    zero: int = 0  # searches that found nothing
    unknown: int = 0  # searches whose result count the source did not give (CSV without `results`)
    clicks: int = 0
    forms: Counter = field(default_factory=Counter)
    langs: Counter = field(default_factory=Counter)
    last_day: int = 0

    @property
    def shown(self) -> str:
        """The spelling readers used most."""
        return self.forms.most_common(1)[0][0] if self.forms else ""


@dataclass
class Votes:
    helpful: int = 0
    unhelpful: int = 0


class Demand:
    """A `logs.Sink` that counts. `key` turns a search into its group (the search analyser's terms)."""

    def __init__(self, key: Callable[[str], str], article_urls: list[str]) -> None:
        self.key = key
        self.article_urls = set(article_urls)
        self.queries: dict[str, QueryStats] = {}
        self.clicks_by_url: Counter = Counter()
        self.views_by_url: Counter = Counter()  # only articles' URLs: a scanner's random paths are not kept
        self.votes: dict[str, Votes] = {}
        #: Monday's date ordinal → [searches, searches without results].
        self.weeks: dict[int, list[int]] = {}

    def event(self, event: Event) -> None:
        if event.kind == "vote":
            votes = self.votes.setdefault(event.url, Votes())
            if event.helpful:
                votes.helpful += event.count
            else:
                votes.unhelpful += event.count
            return
        if event.kind == "click":
            self.clicks_by_url[event.url] += event.count
        stats = self._query(event.query)
        if stats is None:
            return
        if event.kind == "click":
            stats.clicks += event.count
            return
        stats.searches += event.count
        if event.results is None:
            stats.unknown += event.count
        elif event.results == 0:
            stats.zero += event.count
        if event.lang:
            stats.langs[event.lang] += event.count
        stats.last_day = max(stats.last_day, event.day)
        if len(stats.forms) < _MAX_FORMS or event.query in stats.forms:
            stats.forms[event.query] += event.count
        if event.day and event.results is not None:
            week = self.weeks.setdefault(event.day - (event.day - 1) % 7, [0, 0])  # ordinal 1 was a Monday
            week[0] += event.count
            week[1] += event.count if event.results == 0 else 0

    def view(self, path: str, count: int) -> None:
        """A logged path matches the article URL it ends with, so a site published under a prefix
        (`/help/billing/refunds/`) is counted too."""
        path = path.lstrip("/")
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        while path not in self.article_urls:
            cut = path.find("/")
            if cut < 0 or cut == len(path) - 1:
                return
            path = path[cut + 1:]
        self.views_by_url[path] += count

    def _query(self, query: str) -> QueryStats | None:
        key = self.key(query)
        if not key:
            return None
        stats = self.queries.get(key)
        if stats is None:
            stats = self.queries[key] = QueryStats()
        return stats

    def demand_by_url(self) -> dict[str, int]:
        """Views plus clicks from search results per article URL."""
        out = Counter(self.views_by_url)
        for url, count in self.clicks_by_url.items():
            if url in self.article_urls:
                out[url] += count
        return dict(out)
