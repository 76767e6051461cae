"""The search files of a site, per language: what `kbgen.render.extras.site_extras` publishes under `search/`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.search.export import Export, export
from kbgen.search.records import records, searchable

if TYPE_CHECKING:
    from kbgen.config.settings import Config
    from kbgen.content.model import Article, Site


def languages(site: Site, config: Config) -> list[tuple[str, str, list[Article]]]:
    """(language, folder of its search files in the site, its articles): each language of a multilingual site
    gets its own `<lang>/search/` (the theme's `lang_root`), a one-language site one `search/`."""
    from kbgen.site.languages import site_languages

    return [(lang.code, f"{lang.url}search/", list(lang.articles)) for lang in site_languages(site, config).all]


def store_for(config: Config, lang: str) -> Path:
    return config.cache_dir / "search" / lang


def export_site(site: Site, config: Config, into: Path | None = None) -> list[tuple[str, Export]]:
    """Export every language's index into its store and say where each goes; with `into` (the site being built),
    each file is written there as it is made, and what is returned holds no files, only the bookkeeping."""
    return [(folder, export(records(site, articles), store_for(config, lang), popular(articles), lang,
                            into / folder if into is not None else None))
            for lang, folder, articles in languages(site, config)]


def export_into(site: Site, config: Config, into: Path) -> list[tuple[str, Export]]:
    """Export every language's index straight into the site being built at `into` (the build runs this beside
    its pages, `kbgen.parallel.Alongside`)."""
    exported = export_site(site, config, into)
    for _folder, language in exported:
        language.into = None  # the other process's folder means nothing to the one this goes back to
    return exported


def search_extras(site: Site, config: Config,
                  exported: list[tuple[str, Export]] | None = None) -> Iterator[tuple[str, bytes]]:
    """The search files of every language: none when `export_into` wrote them into the site already, else
    made now."""
    if not config.search:
        return
    for folder, language in (exported if exported is not None else export_site(site, config)):
        for rel, data in sorted(language.files.items()):
            yield f"{folder}{rel}", data


def popular(articles: list[Article]) -> list[tuple[str, str]]:
    """Articles other articles link to most: a static site's best guess at what readers need first."""
    inbound: Counter[int] = Counter()
    for a in articles:
        for target in {id(t) for t in a.related_links}:
            inbound[target] += 1
    chosen = sorted((a for a in articles if searchable(a) and a.url), key=lambda a: (-inbound[id(a)], a.sort_key()))
    return [(a.url, a.title) for a in chosen]
