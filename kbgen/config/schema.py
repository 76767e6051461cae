"""Typed schemas for YAML mappings (kbgen.yml, front matter, _category.yml), validated all at once.

Each field is declared once with its type, default and a docstring (MkDocs' config schema is the model). A
validation pass reports every problem together, each with the YAML line of the offending key. Here: the machinery
and the kinds front matter and kbgen.yml share; the kinds of kbgen.yml alone are in `kbgen.config.kinds`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from kbgen.core.yamlsource import YamlValue


class Kind:
    """A field type: `convert` turns a YAML value into the Python value or raises ValueError saying why."""

    label = "value"

    def convert(self, value: Any) -> Any:  # pragma: no cover - each kind overrides
        raise NotImplementedError


class Str(Kind):
    label = "text"

    def convert(self, value: Any) -> str:
        # YAML reads `title: 2024` or `title: yes` as a number/bool; a writer meant text.
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, (bool, dt.date)):
            return str(value).lower() if isinstance(value, bool) else value.isoformat()
        raise ValueError(f"expected text, got {_describe(value)}")


class Int(Kind):
    label = "a whole number"

    def convert(self, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
            return int(value)
        raise ValueError(f"expected a whole number, got {_describe(value)}")


class Bool(Kind):
    label = "true or false"

    def convert(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise ValueError(f"expected true or false, got {_describe(value)}")


class Date(Kind):
    label = "a date (YYYY-MM-DD)"

    def convert(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                if re.match(r"\s*\d{4}-\d\d-\d\d", value):  # the shape of a date, a day no calendar has
                    raise ValueError(f"{value.strip()} is not a day of the calendar; "
                                     "write a date like 2024-05-31") from None
        raise ValueError(f"expected a date like 2024-05-31, got {_describe(value)}")


class StrList(Kind):
    """A list of text; one value written alone (`tags: billing`, `keywords: vbaac10.chm12553`) is a list of one,
    as real documentation sets write it in thousands of files (issue 17)."""

    label = "a list of text"

    def convert(self, value: Any) -> list[str]:
        if not isinstance(value, (list, dict)):
            value = [value]
        if not isinstance(value, list):
            raise ValueError(f"expected a list such as [a, b], got {_describe(value)}")
        out = []
        for item in value:
            if isinstance(item, (dict, list)) or item is None:
                raise ValueError(f"expected a list of text, but an item is {_describe(item)}")
            out.append(Str().convert(item))
        return out


class Choice(Kind):
    def __init__(self, *choices: str) -> None:
        self.choices = choices
        self.label = " | ".join(choices)

    def convert(self, value: Any) -> str:
        if isinstance(value, str) and value in self.choices:
            return value
        hint = _did_you_mean(str(value), self.choices)
        raise ValueError(f"expected one of {', '.join(self.choices)}, got {_describe(value)}{hint}")


_DURATION = re.compile(r"^\s*(\d+)\s*(d|w|m|y)\s*$")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


#: The longest period kbgen counts in (100 years): past it a date plus the period leaves the calendar (year 9999).
MAX_DURATION_DAYS = 36_500


class Duration(Kind):
    label = "a duration such as 90d, 6w, 6m or 1y"

    def convert(self, value: Any) -> int:
        """Days. A bare number is days, as writers expect `review_every: 90` to mean."""
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            days = value
        else:
            m = _DURATION.match(str(value)) if isinstance(value, str) else None
            if not m or int(m.group(1)) == 0:
                raise ValueError(f"expected a duration such as 90d, 6w, 6m or 1y, got {_describe(value)}")
            days = int(m.group(1)) * _DAYS[m.group(2)]
        if days > MAX_DURATION_DAYS:
            raise ValueError(f"expected a duration of at most 100 years (100y, {MAX_DURATION_DAYS} days), "
                             f"got {_describe(value)}")
        return days


class InvalidEntry(ValueError):
    """A problem with one entry of a mapping: `key` lets the report point at the entry's own line (None: the
    field's line); `code` is the diagnostic it is reported as."""

    def __init__(self, key: Any, message: str, code: str = "config-invalid") -> None:
        super().__init__(message)
        self.key = key
        self.code = code


@dataclass(frozen=True)
class Field:
    """One declared key: its type, its default, and what it is for (shown in errors and the docs)."""

    name: str
    kind: Kind
    default: Any
    doc: str


@dataclass
class Problem:
    line: int
    message: str
    code: str = "config-invalid"


def validate(
    fields: list[Field], source: YamlValue, prefix: tuple = ()
) -> tuple[dict[str, Any], dict[str, Any], list[Problem], list[Problem]]:
    """Check a mapping against `fields`.

    Returns (values, extra, problems, unknown): every declared field with its value or default; keys not declared
    (kept: front matter may carry anything a template wants); wrong types; and unknown keys with a suggestion.
    """
    data = source.data
    for part in prefix:
        data = data.get(part) if isinstance(data, dict) else None
    values = {f.name: f.default for f in fields}
    if data is None:
        return values, {}, [], []
    if not isinstance(data, dict):
        return values, {}, [Problem(source.line(*prefix), f"expected a mapping of keys, got {_describe(data)}")], []
    by_name = {f.name: f for f in fields}
    extra: dict[str, Any] = {}
    problems: list[Problem] = []
    unknown: list[Problem] = []
    for key, value in data.items():
        line = source.line(*prefix, key)
        spec = by_name.get(str(key))
        if spec is None:
            extra[str(key)] = value
            unknown.append(Problem(line, f"unknown key '{key}'{_did_you_mean(str(key), list(by_name))}"))
            continue
        if value is None:
            continue  # `description:` left empty means "not set", as writers expect
        try:
            values[spec.name] = spec.kind.convert(value)
        except InvalidEntry as exc:
            at = line if exc.key is None else source.line(*prefix, key, exc.key)
            problems.append(Problem(at, f"'{key}': {exc}", exc.code))
        except ValueError as exc:
            problems.append(Problem(line, f"'{key}': {exc}"))
    return values, extra, problems, unknown


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return repr(value)


def _did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    return _closest(word, tuple(options))


@functools.lru_cache(maxsize=1024)
def _closest(word: str, options: tuple[str, ...]) -> str:
    """Cached: a corpus tends to repeat the same unknown field in every article."""
    import difflib  # only when a key is misspelt

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
