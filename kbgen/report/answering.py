"""Asking the current site a search again: which article answers it now, and what a mistyped search meant.

The report's only contact with a search engine, behind one small protocol. Searches are grouped and re-run with
kbgen's own search (`kbgen.search`: the same analysis and ranking as the reader's browser, over an index exported
in memory from the articles as they are now), so "now answered" means the published site would answer it. The
"did you mean" is the engine's too, the one the site's results page offers: a report never suggests a spelling the
site would not correct to (whoosh's spelling correction, used here before, turned "wire transfer" into "here
transfer").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kbgen.config.settings import Config
    from kbgen.content.model import Site


@dataclass(frozen=True)
class Answer:
    url: str  # relative to the site root
    title: str


class Answerer(Protocol):
    def key(self, query: str) -> str:
        """What a search means, for grouping: case, spacing, ё/е and word forms removed (`Refunds  card` and
        `card refund` give the same key)."""

    def answer(self, query: str, lang: str = "") -> Answer | None:
        """The best article for the search on the current site, or None."""

    def suggest(self, query: str, lang: str = "") -> str | None:
        """A corrected spelling that finds something, when the search looks like a typo."""


def make_answerer(site: Site, config: Config) -> Answerer:
    """The one place that picks the engine."""
    return EngineAnswerer(site, config)


class EngineAnswerer:
    """kbgen's search engine over an in-memory export of each language's searchable articles."""

    def __init__(self, site: Site, config: Config) -> None:
        self._site = site
        self._config = config
        self._engines: dict[str, tuple] = {}
        # Frequent searches repeat; a million distinct ones must not be held twice (Demand keeps its own).
        self._key = lru_cache(maxsize=50_000)(self._key_uncached)
        from kbgen.search.publish import languages

        self._languages = {lang: articles for lang, _folder, articles in languages(site, config)}
        self._default = next(iter(self._languages), config.language)

    def key(self, query: str) -> str:
        return self._key(query)

    @staticmethod
    def _key_uncached(query: str) -> str:
        from kbgen.search.analysis import terms

        return " ".join(sorted(set(terms(query))))

    def _engine(self, lang: str):
        """(SearchIndex, id → source path) of one language, exported on first use."""
        lang = lang if lang in self._languages else self._default
        if lang not in self._engines:
            from kbgen.search.engine import SearchIndex
            from kbgen.search.export import export
            from kbgen.search.records import records

            recs = records(self._site, self._languages.get(lang, []))
            exported = export(recs, None, None, lang)
            keys = {i: key for key, i in exported.ids.items()}
            self._engines[lang] = (SearchIndex.from_files(exported.files), keys)
        return self._engines[lang]

    def answer(self, query: str, lang: str = "") -> Answer | None:
        index, keys = self._engine(lang)
        result = index.search(query)
        if not result.hits:
            return None
        article = self._site.by_rel.get(keys[result.hits[0].doc])
        return Answer(article.url, article.title) if article else None

    def suggest(self, query: str, lang: str = "") -> str | None:
        index, _keys = self._engine(lang)
        suggestion = index.search(query).suggestion
        if not suggestion or suggestion.casefold() == query.casefold():
            return None
        return suggestion if self.answer(suggestion, lang) else None
