"""Every output file of the site as (path, text): article, category, home, tag, 404 and redirect pages, plus
sitemap.xml and robots.txt. Nothing here touches the disk; `writer.py` does.
"""

from __future__ import annotations

import functools
import html as html_lib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kbgen import DEFAULT_THEME
from kbgen.analytics import analytics_settings
from kbgen.article import Article
from kbgen.config import Config
from kbgen.links import relative_url
from kbgen.messages import load_catalogue, translator
from kbgen.site import Category, Site, alias_url
from kbgen.slugs import url_slug
from kbgen.theme import Theme
from kbgen.views import ArticleView, CategoryView


@dataclass(frozen=True)
class SiteInfo:
    """What every template may say about the site as a whole."""

    name: str
    description: str
    language: str
    base_url: str | None
    support_url: str | None
    support_email: str | None


def root_prefix(url: str) -> str:
    """`a/b/` → `../../`: prefix that turns a site-root-relative URL into one relative to this page."""
    return "../" * url.count("/")


class PageRenderer:
    def __init__(self, site: Site, config: Config, theme: Theme) -> None:
        self.site = site
        self.config = config
        self.theme = theme
        lang = config.language
        dirs = [DEFAULT_THEME] + ([theme.site_theme] if theme.site_theme else [])
        self.gettext = translator(load_catalogue(dirs, lang), lang)
        theme.env.globals["_"] = self.gettext  # imported macros see globals, not the page's context
        theme.env.globals["search_enabled"] = config.values.get("search", True)
        theme.env.globals["analytics"] = analytics_settings(config)
        self.info = SiteInfo(config.site_name, config.description, lang, config.base_url,
                             config.support_url, config.support_email)
        self.tag_urls = {tag: f"tags/{url_slug(tag)}/" for tag in site.tags}
        # Position of each article among its siblings, for previous/next without a scan per page.
        self.position = {id(a): i for cat in site.categories.values() for i, a in enumerate(cat.articles)}

    def _render(self, template: str, url: str, **context) -> str:
        canonical = f"{self.info.base_url}{url}" if self.info.base_url else None
        return self.theme.render(template, site=self.info, root=root_prefix(url), lang=self.info.language,
                                 canonical=canonical, tag_urls=self.tag_urls,
                                 description=context.pop("description", self.info.description),
                                 noindex=context.pop("noindex", False), **context)

    def routes(self) -> dict[str, Callable[[], str]]:
        """Every page's output path and how to render it, in a stable order: `pages()` renders them all for a
        build, `kbgen serve` renders one when a browser asks, so both publish exactly the same pages."""
        routes: dict[str, Callable[[], str]] = {"index.html": self.home}
        for cat in self.site.categories.values():
            if cat.parent is not None and cat.index is None:
                routes[f"{cat.url}index.html"] = functools.partial(self.category, cat)
        for article in self.site.articles:
            if article.rel == "index.md":
                continue  # the root index.md is the home page's introduction
            routes[article.output_path] = functools.partial(self.article, article)
        routes.update(self.tag_pages())
        routes["404.html"] = self.not_found
        if self.config.values.get("search", True):
            routes["search/index.html"] = self.search_page
        routes.update(self.redirects())
        return routes

    def pages(self) -> Iterator[tuple[str, str]]:
        """(output path, text) for every page, in a stable order."""
        for path, render in self.routes().items():
            yield path, render()

    def category(self, cat: Category) -> str:
        return self._render("category.html", cat.url, category=CategoryView(cat),
                            description=cat.description or self.info.description)

    def not_found(self) -> str:
        return self._render("404.html", "", noindex=True)

    def home(self) -> str:
        root = self.site.root
        intro = root.index
        recent = sorted(self.site.articles, key=lambda a: (a.updated, a.title), reverse=True)[:8]
        return self._render("home.html", "", intro=ArticleView(intro) if intro else None,
                            categories=[CategoryView(c) for c in root.children],
                            recent=[ArticleView(a) for a in recent] if len(self.site.articles) > 8 else [],
                            articles=[ArticleView(a) for a in root.articles])

    def article(self, article: Article) -> str:
        siblings = article.category.articles if article.category else []
        prev = nxt = None
        if not article.is_index and siblings:
            i = self.position[id(article)]
            prev = ArticleView(siblings[i - 1]) if i > 0 else None
            nxt = ArticleView(siblings[i + 1]) if i + 1 < len(siblings) else None
        own_category = article.category if article.is_index else None
        return self._render("article.html", article.url, page=ArticleView(article), prev=prev, next=nxt,
                            category=CategoryView(own_category) if own_category else None,
                            description=article.meta.get("description") or self.info.description)

    def search_page(self) -> str:
        """The full results page: the UI fills it from `?q=`; without JavaScript it says so."""
        return self._render("search.html", "search/", noindex=True)

    def tag_pages(self) -> Iterator[tuple[str, Callable[[], str]]]:
        if not self.site.tags:
            return
        tags = [{"name": t, "url": self.tag_urls[t], "count": len(a)} for t, a in sorted(
            self.site.tags.items(), key=lambda kv: kv[0].casefold())]
        yield "tags/index.html", functools.partial(self._render, "tags.html", "tags/", tags=tags)
        for tag, articles in sorted(self.site.tags.items()):
            url = self.tag_urls[tag]
            yield f"{url}index.html", functools.partial(self._tag_page, tag, url, articles)

    def _tag_page(self, tag: str, url: str, articles: list[Article]) -> str:
        return self._render("tag.html", url, tag=tag, articles=[ArticleView(a) for a in articles])

    def redirects(self) -> Iterator[tuple[str, Callable[[], str]]]:
        for article in self.site.articles:
            for alias in article.meta.get("aliases") or ():
                url = alias_url(alias)
                if url is None:
                    continue  # reported as an error while placing pages
                page_dir = url if url.endswith("/") else url.rsplit("/", 1)[0] + "/" if "/" in url else ""
                target = relative_url(page_dir, article.url)
                path = url if url.endswith((".html", ".htm")) else f"{url}index.html"
                yield path, functools.partial(self.theme.render, "redirect.html", target=target,
                                              title=article.title, lang=self.info.language)

    def sitemap(self) -> str | None:
        """Only with `base_url`: the sitemap protocol requires absolute URLs."""
        base = self.info.base_url
        if not base:
            return None
        rows = [f"  <url><loc>{html_lib.escape(base)}</loc></url>"]
        for cat in self.site.categories.values():
            if cat.parent is not None and cat.index is None:
                rows.append(f"  <url><loc>{html_lib.escape(base + cat.url)}</loc></url>")
        for a in self.site.articles:
            if a.rel != "index.md":
                rows.append(f"  <url><loc>{html_lib.escape(base + a.url)}</loc>"
                            f"<lastmod>{a.updated.isoformat()}</lastmod></url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")

    def robots(self) -> str:
        lines = ["User-agent: *", "Allow: /"]
        if self.info.base_url:
            lines.append(f"Sitemap: {self.info.base_url}sitemap.xml")
        return "\n".join(lines) + "\n"


def static_assets(theme: Theme) -> dict[str, Path]:
    return {f"assets/{name}": path for name, path in theme.asset_files().items()}

