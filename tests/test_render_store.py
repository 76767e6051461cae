"""Rendered bodies live in the render cache on disk, not in memory (issue 20): what a build reads back from it must
be what it would have held, whether the cache is fresh, warm, from an older kbgen, broken, or not writable."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import run

ARTICLES = {
    "content/guide/setup.md": "---\ntitle: Setup\naliases: [/old/setup/]\ntags: [start]\n---\n\n"
                              "Intro with a [link to billing](../billing/refunds.md#fees).\n\n"
                              "## Install\n\nRun the installer.\n\n### On Linux\n\nUse the package.\n",
    "content/billing/refunds.md": "# Refunds\n\nAsk [setup](../guide/setup.md#install) first.\n\n"
                                  "## Fees\n\nNo fees. See <https://example.com/x>.\n\n![chart](chart.png)\n",
    "content/faq/questions.md": "---\ntype: faq\n---\n\n# Questions\n\n## Can I get my money back?\n\n"
                                "Yes, within 30 days.\n",
    "content/billing/chart.png": b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x03"
                                 b"\x08\x02\x00\x00\x00",
}


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def caches(root: Path) -> list[str]:
    return sorted(p.name for p in (root / ".kbgen").glob("render-*"))


def test_a_warm_build_writes_the_same_site_as_a_cold_one(kb) -> None:
    kb(ARTICLES)
    assert run("build").exit_code == 0
    cold = tree(kb.root / "site")
    page = (kb.root / "site/guide/setup/index.html").read_text(encoding="utf-8")
    assert 'href="../../billing/refunds/#fees"' in page and 'id="install"' in page
    assert 'width="2" height="3"' in (kb.root / "site/billing/refunds/index.html").read_text(encoding="utf-8")
    (kb.root / ".kbgen/last-build.json").unlink()  # the same content again, every article from the cache
    result = run("build")
    assert "(3 articles, 0 rendered)" in result.stdout
    assert tree(kb.root / "site") == cold


def test_an_older_cache_is_replaced_and_a_broken_one_is_started_again(kb) -> None:
    kb(ARTICLES | {".kbgen/render-0123.pickle": b"an older kbgen's cache"})
    assert run("build").exit_code == 0
    good = tree(kb.root / "site")
    [name] = caches(kb.root)
    assert name.endswith(".sqlite")
    (kb.root / ".kbgen" / name).write_bytes(b"not a database at all" * 100)
    (kb.root / ".kbgen/last-build.json").unlink()
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "(3 articles, 3 rendered)" in result.stdout
    assert tree(kb.root / "site") == good


def test_check_reads_the_cache_and_writes_nothing(kb) -> None:
    kb(ARTICLES)
    assert run("build").exit_code == 0
    before = tree(kb.root / ".kbgen")
    (kb.root / "content/guide/setup.md").write_text("# Setup\n\n[gone](missing.md)\n", encoding="utf-8")
    result = run("check")
    assert "content/guide/setup.md:3: error[broken-link]" in result.output
    assert tree(kb.root / ".kbgen") == before
