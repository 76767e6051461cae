"""Asking the current site a search again: which article answers it now, and what a mistyped search meant.

The report's only contact with a search engine, behind one small protocol. Searches are grouped and re-run with
kbgen's own search (`kbgen.search`: the same analysis and ranking as the reader's browser, over an index exported
in memory from the articles as they are now), so "now answered" means the published site would answer it. The
"did you mean" comes from the engine, else from whoosh's spelling correction over the site's words; whoosh stays
inside this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kbgen.config import Config
    from kbgen.site import Site


#: Longer words get no spelling suggestion: whoosh's Levenshtein automaton grows steeply with the length of the word
#: (one of 3,000 letters took 26 s), and no word a reader mistypes is this long.
MAX_SPELLED_WORD = 32


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
        """(SearchIndex, id → source path, sorted words) of one language, exported on first use."""
        lang = lang if lang in self._languages else self._default
        if lang not in self._engines:
            from kbgen.search.analysis import words
            from kbgen.search.engine import SearchIndex
            from kbgen.search.export import export
            from kbgen.search.records import records

            recs = records(self._site, self._languages.get(lang, []))
            exported = export(recs, None, None, lang)
            vocabulary = sorted({w for r in recs for field in r.fields for w in words(field)})
            keys = {i: key for key, i in exported.ids.items()}
            self._engines[lang] = (SearchIndex.from_files(exported.files), keys, vocabulary)
        return self._engines[lang]

    def answer(self, query: str, lang: str = "") -> Answer | None:
        index, keys, _words = self._engine(lang)
        result = index.search(query)
        if not result.hits:
            return None
        article = self._site.by_rel.get(keys[result.hits[0].doc])
        return Answer(article.url, article.title) if article else None

    def suggest(self, query: str, lang: str = "") -> str | None:
        index, _keys, vocabulary = self._engine(lang)
        suggestion = _spelling_suggestion(query, vocabulary) or index.search(query).suggestion
        if not suggestion or suggestion.casefold() == query.casefold() or not _plausible(query, suggestion):
            return None
        return suggestion if self.answer(suggestion, lang) else None


def _plausible_word(word: str, near: str) -> bool:
    """Two edits, but a word of about the same length: `wire` is no typo of `we`."""
    return word == near or (len(near) >= 4 and abs(len(near) - len(word)) <= 1)


def _plausible(query: str, suggestion: str) -> bool:
    from kbgen.search.analysis import words

    before, after = words(query), words(suggestion)
    return len(before) == len(after) and all(_plausible_word(a, b) for a, b in zip(before, after, strict=True))


def _spelling_suggestion(query: str, vocabulary: list[str]) -> str | None:
    """Each word the site does not use replaced by the nearest one it does (whoosh's Levenshtein automata)."""
    from whoosh.spelling import ListCorrector

    from kbgen.search.analysis import words

    corrector = ListCorrector(vocabulary)
    known = set(vocabulary)
    out, changed = [], False
    for word in words(query):
        if word in known or len(word) > MAX_SPELLED_WORD:
            out.append(word)
            continue
        near = [w for w in corrector.suggest(word, limit=5, maxdist=2) if _plausible_word(word, w)]
        out.append(near[0] if near else word)
        changed = changed or bool(near)
    return " ".join(out) if changed else None
