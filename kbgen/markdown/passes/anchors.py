"""Every heading gets an id: the writer's own (`## Refunds {#refunds}`), else a slug of its text in the site's
anchor style, made unique on the page."""

from __future__ import annotations

import re

from markdown_it.token import Token

from kbgen.core.slugs import AnchorSet, anchor_slug
from kbgen.markdown.rendered import Heading
from kbgen.markdown.state import PageState
from kbgen.markdown.text import inline_text

_CUSTOM_ID = re.compile(r"\s*\{#([^\s{}]+)\}\s*$")


def assign_heading_ids(page: PageState) -> None:
    tokens, env = page.tokens, page.env
    anchors = AnchorSet()
    headings = page.headings
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        custom = _strip_custom_id(inline)
        text = inline_text(inline)
        wanted = custom or anchor_slug(text, env["anchors"])
        hid, taken = anchors.claim(wanted)
        path, line = page.line(token)
        if custom and taken:
            env["problems"].append((path, line, "duplicate-anchor",
                                    f"the id '#{custom}' is used by an earlier heading; this one became '#{hid}'"))
        token.attrSet("id", hid)
        headings.append(Heading(int(token.tag[1]), text, hid, line))


def _strip_custom_id(inline: Token) -> str | None:
    """`## Refunds {#refunds}` (also without the space): the writer's own stable anchor."""
    m = _CUSTOM_ID.search(inline.content)
    if not m or not inline.children or inline.children[-1].type != "text":
        return None
    last = inline.children[-1]
    tail = _CUSTOM_ID.search(last.content)
    if not tail:
        return None
    last.content = last.content[: tail.start()]
    inline.content = inline.content[: m.start()]
    return m.group(1)
