"""Read-only views of articles and categories for templates (Zola's `SerializingPage` idea).

Templates see what a theme author needs — title, URL, dates, content, headings — and nothing they could change
or come to depend on by accident (the build's internals stay free to change).
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from kbgen.content.model import Article, Category
from kbgen.render.pagination import Listing
from kbgen.render.reads import BODY, DATE, note_read
from kbgen.site.icons import icon_svg
from kbgen.site.links import relative_url
from kbgen.site.place import icon_url


class ArticleView:
    __slots__ = ("_a",)

    def __init__(self, article: Article) -> None:
        self._a = article

    title = property(lambda self: self._a.title)
    title_html = property(lambda self: Markup(self._a.result.title_html))
    url = property(lambda self: self._a.url)
    source = property(lambda self: self._a.rel)
    description = property(lambda self: self._a.meta.get("description") or "")
    tags = property(lambda self: tuple(self._a.meta.get("tags") or ()))
    keywords = property(lambda self: tuple(self._a.meta.get("keywords") or ()))
    type = property(lambda self: self._a.meta.get("type") or "article")
    owner = property(lambda self: self._a.meta.get("owner"))
    lang = property(lambda self: self._a.lang or self._a.meta.get("lang"))
    draft = property(lambda self: bool(self._a.meta.get("draft")))
    created = property(lambda self: self._a.meta.get("created"))

    @property
    def content(self) -> Markup:
        note_read(self._a, BODY)  # the page shows this article's body: it changes with it (`fingerprints`)
        return Markup(self._a.html)

    @property
    def short_title_html(self) -> Markup:
        """`short_title` (also read from `sidebar_label`, `linkTitle`) where lists have little room, else the title."""
        short = self._a.meta.get("short_title")
        return Markup.escape(short) if short else Markup(self._a.result.title_html)

    @property
    def updated(self) -> dt.date:
        note_read(self._a, DATE)
        return self._a.updated

    @property
    def extra(self) -> MappingProxyType:
        return MappingProxyType(self._a.extra)

    @property
    def toc(self) -> list[dict[str, Any]]:
        """`##` and `###` headings: what a table of contents shows."""
        note_read(self._a, BODY)
        rendered = self._a.result.rendered
        if rendered is None:
            return []
        return [{"level": h.level, "text": h.text, "id": h.id} for h in rendered.headings if h.level in (2, 3)]

    @property
    def category(self) -> CategoryView | None:
        cat = self._a.category
        return CategoryView(cat) if cat is not None and cat.parent is not None and cat.language is None else None

    @property
    def breadcrumbs(self) -> list[CategoryView]:
        cat = self._a.category
        if cat is None or cat.parent is None or cat.language is not None:
            return []
        chain = [CategoryView(c) for c in cat.ancestors()]
        if not self._a.is_index:
            chain.append(CategoryView(cat))
        return chain


class CategoryView:
    __slots__ = ("_c",)

    def __init__(self, category: Category) -> None:
        self._c = category

    title = property(lambda self: self._c.title)
    url = property(lambda self: self._c.url)
    description = property(lambda self: self._c.description)
    icon = property(lambda self: self._c.icon)
    icon_url = property(lambda self: icon_url(self._c))  # an image icon's URL from the site root, else None
    icon_svg = property(lambda self: icon_svg(self._c.icon))  # a built-in icon (`icon: billing`), else None
    count = property(lambda self: self._c.count())

    @property
    def index(self) -> ArticleView | None:
        return ArticleView(self._c.index) if self._c.index else None

    @property
    def articles(self) -> list[ArticleView]:
        return [ArticleView(a) for a in self._c.articles]

    @property
    def children(self) -> list[CategoryView]:
        return [CategoryView(c) for c in self._c.children]

    @property
    def breadcrumbs(self) -> list[CategoryView]:
        return [CategoryView(c) for c in self._c.ancestors()]


class ListingView:
    """One page of a long category or tag listing (`kbgen.render.pagination.Listing`): its articles, the pages
    before and after it, and the A–Z jump list, every link relative to this page (the site works from disk and under any
    sub-path)."""

    __slots__ = ("_listing", "_number")

    def __init__(self, listing: Listing, number: int) -> None:
        self._listing = listing
        self._number = number

    number = property(lambda self: self._number)
    pages = property(lambda self: self._listing.count)

    @property
    def articles(self) -> list[ArticleView]:
        return [ArticleView(a) for a in self._listing.on_page(self._number)]

    @property
    def prev_url(self) -> str | None:
        return self._href(self._number - 1) if self._number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self._href(self._number + 1) if self._number < self._listing.count else None

    @property
    def letters(self) -> list[dict[str, Any]]:
        """Each letter, the link to where its first article is, and whether that is on this page."""
        return [{"label": letter.label, "url": self._href(letter.page, letter.anchor),
                 "here": letter.page == self._number} for letter in self._listing.letters]

    @property
    def anchors(self) -> dict[str, str]:
        """URL of an article on this page → the id its list item carries, for the articles the letters lead to."""
        articles = self._listing.articles
        return {articles[letter.position].url: letter.anchor
                for letter in self._listing.letters if letter.page == self._number}

    def _href(self, page: int, anchor: str = "") -> str:
        fragment = f"#{anchor}" if anchor else ""
        if page == self._number:
            return fragment or "./"
        listing = self._listing
        return relative_url(listing.page_url(self._number), listing.page_url(page)) + fragment
