"""YAML parsing that remembers where every key stands, so a problem can name its line.

MkDocs can only say *which* setting is wrong; kbgen says where. PyYAML's node tree carries start marks; we keep
them in a parallel tree of line numbers while constructing ordinary Python values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

# libyaml's parser is ~10× faster than the pure-Python one and gives the same marks; it matters on 10,000 files.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlValue:
    """A parsed YAML document plus `lines`: a key path (tuple) → 1-based line of that key's value."""

    data: Any
    lines: dict[tuple, int]

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
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlValue(None, {(): 1})
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
    _index_lines(node, (), lines)
    return YamlValue(data, lines)


def _index_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            _index_lines(value_node, path + (key,), lines)
            # A key's problem is best shown on the key's own line, even when the value starts below it.
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), lines)
