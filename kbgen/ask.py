"""`kbgen search`: query the index a build of this content exports, as the reader's browser would."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

from kbgen.config.project import Project
from kbgen.core.diagnostics import Diagnostics, KbgenError
from kbgen.output.freshness import clear_stamp
from kbgen.pipeline import BuildOptions, build
from kbgen.search.engine import SearchIndex
from kbgen.search.export import open_store, read_state, stored_keys
from kbgen.search.publish import store_for


@dataclass
class Found:
    rank: int
    key: str  # source path inside the content folder
    url: str
    title: str
    score: float


def open_index(options: BuildOptions, lang: str | None) -> tuple[SearchIndex, dict[int, str]]:
    """The exported index of this content and its article ids → source paths. The site is built first: nothing
    to do when it is up to date, but the index in `.kbgen/` may be another content folder's (`--content`), of
    an older state of this one, or of another format (a kbgen upgrade: this engine reads only its own)."""
    config = Project.load(options.config, options.content, options.out, Diagnostics()).config
    if not config.search:
        raise KbgenError("search is switched off in kbgen.yml (search: false)")
    store = store_for(config, lang or config.language)
    if not (store / "index.zip").exists() or not read_state(store):
        clear_stamp(config.cache_dir)  # the site may be up to date without the index: export it again
    build(options, Diagnostics())
    if not (store / "index.zip").exists():
        raise KbgenError(f"no search index for language '{lang or config.language}' (is it one of the site's?)")
    return SearchIndex(open_store(store)), stored_keys(store)


def search(index: SearchIndex, keys: dict[int, str], query: str, limit: int, details: bool = True) -> list[Found]:
    result = index.search(query)
    out = []
    for rank, hit in enumerate(result.hits[:limit], 1):
        url = title = ""
        if details:
            url, title = index.fragment(hit.doc)[:2]
        out.append(Found(rank, keys[hit.doc], url, title, hit.score))
    return out


def print_results(found: list[Found], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([f.__dict__ for f in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no results")
    for f in found:
        click.echo(f"{f.rank:>3}. {f.title}  ({f.url}, {f.key})  {f.score:.3f}")


def batch(index: SearchIndex, keys: dict[int, str], path: Path, limit: int, tag: str = "kbgen") -> None:
    """A TREC run: `qid Q0 docid rank score tag`, docid being the source path without `.md`."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise KbgenError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from None
    for line in text.splitlines():
        if not line.strip() or "\t" not in line:
            continue
        qid, query = line.split("\t")[:2]
        for f in search(index, keys, query, limit, details=False):
            docid = f.key[:-3] if f.key.endswith(".md") else f.key
            click.echo(f"{qid} Q0 {docid} {f.rank} {f.score:.6f} {tag}")
