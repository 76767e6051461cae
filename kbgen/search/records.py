"""Articles → search records: the fields BM25F weighs, and the sections shown as deep-linked sub-results.

A record is one article. Its `##`/`###` sections (and a FAQ page's questions, which are its `##` headings) are
sub-results: the article is ranked as a whole, then the reader's browser picks the section whose words match the
query best and links to its anchor. Ranking whole articles keeps the index small (one posting per article and
term, not one per section) and matches how readers judge a hit: the article that answers, then where.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbgen.content.model import Article, Site

#: The weighted fields, in the order postings store them.
FIELDS = ("title", "headings", "body", "keywords")

#: Display text kept per section and per article: enough for an excerpt around a match, small on the wire.
SECTION_TEXT_LIMIT = 800
ARTICLE_TEXT_LIMIT = 4000


@dataclass(frozen=True)
class SubResult:
    anchor: str  # "" is the article's introduction
    title: str
    text: str


@dataclass(frozen=True)
class Record:
    key: str  # the source path inside the content folder: "billing/refunds.md"
    url: str  # relative to the site (or language) root: "billing/refunds/"
    title: str
    breadcrumb: tuple[str, ...]
    fields: tuple[str, str, str, str]  # text of each of FIELDS
    sections: tuple[SubResult, ...]


def searchable(article: Article) -> bool:
    return article.meta.get("search", True) is not False


class Records(Sequence[Record]):
    """Records made one at a time, as the export reads them: each reads its article's text from the render cache
    (`kbgen.content.cache`), so a big site's records are never all in memory at once (issue 20). Their `keys`
    cost nothing to list."""

    def __init__(self, articles: list[Article]) -> None:
        self._articles = articles

    @property
    def keys(self) -> list[str]:
        return [a.rel for a in self._articles]

    def __len__(self) -> int:
        return len(self._articles)

    def __getitem__(self, i):  # type: ignore[override]
        return record(self._articles[i])

    def __iter__(self) -> Iterator[Record]:
        return map(record, self._articles)


def records(site: Site, articles: list[Article] | None = None) -> Records:
    """One record per searchable article, in source-path order (which is also the tie-break order)."""
    chosen = site.articles if articles is None else articles
    return Records([a for a in sorted(chosen, key=lambda a: a.rel) if searchable(a)])


def record_keys(chosen: Sequence[Record]) -> list[str]:
    """The source paths of `chosen`, without making the records of `Records`."""
    return chosen.keys if isinstance(chosen, Records) else [r.key for r in chosen]


def record(article: Article) -> Record:
    rendered = article.result.rendered
    sections = rendered.sections if rendered else []
    headings = " ".join(s.title for s in sections if s.id)
    body = " ".join(filter(None, [article.meta.get("description") or ""] + [s.text for s in sections]))
    keywords = " ".join(article.meta.get("keywords") or ())
    return Record(
        key=article.rel, url=article.url, title=article.title, breadcrumb=_breadcrumb(article),
        fields=(article.title, headings, body, keywords), sections=_sub_results(sections),
    )


def _breadcrumb(article: Article) -> tuple[str, ...]:
    cat = article.category
    if cat is None or cat.parent is None:
        return ()
    chain = [c.title for c in cat.ancestors()]
    if not article.is_index:
        chain.append(cat.title)
    return tuple(chain)


def _sub_results(sections) -> tuple[SubResult, ...]:
    out, budget = [], ARTICLE_TEXT_LIMIT
    for s in sections:
        text = s.text[: max(0, min(SECTION_TEXT_LIMIT, budget))]
        budget -= len(text)
        if s.id or text:
            out.append(SubResult(s.id, s.title if s.id else "", text))
    return tuple(out)
