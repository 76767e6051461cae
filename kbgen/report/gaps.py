"""Content gaps: what readers searched for and did not find, what they found but did not open, and the articles
they said did not help."""

from __future__ import annotations

from dataclasses import dataclass

from kbgen.report.answering import Answerer
from kbgen.report.demand import Demand

STILL_NO_RESULT = "still no result"
NOW_ANSWERED = "now answered"


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


def zero_result_queries(demand: Demand, answerer: Answerer, min_count: int) -> list[ZeroResultQuery]:
    """Searches that found nothing at least `min_count` times, most frequent first, each asked again today.

    A source without result counts (a CSV of queries only) is judged by today's index alone.
    """
    out = []
    for key, stats in demand.queries.items():
        answer = None
        zero = stats.zero
        lang = stats.langs.most_common(1)[0][0] if stats.langs else ""
        if stats.unknown:
            answer = answerer.answer(stats.shown, lang)
            zero += 0 if answer else stats.unknown
        if zero < min_count or zero == 0:
            continue
        if not stats.unknown:
            answer = answerer.answer(stats.shown, lang)
        suggestion = None if answer else answerer.suggest(stats.shown, lang)
        out.append(ZeroResultQuery(
            stats.shown, key, zero, stats.searches, NOW_ANSWERED if answer else STILL_NO_RESULT,
            {"url": answer.url, "title": answer.title} if answer else None, suggestion,
            [form for form, _ in stats.forms.most_common()]))
    out.sort(key=lambda q: (-q.count, q.query))
    return out


def no_click_queries(demand: Demand, min_count: int) -> list[NoClickQuery]:
    """Searches that found something but whose results nobody opened: the answer is there but not recognised."""
    out = []
    for stats in demand.queries.values():
        found = stats.searches - stats.zero - stats.unknown
        if found >= min_count and found > 0 and stats.clicks == 0:
            out.append(NoClickQuery(stats.shown, found, 0))
    out.sort(key=lambda q: (-q.searches, q.query))
    return out


def unhelpful_articles(demand: Demand, titles: dict[str, str], min_count: int) -> list[UnhelpfulArticle]:
    out = [UnhelpfulArticle(url, titles.get(url, url), v.unhelpful, v.helpful)
           for url, v in demand.votes.items() if v.unhelpful >= max(min_count, 1)]
    out.sort(key=lambda a: (-a.unhelpful, a.helpful, a.url))
    return out
