"""The live preview's site, held in memory and changed by the least rebuild each save needs.

Pages are rendered through the same `PageRenderer` routes as `kbgen build`, only lazily: a page is rendered when
a browser asks for it and kept until a change touches it, so a save on a 10,000-article site costs one article's
Markdown and one page's template. Every change and every page render holds one lock, so a reader sees the site
of one epoch or of the next, never a mix (MkDocs livereload's epochs).
"""

from __future__ import annotations

import html
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from pathlib import Path

from kbgen.config.project import Project
from kbgen.content.dates import last_updated
from kbgen.content.discover import ContentFiles
from kbgen.content.load import load_one
from kbgen.content.model import Article, Site
from kbgen.core.diagnostics import Diagnostic, Diagnostics, KbgenError, Severity
from kbgen.pipeline import BuildOptions, Pipeline
from kbgen.render.extras import site_extras
from kbgen.render.pages import PageRenderer
from kbgen.render.theme import Theme
from kbgen.serve.epochs import Update, folded
from kbgen.serve.fromdisk import LastBuild, last_build
from kbgen.serve.lazy import LazyExtras
from kbgen.serve.plan import Plan
from kbgen.serve.problems import Problems
from kbgen.site.links import LinkResolver, resolve_article

Log = Callable[[str], None]


class PreviewSession:
    """The loaded site plus everything needed to change it in place."""

    def __init__(self, options: BuildOptions, log: Log = print, warm_start: bool = False) -> None:
        """Load the site; with `warm_start` and a last build of it on disk, load it on a thread and serve that
        build meanwhile: a large site previews at once (`kbgen.serve.fromdisk`)."""
        self.options = options
        self.log = log
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.closed = False
        # Epochs start at the clock, so a tab left open across a server restart sees a newer one and reloads.
        self.update = Update(int(time.time() * 1000))
        self.fatal: list[str] = []  # a config that cannot be read: nothing else can be trusted
        self._pages: dict[str, str] = {}
        self._last_good: dict[str, str] = {}  # pages as last rendered, served while a template is broken
        self._render_errors: dict[str, str] = {}
        self._extras: LazyExtras | None = None
        self._history: deque[Update] = deque(maxlen=64)
        self.ready = threading.Event()  # the site is loaded: pages are rendered from it, not read from disk
        self.last_build: LastBuild | None = None  # the last `kbgen build` of this site, served until then
        self._load_project()  # raises when the config cannot be read: there is nothing to serve
        self.last_build = last_build(self.config) if warm_start else None
        if self.last_build is None:
            self._load_content()
            self.ready.set()
        else:
            threading.Thread(target=self._load_beside, name="kbgen-preview-load", daemon=True).start()

    # -- what the server asks -------------------------------------------------------------------------------------

    @property
    def epoch(self) -> int:
        return self.update.epoch

    def page(self, path: str) -> str | None:
        """The page at `path` (`billing/refunds/index.html`) as `kbgen build` would write it, or None."""
        with self.lock:
            text = self._pages.get(path)
            if text is not None:
                return text
            render = self.routes.get(path)
            if render is None:
                return None
            try:
                text = render()
            except KbgenError as exc:  # a broken template: keep showing the last good page, say why
                if self._render_errors.get(path) != exc.message:  # in the terminal too, once, not per request
                    self.log(exc.message)
                self._render_errors[path] = exc.message
                return self._last_good.get(path) or _broken_page(exc.message)
            self._render_errors.pop(path, None)
            self._pages[path] = self._last_good[path] = text
            return text

    def extra(self, path: str) -> bytes | Path | None:
        """A non-page file of the site (asset, search index, sitemap…), from `site_extras` like the build.

        Produced only as far as requests need, outside the page lock: theme assets come first and are served at
        once, while the search index of a large site (seconds of work) is made only when a search asks for it,
        without holding up saves or page renders meanwhile."""
        with self.lock:
            if self._extras is None:
                self._extras = LazyExtras(site_extras(self.renderer, self.theme, self.site, self.config))
            extras = self._extras
        try:
            return extras.get(path)
        except KbgenError as exc:
            with self.lock:
                self._render_errors["(site files)"] = exc.message
            return None

    def allowed_roots(self) -> list[Path]:
        """Folders a served file may really live in: the content, the site's theme and the default theme. A symlink
        leading anywhere else (to kbgen.yml, to the rest of the project) is refused."""
        return [r.resolve() for r in [self.config.content_dir, *self.project.theme_dirs]]

    def errors(self) -> list[str]:
        """What the overlay shows: every error as `path:line: error[code]: message`."""
        if not self.ready.is_set():
            return []  # known once the site is loaded; the tabs reload then
        with self.lock:
            if self.fatal:
                return list(self.fatal)
            found = [d for d in self.problems.all() if d.severity is Severity.ERROR]
            return [d.format() for d in sorted(set(found))] + sorted(self._render_errors.values())

    def wait(self, after: int, timeout: float) -> Update | None:
        """Block until an epoch newer than `after` (or `timeout`); None on timeout or when closing. Epochs a
        slow tab missed come folded into one update (`kbgen.serve.epochs.folded`)."""
        with self.changed:
            self.changed.wait_for(lambda: self.update.epoch > after or self.closed, timeout)
            if self.update.epoch <= after or self.closed:
                return None
            return folded(self._history, self.update, after)

    def save_cache(self) -> None:
        """Keep what this session rendered, so the next start is warm."""
        if not self.ready.is_set():
            return  # stopped while loading: the load saves what it rendered as it goes
        with self.lock:
            self.cache.save()

    def close(self) -> None:
        self.closed = True
        if not self.ready.is_set():
            return  # the loading thread holds the lock; tabs waiting on it are daemon threads, like it
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def watched(self) -> tuple[list[Path], Path]:
        """Folders to watch recursively, and the config file (which may not exist yet)."""
        return [self.config.content_dir, self.project.themes_folder], self.project.config_file

    @property
    def theme(self) -> Theme:
        return self.pipeline.theme  # type: ignore[return-value]

    # -- applying changes -----------------------------------------------------------------------------------------

    def apply(self, plan: Plan) -> Update:
        """Rebuild what `plan` needs and start a new epoch. Errors go to the overlay; a crash never escapes."""
        start = time.perf_counter()
        with self.changed:
            if not self.fatal and (plan.articles | plan.static) & set(self.files.included):
                plan.snippets = True  # a file other articles include (`--8<--`, `[!include]`) feeds them all
            before = {rel: a.url for rel, a in self.loaded.items()}
            reload = bool(plan.config or plan.theme or plan.snippets)
            try:
                self._apply(plan)
            except KbgenError as exc:
                self.fatal = [exc.message]
            except Exception as exc:  # a bug in kbgen must not take the preview down with it
                traceback.print_exc()
                self.fatal = [f"internal error while rebuilding: {type(exc).__name__}: {exc}"]
            moved = {f"/{before[old]}": f"/{self.site.by_rel[new].url}" for old, new in plan.moved.items()
                     if old in before and new in self.site.by_rel}
            content = bool(plan.articles or plan.structure or plan.moved or plan.snippets or plan.config)
            # The terminal hears of the rebuild before the new epoch is out: whoever sees the epoch (a tab, a
            # test) finds its errors in the log already.
            ms = (time.perf_counter() - start) * 1000
            self.log(f"{plan.describe()} changed: rebuilt in {ms:.0f} ms")
            for line in self.errors():
                self.log(line)
            self.update = Update(self.update.epoch + 1, reload=reload, moved=moved, content=content)
            self._history.append(self.update)
            self.changed.notify_all()
        return self.update

    def _apply(self, plan: Plan) -> None:
        if plan.config or plan.snippets or self.fatal:
            self._load_all()
            return
        if plan.theme:
            self.pipeline.theme = self.pipeline.load_theme()
        # Files came or went: list them again. Front matter changed: place again, with the same files.
        new_files = plan.structure or bool(plan.moved) or any(r not in self.files.static for r in plan.static)
        came_or_went, replace, body_edits = self._read_again(plan)
        new_files = new_files or came_or_went
        if new_files or replace:
            for old, new in body_edits:  # placed again below with everything else
                self.loaded[old.rel] = self._keep_last_good(old, new)
            self._place(self._listed_again() if new_files else self.files)
        else:
            if plan.theme:
                self._render_afresh()
            for old, new in body_edits:
                self._edit_body(old, new)
        if plan.static or plan.theme:
            self._extras = None

    def _read_again(self, plan: Plan) -> tuple[bool, bool, list[tuple[Article, Article]]]:
        """The saved articles read again: whether one came or went, whether one must be placed again (its title
        or front matter changed), and the ones whose body alone changed (old, new)."""
        came_or_went = replace = False
        body_edits = []
        for rel in sorted(plan.articles):
            old = self.loaded.get(rel)
            new = self._read(rel)
            if new is None or old is None:
                came_or_went = True
            elif _placement(old) != _placement(new):
                replace = True
            else:
                if new.digest != old.digest:
                    body_edits.append((old, new))
                continue
            if new is not None:
                self.loaded[rel] = self._keep_last_good(old, new)
        return came_or_went, replace, body_edits

    def _listed_again(self) -> ContentFiles:
        """The content folder listed again; files other articles include stay parts of pages, not pages."""
        files = self.pipeline.discover()
        files.included = self.files.included
        included = set(files.included)
        files.articles = [rel for rel in files.articles if rel not in included]
        return files

    def _edit_body(self, article: Article, new: Article) -> None:
        """Only the text changed: re-render it, re-check links into it, and drop the pages that show it."""
        kept = self._keep_last_good(article, new)
        article.result, article.digest, article.mtime = kept.result, new.digest, new.mtime
        article.dated = last_updated(article, self.pipeline.git)  # its `updated:` may be what changed
        links_before = list(article.related_links)
        linkers = [a for a in self.site.articles if article in a.related_links and a is not article]
        if self._resolver is None:  # its lookups (and "did you mean" index) hold while no file comes or goes
            self._resolver = LinkResolver(self.site, self.config.content_dir, self.config.external_sites)
        for a in [article, *linkers]:
            self._resolve(a, self._resolver)
        self._extras = None
        if article.related_links != links_before:
            # Which articles link where feeds "related articles" and "popular" lists, worked out when the
            # renderer starts: start a new one, and let every page render again when asked.
            self._render_afresh()
            return
        stale = {article.output_path}  # pages linking here keep their HTML: a link shows no text of its target
        cat = article.category
        i = self.renderer.position.get(id(article))
        if cat is not None and i is not None:
            stale.update(a.output_path for a in cat.articles[max(i - 1, 0):i + 2])  # previous/next show it
        if cat is not None and cat.index is not None:
            stale.add(cat.index.output_path)  # a folder's own page lists the articles in it
        # Listings (homes, categories, tags) are few; any of them may show the article's date or excerpt.
        stale.update(path for path in self._pages if path not in self._article_pages)
        self._forget(stale)

    # -- loading --------------------------------------------------------------------------------------------------

    def _load_all(self) -> None:
        """Config, theme, every article (through the render cache), places and links: the build's stages."""
        if self._load_project():
            self._load_content()

    def _load_project(self) -> bool:
        """The config and the pipeline over it; False (and `fatal` says why) when the config cannot be read."""
        diagnostics = Diagnostics(strict=self.options.strict)
        try:
            project = Project.load(self.options.config, self.options.content, None, diagnostics)
        except KbgenError as exc:
            self.fatal = [d.format() for d in diagnostics.items] or [exc.message]
            if not hasattr(self, "config"):
                raise
            return False
        self.project, self.config, self.fatal = project, project.config, []
        self.problems = Problems(project.config.severity_overrides(), self.options.strict)
        self.pipeline = Pipeline(project, self.problems.fresh(), self.options)
        self.problems.config = diagnostics.items
        return True

    def _load_content(self) -> None:
        files = self.pipeline.discover()
        articles = self.pipeline.load(files)
        self.problems.config = self.problems.config + self.pipeline.diagnostics.items
        self.cache = self.pipeline.cache
        self.cache.save()  # type: ignore[union-attr]
        self.loaded = {a.rel: a for a in articles}
        self.problems.load = {a.rel: self.problems.of_file(a.result.problems) for a in articles}
        self._place(files)

    def _load_beside(self) -> None:
        """The first load, on its own thread while the last build is served; then every open tab reloads."""
        start = time.perf_counter()
        with self.changed:
            try:
                self._load_content()
            except KbgenError as exc:
                self.fatal = [exc.message]
            except Exception as exc:  # a bug in kbgen must not take the preview down with it
                traceback.print_exc()
                self.fatal = [f"internal error while loading: {type(exc).__name__}: {exc}"]
            self.ready.set()
            self.update = Update(self.update.epoch + 1, reload=True, content=True)
            self._history.append(self.update)
            self.changed.notify_all()
        if not self.fatal:
            self.log(f"Loaded {len(self.site.articles)} articles in {time.perf_counter() - start:.1f} s: "
                     "pages now follow every save")
        for line in self.errors():
            self.log(line)

    def _read(self, rel: str) -> Article | None:
        """One article file, rendered unless the cache already holds these bytes."""
        return load_one(self.project, rel, self.pipeline.settings, self.cache)  # type: ignore[arg-type]

    def _keep_last_good(self, old: Article | None, new: Article) -> Article:
        """A file that no longer loads (broken YAML, bad encoding) keeps its last good content on screen."""
        problems = self.problems.of_file(new.result.problems)
        self.problems.load[new.rel] = problems
        if old is not None and any(d.severity is Severity.ERROR for d in problems):
            new.result = old.result
        return new

    def _place(self, files: ContentFiles) -> None:
        """Categories, URLs and links for the whole site; every page is rendered afresh when next asked for."""
        self.files = files
        articles = []
        for rel in files.articles:
            article = self.loaded.get(rel) or self._read(rel)
            if article is None:
                continue  # gone between listing and reading; the next change event re-places the site
            if rel not in self.loaded:
                self._keep_last_good(None, article)
            article.related_links.clear()
            articles.append(article)
        self.loaded = {a.rel: a for a in articles}
        self.problems.load = {rel: p for rel, p in self.problems.load.items() if rel in self.loaded}
        self.pipeline.diagnostics = diagnostics = self.problems.fresh()
        self.site: Site = self.pipeline.place(articles, files)
        self._resolver: LinkResolver | None = None
        self.pipeline.dates(self.site)
        self.problems.links = {}
        self.renderer = self.pipeline.links(self.site, self.problems.link_report)
        self.problems.site = diagnostics.items
        self.routes = self.renderer.routes()
        self._article_pages = {a.output_path for a in self.site.articles}
        self._forget(None)
        self._extras = None

    def _render_afresh(self) -> None:
        """A new renderer (it works out the theme, and who links where, when it starts); every page renders again
        when next asked for."""
        self.renderer = PageRenderer(self.site, self.config, self.theme)
        self.routes = self.renderer.routes()
        self._forget(None)

    def _resolve(self, article: Article, resolver: LinkResolver) -> None:
        article.related_links.clear()
        resolve_article(article, resolver, self.problems.link_report(article))

    def _forget(self, paths: set[str] | None) -> None:
        """Drop rendered pages (all of them for None) so the next request renders them from the new state."""
        if paths is None:
            self._pages.clear()
            self._render_errors.clear()
        else:
            for p in paths:
                self._pages.pop(p, None)
                self._render_errors.pop(p, None)

    # -- diagnostics ----------------------------------------------------------------------------------------------

    def diagnostics(self) -> list[Diagnostic]:
        """Every current diagnostic, sorted, as `kbgen build` would print them."""
        with self.lock:
            return sorted(set(self.problems.all()))


def _placement(article: Article) -> tuple:
    """What decides where an article goes and how listings show it; a change here re-places the site."""
    fm = article.result.front_matter
    return (article.result.title, article.result.title_html, fm.values, fm.extra)


def _broken_page(message: str) -> str:
    """What a page whose template fails shows until it renders again: the error itself, not a blank page."""
    return (f'<!doctype html>\n<title>Template error</title>\n<main id="main"><h1>Template error</h1>\n'
            f"<pre>{html.escape(message)}</pre></main>\n")
