"""Plain text by section: the search index and FAQ answers need it, and excerpts must not show markup."""

from __future__ import annotations

import html as html_lib
import re

from kbgen.markdown.rendered import Section
from kbgen.markdown.state import PageState
from kbgen.markdown.text import collapse, inline_raw, inline_text

_TAG = re.compile(r"<[^>]+>")


def collect_sections(page: PageState) -> None:
    """A section per `##`/`###` heading (reading the ids the `anchors` pass gave them), after the intro."""
    tokens = page.tokens
    sections = page.sections
    sections.append(Section("", page.h1 or "", 1, ""))
    parts: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and token.tag in ("h2", "h3"):
            sections[-1].text = collapse(" ".join(parts))
            parts = []
            sections.append(Section(str(token.attrGet("id")), inline_text(tokens[i + 1]), int(token.tag[1]), ""))
            i += 3
            continue
        kind = token.type
        if kind == "inline":
            parts.append(inline_raw(token))
        elif kind == "fence" or kind == "code_block":
            parts.append(token.content)
        elif kind == "html_block":
            parts.append(html_lib.unescape(_TAG.sub(" ", token.content)))
        i += 1
    sections[-1].text = collapse(" ".join(parts))
