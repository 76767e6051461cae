"""The files of the search index, written down once: what each one holds, how it is written and how it is read.

The export (export.py) writes every file through these structures and `kbgen search` (engine.py) reads them back
through the same; the browser's reader (themes/default/assets/search-core.js: `open`, `withWords`, `decode`,
`fragment`) is checked against them by tests/test_search_format.py. Pagefind's `index_words.rs` and
`index_metadata.rs`, one small struct per file, are the model.

Every file is a small script that hands its data to `__kbgenSearch(name, data)` — JSON with sorted keys and no
spaces — because browsers refuse `fetch` of `file://` URLs but do run scripts from them. Names carry a hash of the
content, so a browser caches a file forever and a rebuild changes only the files whose content changed:

- `manifest.js` (`Manifest`) — collection statistics (N, average field lengths), ranking parameters, stop words and
  question words, the first key of every term shard and of every typo shard, and the name of every fragment group.
  The only file whose name is fixed.
- `s/<hash>.js` (`TermShard`) — a range of sorted keys. Each stem carries its postings and its surface words, the
  most widespread first; each surface word that is not its own stem maps to its stem, unless that stem is in the
  same shard: its list of words says so already, and the reader rebuilds the map from it when the shard loads
  (`TermShard.complete`; a quarter of ru-doka's index was this map).
- `d/<hash>.js` (`TypoShard`) — word beginnings by their one-letter deletions (typos.py), fetched only for a query
  word no article uses.
- `f/<group>.<hash>.js` (`FragmentGroup`) — title, URL, breadcrumb and section texts of a few articles with
  neighbouring ids, loaded only for results the reader sees.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from kbgen.search.analysis import ANALYSIS_VERSION

#: Bump when the exported format changes.
FORMAT_VERSION = 4
#: What a manifest and the export's kept state say they are: an index is read only by the same analysis and format.
INDEX_VERSION = f"{ANALYSIS_VERSION}.{FORMAT_VERSION}"

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SMALL = [DIGITS[i] if i < 36 else DIGITS[i // 36] + DIGITS[i % 36] for i in range(1296)]
MARKS = "THBK"  # field markers in postings, in records.FIELDS order
#: The manifest's digest of a fragment group no article is in any more (its ids were freed): no file.
NO_FRAGMENTS = "~~~~"


def base36(n: int) -> str:
    """`n` in base 36, lower case: article ids, counts and lengths in postings, file names."""
    if n < 1296:
        return _SMALL[n]
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(DIGITS[r])
    return "".join(reversed(out))


def shard_of(bounds: list[str], key: str) -> int:
    """The shard a key belongs to, from the shards' first keys: the last one at or before it."""
    return max(0, bisect_right(bounds, key) - 1)


# --- the one encoder, and its reader ---

def _body(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _script(name: str, body: bytes) -> bytes:
    return f"__kbgenSearch({json.dumps(name)},".encode() + body + b");\n"


def _hashed(folder: str, data: Any) -> tuple[str, bytes]:
    """(`folder/hash`, the file): a shard is named by its content."""
    body = _body(data)
    name = f"{folder}/{base36(int.from_bytes(hashlib.blake2b(body, digest_size=8).digest(), 'big'))[:8]}"
    return name, _script(name, body)


def script_data(text: str) -> Any:
    """The data an index file (`__kbgenSearch(name, data);`) hands to the browser."""
    return json.loads(text[text.index(",") + 1: text.rindex(")")])


# --- postings: the part of a term shard that is a format of its own ---

class Posting(NamedTuple):
    """One article's use of a stem."""

    doc: int
    tfs: list[int]  # term frequency per field (records.FIELDS)
    lengths: list[int]  # the article's length per field, in words
    used: str | None  # which of the stem's words it uses (`form_code` each), None: the first alone


def field_suffixes(lengths: Iterable[int]) -> tuple[str, ...]:
    """An article's field parts of a posting (`B:1k`: a term once in a body of 56 words), made once per article."""
    return tuple(f"{MARKS[f]}:{base36(n)}" for f, n in enumerate(lengths))


def form_code(place: int, wide: bool) -> str:
    """A surface word's place in its stem's list, as a posting's mark says it: one base-36 digit, two when the stem
    has more than 36 words (`wide`)."""
    return DIGITS[place // 36] + DIGITS[place % 36] if wide else DIGITS[place]


def encode_postings(plist: Iterable[tuple[int, list[int]]], suffixes: dict[int, tuple[str, ...]],
                    marks: dict[int, str]) -> str:
    """`<id delta><field mark><tf if > 1>:<field length>…[~<surface words used>]` per article, comma separated,
    base 36; from (article id, term frequency per field) in id order, each article's `field_suffixes` and the marks
    of the articles that use other words than the stem's first alone. The build's hot loop, with its lookups
    hoisted."""
    parts: list[str] = []
    append, small, mark_of = parts.append, _SMALL, marks.get
    prev = 0
    for doc, (t0, t1, t2, t3) in plist:
        delta = doc - prev
        prev = doc
        item = small[delta] if delta < 1296 else base36(delta)
        ends = suffixes[doc]
        if not (t0 or t1 or t3):  # in the body only: most postings of most terms
            item += ends[2] if t2 == 1 else "B" + base36(t2) + ends[2][1:]
        else:
            for f, tf in enumerate((t0, t1, t2, t3)):
                if tf:
                    item += ends[f] if tf == 1 else MARKS[f] + base36(tf) + ends[f][1:]
        mark = mark_of(doc)
        append(item if mark is None else item + "~" + mark)
    return ",".join(parts)


def decode_postings(postings: str) -> list[Posting]:
    """The postings `encode_postings` wrote, in article id order."""
    out, doc = [], 0
    for item in postings.split(","):
        used = None
        if "~" in item:
            item, used = item.split("~")
        i = 0
        while i < len(item) and item[i] not in MARKS:
            i += 1
        doc += int(item[:i], 36)
        tfs, lens = [0, 0, 0, 0], [0, 0, 0, 0]
        while i < len(item):
            f = MARKS.index(item[i])
            colon = item.index(":", i)
            tfs[f] = int(item[i + 1: colon], 36) if colon > i + 1 else 1
            j = colon + 1
            while j < len(item) and item[j] not in MARKS:
                j += 1
            lens[f] = int(item[colon + 1: j], 36)
            i = j
        out.append(Posting(doc, tfs, lens, used))
    return out


def uses_word(forms: list[str], word: str) -> Callable[[str | None], bool]:
    """Whether a posting's article uses `word` itself, from the posting's mark (`Posting.used`)."""
    if word not in forms:
        return lambda used: False
    place = forms.index(word)
    width = 2 if len(forms) > 36 else 1
    code = form_code(place, width == 2)

    def has_code(used: str) -> bool:
        return any(used[i: i + width] == code for i in range(0, len(used), width))

    if place == 0:
        return lambda used: used is None or has_code(used)
    return lambda used: used is not None and has_code(used)


# --- the files ---

class Term(NamedTuple):
    """A stem in its term shard."""

    postings: str  # `encode_postings`
    forms: str  # the stem's surface words, used by the most articles first, space separated


@dataclass
class TermShard:
    """`s/<hash>.js`: the stems of a range of keys, and the surface words of the range whose stems are elsewhere."""

    terms: dict[str, Term]
    words: dict[str, str]  # surface word → its stem; after `complete`, every word of the range that is not a stem

    def file(self) -> tuple[str, bytes]:
        return _hashed("s", {"t": self.terms, "v": self.words})

    @classmethod
    def decode(cls, data: dict) -> TermShard:
        return cls({s: Term(*entry) for s, entry in data["t"].items()}, data["v"])

    def complete(self, bounds: list[str], i: int) -> TermShard:
        """With the whole map of surface words to stems, this being shard `i` of the manifest's `bounds`: the
        export leaves out each word whose stem is in the same shard, as the stem's list of words has it."""
        for s, term in self.terms.items():
            for w in term.forms.split(" "):
                if w != s and shard_of(bounds, w) == i:
                    self.words[w] = s
        return self


@dataclass
class TypoShard:
    """`d/<hash>.js`: a range of deletion keys of word beginnings (typos.py)."""

    beginnings: dict[str, str]  # deletion key → the word beginnings it comes from, space separated

    def file(self) -> tuple[str, bytes]:
        return _hashed("d", self.beginnings)

    @classmethod
    def decode(cls, data: dict) -> TypoShard:
        return cls(data)


class Section(NamedTuple):
    anchor: str  # "" is the article's introduction
    title: str
    text: str


class Fragment(NamedTuple):
    """What a result shows of its article."""

    url: str
    title: str
    breadcrumb: list[str]
    sections: list[Section]


def encode_fragment(fragment: Fragment) -> bytes:
    """One article's fragment as its group's file holds it: the export encodes each as it reads the article."""
    return _body(fragment)


def _fragment_name(number: int, digest: str) -> str:
    return f"f/{base36(number)}.{digest}"


@dataclass
class FragmentGroup:
    """`f/<number>.<digest>.js`: the display data of the articles whose id // the manifest's `group` is `number`."""

    number: int
    fragments: dict[int, Fragment | bytes]  # article id → its fragment, or it as `encode_fragment` made it

    def file(self) -> tuple[str, str, bytes]:
        """(digest, name, the file): the manifest lists the digests, four characters each. The body is a JSON
        object with sorted keys, put together from each fragment's encoding."""
        parts = sorted((base36(doc), f if isinstance(f, bytes) else encode_fragment(f))
                       for doc, f in self.fragments.items())
        body = b"{" + b",".join(_body(key) + b":" + encoded for key, encoded in parts) + b"}"
        digest = base36(int.from_bytes(hashlib.blake2b(body, digest_size=4).digest(), "big")).rjust(4, "0")[:4]
        name = _fragment_name(self.number, digest)
        return digest, name, _script(name, body)

    @classmethod
    def decode(cls, number: int, data: dict) -> FragmentGroup:
        return cls(number, {int(k, 36): Fragment(url, title, breadcrumb, [Section(*s) for s in sections])
                            for k, (url, title, breadcrumb, sections) in data.items()})


class Bound(NamedTuple):
    """A shard as the manifest lists it."""

    start: str  # its first key
    name: str  # its file, without `.js`


@dataclass(frozen=True)
class Params:
    """BM25F parameters, per field in records.FIELDS order where a list."""

    k1: float
    b: list[float]
    w: list[float]


@dataclass
class Manifest:
    """`manifest.js`: what a reader loads first, and the only file whose name is fixed."""

    lang: str
    n: int  # articles
    avg: list[float]  # average length per field
    params: Params
    stop: frozenset[str]
    question: frozenset[str]  # analysis.QUESTION_WORDS
    shards: list[Bound]  # term shards, by their first keys
    typos: list[Bound]  # typo shards, by their first keys
    typo_prefix: int  # typos.TYPO_PREFIX
    group: int  # articles per fragment group
    fragments: str  # each fragment group's digest, four characters each (NO_FRAGMENTS: none)
    popular: list[tuple[str, str]]  # (url, title) of the articles offered in the empty state
    version: str = INDEX_VERSION

    def file(self) -> bytes:
        return _script("manifest", _body({
            "version": self.version, "lang": self.lang, "n": self.n, "avg": self.avg,
            "params": {"k1": self.params.k1, "b": self.params.b, "w": self.params.w},
            "stop": " ".join(sorted(self.stop)), "question": " ".join(sorted(self.question)),
            "typos": self.typos, "typo_prefix": self.typo_prefix, "shards": self.shards, "group": self.group,
            "fragments": self.fragments, "popular": self.popular,
        }))

    @classmethod
    def decode(cls, data: dict) -> Manifest:
        return cls(
            data["lang"], data["n"], data["avg"], Params(**data["params"]), frozenset(data["stop"].split(" ")),
            frozenset(data["question"].split(" ")), [Bound(*b) for b in data["shards"]],
            [Bound(*b) for b in data["typos"]], data["typo_prefix"], data["group"], data["fragments"],
            [(url, title) for url, title in data["popular"]], data["version"])

    def fragment_file(self, doc: int) -> tuple[int, str]:
        """(group number, file name) of the fragment group an article is in."""
        group = doc // self.group
        return group, _fragment_name(group, self.fragments[4 * group: 4 * group + 4])
