""""Did you mean …?" for a link that leads nowhere, looked up in an index of article names.

Comparing a broken link with every article name costs links × articles: on Microsoft's C++ docs (9,746 articles,
~5,900 links into the vendor's wider site) that alone ran for over ten minutes (issue 17). Here the index is a few
sorted lists, built once (n log n), and each distinct broken target costs a few dictionary and bisect look-ups
plus a similarity score over a handful of candidates:

- names whose file name (without `.md`; a folder's `index.md` by its folder) is the same;
- the file names sorted next to it, and next to it read backwards: a typo late in a name keeps the start, one
  early keeps the end, so one of the two orders puts the intended name beside the mistyped one;
- the file names sorted next to it in the folder the link points into.
"""

from __future__ import annotations

import bisect
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher

#: How close a candidate's file name must be to the link's (difflib's ratio, 1.0 the same), and its whole path:
#: a name one typo away must sit in a like path (`/powershell/…/set-acl` is not `standard-library/set-class.md`),
#: the same name may sit in another folder (`reference/invoices.md` → `billing/invoices.md`).
STEM_CUTOFF = 0.75
PATH_CUTOFF = 0.7
SAME_NAME_PATH_CUTOFF = 0.5
#: Names sorted next to the link's name that are considered, on each side, in each order.
_NEIGHBOURS = 4
#: Articles of one file name compared at most: the rest of a very common name (`overview`) are not.
_MAX_SAME_NAME = 32


class SuggestionIndex:
    """Article paths (`billing/invoices.md`) by file name, and file names sorted forwards, backwards, by folder."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_stem: dict[str, list[str]] = defaultdict(list)
        by_folder: dict[str, set[str]] = defaultdict(set)
        for name in sorted(names):
            stem = _stem(name)
            self._by_stem[stem].append(name)
            by_folder[posixpath.dirname(name)].add(stem)
        self._stems = sorted(self._by_stem)
        self._reversed = sorted(stem[::-1] for stem in self._by_stem)
        self._folder_stems = {folder: sorted(stems) for folder, stems in by_folder.items()}
        self._answers: dict[str, str | None] = {}

    def closest(self, target: str) -> str | None:
        """The article path most like `target` (a content path, with or without `.md`), or None; each distinct
        target is worked out once, as a site links to the same missing page from many articles."""
        if target not in self._answers:
            self._answers[target] = self._closest(target)
        return self._answers[target]

    def _closest(self, target: str) -> str | None:
        target = target.replace("\\", "/")  # DocFX-era links write `..\build\x.md`
        stem = _stem(target)
        stems = {stem} | _neighbours(self._stems, stem)
        stems |= {s[::-1] for s in _neighbours(self._reversed, stem[::-1])}
        stems |= _neighbours(self._folder_stems.get(posixpath.dirname(target.strip("/")), []), stem)
        by_name, by_path = _Similarity(stem), _Similarity(_comparable(target))
        best, best_score = None, (0.0, 0.0)
        # The file name must be close, and the whole path somewhat close (closer when the name is not the same);
        # of those, the closest name, then the closest path.
        for candidate_stem in sorted(stems):
            stem_score = by_name.at_least(candidate_stem, STEM_CUTOFF)
            path_cutoff = SAME_NAME_PATH_CUTOFF if stem_score == 1.0 else PATH_CUTOFF
            for name in self._by_stem.get(candidate_stem, ())[:_MAX_SAME_NAME] if stem_score else ():
                score = (stem_score, by_path.at_least(_comparable(name), path_cutoff))
                if score[1] and score > best_score:
                    best, best_score = name, score
        return best


class _Similarity:
    """difflib's ratio of one text against many, as `get_close_matches` does it: the text's index is made once,
    and the two cheap upper bounds skip most candidates before the real ratio."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.matcher = SequenceMatcher(autojunk=False)
        self.matcher.set_seq2(text)

    def at_least(self, other: str, cutoff: float) -> float:
        """The ratio, or 0.0 when it is below `cutoff`."""
        if other == self.text:
            return 1.0
        m = self.matcher
        m.set_seq1(other)
        if m.real_quick_ratio() < cutoff or m.quick_ratio() < cutoff:
            return 0.0
        ratio = m.ratio()
        return ratio if ratio >= cutoff else 0.0


def _stem(path: str) -> str:
    """`billing/Invoices.md` → `invoices`; `billing/index.md` and `/billing/` → `billing`."""
    path = path.strip("/")
    if path.endswith(".md"):
        path = path[:-3]
    name = posixpath.basename(path)
    if name in ("index", "_index"):
        name = posixpath.basename(posixpath.dirname(path))
    return name.casefold()


def _comparable(path: str) -> str:
    """`/billing/invoices/` and `billing/invoices.md` compare as the same text."""
    path = path.strip("/").casefold()
    return path[:-3] if path.endswith(".md") else path


def _neighbours(sorted_stems: list[str], stem: str) -> set[str]:
    at = bisect.bisect_left(sorted_stems, stem)
    return set(sorted_stems[max(0, at - _NEIGHBOURS): at + _NEIGHBOURS])
