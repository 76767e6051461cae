"""The search files of a site, per language: what `kbgen.extras.site_extras` publishes under `search/`."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.search.export import Export, export, fragment_files, read_state
from kbgen.search.records import records, searchable
from kbgen.writer import write_file

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


def export_site(site: Site, config: Config, states: dict[str, dict] | None = None) -> list[tuple[str, Export]]:
    """Export every language's index into its store and say where each goes; `states` as read before (see
    `SearchExport`), else read now."""
    return [(folder, export(records(site, articles), store_for(config, lang), popular(articles), lang,
                            states.get(lang) if states is not None else None))
            for lang, folder, articles in languages(site, config)]


class SearchExport:
    """The search files of a build, written into the site being built at `into`, in two parts: the index
    (`index`, the postings and shards of every language) and the display texts (`fragments`, a third of the
    files). The build runs them beside its pages (`kbgen.parallel.Alongside`): the fragments go to whichever
    process is free first, so both agree on the articles' ids through the store's state read once, here."""

    def __init__(self, site: Site, config: Config, into: Path) -> None:
        self.site, self.config, self.into = site, config, into
        self.states = {lang: read_state(store_for(config, lang)) for lang, _f, _a in languages(site, config)}
        self._fragments: list[tuple[str, dict[str, bytes]]] | None = None

    def index(self) -> list[tuple[str, Export]]:
        """Export and write every index; the fragments are kept for `fragments`. What is returned holds no files,
        only the bookkeeping."""
        exported = export_site(self.site, self.config, self.states)
        self._fragments = []
        for folder, language in exported:
            fragments = {rel: data for rel, data in language.files.items() if rel.startswith("f/")}
            place(self.into / folder, {rel: data for rel, data in language.files.items() if rel not in fragments})
            self._fragments.append((folder, fragments))
            language.files = {}
        return exported

    def fragments(self) -> None:
        """Write the fragment files: as `index` made them, or made again from the same records and state (the same
        bytes) when the index is being made elsewhere."""
        if self._fragments is None:
            self._fragments = [(folder, fragment_files(records(self.site, articles), self.states[lang]))
                               for lang, folder, articles in languages(self.site, self.config)]
        for folder, files in self._fragments:
            place(self.into / folder, files)


def place(folder: Path, files: dict[str, bytes]) -> None:
    """Write an export's files under `folder` (`manifest.js`, `s/…`, `f/…`)."""
    root = str(folder)
    for sub in {rel.rpartition("/")[0] for rel in files}:
        os.makedirs(f"{root}/{sub}", exist_ok=True)
    for rel, data in files.items():
        write_file(f"{root}/{rel}", data)  # a string: thousands of files, and `Path` joins cost more than writes


def search_extras(site: Site, config: Config,
                  exported: list[tuple[str, Export]] | None = None) -> Iterator[tuple[str, bytes]]:
    """The search files of every language: none when a `SearchExport` wrote them into the site already, else
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
