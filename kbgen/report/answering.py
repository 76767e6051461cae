"""Asking the current site a search again: which article answers it now, and what a mistyped search meant.

The report's only contact with a search engine, behind one small protocol, so the engine can change without the
report noticing. Until kbgen has its own search engine on every branch, this is a whoosh index built from the
articles in memory; whoosh stays inside this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from kbgen.site import Site

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class Answer:
    url: str
    title: str


class Answerer(Protocol):
    def key(self, query: str) -> str:
        """What a search means, for grouping: case, spacing, ё/е and word forms removed (`Refunds  card` and
        `card refund` give the same key)."""

    def answer(self, query: str) -> Answer | None:
        """The best article for the search on the current site, or None."""

    def suggest(self, query: str) -> str | None:
        """A corrected spelling that finds something, when the search looks like a typo."""


def make_answerer(site: Site) -> Answerer:
    """The one place that picks the engine."""
    return WhooshAnswerer(site)


@lru_cache(maxsize=1)
def _analyzer():
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, SubstitutionFilter

    return (RegexTokenizer(r"[^\W_]+") | LowercaseFilter() | SubstitutionFilter("ё", "е")
            | StopFilter(lang="en") | StemFilter(stemfn=_stem, cachesize=100_000))


def _stem(word: str) -> str:
    """Per word, so a page mixing English and Russian stems both right. (Module level: whoosh pickles it.)"""
    from whoosh.lang import stemmer_for_language

    return stemmer_for_language("ru" if _CYRILLIC.search(word) else "en")(word)


class WhooshAnswerer:
    """An in-memory whoosh index of the site's searchable articles (title, keywords, text)."""

    def __init__(self, site: Site) -> None:
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.filedb.filestore import RamStorage

        analyzer = _analyzer()
        schema = Schema(url=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer, stored=True, spelling=True),
                        keywords=TEXT(analyzer=analyzer), body=TEXT(analyzer=analyzer, spelling=True))
        self._index = RamStorage().create_index(schema)
        writer = self._index.writer()
        for a in site.articles:
            if a.meta.get("search") is False or a.result.rendered is None:
                continue
            writer.add_document(url=a.url, title=a.title, keywords=" ".join(a.meta.get("keywords") or ()),
                                body=a.result.rendered.text)
        writer.commit()
        self._searcher = self._index.searcher()
        self._key = lru_cache(maxsize=200_000)(self._key_uncached)

    def key(self, query: str) -> str:
        return self._key(query)

    def _key_uncached(self, query: str) -> str:
        return " ".join(sorted({t.text for t in _analyzer()(query)}))

    def _parse(self, query: str):
        from whoosh.qparser import MultifieldParser

        return MultifieldParser(["title", "keywords", "body"], self._index.schema).parse(_plain(query))

    def answer(self, query: str) -> Answer | None:
        if not self.key(query):
            return None
        hits = self._searcher.search(self._parse(query), limit=1)
        if not hits:
            return None
        return Answer(hits[0]["url"], hits[0]["title"])

    def suggest(self, query: str) -> str | None:
        from whoosh.qparser import QueryParser

        plain = _plain(query)
        parsed = QueryParser("body", self._index.schema).parse(plain)
        corrected = self._searcher.correct_query(parsed, plain)
        if corrected.query == parsed or corrected.string.casefold() == plain.casefold():
            return None
        return corrected.string if self.answer(corrected.string) else None


def _plain(query: str) -> str:
    """Readers type words, not query syntax: letters and digits only, lower case so `NOT` is no operator."""
    return " ".join(re.findall(r"[^\W_]+", query.lower()))
