"""The build: one short, ordered pipeline of named stages, each timed.

config → discover → (up to date?) → load & render → place → resolve links → pages → write & swap → remember
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kbgen.article import Article, FileResult, content_digest, load_file
from kbgen.cache import RenderCache, clear_stamp, read_stamp, settings_key, tree_fingerprint, write_stamp
from kbgen.config import Config, load_config
from kbgen.diagnostics import BuildFailed, Diagnostic, Diagnostics
from kbgen.frontmatter import decode
from kbgen.links import LinkResolver, resolve_article
from kbgen.markdown import RenderSettings
from kbgen.pages import PageRenderer, static_assets
from kbgen.site import ContentFiles, Site, build_site, discover, static_url
from kbgen.theme import Theme
from kbgen.writer import StagedOutput, check_output_dir, manifest

#: Below this many files to render, worker processes cost more than they save.
PARALLEL_THRESHOLD = 64


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
    report = progress or (lambda stage, done, total: None)

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        result.timings[name] = time.perf_counter() - start

    with stage("config"):
        config = load_config(options.config, options.content, options.out, diagnostics)
        diagnostics.overrides.update(config.severity_overrides())
        result.config = config
        include_drafts = options.drafts or config.drafts
        theme = Theme(config.root / "themes" / config.theme if config.theme else None,
                      config.highlight_style, config.highlight_dark_style)
        if options.write:
            check_output_dir(config.output_dir, [config.content_dir, config.root] + (
                [config.path] if config.path else []))
    display_root = _display(config.content_dir)

    with stage("discover"):
        files = discover(config.content_dir, config.exclude)
        build_key = settings_key(config.path.read_bytes() if config.path else b"", include_drafts, options.strict,
                                 str(config.content_dir), str(config.output_dir), config.values,
                                 tree_fingerprint(config.content_dir), theme.fingerprint())
    if options.write and _up_to_date(config, build_key, diagnostics):
        result.up_to_date = True
        return result

    with stage("load"):
        render_settings = _render_settings(config, files, display_root)
        cache = RenderCache(config.cache_dir, settings_key(render_settings, display_root))
        articles, result.rendered = _load_articles(config, files, display_root, render_settings, cache, report)
        for a in articles:
            diagnostics.extend([Diagnostic(*p) for p in a.result.problems])

    with stage("place"):
        site = build_site(articles, files, config.content_dir, display_root, include_drafts, diagnostics)
        result.site = site

    with stage("links"):
        resolver = LinkResolver(site, config.content_dir)
        for a in site.articles:
            resolve_article(a, resolver, diagnostics)

    cache.save()
    if diagnostics.errors:
        raise BuildFailed(len(diagnostics.errors))

    with stage("pages"):
        renderer = PageRenderer(site, config, theme)
        staged = StagedOutput(config.output_dir) if options.write else None
        try:
            for path, text in renderer.pages():
                result.pages += 1
                if staged:
                    staged.write_text(path, text)
                if result.pages % 500 == 0:
                    report("pages", result.pages, len(site.articles))
            if staged:
                _write_extras(staged, renderer, theme, site, config)
        except BaseException:
            if staged:
                staged.discard()
            raise

    if staged:
        with stage("write"):
            staged.commit()
            write_stamp(config.cache_dir, {
                "key": build_key, "out": str(config.output_dir), "pages": result.pages,
                "manifest": manifest(config.output_dir),
                "diagnostics": [[d.path, d.line, d.code, d.message] for d in diagnostics.items],
            })
    return result


def _display(content_dir: Path) -> str:
    """How paths are shown: relative to where the writer runs kbgen, as they would type them."""
    try:
        rel = os.path.relpath(content_dir)
    except ValueError:
        return str(content_dir)
    return str(content_dir) if rel.startswith(f"..{os.sep}..") else rel


def _up_to_date(config: Config, build_key: str, diagnostics: Diagnostics) -> bool:
    """Nothing in the content, config or theme changed and the output is as the last build left it."""
    stamp = read_stamp(config.cache_dir)
    if not stamp or stamp.get("key") != build_key or stamp.get("out") != str(config.output_dir):
        return False
    if not config.output_dir.is_dir() or manifest(config.output_dir) != stamp.get("manifest"):
        clear_stamp(config.cache_dir)
        return False
    diagnostics.extend([Diagnostic(*d) for d in stamp.get("diagnostics", [])])
    return True


def _render_settings(config: Config, files: ContentFiles, display_root: str) -> RenderSettings:
    snippets = []
    for name, rel in sorted(files.snippets.items()):
        raw = (config.content_dir / rel).read_bytes()
        try:
            text = decode(raw)
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
        snippets.append((name, f"{display_root}/{rel}", text))
    return RenderSettings(anchors=config.anchors, variables=tuple(sorted(config.variables.items())),
                          snippets=tuple(snippets))


def _load_articles(config: Config, files: ContentFiles, display_root: str, settings: RenderSettings,
                   cache: RenderCache, report: Progress) -> tuple[list[Article], int]:
    """Read every article; render only those whose bytes (or the settings) changed, on all CPU cores."""
    articles: list[Article | None] = []
    misses: list[tuple[int, bytes, str, str, str]] = []
    for i, rel in enumerate(files.articles):
        path = config.content_dir / rel
        raw = path.read_bytes()
        digest = content_digest(raw)
        display = f"{display_root}/{rel}"
        hit = cache.get(digest + rel)
        mtime = path.stat().st_mtime
        if hit is not None:
            articles.append(Article(rel, display, mtime, digest, hit))
        else:
            articles.append(Article(rel, display, mtime, digest, None))  # type: ignore[arg-type]
            misses.append((i, raw, rel, display, digest))
    for done, (index, res) in enumerate(_render_all(misses, settings), 1):
        articles[index].result = res
        cache.put(articles[index].digest + articles[index].rel, res)
        if done % 200 == 0:
            report("render", done, len(misses))
    return articles, len(misses)  # type: ignore[return-value]


def _render_all(misses, settings: RenderSettings) -> Iterator[tuple[int, FileResult]]:
    workers = os.cpu_count() or 1
    if len(misses) < PARALLEL_THRESHOLD or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for index, raw, rel, display, _ in misses:
            yield index, load_file(raw, rel, display, settings)
        return
    chunks = [misses[i::workers * 4] for i in range(workers * 4)]
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(settings,)) as pool:
        payloads = [[(i, raw, rel, display) for i, raw, rel, display, _ in chunk] for chunk in chunks]
        for results in pool.map(_render_chunk, payloads):
            yield from results


_worker_settings: RenderSettings | None = None


def _init_worker(settings: RenderSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def _render_chunk(chunk: list[tuple[int, bytes, str, str]]) -> list[tuple[int, FileResult]]:
    assert _worker_settings is not None
    return [(i, load_file(raw, rel, display, _worker_settings)) for i, raw, rel, display in chunk]


def _write_extras(staged: StagedOutput, renderer: PageRenderer, theme: Theme, site: Site, config: Config) -> None:
    """Everything besides pages: theme assets, code colours, files next to articles, sitemap, robots."""
    for rel, source in static_assets(theme).items():
        staged.copy(source, rel)
    staged.write_text("assets/pygments.css", theme.pygments_css())
    for rel in site.static:
        staged.copy(config.content_dir / rel, static_url(rel))
    sitemap = renderer.sitemap()
    if sitemap:
        staged.write_text("sitemap.xml", sitemap)
    staged.write_text("robots.txt", renderer.robots())

