"""A rebuild after an edit writes only what changed (issue 20): the pages the edit cannot change are the last build's
files, kept as they were, yet the site is byte for byte what a clean build of the same content makes; and a build
that fails after an edit leaves the previous site exactly as it was."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import files_under, run, write_files

ARTICLE = "---\ntitle: {title}\ntags: [{tags}]\n---\n\n{body}\n"

SITE = {
    "kbgen.yml": "site_name: Acme Help\ntheme: acme\nbase_url: https://help.acme.test/\n",
    "themes/acme/templates/article.html": (
        '{% extends "default/article.html" %}{% block title %}{{ page.title }} | Acme'
        '{% if page.extra.get("boom") %}{{ no_such_thing.here }}{% endif %}{% endblock %}\n'),
    "content/index.md": "---\ntitle: Acme Help\n---\n\nWelcome to the help centre.\n",
    "content/billing/_category.yml": "title: Billing\ndescription: Invoices and refunds\n",
    "content/billing/refunds.md": ARTICLE.format(title="Refunds", tags="money",
                                                 body="Ask within 30 days. See [invoices](invoices.md)."),
    "content/billing/invoices.md": ARTICLE.format(title="Invoices", tags="money, pdf", body="Download a PDF."),
    "content/billing/vat.md": ARTICLE.format(title="VAT", tags="tax", body="## Rates\n\nTwenty per cent."),
    "content/billing/terms.txt": "Terms, version 1.\n",
    "themes/acme/assets/acme.css": "body { color: navy }\n",
    "content/account/password.md": ARTICLE.format(
        title="Reset your password", tags="login", body="Click *Forgot password*. [Terms](../billing/terms.txt)."),
    "content/account/email.md": ARTICLE.format(title="Change your email", tags="login", body="Open *Profile*."),
    "content/account/close.md": ARTICLE.format(title="Close your account", tags="", body="We are sorry to see you go."),
    "content/account/two-factor.md": ARTICLE.format(title="Two-factor sign-in", tags="login",
                                                    body="Use an authenticator app.\n\n## Lost phone\n\nCall us."),
}


def kbgen_in(root: Path, *args: str) -> Result:
    """`kbgen ARGS` run in the project at `root`, as a writer there would."""
    old = Path.cwd()
    os.chdir(root)
    try:
        return run(*args)
    finally:
        os.chdir(old)


def build(root: Path) -> str:
    result = kbgen_in(root, "build")
    assert result.exit_code == 0, result.output
    return result.output


def clean_build(project: Path, elsewhere: Path) -> Path:
    """The same content built from nothing in another folder (copied with its files' times: dates come from them)."""
    shutil.copytree(project, elsewhere, ignore=shutil.ignore_patterns(".kbgen", "site"))
    build(elsewhere)
    return elsewhere


def pages_and_files(site: Path) -> dict[str, bytes]:
    """Every file of the site but the search index's data files: the index keeps each article's id from build to
    build (`kbgen.search.export`: one new article touches only its own shards), so after a deletion or a rename its
    files are not a clean build's, though they answer the same (`answers`)."""
    files = files_under(site)
    index = {rel for rel in files if rel.startswith("search/") and rel != "search/index.html"}
    listed = json.loads(files.pop(".kbgen-site"))["files"]
    assert sorted(listed) == sorted(files)  # the marker names every file the site has
    return {rel: data for rel, data in files.items() if rel not in index}


QUERIES = ["refunds", "invoice pdf", "password", "rates", "money", "disputes", "phone", "authenticator"]


def answers(project: Path) -> str:
    """What the site's search answers (each query's pages, ranks and scores), as a reader's browser would get it."""
    queries = project.parent / f"{project.name}-queries.tsv"
    queries.write_text("".join(f"q{i}\t{q}\n" for i, q in enumerate(QUERIES)), encoding="utf-8")
    result = kbgen_in(project, "search", "--batch", str(queries))
    assert result.exit_code == 0 and "q0 Q0 billing/" in result.output, result.output
    return result.output


def same_site(project: Path, clean: Path) -> None:
    assert pages_and_files(project / "site") == pages_and_files(clean / "site")
    assert answers(project) == answers(clean)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "body": lambda p: edit(p / "content/billing/vat.md", "Twenty per cent.", "Twenty per cent, five on books."),
    "title": lambda p: edit(p / "content/billing/invoices.md", "title: Invoices", "title: Invoices and receipts"),
    "tags": lambda p: edit(p / "content/billing/vat.md", "tags: [tax]", "tags: [tax, money]"),
    "new article": lambda p: write_files(p, {"content/billing/disputes.md": ARTICLE.format(
        title="Disputes", tags="money", body="Write to us. Read [refunds](refunds.md) first.")}),
    "deletion": lambda p: (p / "content/account/two-factor.md").unlink(),
    "rename": lambda p: (p / "content/billing/refunds.md").rename(p / "content/billing/money-back.md"),
    "links": lambda p: edit(p / "content/account/password.md", "Click", "See [two-factor](two-factor.md). Click"),
    "home intro": lambda p: edit(p / "content/index.md", "Welcome", "Hello and welcome"),
    "category": lambda p: edit(p / "content/billing/_category.yml", "Invoices and refunds", "Money matters"),
    # Dated by the file's time (no git here): the newest article joins the home page's recently updated list.
    "date": lambda p: os.utime(p / "content/account/email.md", (time.time() + 3 * 86400,) * 2),
    "attachment": lambda p: (p / "content/billing/terms.txt").write_text("Terms, version 2, longer.\n"),
    "theme asset": lambda p: (p / "themes/acme/assets/acme.css").write_text("body { color: teal }\n"),
    "template": lambda p: edit(p / "themes/acme/templates/article.html", "| Acme", "· Acme Help"),
    "config": lambda p: edit(p / "kbgen.yml", "site_name: Acme Help", "site_name: Acme Support"),
}


@pytest.mark.parametrize("kind", EDITS)
def test_a_rebuild_after_an_edit_is_what_a_clean_build_makes(tmp_path: Path, kind: str) -> None:
    project = write_files(tmp_path / "kb", SITE)
    build(project)
    EDITS[kind](project)

    build(project)

    same_site(project, clean_build(project, tmp_path / "clean"))


def test_a_body_edit_rewrites_its_own_page_and_keeps_every_other_page_as_it_was(tmp_path: Path) -> None:
    """What a deploy that copies files by their time (rsync, a bucket sync) sees after one article changed."""
    project = write_files(tmp_path / "kb", SITE)
    build(project)
    site = project / "site"
    before = {rel: os.stat(site / rel) for rel in files_under(site)}

    EDITS["body"](project)
    build(project)

    after = {rel: os.stat(site / rel) for rel in files_under(site)}
    touched = {rel for rel in after if rel.endswith(".html")
               and (before[rel].st_mtime_ns, before[rel].st_ino) != (after[rel].st_mtime_ns, after[rel].st_ino)}
    assert touched == {"billing/vat/index.html"}
    assert "five on books" in (site / "billing/vat/index.html").read_text(encoding="utf-8")
    assert not any(rel.startswith("assets/") and before[rel].st_ino != after[rel].st_ino for rel in after)
    index = [rel for rel in after if rel.startswith("search/") and rel != "search/index.html"]
    kept = [rel for rel in index if rel in before and before[rel].st_ino == after[rel].st_ino]
    assert 0 < len(kept) < len(index)  # the search files the edit did not change are kept too
    assert "site/ is up to date" in build(project)  # the record of the rebuild is the site as it is


def test_a_page_changed_in_the_site_by_hand_is_written_again(tmp_path: Path) -> None:
    """The last build's file is kept only while it is exactly as that build wrote it."""
    project = write_files(tmp_path / "kb", SITE)
    build(project)
    page = project / "site/account/password/index.html"
    page.write_text("defaced", encoding="utf-8")
    EDITS["body"](project)

    build(project)

    same_site(project, clean_build(project, tmp_path / "clean"))


@pytest.mark.parametrize("failure", ["content error", "template error on one page"])
def test_a_build_that_fails_after_an_edit_leaves_the_previous_site_as_it_was(tmp_path: Path, failure: str) -> None:
    project = write_files(tmp_path / "kb", SITE)
    build(project)
    site = project / "site"
    before = files_under(site)
    times = {rel: os.stat(site / rel).st_mtime_ns for rel in before}
    EDITS["body"](project)  # a change the failed build would have published
    if failure == "content error":
        edit(project / "content/billing/refunds.md", "(invoices.md)", "(no-such-page.md)")
    else:  # fails while writing pages, after the unchanged ones were taken from the last build
        edit(project / "content/account/two-factor.md", "tags: [login]", "tags: [login]\nboom: true")

    result = kbgen_in(project, "build")

    assert result.exit_code != 0
    assert files_under(site) == before
    assert {rel: os.stat(site / rel).st_mtime_ns for rel in before} == times
    assert sorted(p.name for p in project.iterdir()) == [".kbgen", "content", "kbgen.yml", "site", "themes"]
