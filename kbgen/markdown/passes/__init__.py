"""The token passes: what kbgen does to markdown-it's tokens between the parse and the HTML, in one ordered
table, as markdown-it-py lists its core rules (`parser_core._rules`: normalize, block, inline, …).

Each pass is one file and one function of the page's `PageState`; it walks the token stream at most once (a
walk over every token of every page is a cost on a cold build: add to a pass's walk before adding a walk). The
order matters where a pass reads what an earlier one wrote; the table says so.
"""

from __future__ import annotations

from collections.abc import Callable

from kbgen.markdown.passes.anchors import assign_heading_ids
from kbgen.markdown.passes.callouts import finish_callouts
from kbgen.markdown.passes.diagrams import note_diagrams
from kbgen.markdown.passes.placeholders import placeholder_links
from kbgen.markdown.passes.raw_html import html_block_links
from kbgen.markdown.passes.sections import collect_sections
from kbgen.markdown.passes.title import take_leading_h1
from kbgen.markdown.state import PageState

Pass = Callable[[PageState], None]

PASSES: tuple[tuple[str, Pass], ...] = (
    ("callouts", finish_callouts),  # callout titles in the page's language; `???` as <details>
    ("diagrams", note_diagrams),  # a note before each Mermaid block
    ("title", take_leading_h1),  # the opening `# Title` lifted out: before `anchors`, so it takes no id
    ("anchors", assign_heading_ids),  # heading ids, unique on the page
    ("placeholders", placeholder_links),  # inline links, images and raw HTML → numbered placeholders
    ("raw_html", html_block_links),  # HTML blocks' <a href>/<img src>, numbered after the inline ones
    ("sections", collect_sections),  # plain text by section for search: after `anchors`, whose ids it reads
)


def run_passes(page: PageState) -> None:
    for _name, run in PASSES:
        run(page)
