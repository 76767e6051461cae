"""The search files of a site, per language: what `kbgen.extras.site_extras` publishes under `search/`."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.search.export import Export, export, fragment_files, read_state
from kbgen.search.records import records, searchable
from kbgen.workqueue import Claim, exit_with_parent
from kbgen.writer import write_file

if TYPE_CHECKING:
    from kbgen.config import Config
    from kbgen.model import Article
    from kbgen.site import Site


def languages(site: Site, config: Config) -> list[tuple[str, str, list[Article]]]:
    """(language, folder of its search files in the site, its articles): each language of a multilingual site
    gets its own `<lang>/search/` (the theme's `lang_root`), a one-language site one `search/`."""
    from kbgen.languages import site_languages

    return [(lang.code, f"{lang.url}search/", list(lang.articles)) for lang in site_languages(site, config).all]


def store_for(config: Config, lang: str) -> Path:
    return config.cache_dir / "search" / lang


def export_site(site: Site, config: Config, states: dict[str, dict] | None = None,
                keep: list | None = None) -> list[tuple[str, Export]]:
    """Export every language's index into its store and say where each goes; `states` as read before (see
    `BackgroundExport`), else read now; `keep` as for `export`."""
    out = []
    for lang, folder, articles in languages(site, config):
        state = states.get(lang) if states is not None else None
        out.append((folder, export(records(site, articles), store_for(config, lang), popular(articles), lang,
                                   state, keep)))
    return out


#: Below this many articles the export takes less time than starting a process for it.
BACKGROUND_FROM = 300
_Forked = tuple["Site", "Config", Callable[[], object] | None, dict[str, dict], Claim]
_forked: _Forked | None = None  # what the forked process finds in its copy of this module
_never_freed: list = []  # in the forked process: the export's working data, left for os._exit


class BackgroundExport:
    """The search export of a build, run on the second core while the first renders pages.

    On Linux the export runs in a forked process, which sees the loaded site as it is, and writes the files into
    `into` (the staged output) itself: thousands of small files are created on the second core too, and nothing but
    the export's bookkeeping is sent back. Where fork is unavailable, or the site is small, it runs in this
    process when asked, and its files come back for the caller to write.

    `then`, when given, runs in the forked process after the export (the build hands it the pages left to render);
    its result is `then_result`, and `then_done` says whether it ran to the end.

    The fragment files (display texts, a third of the files) go to whichever process is free first: the forked
    one has them in memory once its export is done, this one makes them again (the same bytes, from the same state
    read before the fork) when its pages are done while the other is still busy with postings or shards (`Claim`).
    """

    def __init__(self, site: Site, config: Config, into: Path | None = None,
                 then: Callable[[], object] | None = None) -> None:
        global _forked
        self.site, self.config = site, config
        self._pool: ProcessPoolExecutor | None = None
        self.then_result: object = None
        self.then_done = False
        forkable = "fork" in multiprocessing.get_all_start_methods()
        self._into = into
        self._states: dict[str, dict] = {}
        if config.search and len(site.articles) >= BACKGROUND_FROM and forkable:
            self._states = {lang: read_state(store_for(config, lang)) for lang, _f, _a in languages(site, config)}
            self._fragments = Claim()
            _forked = (site, config, then, self._states, self._fragments)
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                             initializer=exit_with_parent)
            self._future = self._pool.submit(_export_in_fork, into)

    def write_fragments(self) -> None:
        """Write the fragment files, unless the forked export has taken them (or runs in this process): called
        as soon as this process is free, and again by `result`."""
        if self._pool is None or self._into is None or not self._fragments.take():
            return
        for lang, folder, articles in languages(self.site, self.config):
            place(self._into / folder, fragment_files(records(self.site, articles), self._states[lang]))

    def result(self) -> list[tuple[str, Export]]:
        if not self.config.search:
            return []
        if self._pool is None:
            return export_site(self.site, self.config)
        try:
            self.write_fragments()
            exported, self.then_result, self.then_done = self._future.result()
            return exported
        except BrokenProcessPool:  # the child died (out of memory, killed): do the work here instead
            return export_site(self.site, self.config)
        finally:
            self.close()

    def close(self, stop: bool = False) -> None:
        """Wait for the other process to end; `stop` ends it first (a build that is failing wants nothing more
        from it, and since it starts before the links are checked, it may be only halfway through the index)."""
        global _forked
        if self._pool is not None:
            if stop:
                # No public way to end a worker before Python 3.14 (`terminate_workers`): its processes, then.
                for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                    process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        _forked = None


def _export_in_fork(into: Path | None) -> tuple[list[tuple[str, Export]], object, bool]:
    assert _forked is not None
    site, config, then, states, fragments = _forked
    # This process lives for one export and a share of the pages, then ends with os._exit (multiprocessing's fork
    # start), which frees nothing. So the cycle collector stays off for good: turned back on after the export, its
    # first pass would walk every object the export made (a fifth of a second on ru-doka) for nothing. And what
    # the export built is kept to the end instead of being freed object by object while the build waits.
    gc.disable()
    from kbgen.links import related_articles

    related_articles(site, config.content_dir)  # forked before the links stage: "popular" needs who links where
    exported = export_site(site, config, states, keep=_never_freed)
    if into is not None:
        for folder, language in exported:
            place(into / folder, {rel: data for rel, data in language.files.items() if not rel.startswith("f/")})
        # Only now, after the shards: by then the build's process may have finished its pages and be free to write
        # the fragments, while this one goes on to what is left (the render cache, the last pages).
        fragments_too = fragments.take()
        for folder, language in exported:
            if fragments_too:
                place(into / folder, {rel: data for rel, data in language.files.items() if rel.startswith("f/")})
            language.files = {}  # in the site already, or written by the build's process: nothing to send back
    if then is None:
        return exported, None, False
    return exported, then(), True


def place(folder: Path, files: dict[str, bytes]) -> None:
    """Write an export's files under `folder` (`manifest.js`, `s/…`, `f/…`)."""
    root = str(folder)
    for sub in {rel.rpartition("/")[0] for rel in files}:
        os.makedirs(f"{root}/{sub}", exist_ok=True)
    for rel, data in files.items():
        write_file(f"{root}/{rel}", data)  # a string: thousands of files, and `Path` joins cost more than writes


def search_extras(site: Site, config: Config,
                  exported: list[tuple[str, Export]] | None = None) -> Iterator[tuple[str, bytes]]:
    """The search files of every language: `exported` when a `BackgroundExport` made them (none when it wrote them
    into the output itself), else made now."""
    if not config.search:
        return
    for folder, language in (exported if exported is not None else export_site(site, config)):
        for rel, data in sorted(language.files.items()):
            yield f"{folder}{rel}", data


def popular(articles: list[Article]) -> list[tuple[str, str]]:
    """Articles other articles link to most: a static site's best guess at what readers need first."""
    inbound: Counter[int] = Counter()
    for a in articles:
        for target in {id(t) for t in a.related_links}:
            inbound[target] += 1
    chosen = sorted((a for a in articles if searchable(a) and a.url), key=lambda a: (-inbound[id(a)], a.sort_key()))
    return [(a.url, a.title) for a in chosen]
