"""The ranking of `themes/default/assets/search-core.js`, ported line for line so `kbgen search` ranks as the
reader's browser does. Change one, change the other: tests/test_search.py compares them on real corpora.

Both read the exported files (manifest, shards) and nothing else, which is why `kbgen search` uses the export and
not a whoosh index: one index, one ranking, no second analysis that could drift.

The ranking, in short:
- each query word becomes a clause of stems with a weight: its own stem (stemmed as the build stems, so any form
  of a word finds the others: 1.0 in an article that uses the word as typed, STEMMED_WEIGHT in one that has only
  other words of the same stem);
  a Russian word's stem also the stems a letter or two longer (LONGER_STEM_WEIGHT: participles);
  while typing, the last word also as a prefix of other words (0.5); a word the index does not know, as a prefix
  (0.5) or else with typos — 1 edit from 4 letters, 2 from 8 (FUZZY_WEIGHTS: 0.6 and 0.4);
- BM25F scores each stem in each article (per-field weights and length normalisation, idf from N and df); a
  clause scores its best stem; a repeated word counts again (scoring.py);
- articles that match every clause come first when the query has at most AND_WORDS clauses (readers' queries),
  then the rest ("no article has all the words" falls back gracefully); each scores up to TITLE_BONUS more by the
  share of the query's words (weighed by idf) its title has, times the share of its title they are (the article
  named after the subject answers it, and a question has more words than that title); ties go to the lower
  article id, which is source-path order;
- words that only phrase a question ("how do I", «как», analysis.QUESTION_WORDS) count QUESTION_WEIGHT and no
  clause of their own, unless the query has nothing else; a word no article uses is corrected through the typo
  index (typos.py), an edit in its first letters included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kbgen.search.analysis import normalise, stem
from kbgen.search.format import (
    Fragment,
    FragmentGroup,
    Manifest,
    Term,
    TermShard,
    TypoShard,
    decode_postings,
    script_data,
    shard_of,
    uses_word,
)
from kbgen.search.scoring import QUESTION_WEIGHT, Bm25f, Result, Tally
from kbgen.search.typos import deletions

_WORD = re.compile(r"[^\W_]+")
_WORD_END = re.compile(r"[^\W_]$")
PREFIX_WEIGHT = 0.5
PREFIX_MAX = 10
#: A correction's weight by its edit distance: a guess, so in a query of several words the words the site has
#: outweigh it ("what is the coin cell holder" must not turn on "join"); alone, its weight changes no order.
FUZZY_WEIGHTS = (1.0, 0.6, 0.4)
FUZZY_MAX = 3
#: A Russian word's stem also finds the stems one or two letters longer: Snowball's Russian stemmer only strips
#: endings, so a participle keeps a stem of its own (отложить → отлож, отложенный → отложен). Weighed below a
#: prefix: on ru-doka's reader questions MRR@10 0.731 → 0.762 (question 0.755 → 0.786, paraphrase 0.163 → 0.270),
#: known-item 0.9508 → 0.9510; 0.5 costs the known-item queries (0.9499), three letters too.
LONGER_STEM_WEIGHT = 0.3
LONGER_STEM_LETTERS = 2


@dataclass
class _Query:
    """The query as clauses, each a word's stems with their weights; per clause the word's own stem and the word,
    and whether it is a subject word (not one that only phrases a question); the words to suggest."""
    clauses: list[dict[str, float]] = field(default_factory=list)
    typed: list[tuple[str | None, str]] = field(default_factory=list)
    subject: list[bool] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # the suggestion keeps every word the reader typed
    changed: bool = False  # whether a word was corrected (then `shown` is a suggestion)

    def add(self, terms: dict[str, float], exact: str | None, word: str, subject: bool) -> None:
        self.clauses.append(terms)
        self.typed.append((exact, word))
        self.subject.append(subject)


class Missing(Exception):
    """A shard the ranking needs is not loaded yet (the browser fetches it and runs the ranking again)."""


class SearchIndex:
    """An exported index read through `load(name) -> data` (a file under `search/`, or memory)."""

    def __init__(self, load: Callable[[str], dict]) -> None:
        self._load = load
        self.manifest = Manifest.decode(load("manifest"))
        self.bounds = [s.start for s in self.manifest.shards]
        self.names = [s.name for s in self.manifest.shards]
        self.stop = self.manifest.stop
        self.question = self.manifest.question
        self.typo_bounds = [s.start for s in self.manifest.typos]
        self.typo_names = [s.name for s in self.manifest.typos]
        self.typo_prefix = self.manifest.typo_prefix
        self.files: dict[str, TermShard | TypoShard] = {}  # the shards loaded so far, by name
        self._term_shard = {name: i for i, name in enumerate(self.names)}  # a term shard's name → its number

    @classmethod
    def from_folder(cls, folder: Path) -> SearchIndex:
        return cls(lambda name: script_data((folder / f"{name}.js").read_text(encoding="utf-8")))

    @classmethod
    def from_files(cls, files: dict[str, bytes]) -> SearchIndex:
        """Over an export held in memory (`Export.files`)."""
        return cls(lambda name: script_data(files[f"{name}.js"].decode("utf-8")))

    def search(self, query: str, typing: bool = False) -> Result:
        while True:
            missing: set[str] = set()
            result = _rank(self, query, typing, missing)
            if not missing:
                return result
            for name in sorted(missing):
                self.files[name] = self._decode(name, self._load(name))

    def _decode(self, name: str, data: dict) -> TermShard | TypoShard:
        """A shard as the ranking reads it: a term shard with its whole map of words (`TermShard.complete`)."""
        i = self._term_shard.get(name)
        return TypoShard.decode(data) if i is None else TermShard.decode(data).complete(self.bounds, i)

    def fragment(self, doc: int) -> Fragment:
        group, name = self.manifest.fragment_file(doc)
        return FragmentGroup.decode(group, self._load(name)).fragments[doc]

    # --- shard access (identical in search-core.js) ---

    def shard_index(self, key: str) -> int:
        return shard_of(self.bounds, key)

    def shard(self, i: int, missing: set[str]) -> TermShard | None:
        return self.file(self.names[i], missing)

    def typo_shard(self, key: str, missing: set[str]) -> TypoShard | None:
        return self.file(self.typo_names[shard_of(self.typo_bounds, key)], missing)

    def file(self, name: str, missing: set[str]) -> TermShard | TypoShard | None:
        if name in self.files:
            return self.files[name]
        missing.add(name)
        return None


def _stem_of(ix: SearchIndex, word: str, missing: set[str]) -> str | None:
    """The word's stem (any form, seen by the build or not: search-stem.js stems alike), or None when no article
    has it."""
    s = stem(word)
    shard = ix.shard(ix.shard_index(s), missing)
    return s if shard is not None and s in shard.terms else None


def _entry(ix: SearchIndex, stem: str, missing: set[str]) -> Term | None:
    shard = ix.shard(ix.shard_index(stem), missing)
    return None if shard is None else shard.terms.get(stem)


def _df(entry: Term) -> int:
    return entry.postings.count(",") + 1


def _range_keys(ix: SearchIndex, prefix: str, missing: set[str]) -> list[tuple[str, dict]] | None:
    """Every key starting with `prefix`, with its shard; None while a shard of the range is not loaded."""
    first, last = ix.shard_index(prefix), ix.shard_index(prefix + "\uffff")
    keys = []
    for i in range(first, last + 1):
        shard = ix.shard(i, missing)
        if shard is None:
            continue
        keys.extend((k, shard) for k in shard.terms if k.startswith(prefix))
        keys.extend((k, shard) for k in shard.words if k.startswith(prefix) and k not in shard.terms)
    return None if missing else keys


def _prefix_stems(ix: SearchIndex, prefix: str, exact: str | None, missing: set[str]) -> list[str]:
    keys = _range_keys(ix, prefix, missing)
    if keys is None:
        return []
    stems = sorted({shard.words.get(k, k) for k, shard in keys} - {exact})
    ranked = []
    for s in stems:
        entry = _entry(ix, s, missing)
        if entry is not None:
            ranked.append((-_df(entry), s))
    ranked.sort()
    return [s for _, s in ranked[:PREFIX_MAX]]


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[len(b)]


def _near_words(ix: SearchIndex, word: str, limit: int, missing: set[str]) -> list[tuple[int, str, str]]:
    """(distance, surface word, stem) of the words within `limit` edits, wherever the edits are: found through the
    typo index (kbgen/search/typos.py), then measured."""
    beginnings = _typo_beginnings(ix, word, missing)
    if beginnings is None:
        return []
    keys: list[tuple[str, dict]] = []
    for b in beginnings:
        if len(b) < ix.typo_prefix:  # a whole word
            shard = ix.shard(ix.shard_index(b), missing)
            if shard is not None:
                keys.append((b, shard))
        else:
            keys.extend(_range_keys(ix, b, missing) or [])
    if missing:
        return []
    out = []
    for k, shard in keys:
        if k not in shard.words and k not in shard.terms:
            continue
        s = shard.words.get(k, k)
        if k == s and k not in shard.terms[k].forms.split(" "):
            continue  # a stem that is not itself a word: never offer it
        d = _distance(word, k, limit)
        if d <= limit:
            out.append((d, k, s))
    out.sort()
    return out


def _typo_beginnings(ix: SearchIndex, word: str, missing: set[str]) -> list[str] | None:
    """The word beginnings the index keys under the query word's beginning or one of its one-letter deletions;
    None while a typo shard is not loaded."""
    found: set[str] = set()
    for key in deletions(word[: ix.typo_prefix]):
        shard = ix.typo_shard(key, missing)
        if shard is not None and key in shard.beginnings:
            found.update(shard.beginnings[key].split(" "))
    return None if missing else sorted(found)


def _fuzzy_stems(ix: SearchIndex, word: str, missing: set[str]) -> list[tuple[str, int, str]]:
    limit = 2 if len(word) >= 8 else 1
    best: dict[str, tuple[int, str]] = {}
    for d, k, s in _near_words(ix, word, limit, missing):
        if s not in best:
            best[s] = (d, k)
    ranked = []
    for s, (d, k) in best.items():
        entry = _entry(ix, s, missing)
        if entry is not None:
            ranked.append((d, -_df(entry), s, k))
    ranked.sort()
    return [(s, d, k) for d, _, s, k in ranked[:FUZZY_MAX]]


def _rank(ix: SearchIndex, query: str, typing: bool, missing: set[str]) -> Result:
    text = normalise(query)
    ws = _WORD.findall(text)
    partial = typing and bool(_WORD_END.search(text))
    # Question words weigh little when the query has a subject ("how do I publish"); alone, they are the subject.
    asking = any(w not in ix.stop and w not in ix.question for w in ws)
    q = _Query()
    for i, w in enumerate(ws):
        _add_word(ix, q, w, partial and i == len(ws) - 1, asking, missing)
    if missing:
        return Result()
    return _score(ix, q, missing)


def _add_word(ix: SearchIndex, q: _Query, w: str, last_partial: bool, asking: bool, missing: set[str]) -> None:
    """The query word `w` as a clause (none for a stop word, and none yet while its shard is missing)."""
    if w in ix.stop and not last_partial:
        q.shown.append(w)
        return
    waiting = len(missing)
    exact = None if w in ix.stop else _stem_of(ix, w, missing)
    if len(missing) > waiting:
        return  # decide on prefixes and typos once the word's own shard is here: it may be all we need
    if asking and w in ix.question and not last_partial:
        if exact is not None:
            q.add({exact: QUESTION_WEIGHT}, exact, w, False)
        q.shown.append(w)
        return
    terms, said = _terms(ix, w, exact, last_partial, missing)
    q.changed = q.changed or said != w
    q.shown.append(said)
    q.add(terms, exact, w, True)


def _terms(ix: SearchIndex, w: str, exact: str | None, last_partial: bool,
           missing: set[str]) -> tuple[dict[str, float], str]:
    """A subject word's stems with their weights (its own, prefixes, typos), and the word to suggest for it."""
    terms: dict[str, float] = {}
    if exact is not None:
        terms[exact] = 1.0
    if (last_partial and len(w) >= 2) or (exact is None and len(w) >= 3):
        for s in _prefix_stems(ix, w, exact, missing):
            terms.setdefault(s, PREFIX_WEIGHT)
    elif exact is not None and len(exact) >= 4 and "а" <= exact[0] <= "я":
        for s in _prefix_stems(ix, exact, exact, missing):
            if len(s) <= len(exact) + LONGER_STEM_LETTERS:
                terms.setdefault(s, LONGER_STEM_WEIGHT)
    said = w
    if not terms and len(w) >= 4:
        for s, d, k in _fuzzy_stems(ix, w, missing):
            terms.setdefault(s, FUZZY_WEIGHTS[d])
            if said == w:
                said = k
    if not terms and len(w) >= 3:
        near = _near_words(ix, w, 2 if len(w) >= 4 else 1, missing)
        if near:
            said = near[0][1]
    return terms, said


def _score(ix: SearchIndex, q: _Query, missing: set[str]) -> Result:
    tally = Tally(Bm25f(ix.manifest), q.subject)
    highlight: set[str] = set()
    for ci, terms in enumerate(q.clauses):
        for s in sorted(terms):
            entry = _entry(ix, s, missing)
            if entry is None:
                continue
            forms = entry.forms.split(" ")
            if q.subject[ci]:  # not every "how" and "do" on the page
                highlight.update(forms)
            own = uses_word(forms, q.typed[ci][1]) if s == q.typed[ci][0] else None
            tally.add(ci, decode_postings(entry.postings), terms[s], own)
    if missing:
        return Result()
    wanted = sum(1 for ci, t in enumerate(q.clauses) if t and q.subject[ci])
    return Result(tally.ranked(wanted), sorted(highlight), " ".join(q.shown) if q.changed else None)
