"""The search files of a site, per language: what `kbgen.render.extras.site_extras` publishes under `search/`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
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


LinkedTo = Callable[[], dict[str, Counter[str]]]  # `linked_to`, made later


def export_site(site: Site, config: Config, counts: LinkedTo | None = None,
                write: Callable[[str, bytes], None] | None = None) -> list[tuple[str, Export]]:
    """Export every language's index into its store and say where each goes. `counts()` is asked for last, once
    the index is made: the build forks the export before the links stage and hands it the counts when that
    stage has worked them out (`kbgen.parallel.Alongside.give`); by default they are counted here. With
    `write(path in the site, bytes)`, each file goes there as it is made, and what is returned holds no files,
    only the bookkeeping."""
    counted = cache(counts or (lambda: linked_to(site, config)))  # once for every language

    def ranked(lang: str, articles: list[Article]) -> Callable[[], list[tuple[str, str]]]:
        return lambda: popular(articles, counted()[lang])

    def writer(folder: str) -> Callable[[str, bytes], None] | None:
        return (lambda rel, data: write(f"{folder}{rel}", data)) if write else None

    return [(folder, export(records(site, articles), store_for(config, lang), ranked(lang, articles), lang,
                            writer(folder)))
            for lang, folder, articles in languages(site, config)]


def export_into(site: Site, config: Config, write: Callable[[str, bytes], None],
                counts: LinkedTo | None = None) -> list[tuple[str, Export]]:
    """Export every language's index and `write(path in the site, bytes)` each of its files as it is made (the
    build runs this beside its links and pages, `kbgen.parallel.Alongside`, writing into the staged site: a file
    the last build wrote alike is kept)."""
    exported = export_site(site, config, counts, write)
    for _folder, language in exported:
        language.write = None  # the other process's writer means nothing to the one this goes back to
    return exported
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


def linked_to(site: Site, config: Config) -> dict[str, Counter[str]]:
    """Per language, how many of its articles link to each article (by source path): known once the links stage
    has resolved them."""
    return {lang: Counter(rel for a in articles for rel in {t.rel for t in a.related_links})
            for lang, _, articles in languages(site, config)}


def popular(articles: list[Article], counts: Counter[str]) -> list[tuple[str, str]]:
    """Articles other articles of the same language link to most: a static site's best guess at what readers need
    first."""
    chosen = sorted((a for a in articles if searchable(a) and a.url), key=lambda a: (-counts[a.rel], a.sort_key()))
    return [(a.url, a.title) for a in chosen]
