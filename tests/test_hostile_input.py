"""Small hostile files end quickly, as a located error or a correct site (issue 17).

Each used to take from 20 s to minutes, some with gigabytes of memory. Each build runs in its own process with a
generous timeout, so a regression fails here instead of hanging CI; by hand, each now ends within a few seconds.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import run, write_files

TIMEOUT = 30  # seconds; each build takes about one here

#: 306 bytes: nine lists of nine aliases of the list above, a billion "x" written out.
ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{name}: &{name} [{','.join(['*' + above] * 9)}]\n" for above, name in zip("abcdefgh", "bcdefghi", strict=True))


def build(root: Path) -> subprocess.CompletedProcess:
    """`kbgen build` in `root`, in a process of its own that is killed after TIMEOUT seconds."""
    return subprocess.run([sys.executable, "-m", "kbgen", "build"], cwd=root, capture_output=True, text=True,
                          timeout=TIMEOUT)


def test_an_alias_bomb_in_front_matter_is_an_error_at_its_line(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/index.md": f"---\ntitle: Hi\n{ALIAS_BOMB}---\nHello.\n"})

    result = build(tmp_path)

    assert result.returncode == 1
    # Line 3 is `a:`, so the collection whose aliases pass 10,000 values (9^5) is `e:` on line 7.
    assert "content/index.md:7: error[yaml-syntax]:" in result.stderr
    assert "repeat more than 10,000 values" in result.stderr
    assert not (tmp_path / "site").exists()


def test_an_alias_bomb_in_a_category_file_or_kbgen_yml_is_an_error_too(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/index.md": "# Hi\n", "content/billing/_category.yml": ALIAS_BOMB,
                           "content/billing/refunds.md": "# Refunds\n"})
    result = build(tmp_path)
    assert "content/billing/_category.yml:5: error[yaml-syntax]:" in result.stderr, result.stdout

    (tmp_path / "kbgen.yml").write_text(ALIAS_BOMB, encoding="utf-8")
    result = build(tmp_path)
    assert result.returncode == 1
    assert "kbgen.yml:5: error[config-syntax]: invalid YAML: its aliases (*name) repeat more than 10,000 values" in (
        result.stderr)


def test_an_alias_inside_its_own_value_is_an_error_not_a_crash(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/index.md": "---\ntitle: Hi\nloop: &loop [*loop]\n---\nHello.\n"})

    result = build(tmp_path)

    assert result.returncode == 1
    assert "content/index.md:3: error[yaml-syntax]:" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_snippet_bomb_is_an_error_at_the_article_line_that_includes_it(tmp_path: Path) -> None:
    # Seven levels, each including the next nine times: 531,441 copies of the last one's line.
    snippets = {f"content/_snippets/{a}.md": f"{{{{< snippet {b} >}}}}\n" * 9
                for a, b in zip("abcdef", "bcdefg", strict=True)}
    write_files(tmp_path, {**snippets, "content/_snippets/g.md": "lol " * 10 + "\n",
                           "content/index.md": "# Hi\n\nIntro.\n\n{{< snippet a >}}\n"})

    result = build(tmp_path)

    assert result.returncode == 1
    assert "content/index.md:5: error[snippet-limit]: with its snippets in place this article would be longer " \
           "than 5 MB" in result.stderr


def test_snippets_nested_more_than_ten_deep_are_an_error(tmp_path: Path) -> None:
    chain = {f"content/_snippets/s{i}.md": f"{{{{< snippet s{i + 1} >}}}}\n" for i in range(11)}
    write_files(tmp_path, {**chain, "content/_snippets/s11.md": "Deep.\n",
                           "content/index.md": "# Hi\n\n{{< snippet s0 >}}\n"})

    result = build(tmp_path)

    assert "content/index.md:3: error[snippet-limit]: snippets include snippets more than 10 deep" in result.stderr


def test_a_long_line_of_colons_builds_as_text(tmp_path: Path) -> None:
    colons = ":" * 200_000
    write_files(tmp_path, {"content/index.md": f"# Hi\n\n{colons}\n\nSee https://example.com/docs.\n"})

    result = build(tmp_path)

    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert colons in html
    assert '<a href="https://example.com/docs">https://example.com/docs</a>.' in html  # autolinks still work


def test_a_long_line_of_unclosed_shortcodes_builds_as_text(tmp_path: Path) -> None:
    line = "{{< a " * 19_000
    write_files(tmp_path, {"content/index.md": f"# Hi\n\n{line}\n\n{{{{< var product >}}}} works.\n",
                           "kbgen.yml": "variables: {product: Acme}\n"})

    result = build(tmp_path)

    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "{{&lt; a {{&lt; a" in html and "<p>Acme works.</p>" in html


def test_sixteen_thousand_identical_headings_are_numbered_in_order(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/index.md": "# Hi\n\n" + "## Step\n\ntext\n\n" * 16_000})

    result = build(tmp_path)

    assert result.returncode == 0, result.stderr
    ids = re.findall(r'<h2 id="([^"]+)"', (tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert ids == ["step"] + [f"step-{n}" for n in range(1, 16_000)]


def test_an_article_over_the_size_limit_is_an_error_naming_its_size(kb) -> None:
    kb({"content/index.md": "# Hi\n", "content/big.md": "# Big\n\n" + "word " * 300_000,
        "kbgen.yml": "limits: {max_article_bytes: 1MB}\n"})

    result = run("build")

    assert result.exit_code == 1
    assert ("content/big.md:1: error[file-too-large]: the file is 1.5 MB, over the limit of 1 MB kbgen reads; make "
            "it smaller (split an article in two), or raise `limits: {max_article_bytes: …}` in kbgen.yml"
            ) in result.stderr


def test_a_huge_snippet_category_file_or_static_file_is_refused_without_being_read(tmp_path: Path) -> None:
    # Sparse files: gigabytes to `stat`, nothing on disk. (A link to /dev/zero never gets this far: it leads out of
    # the content folder, so discovery skips it — tests/test_content_files.py.)
    write_files(tmp_path, {"content/index.md": "# Hi\n", "content/billing/refunds.md": "# Refunds\n"})
    (tmp_path / "content" / "_snippets").mkdir()
    for rel, size in [("_snippets/note.md", 6_000_000), ("billing/_category.yml", 6_000_000),
                      ("billing/form.pdf", 2_000_000_000)]:
        with open(tmp_path / "content" / rel, "wb") as f:
            f.truncate(size)

    result = build(tmp_path)

    assert result.returncode == 1
    assert ("content/_snippets/note.md:1: error[file-too-large]: the file is 6 MB, over the limit of 5 MB"
            in result.stderr)
    assert "content/billing/_category.yml:1: error[file-too-large]: the file is 6 MB" in result.stderr
    assert "content/billing/form.pdf:1: error[file-too-large]: the file is 2,000 MB, over the limit of 100 MB" in (
        result.stderr)


def test_a_static_file_over_its_limit_is_an_error_before_anything_is_written(kb) -> None:
    kb({"content/index.md": "# Hi\n", "content/manual.pdf": b"%PDF" + b"0" * 2_000_000,
        "kbgen.yml": "limits:\n  max_file_bytes: 1MB\n"})

    result = run("build")

    assert result.exit_code == 1
    assert "content/manual.pdf:1: error[file-too-large]: the file is 2 MB, over the limit of 1 MB" in result.stderr
    assert "`limits: {max_file_bytes: …}`" in result.stderr
    assert not (kb.root / "site").exists()


def test_a_size_limit_that_is_not_a_size_is_a_config_error(kb) -> None:
    kb({"content/index.md": "# Hi\n", "kbgen.yml": "site_name: S\nlimits:\n  max_file_bytes: lots\n"})

    result = run("build")

    assert result.exit_code == 1
    assert ("kbgen.yml:2: error[config-invalid]: 'limits': 'max_file_bytes' is a size such as 5000000, 500KB or 5MB, "
            "got 'lots'") in result.stderr
