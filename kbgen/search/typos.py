"""The typo index: a misspelt query word finds the words it may have meant, an edit in its first letters included,
by fetching two or three small files instead of the vocabulary.

The idea is SymSpell's symmetric deletion (Wolf Garbe, 2012): two words are at most one edit apart (a letter
added, dropped, changed, or two neighbours swapped) only if deleting at most one letter from each gives the same
string. So the export keys the beginning of every word (its first TYPO_PREFIX letters) and each one-letter deletion
of it, and the engine looks up the query word's beginning and its deletions the same way: the beginnings found are
those within an edit or two of the typed one, and the words that start with them (in the term shards) are checked
by edit distance. Keying beginnings, not whole words (SymSpell's "prefix length"), keeps the index a fraction of
the vocabulary, and a typo after the first letters still finds its word through the unchanged beginning.

`adruino` → `arduino`, `grdi` → `grid`, `прмоисы` → `промисы`: a word's deletions at the second letter on share its
first letter, so they sort together and most lookups cost one or two shards of the typo index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

#: Letters of a word's beginning that the typo index keys (SymSpell's prefix length).
TYPO_PREFIX = 6
#: Raw bytes per typo shard (about 1 KB gzipped): fetched only for a word the index does not know.
TYPO_SHARD_BYTES = 2500
#: Words shorter than this are not offered as corrections (a query word needs 4 letters to be corrected at all).
SHORTEST = 3


def deletions(beginning: str) -> list[str]:
    """The beginning itself and each string made by deleting one of its letters, sorted, without repeats."""
    return sorted({beginning} | {beginning[:i] + beginning[i + 1:] for i in range(len(beginning))})


def typo_keys(words: Iterable[str]) -> dict[str, str]:
    """Deletion key → the word beginnings it comes from (space separated, sorted), over words worth offering."""
    beginnings = {w[:TYPO_PREFIX] for w in words if len(w) >= SHORTEST and not w.isdigit()}
    keys: dict[str, set[str]] = defaultdict(set)
    for b in beginnings:
        for k in deletions(b):
            keys[k].add(b)
    return {k: " ".join(sorted(keys[k])) for k in sorted(keys)}


def typo_shards(keys: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """(first key, its keys) per shard, cut by volume: the engine finds a key's shard as it finds a term's."""
    shards: list[tuple[str, dict[str, str]]] = []
    current: dict[str, str] = {}
    volume = 0
    for k, beginnings in keys.items():
        if volume >= TYPO_SHARD_BYTES:
            shards.append(("" if not shards else next(iter(current)), current))
            current, volume = {}, 0
        current[k] = beginnings
        volume += len(k) + len(beginnings) + 6
    if current or not shards:
        shards.append(("" if not shards else next(iter(current)), current))
    return shards
