"""Every path a build writes, claimed before anything is written: nothing the site holds replaces another file.

kbgen's own files come first (pages, theme assets, feeds, the search index's folder, the preview's endpoints),
then the site's: the analytics beacon of kbgen.yml, files next to articles, the redirects of `aliases:`. A claim
on a path already taken (case-blind, as on macOS and Windows hosts), or on a file where another needs a folder,
is a `duplicate-url` error at the file and line that asked for it (issue 17: `aliases: ['/index.html']` used to
replace the home page without a word).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.core.diagnostics import Diagnostics
from kbgen.render.analytics import endpoint_path
from kbgen.site.place import alias_line, alias_url, redirect_path, static_url

if TYPE_CHECKING:
    from kbgen.config.settings import Config
    from kbgen.content.model import Article, Site
    from kbgen.render.pages import PageRenderer
    from kbgen.render.theme import Theme

#: The live preview's own addresses (`kbgen serve`): its reload channel and script.
PREVIEW_PATHS = ("_kb/live", "_kb/live.js")


class _Claims:
    """Paths taken so far, each with who took it; a path ending in `/` takes the whole folder."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.folders: dict[str, str] = {}  # every folder some file lies in → one of those files' owners
        self.whole: dict[str, str] = {}  # folders taken whole

    def holder(self, path: str) -> str | None:
        """Who already has `path`, a folder above it (as a file, or whole), or a file below it."""
        key = path.casefold()
        if key in self.files:
            return self.files[key]
        if key + "/" in self.folders or key + "/" in self.whole:  # a file where others need a folder
            return self.folders.get(key + "/") or self.whole[key + "/"]
        at = key.find("/")
        while at >= 0:
            folder = key[:at + 1]
            if folder in self.whole:
                return self.whole[folder]
            if folder[:-1] in self.files:
                return self.files[folder[:-1]]
            at = key.find("/", at + 1)
        return None

    def take(self, path: str, owner: str) -> None:
        key = path.casefold()
        if key.endswith("/"):
            self.whole.setdefault(key, owner)
        else:
            self.files.setdefault(key, owner)
        at = key.find("/")
        while 0 <= at < len(key) - 1:
            self.folders.setdefault(key[:at + 1], owner)
            at = key.find("/", at + 1)


def check_outputs(renderer: PageRenderer, theme: Theme, site: Site, config: Config, display_root: str,
                  diagnostics: Diagnostics) -> None:
    """Report every alias, static file or analytics endpoint that would land on a path another file has."""
    from kbgen.render.extras import kbgen_paths

    claims = _Claims()
    pages = {path: what for path, what, _render in renderer.listing_pages()}
    _check_listing_pages(site, pages, display_root, diagnostics)
    pages.update({a.output_path: f"the page of {a.display}" for a in site.articles})
    pages.update({f"{lang.url}index.html": f"the home page /{lang.url}" for lang in renderer.languages.all})
    pages["index.html"] = "the home page /"
    for path in renderer.page_routes():
        claims.take(path, pages.get(path) or f"kbgen's page /{_url(path)}")
    for path, what in kbgen_paths(renderer, theme, site, config):
        claims.take(path, f"{what} /{path}")
    for path in PREVIEW_PATHS:
        claims.take(path, f"the live preview's /{path}")

    beacon = endpoint_path(config)
    if beacon:
        holder = claims.holder(beacon)
        if holder and config.path:
            diagnostics.add(*_config_place(config), "duplicate-url",
                            f"analytics endpoint '{beacon}' would replace {holder}; choose a path nothing else "
                            f"uses, like _kb/e.gif")
        claims.take(beacon, "the analytics endpoint (analytics.endpoint in kbgen.yml)")

    for rel in site.static:
        shown = f"{display_root}/{rel}"
        url = static_url(rel)
        holder = claims.holder(url)
        if holder:
            diagnostics.add(shown, 0, "duplicate-url",
                            f"this file would be published at /{url}, replacing {holder}; rename or move it")
        else:
            claims.take(url, shown)

    redirected: dict[str, Article] = {}  # redirect path → the article it leads to
    for article in site.articles:
        for i, alias in enumerate(article.meta.get("aliases") or ()):
            url = alias_url(alias)
            if url is None:
                continue  # not a path inside the site: reported while placing pages
            path = redirect_path(url)
            if redirected.get(path.casefold()) is article:
                continue  # one article's old address listed twice (`/old/` and `/old/index.html`): one redirect
            holder = claims.holder(path)
            if holder is None:
                claims.take(path, f"the redirect of alias '{alias}' in {article.display}")
                redirected[path.casefold()] = article
            else:
                diagnostics.add(article.display, alias_line(article, i), "duplicate-url",
                                f"alias '{alias}' would replace {holder}; choose another alias or remove it")


def _check_listing_pages(site: Site, listing_pages: dict[str, str], display_root: str,
                         diagnostics: Diagnostics) -> None:
    """An article or a folder's page where a long listing continues (`billing/page/2.md` beside 150 billing
    articles) is a duplicate URL: which of the two a reader got would depend on the order kbgen wrote them."""
    taken = {path.casefold(): what for path, what in listing_pages.items()}
    why = "(a listing longer than listing_page_size continues on page/2/, page/3/…)"
    for a in site.articles:
        what = taken.get(a.output_path.casefold())
        if what:
            diagnostics.add(a.display, a.line_of("slug") if a.meta.get("slug") else 1, "duplicate-url",
                            f"this page's URL '/{a.url}' is {what} {why}; rename the file or give it a different "
                            "`slug:`")
    for cat in site.categories.values():
        what = taken.get(f"{cat.url}index.html".casefold()) if cat.parent is not None and cat.index is None else None
        if what:
            diagnostics.add(f"{display_root}/{cat.rel}/", 0, "duplicate-url",
                            f"this folder's page '/{cat.url}' is {what} {why}; rename the folder")


def _url(path: str) -> str:
    """`billing/index.html` → `billing/`, as a reader sees the address."""
    return path[:-len("index.html")] if path == "index.html" or path.endswith("/index.html") else path


def _config_place(config: Config) -> tuple[str, int]:
    """kbgen.yml as the build shows it, and the line of `analytics: endpoint:`. Read again only for this error."""
    from kbgen.config.project import display_path
    from kbgen.core.yamlsource import YamlSyntaxError, parse_yaml

    assert config.path is not None
    try:
        line = parse_yaml(config.path.read_text(encoding="utf-8-sig")).line("analytics", "endpoint")
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        line = 1
    return display_path(config.path), line
