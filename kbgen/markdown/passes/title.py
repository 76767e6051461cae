"""A page that opens with `# Title` has its title there: lift it out so the theme shows it once."""

from __future__ import annotations

from kbgen.markdown.state import PageState
from kbgen.markdown.text import inline_text


def take_leading_h1(page: PageState) -> None:
    tokens = page.tokens  # only its first three tokens are looked at
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        page.h1 = inline_text(tokens[1])
        del tokens[0:3]
