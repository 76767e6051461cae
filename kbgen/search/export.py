"""Records → the index a reader's browser downloads: a manifest, term shards, typo shards and display fragments,
as format.py defines them.

- Term shards: where a stem has several surface words, a posting says which of them the article uses unless that
  is the first one alone, so a query word found as written outranks one found through its stem. Shards are cut by
  postings volume, at the shortest prefix that separates two neighbouring keys; the cut points are kept between
  builds so one new article touches only the shards of its own terms.
- Fragment groups: a few articles with neighbouring ids each, so a large site does not become one file per article.

Article ids and shard cuts are kept between builds in `.kbgen/search/<lang>/state.json`, for the same reason,
beside `index.zip`, which holds every file for `kbgen search`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kbgen.output.freshness import atomic_write
from kbgen.search.analysis import QUESTION_WORDS, STOPWORDS, stem, words
from kbgen.search.format import (
    INDEX_VERSION,
    NO_FRAGMENTS,
    Bound,
    Manifest,
    Params,
    Term,
    TermShard,
    TypoShard,
    encode_postings,
    field_suffixes,
    form_code,
    script_data,
)
from kbgen.search.fragments import Fragments
from kbgen.search.records import FIELDS, Record, record_keys
from kbgen.search.typos import TYPO_PREFIX, typo_keys, typo_shards

#: Raw bytes of postings per term shard before a new one starts (about 0.45 KB gzipped): a reader's next query
#: should cost a few small files, not one big one.
SHARD_BYTES = 700
#: BM25F parameters, in FIELDS order (title, headings, body, keywords). See engine.py for why these values.
PARAMS = {"k1": 1.3, "b": [0.5, 0.5, 0.6, 0.0], "w": [1.5, 1.5, 1.0, 2.5]}
#: Up to this many articles are offered in the empty state, those most linked to from other articles first.
POPULAR = 5

@dataclass
class Export:
    """What one export produced: every file by its path under `search/` (unless it handed each to `write` as it
    made it), and the article ids it used."""

    files: dict[str, bytes] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # source path → article id
    write: Write | None = None  # where each file went as it was made (the staged site's writer)
    names: list[str] = field(default_factory=list)  # every file's path under `search/`
    #: With `write`: every file's bytes once more, one after another in a temporary file, for the store's zip (which
    #: lists them in name order); cheaper than opening each written file again. (offset, length) by path.
    _copies: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    _spill: BinaryIO | None = field(default=None, repr=False)

    def add(self, rel: str, content: bytes) -> None:
        self.names.append(rel)
        if self.write is None:
            self.files[rel] = content
            return
        self.write(rel, content)
        if self._spill is None:
            self._spill = tempfile.TemporaryFile(prefix="kbgen-search-")
        self._copies[rel] = (self._spill.tell(), len(content))
        self._spill.write(content)

    def read(self, rel: str) -> bytes:
        if self._spill is None:
            return self.files[rel]
        offset, length = self._copies[rel]
        self._spill.seek(offset)
        return self._spill.read(length)

    def close(self) -> None:
        """Let the copies go (what goes back to the build's process holds only the bookkeeping)."""
        if self._spill is not None:
            self._spill.close()
        self._spill, self._copies = None, {}


@dataclass
class _Index:
    #: stem → (article id, term frequency per field) of each article that uses it, five numbers each: a big site
    #: has millions of postings, and an array holds one in 20 bytes where a tuple and a list took 150.
    postings: dict[str, array]
    surfaces: dict[str, set[str]]
    lengths: dict[int, tuple[int, ...]]
    vocabulary: dict[str, str]  # surface word → its stem, where they differ
    uses: dict[str, array]  # surface word → the articles that use it
    fragments: Fragments
    encoded: dict[str, str] = field(default_factory=dict)  # stem → postings as exported
    forms: dict[str, list[str]] = field(default_factory=dict)  # stem → its surface words as exported


Popular = Callable[[], list[tuple[str, str]]]  # (url, title) of the articles offered first, asked for last
Write = Callable[[str, bytes], None]  # (path under `search/`, bytes): where a file goes as soon as it is made


def export(records: Sequence[Record], store: Path | None, popular: Popular | None = None,
           lang: str = "en", write: Write | None = None) -> Export:
    """Export `records`, keeping ids and shard cuts from the last export in `store` (None: in memory only); with
    `write`, each file goes there as it is made instead of being kept in `Export.files`."""
    return _export(records, store, popular, lang, read_state(store), write)


def _export(records: Sequence[Record], store: Path | None, popular: Popular | None,
            lang: str, state: dict, write: Write | None = None) -> Export:
    """Records are read once, one at a time (`records.Records` makes each as it is asked for)."""
    ids = _assign_ids(record_keys(records), state)
    index = _invert(records, ids)
    keys = _keys(index)
    bounds = _bounds(keys, state.get("bounds") or [""], index.encoded)
    out = Export(ids=ids, write=write)
    shards = [Bound(start, _add(out, *_shard(index, members).file())) for start, members in _split(keys, bounds)]
    index.encoded = {}
    offered = {w for forms in index.forms.values() for w in forms}  # every word some article uses
    typos = [Bound(start, _add(out, *TypoShard(data).file())) for start, data in typo_shards(typo_keys(offered))]
    group = state.get("group") or index.fragments.group_size()
    fragments = _add_fragments(out, index.fragments, ids, group)
    n = len(records)
    avg = [round(sum(lens[f] for lens in index.lengths.values()) / n, 4) if n else 0.0 for f in range(len(FIELDS))]
    manifest = Manifest(lang, n, avg, Params(**PARAMS), STOPWORDS, QUESTION_WORDS, shards, typos, TYPO_PREFIX,
                        group, fragments, popular()[:POPULAR] if popular else [])
    out.add("manifest.js", manifest.file())
    if store is not None:
        _save(store, out, {"version": manifest.version, "ids": ids, "bounds": [b.start for b in shards],
                           "group": group})
    out.close()
    return out


def _add_fragments(out: Export, fragments: Fragments, ids: dict[str, int], group: int) -> str:
    """Add the fragment files; returns their names for the manifest. A name is the group's number and a short hash
    of its content, the hashes packed four characters each into one string: a 10,000-article site has thousands
    of groups, and the manifest lists them all."""
    digests = []
    for fragment_group in fragments.groups(ids, group):
        if not fragment_group.fragments:
            digests.append(NO_FRAGMENTS)
            continue
        digest, name, content = fragment_group.file()
        _add(out, name, content)
        digests.append(digest)
    return "".join(digests)


def _add(out: Export, name: str, content: bytes) -> str:
    """Add a file by the name it registers under (`s/<hash>`); returns the name."""
    out.add(f"{name}.js", content)
    return name


def read_state(store: Path | None) -> dict:
    if store is None:
        return {}
    try:
        state = json.loads((store / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if state.get("version") == INDEX_VERSION else {}


def _assign_ids(keys: list[str], state: dict) -> dict[str, int]:
    """Stable ids: an article keeps its id between builds, new ones come after the highest id in use."""
    old = state.get("ids") or {}
    ids = {key: old[key] for key in keys if key in old}
    following = max(ids.values(), default=-1) + 1
    for key in keys:
        if key not in ids:
            ids[key] = following
            following += 1
    return ids


def _invert(records: Iterable[Record], ids: dict[str, int]) -> _Index:
    """Postings per stem, in the order the records come; and each record's fragment, put aside. The export's hot
    loop (it decides when a big site's build ends): each new word is stemmed once, and every occurrence is mapped to
    its stem and counted in C; Python only touches each distinct stem of an article once."""
    postings: dict[str, array] = defaultdict(_numbers)
    lengths: dict[int, tuple[int, ...]] = {}
    seen: dict[str, str | None] = dict.fromkeys(STOPWORDS)  # word → stem (None: a stop word)
    stem_of = seen.__getitem__
    body = FIELDS.index("body")
    uses: dict[str, array] = defaultdict(_numbers)
    fragments = Fragments()
    for r in records:
        doc = ids[r.key]
        fragments.add(doc, r)
        counted = []
        used: set[str] = set()
        for text in r.fields:
            found = words(text)
            distinct = set(found)
            used |= distinct
            for w in distinct.difference(seen):
                seen[w] = stem(w)
            tfs = Counter(map(stem_of, found))
            stop = tfs.pop(None, 0)
            counted.append((tfs, len(found) - stop))
        # The body has most of an article's stems: its rows are made in one comprehension, the rest added.
        rows = {s: [doc, 0, 0, tf, 0] for s, tf in counted[body][0].items()}
        for f, (tfs, _n) in enumerate(counted):
            if f == body:
                continue
            for s, tf in tfs.items():
                row = rows.get(s)
                if row is None:
                    row = rows[s] = [doc, 0, 0, 0, 0]
                row[f + 1] = tf
        lengths[doc] = tuple(n for _tfs, n in counted)
        for s, row in rows.items():
            postings[s].extend(row)
        used.difference_update(STOPWORDS)
        for w in used:
            uses[w].append(doc)
    surfaces: dict[str, set[str]] = defaultdict(set)
    for w, s in seen.items():
        if s is not None:
            surfaces[s].add(w)
    vocabulary = {w: s for w, s in seen.items() if s is not None and w != s}
    return _Index(dict(postings), dict(surfaces), lengths, vocabulary, dict(uses), fragments)


def _numbers() -> array:
    return array("I")


def _in_order(numbers: array) -> list[tuple[int, tuple[int, int, int, int]]]:
    """A stem's postings as `encode_postings` takes them, by article id."""
    docs, t0, t1, t2, t3 = (numbers[f::5] for f in range(5))
    return sorted(zip(docs, zip(t0, t1, t2, t3, strict=True), strict=True))


def _forms(index: _Index, s: str) -> tuple[list[str], dict[int, str]]:
    """A stem's surface words, used by the most articles first, and for each article that uses any but the first
    alone, which it uses: their places in that list, one base-36 digit each (two past 36 words)."""
    words_ = index.surfaces[s]
    if len(words_) == 1:
        return list(words_), {}
    uses = index.uses
    forms = sorted(words_, key=lambda w: (-len(uses[w]), w))
    first: set[int] | None = None  # the articles that use the first word, when needed
    wide = len(forms) > 36
    zero = form_code(0, wide)
    marks: dict[int, str] = {}
    for i, w in enumerate(forms[1:1296], 1):  # in order, so each mark lists its words in order
        code = form_code(i, wide)
        for doc in uses[w]:
            mark = marks.get(doc)
            if mark is None:
                if first is None:
                    first = set(uses[forms[0]])
                marks[doc] = zero + code if doc in first else code
            else:
                marks[doc] = mark + code
    return forms, marks


def _keys(index: _Index) -> dict[str, int]:
    """Every key a query word may be looked up by (stems and surface words), with its volume in bytes."""
    keys: dict[str, int] = {}
    # Each article's field parts ("B:1k") once, not once per term: the build's hot loop.
    suffixes = {doc: field_suffixes(lens) for doc, lens in index.lengths.items()}
    for s in list(index.postings):
        forms, marks = _forms(index, s)
        index.forms[s] = forms
        index.encoded[s] = encode_postings(_in_order(index.postings.pop(s)), suffixes, marks)  # the smaller form
        keys[s] = len(index.encoded[s]) + sum(len(w) + 1 for w in forms)
    index.uses = {}
    for w, s in index.vocabulary.items():
        keys[w] = keys.get(w, 0) + len(w) + len(s) + 6
    return {k: keys[k] for k in sorted(keys)}  # sorting the strings alone takes half the time of the pairs


def _bounds(keys: dict[str, int], previous: list[str], stems) -> list[str]:
    """Keep the last build's cuts; split a shard that grew past twice the target, merge one that emptied."""
    bounds = sorted(set(previous) | {""})
    out: list[str] = []
    for start, members in _split(keys, bounds):
        if not members and start:
            continue
        volume = sum(keys[k] for k in members)
        if volume <= 2 * SHARD_BYTES and start in previous:
            out.append(start)
            continue
        out.append(start)
        acc, last = 0, None
        for k in members:
            # Cut only before a stem, so a word's variants that follow it (stem "measur": "measure",
            # "measured") stay in its shard and a query word costs one shard, not two.
            if acc >= SHARD_BYTES and last is not None and keys[k] and k in stems:
                out.append(_separator(last, k))
                acc = 0
            acc += keys[k]
            last = k
    return out


def _separator(before: str, key: str) -> str:
    """The shortest prefix of `key` that sorts after `before`: short cut points keep the manifest small."""
    for i in range(1, len(key) + 1):
        if key[:i] > before:
            return key[:i]
    return key


def _split(keys: dict[str, int], bounds: list[str]):
    """(start, keys) per shard: a key belongs to the last start at or before it."""
    groups: list[tuple[str, list[str]]] = [(b, []) for b in bounds]
    i = 0
    for k in keys:
        while i + 1 < len(bounds) and bounds[i + 1] <= k:
            i += 1
        groups[i][1].append(k)
    return groups


def _shard(index: _Index, members: list[str]) -> TermShard:
    """A shard's stems, and the map of its surface words to stems in other shards (see format.py)."""
    terms, vocab = {}, {}
    for k in members:
        if k in index.encoded:
            terms[k] = Term(index.encoded[k], " ".join(index.forms[k]))
    for k in members:
        if k in index.vocabulary and index.vocabulary[k] not in terms:
            vocab[k] = index.vocabulary[k]
    return TermShard(terms, vocab)


def _save(store: Path, out: Export, state: dict) -> None:
    """Keep the export in two files: every file in one uncompressed zip for `kbgen search`, and the state.

    One zip, not a folder of thousands of small files: creating a file costs far more than writing its bytes,
    and the site already gets one copy of each.
    """
    def write_zip(f: BinaryIO) -> None:
        with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as archive:
            for rel in sorted(out.names):
                archive.writestr(zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0)), out.read(rel))

    # Each through a temporary file of its own: a fixed `index.zip.tmp` made two builds (or a build and the live
    # preview) of one site fail on each other's file (issue 17).
    atomic_write(store / "index.zip", write_zip)
    for folder in ("s", "f"):  # the one-file-per-shard store of earlier versions
        if (store / folder).is_dir():
            shutil.rmtree(store / folder, ignore_errors=True)
    atomic_write(store / "state.json", json.dumps(state, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def stored_keys(store: Path) -> dict[int, str]:
    """Article id → source path, as the store's last export numbered them."""
    ids = json.loads((store / "state.json").read_text(encoding="utf-8"))["ids"]
    return {i: key for key, i in ids.items()}


def open_store(store: Path) -> StoreReader:
    """The store's files, for `SearchIndex`."""
    return StoreReader(store / "index.zip")


class StoreReader:
    """`reader(name) -> data` over the store's zip, which stays open until `close()`."""

    def __init__(self, path: Path) -> None:
        self._archive = zipfile.ZipFile(path)

    def __call__(self, name: str) -> dict:
        return script_data(self._archive.read(f"{name}.js").decode("utf-8"))

    def close(self) -> None:
        self._archive.close()
