"""The build: one short, ordered list of named stages, each timed, and the only implementation of a build.

config → output (lock; may it be replaced?) → discover → (up to date?) → load → place → dates →
[search export, beside the rest] → links → pages → write

`build()` runs them all (`kbgen build`, `kbgen check`, and `kbgen search` before it searches); the live preview
(`kbgen.serve.session`) and the report (`kbgen.report.inventory`) run the stages they need through the same
`Pipeline`. Which process does what (the load's helpers, the search export beside links and pages) is decided behind
`kbgen.parallel`; the stages hand it functions and lists, as Zola's `Site::build` keeps `par_iter` in its helpers.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen import DEFAULT_THEME
from kbgen.config.project import Project
from kbgen.config.settings import Config
from kbgen.content.dates import SHALLOW_HINT, GitDates, date_articles, git_dates, git_head
from kbgen.content.discover import ContentFiles, discover
from kbgen.core.diagnostics import BuildFailed, Diagnostic, Diagnostics
from kbgen.output.freshness import build_key, clear_stamp, manifest, read_stamp, tree_fingerprint, write_stamp
from kbgen.output.locks import LOAD_DROP, build_lock, remove_leftovers
from kbgen.output.ownership import check_replaceable
from kbgen.output.writer import StagedOutput, check_output_dir
from kbgen.parallel import Alongside, collector_spared

if TYPE_CHECKING:
    from kbgen.content.cache import RenderCache
    from kbgen.content.model import Article, Site
    from kbgen.markdown import RenderSettings
    from kbgen.render.pages import PageRenderer
    from kbgen.render.theme import Theme


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
    result = BuildResult()
    with collector_spared() as loaded, ExitStack() as held:
        with _timed(result.timings, "config"):
            project = Project.load(options.config, options.content, options.out, diagnostics)
            diagnostics.overrides.update(project.config.severity_overrides())
            result.config = project.config
            if options.write:
                check_output_dir(project.config.output_dir, _protected(project), project.config.root)
        return Pipeline(project, diagnostics, options, progress, result).build(held, loaded)


class Pipeline:
    """The stages of a build over one project, each a method timed under its name (`result.timings`).

    `diagnostics` is where the stages report; the live preview gives each new run of them a fresh one."""

    def __init__(self, project: Project, diagnostics: Diagnostics, options: BuildOptions | None = None,
                 progress: Progress | None = None, result: BuildResult | None = None) -> None:
        self.project, self.config = project, project.config
        self.diagnostics = diagnostics
        self.options = options or BuildOptions()
        self.include_drafts = self.options.drafts or self.config.drafts
        self.report = progress or (lambda stage, done, total: None)
        self.result = result or BuildResult(config=self.config)
        self.theme: Theme | None = None  # made by `load`, with the render settings and the render cache
        self.settings: RenderSettings | None = None
        self.cache: RenderCache | None = None
        self.git: GitDates | None = None  # read by `dates`, once

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        with _timed(self.result.timings, name):
            yield

    def build(self, held: ExitStack, loaded: Callable[[], None]) -> BuildResult:
        """Every stage in order; `held` keeps the build lock to the end, `loaded()` says the site is loaded."""
        result, write = self.result, self.options.write
        reported_before = len(self.diagnostics.items)  # the config's: re-reported by every run, never stored
        replaceable = self.take_output(held) if write else frozenset[str]()
        files = self.discover()
        key = self.key()
        if write and self.up_to_date(key):
            result.up_to_date = True
            return result
        articles = self.load(files)
        for a in articles:
            self.diagnostics.extend([Diagnostic(*p) for p in a.result.problems])
        loaded()
        site = result.site = self.place(articles, files)
        self.dates(site)
        staged = StagedOutput(self.config.output_dir, replaceable, self.config.cache_dir) if write else None
        try:
            with self.search_beside(site, staged) as search:
                renderer = self.links(site)
                search.give(self.linked_to(site))
                if not (write and self.config.search):  # a build tests the index it exports; `check` one in memory
                    self.search_tests(site)
                if self.diagnostics.errors:
                    if write:  # `kbgen check` writes nothing, not even the cache
                        self.cache.save()  # type: ignore[union-attr]
                    raise BuildFailed(len(self.diagnostics.errors))
                self.pages(site, renderer, staged, search)
        except BaseException:
            if staged:
                staged.discard()
            raise
        if staged:
            self.commit(staged, key, reported_before)
        return result

    # -- the stages -----------------------------------------------------------------------------------------------

    def take_output(self, held: ExitStack) -> frozenset[str]:
        """One build of a project at a time (a second waits); then, nothing written yet, whether the output folder
        is kbgen's to replace (the files of it that are); then what builds killed before this one left beside it."""
        config = self.config
        with self.stage("output"):
            held.enter_context(build_lock(config.cache_dir, lambda: print(
                f"waiting for another build of this site to finish ({config.cache_dir}/build.lock)",
                file=sys.stderr)))
            replaceable = check_replaceable(config.output_dir, read_stamp(config.cache_dir))
            remove_leftovers(config.output_dir)
            remove_leftovers(config.cache_dir / LOAD_DROP)
        return replaceable

    def discover(self) -> ContentFiles:
        with self.stage("discover"):
            return discover(self.config.content_dir, self.config.exclude)

    def key(self) -> str:
        """What the output depends on besides kbgen itself: config, options, content, themes, git's HEAD."""
        config, project = self.config, self.project
        with self.stage("discover"):
            return build_key(config.path.read_bytes() if config.path else b"", self.include_drafts,
                             self.options.strict, str(config.content_dir), str(config.output_dir), config.values,
                             tree_fingerprint(config.content_dir), tree_fingerprint(DEFAULT_THEME),
                             tree_fingerprint(project.site_theme) if project.site_theme else None,
                             git_head(config.content_dir))

    def up_to_date(self, key: str) -> bool:
        """Nothing in the content, config or theme changed and the output is as the last build left it."""
        config = self.config
        stamp = read_stamp(config.cache_dir)
        if not stamp or stamp.get("key") != key or stamp.get("out") != str(config.output_dir):
            return False
        if not config.output_dir.is_dir() or manifest(config.output_dir) != stamp.get("manifest"):
            clear_stamp(config.cache_dir)
            return False
        self.diagnostics.extend([Diagnostic(*d) for d in stamp.get("diagnostics", [])])
        return True

    def load(self, files: ContentFiles) -> list[Article]:
        """The theme, the render settings, and every article: rendered, or from the render cache."""
        # Only now the heavy modules (markdown-it, Pygments, Jinja): a rebuild with nothing changed never needs
        # them, so it costs little more than starting Python.
        from kbgen.config.project import display_path
        from kbgen.content.cache import RenderCache
        from kbgen.content.load import load_articles, render_settings
        from kbgen.markdown import RENDER_VERSION

        project = self.project
        with self.stage("load"):
            self.theme = self.load_theme()
            for path, code, why in self.theme.skipped_assets:  # a link out of the theme is never published
                self.diagnostics.add(display_path(Path(path)), 0, code, why)
            self.settings = render_settings(project, files, self.diagnostics)
            self.cache = RenderCache(project.cache_dir,
                                     build_key(RENDER_VERSION, self.settings, project.display_root),
                                     writable=self.options.write)
            articles, self.result.rendered = load_articles(project, files, self.settings, self.cache, self.report,
                                                           self.options.write)
        return articles

    def load_theme(self) -> Theme:
        from kbgen.render.theme import Theme

        return Theme(self.project.site_theme, self.config.highlight_style, self.config.highlight_dark_style)

    def place(self, articles: list[Article], files: ContentFiles) -> Site:
        """URLs, categories, languages; and the files published as they are, checked against their size limit."""
        from kbgen.core.limits import check_published_files
        from kbgen.site.languages import site_languages
        from kbgen.site.place import build_site

        config, root = self.config, self.project.display_root
        with self.stage("place"):
            site = build_site(articles, files, config.content_dir, root, self.include_drafts, self.diagnostics,
                              config.languages)
            site_languages(site, config, self.diagnostics)
            check_published_files(config.content_dir, site.static, root, config.limits["max_file_bytes"],
                                  self.diagnostics)
        return site

    def dates(self, site: Site) -> None:
        """Every article's date from one `git log` of the content folder (`kbgen.content.dates`), read once; said
        when the clone is shallow: its dates would be the clone's."""
        with self.stage("dates"):
            if self.git is None:
                self.git = git_dates(self.config.content_dir)
            if self.git.shallow:
                self.diagnostics.add(self.project.display_root, 0, "shallow-clone",
                                     f"this is a shallow git clone: {SHALLOW_HINT}")
            date_articles([*site.articles, *site.drafts], self.git)

    def links(self, site: Site, report: Callable[[Article], Diagnostics] | None = None) -> PageRenderer:
        """Every link resolved and checked (each article's problems to `report(article)`, by default to
        `diagnostics`), then every path the site will write, before anything is written."""
        from kbgen.render.outputs import check_outputs
        from kbgen.render.pages import PageRenderer
        from kbgen.site.links import resolve_links

        assert self.theme is not None
        with self.stage("links"):
            resolve_links(site, self.config.content_dir, report or (lambda article: self.diagnostics),
                          self.config.external_sites)
            renderer = PageRenderer(site, self.config, self.theme)
            check_outputs(renderer, self.theme, site, self.config, self.project.display_root, self.diagnostics)
        return renderer

    def search_tests(self, site: Site, exported: bool = False) -> None:
        from kbgen.search.checks import run_search_tests

        with self.stage("search tests"):
            run_search_tests(site, self.config, self.diagnostics, exported)

    def search_beside(self, site: Site, staged: StagedOutput | None) -> Alongside[list | None]:
        """The search index of a build that writes one, exported and written into `staged` on the second core
        from now on: it needs the placed site, and from the links stage only how many articles link to each
        (`give`n to it when known, asked for last)."""
        from kbgen.search.publish import export_into

        exporting = staged is not None and self.config.search

        def export(counts: Callable[[], dict]) -> list | None:
            return export_into(site, self.config, staged.write_bytes, counts) if exporting else None  # type: ignore[union-attr]

        return Alongside(export, len(site.articles) if exporting else 0)

    def linked_to(self, site: Site) -> dict:
        from kbgen.search.publish import linked_to

        return linked_to(site, self.config) if self.options.write and self.config.search else {}

    def pages(self, site: Site, renderer: PageRenderer, staged: StagedOutput | None,
              search: Alongside[list | None]) -> None:
        """Every page (rendered by `kbgen check` too: a template can fail on one page only), and the other files
        once `search` has exported the index; a build tests its `search_tests` against the index it wrote."""
        from kbgen.render.fingerprints import PageInputs

        with self.stage("pages"):
            if staged:
                self.cache.save()  # type: ignore[union-attr]
            routes = renderer.routes()
            inputs = PageInputs(site, renderer, self.config, self.project.theme_dirs, self.settings) \
                if staged else None
            for done, (path, render) in enumerate(routes.items(), 1):
                if inputs:  # rendered, or the last build's page when nothing it shows changed
                    inputs.write(staged, path, render)  # type: ignore[arg-type]
                else:
                    render()
                if done % 500 == 0:
                    self.report("pages", done, len(routes))
            exported = search.result()
            self.result.pages = len(routes)
            if staged:
                _write_extras(staged, renderer, self.theme, site, self.config, exported)  # type: ignore[arg-type]
        if staged and self.config.search:
            self.search_tests(site, exported=True)
            if self.diagnostics.errors:
                raise BuildFailed(len(self.diagnostics.errors))

    def commit(self, staged: StagedOutput, key: str, reported_before: int) -> None:
        """The staged site swapped in, and what the next build needs to know it is up to date."""
        config = self.config
        with self.stage("write"):
            written = staged.commit()
            write_stamp(config.cache_dir, {
                "key": key, "out": str(config.output_dir), "pages": self.result.pages, "manifest": written,
                "diagnostics": [[d.path, d.line, d.code, d.message]
                                for d in self.diagnostics.items[reported_before:]],
            })


@contextmanager
def _timed(timings: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def _protected(project: Project) -> list[tuple[str, Path]]:
    """What the output folder must neither be nor contain, and what it must not be inside (but the project)."""
    config = project.config
    return [("the project folder", config.root), ("the content folder", config.content_dir),
            ("kbgen's own folder", config.cache_dir)] + (
        [("the config file", config.path)] if config.path else []) + (
        [("the theme folder", project.site_theme)] if project.site_theme else [])


def _write_extras(staged: StagedOutput, renderer: PageRenderer, theme: Theme, site: Site, config: Config,
                  exported: list | None) -> None:
    """Write what `kbgen.render.extras.site_extras` yields: the files of a site that are not pages."""
    from kbgen.render.extras import site_extras

    for rel, data in site_extras(renderer, theme, site, config, exported):
        if isinstance(data, bytes):
            staged.write_bytes(rel, data)
        else:
            staged.copy(data, rel)
