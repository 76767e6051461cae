"""Records → the index a reader's browser downloads: a manifest, term shards and display fragments.

Everything is a small JavaScript file that hands its data to `__kbgenSearch(name, data)`, because browsers refuse
`fetch` of `file://` URLs but do run scripts from them. Names carry a hash of the content, so a browser caches a
file forever and a rebuild changes only the files whose content changed:

- `manifest.js` — collection statistics (N, average field lengths), ranking parameters, stop words and question
  words, the first key of every term shard and of every typo shard, and the name of every fragment group. The
  only file whose name is fixed.
- `s/<hash>.js` — a term shard: a range of sorted keys. Each stem carries its postings and its surface words,
  the most widespread first; each surface word that is not its own stem maps to its stem, unless that stem is in
  the same shard: its list of words says so already, and the reader rebuilds the map from it when the shard loads
  (`with_words` in engine.py; a quarter of ru-doka's index was this map). Where a stem has
  several surface words, a posting says which of them the article uses unless that is the first one alone
  (`~` and their places in the list), so a query word found as written outranks one found through its stem.
  Shards are cut by postings volume, at the shortest prefix that separates two neighbouring keys; the cut points
  are kept between builds so one new article touches only the shards of its own terms.
- `d/<hash>.js` — a typo shard: word beginnings by their one-letter deletions (kbgen/search/typos.py), fetched
  only for a query word no article uses.
- `f/<hash>.js` — a fragment group: title, URL, breadcrumb and section texts of a few articles with neighbouring
  ids, loaded only for results the reader sees.

Article ids and shard cuts are kept between builds in `.kbgen/search/<lang>/state.json`, for the same reason,
beside `index.zip`, which holds every file for `kbgen search`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kbgen.freshness import atomic_write
from kbgen.search.analysis import ANALYSIS_VERSION, QUESTION_WORDS, STOPWORDS, stem, words
from kbgen.search.engine import script_data
from kbgen.search.records import FIELDS, Record
from kbgen.search.typos import TYPO_PREFIX, typo_keys, typo_shards

#: Bump when the exported format changes.
FORMAT_VERSION = 4
#: Raw bytes of postings per term shard before a new one starts (about 0.45 KB gzipped): a reader's next query
#: should cost a few small files, not one big one.
SHARD_BYTES = 700
#: Raw bytes of display text per fragment group (about 0.25 KB gzipped): one or two results' worth.
FRAGMENT_BYTES = 400
#: BM25F parameters, in FIELDS order (title, headings, body, keywords). See engine.py for why these values.
PARAMS = {"k1": 1.3, "b": [0.5, 0.5, 0.6, 0.0], "w": [1.5, 1.5, 1.0, 2.5]}
#: Up to this many articles are offered in the empty state, those most linked to from other articles first.
POPULAR = 5

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SMALL = [_DIGITS[i] if i < 36 else _DIGITS[i // 36] + _DIGITS[i % 36] for i in range(1296)]
_MARKS = "THBK"  # field markers in postings, FIELDS order


def base36(n: int) -> str:
    if n < 1296:
        return _SMALL[n]
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(_DIGITS[r])
    return "".join(reversed(out))


@dataclass
class Export:
    """What one export produced: every file by its path under `search/`, and the article ids it used."""

    files: dict[str, bytes] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # source path → article id


@dataclass
class _Index:
    postings: dict[str, list[tuple[int, list[int]]]]  # stem → (article id, term frequency per field)
    surfaces: dict[str, set[str]]
    lengths: dict[int, tuple[int, ...]]
    vocabulary: dict[str, str]  # surface word → its stem, where they differ
    uses: dict[str, list[int]]  # surface word → the articles that use it
    encoded: dict[str, str] = field(default_factory=dict)  # stem → postings as exported
    forms: dict[str, list[str]] = field(default_factory=dict)  # stem → its surface words as exported


def export(records: list[Record], store: Path | None, popular: list[tuple[str, str]] | None = None,
           lang: str = "en") -> Export:
    """Export `records`, keeping ids and shard cuts from the last export in `store` (None: in memory only)."""
    return _export(records, store, popular, lang, read_state(store))


def _export(records: list[Record], store: Path | None, popular: list[tuple[str, str]] | None,
            lang: str, state: dict) -> Export:
    ids = _assign_ids(records, state)
    index = _invert(records, ids)
    keys = _keys(index)
    bounds = _bounds(keys, state.get("bounds") or [""], index.postings)
    out = Export(ids=ids)
    shard_list = []
    for start, members in _split(keys, bounds):
        name = _add(out, "s", _shard(index, members))
        shard_list.append([start, name])
    offered = {w for forms in index.forms.values() for w in forms}  # every word some article uses
    typo_list = [[start, _add(out, "d", data)] for start, data in typo_shards(typo_keys(offered))]
    group = state.get("group") or _group_size(records)
    frag_names = _add_fragments(out, records, ids, group)
    n = len(records)
    avg = [round(sum(lens[f] for lens in index.lengths.values()) / n, 4) if n else 0.0 for f in range(len(FIELDS))]
    manifest = {
        "version": f"{ANALYSIS_VERSION}.{FORMAT_VERSION}", "lang": lang, "n": n, "avg": avg, "params": PARAMS,
        "stop": " ".join(sorted(STOPWORDS)), "question": " ".join(sorted(QUESTION_WORDS)),
        "typos": typo_list, "typo_prefix": TYPO_PREFIX, "shards": shard_list, "group": group,
        "fragments": frag_names,
        "popular": [list(p) for p in (popular or [])[:POPULAR]],
    }
    out.files["manifest.js"] = _script("manifest", manifest)
    if store is not None:
        _save(store, out, {"version": manifest["version"], "ids": ids, "bounds": [s for s, _ in shard_list],
                           "group": group})
    return out


def _add_fragments(out: Export, records: list[Record], ids: dict[str, int], group: int) -> str:
    """Add the fragment files; returns their names for the manifest. A name is the group's number and a short hash
    of its content, the hashes packed four characters each into one string: a 10,000-article site has thousands
    of groups, and the manifest lists them all."""
    fragments = _fragments(records, ids, group)
    return "".join(_add_fragment(out, i, data) if data else "~~~~" for i, data in enumerate(fragments))


def _script(name: str, data) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"__kbgenSearch({json.dumps(name)},{payload});\n".encode()


def _add(out: Export, folder: str, data) -> str:
    """Name the file by its content and add it; returns `folder/hash` (the name the file registers under)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    digest = int.from_bytes(hashlib.blake2b(body, digest_size=8).digest(), "big")
    name = f"{folder}/{base36(digest)[:8]}"
    out.files[f"{name}.js"] = f"__kbgenSearch({json.dumps(name)},".encode() + body + b");\n"
    return name


def _add_fragment(out: Export, number: int, data: dict) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    digest = base36(int.from_bytes(hashlib.blake2b(body, digest_size=4).digest(), "big")).rjust(4, "0")[:4]
    name = f"f/{base36(number)}.{digest}"
    out.files[f"{name}.js"] = f"__kbgenSearch({json.dumps(name)},".encode() + body + b");\n"
    return digest


def read_state(store: Path | None) -> dict:
    if store is None:
        return {}
    try:
        state = json.loads((store / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if state.get("version") == f"{ANALYSIS_VERSION}.{FORMAT_VERSION}" else {}


def _assign_ids(records: list[Record], state: dict) -> dict[str, int]:
    """Stable ids: an article keeps its id between builds, new ones come after the highest id in use."""
    old = state.get("ids") or {}
    ids = {r.key: old[r.key] for r in records if r.key in old}
    following = max(ids.values(), default=-1) + 1
    for r in records:
        if r.key not in ids:
            ids[r.key] = following
            following += 1
    return ids


def _invert(records: list[Record], ids: dict[str, int]) -> _Index:
    """Postings per stem, sorted by article id. The export's hot loop (it decides when a big site's build ends): each
    new word is stemmed once, and every occurrence is mapped to its stem and counted in C; Python only touches each
    distinct stem of an article once."""
    postings: dict[str, list] = defaultdict(list)
    lengths: dict[int, tuple[int, ...]] = {}
    seen: dict[str, str | None] = dict.fromkeys(STOPWORDS)  # word → stem (None: a stop word)
    stem_of = seen.__getitem__
    body = FIELDS.index("body")
    uses: dict[str, list[int]] = defaultdict(list)
    for r in records:
        doc = ids[r.key]
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
        rows = {s: [0, 0, tf, 0] for s, tf in counted[body][0].items()}
        for f, (tfs, _n) in enumerate(counted):
            if f == body:
                continue
            for s, tf in tfs.items():
                row = rows.get(s)
                if row is None:
                    row = rows[s] = [0, 0, 0, 0]
                row[f] = tf
        lengths[doc] = tuple(n for _tfs, n in counted)
        for s, row in rows.items():
            postings[s].append((doc, row))
        used.difference_update(STOPWORDS)
        for w in used:
            uses[w].append(doc)
    for plist in postings.values():
        plist.sort()
    surfaces: dict[str, set[str]] = defaultdict(set)
    for w, s in seen.items():
        if s is not None:
            surfaces[s].add(w)
    vocabulary = {w: s for w, s in seen.items() if s is not None and w != s}
    return _Index(dict(postings), dict(surfaces), lengths, vocabulary, uses)


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
    marks: dict[int, str] = {}
    for i, w in enumerate(forms[1:1296], 1):  # in order, so each mark lists its words in order
        code = _DIGITS[i // 36] + _DIGITS[i % 36] if wide else _DIGITS[i]
        for doc in uses[w]:
            mark = marks.get(doc)
            if mark is None:
                if first is None:
                    first = set(uses[forms[0]])
                marks[doc] = ("00" if wide else "0") + code if doc in first else code
            else:
                marks[doc] = mark + code
    return forms, marks


def _encode(plist, suffixes: dict[int, tuple[str, ...]], marks: dict[int, str]) -> str:
    """`<id delta><field mark><tf if > 1>:<field length>…[~<surface words used>]` per article, comma separated,
    base 36. The build's hot loop, with its lookups hoisted."""
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
                    item += ends[f] if tf == 1 else _MARKS[f] + base36(tf) + ends[f][1:]
        mark = mark_of(doc)
        append(item if mark is None else item + "~" + mark)
    return ",".join(parts)


def _keys(index: _Index) -> dict[str, int]:
    """Every key a query word may be looked up by (stems and surface words), with its volume in bytes."""
    keys: dict[str, int] = {}
    # Each article's field parts ("B:1k") once, not once per term: the build's hot loop.
    suffixes = {doc: tuple(f"{_MARKS[f]}:{base36(n)}" for f, n in enumerate(lens))
                for doc, lens in index.lengths.items()}
    for s, plist in index.postings.items():
        forms, marks = _forms(index, s)
        index.forms[s] = forms
        index.encoded[s] = _encode(plist, suffixes, marks)
        keys[s] = len(index.encoded[s]) + sum(len(w) + 1 for w in forms)
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


def _shard(index: _Index, members: list[str]) -> dict:
    """A shard's stems, and the map of its surface words to stems in other shards (see the module docstring)."""
    terms, vocab = {}, {}
    for k in members:
        if k in index.postings:
            terms[k] = [index.encoded[k], " ".join(index.forms[k])]
    for k in members:
        if k in index.vocabulary and index.vocabulary[k] not in terms:
            vocab[k] = index.vocabulary[k]
    return {"t": terms, "v": vocab}


def _group_size(records: list[Record]) -> int:
    if not records:
        return 1
    average = sum(len(r.url) + len(r.title) + sum(len(s.title) + len(s.text) + 12 for s in r.sections) + 20
                  for r in records) / len(records)
    return max(1, round(FRAGMENT_BYTES / average))


def _fragment(r: Record) -> list:
    return [r.url, r.title, list(r.breadcrumb), [[s.anchor, s.title, s.text] for s in r.sections]]


def _fragments(records: list[Record], ids: dict[str, int], group: int) -> list[dict]:
    count = (max(ids.values(), default=-1) // group) + 1
    groups: list[dict] = [{} for _ in range(count)]
    for r in records:
        doc = ids[r.key]
        groups[doc // group][base36(doc)] = _fragment(r)
    return groups


def _save(store: Path, out: Export, state: dict) -> None:
    """Keep the export in two files: every file in one uncompressed zip for `kbgen search`, and the state.

    One zip, not a folder of thousands of small files: creating a file costs far more than writing its bytes,
    and the site already gets one copy of each.
    """
    def write_zip(f: BinaryIO) -> None:
        with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as archive:
            for rel, data in sorted(out.files.items()):
                archive.writestr(zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0)), data)

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
