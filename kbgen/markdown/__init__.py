"""Markdown → HTML with markdown-it-py, and everything later stages need to know about the page.

The output depends only on the article's own text and the render settings (variables, snippets, anchor style),
never on other articles, so it can be cached by content hash and computed in parallel. Links and images are left
as numbered placeholders and resolved once the whole site is known (`links.py`).

Before the parse, on source lines that keep their origin: `shortcodes` (variables, snippets, includes through
`includes`) and `othertools` (other tools' tabs, callouts and directives, with `sourcelines`). The parse:
`parser` (markdown-it with `autolink` and `highlight`). After it: the token passes of `passes/`, in the order
of their table, sharing a `state.PageState`; then the HTML. `page.render` drives it all; `rendered` holds what
it returns.
"""

from __future__ import annotations

from kbgen.markdown.page import RENDER_VERSION, render, render_inline_title
from kbgen.markdown.rendered import Heading, LinkRef, Rendered, RenderSettings, Section

__all__ = ["RENDER_VERSION", "Heading", "LinkRef", "Rendered", "RenderSettings", "Section", "render",
           "render_inline_title"]
