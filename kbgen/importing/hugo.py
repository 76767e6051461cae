"""A Hugo site: its `content/` folder and its config (`hugo.toml`, `config.toml`, or their YAML forms).

TOML front matter becomes YAML, `weight` becomes `order`, and a section's `_index.md` becomes the folder's
`_category.yml` (title, description, weight) and, when it has text, the folder's own page `index.md`. Hugo's
`aliases:` mean what kbgen's mean and are kept.
"""

from __future__ import annotations

import posixpath
import tomllib
from pathlib import Path

from kbgen.core.diagnostics import KbgenError
from kbgen.importing.plan import ImportPlan
from kbgen.importing.settings import known_settings
from kbgen.importing.sources import load_yaml, markdown_files

CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml")


def plan(source: Path) -> ImportPlan:
    settings, config_name = _settings(source)
    content = source / str(settings.get("contentDir") or settings.get("contentdir") or "content")
    if not content.is_dir() and not settings:
        content = source  # a Hugo content folder on its own
    if not content.is_dir():
        raise KbgenError(f"{source}: the Hugo content folder {content} does not exist")
    result = ImportPlan("hugo")
    result.config = known_settings({
        "site_name": settings.get("title"),
        "base_url": settings.get("baseURL") or settings.get("baseurl"),
        "language": str(settings.get("languageCode") or settings.get("defaultContentLanguage") or "")[:2] or None,
    }, config_name, result)
    for rel, path, meta, body in markdown_files(content, result, (".md", ".markdown")):
        weight = meta.pop("weight", None)
        if isinstance(weight, int) and "order" not in meta:
            meta["order"] = weight
        if path.name == "_index.md":
            result.category(posixpath.dirname(rel), {"title": meta.get("title"),
                                                     "description": meta.get("description"),
                                                     "order": meta.get("order")})
            if body.strip():  # the section's own text: the folder's own page, as kbgen calls it
                result.article(posixpath.join(posixpath.dirname(rel), "index.md"),
                               {"title": meta.get("title"), "description": meta.get("description")}, body)
            continue
        result.article(rel.rsplit(".", 1)[0] + ".md", meta, body)
    return result


def _settings(source: Path) -> tuple[dict, str]:
    for name in CONFIG_NAMES:
        path = source / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            try:
                data = tomllib.loads(text) if name.endswith(".toml") else load_yaml(text)
            except Exception as exc:  # noqa: BLE001 — any reason it cannot be read is the user's to fix
                raise KbgenError(f"{path}: could not be read ({str(exc).splitlines()[0]})") from None
            return (data if isinstance(data, dict) else {}), name
    return {}, "hugo.toml"
