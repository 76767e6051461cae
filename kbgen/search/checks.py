"""`search_tests:` in kbgen.yml — queries that must keep finding their article, checked on every build and check.

A writer renames a heading or trims a paragraph and the article readers found with "refund" slips to page two;
these tests catch that in CI the way a broken link is caught.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING

from kbgen.core.yamlsource import parse_yaml
from kbgen.search.engine import SearchIndex
from kbgen.search.export import export, open_store, stored_keys
from kbgen.search.publish import languages, store_for
from kbgen.search.records import records
from kbgen.site.suggestions import SuggestionIndex

if TYPE_CHECKING:
    from kbgen.config.settings import Config
    from kbgen.content.model import Site
    from kbgen.core.diagnostics import Diagnostics


def run_search_tests(site: Site, config: Config, diagnostics: Diagnostics, exported: bool = False) -> None:
    """Run every test against each language's index: the one this build has `exported` into its store, else one
    exported now, in memory (`kbgen check`, which writes nothing)."""
    tests = config.search_tests
    if not tests or not config.search:
        return
    shown = config.path.name if config.path else "kbgen.yml"
    lines = parse_yaml(config.path.read_text(encoding="utf-8-sig")) if config.path else None
    with ExitStack() as opened:
        indexes = [_stored(config, lang, opened) if exported else _in_memory(site, articles)
                   for lang, _folder, articles in languages(site, config)]
        for n, test in enumerate(tests):
            line = lines.line("search_tests", n) if lines else 1
            expect = test["expect"] if test["expect"].endswith(".md") else f"{test['expect']}.md"
            if expect not in site.by_rel:  # no search can find it: say so, not "finds it not at all"
                diagnostics.add(shown, line, "search-test", f"search for '{test['query']}' expects {expect}, "
                                f"{_not_an_article(site, expect)}")
                continue
            ranks = []
            for index, ids in indexes:
                keys = [ids[h.doc] for h in index.search(test["query"]).hits]
                if expect in keys:
                    ranks.append(keys.index(expect) + 1)
            if not any(r <= test["top"] for r in ranks):
                where = f"at rank {min(ranks)}" if ranks else "not at all"
                diagnostics.add(shown, line, "search-test",
                                f"search for '{test['query']}' should show {expect} in the top {test['top']}, "
                                f"but finds it {where}")


def _not_an_article(site: Site, expect: str) -> str:
    if expect in site.drafts_by_rel:
        return "a draft, left out of the site"
    close = SuggestionIndex(site.by_rel).closest(expect)
    return "which is not an article of the site (the path is relative to the content folder)" + (
        f"; did you mean '{close}'?" if close else "")


def _in_memory(site: Site, articles) -> tuple[SearchIndex, dict[int, str]]:
    exported = export(records(site, articles), None)
    return SearchIndex.from_files(exported.files), {i: key for key, i in exported.ids.items()}


def _stored(config: Config, lang: str, opened: ExitStack) -> tuple[SearchIndex, dict[int, str]]:
    store = store_for(config, lang)
    reader = open_store(store)
    opened.callback(reader.close)
    return SearchIndex(reader), stored_keys(store)
