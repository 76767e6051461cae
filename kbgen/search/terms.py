"""One article's index terms, counted when the article loads rather than when the index is exported.

Counting terms is per-file work like rendering: it runs on every core in the load stage's workers and is cached
with the rendered HTML by content hash, so a rebuild or a preview save counts only the files that changed, and the
export (which runs beside page rendering) is left with merging.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kbgen.search.analysis import STOPWORDS, stem, words

if TYPE_CHECKING:
    from kbgen.markdown import Rendered

#: The weighted fields, in the order postings store them.
FIELDS = ("title", "headings", "body", "keywords")


@dataclass(frozen=True)
class ArticleTerms:
    counts: dict[str, tuple[int, int, int, int]]  # stem → how often it occurs in each of FIELDS
    lengths: tuple[int, int, int, int]  # words counted in each field (stop words are not)
    surfaces: dict[str, str]  # every word counted → its stem


def field_texts(title: str, rendered: Rendered | None, meta: dict[str, Any]) -> tuple[str, str, str, str]:
    """The text of each of FIELDS: the title, the section headings, the description and section texts, keywords."""
    sections = rendered.sections if rendered else []
    headings = " ".join(s.title for s in sections if s.id)
    body = " ".join(filter(None, [meta.get("description") or ""] + [s.text for s in sections]))
    keywords = " ".join(meta.get("keywords") or ())
    return title, headings, body, keywords


def article_terms(fields: tuple[str, ...]) -> ArticleTerms:
    counts: dict[str, list[int]] = {}
    surfaces: dict[str, str] = {}
    lengths = []
    for f, text in enumerate(fields):
        n = 0
        for w, tf in Counter(words(text)).items():  # counted in C: each distinct word once per field
            if w in STOPWORDS:
                continue
            s = surfaces.get(w)
            if s is None:
                s = surfaces[w] = stem(w)
            row = counts.get(s)
            if row is None:
                row = counts[s] = [0, 0, 0, 0]
            row[f] += tf
            n += tf
        lengths.append(n)
    return ArticleTerms({s: tuple(row) for s, row in counts.items()}, tuple(lengths), surfaces)  # type: ignore[misc]
