"""`<a href>` and `<img src>` written as HTML are links and images like Markdown's: checked, and pointed at the
page or file they name (`<a href="refunds.md">` too). The `placeholders` pass handles HTML inside a paragraph;
this pass the HTML blocks, numbering their links after every inline one."""

from __future__ import annotations

import html as html_lib
import re

from kbgen.markdown.rendered import LinkRef
from kbgen.markdown.state import PageState

#: A URL with a scheme (`https:`, `mailto:`) or a network path (`//cdn…`): not a page or file of this site.
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
#: An `<a …>` or `<img …>` start tag in raw HTML (bounded: no tag costs more than its length), and the `href` or
#: `src` in it, quoted either way or not at all.
RAW_TAG = re.compile(r"<(a|img)\s[^<>]{0,2000}>", re.IGNORECASE)
_RAW_ATTR = {is_image: re.compile(rf"(\s{name}\s*=\s*)(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))", re.IGNORECASE)
             for is_image, name in ((False, "href"), (True, "src"))}


def html_block_links(page: PageState) -> None:
    for token in page.tokens:
        if token.type == "html_block" and RAW_TAG.search(token.content):
            path, line = page.line(token)
            token.content = raw_html_links(token.content, path, line, page.links, page.images)


def raw_html_links(html: str, path: str, line: int, links: list[LinkRef], images: list[LinkRef]) -> str:
    """The HTML with each local `href`/`src` a numbered placeholder, added to `links`/`images`; `line` is the
    HTML's first line."""

    def tag(m: re.Match) -> str:
        at = line + html.count("\n", 0, m.start())
        is_image = m.group(1).lower() == "img"

        def attr(a: re.Match) -> str:
            value = html_lib.unescape(next(v for v in a.group(2, 3, 4) if v is not None))
            if not value or EXTERNAL.match(value):
                return a.group(0)
            if is_image:
                images.append(LinkRef(value, path, at))
                return f'{a.group(1)}"\x00I{len(images) - 1}\x00"'
            links.append(LinkRef(value, path, at))
            return f'{a.group(1)}"\x00L{len(links) - 1}\x00"'

        return _RAW_ATTR[is_image].sub(attr, m.group(0), count=1)

    return RAW_TAG.sub(tag, html)
