"""Rebuilds reuse work: nothing changed → nothing done; one article changed → only it is rendered again."""

from __future__ import annotations

import os
import re

from conftest import run


def rendered_count(output: str) -> int:
    m = re.search(r"\((\d+) articles, (\d+) rendered\)", output)
    assert m, output
    return int(m.group(2))


def test_no_change_rebuild_is_up_to_date_and_repeats_warnings(kb) -> None:
    kb({"content/a.md": "# A\n\n![x](missing.png)\n", "content/b.md": "# B\n"})
    first = run("build")
    assert rendered_count(first.stdout) == 2
    second = run("build")
    assert second.exit_code == 0
    assert "site/ is up to date" in second.stdout
    assert "content/a.md:3: warning[missing-image]" in second.stderr


def test_editing_one_article_renders_only_it(kb) -> None:
    files = {f"content/c/{i}.md": f"# Article {i}\n\nText {i}.\n" for i in range(5)}
    kb(files)
    assert rendered_count(run("build").stdout) == 5
    (kb.root / "content/c/3.md").write_text("# Article 3\n\nNew text.\n", encoding="utf-8")
    result = run("build")
    assert rendered_count(result.stdout) == 1
    assert "New text." in (kb.root / "site/c/3/index.html").read_text(encoding="utf-8")


def test_touched_output_is_rebuilt_not_trusted(kb) -> None:
    kb({"content/a.md": "# A\n"})
    run("build")
    os.remove(kb.root / "site/a/index.html")
    result = run("build")
    assert "up to date" not in result.stdout
    assert (kb.root / "site/a/index.html").is_file()


def test_config_change_rebuilds(kb) -> None:
    kb({"kbgen.yml": "site_name: One\n", "content/a.md": "# A\n"})
    run("build")
    (kb.root / "kbgen.yml").write_text("site_name: Two\n", encoding="utf-8")
    result = run("build")
    assert "up to date" not in result.stdout
    assert "· Two</title>" in (kb.root / "site/a/index.html").read_text(encoding="utf-8")


def test_snippet_change_renders_again(kb) -> None:
    kb({"content/_snippets/s.md": "Old snippet.\n", "content/a.md": "# A\n\n{{< snippet s >}}\n"})
    run("build")
    (kb.root / "content/_snippets/s.md").write_text("New snippet.\n", encoding="utf-8")
    run("build")
    assert "New snippet." in (kb.root / "site/a/index.html").read_text(encoding="utf-8")


def test_many_articles_render_in_parallel_and_match_serial(kb) -> None:
    files = {f"content/p/{i:03}.md": f"# Page {i}\n\n## Part\n\n[next](0{(i + 1) % 100:02}.md)\n"
             for i in range(100)}
    kb(files)
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert rendered_count(result.stdout) == 100
    html = (kb.root / "site/p/042/index.html").read_text(encoding="utf-8")
    assert 'href="../043/"' in html and '<h2 id="part">Part <button' in html
