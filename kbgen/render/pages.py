"""Every output file of the site as (path, text): article, category, home, tag, 404 and redirect pages, plus
sitemap.xml and robots.txt. Nothing here touches the disk; `writer.py` does.
"""

from __future__ import annotations

import functools
import heapq
import html as html_lib
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from kbgen.config.settings import Config
from kbgen.content.model import Article, Category, Language, Site
from kbgen.core.messages import Catalogues
from kbgen.core.slugs import url_slug
from kbgen.render.analytics import analytics_settings
from kbgen.render.faq import faq_html, with_copy_links
from kbgen.render.pagination import Listing
from kbgen.render.siteinfo import site_info
from kbgen.render.structured import article_data, atom_feed, breadcrumb_data, faq_data
from kbgen.render.theme import Theme
from kbgen.render.views import ArticleView, CategoryView, ListingView
from kbgen.site.languages import site_languages
from kbgen.site.links import relative_url
from kbgen.site.place import alias_url, redirect_path


def root_prefix(url: str) -> str:
    """`a/b/` → `../../`: prefix that turns a site-root-relative URL into one relative to this page."""
    return "../" * url.count("/")


class PageRenderer:
    def __init__(self, site: Site, config: Config, theme: Theme) -> None:
        self.site = site
        self.config = config
        self.theme = theme
        self.languages = site_languages(site, config)
        self.catalogues = Catalogues(theme.dirs, [lang.code for lang in self.languages.all])
        self.gettext = self.catalogues.gettext
        # Imported macros see globals, not the page's context; these speak the language of the page being rendered.
        theme.env.globals.update({"_": self.catalogues.gettext, "in_language": self.catalogues.in_language})
        theme.env.globals["search_enabled"] = config.search
        theme.env.globals["search_config"] = self.search_config
        theme.env.globals["analytics"] = analytics_settings(config)
        theme.env.filters["date"] = self.catalogues.date
        self.info = site_info(config, self.languages.default.code)
        self.tag_urls = {lang.code: {tag: f"{lang.url}tags/{url_slug(tag)}/" for tag in site.tag_spellings}
                         for lang in self.languages.all}
        self.tagged_languages = {a.lang for articles in site.tags.values() for a in articles}  # have tags/ pages
        # Position of each article among its siblings, for previous/next without a scan per page.
        self.position = {id(a): i for cat in site.categories.values() for i, a in enumerate(cat.articles)}
        # Each article's place in title order (case-blind), so related articles tied on score need no sort per page.
        self.title_rank = {id(a): i for i, a in enumerate(sorted(site.articles, key=lambda a: a.title.casefold()))}
        self.by_id: dict[int, Article] = {id(a): a for a in site.articles}
        self._tag_cache: dict[tuple[str, str], list[int]] = {}
        self.page_size: int = config.listing_page_size
        self._listings: dict[str, Listing] = {}  # by page 1's URL: its jump list is worked out once, not per page
        self._search_configs: dict[tuple[str, str, str], Markup] = {}
        self.linked_from: dict[int, list[Article]] = defaultdict(list)
        for a in site.articles:
            for target in dict.fromkeys(a.related_links):
                self.linked_from[id(target)].append(a)

    #: The search UI's texts, by the message keys they come from.
    SEARCH_TEXTS = {
        "results": "search_results", "no_results": "search_no_results", "did_you_mean": "search_did_you_mean",
        "popular": "search_popular", "contact": "contact_support", "loading": "search_loading",
        "more": "search_more", "count_one": "search_count_one", "count_few": "search_count_few",
        "count_many": "search_count_many", "count_other": "search_count_other", "error": "search_error",
    }

    def search_config(self, search_root: str, root: str, lang: str) -> Markup:
        """The search UI's settings as JSON for the page's `kb-search-config` script. Every page of one language
        and folder depth has the same, so it is made once per pair, not once per page."""
        key = (search_root, root, lang)
        made = self._search_configs.get(key)
        if made is None:
            data = {"index": f"{search_root}search/", "page": f"{search_root}search/", "root": root, "lang": lang,
                    "support": self.info.support_url or "",
                    "text": {name: self.catalogues.in_language(lang, message)
                             for name, message in self.SEARCH_TEXTS.items()}}
            policies = self.theme.env.policies
            made = self._search_configs[key] = htmlsafe_json_dumps(
                data, dumps=policies["json.dumps_function"], **policies["json.dumps_kwargs"])
        return made

    def _render(self, template: str, url: str, key: str | None = None, **context) -> str:
        lang = self.languages.of_url(url)
        base = self.info.base_url
        root = root_prefix(url)
        alternates = self.languages.alternates(url, key) if self.languages.several else []
        with self.catalogues.speaking(lang.code):
            return self.theme.render(
                template, site=self.info, root=root, lang=lang.code, lang_root=root + lang.url, url=url,
                canonical=f"{base}{url}" if base else None, alternates=alternates, tag_urls=self.tag_urls[lang.code],
                feed_url=f"{root}{lang.url}feed.xml",
                tags_index=f"{root}{lang.url}tags/" if lang.code in self.tagged_languages else None,
                description=context.pop("description", self.info.description),
                noindex=context.pop("noindex", False), structured=context.pop("structured", []),
                listing=context.pop("listing", None), **context)

    def routes(self) -> dict[str, Callable[[], str]]:
        """Every page's output path and how to render it, in a stable order: a build renders them all, `kbgen serve`
        renders one when a browser asks, so both publish the same pages.
        A redirect never takes the path of a page (`kbgen.render.outputs` reports the alias as a duplicate URL)."""
        routes = self.page_routes()
        for path, render in self.redirects():
            routes.setdefault(path, render)
        return routes

    def page_routes(self) -> dict[str, Callable[[], str]]:
        """`routes` without the redirects of aliases: the pages kbgen writes whatever the aliases say."""
        routes: dict[str, Callable[[], str]] = {}
        if self.languages.several:
            routes["index.html"] = self.language_choice
        for lang in self.languages.all:
            routes[f"{lang.url}index.html"] = functools.partial(self.home, lang)
        homes = {id(c.index) for c in [self.site.root] + [lang.home for lang in self.languages.all] if c.index}
        for cat in self.site.categories.values():
            if cat.parent is not None and cat.index is None and cat.language is None:
                routes[f"{cat.url}index.html"] = functools.partial(self.category, cat)
        for article in self.site.articles:
            if id(article) in homes:
                continue  # a language's (or the site's) index.md is its home page's introduction
            routes[article.output_path] = functools.partial(self.article, article)
        routes.update(self.tag_pages())
        for path, _what, render in self.listing_pages():
            routes.setdefault(path, render)  # an article there is a duplicate URL (`kbgen.render.outputs`)
        routes["404.html"] = functools.partial(self.not_found, "")
        for lang in self.languages.all:
            if lang.url:
                routes[f"{lang.url}404.html"] = functools.partial(self.not_found, lang.url)
            if self.config.search:
                routes[f"{lang.url}search/index.html"] = functools.partial(self.search_page, lang.url)
        return routes

    def language_choice(self) -> str:
        """The root of a site in several languages: a link to each, and the site's `index.md` as introduction."""
        intro = self.site.root.index
        return self._render("languages.html", "", intro=ArticleView(intro) if intro else None,
                            languages=[{"code": lang.code, "url": lang.url} for lang in self.languages.all])

    def category(self, cat: Category, number: int = 1) -> str:
        """A category's own page (one without an `index.md`), or page `number` of any category's long listing."""
        view = CategoryView(cat)
        listing = self._listing_page(cat.url, cat.articles, number)
        url, crumbs, title = self._listing(cat.url, cat.articles).page_url(number), view.breadcrumbs, cat.title
        if number > 1:  # Home › … › Billing › Page 2
            crumbs = crumbs + [view]
            title = self.catalogues.in_language(self.languages.of_url(url).code, "page_n").format(page=number)
        return self._render("category.html", url, key=self._folder_key(cat), category=view, listing=listing,
                            description=cat.description or self.info.description,
                            structured=self._breadcrumbs(url, crumbs, title))

    def _listing_page(self, url: str, articles: list[Article], number: int) -> ListingView | None:
        """Page `number` of the listing at `url`, or None when all its articles fit on one page."""
        listing = self._listing(url, articles)
        return ListingView(listing, number) if listing.paginated else None

    def _listing(self, url: str, articles: list[Article]) -> Listing:
        listing = self._listings.get(url)
        if listing is None:
            listing = self._listings[url] = Listing(url, articles, self.page_size)
        return listing

    def listing_pages(self) -> Iterator[tuple[str, str, Callable[[], str]]]:
        """Pages 2, 3… of every listing longer than `listing_page_size` (page 1 is the category's or tag's own
        page): the file, what it is (for a duplicate-URL error) and how to render it."""
        size = self.page_size
        for cat in self.site.categories.values():
            if cat.parent is None or cat.language is not None or len(cat.articles) <= size:
                continue  # a language's home lists its articles on the home page
            listing = self._listing(cat.url, cat.articles)
            for n in listing.later_pages():
                yield (f"{listing.page_url(n)}index.html", f"page {n} of the category /{cat.url}",
                       functools.partial(self.category, cat, n))
        for lang in self.languages.all:
            for tag, articles in self._tagged(lang).items():
                url = self.tag_urls[lang.code][tag]
                if len(articles) <= size:
                    continue
                listing = self._listing(url, articles)
                for n in listing.later_pages():
                    yield (f"{listing.page_url(n)}index.html", f"page {n} of the tag page /{url}",
                           functools.partial(self._tag_page, tag, url, articles, n))

    def not_found(self, lang_url: str) -> str:
        return self._render("404.html", lang_url, noindex=True)

    def search_page(self, lang_url: str) -> str:
        """The full results page: the UI fills it from `?q=`; without JavaScript it says so."""
        return self._render("search.html", f"{lang_url}search/", noindex=True)

    def _folder_key(self, cat: Category) -> str:
        return self.languages.translation_key_of_folder(cat.rel)

    def home(self, lang: Language) -> str:
        intro = lang.home.index
        listed = [a for a in lang.articles if a is not intro]
        recent = sorted(listed, key=lambda a: (a.updated, a.title), reverse=True)[:6]
        linked = sorted((a for a in listed if self.linked_from[id(a)]),
                        key=lambda a: (-len(self.linked_from[id(a)]), a.title.casefold()))[:6]
        return self._render("home.html", lang.url, key="", intro=ArticleView(intro) if intro else None,
                            categories=[CategoryView(c) for c in lang.home.children],
                            recent=[ArticleView(a) for a in recent], popular=[ArticleView(a) for a in linked],
                            articles=[ArticleView(a) for a in lang.home.articles])

    def article(self, article: Article) -> str:
        siblings = article.category.articles if article.category else []
        prev = nxt = None
        if not article.is_index and siblings:
            i = self.position[id(article)]
            prev = ArticleView(siblings[i - 1]) if i > 0 else None
            nxt = ArticleView(siblings[i + 1]) if i + 1 < len(siblings) else None
        own_category = article.category if article.is_index and article.category.language is None else None
        view = ArticleView(article)
        lang = self.languages.of_url(article.url).code
        label = self.catalogues.in_language(lang, "copy_link_to")
        faq = article.meta.get("type") == "faq"
        body = faq_html(article.html, label) if faq else with_copy_links(article.html, label)
        structured = [article_data(article, self.info.name, self.info.base_url, lang)]
        structured += self._breadcrumbs(article.url, view.breadcrumbs, article.title)
        if faq:
            structured += [d for d in [faq_data(article)] if d]
        listing = self._listing_page(own_category.url, own_category.articles, 1) if own_category else None
        return self._render("article.html", article.url, key=self.languages.translation_key(article), page=view,
                            listing=listing,
                            body=Markup(body), prev=prev, next=nxt, related=self.related(article),
                            edit_url=f"{self.info.edit_base}{article.rel}" if self.info.edit_base else None,
                            category=CategoryView(own_category) if own_category else None, structured=structured,
                            description=article.meta.get("description") or self.info.description)

    def _breadcrumbs(self, url: str, crumbs: list[CategoryView], title: str) -> list[dict]:
        lang = self.languages.of_url(url)
        with self.catalogues.speaking(lang.code):
            home = self.catalogues.gettext("home")
        trail = [(home, lang.url)] + [(c.title, c.url) for c in crumbs] + [(title, url)]
        data = breadcrumb_data(trail, self.info.base_url)
        return [data] if data else []

    def related(self, article: Article, limit: int = 5) -> list[ArticleView]:
        """Articles sharing tags (weighed double) or a link in either direction, in the same language.

        A broad tag can be shared by most of a big site, so the scores are counted in C (`Counter.update`), and of
        the articles tied at the lowest score that still makes the top `limit` only the first few by title are
        taken (`title_rank`), not all of them sorted."""
        score: Counter[int] = Counter()
        lang = article.lang
        by_id = self.by_id
        for tag in article.meta.get("tags") or ():
            ids = self._tag_members(tag, lang)
            score.update(ids)
            score.update(ids)
        for linked in (list(dict.fromkeys(article.related_links)), self.linked_from[id(article)]):
            same = [a for a in linked if a.lang == lang]
            score.update(id(a) for a in same)
            by_id.update((id(a), a) for a in same)
        score.pop(id(article), None)
        ranked = score.most_common()  # by score, highest first, sorted in C
        rank = self.title_rank.__getitem__  # a C-level key: called once per tied article
        if len(ranked) > limit:
            lowest = ranked[limit - 1][1]
            negated = [-n for n in map(itemgetter(1), ranked)]
            first_tied, after_tied = bisect_left(negated, -lowest), bisect_right(negated, -lowest)
            chosen = [i for i, _ in ranked[:first_tied]] + heapq.nsmallest(
                limit - first_tied, map(itemgetter(0), ranked[first_tied:after_tied]), key=rank)
        else:
            chosen = [i for i, _ in ranked]
        chosen.sort(key=lambda i: (-score[i], rank(i)))
        return [ArticleView(by_id[i]) for i in chosen[:limit]]

    def _tag_members(self, tag: str, lang: str) -> list[int]:
        """Ids of a tag's articles in one language, worked out once per tag and language."""
        key = (tag, lang)
        ids = self._tag_cache.get(key)
        if ids is None:
            tagged = self.site.tags.get(self.site.tag_spellings.get(tag, tag), ())
            ids = self._tag_cache[key] = [id(a) for a in tagged if a.lang == lang]
        return ids

    def _tagged(self, lang: Language) -> dict[str, list[Article]]:
        """Each tag used in `lang` → its articles in that language, in listing order."""
        tagged = {t: [a for a in arts if a.lang == lang.code] for t, arts in self.site.tags.items()}
        return {t: arts for t, arts in tagged.items() if arts}

    def tag_pages(self) -> Iterator[tuple[str, Callable[[], str]]]:
        for lang in self.languages.all:
            tagged = self._tagged(lang)
            if not tagged:
                continue
            urls = self.tag_urls[lang.code]
            tags = [{"name": t, "url": urls[t], "count": len(a)}
                    for t, a in sorted(tagged.items(), key=lambda kv: kv[0].casefold())]
            yield f"{lang.url}tags/index.html", functools.partial(self._render, "tags.html", f"{lang.url}tags/",
                                                                  tags=tags)
            for tag, articles in sorted(tagged.items()):
                yield f"{urls[tag]}index.html", functools.partial(self._tag_page, tag, urls[tag], articles)

    def _tag_page(self, tag: str, url: str, articles: list[Article], number: int = 1) -> str:
        listing = self._listing_page(url, articles, number)
        shown = listing.articles if listing else [ArticleView(a) for a in articles]
        return self._render("tag.html", self._listing(url, articles).page_url(number), tag=tag, articles=shown,
                            listing=listing)

    def feeds(self) -> Iterator[tuple[str, str]]:
        """An Atom feed of the 20 most recently updated articles, per language."""
        site_id = url_slug(self.info.base_url or self.info.name) or "kbgen"
        for lang in self.languages.all:
            recent = sorted(lang.articles, key=lambda a: (a.updated, a.title), reverse=True)[:20]
            title = self.info.name
            yield f"{lang.url}feed.xml", atom_feed(title, lang.code, f"{lang.url}feed.xml", lang.url, site_id,
                                                   recent, self.info.base_url)

    def redirects(self) -> Iterator[tuple[str, Callable[[], str]]]:
        for article in self.site.articles:
            for alias in article.meta.get("aliases") or ():
                url = alias_url(alias)
                if url is None:
                    continue  # reported as an error while placing pages
                page_dir = url if url.endswith("/") else url.rsplit("/", 1)[0] + "/" if "/" in url else ""
                target = relative_url(page_dir, article.url)
                yield redirect_path(url), functools.partial(self.theme.render, "redirect.html", target=target,
                                              title=article.title, lang=article.lang or self.info.language)

    def sitemap(self) -> str | None:
        """Only with `base_url`: the sitemap protocol requires absolute URLs."""
        base = self.info.base_url
        if not base:
            return None
        rows = [f"  <url><loc>{html_lib.escape(base)}</loc></url>"]
        for cat in self.site.categories.values():
            if cat.parent is not None and cat.index is None:
                rows.append(f"  <url><loc>{html_lib.escape(base + cat.url)}</loc></url>")
        for path, _what, _render in self.listing_pages():
            rows.append(f"  <url><loc>{html_lib.escape(base + path.removesuffix('index.html'))}</loc></url>")
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

