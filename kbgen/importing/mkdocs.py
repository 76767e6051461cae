"""An MkDocs (and Material for MkDocs) project: `mkdocs.yml` and its docs folder.

The nav's order becomes `order:` in each page's front matter, a nav title the page's `title:` when the page has
none, and a nav section whose pages share a folder becomes that folder's `_category.yml`. Site name, description,
URL, language and the Material palette's primary colour become `kbgen.yml` settings.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from kbgen.core.diagnostics import KbgenError
from kbgen.importing.plan import ImportPlan
from kbgen.importing.settings import known_settings
from kbgen.importing.sources import load_yaml, markdown_files

#: A snippet include (pymdownx.snippets): the file it names is part of another page, not a page of the nav.
_SNIPPET = re.compile(r"""^\s*--8<--\s+["']([^"']+)["']""", re.M)

#: Material for MkDocs' named primary colours, as the Material Design palette gives them (shade 500).
MATERIAL_COLOURS = {
    "red": "#f44336", "pink": "#e91e63", "purple": "#9c27b0", "deep purple": "#673ab7", "indigo": "#3f51b5",
    "blue": "#2196f3", "light blue": "#03a9f4", "cyan": "#00bcd4", "teal": "#009688", "green": "#4caf50",
    "light green": "#8bc34a", "lime": "#cddc39", "yellow": "#ffeb3b", "amber": "#ffc107", "orange": "#ff9800",
    "deep orange": "#ff5722", "brown": "#795548", "grey": "#9e9e9e", "blue grey": "#607d8b", "black": "#000000",
    "white": "#ffffff",
}


def plan(source: Path) -> ImportPlan:
    config_path = source / "mkdocs.yml" if (source / "mkdocs.yml").is_file() else source / "mkdocs.yaml"
    try:
        settings = load_yaml(config_path.read_text(encoding="utf-8")) or {}
    except Exception as exc:  # noqa: BLE001 — any reason the file cannot be read is the user's to fix
        raise KbgenError(f"{config_path}: could not be read as YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(settings, dict):
        raise KbgenError(f"{config_path}: expected `key: value` settings")
    docs = source / str(settings.get("docs_dir") or "docs")
    if not docs.is_dir():
        raise KbgenError(f"{config_path}: its docs folder {docs} does not exist")
    result = ImportPlan("mkdocs")
    result.config = _config(settings, config_path, result)
    pages, sections = _read_nav(settings.get("nav"), config_path, result)
    files = list(markdown_files(docs, result, (".md", ".markdown")))
    included = {m.group(1) for *_, body in files for m in _SNIPPET.finditer(body)}
    for rel, _path, meta, body in files:
        if rel in pages:
            title, order = pages[rel]
            if title:
                meta.setdefault("title", title)
            meta.setdefault("order", order)
        elif pages and not any(rel.endswith(name) or name.endswith(rel) for name in included):
            result.note(rel, "not in mkdocs.yml's nav: published, listed after the pages that have an order")
        result.article(rel.rsplit(".", 1)[0] + ".md", meta, body)
    for folder, (title, order) in sections.items():
        result.category(folder, {"title": title, "order": order})
    return result


def _config(settings: dict, config_path: Path, result: ImportPlan) -> dict:
    theme = settings.get("theme") if isinstance(settings.get("theme"), dict) else {}
    palette = theme.get("palette")
    palette = palette[0] if isinstance(palette, list) and palette else palette
    primary = str(palette.get("primary", "")).replace("-", " ").lower() if isinstance(palette, dict) else ""
    config = {
        "site_name": settings.get("site_name"),
        "description": settings.get("site_description"),
        "base_url": settings.get("site_url"),
        "language": str(theme.get("language") or "") or None,
        "primary_color": MATERIAL_COLOURS.get(primary),
        "repo_url": settings.get("repo_url"),
        "edit_uri": settings.get("edit_uri"),
    }
    if primary and primary not in MATERIAL_COLOURS:
        result.note(config_path.name, f"theme colour '{primary}' has no kbgen equivalent; set primary_color")
    for key in ("logo", "favicon"):
        if theme.get(key):
            result.note(config_path.name, f"theme {key} '{theme[key]}': put it in a site theme's assets/ "
                                          "(see Themes and branding) and set `logo:`")
    if settings.get("extra_css") or settings.get("extra_javascript"):
        result.note(config_path.name, "extra_css / extra_javascript: move them into a site theme")
    return known_settings(config, config_path.name, result)


def _read_nav(nav, config_path: Path, result: ImportPlan):
    """(page → (nav title, order), folder → (section title, order)) from the nav's nesting."""
    pages: dict[str, tuple[str | None, int]] = {}
    sections: dict[str, tuple[str, int]] = {}

    def walk(items) -> list[str]:
        seen: list[str] = []
        for order, item in enumerate(items if isinstance(items, list) else [], 1):
            title, value = (next(iter(item.items())) if isinstance(item, dict) and len(item) == 1
                            else (None, item))
            if isinstance(value, list):
                inside = walk(value)
                folder = posixpath.commonpath(inside) if inside else ""
                folder = folder if folder and not folder.endswith(".md") else posixpath.dirname(folder)
                if folder and folder not in sections and title:
                    sections[folder] = (str(title), order)
                elif title:
                    result.note(config_path.name, f"nav section '{title}' spans several folders; "
                                                  "kbgen's categories are folders, so its pages keep their folders")
                seen += inside
            elif isinstance(value, str) and "://" not in value:
                page = value.lstrip("/")
                pages[page] = (str(title) if title else None, order)
                seen.append(page)
            elif isinstance(value, str):
                result.note(config_path.name, f"nav link '{title or value}' to {value}: add it to footer_links")
        return seen

    walk(nav)
    return pages, sections
