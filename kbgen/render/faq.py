"""What the theme adds to an article's HTML: a "copy link" button on every heading, and FAQ questions as
collapsible `<details>` with their own anchors.

Operators answer chats by pasting a link to the exact answer, so every question and heading carries one button to
copy its link. The article's HTML comes from markdown-it, whose headings are always `<hN id="…">…</hN>`.
"""

from __future__ import annotations

import html as html_lib
import re

from kbgen.markdown import Section

_HEADING = re.compile(r'<h([2-4]) id="([^"]+)">(.*?)</h\1>', re.S)
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>\n?', re.S)
_TAG = re.compile(r"<[^>]+>")

#: A chain-link icon; the button's text for assistive technology is its aria-label.
_ICON = ('<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16"><path fill="none" '
         'stroke="currentColor" stroke-width="1.6" stroke-linecap="round" d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 0 1'
         ' 3.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 0 1-3.5-3.5L5.5 8"/></svg>')


def copy_button(anchor: str, label: str) -> str:
    return (f'<button type="button" class="copy-link" data-kbgen-copy-link="#{html_lib.escape(anchor)}" '
            f'aria-label="{html_lib.escape(label)}" title="{html_lib.escape(label)}">{_ICON}</button>')


def _label(template: str, inner_html: str) -> str:
    return template.format(title=html_lib.unescape(_TAG.sub("", inner_html)).strip())


def with_copy_links(html: str, label: str) -> str:
    """`<h2 id="x">Title</h2>` → the same heading with a copy-link button inside it. `label` has `{title}`."""
    return _HEADING.sub(lambda m: f'<h{m[1]} id="{m[2]}">{m[3]} {copy_button(m[2], _label(label, m[3]))}'
                                  f'</h{m[1]}>', html)


def faq_html(html: str, label: str) -> str:
    """Each `##` question and everything up to the next one become `<details id=…>`: the question in the summary,
    the answer inside, a copy-link button beside it. What comes before the first question stays as it is."""
    parts = _H2.split(html)
    out = [with_copy_links(parts[0], label)]
    for i in range(1, len(parts), 3):
        anchor, question, answer = parts[i], parts[i + 1], parts[i + 2]
        out.append(f'<div class="faq-item"><details id="{anchor}"><summary><h2>{question}</h2></summary>\n'
                   f'<div class="faq-answer">\n{with_copy_links(answer, label)}</div></details>'
                   f'{copy_button(anchor, _label(label, question))}</div>\n')
    return "".join(out)


def faq_entries(sections: list[Section]) -> list[tuple[str, str, str]]:
    """(anchor, question, plain-text answer) per `##` question, its `###` parts folded into the answer."""
    entries: list[tuple[str, str, list[str]]] = []
    for s in sections:
        if s.level == 2:
            entries.append((s.id, s.title, [s.text]))
        elif s.level == 3 and entries:
            entries[-1][2].extend([s.title, s.text])
    return [(anchor, q, " ".join(p for p in parts if p)) for anchor, q, parts in entries]
