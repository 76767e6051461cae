"""The load stage: read every article and render the ones the cache does not already hold, on all CPU cores."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from kbgen import DEFAULT_THEME
from kbgen.article import Article, FileResult, content_digest, load_file
from kbgen.cache import RenderCache
from kbgen.config import Config
from kbgen.discover import ContentFiles
from kbgen.frontmatter import decode
from kbgen.markdown import RenderSettings
from kbgen.messages import load_catalogue

#: Below this many files to render, worker processes cost more than they save.
PARALLEL_THRESHOLD = 64

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def render_settings(config: Config, files: ContentFiles, display_root: str) -> RenderSettings:
    snippets = []
    for name, rel in sorted(files.snippets.items()):
        raw = (config.content_dir / rel).read_bytes()
        try:
            text = decode(raw)
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
        snippets.append((name, f"{display_root}/{rel}", text))
    return RenderSettings(anchors=config.anchors, variables=tuple(sorted(config.variables.items())),
                          snippets=tuple(snippets), language=config.language,
                          languages=tuple(config.values.get("languages") or ()),
                          callout_titles=callout_titles(theme_dirs(config)))


def theme_dirs(config: Config) -> list[Path]:
    """The default theme, then the site's own theme folder (whose files win), as the theme loads them."""
    return [DEFAULT_THEME] + ([config.root / "themes" / config.theme] if config.theme else [])


def callout_titles(dirs: list[Path]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """`callout_<kind>` strings of every language the theme has messages for: a callout's title is UI text."""
    languages = sorted({p.stem for d in dirs for p in (d / "messages").glob("*.yml")})
    out = []
    for lang in languages:
        strings = load_catalogue(dirs, lang)
        out.append((lang, tuple(sorted((key.removeprefix("callout_"), str(value)) for key, value in strings.items()
                                       if key.startswith("callout_")))))
    return tuple(out)


def load_articles(config: Config, files: ContentFiles, display_root: str, settings: RenderSettings,
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
    chunks = _balanced_chunks(misses, workers)
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(settings,)) as pool:
        payloads = [[(i, raw, rel, display) for i, raw, rel, display, _ in chunk] for chunk in chunks]
        for results in pool.map(_render_chunk, payloads):
            yield from results


def _balanced_chunks(misses: list, workers: int) -> list[list]:
    """Largest files first, in many small chunks of about equal bytes: a free worker takes the next chunk, so the
    workers finish together instead of one idling while the other renders a last chunk of big articles."""
    order = sorted(misses, key=lambda m: -len(m[1]))
    target = max(1, sum(len(m[1]) for m in misses) // (workers * 24))
    chunks: list[list] = [[]]
    size = 0
    for m in order:
        if size >= target:
            chunks.append([])
            size = 0
        chunks[-1].append(m)
        size += len(m[1])
    return chunks


_worker_settings: RenderSettings | None = None


def _init_worker(settings: RenderSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def _render_chunk(chunk: list[tuple[int, bytes, str, str]]) -> list[tuple[int, FileResult]]:
    assert _worker_settings is not None
    return [(i, load_file(raw, rel, display, _worker_settings)) for i, raw, rel, display in chunk]
