"""Placing the site: which files are pages, the category tree, and every page's URL (the `Site` is in
`kbgen.content.model`).

Folders are categories; `folder/index.md` is the folder's own page; files and folders starting with `_` or `.`
are not pages (`_snippets/`, `_category.yml`). URLs are slugged path segments ending in `/`, so every page is a
folder with an `index.html`, which every static host serves.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import quote

from kbgen.config.frontmatter import CATEGORY_FIELDS, decode, encoding_message
from kbgen.config.schema import validate
from kbgen.content.discover import ContentFiles
from kbgen.content.model import Article, Category, Site
from kbgen.core.diagnostics import Diagnostics
from kbgen.core.limits import DEFAULT_MAX_ARTICLE_BYTES, FileTooLarge, read_capped
from kbgen.core.slugs import url_slug
from kbgen.core.yamlsource import YamlSyntaxError, duplicate_key_message, parse_yaml
from kbgen.site.icons import BUILT_IN, icon_svg, looks_like_a_name

#: URL prefixes the build itself writes to; content may not take them.
#: Addresses kbgen writes its own files to, at the site root and at each language's root.
RESERVED_URLS = ("assets/", "tags/", "404.html", "search/", "_kb/", "feed.xml")


def url_for_path(rel: str, slug: str | None = None) -> str:
    """`Hardware Support/Yún Board/Reset.md` → `hardware-support/yun-board/reset/`; `x/index.md` → `x/`.

    `rel` is a clean POSIX path as `discover` writes it, so plain string splits do (no `Path` for each of a big
    site's pages and folders: the build waits for this stage on one core)."""
    folder, _, name = rel.rpartition("/")
    folders = [url_slug(p) for p in folder.split("/")] if folder else []
    if name == "index.md":
        if slug is not None and folders:
            folders[-1] = url_slug(slug)
        return "".join(f"{p}/" for p in folders)
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name  # as `PurePosixPath.stem`
    return "".join(f"{p}/" for p in folders) + f"{url_slug(slug if slug is not None else stem)}/"


def static_url(rel: str) -> str:
    """Files next to articles keep their names; their folders are slugged like the pages beside them."""
    folder, _, name = rel.rpartition("/")
    return "".join(f"{url_slug(p)}/" for p in folder.split("/")) + name if folder else name


def build_site(articles: list[Article], files: ContentFiles, content_dir: Path, display_root: str,
               include_drafts: bool, diagnostics: Diagnostics, languages: list[str] | None = None) -> Site:
    """Place every article: give it a URL and a category, and report duplicate URLs (and the files `discover`
    skipped: links out of the content folder, pipes)."""
    for rel, code, why in files.skipped:
        diagnostics.add(f"{display_root}/{rel}", 0, code, why)
    published = [a for a in articles if include_drafts or not a.meta.get("draft")]
    drafts = [a for a in articles if not include_drafts and a.meta.get("draft")]
    root, categories = _category_tree(published, files, content_dir, display_root, diagnostics)
    for a in published:
        a.url = url_for_path(a.rel, a.meta.get("slug"))
    _check_unique_urls(published, files, diagnostics, languages or [])
    for a in published:
        cat = categories[_folder_of(a.rel)]
        a.category = cat
        if a.is_index and cat.index is None:
            cat.index = a
        else:
            cat.articles.append(a)
    _sort_tree(root)
    site = Site(published, drafts, root, files.static)
    _check_tag_spellings(site, diagnostics)
    return site


def _check_tag_spellings(site: Site, diagnostics: Diagnostics) -> None:
    """A second spelling of a tag is a warning where it is first used, naming the first: the writer meant one
    tag (and gets one page), or two (and must tell them apart by more than case and punctuation)."""
    first_use: dict[str, Article] = {}
    for a in site.articles:
        for tag in a.meta.get("tags") or ():
            first_use.setdefault(tag, a)
    for spelling, name in site.tag_spellings.items():
        if spelling != name:
            a, other = first_use[spelling], first_use[name]
            diagnostics.add(a.display, a.line_of("tags"), "duplicate-tag",
                            f"tag '{spelling}' has the same page as '{name}' (tags/{url_slug(name)}/, tagged in "
                            f"{other.display}): both are listed there; spell them alike, or make them differ by "
                            "more than case and punctuation")


def _folder_of(rel: str) -> str:
    return rel.rpartition("/")[0]


def _category_tree(articles: list[Article], files: ContentFiles, content_dir: Path, display_root: str,
                   diagnostics: Diagnostics) -> tuple[Category, dict[str, Category]]:
    """One category per folder that holds a published article (directly or below it)."""
    root = Category(rel="", title="", url="")
    folders = sorted({_folder_of(a.rel) for a in articles} - {""})
    all_folders = set()
    for folder in folders:
        parts = folder.split("/")
        for i in range(1, len(parts) + 1):
            all_folders.add("/".join(parts[:i]))
    nodes = {"": root}
    with_file = set(files.categories)
    for folder in sorted(all_folders, key=lambda f: (f.count("/"), f)):
        parent = nodes[_folder_of(folder)]
        name = folder.rpartition("/")[2]
        words = name.replace("-", " ").replace("_", " ").strip() or name
        cat = Category(rel=folder, title=words[:1].upper() + words[1:],
                       url=url_for_path(folder + "/index.md"), parent=parent)
        if folder in with_file:
            _apply_category_file(cat, content_dir, display_root, diagnostics)
        parent.children.append(cat)
        nodes[folder] = cat
    return root, nodes


def _apply_category_file(cat: Category, content_dir: Path, display_root: str, diagnostics: Diagnostics) -> None:
    rel = f"{cat.rel}/_category.yml"
    shown = f"{display_root}/{rel}"
    try:
        source = parse_yaml(decode(read_capped(content_dir / rel, DEFAULT_MAX_ARTICLE_BYTES, shown, "")))
    except FileTooLarge as exc:
        diagnostics.add(shown, 1, "file-too-large", str(exc))
        return
    except UnicodeDecodeError as exc:
        line, message = encoding_message(exc.object, exc)
        diagnostics.add(shown, line, "encoding", message)
        return
    except YamlSyntaxError as exc:
        diagnostics.add(shown, exc.line, "yaml-syntax", f"not valid YAML: {exc.problem}")
        return
    values, _extra, problems, _unknown = validate(CATEGORY_FIELDS, source)
    for p in problems:
        diagnostics.add(shown, p.line, "field-type", p.message)
    for key_path, line, first in source.duplicates:
        diagnostics.add(shown, line, "duplicate-key", duplicate_key_message(key_path, first))
    cat.title = values["title"] or cat.title
    cat.description = values["description"]
    cat.icon = values["icon"]
    if cat.icon and icon_is_image(cat.icon) and "://" not in cat.icon \
            and not (content_dir / cat.rel / cat.icon).is_file():
        diagnostics.add(shown, source.line("icon"), "missing-image",
                        f"icon '{cat.icon}' not found next to _category.yml (a path inside its folder)")
    elif cat.icon and not icon_is_image(cat.icon) and icon_svg(cat.icon) is None and looks_like_a_name(cat.icon):
        diagnostics.add(shown, source.line("icon"), "missing-image",
                        f"icon '{cat.icon}' is not a built-in icon ({', '.join(BUILT_IN)}) nor an image file; "
                        "an emoji is shown as it is written")
    cat.order = values["order"]
    cat.review_every = values["review_every"]


#: An `icon:` ending like this is an image shown on the category's card; any other text (an emoji) is shown as text.
ICON_IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")


def icon_is_image(icon: str) -> bool:
    return icon.casefold().endswith(ICON_IMAGE_SUFFIXES)


def icon_url(category: Category) -> str | None:
    """The URL (from the site root) of a category's image icon: a file in its folder, or an http(s) address."""
    icon = category.icon
    if not icon or not icon_is_image(icon):
        return None
    if icon.startswith(("https://", "http://")):
        return icon
    if "://" in icon or icon.startswith("/"):
        return None
    rel = posixpath.normpath(posixpath.join(category.rel, icon))
    return None if rel.startswith("..") else quote(static_url(rel), safe="/~._-")


def _check_unique_urls(articles: list[Article], files: ContentFiles, diagnostics: Diagnostics,
                       languages: list[str]) -> None:
    """Two files that would write the same page is an error naming both, never a silent overwrite; so is a page
    where kbgen writes its own (the search page, tags, assets), at the root or at a language's root."""
    owners: dict[str, Article] = {}
    for a in articles:
        key = a.url.casefold()  # case-only differences collide on macOS/Windows hosts and in readers' heads
        other = owners.get(key)
        line = a.line_of("slug") if a.meta.get("slug") else 1
        if other is not None:
            diagnostics.add(a.display, line, "duplicate-url",
                            f"this page's URL '/{a.url}' is already used by {other.display}; "
                            "rename one file or give it a different `slug:`")
        elif any(_within_language(a.url, languages).startswith(r) for r in RESERVED_URLS):
            diagnostics.add(a.display, line, "duplicate-url",
                            f"the URL '/{a.url}' is reserved for kbgen's own pages; rename the folder or file")
        else:
            owners[key] = a
    for a in articles:  # where an alias lands is checked with every other output (`kbgen.render.outputs`)
        for i, alias in enumerate(a.meta.get("aliases") or ()):
            if alias_url(alias) is None:
                diagnostics.add(a.display, alias_line(a, i), "field-type",
                                f"alias '{alias}' is not a path inside the site (like /old/page/)")


def alias_line(article: Article, i: int) -> int:
    """The line of the `i`-th entry of `aliases:` in the article's front matter."""
    lines = article.result.front_matter.lines
    return lines.line("aliases", i) if lines else 1


def _within_language(url: str, languages: list[str]) -> str:
    """`en/search/x/` → `search/x/` on a site whose languages include en."""
    head, _, rest = url.partition("/")
    return rest if head in languages else url


def alias_url(alias: str) -> str | None:
    """`/old/refunds` or `old/refunds.html` → the path of the redirect page inside the site; None for a path
    that would leave the site (`../x`) or is no path at all (`https://…`, the home page)."""
    path = alias.split("#", 1)[0].split("?", 1)[0].strip()
    if "://" in path or "\\" in path:
        return None
    path = posixpath.normpath("/" + path).lstrip("/")  # rooted first, so `..` can never climb out of the site
    if not path:
        return None
    if path.endswith((".html", ".htm")):
        return path
    return path + "/"


def redirect_path(url: str) -> str:
    """The file a redirect from `url` (as `alias_url` gives it) is written to: `old/` → `old/index.html`."""
    return url if url.endswith((".html", ".htm")) else f"{url}index.html"


def _sort_tree(cat: Category) -> None:
    cat.articles.sort(key=Article.sort_key)
    cat.children.sort(key=Category.sort_key)
    for child in cat.children:
        _sort_tree(child)
