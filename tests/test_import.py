"""A team moves to kbgen: `kbgen import` turns their MkDocs, Docusaurus or Hugo project, or their Zendesk Guide
export, into kbgen.yml and content/, which then build with --strict. The projects are in tests/fixtures/import/,
each written in its tool's documented layout."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def imported(kind: str, into: Path) -> str:
    """Import the fixture project of `kind` into `into`, build it strictly there, and return the import's output."""
    result = run("import", str(FIXTURES / kind), "--out", str(into))
    assert result.exit_code == 0, result.output
    os.chdir(into)
    built = run("build", "--strict")
    assert built.exit_code == 0, built.output
    return result.output


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_mkdocs_nav_becomes_order_titles_and_categories(kb) -> None:
    out = imported("mkdocs", kb.root / "help")
    assert "Imported 6 articles from mkdocs" in out
    assert "changelog.md: not in mkdocs.yml's nav" in out  # published, but a writer should place it
    assert "nav link 'Status'" in out  # an external nav entry has no page to become
    config = yaml.safe_load((kb.root / "help" / "kbgen.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Acme Help" and config["base_url"] == "https://help.acme.example/"
    assert config["primary_color"] == "#3f51b5"  # Material's `primary: indigo`
    content = kb.root / "help" / "content"
    assert front_matter(content / "getting-started" / "first-steps.md") == {"title": "First steps", "order": 2}
    assert yaml.safe_load((content / "billing" / "_category.yml").read_text()) == {"title": "Billing", "order": 3}
    site = kb.root / "help" / "site"
    billing = (site / "billing" / "index.html").read_text(encoding="utf-8")
    assert billing.index("Refunds") < billing.index("Invoices")  # the nav's order, not the alphabet's
    assert (site / "billing" / "img" / "invoice.png").is_file()  # images come along
    install = (site / "getting-started" / "install" / "index.html").read_text(encoding="utf-8")
    assert "Administrator rights" in install and "!!!" not in install


def test_docusaurus_categories_and_sidebar_positions(kb) -> None:
    imported("docusaurus", kb.root / "help")
    content = kb.root / "help" / "content"
    assert yaml.safe_load((content / "tutorial-basics" / "_category.yml").read_text()) == {
        "title": "Tutorial - Basics", "order": 2,
        "description": "Five minutes to learn the most important widget concepts."}
    deploy = content / "tutorial-basics" / "deploy-your-site.md"  # .mdx → .md
    assert front_matter(deploy)["order"] == 2 and "sidebar_position" not in front_matter(deploy)
    config = yaml.safe_load((kb.root / "help" / "kbgen.yml").read_text(encoding="utf-8"))
    assert config == {"site_name": "Widget Docs", "description": "Everything about widgets",
                      "base_url": "https://docs.widget.example/"}
    page = (kb.root / "help" / "site" / "tutorial-basics" / "index.html").read_text(encoding="utf-8")
    assert page.index("Create a page") < page.index("Deploy your site")


def test_hugo_sections_toml_and_aliases(kb) -> None:
    imported("hugo", kb.root / "help")
    content = kb.root / "help" / "content"
    setup = (content / "docs" / "setup.md").read_text(encoding="utf-8")
    assert setup.startswith("---\n") and "+++" not in setup  # TOML front matter written as YAML
    assert front_matter(content / "docs" / "setup.md")["order"] == 1  # weight
    assert yaml.safe_load((content / "docs" / "_category.yml").read_text()) == {
        "title": "Using the gadget", "description": "Set it up and keep it running.", "order": 2}
    assert not (content / "docs" / "_index.md").exists()
    section = (kb.root / "help" / "site" / "docs" / "index.html").read_text(encoding="utf-8")
    assert "from the first charge to the daily routine" in section  # the section's text: the folder's own page
    redirect = (kb.root / "help" / "site" / "old" / "setup" / "index.html").read_text(encoding="utf-8")
    assert "docs/setup/" in redirect  # Hugo's aliases keep working


def test_zendesk_export_is_searchable_and_old_urls_redirect(kb) -> None:
    out = imported("zendesk", kb.root / "help")
    assert "Imported 3 articles from zendesk" in out
    assert "refund-button.png is still on Zendesk's servers" in out  # images and attachments to move
    assert "attachment https://acme.zendesk.com/hc/en-us/article_attachments/360008888888/address-form.pdf" in out
    articles = json.loads((FIXTURES / "zendesk" / "articles.json").read_text(encoding="utf-8"))["articles"]
    site = kb.root / "help" / "site"
    for article in articles:
        found = run("search", article["title"], "--json")
        assert found.exit_code == 0, found.output
        assert json.loads(found.output)[0]["title"] == article["title"]
        for old in (f"hc/en-us/articles/{article['id']}", article["html_url"].split("/", 3)[3]):
            redirect = (site / old / "index.html").read_text(encoding="utf-8")
            assert 'http-equiv="refresh"' in redirect, old
    refund = (site / "billing" / "refunds" / "how-do-i-get-a-refund" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../invoices/where-is-my-invoice/"' in refund  # a link to an article became a link to its page
    invoice = (site / "billing" / "invoices" / "where-is-my-invoice" / "index.html").read_text(encoding="utf-8")
    assert "<table>" in invoice and 'how-do-i-get-a-refund/#h_01HB"' in invoice  # heading ids kept for deep links


def test_import_never_replaces_a_file(kb) -> None:
    mine = kb({"help/content/billing/refunds/how-do-i-get-a-refund.md": "# My own refund article\n"})
    before = (mine / "help/content/billing/refunds/how-do-i-get-a-refund.md").read_bytes()
    result = run("import", str(FIXTURES / "zendesk"), "--out", str(kb.root / "help"))
    assert result.exit_code == 1
    assert "how-do-i-get-a-refund.md already exist" in result.stderr and "--out" in result.stderr
    assert (mine / "help/content/billing/refunds/how-do-i-get-a-refund.md").read_bytes() == before
    assert not (kb.root / "help" / "kbgen.yml").exists()  # nothing at all was written
    assert sorted(p.name for p in (kb.root / "help" / "content").rglob("*")) == [
        "billing", "how-do-i-get-a-refund.md", "refunds"]


def test_import_in_place_of_a_hugo_site_refuses_its_own_content_folder(kb) -> None:
    shutil.copytree(FIXTURES / "hugo", kb.root / "gadget")
    result = run("import", str(kb.root / "gadget"), "--out", str(kb.root / "gadget"))
    assert result.exit_code == 1 and "already exist" in result.stderr
    assert not (kb.root / "gadget" / "kbgen.yml").exists()


def test_a_folder_of_unknown_kind_is_a_clear_error(kb) -> None:
    kb({"notes/readme.txt": "hello"})
    result = run("import", "notes")
    assert result.exit_code == 1 and "--from" in result.stderr


@pytest.mark.parametrize("tool", ["mkdocs", "docusaurus", "hugo"])
def test_the_other_tools_fixture_projects_import_and_build_with_nothing_left_as_markup(tool, kb) -> None:
    """The projects tests/test_other_tools.py builds in place (tabs, callouts, includes, cross-references in each
    tool's syntax) also import: the imported site builds strictly and no page shows the old tool's markup."""
    result = run("import", str(REPO / "tests" / "sites" / f"from-{tool}"), "--out", str(kb.root / "help"))
    assert result.exit_code == 0, result.output
    assert "not in mkdocs.yml's nav" not in result.output  # an included file is part of a page, not a lost page
    os.chdir(kb.root / "help")
    built = run("build", "--strict")
    assert built.exit_code == 0, built.output
    for page in (kb.root / "help" / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for markup in (":::", "=== \"", "=== &quot;", "{{<", "{%", "--8<--", "<Tabs", "<TabItem"):
            assert markup not in text, (page, markup)
