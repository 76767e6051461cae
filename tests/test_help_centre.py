"""kbgen's own help centre (`content/`, `kbgen.yml`): it builds cleanly, documents everything, in both languages.

The reference tables are generated from the code's own tables, so a config key, diagnostic code or front-matter
field added without a `### \\`name\\`` section in each language fails here, naming what is missing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run

from kbgen.config.frontmatter import FRONT_MATTER_FIELDS
from kbgen.config.settings import CONFIG_FIELDS
from kbgen.core.diagnostics import CODES

CONTENT = REPO / "content"
LANGUAGES = ("en", "ru")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_REFERENCE_HEADING = re.compile(r"^### `([^`]+)`\s*(?:\{#[^}]*\})?\s*$")

DOCUMENTED_NAMES = {
    "config key": [f.name for f in CONFIG_FIELDS],
    "diagnostic code": list(CODES),
    "front-matter field": [f.name for f in FRONT_MATTER_FIELDS],
}


def reference_headings(lang: str) -> set[str]:
    """Every `### \\`name\\`` heading in the language's articles, outside code blocks."""
    names: set[str] = set()
    for path in (CONTENT / lang).rglob("*.md"):
        fence: str | None = None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = _FENCE.match(line)
            if fence is not None:
                if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                    fence = None
                continue
            if m:
                fence = m.group(1)
                continue
            heading = _REFERENCE_HEADING.match(line)
            if heading:
                names.add(heading.group(1))
    return names


def pages_of(lang: str) -> set[str]:
    """Articles and category files of one language, as paths relative to its folder."""
    root = CONTENT / lang
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in (".md", ".yml")}


def test_the_help_centre_builds_strictly_with_no_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy, so the test neither needs nor touches the checkout's site/ and .kbgen/.
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copy(REPO / "kbgen.yml", tmp_path / "kbgen.yml")
    if (REPO / "themes").is_dir():  # the help centre's own theme (`theme:` in kbgen.yml)
        shutil.copytree(REPO / "themes", tmp_path / "themes")
    monkeypatch.chdir(tmp_path)

    result = run("build", "--strict")

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "no warnings" in result.stdout
    site = tmp_path / "site"
    for lang in LANGUAGES:
        faq = next(site.glob(f"{lang}/faq/common-questions/index.html"))
        assert "kbgen" in faq.read_text(encoding="utf-8")
    for home in (site / lang / "index.html" for lang in LANGUAGES):
        text = home.read_text(encoding="utf-8")  # kbgen is not on PyPI: a clone or a wheel built from one
        assert "pip install kbgen<" not in text and "<code>pip install .</code>" in text
    html = (site / "ru" / "reference" / "configuration" / "index.html").read_text(encoding="utf-8")
    assert 'id="severity"' in html and "{{&lt;" not in html and "{{<" not in html  # variables were expanded


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", DOCUMENTED_NAMES)
def test_every_name_in_the_code_is_documented(lang: str, kind: str) -> None:
    documented = reference_headings(lang)
    missing = [name for name in DOCUMENTED_NAMES[kind] if name not in documented]
    assert not missing, (f"content/{lang}/ has no `### \\`name\\`` section for these {kind}s: "
                         f"{', '.join(missing)}; document each in an article of your feature's folder")


def test_every_page_has_a_translation() -> None:
    en, ru = pages_of("en"), pages_of("ru")
    assert en, "content/en/ is empty"
    assert not en - ru, f"no Russian translation (same path under content/ru/) of: {sorted(en - ru)}"
    assert not ru - en, f"no English translation (same path under content/en/) of: {sorted(ru - en)}"


def test_every_folder_has_a_category_file() -> None:
    # Folders of articles are categories; a folder of images next to an article is not.
    folders = {p.parent for lang in LANGUAGES for p in (CONTENT / lang).rglob("*.md")}
    missing = sorted(d.relative_to(REPO).as_posix() for d in folders if not (d / "_category.yml").is_file())
    assert not missing, f"folders without a _category.yml (title, order): {missing}"


def test_snippets_exist_in_both_languages() -> None:
    snippets = CONTENT / "_snippets"
    en = {p.relative_to(snippets / "en").as_posix() for p in (snippets / "en").rglob("*.md")}
    ru = {p.relative_to(snippets / "ru").as_posix() for p in (snippets / "ru").rglob("*.md")}
    assert en == ru


def test_each_language_has_a_faq_page_with_at_least_eight_questions() -> None:
    for lang in LANGUAGES:
        faqs = [p for p in (CONTENT / lang).rglob("*.md")
                if re.search(r"^type: faq\s*$", p.read_text(encoding="utf-8"), re.M)]
        assert faqs, f"content/{lang}/ has no `type: faq` page"
        questions = max(len(re.findall(r"^## ", p.read_text(encoding="utf-8"), re.M)) for p in faqs)
        assert questions >= 8
