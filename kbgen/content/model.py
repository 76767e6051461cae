"""The content model: the `Article`, its `Category`, its `Language` and the `Site` that holds them.

Data and the small questions asked of it, nothing more. The stages fill it in and import it; it imports none of
them, so it sits below them all:

loaded   — where it is, its front matter and body (`FileResult`, from `kbgen.content.reading.load_file`: cacheable,
           run in worker processes), rendered HTML with link placeholders, headings, sections
placed   — its URL, category and output path (`kbgen.site.place`), final HTML with resolved links (`kbgen.site.links`)
languages — the language of each page and its translations (`kbgen.site.languages`)
dated    — when it was last updated (`kbgen.content.dates` asks git)
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kbgen.core.slugs import url_slug

if TYPE_CHECKING:
    from kbgen.config.frontmatter import FrontMatter
    from kbgen.markdown import Rendered

#: Where an article's date came from (`Article.updated_from`).
FRONT_MATTER, GIT, FILE_TIME = "front matter", "git", "file time"

#: A link's placeholder is its whole `href` value; an image's is its `src` value and the closing quote, which the
#: image's attributes replace (`…png" width="…" height="…"`). Both start with NUL, which markdown-it never lets
#: through from the text, so the scan jumps from one NUL to the next (a fifth of the time of `src="…` first).
_PLACEHOLDER = re.compile(r'\x00(?:I(\d+)\x00"|L(\d+)\x00)')


@dataclass
class FileResult:
    """What one article file yields independently of every other file: safe to cache by content hash."""

    front_matter: FrontMatter
    rendered: Rendered | None
    title: str
    title_html: str
    ids: frozenset[str] | Anchors  # every id a link's `#fragment` may name
    problems: list[tuple[str, int, str, str]]


class Anchors:
    """An article's ids in one string: a big site's articles have millions of them, and a set of strings costs
    ten times what they spell. Asked only whether it has one (`kbgen.site.links`)."""

    __slots__ = ("_joined",)

    def __init__(self, ids: frozenset[str] | Anchors) -> None:
        self._joined = ids._joined if isinstance(ids, Anchors) else "".join(f"\x00{i}" for i in sorted(ids)) + "\x00"

    def __contains__(self, anchor: object) -> bool:
        return isinstance(anchor, str) and f"\x00{anchor}\x00" in self._joined

    def __iter__(self) -> Iterator[str]:
        return iter(self._joined.split("\x00")[1:-1])

    def __len__(self) -> int:
        return self._joined.count("\x00") - 1

    def __getstate__(self) -> str:
        return self._joined

    def __setstate__(self, joined: str) -> None:
        self._joined = joined


@dataclass(eq=False)
class Article:
    # loaded
    rel: str  # path inside the content folder, POSIX style: "billing/refunds.md"
    display: str  # the path shown in diagnostics: "content/billing/refunds.md"
    mtime: float
    digest: str
    result: FileResult
    # placed
    url: str = ""  # "billing/refunds/" (relative to the site root; "" is the home page)
    category: Category | None = None
    #: Each link's URL and each image's attributes, in the body's order, NUL-separated (`kbgen.site.links`): what
    #: `html` fills in. Two strings, not two lists of them: a big site has millions of links. None: it has neither.
    resolved: tuple[str, str] | None = None
    related_links: list[Article] = field(default_factory=list)  # articles this one links to
    lang: str = ""  # the language it is published in (`kbgen.site.languages`)
    dated: tuple[dt.date, str] | None = None  # (date, where from), set by `kbgen.content.dates.date_articles`

    @property
    def html(self) -> str:
        """The body HTML with links resolved, made when asked for: the rendered body stays in the render cache
        (`kbgen.content.cache`) rather than in memory, so a big site's pages are never all held at once."""
        rendered = self.result.rendered
        if rendered is None:
            return ""
        if self.resolved is None:
            return rendered.html
        links, images = (joined.split("\x00") for joined in self.resolved)

        def replace(m: re.Match) -> str:
            if m.group(1) is not None:
                return images[int(m.group(1))]
            return html_lib.escape(links[int(m.group(2))], quote=True)

        return _PLACEHOLDER.sub(replace, rendered.html)

    @property
    def meta(self) -> dict[str, Any]:
        return self.result.front_matter.values

    @property
    def extra(self) -> dict[str, Any]:
        return self.result.front_matter.extra

    @property
    def title(self) -> str:
        return self.result.title

    @property
    def is_index(self) -> bool:
        """`folder/index.md` is the folder's own page."""
        return self.rel == "index.md" or self.rel.endswith("/index.md")  # asked for every page: no Path made

    @property
    def output_path(self) -> str:
        return f"{self.url}index.html"

    @property
    def updated(self) -> dt.date:
        """When it was last updated, as the page, the sitemap and the feed show it (`kbgen.content.dates`)."""
        return self._dated()[0]

    @property
    def updated_from(self) -> str:
        """Where `updated` came from: "front matter", "git" or "file time"."""
        return self._dated()[1]

    def _dated(self) -> tuple[dt.date, str]:
        # Not dated with git (the preview re-reads articles as they are saved): the same rule without it.
        return self.dated or self.last_updated({})

    def last_updated(self, commits: Mapping[str, dt.date]) -> tuple[dt.date, str]:
        """The date and where it came from: `updated:` (the writer's word: a review without a change), else its
        last commit (`commits`: path in the content folder → date), else `created:`, else its file's time."""
        if self.meta.get("updated"):
            return self.meta["updated"], FRONT_MATTER
        if self.rel in commits:
            return commits[self.rel], GIT
        if self.meta.get("created"):
            return self.meta["created"], FRONT_MATTER
        return dt.datetime.fromtimestamp(self.mtime, dt.UTC).date(), FILE_TIME

    def line_of(self, key: str) -> int:
        return self.result.front_matter.line_of(key)

    def sort_key(self) -> tuple:
        order = self.meta.get("order")
        return (order is None, order or 0, self.title.casefold(), self.rel)


@dataclass(eq=False)
class Category:
    rel: str  # folder inside content, "" for the root
    title: str
    description: str = ""
    icon: str | None = None
    order: int | None = None
    review_every: int | None = None  # days; articles inherit it (the report's staleness check)
    url: str = ""
    parent: Category | None = None
    children: list[Category] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)  # not counting `index`
    index: Article | None = None
    language: str | None = None  # set on a language's top folder (`content/en/`): that language's home

    def count(self) -> int:
        """Articles in this category and all below it, as the home page's cards show."""
        return len(self.articles) + sum(c.count() + (1 if c.index else 0) for c in self.children)

    def ancestors(self) -> list[Category]:
        chain, node = [], self.parent
        while node is not None and node.parent is not None and node.language is None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def sort_key(self) -> tuple:
        return (self.order is None, self.order or 0, self.title.casefold(), self.rel)


@dataclass(eq=False)
class Language:
    code: str
    url: str  # "en/" on a site of several languages, "" on a site of one
    home: Category  # its children are the categories this language's home page shows
    articles: list[Article] = field(default_factory=list)


class Languages:
    """Every language of the site, and the translations of each page (`kbgen.site.languages.place_languages` fills
    in `pairs`)."""

    def __init__(self, languages: list[Language], several: bool) -> None:
        self.several = several
        self.all = languages
        self.by_code = {lang.code: lang for lang in languages}
        self.pairs: dict[tuple[str, str], str] = {}  # (language, translation key) → URL

    @property
    def default(self) -> Language:
        return self.all[0]

    def of_url(self, url: str) -> Language:
        """The language of the page at `url` (relative to the site root)."""
        if self.several:
            return self.by_code.get(url.split("/", 1)[0], self.default)
        return self.default

    def _strip(self, rel: str) -> str:
        """`en/billing/refunds.md` → `billing/refunds.md` on a site of several languages."""
        if self.several:
            head, _, rest = rel.partition("/")
            if head in self.by_code:
                return rest
        return rel

    def translation_key(self, article: Article) -> str:
        return article.meta.get("translation_key") or self._strip(article.rel)

    def translation_key_of_folder(self, rel: str) -> str:
        """Category pages pair by their folder's path inside the language folder."""
        return self._strip(rel) + "/"

    def alternates(self, url: str, key: str | None) -> list[dict[str, object]]:
        """Where the reader of the page at `url` lands in each language: the page with the same translation `key`
        (an article's, or a folder's path + "/") when there is one, else that language's home."""
        here = self.of_url(url)

        def target(lang: Language) -> str:
            if lang is here and url:
                return url
            return self.pairs.get((lang.code, key), lang.url) if key else lang.url

        # The site's root (the language choice page) belongs to no language: none is current there.
        return [{"code": lang.code, "current": lang is here and bool(url), "url": target(lang)} for lang in self.all]


class Site:
    """The collection: categories, published articles, lookups by source path and by URL."""

    def __init__(self, articles: list[Article], drafts: list[Article], root: Category,
                 static: list[str]) -> None:
        self.articles = articles
        self.drafts = drafts
        self.root = root
        self.static = static
        self.by_rel = {a.rel: a for a in articles}
        self.by_url = {a.url: a for a in articles}
        self.drafts_by_rel = {a.rel: a for a in drafts}
        self.categories: dict[str, Category] = {}
        self.languages: Languages | None = None  # filled by `kbgen.site.languages.site_languages`
        self._index_categories(root)
        # Tags spelled alike (`Billing`, `billing`, `billing!`) have one page, as they have one URL: the first
        # spelling names it, and `build_site` reports the others.
        self.tags: dict[str, list[Article]] = defaultdict(list)
        self.tag_spellings: dict[str, str] = {}  # every spelling written → the tag it is filed under
        by_slug: dict[str, str] = {}
        for a in articles:
            names = {self.tag_spellings.setdefault(tag, by_slug.setdefault(url_slug(tag), tag)): None
                     for tag in a.meta.get("tags") or ()}  # once per article, however it spells the tag
            for name in names:
                self.tags[name].append(a)
        for tagged in self.tags.values():
            tagged.sort(key=Article.sort_key)

    def _index_categories(self, cat: Category) -> None:
        self.categories[cat.rel] = cat
        for child in cat.children:
            self._index_categories(child)
