"""Code blocks are coloured exactly as Pygments' own lexers and HTML formatter would colour them (kbgen runs
Pygments' lexers through a faster loop of its own, `fastlex`), and a fence in a language Pygments does not know
stays plain code."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from conftest import CORPORA, REPO, run, write_files
from markdown_it import MarkdownIt
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name

from kbgen.markdown import fastlex
from kbgen.markdown.firstchars import first_chars
from kbgen.markdown.highlight import highlight, lexer_for, spans

TRICKY = [
    ("python", 'def f(x):\n    """Doc\n    string"""\n    return x < 1 and x > 0 & 1\n'),
    ("python", "x = 1"),  # no newline at the end
    ("python", "\n\n\nx = 1\n\n\n"),  # blank lines around
    ("js", "/* a comment\n\nover lines */\nconst s = `a\n${b}\nc`;\n"),
    ("html", '<script>\nconst a = "<b>&amp;";\n</script>\n<style>p { color: red }</style>\n'),
    ("bash", "echo 'a\nb' | grep -v \"c\" > out.txt\n"),
    ("css", "@media (max-width: 10px) {\n  a::before { content: '\\201C'; }\n}\n"),
    ("yaml", "key: value\nlist:\n  - one  # comment\n"),
    # C++ names its standard types after the loop (std::size_t is a type); a raw string's delimiter is a
    # back-reference, which keeps its own regex call
    ("cpp", 'std::size_t n = 0;\nauto s = R"x(a ")" b)x";\n#include <vector>\nint main() { return n; }\n'),
    ("c", "#if 0\nskipped\n#endif\nuint8_t a = L'x';\n"),
    ("bash", "cat <<EOF\n$HOME\nEOF\necho done\n"),  # a here-document's end is a back-reference
    ("rust", 'let s = br#"raw "quoted""#;\n'),  # an inline global flag, (?s), keeps its own call
    ("md", "# Title\n\n```python\nx = 1\n```\n"),  # a verbose (?x) rule keeps its own call
    ("php", "<?php\n$a = <<<EOT\ntext\nEOT;\necho $a;\n"),
    ("csharp", 'var s = $"{a}";\n'),
]


def fences(folder: Path) -> list[tuple[str, str]]:
    """(language, code) of every fenced block with a language in the Markdown files under `folder`."""
    md = MarkdownIt("commonmark")
    found = []
    for path in sorted(folder.rglob("*.md")):
        for token in md.parse(path.read_text(encoding="utf-8", errors="replace")):
            if token.type == "fence" and token.info.strip():
                found.append((token.info.split()[0], token.content))
    return found


def assert_same_as_pygments(blocks: list[tuple[str, str]]) -> int:
    """Each block through kbgen's loop (`fastlex`, which a lexer gets only after much code) and Pygments' own."""
    formatter = HtmlFormatter(nowrap=True)
    compared = 0
    for lang, code in blocks:
        if lexer_for(lang) is None:
            continue
        assert spans(code, _fast(lang.lower())) == pygments_highlight(code, _plain(lang.lower()), formatter), \
            (lang, code[:200])
        compared += 1
    return compared


@functools.cache
def _fast(lang: str) -> Lexer:
    lexer = _plain(lang)
    fastlex.accelerate(lexer)
    return lexer


@functools.cache
def _plain(lang: str) -> Lexer:
    return get_lexer_by_name(lang, stripnl=False, ensurenl=False)


def test_code_is_coloured_byte_for_byte_as_pygments_colours_it():
    assert assert_same_as_pygments(TRICKY + fences(REPO / "content")) > len(TRICKY)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not beside the repo")
@pytest.mark.parametrize("corpus", ["ru-doka", "en-arduino-helpcenter", "en-cpp-docs"])
def test_every_code_block_of_a_real_knowledge_base_is_coloured_as_pygments_colours_it(corpus):
    blocks = fences(CORPORA / corpus / "articles")
    assert assert_same_as_pygments(blocks) > 0.9 * len(blocks)


def test_a_language_gets_the_faster_loop_after_much_code_and_not_before():
    """The comparisons above would pass just as well if `fastlex` quietly stood aside; and a help centre with a few
    examples should not pay for building it."""
    lexer = get_lexer_by_name("cpp", stripnl=False, ensurenl=False)
    code = "int main() { return 0; }\n"
    for _ in range(fastlex.ACCELERATE_AFTER // len(code)):
        spans(code, lexer)
    assert "get_tokens_unprocessed" not in vars(lexer)
    html = spans(code * 2, lexer)
    assert "get_tokens_unprocessed" in vars(lexer)
    assert html == pygments_highlight(code * 2, _plain("cpp"), HtmlFormatter(nowrap=True))
    for lang in ["c", "python", "js", "bash", "csharp", "html", "css"]:
        assert "get_tokens_unprocessed" in vars(_fast(lang)), lang


def test_a_block_highlighted_again_comes_from_the_memo_and_only_for_its_own_language():
    """The preview renders an article again on every save: its unchanged code blocks are not lexed again."""
    code = "let total = price * 2; // 'x' < y\n"
    js, python = lexer_for("js"), lexer_for("python")
    first = highlight(code, js)
    assert first == pygments_highlight(code, _plain("js"), HtmlFormatter(nowrap=True))
    assert highlight(code, js) is first  # the very string: nothing was lexed
    assert highlight(code, python) == pygments_highlight(code, _plain("python"), HtmlFormatter(nowrap=True)) != first


def test_a_rule_is_left_out_at_a_character_only_where_it_cannot_match_there():
    """`fastlex` tries at a position only the rules `first_chars` allows for its character: wherever a rule of
    these lexers matches in the snippets above, at any position, its first character is one of those."""
    checked = 0
    for lang, code in TRICKY:
        lexer = get_lexer_by_name(lang)
        for rules in lexer._tokens.values():
            for match, _action, _state in rules:
                pattern = getattr(match, "__self__", None)
                starts = first_chars(pattern) if pattern is not None else None
                if starts is None:
                    continue
                for pos in range(len(code) + 1):
                    if match(code, pos):
                        assert code[pos:pos + 1] in starts, (lang, pattern.pattern, code[pos:])
                        checked += 1
    assert checked > 500


def test_a_language_pygments_does_not_know_is_shown_as_plain_escaped_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"content/setup.md": """
        # Setup

        ```no-such-language
        <b>not bold</b>
        ```

        ```JS
        const a = 1;
        ```
        """})
    assert run("build").exit_code == 0
    page = (tmp_path / "site/setup/index.html").read_text(encoding="utf-8")
    assert '<code class="language-no-such-language">&lt;b&gt;not bold&lt;/b&gt;\n</code>' in page
    assert '<span class="kd">const</span>' in page
    assert lexer_for("no-such-language") is None and lexer_for("JS") is lexer_for("js")
