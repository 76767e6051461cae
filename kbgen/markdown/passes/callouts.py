"""Callout titles in the page's language, and `??? note` / `???+ note` as a real `<details>` (folded / open).

markdown-it titles GitHub alerts in English and the admonition plugin only adds a CSS class to `???`, which
folds nothing without a script; `<details>` folds in every browser and works from the keyboard.
"""

from __future__ import annotations

from markdown_it.token import Token

from kbgen.markdown.state import PageState


def finish_callouts(page: PageState) -> None:
    tokens, titles = page.tokens, page.titles
    open_admonitions: list[Token] = []
    for i, token in enumerate(tokens):
        if token.type == "alert_open":
            _retitle(tokens[i + 2], titles.get(str(token.meta.get("kind", "")).lower()))
        elif token.type == "admonition_open":
            open_admonitions.append(token)
            has_title = tokens[i + 1].type == "admonition_title_open"
            if has_title and " " not in token.info.strip():  # no title of its own: the kind is the title
                _retitle(tokens[i + 2], titles.get(str(token.meta.get("tag", ""))))
            if token.markup.startswith("?"):
                token.tag = "details"
                if token.markup.endswith("+"):
                    token.attrSet("open", "")
                if has_title:
                    tokens[i + 1].tag = tokens[i + 3].tag = "summary"
        elif token.type == "admonition_close" and open_admonitions:
            token.tag = open_admonitions.pop().tag


def _retitle(inline: Token, title: str | None) -> None:
    if title and inline.type == "inline":
        inline.content = title
        inline.children = [Token("text", "", 0, content=title)]
