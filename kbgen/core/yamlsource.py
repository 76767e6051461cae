"""YAML parsing that remembers where every key stands, so a problem can name its line.

MkDocs can only say *which* setting is wrong; kbgen says where. PyYAML's node tree carries start marks; we keep
them in a parallel tree of line numbers while constructing ordinary Python values.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

# PyYAML is imported on first use: a rebuild that finds nothing changed, with no kbgen.yml, never needs it.


@dataclass
class YamlValue:
    """A parsed YAML document plus `lines`: a key path (tuple) → 1-based line of that key's value."""

    data: Any
    lines: dict[tuple, int]
    #: Unquoted values that a ` #word` on the same line cut short: (key path, 1-based line, the text cut off).
    cut: list[tuple[tuple, int, str]] = field(default_factory=list)
    #: Keys written twice in one mapping, which YAML lets the last one win: (key path, 1-based line, first line).
    duplicates: list[tuple[tuple, int, int]] = field(default_factory=list)

    def line(self, *path: Any, default: int = 1) -> int:
        """The line of the deepest known prefix of `path`, so a nested problem still points near itself."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), default)


class YamlSyntaxError(Exception):
    """Malformed YAML; `line` is 1-based within the text given, `problem` is PyYAML's own words."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


def parse_yaml(text: str) -> YamlValue:
    """Parse one YAML document with safe types and record the line of every mapping key and list item."""
    import yaml

    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlValue(None, {(): 1})
        if "*" in text:  # no alias without one: most front matter skips the walk
            _check_aliases(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise YamlSyntaxError(mark.line + 1 if mark else 1, problem or str(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, str(exc)) from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    duplicates: list[tuple[tuple, int, int]] = []
    _index_lines(node, (), lines, duplicates)
    cut: list[tuple[tuple, int, str]] = []
    if "#" in text:
        _find_cut_values(node, (), text.split("\n"), cut)
    return YamlValue(data, lines, cut, duplicates)


@functools.cache
def _loader_class() -> type:
    """PyYAML's safe loader, except that a date no calendar has (`updated: 2024-13-45`, `0000-01-01`) stays text,
    which the schema then reports on its line, instead of a ValueError from the middle of the parse (issue 18)."""
    import yaml

    # libyaml's parser is ~10× faster than the pure-Python one and gives the same marks; it matters on 10,000 files.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def timestamp(loader, node):
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError, AttributeError):  # AttributeError: `!!timestamp nope`
            return loader.construct_scalar(node)

    def strict(kind: str, construct):
        """`!!int x`, `!!bool maybe`: PyYAML's own error, not a located one, unless caught here."""
        def checked(loader, node):
            try:
                return construct(loader, node)
            except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
                raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not {kind}",
                                                        node.start_mark) from None
        return checked

    loader = type("KbgenLoader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    for tag, kind, construct in (("int", "a whole number", yaml.SafeLoader.construct_yaml_int),
                                 ("float", "a number", yaml.SafeLoader.construct_yaml_float),
                                 ("bool", "true or false", yaml.SafeLoader.construct_yaml_bool)):
        loader.add_constructor(f"tag:yaml.org,2002:{tag}", strict(kind, construct))
    return loader


#: How many values aliases (`*name`) may repeat in one file, written out. An alias costs nothing in PyYAML's tree,
#: but every later step walks the values written out: nine aliases of nine aliases … of a nine-item list, 303
#: bytes, took 31 s and 2.9 GB (issue 17, "billion laughs"). Real files repeat a few lists or tables.
MAX_ALIAS_VALUES = 10_000


def _check_aliases(root: yaml.Node) -> None:
    """Count, in document order, the values aliases repeat (each node's written-out size is worked out once), and
    stop with the line of the collection whose alias passes MAX_ALIAS_VALUES, or that contains itself."""
    sizes: dict[int, int] = {}  # id(node) → how many values it holds written out, once it is fully walked
    walking: set[int] = {id(root)}
    stack: list[list] = [[root, iter(_children(root)), 1]]  # node, its children left, its size so far
    repeated = 0
    while stack:
        frame = stack[-1]
        child = next(frame[1], None)
        if child is None:
            stack.pop()
            walking.discard(id(frame[0]))
            sizes[id(frame[0])] = frame[2]
            if stack:
                stack[-1][2] += frame[2]
            continue
        line = frame[0].start_mark.line + 1
        if id(child) in sizes:  # seen before: an alias, written out again in full
            repeated += sizes[id(child)]
            frame[2] += sizes[id(child)]
            if repeated > MAX_ALIAS_VALUES:
                raise YamlSyntaxError(line, f"its aliases (*name) repeat more than {MAX_ALIAS_VALUES:,} values, the "
                                            "most kbgen writes out; write the values out, or repeat fewer")
        elif id(child) in walking:
            raise YamlSyntaxError(line, "an alias (*name) stands inside the value it names, which never ends; "
                                        "repeat a value outside of itself")
        else:
            walking.add(id(child))
            stack.append([child, iter(_children(child)), 1])


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return node.value if isinstance(node, yaml.SequenceNode) else []


#: ` #2 of the setup` after a plain value: YAML ends the value there, but a comment a writer means has a space
#: after `#` (`order: 3  # after billing`). A `#` followed by a word is text that was lost (`title: Step #2`).
_CUT_COMMENT = re.compile(r"^[ \t]+(#\S.*)$")


def cut_value_message(path: tuple, dropped: str) -> str:
    """What an `unquoted-hash` warning says: what was lost and the two ways to fix it."""
    key = ".".join(str(p) for p in path) or "value"
    return (f"'{key}' ends before '{dropped}': YAML reads ' #' as the start of a comment; put the whole value in "
            "quotes to keep it, or write '# ' with a space if it is a comment")


def _find_cut_values(node: yaml.Node, path: tuple, text_lines: list[str], cut: list[tuple[tuple, int, str]]) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            _find_cut_values(value_node, path + (key,), text_lines, cut)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _find_cut_values(item, path + (i,), text_lines, cut)
    elif isinstance(node, yaml.ScalarNode) and not node.style and node.end_mark.line < len(text_lines):
        rest = text_lines[node.end_mark.line][node.end_mark.column:]
        m = _CUT_COMMENT.match(rest)
        if m:
            cut.append((path, node.end_mark.line + 1, m.group(1).rstrip()))


def duplicate_key_message(path: tuple, first_line: int) -> str:
    """What a `duplicate-key` warning says: which value is lost."""
    key = ".".join(str(p) for p in path)
    return f"'{key}' is set again here: the value on line {first_line} is ignored; keep one of the two"


def _index_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int],
                 duplicates: list[tuple[tuple, int, int]]) -> None:
    import yaml

    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            first = lines.get(path + (key,))
            _index_lines(value_node, path + (key,), lines, duplicates)
            # A key's problem is best shown on the key's own line, even when the value starts below it.
            lines[path + (key,)] = key_node.start_mark.line + 1
            if first is not None and key_node.tag != "tag:yaml.org,2002:merge":
                duplicates.append((path + (key,), key_node.start_mark.line + 1, first))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), lines, duplicates)
