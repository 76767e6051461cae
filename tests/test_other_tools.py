"""A team moving from MkDocs, Docusaurus, Hugo, Jekyll or Microsoft Learn points kbgen at its docs folder (issue 23).

Each fixture under tests/sites/from-*/ is a small project in that tool's documented syntax, with a kbgen.yml written
beside it. It builds with `--strict`, and no construct of the other tool reaches a page as literal markup: tabs,
callouts, includes and cross-reference links are rendered; what kbgen does not understand is a located warning.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run

SITES = REPO / "tests" / "sites"
TOOLS = ["from-mkdocs", "from-docusaurus", "from-hugo", "from-jekyll", "from-learn"]
#: What another tool's Markdown looks like when it reaches a page unconverted.
LITERAL_MARKUP = (":::", "===", "{{<", "{{%", "{%", "--8<--", "[!include", "[!INCLUDE", "<Tabs", "<TabItem",
                  "import ")


def built(tool: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / tool
    shutil.copytree(SITES / tool, project)
    monkeypatch.chdir(project)
    result = run("build", "--strict")
    assert result.exit_code == 0, result.output
    assert "no warnings" in result.stdout
    return project / "site"


def content_of(page: Path) -> str:
    """The article's own part of a built page, as a reader's text (entities decoded)."""
    text = page.read_text(encoding="utf-8")
    body = text.split('<div class="content">', 1)[1].split('<section class="feedback"', 1)[0]
    return html.unescape(body)


def raw_pages(site: Path) -> dict[str, str]:
    """Each article page's own part as HTML."""
    found = {}
    for p in site.rglob("index.html"):
        text = p.read_text(encoding="utf-8")
        if '<div class="content">' in text:
            found[p.parent.relative_to(site).as_posix()] = text.split('<div class="content">', 1)[1].split(
                '<section class="feedback"', 1)[0].strip()
    return found


def pages(site: Path) -> dict[str, str]:
    return {p.parent.relative_to(site).as_posix(): content_of(p) for p in site.rglob("index.html")
            if '<div class="content">' in p.read_text(encoding="utf-8")}


@pytest.mark.parametrize("tool", TOOLS)
def test_a_project_from_another_tool_builds_strictly_with_nothing_left_as_markup(
        tool: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = built(tool, tmp_path, monkeypatch)

    found = pages(site)
    assert len(found) >= 3
    left = {url: [m for m in LITERAL_MARKUP if m in text] for url, text in found.items()}
    assert {url: m for url, m in left.items() if m} == {}
    assert not (site / "includes").exists()  # fragments that are only included are not pages
    # And what they become, page by page, is the reviewed output (KBGEN_UPDATE_GOLDEN=1 rewrites it).
    golden = SITES.parent / "golden-other-tools" / f"{tool}.html"
    output = "".join(f"<!-- {url} -->\n{raw}\n" for url, raw in sorted(raw_pages(site).items()))
    output = re.sub(r"<time[^>]*>[^<]*</time>", "<time>…</time>", output)  # file times: the day of the checkout
    if os.environ.get("KBGEN_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8"), f"{tool}'s pages differ from {golden.name}"


def test_mkdocs_tabs_snippets_admonitions_and_mermaid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = built("from-mkdocs", tmp_path, monkeypatch)
    page = (site / "getting-started" / "install" / "index.html").read_text(encoding="utf-8")

    labels = re.findall(r'<div class="kb-tab" id="([^"]+)" data-kb-tab="([^"]+)">', page)
    assert labels == [("tab-windows", "Windows"), ("tab-macos", "macOS"), ("tab-linux", "Linux")]
    assert "AcmeSync-Setup.exe" in page and "acme-sync" in page  # every panel's text is in the page
    assert "200 MB of free disk space" in page and "support@acme.test" in page  # the snippets, put in
    assert '<details class="admonition note is-collapsible collapsible-closed">' in page  # `???`
    assert "Administrator rights" in page
    assert 'class="kb-diagram-note"' in page and "language-mermaid" in page
    assert 'href="https://github.com/acme/sync-docs/edit/main/docs/getting-started/install.md"' in page
    assert 'class="announcement"' in page


def test_docusaurus_tabs_nested_admonitions_and_sidebar_fields(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    site = built("from-docusaurus", tmp_path, monkeypatch)
    page = (site / "guides" / "accept-a-payment" / "index.html").read_text(encoding="utf-8")

    assert re.findall(r'data-kb-tab="([^"]+)"', page) == ["Node.js", "Python"]
    assert 'class="language-js"' in page  # the indented code inside <TabItem> is code, not an indented block
    caution = page.index('<div class="admonition warning">')
    assert caution < page.index('<div class="admonition note">') < page.index("</div>", page.index("Switch to"))
    assert "Live mode" in page and '<time datetime="2026-10-01">' in page  # last_update.date
    listing = (site / "guides" / "index.html").read_text(encoding="utf-8")
    assert ">Accept a payment</a>" in listing  # sidebar_label is the short title in lists


def test_hugo_shortcodes_become_tabs_callouts_and_checked_links(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    site = built("from-hugo", tmp_path, monkeypatch)
    page = (site / "docs" / "mail-apps" / "index.html").read_text(encoding="utf-8")

    assert re.findall(r'data-kb-tab="([^"]+)"', page) == ["Outlook", "Apple Mail", "Thunderbird"]
    assert '<div class="admonition warning">' in page and "App passwords" in page
    assert 'href="../spam/"' in page and '<time datetime="2026-09-15">' in page  # relref; lastmod
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="docs/mail-apps/"' in home  # ref from the content root


def test_jekyll_includes_links_and_highlight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = built("from-jekyll", tmp_path, monkeypatch)
    page = (site / "guide" / "schedule" / "index.html").read_text(encoding="utf-8")

    assert "<strong>30 days</strong>" in page and "adds a copy" in page  # _includes/ and include_relative
    assert 'class="language-sh"' in page and 'href="../restore/"' in page
    assert not (site / "guide" / "restore-note").exists()  # included only: not a page of its own
    assert 'href="guide/schedule/"' in (site / "index.html").read_text(encoding="utf-8")  # baseurl + link


def test_microsoft_learn_includes_images_and_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = built("from-learn", tmp_path, monkeypatch)
    page = (site / "build" / "install" / "index.html").read_text(encoding="utf-8")

    assert 'id="prerequisites"' in page and "Windows 10 or later" in page and "ms.topic" not in page
    assert "<p><strong>x64</strong> builds" in page  # columns read one after another, not as code
    assert re.search(r'<img src="../media/installer.png" [^>]*alt="The installer with the C\+\+ workload selected."',
                     html.unescape(page))
    assert "Acme C++ Build Tools prints its version" in html.unescape(page)  # an include inside a sentence
    assert '<time datetime="2025-10-02">' in page  # ms.date, written MM/DD/YYYY
    quoted = (site / "build" / "build-a-project" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="markdown-alert[^"]*">.*<img [^>]*alt="The output window\."', quoted, re.S)
    assert 'href="../../"' in page  # ~/index.md from inside an include
    assert 'href="https://learn.microsoft.com/windows/apps/windows-sdk/"' in (site / "index.html").read_text(
        encoding="utf-8")


def test_check_verbose_lists_each_ignored_field_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SITES / "from-learn", tmp_path / "kb")
    monkeypatch.chdir(tmp_path / "kb")

    result = run("check", "--verbose")

    assert result.exit_code == 0, result.output
    listed = re.findall(r"front-matter field '([^']+)' is not read by kbgen \((\d+) article", result.stderr)
    assert sorted(listed) == [("author", "1"), ("ms.author", "1"), ("ms.topic", "2")]
    assert "docs/build/install.md:6: front-matter field 'author'" in result.stderr


def test_other_tools_order_and_titles_feed_kbgen_fields(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    kb({"content/guide/_category.yml": "title: Guide\n",
        "content/guide/zebra.md": "---\ntitle: Zebra crossing\nweight: 1\nlinkTitle: Zebra\n---\nText.\n",
        "content/guide/apple.md": "---\ntitle: Apple\nsidebar_position: 2\ndate: 2024-01-02\n---\nText.\n",
        "content/guide/mango.md": "---\ntitle: Mango\nnav_order: two\n---\nText.\n"})

    result = run("build")

    assert result.exit_code == 1
    assert "content/guide/mango.md:3: error[field-type]: 'nav_order' (read as `order`)" in result.stderr
    Path("content/guide/mango.md").write_text("---\ntitle: Mango\nnav_order: 3\n---\nText.\n", encoding="utf-8")
    assert run("build").exit_code == 0
    listing = Path("site/guide/index.html").read_text(encoding="utf-8")
    assert listing.index(">Zebra</a>") < listing.index(">Apple</a>") < listing.index(">Mango</a>")
    assert '<time datetime="2024-01-02">' in Path("site/guide/apple/index.html").read_text(encoding="utf-8")


def test_what_kbgen_does_not_understand_is_a_located_warning(kb) -> None:
    kb({"content/page.md": (
        "# Page\n\n"  # 1
        "import Chart from '@site/src/Chart';\n\n"  # 3
        "<Chart data={[1, 2]} />\n\n"  # 5
        ":::code language=\"cpp\" source=\"x.cpp\":::\n\n"  # 7
        "{{< youtube dQw4w9WgXcQ >}}\n\n"  # 9
        "{% if site.beta %}Beta{% endif %}\n\n"  # 11
        "--8<-- \"missing.md\"\n\n"  # 13
        "[!INCLUDE[gone](~/includes/gone.md)]\n")})  # 15

    result = run("build")

    assert result.exit_code == 1  # a missing include is an error: the page would lose text
    for line, code in [(3, "mdx-syntax"), (5, "mdx-syntax"), (7, "unknown-directive"), (9, "unknown-shortcode"),
                       (11, "template-syntax"), (13, "missing-include"), (15, "missing-include")]:
        assert re.search(rf"^content/page\.md:{line}: \w+\[{code}\]", result.stderr, re.M), (line, code)
    assert "looked for includes/gone.md" in result.stderr


def test_the_live_preview_follows_an_edit_of_an_included_file(kb) -> None:
    from kbgen.pipeline import BuildOptions
    from kbgen.serve.plan import plan_changes
    from kbgen.serve.session import PreviewSession

    root = kb({"content/guide/setup.md": "# Setup\n\n[!include[steps](../includes/steps.md)]\n",
               "content/includes/steps.md": "Press the red button.\n"})
    session = PreviewSession(BuildOptions(), log=lambda line: None)
    assert "red button" in session.page("guide/setup/index.html")
    assert session.page("includes/steps/index.html") is None

    step = root / "content/includes/steps.md"
    step.write_text("Press the green button.\n", encoding="utf-8")
    session.apply(plan_changes([step], [], root / "kbgen.yml", root / "content", [root / "themes"]))

    assert "green button" in session.page("guide/setup/index.html")
    assert session.page("includes/steps/index.html") is None
    new = root / "content/guide/more.md"
    new.write_text("# More\n", encoding="utf-8")  # a new file: the folder is listed again
    session.apply(plan_changes([new], [], root / "kbgen.yml", root / "content", [root / "themes"]))
    assert session.page("guide/more/index.html") and session.page("includes/steps/index.html") is None


def test_an_mdx_file_is_reported_not_published_as_a_raw_file(kb) -> None:
    kb({"content/index.md": "# Home\n", "content/guide.mdx": "# Guide\n\n<Tabs></Tabs>\n"})

    result = run("build")

    assert result.exit_code == 0
    assert "content/guide.mdx: warning[mdx-syntax]: an MDX file" in result.stderr
    assert not Path("site/guide.mdx").exists()


@pytest.mark.parametrize("line", [":::note", '=== "Tab"', "<Tabs>", "{{< notice >}}", "::::tip x", "  :::row:::"])
def test_a_hostile_file_of_unclosed_blocks_builds_in_bounded_time(kb, line: str) -> None:
    kb({"content/page.md": "# Page\n\n" + "\n".join(f"{'    ' * (i % 3) if '=' in line else ''}{line}"
                                                   for i in range(5_000)) + "\n"})

    result = run("build")

    assert result.exit_code == 0, result.output[-1000:]
    assert Path("site/page/index.html").is_file()


def test_an_included_file_over_the_size_limit_is_reported_not_read(kb) -> None:
    kb({"kbgen.yml": "limits: {max_article_bytes: 2KB}\n",
        "content/page.md": "# Page\n\n--8<-- \"includes/big.md\"\n",
        "content/includes/big.md": "x" * 5000 + "\n"})

    result = run("build")

    assert result.exit_code == 1
    assert "content/includes/big.md:1: error[file-too-large]" in result.stderr
    assert "missing-include" not in result.stderr


def test_a_hugo_section_page_is_reported_until_renamed(kb) -> None:
    kb({"content/index.md": "# Home\n", "content/docs/_index.md": "---\ntitle: Docs\n---\nAll the docs.\n"})

    result = run("build")

    assert result.exit_code == 0
    assert "content/docs/_index.md: warning[hugo-section-index]" in result.stderr


def test_a_microsoft_learn_cross_reference_is_a_warning_and_plain_text(kb) -> None:
    """`<xref:…>` names a page of Microsoft's API reference, which the help centre does not have: a warning of
    its own on its line, shown as text — not an unsafe-url error, which stopped en-cpp-docs (709 of them)."""
    kb({"content/strings.md": "# Strings\n\nSee <xref:System.String>.\n\nAnd [the class](xref:System.String).\n"})
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "content/strings.md:3: warning[xref-link]: 'xref:System.String'" in result.stderr
    assert "content/strings.md:5: warning[xref-link]" in result.stderr
    assert "unsafe-url" not in result.stderr
    page = (kb.root / "site" / "strings" / "index.html").read_text(encoding="utf-8")
    assert "the class" in page and 'href="xref:' not in page


def test_a_cpp_name_in_angle_brackets_is_text_not_a_link(kb) -> None:
    """CommonMark reads `<std::vector>` as a link of the scheme `std`; in a programming language's docs it is a
    name. It is shown as text, with no link to nowhere and no unsafe-url error (en-cpp-docs has 250 of them)."""
    kb({"content/vectors.md": "# Vectors\n\nUse <std::vector> or <System::String^>, see <https://example.com/x>.\n"})
    result = run("build", "--strict")
    assert result.exit_code == 0, result.output
    page = (kb.root / "site" / "vectors" / "index.html").read_text(encoding="utf-8")
    assert "Use std::vector or System::String^, see" in page
    assert 'href="std::' not in page and 'href="System::' not in page
    assert '<a href="https://example.com/x">' in page  # a real autolink stays one
