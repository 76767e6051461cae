"""The load stage: read every article and render the ones the cache does not already hold, on all CPU cores."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from kbgen import DEFAULT_THEME
from kbgen.article import content_digest, load_file, unreadable
from kbgen.cache import RenderCache
from kbgen.config import Config
from kbgen.diagnostics import Diagnostics, KbgenError
from kbgen.discover import ContentFiles
from kbgen.frontmatter import decode
from kbgen.limits import FileTooLarge, read_capped
from kbgen.locks import LOAD_DROP, WorkFolder
from kbgen.markdown import RenderSettings
from kbgen.markdown.includes import collect as collect_includes
from kbgen.messages import load_catalogue
from kbgen.model import Article, FileResult
from kbgen.workqueue import WorkQueue, exit_with_parent

#: Below this many files to render, worker processes cost more than they save.
PARALLEL_THRESHOLD = 64

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def render_settings(config: Config, files: ContentFiles, display_root: str,
                    diagnostics: Diagnostics | None = None) -> RenderSettings:
    """Everything besides an article's own text that its rendering depends on. A snippet over the size limit is
    reported to `diagnostics` and left empty (without `diagnostics`, it stops the command).

    Files other articles include (`--8<--`, `[!include]`, `{% include %}`) are read here too, and taken out of
    `files.articles`: a file that is included is a part of pages, not a page of its own."""
    cap = config.limits["max_article_bytes"]
    included = collect_includes(config.content_dir, files.articles, cap, display_root)
    files.articles = [rel for rel in files.articles if rel not in included.texts]
    files.included = sorted(included.texts)
    for exc in included.too_large:
        if diagnostics is None:
            raise KbgenError(f"{exc.display}: {exc}")
        diagnostics.add(exc.display, 1, "file-too-large", str(exc))
    snippets = []
    for name, rel in sorted(files.snippets.items()):
        try:
            raw = read_capped(config.content_dir / rel, cap, f"{display_root}/{rel}")
        except FileTooLarge as exc:
            if diagnostics is None:
                raise KbgenError(f"{exc.display}: {exc}") from None
            diagnostics.add(exc.display, 1, "file-too-large", str(exc))
            raw = b""
        try:
            text = decode(raw)
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
        snippets.append((name, f"{display_root}/{rel}", text))
    snippets += included.snippets(display_root)
    return RenderSettings(anchors=config.anchors, variables=tuple(sorted(config.variables.items())),
                          snippets=tuple(snippets), root=display_root, language=config.language,
                          languages=tuple(config.values.get("languages") or ()),
                          callout_titles=callout_titles(theme_dirs(config)), max_article_bytes=cap)


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
                   cache: RenderCache, report: Progress, write: bool = True) -> tuple[list[Article], int]:
    """Read every article; render only those whose bytes (or the settings) changed, on all CPU cores. Without
    `write` (`kbgen check`) the helpers' work folder is a temporary one, not in the project's `.kbgen/`."""
    articles: list[Article | None] = []
    misses: list[tuple[int, bytes, str, str, str]] = []
    for i, rel in enumerate(files.articles):
        path = config.content_dir / rel
        display = f"{display_root}/{rel}"
        mtime = path.stat().st_mtime
        try:
            raw = read_capped(path, settings.max_article_bytes, display)
        except FileTooLarge as exc:
            articles.append(Article(rel, display, mtime, "", unreadable(display, "file-too-large", str(exc))))
            continue
        digest = content_digest(raw)
        hit = cache.get(digest + rel)
        if hit is not None:
            articles.append(Article(rel, display, mtime, digest, hit))
        else:
            articles.append(Article(rel, display, mtime, digest, None))  # type: ignore[arg-type]
            misses.append((i, raw, rel, display, digest))
    for done, (index, res) in enumerate(_render_all(misses, settings, config.cache_dir if write else None), 1):
        articles[index].result = res
        cache.put(articles[index].digest + articles[index].rel, res)
        if done % 200 == 0:
            report("render", done, len(misses))
    return articles, len(misses)  # type: ignore[return-value]


def _render_all(misses, settings: RenderSettings, cache_dir: Path | None) -> Iterator[tuple[int, FileResult]]:
    """This process renders chunks from the front of the list while forked helpers (one per other core) take
    them from the back. Only the helpers' results are pickled, about half of them on two cores.

    A helper drops each finished chunk into a file instead of a pipe: sending megabytes through a pipe needs this
    process's attention (its interpreter lock) for every 64 KiB, and this process is busy rendering, so the
    helper would wait. A chunk's file appears under its final name only when complete; chunks a helper took but
    never dropped (it died: killed, out of memory) are rendered here."""
    helpers = (os.cpu_count() or 1) - 1
    if len(misses) < PARALLEL_THRESHOLD or helpers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index, raw, rel, display, _ in misses:
            yield index, load_file(raw, rel, display, settings)
        return
    global _shared
    chunks = _balanced_chunks(misses, helpers + 1)
    queue = WorkQueue(len(chunks))
    delivered = [False] * len(chunks)
    with _drop_folder(cache_dir) as drop:
        _shared = (chunks, settings, queue, drop)  # seen by the helpers as it is at the fork: nothing is sent
        pool = ProcessPoolExecutor(max_workers=helpers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=exit_with_parent)
        try:
            jobs = [pool.submit(_render_from_back) for _ in range(helpers)]
            while (c := queue.take_front()) is not None:
                delivered[c] = True
                for index, raw, rel, display, _ in chunks[c]:
                    yield index, load_file(raw, rel, display, settings)
                yield from _collect(drop, delivered)  # between own chunks: what the helpers have finished
            for job in jobs:
                try:
                    job.result()
                except BrokenProcessPool:
                    pass
            yield from _collect(drop, delivered)
            for c, chunk in enumerate(chunks):  # taken by a helper that died
                if not delivered[c]:
                    for index, raw, rel, display, _ in chunk:
                        yield index, load_file(raw, rel, display, settings)
        finally:
            queue.close()
            pool.shutdown(wait=True, cancel_futures=True)
            _shared = None


@contextmanager
def _drop_folder(cache_dir: Path | None) -> Iterator[str]:
    """Where the helpers drop finished chunks: a marked, locked work folder in the cache folder, so a build killed
    midway leaves nothing outside the project and the next build removes what it left (`kbgen.locks`); a
    temporary folder when the project must not be written (`kbgen check`, no `cache_dir`) or cannot be (a report
    run in a read-only checkout)."""
    try:
        if cache_dir is None:
            raise PermissionError("kbgen check writes nothing into the project")
        cache_dir.mkdir(parents=True, exist_ok=True)
        work = WorkFolder(cache_dir / LOAD_DROP)
    except OSError:
        with tempfile.TemporaryDirectory(prefix="kbgen-load-") as drop:
            yield drop
        return
    try:
        yield str(work.path)
    finally:
        work.remove()


def _collect(drop: str, delivered: list[bool]) -> Iterator[tuple[int, FileResult]]:
    """The results of every chunk a helper has finished and this process has not read yet."""
    for name in sorted(os.listdir(drop)):
        if not name.endswith(".pickle"):
            continue  # still being written
        path = os.path.join(drop, name)
        with open(path, "rb") as f:
            results = pickle.load(f)
        os.unlink(path)
        delivered[int(name.removesuffix(".pickle"))] = True
        yield from results


def _balanced_chunks(misses: list, workers: int) -> list[list]:
    """Largest files first, in many small chunks of about equal bytes: whoever is free takes the next chunk, so
    the processes finish together instead of one idling while another renders a last chunk of big articles."""
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


#: (chunks, settings, queue, drop folder) while a load runs: a forked helper inherits it, so no file is sent to it.
_shared: tuple[list[list], RenderSettings, WorkQueue, str] | None = None


def _render_from_back() -> None:
    """In a helper: render chunks from the back until the two ends meet, dropping each into its own file."""
    assert _shared is not None
    chunks, settings, queue, drop = _shared
    while (c := queue.take_back()) is not None:
        results = [(index, load_file(raw, rel, display, settings)) for index, raw, rel, display, _ in chunks[c]]
        partial = os.path.join(drop, f"{c}.partial")
        with open(partial, "wb") as f:
            pickle.dump(results, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, os.path.join(drop, f"{c}.pickle"))
