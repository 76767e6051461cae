"""What the token passes share, as markdown-it's core rules share `StateCore`: the page's tokens, the parse's
env, and what the passes have found so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from kbgen.markdown.rendered import Heading, LinkRef, Section


@dataclass
class PageState:
    tokens: list[Token]
    #: markdown-it's env: `origins` (each expanded line's file and line), `anchors` (the slug style) and
    #: `problems` (diagnostics as (path, line, code, message)).
    env: dict
    titles: dict[str, str]  # callout titles in the page's language
    h1: str | None = None
    headings: list[Heading] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    images: list[LinkRef] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def line(self, token: Token, extra: int = 0) -> tuple[str, int]:
        """Map a token back to (file, line) through the shortcode expansion's origins."""
        origins = self.env["origins"]
        index = (token.map[0] if token.map else 0) + extra
        if not origins:
            return "", 1
        return origins[min(index, len(origins) - 1)]

    def problem(self, token: Token, code: str, message: str, extra: int = 0) -> None:
        path, line = self.line(token, extra)
        self.env["problems"].append((path, line, code, message))
