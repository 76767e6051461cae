"""Links and images in paragraphs, headings and table cells become numbered placeholders (`\\x00L3\\x00`,
`\\x00I0\\x00`), resolved once the whole site is known (`links.py`); a URL whose scheme no page may use loses it,
and the writer is told where."""

from __future__ import annotations

import re

from markdown_it.token import Token

from kbgen.core.safe_urls import refused_scheme, scheme_message
from kbgen.markdown.passes.raw_html import EXTERNAL, RAW_TAG, raw_html_links
from kbgen.markdown.rendered import LinkRef
from kbgen.markdown.state import PageState

#: What CommonMark reads as an autolink but is a name in a programming language: `std::vector`, `System::String`.
_SCOPE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")


def placeholder_links(page: PageState) -> None:
    for token in page.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        breaks = 0  # line breaks so far: a child's line is its paragraph's plus these
        for i, child in enumerate(children):
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
            elif child.type == "link_open":
                _link(page, token, children, i, breaks)
            elif child.type == "image":
                _image(page, token, child, breaks)
            elif child.type == "html_inline" and RAW_TAG.search(child.content):
                path, line = page.line(token, breaks)
                child.content = raw_html_links(child.content, path, line, page.links, page.images)


def _link(page: PageState, inline: Token, children: list[Token], i: int, breaks: int) -> None:
    child = children[i]
    href = str(child.attrGet("href") or "")
    if child.info == "auto" and _SCOPE.match(href):
        _unlink(children, i)
        return
    if _refused(page, child, "href", href, inline, breaks):
        return
    if href.startswith("~/"):  # Microsoft Learn: from the content folder
        href = href[1:]
    if href and child.info != "auto" and not EXTERNAL.match(href):
        path, line = page.line(inline, breaks)
        child.attrSet("href", f"\x00L{len(page.links)}\x00")
        page.links.append(LinkRef(href, path, line))


def _image(page: PageState, inline: Token, child: Token, breaks: int) -> None:
    src = str(child.attrGet("src") or "")
    child.attrSet("loading", "lazy")
    if _refused(page, child, "src", src, inline, breaks):
        return
    if src and not EXTERNAL.match(src):
        path, line = page.line(inline, breaks)
        child.attrSet("src", f"\x00I{len(page.images)}\x00")
        page.images.append(LinkRef(src, path, line))


def _unlink(children: list[Token], i: int) -> None:
    """An autolink's text without its link: `<std::vector>` is C++ in angle brackets, which CommonMark reads as a
    URL of the scheme `std`; it is shown as the text it is (en-cpp-docs writes 250 of them)."""
    for token in (children[i], children[i + 2]):  # an autolink is always link_open, text, link_close
        token.type, token.tag, token.content, token.attrs = "text", "", "", {}


def _refused(page: PageState, child: Token, attr: str, url: str, inline: Token, breaks: int) -> bool:
    """A link or image whose URL has a scheme no page may use (`javascript:`) loses it, and the writer is told."""
    scheme = refused_scheme(url)
    if scheme is None:
        return False
    if scheme.lower() == "xref":  # Microsoft Learn's cross-reference to its API pages: nothing to run, nowhere to go
        page.problem(inline, "xref-link", f"'{url}' is a Microsoft Learn cross-reference to API documentation this "
                     "site does not have; shown as text", breaks)
    else:
        page.problem(inline, "unsafe-url", scheme_message(url, scheme), breaks)
    child.attrs.pop(attr, None)
    return True
