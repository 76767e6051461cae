"""Variables and snippets: `{{< var product >}}` and a line `{{< snippet refund-policy >}}`.

The syntax is deliberately distinct from `{{ x }}`, which real articles use as literal text (IFTTT's
`{{Value1}}`, GitHub Actions' `${{ matrix.os }}`, JSX's `style={{…}}`): only `{{< … >}}` is ours. Nothing is
expanded inside code, so the help centre can show the syntax itself. Expansion happens on source lines, keeping
for every output line the file and line it came from, so diagnostics still point at the right place.

Expansion is bounded (issue 17: 831 bytes of snippets including each other nine times a level took 20 s and
931 MB): snippets nest at most MAX_SNIPPET_DEPTH deep, and an article with its snippets and variables in place is
at most `max_chars` long (the largest article kbgen reads, `limits: max_article_bytes`). Past either bound the
article keeps only its own text, and a `snippet-limit` error names the line where the bound was passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kbgen.core.limits import DEFAULT_MAX_ARTICLE_BYTES, megabytes
from kbgen.markdown import includes, othertools

_SHORTCODE = re.compile(r"\{\{<\s*([A-Za-z][\w-]*)((?:\s+[^\s>]+)*)\s*>\}\}")
_LIQUID_OPEN = re.compile(r"\{%-?\s*\w")  # with a `%}` after it: a tag of Liquid, Jinja or Nunjucks
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

#: How deep snippets may include snippets: a longer chain is a mistake or a bomb (and each level is a frame).
MAX_SNIPPET_DEPTH = 10


@dataclass
class Expanded:
    """Source after expansion: `origins[i]` is the (display path, 1-based line) output line i came from."""

    text: str
    origins: list[tuple[str, int]]
    problems: list[tuple[str, int, str, str]] = field(default_factory=list)
    used_snippets: set[str] = field(default_factory=set)
    limit: int = 0  # how long the expanded text may be
    room: int = 0  # how many more characters it may grow by
    included_at: tuple[str, int] | None = None  # the article's line whose snippet is being put in
    own_text_only: bool = False  # a bound was passed: no snippets or variables are put in
    root: str = ""  # the content folder as shown in paths: an included file is named relative to it
    tab_ids: set[str] = field(default_factory=set)  # ids given to content tabs so far


class _Over(Exception):
    """A bound was passed at `problem`'s place: expansion starts again with the article's own text only."""

    def __init__(self, problem: tuple[str, int, str, str]) -> None:
        super().__init__(problem[3])
        self.problem = problem


def expand(
    body: str, path: str, first_line: int, variables: dict[str, str], snippets: dict[str, tuple[str, str]],
    max_chars: int = DEFAULT_MAX_ARTICLE_BYTES, root: str = "",
) -> Expanded:
    """Expand shortcodes and includes in an article body. `snippets` maps a name (an included file: `/` and its
    content path) to (display path, text); `root` is the content folder as `path` shows it."""
    if not _may_expand(body):  # most articles: nothing to expand, every line is its own origin
        return Expanded(body, [(path, first_line + i) for i in range(body.count("\n") + 1)])
    out = Expanded("", [], limit=max_chars, room=max_chars, root=root)
    lines: list[str] = []
    try:
        _expand_into(body, path, first_line, variables, snippets, out, lines, stack=())
    except _Over as over:
        out = Expanded("", [], used_snippets=out.used_snippets, own_text_only=True, root=root)
        lines = []
        _expand_into(body, path, first_line, variables, snippets, out, lines, stack=())
        out.problems.append(over.problem)
    out.text = "\n".join(lines)
    return out


def _may_expand(body: str) -> bool:
    return "{{<" in body or "{%" in body or "--8<--" in body or "[!" in body or othertools.might_need(body)


def _over(out: Expanded, here: tuple[str, int], message: str) -> _Over:
    """A `snippet-limit` problem at the article's line that brought in the snippet being expanded (or `here`)."""
    return _Over((*(out.included_at or here), "snippet-limit", message))


def _emit(out: Expanded, lines: list[str], line: str, origin: tuple[str, int], charge: int | None = None) -> None:
    """One output line; it uses up `charge` (its length) of the room left."""
    out.room -= (len(line) if charge is None else charge) + 1
    if out.room < 0 and not out.own_text_only:
        raise _over(out, origin, f"with its snippets in place this article would be longer than "
                                 f"{megabytes(out.limit)}, the largest article kbgen reads "
                                 "(`limits: max_article_bytes` in kbgen.yml); its snippets are left out")
    lines.append(line)
    out.origins.append(origin)


def _expand_into(body, path, first_line, variables, snippets, out, lines, stack) -> None:
    fence: str | None = None
    if othertools.might_need(body):
        converted = othertools.convert(body, path, first_line, out.tab_ids)
        if not out.own_text_only:
            out.problems.extend(converted.problems)
        source = converted.lines
    else:
        source = [(line, first_line + i) for i, line in enumerate(body.split("\n"))]
    for line, lineno in source:
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):]:
                fence = None
            elif "--8<--" in line and (include := includes.SNIPPET_LINE.match(line)):  # a file shown as code
                _include(("snippet", include.group(2)), path, lineno, variables, snippets, out, lines, stack, raw=True)
                continue
            _emit(out, lines, line, (path, lineno))
            continue
        if m:
            fence = m.group(1)
            _emit(out, lines, line, (path, lineno))
            continue
        whole = _whole_line_include(line)
        if whole is not None:
            _include(whole, path, lineno, variables, snippets, out, lines, stack)
            continue
        if "[!" in line:
            line = _inline_includes(line, path, lineno, snippets, out)
        if "{{<" not in line and "{%" not in line:
            _emit(out, lines, line, (path, lineno))
            continue
        snippet = _whole_line_snippet(line)
        if snippet is not None:
            _insert_snippet(snippet, path, lineno, variables, snippets, out, lines, stack)
            continue
        _emit(out, lines, _expand_inline(line, path, lineno, variables, out), (path, lineno), charge=len(line))


def _whole_line_snippet(line: str) -> str | None:
    m = _SHORTCODE.fullmatch(line.strip())
    if m and m.group(1) == "snippet":
        return m.group(2).strip()
    return None


def _whole_line_include(line: str) -> tuple[str, str] | None:
    """(syntax, target) of a line that is one include and nothing else."""
    if "--8<--" in line:
        m = includes.SNIPPET_LINE.match(line)
        return ("snippet", m.group(2)) if m else None
    stripped = line.strip()
    if stripped.startswith("{%"):
        m = includes.LIQUID_INCLUDE.fullmatch(stripped)
        return (m.group(1), m.group(2)) if m else None
    if stripped[:3].lower() == "[!i":
        m = includes.LEARN_INCLUDE.fullmatch(stripped)
        return ("learn", m.group(1)) if m else None
    return None


def _included_key(syntax: str, target: str, path: str, lineno: int, snippets, out: Expanded) -> str | None:
    """The snippets key of an included file, or None after reporting it missing."""
    rel = path[len(out.root) + 1:] if out.root and path.startswith(out.root + "/") else path
    tried_paths = [c for c in includes.candidates(syntax, target, rel) if c]
    for candidate in tried_paths:
        if includes.PREFIX + candidate in snippets:
            return includes.PREFIX + candidate
    tried = ", ".join(tried_paths) or "nothing inside it"
    out.problems.append((path, lineno, "missing-include",
                         f"the included file '{target}' does not exist (looked for {tried} in the content "
                         "folder); `~/path` starts from the content folder, a plain path from this file's"))
    return None


def _inline_includes(line: str, path: str, lineno: int, snippets, out: Expanded) -> str:
    """`… [!include[name](~/includes/name.md)] …` inside a sentence: the file's text, on one line."""
    def replace(m: re.Match) -> str:
        if out.own_text_only:
            return ""
        key = _included_key("learn", m.group(1), path, lineno, snippets, out)
        if key is None:
            return ""
        out.used_snippets.add(key)
        text = " ".join(snippets[key][1].split())
        out.room -= len(text)
        return text
    return othertools.outside_code(line, lambda part: includes.LEARN_INCLUDE.sub(replace, part))


def _include(found, path, lineno, variables, snippets, out, lines, stack, raw: bool = False) -> None:
    if out.own_text_only:
        _emit(out, lines, "", (path, lineno))
        return
    key = _included_key(*found, path, lineno, snippets, out)
    if key is None:
        _emit(out, lines, "", (path, lineno))
        return
    if raw:  # into a code block: as it is
        out.used_snippets.add(key)
        spath, text = snippets[key]
        for i, line in enumerate(text.rstrip("\n").split("\n")):
            _emit(out, lines, line, (spath, i + 1))
        return
    _insert(key, path, lineno, variables, snippets, out, lines, stack)


def _insert_snippet(name, path, lineno, variables, snippets, out, lines, stack) -> None:
    if out.own_text_only:
        _emit(out, lines, "", (path, lineno))
        return
    key = name.removesuffix(".md")
    if key not in snippets or key.startswith(includes.PREFIX):
        names = sorted(k for k in snippets if not k.startswith(includes.PREFIX))
        hint = f"; snippets are files in content/_snippets/ ({', '.join(names) or 'none yet'})"
        out.problems.append((path, lineno, "unknown-snippet", f"no snippet named '{name}'{hint}"))
        _emit(out, lines, "", (path, lineno))
        return
    _insert(key, path, lineno, variables, snippets, out, lines, stack)


def _insert(key, path, lineno, variables, snippets, out, lines, stack) -> None:
    """Put in the snippet or included file `key`, unless it is already being put in (a loop) or too deep."""
    if key in stack:
        chain = " → ".join(stack + (key,))
        out.problems.append((path, lineno, "snippet-cycle", f"snippets include each other in a loop: {chain}"))
        _emit(out, lines, "", (path, lineno))
        return
    if len(stack) >= MAX_SNIPPET_DEPTH:
        chain = " → ".join(stack + (key,))
        raise _over(out, (path, lineno), f"snippets include snippets more than {MAX_SNIPPET_DEPTH} deep ({chain}); "
                                         "put the text of the innermost ones in directly. Its snippets are left out")
    out.used_snippets.add(key)
    snippet_path, text = snippets[key]
    if not stack:
        out.included_at = (path, lineno)
    _expand_into(text.rstrip("\n"), snippet_path, 1, variables, snippets, out, lines, stack + (key,))
    if not stack:
        out.included_at = None


def _expand_inline(line: str, path: str, lineno: int, variables: dict[str, str], out: Expanded) -> str:
    """Replace `{{< var x >}}` outside code spans; flag other shortcodes and Liquid/Jinja tags."""
    return othertools.outside_code(line, lambda part: _expand_text(part, path, lineno, variables, out))


def _expand_text(text: str, path: str, lineno: int, variables: dict[str, str], out: Expanded) -> str:
    def replace(m: re.Match) -> str:
        name, args = m.group(1), m.group(2).split()
        if out.own_text_only:
            return m.group(0)
        if name == "var" and len(args) == 1:
            if args[0] in variables:
                value = variables[args[0]]
                out.room -= len(value)  # here, before the line is put together: a long line of them can be huge
                if out.room < 0:
                    raise _over(out, (path, lineno), f"with the variable '{args[0]}' in place each time this article "
                                                     f"would be longer than {megabytes(out.limit)}, the largest "
                                                     "article kbgen reads (`limits: max_article_bytes` in "
                                                     "kbgen.yml); its snippets and variables are left out")
                return value
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

    pieces = []
    pos = 0
    for m in _shortcodes_in(text):
        pieces += [text[pos:m.start()], replace(m)]
        pos = m.end()
    text = "".join(pieces) + text[pos:] if pieces else text
    if not out.own_text_only and _has_template_tag(text):
        out.problems.append((path, lineno, "template-syntax",
                             "'{% … %}' looks like a template tag from another tool; kbgen shows it as text"))
    return text


def _shortcodes_in(text: str) -> Iterator[re.Match]:
    """The shortcodes `_SHORTCODE.finditer` would find, in time proportional to the text.

    Searched from every `{{<`, the pattern scans to the next `>`: a 112 KB line of `{{< a ` took 36 s (issue 17).
    A shortcode holds no `>` before its closing `>}}`, so only the text between the `>` before each `>}}` and it
    is searched; those pieces never overlap.
    """
    pos = 0
    while (close := text.find(">}}", pos)) != -1:
        m = _SHORTCODE.search(text, max(pos, text.rfind(">", pos, close) + 1), close + 3)
        if m:
            yield m
        pos = close + 3


def _has_template_tag(text: str) -> bool:
    """A `{%` with a word after it and a `%}` later on: one search, where a lazy `{%…%}` pattern rescanned the
    rest of the line from every `{%`."""
    m = _LIQUID_OPEN.search(text)
    return m is not None and text.find("%}", m.end()) != -1
