"""Line-level helpers for other tools' syntax (`othertools.py`): attributes, indentation, where a block ends,
and the callout a block becomes."""

from __future__ import annotations

import re

Line = tuple[str, int]  # (text, line in its file)

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
DIRECTIVE = re.compile(r"^(\s*)(:{3,}) ?([A-Za-z][\w-]*)(.*)$")
DIRECTIVE_CLOSE = re.compile(r"^\s*(:{3,})\s*$")
LEARN_IMAGE = re.compile(r'^((?:\s*>)*\s*)::: ?image\s+(.*?)(?::::)?\s*$')  # also inside a quote or alert
#: Microsoft Learn's layout (rows and columns) and the end of a complex image: the content reads fine without them.
LEARN_LAYOUT = {"row", "row-end", "column", "column-end", "image-end"}
ATTR = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|\{["\']([^"\']*)["\']\})')
HUGO = re.compile(r"^\s*\{\{([<%])\s*(/?)([A-Za-z][\w-]*)(.*?)\s*[>%]\}\}\s*$")
#: Callout kinds other tools write, as kbgen's (Docusaurus `caution`, Hugo `warning`/`danger`, Docsy `primary`).
CALLOUT_KINDS = {"note": "note", "tip": "tip", "info": "info", "warning": "warning", "danger": "danger",
                 "caution": "warning", "important": "important", "success": "tip", "primary": "note",
                 "secondary": "note", "hint": "tip", "error": "danger", "attention": "warning"}

_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")


def outside_code(line: str, change) -> str:
    """`change` applied to the parts of a line outside code spans: the help centre shows the syntax itself."""
    if "`" not in line:
        return change(line)
    pieces = []
    pos = 0
    for span in _CODE_SPAN.finditer(line):
        pieces += [change(line[pos:span.start()]), span.group(0)]
        pos = span.end()
    return "".join(pieces) + change(line[pos:])


def callout(kind: str, title: str, inner: list[Line], no: int) -> list[Line]:
    head = f'!!! {kind} "{title}"' if title else f"!!! {kind}"
    return [(head, no)] + [(f"    {t}" if t.strip() else "", n) for t, n in inner] + [("", no)]


def callout_of(name: str, args: str) -> tuple[str, str]:
    """(kind, title) of `{{< notice warning "Title" >}}`, `{{% notice style="tip" title="…" %}}`, Docsy's
    `{{% alert title="…" color="warning" %}}` or Hugo Book's `{{< hint info >}}`."""
    attrs = attributes(args)
    words = re.findall(r'"([^"]*)"|(\S+)', ATTR.sub("", args))
    positional = [quoted or bare for quoted, bare in words]
    kind_word = attrs.get("style") or attrs.get("type") or attrs.get("color") or (positional[0] if positional else "")
    title = attrs.get("title") or (positional[1] if len(positional) > 1 else "")
    return CALLOUT_KINDS.get(kind_word.lower(), "note"), title


def find_close(lines: list[Line], start: int, name: str, stop: int | None = None) -> int:
    """The index of `{{< /name >}}` that closes the one opened before `start` (nesting counted), else the end."""
    depth = 0
    end = len(lines) if stop is None else stop
    for j in range(start, end):
        m = HUGO.match(lines[j][0]) if "{{" in lines[j][0] else None
        if m and m.group(3) == name:
            if m.group(2):
                if depth == 0:
                    return j
                depth -= 1
            else:
                depth += 1
    return end


def find_colon_close(lines: list[Line], start: int, colons: int) -> int:
    """The line that closes a `:::` container: a bare run of at least as many colons, inner ones skipped."""
    depth: list[int] = []
    fence: str | None = None
    for j in range(start, len(lines)):
        text = lines[j][0]
        f = FENCE.match(text)
        if fence is not None:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            continue
        if f:
            fence = f.group(1)
            continue
        close = DIRECTIVE_CLOSE.match(text)
        if close:
            if depth and len(close.group(1)) >= depth[-1]:
                depth.pop()
                continue
            if len(close.group(1)) >= colons:
                return j
            continue
        m = DIRECTIVE.match(text)
        if m and opens_block(m, text):
            depth.append(len(m.group(2)))
    return len(lines)


def opens_block(m: re.Match, text: str) -> bool:
    """Whether a `:::name` line opens a block that a later bare `:::` closes (not a one-line directive)."""
    name = m.group(3).lower()
    return not (LEARN_IMAGE.match(text) or m.group(4).rstrip().endswith(":::") or name.endswith("-end")
                or name in LEARN_LAYOUT or name == "moniker")


def attributes(text: str) -> dict[str, str]:
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in ATTR.finditer(text)}


def first_arg(text: str) -> str:
    m = re.match(r'\s*(?:"([^"]*)"|(\S+))', ATTR.sub("", text))
    return (m.group(1) or m.group(2) or "") if m else ""


def dedent(text: str, width: int) -> str:
    """Remove up to `width` columns of leading white space (a tab counts as four)."""
    taken = 0
    i = 0
    while i < len(text) and taken < width and text[i] in " \t":
        taken += 4 if text[i] == "\t" else 1
        i += 1
    return text[i:]


def dedent_all(lines: list[Line]) -> list[Line]:
    """Lines without the indentation they all share (JSX children are indented; Markdown would see code)."""
    widths = [len(t) - len(t.lstrip(" ")) for t, _ in lines if t.strip()]
    width = min(widths) if widths else 0
    trimmed = [(t[width:] if t.strip() else "", n) for t, n in lines]
    while trimmed and not trimmed[0][0]:
        trimmed.pop(0)
    while trimmed and not trimmed[-1][0]:
        trimmed.pop()
    return trimmed
