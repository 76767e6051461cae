"""`search_tests:` in kbgen.yml — queries that must keep finding their article, checked on every build and check.

A writer renames a heading or trims a paragraph and the article readers found with "refund" slips to page two;
these tests catch that in CI the way a broken link is caught.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from kbgen.search.engine import SearchIndex
from kbgen.search.export import export
from kbgen.search.publish import languages
from kbgen.search.records import records
from kbgen.yamlsource import parse_yaml

if TYPE_CHECKING:
    from kbgen.config import Config
    from kbgen.diagnostics import Diagnostics
    from kbgen.site import Site


def run_search_tests(site: Site, config: Config, diagnostics: Diagnostics) -> None:
    tests = config.search_tests
    if not tests or not config.search:
        return
    shown = config.path.name if config.path else "kbgen.yml"
    lines = parse_yaml(config.path.read_text(encoding="utf-8-sig")) if config.path else None
    indexes = []
    for _lang, _folder, articles in languages(site, config):
        exported = export(records(site, articles), None)
        files = exported.files
        index = SearchIndex(lambda name, files=files: _read(files[f"{name}.js"]))
        ids = {i: key for key, i in exported.ids.items()}
        indexes.append((index, ids))
    for n, test in enumerate(tests):
        line = lines.line("search_tests", n) if lines else 1
        expect = test["expect"] if test["expect"].endswith(".md") else f"{test['expect']}.md"
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


def _read(data: bytes):
    text = data.decode("utf-8")
    return json.loads(text[text.index(",") + 1: text.rindex(")")])
