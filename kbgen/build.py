"""The build: one short, ordered pipeline of named stages, each timed.

config → output (lock; may it be replaced?) → discover → (up to date?) → load & render → place → dates →
resolve links → pages → write & swap → remember
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen import DEFAULT_THEME
from kbgen.config import Config, load_config
from kbgen.diagnostics import BuildFailed, Diagnostic, Diagnostics
from kbgen.discover import discover
from kbgen.freshness import build_key, clear_stamp, manifest, read_stamp, tree_fingerprint, write_stamp
from kbgen.gcpolicy import collector_spared
from kbgen.gitdates import SHALLOW_HINT, date_articles, git_dates, git_head
from kbgen.locks import LOAD_DROP, build_lock, remove_leftovers
from kbgen.ownership import check_replaceable
from kbgen.writer import StagedOutput, check_output_dir

if TYPE_CHECKING:
    from kbgen.pages import PageRenderer
    from kbgen.search.publish import BackgroundExport
    from kbgen.site import Site
    from kbgen.theme import Theme


@dataclass
class BuildOptions:
    config: Path | None = None
    content: Path | None = None
    out: Path | None = None
    drafts: bool = False
    strict: bool = False
    write: bool = True  # False for `kbgen check`


@dataclass
class BuildResult:
    config: Config | None = None
    site: Site | None = None
    pages: int = 0
    up_to_date: bool = False
    rendered: int = 0  # files rendered this time (the rest came from the cache)
    timings: dict[str, float] = field(default_factory=dict)


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def build(options: BuildOptions, diagnostics: Diagnostics, progress: Progress | None = None) -> BuildResult:
    """Run the pipeline. Diagnostics go to `diagnostics`; content errors raise BuildFailed after the cache is
    saved, and the output folder is only replaced when there are none."""
    with collector_spared() as loaded, ExitStack() as held:
        return _build(options, diagnostics, progress, loaded, held)


def _build(options: BuildOptions, diagnostics: Diagnostics, progress: Progress | None,
           loaded: Callable[[], None], held: ExitStack) -> BuildResult:
    result = BuildResult()
    report = progress or (lambda stage, done, total: None)

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        result.timings[name] = time.perf_counter() - start

    with stage("config"):
        config = load_config(options.config, options.content, options.out, diagnostics)
        config_diagnostics = len(diagnostics.items)  # re-reported by every run, so never stored in the stamp
        diagnostics.overrides.update(config.severity_overrides())
        result.config = config
        include_drafts = options.drafts or config.drafts
        site_theme = config.root / "themes" / config.theme if config.theme else None
        if options.write:
            check_output_dir(config.output_dir, _protected(config, site_theme), config.root)
    replaceable = frozenset[str]()
    if options.write:
        with stage("output"):
            # One build of a project at a time (a second waits); then, nothing written yet, whether the output
            # folder is kbgen's to replace; then what builds killed before this one left beside it.
            held.enter_context(build_lock(config.cache_dir, lambda: print(
                f"waiting for another build of this site to finish ({config.cache_dir}/build.lock)",
                file=sys.stderr)))
            replaceable = check_replaceable(config.output_dir, read_stamp(config.cache_dir))
            remove_leftovers(config.output_dir)
            remove_leftovers(config.cache_dir / LOAD_DROP)
    display_root = display_path(config.content_dir)

    with stage("discover"):
        files = discover(config.content_dir, config.exclude)
        key = build_key(config.path.read_bytes() if config.path else b"", include_drafts, options.strict,
                        str(config.content_dir), str(config.output_dir), config.values,
                        tree_fingerprint(config.content_dir), tree_fingerprint(DEFAULT_THEME),
                        tree_fingerprint(site_theme) if site_theme else None, git_head(config.content_dir))
    if options.write and _up_to_date(config, key, diagnostics):
        result.up_to_date = True
        return result

    # Only now the heavy modules (markdown-it, Pygments, Jinja): a rebuild with nothing changed never needs them,
    # so it costs little more than starting Python.
    from kbgen.cache import RenderCache
    from kbgen.languages import site_languages
    from kbgen.limits import check_published_files
    from kbgen.links import resolve_links
    from kbgen.loading import load_articles, render_settings
    from kbgen.markdown import RENDER_VERSION
    from kbgen.outputs import check_outputs
    from kbgen.pages import PageRenderer
    from kbgen.site import build_site
    from kbgen.theme import Theme

    with stage("load"):
        theme = Theme(site_theme, config.highlight_style, config.highlight_dark_style)
        for path, code, why in theme.skipped_assets:  # a link out of the theme is never published
            diagnostics.add(display_path(Path(path)), 0, code, why)
        settings = render_settings(config, files, display_root, diagnostics)
        cache = RenderCache(config.cache_dir, build_key(RENDER_VERSION, settings, display_root))
        articles, result.rendered = load_articles(config, files, display_root, settings, cache, report,
                                                  options.write)
        for a in articles:
            diagnostics.extend([Diagnostic(*p) for p in a.result.problems])
    loaded()

    with stage("place"):
        site = build_site(articles, files, config.content_dir, display_root, include_drafts, diagnostics,
                          config.languages)
        site_languages(site, config, diagnostics)
        check_published_files(config.content_dir, site.static, display_root, config.limits["max_file_bytes"],
                              diagnostics)
        result.site = site
    with stage("dates"):
        _date_articles(site, config, display_root, diagnostics)

    from kbgen.workqueue import Claim, WorkQueue

    # A build checks its `search_tests` against the index it exports (below); `check` exports one in memory.
    tests_on_export = options.write and config.search
    staged = StagedOutput(config.output_dir, replaceable) if options.write else None
    queue = WorkQueue()  # the pages, once this process has resolved the links and knows them
    cache_saving = Claim()

    def render_from_back() -> int:
        """In the export's process, once the index is written: the render cache, unless this process got there
        first, then pages from the back, until the two meet. Its copy of the site was made before the links
        were resolved, so it resolves them too (the same work; this process reports the problems) if there are
        pages left to help with."""
        if cache_saving.take():
            cache.save()
        if not queue.left():
            return 0
        resolve_links(site, config.content_dir, None, config.external_sites)  # reports nothing: see below
        routes = PageRenderer(site, config, theme).routes()
        paths = list(routes)
        done = 0
        while (i := queue.take_back()) is not None:
            staged.write_text(paths[i], routes[paths[i]]())
            done += 1
        return done

    search = None
    cache_here = False  # this process has the render cache to save (the other one may have it instead)
    try:
        # The index needs the articles placed, not their links resolved: from here it is built, and written, on
        # the other core while this one resolves links and renders pages; then it helps with the pages.
        from kbgen.search.publish import BackgroundExport

        search = BackgroundExport(site, config, staged.root, render_from_back) if staged else None
        from kbgen.search.checks import run_search_tests

        with stage("links"):
            resolve_links(site, config.content_dir, diagnostics, config.external_sites)
            renderer = PageRenderer(site, config, theme)
            check_outputs(renderer, theme, site, config, display_root, diagnostics)  # before anything is written

        if not tests_on_export:
            with stage("search tests"):
                run_search_tests(site, config, diagnostics)

        if diagnostics.errors and options.write:  # `kbgen check` writes nothing, not even the cache
            cache_here = cache_saving.take()  # a site that is written saves it beside the pages (below)
            if cache_here:
                cache.save()
        if diagnostics.errors:
            raise BuildFailed(len(diagnostics.errors))

        with stage("pages"):
            routes = renderer.routes()
            paths = list(routes)
            queue.open(len(paths))
            while (i := queue.take_front()) is not None:
                text = routes[paths[i]]()
                result.pages += 1
                if staged:
                    staged.write_text(paths[i], text)
                if result.pages % 500 == 0:
                    report("pages", result.pages, len(paths))
            if staged:
                if search:
                    search.write_fragments()  # unless the other process, done with its shards, took them first
                saved_here = cache_here = cache_saving.take()
                if saved_here:
                    cache.save()  # while the export may still be running on the other core
                _write_extras(staged, renderer, theme, site, config, search)
                if search and search.then_done:
                    result.pages += search.then_result
                else:  # the other process never helped, or died: its pages (and the cache) may be missing
                    if not saved_here:
                        cache.save()
                    for i in queue.taken_from_back():
                        staged.write_text(paths[i], routes[paths[i]]())
                        result.pages += 1
                if tests_on_export:
                    run_search_tests(site, config, diagnostics, exported=True)
                    if diagnostics.errors:
                        raise BuildFailed(len(diagnostics.errors))
    except BaseException:
        queue.close()  # the other process renders no more pages of a build that is stopping
        if search:
            # Ended at once, unless it is saving the render cache: then its index is done, and so is it, nearly.
            search.close(stop=cache_here or cache_saving.take())
        if staged:
            staged.discard()
        raise

    if staged:
        with stage("write"):
            staged.commit()
            write_stamp(config.cache_dir, {
                "key": key, "out": str(config.output_dir), "pages": result.pages,
                "manifest": manifest(config.output_dir),
                "diagnostics": [[d.path, d.line, d.code, d.message]
                                for d in diagnostics.items[config_diagnostics:]],
            })
    return result


def display_path(content_dir: Path) -> str:
    """How paths are shown: relative to where the writer runs kbgen, as they would type them."""
    try:
        rel = os.path.relpath(content_dir)
    except ValueError:
        return str(content_dir)
    return str(content_dir) if rel.startswith(f"..{os.sep}..") else rel


def _protected(config: Config, site_theme: Path | None) -> list[tuple[str, Path]]:
    """What the output folder must neither be nor contain, and what it must not be inside (but the project)."""
    return [("the project folder", config.root), ("the content folder", config.content_dir),
            ("kbgen's own folder", config.cache_dir)] + (
        [("the config file", config.path)] if config.path else []) + (
        [("the theme folder", site_theme)] if site_theme else [])


def _up_to_date(config: Config, key: str, diagnostics: Diagnostics) -> bool:
    """Nothing in the content, config or theme changed and the output is as the last build left it."""
    stamp = read_stamp(config.cache_dir)
    if not stamp or stamp.get("key") != key or stamp.get("out") != str(config.output_dir):
        return False
    if not config.output_dir.is_dir() or manifest(config.output_dir) != stamp.get("manifest"):
        clear_stamp(config.cache_dir)
        return False
    diagnostics.extend([Diagnostic(*d) for d in stamp.get("diagnostics", [])])
    return True


def _date_articles(site: Site, config: Config, display_root: str, diagnostics: Diagnostics) -> None:
    """Every article's date from one `git log` of the content folder (`kbgen.gitdates`), said once when the
    clone is shallow: its dates would be the clone's."""
    git = git_dates(config.content_dir)
    if git.shallow:
        diagnostics.add(display_root, 0, "shallow-clone", f"this is a shallow git clone: {SHALLOW_HINT}")
    date_articles([*site.articles, *site.drafts], git)


def _write_extras(staged: StagedOutput, renderer: PageRenderer, theme: Theme, site: Site, config: Config,
                  search: BackgroundExport | None) -> None:
    """Write what `kbgen.extras.site_extras` yields: the files of a site that are not pages."""
    from kbgen.extras import site_extras

    for rel, data in site_extras(renderer, theme, site, config, search):
        if isinstance(data, bytes):
            staged.write_bytes(rel, data)
        else:
            staged.copy(data, rel)
