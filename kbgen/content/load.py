"""The load stage: read every article and render the ones the cache does not already hold, on all CPU cores
(`kbgen.parallel.map_chunks`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kbgen.config.frontmatter import decode
from kbgen.config.project import Project
from kbgen.content.cache import Body, RenderCache, pack
from kbgen.content.discover import ContentFiles, content_file
from kbgen.content.model import Article, FileResult
from kbgen.content.reading import content_digest, load_file, unreadable
from kbgen.core.diagnostics import Diagnostics, KbgenError
from kbgen.core.limits import FileTooLarge, read_capped
from kbgen.core.messages import load_catalogue
from kbgen.markdown import RenderSettings
from kbgen.markdown.includes import collect as collect_includes
from kbgen.parallel import map_chunks

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def render_settings(project: Project, files: ContentFiles, diagnostics: Diagnostics | None = None) -> RenderSettings:
    """Everything besides an article's own text that its rendering depends on. A snippet over the size limit is
    reported to `diagnostics` and left empty (without `diagnostics`, it stops the command).

    Files other articles include (`--8<--`, `[!include]`, `{% include %}`) are read here too, and taken out of
    `files.articles`: a file that is included is a part of pages, not a page of its own."""
    config, display_root = project.config, project.display_root
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
                          languages=tuple(config.languages),
                          callout_titles=callout_titles(project.theme_dirs), max_article_bytes=cap)


def callout_titles(dirs: list[Path]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """`callout_<kind>` strings of every language the theme has messages for: a callout's title is UI text."""
    languages = sorted({p.stem for d in dirs for p in (d / "messages").glob("*.yml")})
    out = []
    for lang in languages:
        strings = load_catalogue(dirs, lang)
        out.append((lang, tuple(sorted((key.removeprefix("callout_"), str(value)) for key, value in strings.items()
                                       if key.startswith("callout_")))))
    return tuple(out)


def load_articles(project: Project, files: ContentFiles, settings: RenderSettings, cache: RenderCache,
                  report: Progress, write: bool = True) -> tuple[list[Article], int]:
    """Read every article; render only those whose bytes (or the settings) changed, on all CPU cores. Without
    `write` (`kbgen check`) nothing is written into the project's `.kbgen/`, not even the helpers' work."""
    articles: list[Article] = []
    misses: list[tuple[int, int, str, str]] = []  # (index, bytes, path, display path): not the bytes themselves,
    for rel in files.articles:  # which a big site has hundreds of megabytes of; whoever renders one reads it again
        article, raw = read_article(project.content_dir, rel, project.display(rel), settings, cache)
        if raw is not None:
            misses.append((len(articles), len(raw), rel, article.display))
        articles.append(article)

    def render(miss: tuple[int, int, str, str]) -> tuple[int, str, FileResult, Body | None]:
        index, _size, rel, display = miss
        try:
            raw = read_capped(project.content_dir / rel, settings.max_article_bytes, display)
        except FileTooLarge as exc:  # it grew since it was first read
            return index, "", unreadable(display, "file-too-large", str(exc)), None
        return index, content_digest(raw), *pack(load_file(raw, rel, display, settings))

    rendered = map_chunks(misses, render, lambda miss: miss[1], project.cache_dir if write else None)
    for done, (index, digest, result, body) in enumerate(rendered, 1):
        article = articles[index]
        article.digest = digest  # of the bytes rendered, should the file have changed since it was first read
        article.result = cache.put(digest + article.rel, result, body) if digest else result
        if done % 200 == 0:
            report("render", done, len(misses))
    cache.commit()  # the bodies are read back from the cache, by this process and by the helpers it forks
    return articles, len(misses)


def read_article(content_dir: Path, rel: str, display: str, settings: RenderSettings,
                 cache: RenderCache) -> tuple[Article, bytes | None]:
    """One article file as the cache knows it, and its bytes when they still need rendering (its `result` is
    None then). A file over the size limit is an article that says so. OSError is the caller's."""
    path = content_dir / rel
    mtime = path.stat().st_mtime
    try:
        raw = read_capped(path, settings.max_article_bytes, display)
    except FileTooLarge as exc:
        return Article(rel, display, mtime, "", unreadable(display, "file-too-large", str(exc))), None
    digest = content_digest(raw)
    hit = cache.get(digest + rel)
    return Article(rel, display, mtime, digest, hit), (None if hit is not None else raw)  # type: ignore[arg-type]


def load_one(project: Project, rel: str, settings: RenderSettings, cache: RenderCache) -> Article | None:
    """One article file, rendered unless the cache already holds these bytes (the live preview's saves); None
    when it cannot be read (gone, or not a file: listing the folder again reports it)."""
    if not content_file(project.content_dir, rel):
        return None
    try:
        article, raw = read_article(project.content_dir, rel, project.display(rel), settings, cache)
    except OSError:
        return None
    if raw is not None:
        article.result = cache.put(article.digest + rel, load_file(raw, rel, article.display, settings))
        cache.commit()
    return article
