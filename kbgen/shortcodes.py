"""Variables and snippets: `{{< var product >}}` and a line `{{< snippet refund-policy >}}`.

The syntax is deliberately distinct from `{{ x }}`, which real articles use as literal text (IFTTT's
`{{Value1}}`, GitHub Actions' `${{ matrix.os }}`, JSX's `style={{…}}`): only `{{< … >}}` is ours. Nothing is
expanded inside code, so the help centre can show the syntax itself. Expansion happens on source lines, keeping
for every output line the file and line it came from, so diagnostics still point at the right place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SHORTCODE = re.compile(r"\{\{<\s*([A-Za-z][\w-]*)((?:\s+[^\s>]+)*)\s*>\}\}")
_LIQUID = re.compile(r"\{%-?\s*\w+.*?-?%\}")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")


@dataclass
class Expanded:
    """Source after expansion: `origins[i]` is the (display path, 1-based line) output line i came from."""

    text: str
    origins: list[tuple[str, int]]
    problems: list[tuple[str, int, str, str]] = field(default_factory=list)
    used_snippets: set[str] = field(default_factory=set)


def expand(
    body: str, path: str, first_line: int, variables: dict[str, str], snippets: dict[str, tuple[str, str]]
) -> Expanded:
    """Expand shortcodes in an article body. `snippets` maps a name to (display path, text)."""
    if "{{<" not in body and "{%" not in body:  # most articles: nothing to expand, every line is its own origin
        return Expanded(body, [(path, first_line + i) for i in range(body.count("\n") + 1)])
    out = Expanded("", [])
    lines: list[str] = []
    _expand_into(body, path, first_line, variables, snippets, out, lines, stack=())
    out.text = "\n".join(lines)
    return out


def _expand_into(body, path, first_line, variables, snippets, out, lines, stack) -> None:
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        lineno = first_line + offset
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):]:
                fence = None
            lines.append(line)
            out.origins.append((path, lineno))
            continue
        if m:
            fence = m.group(1)
            lines.append(line)
            out.origins.append((path, lineno))
            continue
        if "{{<" not in line and "{%" not in line:
            lines.append(line)
            out.origins.append((path, lineno))
            continue
        snippet = _whole_line_snippet(line)
        if snippet is not None:
            _insert_snippet(snippet, path, lineno, variables, snippets, out, lines, stack)
            continue
        lines.append(_expand_inline(line, path, lineno, variables, out))
        out.origins.append((path, lineno))


def _whole_line_snippet(line: str) -> str | None:
    m = _SHORTCODE.fullmatch(line.strip())
    if m and m.group(1) == "snippet":
        return m.group(2).strip()
    return None


def _insert_snippet(name, path, lineno, variables, snippets, out, lines, stack) -> None:
    key = name.removesuffix(".md")
    if key not in snippets:
        hint = f"; snippets are files in content/_snippets/ ({', '.join(sorted(snippets)) or 'none yet'})"
        out.problems.append((path, lineno, "unknown-snippet", f"no snippet named '{name}'{hint}"))
        lines.append("")
        out.origins.append((path, lineno))
        return
    if key in stack:
        chain = " → ".join(stack + (key,))
        out.problems.append((path, lineno, "snippet-cycle", f"snippets include each other in a loop: {chain}"))
        lines.append("")
        out.origins.append((path, lineno))
        return
    out.used_snippets.add(key)
    snippet_path, text = snippets[key]
    _expand_into(text.rstrip("\n"), snippet_path, 1, variables, snippets, out, lines, stack + (key,))


def _expand_inline(line: str, path: str, lineno: int, variables: dict[str, str], out: Expanded) -> str:
    """Replace `{{< var x >}}` outside code spans; flag other shortcodes and Liquid/Jinja tags."""
    pieces = []
    pos = 0
    for span in _CODE_SPAN.finditer(line):
        pieces.append(_expand_text(line[pos:span.start()], path, lineno, variables, out))
        pieces.append(span.group(0))
        pos = span.end()
    pieces.append(_expand_text(line[pos:], path, lineno, variables, out))
    return "".join(pieces)


def _expand_text(text: str, path: str, lineno: int, variables: dict[str, str], out: Expanded) -> str:
    def replace(m: re.Match) -> str:
        name, args = m.group(1), m.group(2).split()
        if name == "var" and len(args) == 1:
            if args[0] in variables:
                return variables[args[0]]
            known = ", ".join(sorted(variables)) or "none are set"
            out.problems.append((path, lineno, "unknown-variable",
                                 f"no variable '{args[0]}' in kbgen.yml `variables:` ({known})"))
            return m.group(0)
        if name == "snippet":
            out.problems.append((path, lineno, "unknown-shortcode",
                                 "a snippet must stand alone on its own line; it was left as text"))
            return m.group(0)
        out.problems.append((path, lineno, "unknown-shortcode",
                             f"'{{{{< {name} >}}}}' is not a kbgen shortcode (var, snippet); shown as text"))
        return m.group(0)

    text = _SHORTCODE.sub(replace, text)
    if _LIQUID.search(text):
        out.problems.append((path, lineno, "template-syntax",
                             "'{% … %}' looks like a template tag from another tool; kbgen shows it as text"))
    return text
