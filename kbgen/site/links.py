"""Turn the links writers write into URLs that work, and report the ones that lead nowhere.

Writers link the way GitHub shows files (`../billing/refunds.md#fees`) or the way the site shows pages
(`/billing/refunds/`). Both become relative URLs, so the same site works at a domain root, under a sub-path and
from disk. Anchors are checked against the ids the target page really has.
"""

from __future__ import annotations

import html as html_lib
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from kbgen.content.images import image_size
from kbgen.content.model import Article, Category, Site
from kbgen.core.diagnostics import Diagnostics, Severity
from kbgen.site.place import static_url, url_for_path
from kbgen.site.suggestions import SuggestionIndex


@dataclass
class Target:
    """What a link points at: an article, a category page, or a static file (its URL in the site)."""

    url: str
    article: Article | None = None
    category: Category | None = None
    static_rel: str | None = None
    external: bool = False  # `url` is absolute, on a wider site (`external_sites:`), and is used as it is


class LinkResolver:
    """Lookups over the whole site, built once and shared by every article's resolution."""

    def __init__(self, site: Site, content_dir: Path, external_sites: dict[str, str] | None = None) -> None:
        self.site = site
        self.content_dir = content_dir
        self.external_sites = external_sites or {}
        self.static = set(site.static)
        self.folders = {c.rel: c for c in site.categories.values() if c.rel}
        self._lower: dict[str, str] | None = None
        self._suggestions: SuggestionIndex | None = None

    def lookup(self, candidate: str, exact: bool = True) -> tuple[Target | None, Article | None]:
        """Find `candidate` (a content path or site URL, no fragment). Returns (target, draft it names)."""
        site = self.site
        c = candidate.strip("/")
        for key in (c, f"{c}.md", f"{c}/index.md") if c else ("index.md",):
            if key in site.by_rel:
                a = site.by_rel[key]
                return Target(a.url, article=a), None
            if key in site.drafts_by_rel:
                return None, site.drafts_by_rel[key]
        if c in self.folders:
            cat = self.folders[c]
            return Target(cat.url, category=cat, article=cat.index), None
        if c in self.static:
            return Target(static_url(c), static_rel=c), None
        by_url = site.by_url.get(f"{c}/" if c else "")
        if by_url is not None:
            return Target(by_url.url, article=by_url), None
        if c == "":
            return Target(""), None
        return None, None

    def lookup_case_insensitive(self, candidate: str) -> str | None:
        """The real spelling of a path that differs only in letter case, if there is one."""
        if self._lower is None:
            names = list(self.site.by_rel) + list(self.folders) + list(self.static)
            self._lower = {}
            for name in names:
                self._lower.setdefault(name.casefold(), name)
                if name.endswith(".md"):
                    self._lower.setdefault(name[:-3].casefold(), name)
                if name.endswith("/index.md"):
                    self._lower.setdefault(name[: -len("/index.md")].casefold(), name)
        return self._lower.get(candidate.strip("/").casefold())

    def suggestion(self, candidate: str) -> str:
        """` (did you mean 'billing/invoices.md'?)` for a path that leads nowhere, or nothing."""
        if self._suggestions is None:  # only a build with a broken link pays for the index
            self._suggestions = SuggestionIndex(self.site.by_rel)
        close = self._suggestions.closest(candidate)
        return f" (did you mean '{close}'?)" if close else ""

    def external_url(self, raw_path: str) -> str | None:
        """The absolute URL of a site-absolute path under a prefix of `external_sites` (the longest that fits):
        `/windows/win32/x` → `https://learn.microsoft.com/windows/win32/x`; `/windows` itself as well."""
        if not self.external_sites or not raw_path.startswith("/"):
            return None
        end = len(raw_path)
        while end > 0:  # `/a/b/c` tries `/a/b/c/`, `/a/b/`, `/a/`, `/`: as many look-ups as the path has parts
            prefix = raw_path[:end].rstrip("/") + "/"
            if prefix in self.external_sites:
                return self.external_sites[prefix] + raw_path[len(prefix):]
            end = raw_path.rfind("/", 0, end - 1) + 1
        return None


def resolve_article(article: Article, resolver: LinkResolver, diagnostics: Diagnostics) -> None:
    """Resolve the article's links and images (`article.resolved`: relative URLs, images' sizes), which its
    `html` fills in."""
    rendered = article.result.rendered
    if rendered is None:
        return
    base_dir = posixpath.dirname(article.rel)
    link_urls = [_resolve_link(article, ref.target, ref.path, ref.line, base_dir, resolver, diagnostics)
                 for ref in rendered.links]
    image_tags = [_resolve_image(article, ref.target, ref.path, ref.line, base_dir, resolver, diagnostics)
                  for ref in rendered.images]
    article.resolved = ("\x00".join(link_urls), "\x00".join(image_tags)) if (link_urls or image_tags) else None


def resolve_links(site: Site, content_dir: Path, report: Callable[[Article], Diagnostics],
                  external_sites: dict[str, str] | None = None) -> None:
    """The links stage: every published article's links and images, then the drafts' (checked, not published);
    each article's problems go to `report(article)`."""
    resolver = LinkResolver(site, content_dir, external_sites)
    for a in site.articles:
        a.related_links = []
        resolve_article(a, resolver, report(a))
    for draft in site.drafts:
        check_draft(draft, resolver, report(draft))


def check_draft(draft: Article, resolver: LinkResolver, diagnostics: Diagnostics) -> None:
    """Check the links of a draft that is left out of the site, so it does not go live with broken ones.

    Its problems are warnings at most: nothing published is broken by them.
    """
    draft.url = url_for_path(draft.rel, draft.meta.get("slug"))
    resolve_article(draft, resolver, _DraftDiagnostics(diagnostics))


class _DraftDiagnostics:
    """Passes a draft's problems on, capped at warning and saying where they come from."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics

    def add(self, path: str, line: int, code: str, message: str) -> None:
        self.diagnostics.add(path, line, code, f"{message} (in a draft, not published)", at_most=Severity.WARNING)


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` (a folder URL such as `a/b/`) to `to_url`, both relative to the root."""
    here = from_url.split("/")[:-1]
    there = to_url.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    url = "../" * (len(here) - common) + "/".join(there[common:])
    return url or "./"


def _split_target(target: str) -> tuple[str, str]:
    """`../billing/Q%26A%20%231.md?x=1#fees` → (`../billing/Q&A #1.md`, `fees`): split first, then decode, so
    an encoded `#` or `?` is part of the name."""
    raw_path, _, fragment = target.partition("#")
    return unquote(raw_path.split("?", 1)[0]), unquote(fragment)


def _resolve_link(article, target, path, line, base_dir, resolver, diagnostics) -> str:
    raw_path, fragment = _split_target(target)
    if not raw_path:
        if fragment and fragment not in article.result.ids:
            diagnostics.add(path, line, "broken-anchor", f"no heading or id '#{fragment}' on this page")
        return target
    found, tried = _find(raw_path, base_dir, article.url, resolver, path, line, diagnostics)
    if found is not None and found.external:  # the query and fragment as written: the other site has them
        return found.url + target[len(target.split("#")[0].split("?")[0]):]
    if found is None:
        draft = tried
        if draft is not None:
            diagnostics.add(path, line, "link-to-draft", f"'{unquote(target)}' is a draft ({draft.display}), left "
                            "out of the site; the link leads nowhere")
        return target
    if found.article is not None and found.article is not article:
        article.related_links.append(found.article)
    if fragment and found.article is not None and fragment not in found.article.result.ids:
        diagnostics.add(path, line, "broken-anchor",
                        f"'{unquote(target)}': {found.article.display} has no heading or id '#{fragment}'")
    url = relative_url(article.url, quote(found.url, safe="/~._-"))
    return url + (f"#{quote(fragment, safe='~._-')}" if fragment else "")


def _find(raw_path, base_dir, page_url, resolver, path, line, diagnostics):
    """Source-relative first (as GitHub resolves it), then relative to the page's URL; `/x` from the root."""
    if raw_path.startswith("/"):
        candidates = [raw_path.lstrip("/")]
    else:
        candidates = [posixpath.normpath(posixpath.join(base_dir, raw_path))]
        by_url = posixpath.normpath(posixpath.join(page_url, raw_path))
        if by_url != candidates[0]:
            candidates.append(by_url)
    draft = None
    for c in candidates:
        if c.startswith(".."):
            continue
        c = "" if c == "." else c
        found, draft_hit = resolver.lookup(c)
        if found is not None:
            return found, None
        draft = draft or draft_hit
        if draft is not None:
            return None, draft
        real = resolver.lookup_case_insensitive(c)
        if real is not None:
            diagnostics.add(path, line, "link-case",
                            f"'{raw_path}' differs only in letter case from '{real}'; linked to it, but "
                            "case-sensitive hosts would not find it, so please fix the spelling")
            return resolver.lookup(real)[0], None
    external = resolver.external_url(raw_path)
    if external is not None:  # a page of the wider site the config declares, not a broken link
        return Target(external, external=True), None
    if _is_resource(raw_path, candidates[0], base_dir, resolver):
        diagnostics.add(path, line, "missing-file", f"'{raw_path}' not found; files next to articles are "
                        "copied with the site, so put it there or fix the path")
    else:
        diagnostics.add(path, line, "broken-link", f"'{raw_path}' does not lead to any article, folder or file"
                        f"{resolver.suggestion(candidates[0])}")
    return None, None


def _is_resource(raw_path: str, candidate: str, base_dir: str, resolver: LinkResolver) -> bool:
    """A link to a file that is not a page (`demo.html`, `guide.pdf`), or into a page bundle's own folder
    (`x/index.md` linking to `demos/basic/`): a missing resource, not a missing article."""
    name = posixpath.basename(raw_path.rstrip("/"))
    if "." in name and not name.endswith(".md"):
        return True
    return bool(base_dir) and f"{base_dir}/index.md" in resolver.site.by_rel and candidate.startswith(f"{base_dir}/")


def _resolve_image(article, target, path, line, base_dir, resolver, diagnostics) -> str:
    raw_path = _split_target(target)[0]
    rel = posixpath.normpath(posixpath.join(base_dir, raw_path))
    if target.startswith("/"):
        rel = raw_path.lstrip("/")
    if rel not in resolver.static:
        diagnostics.add(path, line, "missing-image", f"image '{unquote(target)}' not found next to the article")
        return f'{html_lib.escape(target, quote=True)}"'
    url = relative_url(article.url, quote(static_url(rel), safe="/~._-"))
    size = image_size(resolver.content_dir / rel)
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return f'{html_lib.escape(url, quote=True)}"{dims}'
