"""BM25F over the postings of the query's stems, and the order of the results: engine.py turns the query into
clauses and reads the postings, this module scores them. Its docstring says why the ranking is as it is;
`score` in themes/default/assets/search-core.js is the same arithmetic in the same order (browser and CLI agree to
the last bit, tests/test_search.py)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from kbgen.search.format import Manifest, Posting

#: A match through another form of the reader's word. Lower ranks exact forms higher still, but costs relevance on
#: real English queries, where stemming joins forms readers treat as one word: at 0.85 the MAP of npl (in
#: ../shared/corpora) falls under the BM25 baseline; 0.9 keeps every collection above it.
STEMMED_WEIGHT = 0.9
AND_WORDS = 3
#: A question word's weight beside a query's subject words (its own stem's: 1.0): "how many", "do I have to" still
#: say a little.
QUESTION_WEIGHT = 0.1
#: How much more an article scores when its title names the query's subject: the title has the query's subject
#: words (by their share of the query's idf: a title with the query's rare word says more than one with its
#: common word) and little else (by the share of the title's words the query has). Any article, not only those
#: that match every word: a reader's question has more words than the title that answers it ("what size sim card
#: does the mkr nb 1500 take" → "What type of SIM does MKR NB 1500 use?"), and a long title that mentions one of
#: them names another subject (npl's titles are their abstracts' first sentence). The title's share lifts ru-doka's
#: title queries from 0.951 to 0.978 (MRR@10); a larger bonus costs its known-item queries, whose words are often
#: the title of a broader article ("Добавляет значение в коллекцию Set" → "Set").
TITLE_BONUS = 0.15


@dataclass
class Hit:
    doc: int
    score: float


@dataclass
class Result:
    hits: list[Hit] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # surface words to highlight
    suggestion: str | None = None  # "did you mean"


class Bm25f:
    """The index's BM25F: k1, and per field (title, headings, body, keywords) a weight, a length normalisation and
    the average length, from the manifest."""

    def __init__(self, manifest: Manifest) -> None:
        self.n, self.avg = manifest.n, manifest.avg
        params = manifest.params
        self.k1, self.b, self.w = params.k1, params.b, params.w

    def idf(self, df: int) -> float:
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def score(self, weight: float, idf: float, tfs: list[int], lens: list[int]) -> float:
        k1, b, w, avg = self.k1, self.b, self.w, self.avg
        tfw = 0.0
        for f in range(4):
            if tfs[f]:
                norm = 1 - b[f] + b[f] * lens[f] / avg[f] if avg[f] else 1
                tfw += w[f] * tfs[f] / norm
        return weight * idf * tfw * (k1 + 1) / (k1 + tfw)


class Tally:
    """Per article, the best score of each clause (a clause scores its best stem), the idf of each subject clause's
    word in the article's title and the title's length; then the order of the articles."""

    def __init__(self, bm25: Bm25f, subject: list[bool]) -> None:
        self.bm25 = bm25
        self.subject = subject  # per clause: a subject word, or one that only phrases a question
        self.scores: dict[int, list[float]] = {}
        self.in_title: dict[int, list[float]] = {}  # per article and subject clause: its word's idf in the title
        self.clause_idf = [0.0] * len(subject)  # per subject clause: the idf of its rarest word
        self.title_len: dict[int, int] = {}  # per article with a query word in its title: the title's terms

    def add(self, ci: int, postings: list[Posting], weight: float,
            own: Callable[[str | None], bool] | None) -> None:
        """Clause `ci`'s postings of one of its stems, at `weight`; for the stem of the reader's own word, `own`
        tells the articles that use the word as typed (the others match through another form of it)."""
        subject = self.subject[ci]
        idf = self.bm25.idf(len(postings))
        if subject:
            self.clause_idf[ci] = max(self.clause_idf[ci], idf)
        for doc, tfs, lens, used in postings:
            if own is not None:
                weight = (1.0 if own(used) else STEMMED_WEIGHT) * (1.0 if subject else QUESTION_WEIGHT)
            score = self.bm25.score(weight, idf, tfs, lens)
            row = self.scores.get(doc)
            if row is None:
                row = self.scores[doc] = [0.0] * len(self.subject)
                self.in_title[doc] = [0.0] * len(self.subject)
            if score > row[ci]:
                row[ci] = score
            if tfs[0] and subject and idf > self.in_title[doc][ci]:
                self.in_title[doc][ci] = idf
                self.title_len[doc] = lens[0]

    def ranked(self, wanted: int) -> list[Hit]:
        """The articles, best first: with at most AND_WORDS `wanted` subject clauses, those that match them all come
        first; each scores up to TITLE_BONUS more as its title names the subject; ties go to the lower article id."""
        use_and = 0 < wanted <= AND_WORDS
        ranked = []
        for doc, row in self.scores.items():
            total = 0.0
            matched = 0
            for ci, v in enumerate(row):
                total += v
                if v > 0 and self.subject[ci]:
                    matched += 1
            tier = 1 if use_and and matched == wanted else 0
            titled = _sum(self.in_title[doc])
            if titled:
                total *= 1 + TITLE_BONUS * (titled / _sum(self.clause_idf)) * self._title_share(doc)
            ranked.append((-tier, -total, doc))
        ranked.sort()
        return [Hit(doc, -score) for _, score, doc in ranked]

    def _title_share(self, doc: int) -> float:
        """The share of the article's title terms that the query's subject words are (at most 1: a word repeated)."""
        return min(1.0, sum(1 for v in self.in_title[doc] if v) / self.title_len[doc])


def _sum(values: list[float]) -> float:
    """Left to right, as search-core.js adds (Python 3.12's sum() compensates, which may differ in the last bit)."""
    total = 0.0
    for v in values:
        total += v
    return total
