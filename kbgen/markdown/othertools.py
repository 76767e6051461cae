"""Other tools' Markdown, turned into kbgen's own before the page is parsed, or flagged — never silently wrong.

Content tabs (MkDocs `=== "Windows"`, Docusaurus `<Tabs>`/`<TabItem>`, Hugo `{{< tabs >}}`/`{{< tab >}}`) become
kbgen tabs: one `<div class="kb-tab">` per tab, each with its label and an id, readable one after another without
a script (`kbgen.js` makes them a WAI-ARIA tab list). Docusaurus admonitions (`:::note`, `:::tip Title`, nested by
colon count) and Hugo `notice`/`alert`/`hint` become callouts (`!!! note`). Hugo `ref`/`relref` and Jekyll `link`
become the paths they name, so the link is checked like any other. MDX imports and components, and `:::` directives
kbgen does not know, are reported with their line (`mdx-syntax`, `unknown-directive`).

It works on source lines, keeping each output line's origin, so diagnostics still point at the writer's line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from kbgen.core.slugs import anchor_slug
from kbgen.markdown.sourcelines import (
    CALLOUT_KINDS,
    DIRECTIVE,
    FENCE,
    HUGO,
    LEARN_IMAGE,
    LEARN_LAYOUT,
    Line,
    attributes,
    callout,
    callout_of,
    dedent,
    dedent_all,
    find_close,
    find_colon_close,
    first_arg,
    outside_code,
)

#: Substrings of which at least one is in every text this module changes: most articles have none.
MARKERS = ("===", ":::", "<Tabs", "{{<", "{{%", "{%", "import ", "export ")
_COMPONENT = re.compile(r"^\s*<[A-Z]", re.MULTILINE)

_MKDOCS_TAB = re.compile(r'^(\s*)===([+!]?)\s+"(.*)"\s*$')
_IMPORT = re.compile(r"""^\s*import\s+.*\bfrom\s+["']([^"']+)["']\s*;?\s*$|^\s*import\s+["'][^"']+["']\s*;?\s*$""")
_EXPORT = re.compile(r"^\s*export\s+(const|default|function|let)\b")
_JSX_OPEN = re.compile(r"^\s*<([A-Z][\w.]*)\b")
_TABS_OPEN = re.compile(r"^\s*<Tabs\b[^>]*>\s*$")
_TABS_CLOSE = re.compile(r"^\s*</Tabs>\s*$")
_TABITEM_OPEN = re.compile(r"^(\s*)<TabItem\b([^>]*)>\s*$")
_TABITEM_CLOSE = re.compile(r"^\s*</TabItem>\s*$")
_HUGO_INLINE = re.compile(r"\{\{([<%])\s*(relref|ref)\s+(?:\"([^\"]*)\"|'([^']*)'|([^\s>%]+))\s*[>%]\}\}")
_HUGO_PERCENT = re.compile(r"\{\{%\s*/?([A-Za-z][\w-]*)[^%]*%\}\}")
_JEKYLL_LINK = re.compile(r"(?:\{\{\s*site\.baseurl\s*\}\})?\{%-?\s*link\s+([^\s%]+)\s*-?%\}")
_JEKYLL_HIGHLIGHT = re.compile(r"^(\s*)\{%-?\s*highlight\s+([\w+-]+)[^%]*%\}\s*$")
_JEKYLL_END_HIGHLIGHT = re.compile(r"^\s*\{%-?\s*endhighlight\s*-?%\}\s*$")
_JEKYLL_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")

_HUGO_CALLOUTS = {"notice", "alert", "hint", "callout", "admonition"}
_HUGO_TABS = {"tabs", "tabpane"}
_HUGO_TAB = {"tab"}
#: How deep tabs and callouts may nest; deeper ones stay text (a file of 100,000 unclosed `:::note` lines would
#: otherwise be scanned to its end once per line).
MAX_NESTING = 10
#: MDX imports that kbgen's own tabs replace.
_UNDERSTOOD_IMPORTS = ("@theme/Tabs", "@theme/TabItem")


@dataclass
class Converted:
    lines: list[Line]
    problems: list[tuple[str, int, str, str]] = field(default_factory=list)


def might_need(text: str) -> bool:
    return any(marker in text for marker in MARKERS) or _COMPONENT.search(text) is not None


def convert(text: str, path: str, first_line: int, tab_ids: set[str]) -> Converted:
    """The text's lines with other tools' syntax in kbgen's, each with the line of the file it came from."""
    out = Converted([])
    lines = [(line, first_line + i) for i, line in enumerate(text.split("\n"))]
    out.lines = _Pass(path, out.problems, tab_ids).blocks(lines)
    return out


class _Pass:
    def __init__(self, path: str, problems: list, tab_ids: set[str]) -> None:
        self.path = path
        self.problems = problems
        self.tab_ids = tab_ids
        self.flagged: set[str] = set()  # directive names reported in this text: once each is enough
        self.depth = 0  # how many blocks deep the lines being converted are
        self.tab_numbers: dict[str, int] = {}  # tab id → the number its next namesake tries first

    def warn(self, line: int, code: str, message: str) -> None:
        self.problems.append((self.path, line, code, message))

    def blocks(self, lines: list[Line]) -> list[Line]:
        self.depth += 1
        try:
            return self._blocks(lines)
        finally:
            self.depth -= 1

    def _blocks(self, lines: list[Line]) -> list[Line]:
        out: list[Line] = []
        fence: str | None = None
        i = 0
        while i < len(lines):
            text, no = lines[i]
            m = FENCE.match(text)
            if fence is not None:
                if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                    fence = None
                out.append((text, no))
                i += 1
                continue
            if m:
                fence = m.group(1)
                out.append((text, no))
                i += 1
                continue
            handled = self._block(lines, i, out)
            if handled:
                i = handled
                continue
            out.append((self._inline(text, no), no))
            i += 1
        return out

    def _block(self, lines: list[Line], i: int, out: list[Line]) -> int:
        """Convert the construct starting at line i into `out`; the index after it, or 0 when there is none."""
        text, no = lines[i]
        if self.depth > MAX_NESTING:
            return 0  # text, as it shows: each level would scan the rest of the file again, and take a frame
        if "===" in text and _MKDOCS_TAB.match(text):
            return self._mkdocs_tabs(lines, i, out)
        if ":::" in text:
            return self._directive(lines, i, out)
        if "{{" in text and HUGO.match(text):
            return self._hugo(lines, i, out)
        if "<" in text:
            if _TABS_OPEN.match(text):
                return self._docusaurus_tabs(lines, i, out)
            m = _JSX_OPEN.match(text)
            if m:
                self.warn(no, "mdx-syntax", f"<{m.group(1)}> is a component of MDX (Docusaurus), which kbgen does not "
                                            "run; it is left out of the page. Write its content as Markdown")
                return self._skip_component(lines, i, m.group(1), out)
        if text.lstrip().startswith(("import ", "export ")):
            m = _IMPORT.match(text)
            if m:
                if not (m.group(1) or "").startswith(_UNDERSTOOD_IMPORTS):
                    self.warn(no, "mdx-syntax", "an MDX import: kbgen renders Markdown, not JavaScript, so what it "
                                                "imports is not available; the line is left out")
                out.append(("", no))
                return i + 1
            if _EXPORT.match(text):
                self.warn(no, "mdx-syntax", "an MDX export: kbgen renders Markdown, not JavaScript; the line is "
                                            "left out")
                out.append(("", no))
                return i + 1
        if "{%" in text:
            m = _JEKYLL_HIGHLIGHT.match(text)
            if m:
                out.append((f"{m.group(1)}```{m.group(2)}", no))
                j = i + 1
                while j < len(lines) and not _JEKYLL_END_HIGHLIGHT.match(lines[j][0]):
                    out.append(lines[j])
                    j += 1
                out.append((f"{m.group(1)}```", lines[min(j, len(lines) - 1)][1]))
                return j + 1
        return 0

    # --- tabs -----------------------------------------------------------------------------------------------------

    def _tab_set(self, tabs: list[tuple[str, int, list[Line]]], indent: str, out: list[Line]) -> None:
        """Emit a tab set: (label, line, content lines already dedented) each."""
        first = tabs[0][1]
        out.append((f'{indent}<div class="kb-tabs">', first))
        for label, no, content in tabs:
            tid = self._tab_id(label)
            shown = html.escape(label)
            out.append((f'{indent}<div class="kb-tab" id="{tid}" data-kb-tab="{html.escape(label, quote=True)}">', no))
            out.append((f'{indent}<p class="kb-tab-label">{shown}</p>', no))
            out.append(("", no))
            out.extend((f"{indent}{t}" if t else t, n) for t, n in self.blocks(content))
            out.append(("", no))
            out.append((f"{indent}</div>", no))
        out.append((f"{indent}</div>", first))
        out.append(("", first))

    def _tab_id(self, label: str) -> str:
        """`tab-windows`, then `tab-windows-2`…; the next number of each label is kept, so a page of thousands of
        same-named tabs is not searched once per tab."""
        base = "tab-" + (anchor_slug(label, "translit") or "x")
        n = self.tab_numbers.get(base, 1)
        tid = base if n == 1 else f"{base}-{n}"
        while tid in self.tab_ids:
            n += 1
            tid = f"{base}-{n}"
        self.tab_numbers[base] = n + 1
        self.tab_ids.add(tid)
        return tid

    def _mkdocs_tabs(self, lines: list[Line], i: int, out: list[Line]) -> int:
        indent = _MKDOCS_TAB.match(lines[i][0]).group(1)  # type: ignore[union-attr]
        tabs: list[tuple[str, int, list[Line]]] = []
        while i < len(lines):
            m = _MKDOCS_TAB.match(lines[i][0])
            if not m or m.group(1) != indent or (m.group(2) == "!" and tabs):
                break
            label, no = m.group(3), lines[i][1]
            i += 1
            content: list[Line] = []
            while i < len(lines):
                text = lines[i][0]
                if text.strip() and not text.startswith(indent + "    ") and not text.startswith(indent + "\t"):
                    break
                content.append((dedent(text, len(indent) + 4), lines[i][1]))
                i += 1
            while content and not content[-1][0].strip():
                content.pop()
            tabs.append((label, no, content))
        self._tab_set(tabs, indent, out)
        return i

    def _docusaurus_tabs(self, lines: list[Line], i: int, out: list[Line]) -> int:
        start_no = lines[i][1]
        i += 1
        tabs: list[tuple[str, int, list[Line]]] = []
        stray = False  # text outside a tab item was reported (once per set)
        while i < len(lines) and not _TABS_CLOSE.match(lines[i][0]):
            m = _TABITEM_OPEN.match(lines[i][0])
            if not m:
                if lines[i][0].strip() and not stray:
                    stray = True
                    self.warn(lines[i][1], "mdx-syntax", "text inside <Tabs> but outside a <TabItem> is left out")
                i += 1
                continue
            attrs = attributes(m.group(2))
            label, no = attrs.get("label") or attrs.get("value") or "Tab", lines[i][1]
            i += 1
            content: list[Line] = []
            while i < len(lines) and not _TABITEM_CLOSE.match(lines[i][0]) and not _TABS_CLOSE.match(lines[i][0]):
                content.append(lines[i])
                i += 1
            if i < len(lines) and _TABITEM_CLOSE.match(lines[i][0]):
                i += 1
            tabs.append((label, no, dedent_all(content)))
        if i >= len(lines):
            self.warn(start_no, "mdx-syntax", "<Tabs> is never closed with </Tabs>; the tabs run to the page's end")
        if tabs:
            self._tab_set(tabs, "", out)
        return i + 1

    # --- Hugo shortcodes on their own lines ---------------------------------------------------------------------

    def _hugo(self, lines: list[Line], i: int, out: list[Line]) -> int:
        m = HUGO.match(lines[i][0])
        assert m is not None
        closing, name, args = m.group(2), m.group(3), m.group(4)
        no = lines[i][1]
        if closing:
            if name in _HUGO_CALLOUTS | _HUGO_TABS | _HUGO_TAB:
                self.warn(no, "unknown-shortcode", f"'{{{{< /{name} >}}}}' closes nothing that is open; left out")
                out.append(("", no))
                return i + 1
            return 0
        if name in _HUGO_CALLOUTS:
            end = find_close(lines, i + 1, name)
            kind, title = callout_of(name, args)
            inner = self.blocks(lines[i + 1:end])
            out.extend(callout(kind, title, dedent_all(inner), no))
            if end >= len(lines):
                self.warn(no, "unknown-shortcode", f"'{{{{< {name} >}}}}' is never closed with '{{{{< /{name} >}}}}'")
            return end + 1
        if name in _HUGO_TABS:
            end = find_close(lines, i + 1, name)
            tabs: list[tuple[str, int, list[Line]]] = []
            stray = False
            j = i + 1
            while j < end:
                t = HUGO.match(lines[j][0])
                if t and not t.group(2) and t.group(3) in _HUGO_TAB:
                    tab_end = find_close(lines, j + 1, t.group(3), stop=end)
                    attrs = attributes(t.group(4))
                    label = (attrs.get("name") or attrs.get("title") or attrs.get("header") or attrs.get("label")
                             or first_arg(t.group(4)) or "Tab")
                    tabs.append((label, lines[j][1], dedent_all(lines[j + 1:tab_end])))
                    j = tab_end + 1
                    continue
                if lines[j][0].strip() and not stray:
                    stray = True
                    self.warn(lines[j][1], "unknown-shortcode",
                              f"text inside '{{{{< {name} >}}}}' but outside a tab is left out")
                j += 1
            if tabs:
                self._tab_set(tabs, "", out)
            return end + 1
        return 0

    # --- Docusaurus admonitions and Microsoft Learn directives -------------------------------------------------

    def _directive(self, lines: list[Line], i: int, out: list[Line]) -> int:
        text, no = lines[i]
        image = LEARN_IMAGE.match(text)
        if image:
            attrs = attributes(image.group(2))
            alt = (attrs.get("alt-text") or "").replace("]", "\\]")
            out.append((f"{image.group(1)}![{alt}]({attrs.get('source', '')})", no))
            return i + 1
        m = DIRECTIVE.match(text)
        if not m:
            return 0  # a run of colons that closes nothing open is text, as it shows
        name = m.group(3)
        if name.lower() == "row":
            return self._learn_row(lines, i, out)
        if name.lower() in LEARN_LAYOUT:
            out.append(("", no))
            return i + 1
        kind = CALLOUT_KINDS.get(name.lower())
        if kind is None:
            return self._unknown_directive(lines, i, m, out)
        indent, colons, rest = m.group(1), m.group(2), m.group(4).strip()
        title = rest[1:-1] if rest.startswith("[") and rest.endswith("]") else rest
        end = find_colon_close(lines, i + 1, len(colons))
        inner = self.blocks([(dedent(t, len(indent)), n) for t, n in lines[i + 1:end]])
        out.extend((f"{indent}{t}" if t else t, n) for t, n in callout(kind, title, inner, no))
        return end + 1

    def _learn_row(self, lines: list[Line], i: int, out: list[Line]) -> int:
        """Microsoft Learn's `:::row:::`: its columns one after another, their shared indentation taken off."""
        no = lines[i][1]
        end = i + 1
        while end < len(lines) and not re.match(r"^\s*::: ?row-end", lines[end][0]):
            end += 1
        inner = [(t, n) for t, n in lines[i + 1:end]
                 if not ((d := DIRECTIVE.match(t)) and d.group(3).lower() in LEARN_LAYOUT)]
        out.append(("", no))
        out.extend(self.blocks(dedent_all(inner)))
        out.append(("", no))
        return end + 1

    def _unknown_directive(self, lines: list[Line], i: int, m: re.Match, out: list[Line]) -> int:
        """Reported once per name; its lines are left out and the text inside it kept."""
        no = lines[i][1]
        colons, name, rest = m.group(2), m.group(3), m.group(4)
        if name.removesuffix("-end") not in self.flagged:
            self.flagged.add(name.removesuffix("-end"))
            self.warn(no, "unknown-directive",
                      f"':::{name}' is a directive kbgen does not know (it knows the callouts "
                      f"{', '.join(sorted(set(CALLOUT_KINDS)))}); its lines are left out, the text inside kept")
        if rest.rstrip().endswith(":::") or name.endswith("-end") or name == "moniker":
            out.append(("", no))
            return i + 1
        end = find_colon_close(lines, i + 1, len(colons))
        out.append(("", no))
        out.extend(self.blocks(lines[i + 1:end]))
        return end + 1

    def _skip_component(self, lines: list[Line], i: int, name: str, out: list[Line]) -> int:
        """Leave out an unknown component: one self-closing line, or up to its closing tag."""
        text = lines[i][0]
        out.append(("", lines[i][1]))
        if text.rstrip().endswith("/>") or f"</{name}>" in text:
            return i + 1
        close = f"</{name}>"
        j = i + 1
        while j < len(lines) and close not in lines[j][0]:
            j += 1
        return min(j + 1, len(lines)) if j < len(lines) else i + 1

    # --- inline ---------------------------------------------------------------------------------------------------

    def _inline(self, text: str, no: int) -> str:
        return outside_code(text, lambda part: self._inline_part(part, no))

    def _inline_part(self, text: str, no: int) -> str:
        if "{{" in text:
            text = _HUGO_INLINE.sub(lambda m: m.group(3) or m.group(4) or m.group(5) or "", text)
            for m in _HUGO_PERCENT.finditer(text):
                self.warn(no, "unknown-shortcode", f"'{{{{% {m.group(1)} %}}}}' is not a shortcode kbgen knows; "
                                                   "shown as text")
        if "{%" in text:
            text = _JEKYLL_LINK.sub(lambda m: "/" + m.group(1).lstrip("/"), text)
            text = _JEKYLL_RAW.sub("", text)
        return text
