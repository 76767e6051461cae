"""Content gaps: what readers searched for and did not find, what they found but did not open, and the articles
they said did not help."""

from __future__ import annotations

from dataclasses import dataclass

from kbgen.report.answering import Answerer
from kbgen.report.demand import Demand

STILL_NO_RESULT = "still no result"
NOW_ANSWERED = "now answered"
#: Searches listed per section, most frequent first. Only these are asked again and given a "did you mean" (a few
#: milliseconds each: a million one-off searches took ten minutes); the rest are counted as `Others`.
MAX_LISTED = 500


@dataclass
class ZeroResultQuery:
    query: str  # the spelling readers used most (personal data already masked)
    key: str  # what it means to the search analyser: every spelling counted here shares it
    count: int  # searches that found nothing
    searches: int  # all searches of it
    status: str  # STILL_NO_RESULT | NOW_ANSWERED
    answered_by: dict | None  # {"url", "title"} when NOW_ANSWERED
    did_you_mean: str | None
    spellings: list[str]


@dataclass
class Others:
    """The distinct searches a section does not list (past MAX_LISTED), and how many searches they were."""

    queries: int = 0
    searches: int = 0


@dataclass
class NoClickQuery:
    query: str
    searches: int
    clicks: int


@dataclass
class UnhelpfulArticle:
    url: str
    title: str
    unhelpful: int
    helpful: int


def zero_result_queries(demand: Demand, answerer: Answerer, min_count: int) -> tuple[list[ZeroResultQuery], Others]:
    """Searches that found nothing at least `min_count` times, most frequent first, each asked again today; at most
    MAX_LISTED of them, the rest counted in `Others`.

    A source without result counts (a CSV of queries only) is judged by today's index alone; a search of which
    any may have found nothing is ranked by that, and only the ones listed are asked.
    """
    candidates = [(-(stats.zero + stats.unknown), stats.shown, key) for key, stats in demand.queries.items()
                  if stats.zero + stats.unknown >= max(min_count, 1)]
    candidates.sort()
    others = Others(len(candidates[MAX_LISTED:]), sum(-n for n, _shown, _key in candidates[MAX_LISTED:]))
    out = []
    for _n, _shown, key in candidates[:MAX_LISTED]:
        stats = demand.queries[key]
        lang = stats.langs.most_common(1)[0][0] if stats.langs else ""
        answer = answerer.answer(stats.shown, lang)
        zero = stats.zero + (0 if answer else stats.unknown)
        if zero < min_count or zero == 0:
            continue
        suggestion = None if answer else answerer.suggest(stats.shown, lang)
        out.append(ZeroResultQuery(
            stats.shown, key, zero, stats.searches, NOW_ANSWERED if answer else STILL_NO_RESULT,
            {"url": answer.url, "title": answer.title} if answer else None, suggestion,
            [form for form, _ in stats.forms.most_common()]))
    out.sort(key=lambda q: (-q.count, q.query))
    return out, others


def no_click_queries(demand: Demand, min_count: int) -> tuple[list[NoClickQuery], Others]:
    """Searches that found something but whose results nobody opened: the answer is there but not recognised.
    At most MAX_LISTED, the rest counted in `Others`."""
    out = []
    for stats in demand.queries.values():
        found = stats.searches - stats.zero - stats.unknown
        if found >= min_count and found > 0 and stats.clicks == 0:
            out.append(NoClickQuery(stats.shown, found, 0))
    out.sort(key=lambda q: (-q.searches, q.query))
    return out[:MAX_LISTED], Others(len(out[MAX_LISTED:]), sum(q.searches for q in out[MAX_LISTED:]))


def unhelpful_articles(demand: Demand, titles: dict[str, str], min_count: int) -> list[UnhelpfulArticle]:
    out = [UnhelpfulArticle(url, titles.get(url, url), v.unhelpful, v.helpful)
           for url, v in demand.votes.items() if v.unhelpful >= max(min_count, 1)]
    out.sort(key=lambda a: (-a.unhelpful, a.helpful, a.url))
    return out
