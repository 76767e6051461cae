"""The two markdown-it parsers kbgen uses, each built once: an article's (GitHub's tables, alerts, task lists,
autolinks, footnotes, callouts, highlighted code) and a title's (inline text only)."""

from __future__ import annotations

import html as html_lib
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.footnote import footnote_plugin

from kbgen.markdown.autolink import gfm_autolink_plugin
from kbgen.markdown.highlight import highlight, lexer_for
from kbgen.markdown.text import inline_text


@lru_cache(maxsize=1)
def title_parser() -> MarkdownIt:
    """Titles are text: emphasis, code and strikethrough stay, raw HTML is escaped (a title shows on up to eight
    kinds of page, issue 18), and links and images are left as written, as a title is itself a link in every list."""
    md = MarkdownIt("commonmark", {"html": False})
    return md.enable("strikethrough").disable(["link", "image", "autolink"])


@lru_cache(maxsize=1)
def page_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "highlight": _highlight, "tasklists": True, "alerts": True})
    md.enable(["table", "strikethrough"])
    md.use(gfm_autolink_plugin).use(footnote_plugin).use(admon_plugin)
    # Percent-encoding a link parses the whole URL; a site links to the same pages over and over (ru-doka: 8,730
    # links, 2,798 distinct), so each distinct one is worked out once.
    md.normalizeLink = lru_cache(maxsize=8192)(md.normalizeLink)  # type: ignore[method-assign]
    # Every link becomes a token, so the `placeholders` pass applies kbgen's one scheme check (`safe_urls`) to it
    # and reports a refused one where it is: markdown-it's own filter left `javascript:` as silent text and let
    # `javascript%3A` through (issue 18).
    md.validateLink = lambda _url: True  # type: ignore[method-assign]
    md.add_render_rule("list_item_open", _task_item_open)
    return md


def _task_item_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    """`- [x] Done` as markdown-it renders it, its checkbox named after the task: a checkbox without a name is a
    critical accessibility failure (axe-core `label`; issue 18)."""
    token = tokens[idx]
    html = self.renderToken(tokens, idx, options, env)
    if token.meta and "checked" in token.meta:
        inline = next((t for t in tokens[idx + 1: idx + 3] if t.type == "inline"), None)
        name = (inline_text(inline) if inline is not None else "") or "task"
        checked = ' checked=""' if token.meta["checked"] else ""
        html += (f'<input class="task-list-item-checkbox" disabled="" type="checkbox"{checked} '
                 f'aria-label="{html_lib.escape(name)}"> ')
    return html


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """Pygments colours with CSS classes, so one page works in light and dark mode."""
    words = lang.split() if lang else []  # markdown-it keeps `\x1f`, which Python's split() takes for a space
    lang = words[0].lower() if words else ""
    lexer = lexer_for(lang) if lang else None
    if lexer is None:
        return ""  # markdown-it escapes and wraps it as plain code
    cls = html_lib.escape(f"language-{lang}")
    return f'<pre class="highlight"><code class="{cls}">{highlight(code, lexer)}</code></pre>\n'
