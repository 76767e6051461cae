"""The articles a report is about: the build's own stages up to placing pages, without writing anything.

A report on a site with a broken link is still worth reading, so content errors do not stop it (unlike a build).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kbgen.config import Config, load_config
from kbgen.diagnostics import Diagnostics
from kbgen.site import Site


@dataclass
class Inventory:
    config: Config
    site: Site


def load_inventory(config_path: Path | None, content: Path | None) -> Inventory:
    from kbgen.build import display_path
    from kbgen.cache import RenderCache
    from kbgen.discover import discover
    from kbgen.freshness import build_key
    from kbgen.loading import load_articles, render_settings
    from kbgen.markdown import RENDER_VERSION
    from kbgen.site import build_site

    diagnostics = Diagnostics()
    config = load_config(config_path, content, None, diagnostics)
    display_root = display_path(config.content_dir)
    files = discover(config.content_dir, config.exclude)
    settings = render_settings(config, files, display_root)
    cache = RenderCache(config.cache_dir, build_key(RENDER_VERSION, settings, display_root))
    articles, _rendered = load_articles(config, files, display_root, settings, cache, lambda *a: None)
    cache.save()
    site = build_site(articles, files, config.content_dir, display_root, config.drafts, diagnostics,
                      config.languages)
    return Inventory(config, site)
