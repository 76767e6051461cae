"""Markdown behaviour as a table of cases (markdown-it-py's fixture-file style): input, then expected HTML.

Each case is built as `guide/page.md` of a real site next to `guide/other.md` (which has a `## Section`
heading and an image folder), so links and images resolve exactly as in a build.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import write_files

from kbgen.core.diagnostics import Diagnostics
from kbgen.pipeline import BuildOptions, build

FIXTURES = Path(__file__).parent / "fixtures" / "markdown.txt"
PNG_2x3 = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x03\x08\x02\x00\x00\x00"
           b"\x00\x00\x00\x00")


def read_fixtures(path: Path) -> list[tuple[str, str, str]]:
    """Cases separated by lines holding a single `.`: title, blank-ish line, input, `.`, expected, `.`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        if lines[i].strip() and lines[i] != "." and i + 1 < len(lines) and lines[i + 1] == ".":
            title = lines[i]
            j = lines.index(".", i + 2)
            k = lines.index(".", j + 1)
            cases.append((title, "\n".join(lines[i + 2:j]), "\n".join(lines[j + 1:k])))
            i = k + 1
        else:
            i += 1
    return cases


def render_case(root: Path, source: str) -> str:
    write_files(root, {
        "kbgen.yml": "variables:\n  product: Acme Cloud\n",
        "content/guide/page.md": source + "\n",
        "content/guide/other.md": "---\ntitle: Other\n---\n\n## Section\n\nText.\n",
        "content/guide/img/shot.png": PNG_2x3,
        "content/_snippets/greeting.md": "Hello from the snippet.\n",
    })
    result = build(BuildOptions(config=root / "kbgen.yml", write=False), Diagnostics())
    html = result.site.by_rel["guide/page.md"].html
    return re.sub(r"\n+$", "", html)


CASES = read_fixtures(FIXTURES)


@pytest.mark.parametrize("source,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_markdown_case(tmp_path: Path, source: str, expected: str) -> None:
    assert render_case(tmp_path, source) == expected


def test_fixture_file_has_cases() -> None:
    assert len(CASES) >= 20
