"""The writer's story at the command line: init, new, build, check, and what each prints and exits with."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run

from kbgen import __version__


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_init_then_build_makes_a_site(kb) -> None:
    result = run("init", "help")
    assert result.exit_code == 0, result.output
    assert (kb.root / "help" / "kbgen.yml").is_file()
    os.chdir(kb.root / "help")
    result = run("build")
    assert result.exit_code == 0, result.output
    site = kb.root / "help" / "site"
    assert (site / "index.html").is_file()
    assert (site / "getting-started" / "welcome" / "index.html").is_file()
    assert "Built" in result.stdout and "no warnings" in result.stdout
    welcome = (site / "getting-started" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert "My Product" in welcome  # the starter's {{< var product >}}
    assert 'href="../../faq/general/"' in welcome


def test_init_refuses_to_overwrite(kb) -> None:
    assert run("init").exit_code == 0
    result = run("init")
    assert result.exit_code == 1
    assert "already" in result.stderr


def test_new_creates_an_article_that_builds(kb) -> None:
    kb({"content/.keep": ""})
    result = run("new", "How do I get a refund?", "--category", "billing/refunds")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path == Path("content/billing/refunds/how-do-i-get-a-refund.md")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "How do I get a refund?"\n')
    assert run("new", "How do I get a refund?", "--category", "billing/refunds").exit_code == 1
    assert run("build").exit_code == 0
    assert (kb.root / "site/billing/refunds/how-do-i-get-a-refund/index.html").is_file()


def test_build_without_config_uses_content_and_site(kb) -> None:
    kb({"content/start.md": "# Start here\n\nHello.\n"})
    result = run("build")
    assert result.exit_code == 0
    html = (kb.root / "site/start/index.html").read_text(encoding="utf-8")
    assert "<title>Start here · Help Centre</title>" in html


def test_build_with_explicit_content_and_out(kb, tmp_path: Path) -> None:
    kb({"docs/a.md": "# A\n"})
    result = run("build", "--content", "docs", "--out", "public")
    assert result.exit_code == 0, result.output
    assert (kb.root / "public/a/index.html").is_file()
    assert not (kb.root / "site").exists()


def test_missing_content_folder_is_a_usage_error(kb) -> None:
    result = run("build", "--content", "nowhere")
    assert result.exit_code == 2
    result = run("build")
    assert result.exit_code == 2
    assert "content folder not found" in result.stderr


def test_check_writes_nothing(kb) -> None:
    kb({"content/a.md": "# A\n\n[b](b.md)\n", "content/b.md": "# B\n"})
    result = run("check")
    assert result.exit_code == 0
    assert "Checked 2 articles" in result.stdout
    assert not (kb.root / "site").exists()


def test_drafts_are_left_out_unless_asked(kb) -> None:
    kb({"content/a.md": "# A\n", "content/b.md": "---\ntitle: B\ndraft: true\n---\n"})
    assert run("build").exit_code == 0
    assert not (kb.root / "site/b").exists()
    assert run("build", "--drafts").exit_code == 0
    assert (kb.root / "site/b/index.html").is_file()


def test_link_to_a_draft_is_a_warning(kb) -> None:
    kb({"content/a.md": "# A\n\nSee [b](b.md).\n", "content/b.md": "---\ntitle: B\ndraft: true\n---\n"})
    result = run("build")
    assert result.exit_code == 0
    assert "content/a.md:3: warning[link-to-draft]" in result.stderr


def test_strict_turns_warnings_into_errors(kb) -> None:
    kb({"content/a.md": "# A\n\n![shot](missing.png)\n"})
    result = run("build")
    assert result.exit_code == 0
    assert "content/a.md:3: warning[missing-image]" in result.stderr
    assert "1 warning (missing-image ×1)" in result.stdout
    result = run("build", "--strict")
    assert result.exit_code == 1
    assert "content/a.md:3: error[missing-image]" in result.stderr


def test_severity_can_be_lowered_in_config(kb) -> None:
    kb({"kbgen.yml": "severity:\n  broken-link: warning\n", "content/a.md": "# A\n\n[x](nope.md)\n"})
    result = run("build")
    assert result.exit_code == 0
    assert "warning[broken-link]" in result.stderr


def test_quiet_prints_only_errors(kb) -> None:
    kb({"content/a.md": "# A\n\n![shot](missing.png)\n"})
    result = run("build", "-q")
    assert result.exit_code == 0
    assert result.output == ""


def test_case_only_mismatch_resolves_with_a_warning(kb) -> None:
    kb({"content/Billing/Refunds.md": "# Refunds\n", "content/a.md": "# A\n\n[r](billing/refunds.md)\n"})
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert "content/a.md:3: warning[link-case]" in result.stderr
    assert 'href="../billing/refunds/"' in (kb.root / "site/a/index.html").read_text(encoding="utf-8")


def test_file_without_front_matter_takes_its_title_from_h1_or_file_name(kb) -> None:
    kb({"content/guide/with-heading.md": "# Reset your password\n\nSteps.\n",
        "content/guide/no-heading_at-all.md": "Just text.\n"})
    assert run("build").exit_code == 0
    listing = (kb.root / "site/guide/index.html").read_text(encoding="utf-8")
    assert "Reset your password" in listing
    assert "No heading at all" in listing


def test_bom_and_crlf_are_read_like_plain_utf8(kb) -> None:
    kb({"content/win.md": "\ufeff---\r\ntitle: Windows file\r\n---\r\n\r\n## Part\r\n\r\nText.\r\n"})
    assert run("build").exit_code == 0
    html = (kb.root / "site/win/index.html").read_text(encoding="utf-8")
    assert "<title>Windows file · Help Centre</title>" in html
    assert '<h2 id="part">Part <button' in html


def test_exclude_globs_and_underscore_folders_are_not_pages(kb) -> None:
    kb({"kbgen.yml": "exclude: ['README.md', 'internal/**']\n", "content/README.md": "# Readme\n",
        "content/internal/secret.md": "# Secret\n", "content/_snippets/s.md": "Snippet\n",
        "content/public.md": "# Public\n"})
    assert run("build").exit_code == 0
    site = kb.root / "site"
    assert (site / "public/index.html").is_file()
    assert not (site / "readme").exists() and not (site / "internal").exists() and not (site / "_snippets").exists()


def test_aliases_become_redirect_pages(kb) -> None:
    kb({"content/billing/refunds.md": "---\ntitle: Refunds\naliases: [/old/refund-policy/, /faq.html]\n---\n"})
    assert run("build").exit_code == 0
    redirect = (kb.root / "site/old/refund-policy/index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../../billing/refunds/"' in redirect
    assert (kb.root / "site/faq.html").read_text(encoding="utf-8").count("billing/refunds/") >= 2


def test_alias_cannot_write_outside_the_site(kb) -> None:
    kb({"content/a.md": "---\ntitle: A\naliases: [../../outside/, https://example.com/x]\n---\n"})
    result = run("build")
    assert result.exit_code == 1
    assert "content/a.md:3: error[field-type]: alias 'https://example.com/x' is not a path inside the site" in (
        result.stderr)
    assert not (kb.root.parent / "outside").exists()


def test_new_writes_into_the_configured_content_folder(kb) -> None:
    kb({"kbgen.yml": "content_dir: docs\n", "docs/.keep": ""})
    result = run("new", "Reset password", "--category", "account")
    assert result.exit_code == 0, result.output
    assert Path(result.stdout.strip()) == Path("docs/account/reset-password.md")


def test_sitemap_and_robots(kb) -> None:
    kb({"kbgen.yml": "base_url: https://help.example.com/docs\n",
        "content/a.md": "---\ntitle: A\nupdated: 2024-01-02\n---\n"})
    assert run("build").exit_code == 0
    sitemap = (kb.root / "site/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://help.example.com/docs/a/</loc><lastmod>2024-01-02</lastmod>" in sitemap
    robots = (kb.root / "site/robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://help.example.com/docs/sitemap.xml" in robots
    page = (kb.root / "site/a/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://help.example.com/docs/a/">' in page


def test_site_theme_overrides_and_extends_default_templates(kb) -> None:
    kb({"kbgen.yml": "theme: acme\n", "content/a.md": "# A\n",
        "themes/acme/templates/base.html":
            '{% extends "default/base.html" %}{% block head %}<meta name="brand" content="acme">{% endblock %}',
        "themes/acme/assets/extra.css": "body{}"})
    assert run("build").exit_code == 0, run("build").output
    html = (kb.root / "site/a/index.html").read_text(encoding="utf-8")
    assert '<meta name="brand" content="acme">' in html and "<h1>A</h1>" in html
    assert (kb.root / "site/assets/extra.css").is_file() and (kb.root / "site/assets/kbgen.css").is_file()


def test_titles_with_markup_are_escaped_in_title_and_shown_as_code(kb) -> None:
    kb({"content/input.md": '---\ntitle: "`<input>` & forms"\n---\n'})
    assert run("build").exit_code == 0
    html = (kb.root / "site/input/index.html").read_text(encoding="utf-8")
    assert "<title>&lt;input&gt; &amp; forms · Help Centre</title>" in html
    assert "<h1><code>&lt;input&gt;</code> &amp; forms</h1>" in html


def test_output_folder_that_holds_the_content_is_refused(kb) -> None:
    kb({"content/a.md": "# A\n"})
    result = run("build", "--out", ".")
    assert result.exit_code == 1
    assert "choose another" in result.stderr
    assert (kb.root / "content/a.md").is_file()


def test_internal_errors_show_no_traceback_unless_verbose(kb, monkeypatch) -> None:
    kb({"content/a.md": "# A\n"})
    import kbgen.site.place

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(kbgen.site.place, "build_site", explode)
    result = run("build")
    assert result.exit_code == 1
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.output
    result = run("build", "--verbose")
    assert "Traceback" in result.stderr
