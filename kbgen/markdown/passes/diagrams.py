"""A Mermaid diagram stays its readable source, with a note saying so: no diagram library can be shipped without
vendoring it or loading it from a third-party host."""

from __future__ import annotations

import html as html_lib

from markdown_it.token import Token

from kbgen.markdown.state import PageState


def note_diagrams(page: PageState) -> None:
    tokens = page.tokens
    note = html_lib.escape(page.titles.get("diagram", "Diagram source (Mermaid): kbgen shows it as text."))
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if token.type == "fence" and token.info.strip().split(" ")[0].lower() == "mermaid":
            block = Token("html_block", "", 0, content=f'<p class="kb-diagram-note">{note}</p>\n', map=token.map)
            tokens.insert(i, block)
