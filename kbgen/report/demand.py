"""What readers did, counted while the logs stream past: searches grouped by what they mean, clicks, votes, views.

Only counts are kept (one entry per distinct search, page and week), never the events, so memory depends on how
varied the searches are, not on how long the logs are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from kbgen.events.privacy import mask
from kbgen.report.logs import Event

#: How many spellings of one search are remembered to show the most common one.
_MAX_FORMS = 8
#: Distinct searches remembered at once. Months of a big site's logs hold millions of one-off searches (typos,
#: pasted error messages), and each remembered one costs about a kilobyte. Past this many, the rarer half is
#: folded into `Demand.folded`: still in the totals, no longer listed. A search seen once or twice is below any
#: useful `--min-count`; one that is rare early and frequent later may be counted a little low.
MAX_QUERIES = 100_000


@dataclass(slots=True)
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


@dataclass(slots=True)
class Votes:
    helpful: int = 0
    unhelpful: int = 0


class Demand:
    """A `logs.Sink` that counts. `key` turns a search into its group (the search analyser's terms)."""

    def __init__(self, key: Callable[[str], str], article_urls: list[str]) -> None:
        self.key = key
        self.article_urls = set(article_urls)
        self._masked_urls = _masked_article_urls(article_urls)
        self.queries: dict[str, QueryStats] = {}
        self.clicks_by_url: Counter = Counter()
        self.views_by_url: Counter = Counter()  # only articles' URLs: a scanner's random paths are not kept
        self.votes: dict[str, Votes] = {}
        #: Monday's date ordinal → [searches, searches without results].
        self.weeks: dict[int, list[int]] = {}
        self.folded = QueryStats()  # the searches of every rare search folded away (MAX_QUERIES)
        self.folded_queries = 0  # how many distinct searches those were

    def event(self, event: Event) -> None:
        if event.url:
            event.url = self._masked_urls.get(event.url, event.url)
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
            if len(self.queries) >= MAX_QUERIES:
                self._fold_rarest()
            stats = self.queries[key] = QueryStats()
        return stats

    def _fold_rarest(self) -> None:
        """Forget the rarer half of the distinct searches (fewest searches and clicks, then least recent), keeping
        their counts in `folded` so totals stay exact."""
        ranked = sorted(self.queries, key=lambda k: (self.queries[k].searches + self.queries[k].clicks,
                                                     self.queries[k].last_day, k))
        for key in ranked[: len(ranked) // 2 or 1]:
            stats = self.queries.pop(key)
            self.folded.searches += stats.searches
            self.folded.zero += stats.zero
            self.folded.unknown += stats.unknown
            self.folded.clicks += stats.clicks
            self.folded_queries += 1

    def totals(self) -> tuple[int, int]:
        """(searches, searches without results), folded ones included."""
        kept = self.queries.values()
        return (sum(q.searches for q in kept) + self.folded.searches, sum(q.zero for q in kept) + self.folded.zero)

    def demand_by_url(self) -> dict[str, int]:
        """Views plus clicks from search results per article URL."""
        out = Counter(self.views_by_url)
        for url, count in self.clicks_by_url.items():
            if url in self.article_urls:
                out[url] += count
        return dict(out)


def _masked_article_urls(urls: list[str]) -> dict[str, str]:
    """Article URLs that masking changes (`kb/12345/` → `kb/[number]/`), by their masked form: a click's or vote's
    address is masked as it is read, and is matched back to its article here. Two articles that mask alike are
    left out: a click on either is not counted rather than counted for the wrong one."""
    by_masked: dict[str, str | None] = {}
    for url in urls:
        masked = mask(url)
        if masked != url:
            by_masked[masked] = None if masked in by_masked else url
    return {masked: url for masked, url in by_masked.items() if url is not None}
