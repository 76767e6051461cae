"""Which pages a rebuild can take from the last build as they are, without calling a template.

A page is made from the site's shape — config, theme, kbgen itself, and every article's and category's metadata:
titles, URLs, order, tags, links, languages, drafts, the files published beside the articles — and from the bodies
and dates of the articles it shows. The shape is digested once per build. The bodies and dates a page reads are
noted while it renders (`kbgen.render.reads`: the template views note them; an article page reads its own, a home
page every date of its language), and kept with the page in `.kbgen/` (`kbgen.output.lastbuild`). The next build
works out the same digest from the same notes: when the shape and every body and date the page read are unchanged,
so is the page (rendering is deterministic), and the last build's file is linked into the new site.

A body's identity is its source file's digest (its text and front matter) and the length of its HTML: what else its
HTML depends on (where links lead, image sizes, snippets, render settings) is part of the shape.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen import __version__
from kbgen.output.freshness import library_versions, tree_fingerprint
from kbgen.render.reads import BODY, DATE, DATES, Read, noting

try:  # as kbgen.output.freshness: BLAKE2 without loading OpenSSL
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b

if TYPE_CHECKING:
    from kbgen.config.settings import Config
    from kbgen.content.model import Site
    from kbgen.markdown import RenderSettings
    from kbgen.output.writer import StagedOutput
    from kbgen.render.pages import PageRenderer


class PageInputs:
    """The inputs of every page of one build, and the writing of each page: rendered, or linked from the last
    build when its inputs are unchanged."""

    def __init__(self, site: Site, renderer: PageRenderer, config: Config, theme_dirs: list[Path],
                 settings: RenderSettings | None) -> None:
        self.site = site
        self.shape = _shape_digest(site, renderer, config, theme_dirs, settings)
        self.own = {a.output_path: a.rel for a in site.articles}
        self.homes = {f"{lang.url}index.html": lang.code for lang in renderer.languages.all}
        self.languages = {lang.code: lang for lang in renderer.languages.all}
        self._dates: dict[str, str] = {}

    def write(self, staged: StagedOutput, path: str, render: Callable[[], str]) -> None:
        """Link the last build's `path` when nothing it was made from changed; else render it and write it."""
        own = self._own_reads(path)
        last = staged.last(path)
        if last is not None and isinstance(last.note, tuple) and staged.reuse(path, self.inputs(own, last.note)):
            return
        with noting(set(own)) as reads:
            text = render()
        note = tuple(sorted(reads - own))  # kept for every page: most pages read nothing but their own
        staged.write_text(path, text, self.inputs(own, note), note)

    def _own_reads(self, path: str) -> set[Read]:
        """What a page reads outside its template: an article page its own body and date (the body and the
        structured data), a home page every date of its language (its recent articles)."""
        reads: set[Read] = set()
        rel = self.own.get(path)
        if rel is not None:
            reads.update({(rel, BODY), (rel, DATE)})
        lang = self.homes.get(path)
        if lang is not None:
            reads.add((lang, DATES))
        return reads

    def inputs(self, own: set[Read], noted: tuple[Read, ...]) -> str:
        """One digest of the site's shape and of the bodies and dates the page reads as they are now: its `own`
        and those its template `noted`."""
        reads = sorted({*own, *noted})
        by_rel = self.site.by_rel
        values = []
        for rel, what in reads:
            if what == DATES:
                values.append(self._language_dates(rel))
                continue
            article = by_rel.get(rel)
            if article is None:
                values.append(None)
            elif what == BODY:
                values.append((article.digest, len(article.html)))
            else:
                values.append(article.updated.isoformat())
        return blake2b(repr((self.shape, reads, values)).encode(), digest_size=16).hexdigest()

    def _language_dates(self, code: str) -> str | None:
        made = self._dates.get(code)
        if made is None:
            lang = self.languages.get(code)
            if lang is None:
                return None
            made = self._dates[code] = blake2b(
                repr([(a.rel, a.updated.isoformat()) for a in lang.articles]).encode(), digest_size=16).hexdigest()
        return made


def _shape_digest(site: Site, renderer: PageRenderer, config: Config, theme_dirs: list[Path],
                  settings: RenderSettings | None) -> str:
    """Everything every page may depend on but the bodies and dates of articles."""
    from importlib.metadata import version

    parts: list[object] = [__version__, library_versions(), version("jinja2"), version("markupsafe"),
                           _code(), [tree_fingerprint(d) for d in theme_dirs], repr(config.values),
                           str(config.content_dir), repr(settings)]
    parts += [(a.rel, a.url, a.title, a.result.title_html, a.meta, a.extra, a.lang,
               a.category.rel if a.category else None, [t.rel for t in a.related_links]) for a in site.articles]
    parts += [a.rel for a in site.drafts]
    parts += [(c.rel, c.title, c.description, c.icon, c.order, c.url, c.language, c.parent.rel if c.parent else None,
               c.index.rel if c.index else None, [a.rel for a in c.articles], [k.rel for k in c.children])
              for c in site.categories.values()]
    parts += [sorted(site.tag_spellings.items()), _published(config.content_dir, site.static)]
    parts += [[(lang.code, lang.url, [a.rel for a in lang.articles]) for lang in renderer.languages.all],
              renderer.languages.several, sorted(renderer.languages.pairs.items())]
    return blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _code() -> list[list]:
    """kbgen's own files (templates, messages, code): a change to kbgen renders every page again."""
    package = Path(__file__).resolve().parent.parent
    return [row for row in tree_fingerprint(package) if "__pycache__" not in row[0]]


def _published(content_dir: Path, static: list[str]) -> list[tuple[str, int, int]]:
    """Size and time of each file published beside the articles: an image's size is in the pages showing it."""
    found = []
    for rel in static:
        try:
            st = os.stat(content_dir / rel)
        except OSError:
            found.append((rel, -1, -1))
            continue
        found.append((rel, st.st_size, st.st_mtime_ns))
    return found
