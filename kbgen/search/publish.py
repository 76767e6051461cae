"""The search files of a site, per language: what `kbgen.extras.site_extras` publishes under `search/`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.search.export import Export, export
from kbgen.search.records import records, searchable

if TYPE_CHECKING:
    from kbgen.article import Article
    from kbgen.config import Config
    from kbgen.site import Site


def languages(site: Site, config: Config) -> list[tuple[str, str, list[Article]]]:
    """(language, folder of its search files in the site, its articles): each language of a multilingual site
    gets its own `<lang>/search/` (the theme's `lang_root`), a one-language site one `search/`."""
    from kbgen.languages import site_languages

    return [(lang.code, f"{lang.url}search/", list(lang.articles)) for lang in site_languages(site, config).all]


def store_for(config: Config, lang: str) -> Path:
    return config.cache_dir / "search" / lang


def export_site(site: Site, config: Config) -> list[tuple[str, Export]]:
    """Export every language's index into its store (only new files are written) and say where each goes."""
    out = []
    for lang, folder, articles in languages(site, config):
        out.append((folder, export(records(site, articles), store_for(config, lang), popular(articles), lang)))
    return out


def search_extras(site: Site, config: Config) -> Iterator[tuple[str, bytes]]:
    if not config.search:
        return
    for folder, exported in export_site(site, config):
        for rel, data in sorted(exported.files.items()):
            yield f"{folder}{rel}", data


def popular(articles: list[Article]) -> list[tuple[str, str]]:
    """Articles other articles link to most: a static site's best guess at what readers need first."""
    inbound: Counter[int] = Counter()
    for a in articles:
        for target in {id(t) for t in a.related_links}:
            inbound[target] += 1
    chosen = sorted((a for a in articles if searchable(a) and a.url), key=lambda a: (-inbound[id(a)], a.sort_key()))
    return [(a.url, a.title) for a in chosen]
