"""Drafts stay out of the site, but their links are checked anyway, so they do not go live broken."""

from __future__ import annotations

from conftest import run

SITE = {
    "content/billing/refunds.md": "# Refunds\n\n## Fees\n\nText.\n",
    "content/billing/new-plans.md": ("---\ntitle: New plans\ndraft: true\n---\n\nSee [refunds](refunds.md#fees),\n"
                                     "[the old page](old-plans.md) and [fees](refunds.md#charges).\n"),
}


def test_links_in_a_left_out_draft_are_checked_as_warnings(kb) -> None:
    kb(SITE)
    result = run("build")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert ("content/billing/new-plans.md:7: warning[broken-link]: 'old-plans.md' does not lead to any article, "
            "folder or file (in a draft, not published)") in lines
    assert ("content/billing/new-plans.md:7: warning[broken-anchor]: 'refunds.md#charges': "
            "content/billing/refunds.md has no heading or id '#charges' (in a draft, not published)") in lines
    assert len(lines) == 2
    assert not (kb.root / "site/billing/new-plans").exists()


def test_a_published_draft_has_its_broken_links_as_errors(kb) -> None:
    kb(SITE)
    result = run("build", "--drafts")
    assert result.exit_code == 1
    assert any(line.startswith("content/billing/new-plans.md:7: error[broken-link]: 'old-plans.md'")
               for line in result.stderr.splitlines())


def test_strict_fails_on_a_drafts_broken_link(kb) -> None:
    kb(SITE)
    assert run("check", "--strict").exit_code == 1
