"""Typed schemas for YAML mappings (kbgen.yml, front matter, _category.yml), validated all at once.

Each field is declared once with its type, default and a docstring (MkDocs' config schema is the model). A
validation pass reports every problem together, each with the YAML line of the offending key.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kbgen.yamlsource import YamlValue


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


_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


class LanguageCode(Str):
    """A language code such as `en`, `pt-BR` or `zh-Hans`: also a folder and URL segment, so nothing else."""

    label = "a language code such as en or pt-BR"

    def convert(self, value: Any) -> str:
        text = super().convert(value)
        if not _LANGUAGE_CODE.fullmatch(text):
            raise ValueError(f"expected a language code such as en or pt-BR, got {text!r}")
        return text


class LanguageList(StrList):
    """`languages: [en, ru]`: each a language code (a folder of content/ and of the site), each once."""

    label = "a list of language codes such as [en, ru]"

    def convert(self, value: Any) -> list[str]:
        codes = super().convert(value)
        for i, code in enumerate(codes):
            try:
                LanguageCode().convert(code)
            except ValueError as exc:
                raise InvalidEntry(i, str(exc)) from None
            if code in codes[:i]:
                raise InvalidEntry(i, f"{code!r} is listed twice; list each language once")
        return codes


class StrMap(Kind):
    label = "a mapping of names to text"

    def convert(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise ValueError(f"expected a mapping (name: value), got {_describe(value)}")
        return {str(k): Str().convert(v) for k, v in value.items()}


class SearchTests(Kind):
    """`search_tests:` — a list of `{query: …, expect: path/of/article.md, top: 3}`."""

    label = "a list of search tests"

    def convert(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise ValueError(f"expected a list of {{query: …, expect: …}}, got {_describe(value)}")
        out = []
        for item in value:
            if not isinstance(item, dict) or not item.get("query") or not item.get("expect"):
                raise ValueError(f"each search test needs 'query' and 'expect', got {_describe(item)}")
            unknown = set(item) - {"query", "expect", "top"}
            if unknown:
                raise ValueError(f"a search test has only query, expect and top, not {', '.join(sorted(unknown))}")
            top = item.get("top", 3)
            if not isinstance(top, int) or isinstance(top, bool) or top < 1:
                raise ValueError(f"'top' is how many results may come first, a whole number, got {_describe(top)}")
            out.append({"query": Str().convert(item["query"]), "expect": Str().convert(item["expect"]), "top": top})
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


class ChoiceMap(Kind):
    """A mapping whose keys come from one set and values from another (e.g. `severity:`)."""

    def __init__(self, keys: Callable[[], list[str]], values: tuple[str, ...]) -> None:
        self.keys = keys
        self.values = Choice(*values)
        self.label = f"a mapping of names to {self.values.label}"

    def convert(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise ValueError(f"expected a mapping, got {_describe(value)}")
        known = self.keys()
        out = {}
        for k, v in value.items():
            if k not in known:
                raise ValueError(f"unknown name '{k}'{_did_you_mean(str(k), known)}")
            out[k] = self.values.convert(v)
        return out


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


class Url(Str):
    label = "an absolute URL (https://…)"

    def convert(self, value: Any) -> str:
        text = super().convert(value)
        if not re.match(r"^https?://[^/\s]+", text):
            raise ValueError(f"expected an absolute URL such as https://help.example.com/, got {text!r}")
        return text if text.endswith("/") else text + "/"


class InvalidEntry(ValueError):
    """A problem with one entry of a mapping: `key` lets the report point at the entry's own line (None: the
    field's line); `code` is the diagnostic it is reported as."""

    def __init__(self, key: Any, message: str, code: str = "config-invalid") -> None:
        super().__init__(message)
        self.key = key
        self.code = code


class PrefixUrlMap(Kind):
    """URL path prefixes of the site mapped to absolute URLs of a wider site (`/windows/: https://…/windows/`)."""

    label = "a mapping of path prefixes (/windows/) to absolute URLs (https://…)"

    def convert(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise ValueError(f"expected a mapping such as {{/windows/: https://learn.microsoft.com/windows/}}, "
                             f"got {_describe(value)}")
        out = {}
        for prefix, url in value.items():
            if not isinstance(prefix, str) or not (prefix.startswith("/") and prefix.endswith("/")):
                raise InvalidEntry(prefix, f"the prefix {prefix!r} must start and end with '/', such as /windows/")
            try:
                out[prefix] = Url().convert(url)
            except ValueError as exc:
                raise InvalidEntry(prefix, f"{prefix}: {exc}") from None
        return out


class SwitchOrTable(Kind):
    """`false` (off), `true` (on with defaults) or a table of settings (`analytics: {endpoint: …}`): text unless
    `kinds` names another kind for a key; `check` sees the whole table and raises ValueError for a combination
    of settings that cannot work."""

    def __init__(self, keys: dict[str, Any], kinds: dict[str, Kind] | None = None,
                 check: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.keys = keys  # name → default
        self.kinds = kinds or {}
        self.check = check
        self.label = f"true, false or a table with {', '.join(keys)}"

    def convert(self, value: Any) -> dict[str, Any] | bool:
        if value is False:
            return False
        if value is True:
            return dict(self.keys)
        table = _table(value, self.keys, self.label, lambda key, v: self.kinds.get(key, Str()).convert(v))
        if self.check:
            self.check(table)
        return table


class Address(Str):
    """Where a script is loaded from: an absolute URL, or a path from the site's host (a proxy, `/js/script.js`)."""

    label = "an absolute URL (https://…, or //host/… as some snippets write it) or a path from the host's root"

    def convert(self, value: Any) -> str:
        text = super().convert(value).strip()
        if not re.match(r"^((https?:)?//[^/\s]+|/(?!/))\S*$", text):
            raise ValueError(f"expected an absolute URL such as https://plausible.io/js/script.js or a path such as "
                             f"/js/script.js, got {text!r}")
        return text


class ByteSizes(Kind):
    """A table of sizes in bytes (`limits: {max_article_bytes: 10MB}`): a whole number, or one with KB, MB or GB."""

    def __init__(self, keys: dict[str, int]) -> None:
        self.keys = keys  # name → default
        self.label = f"a table with {', '.join(keys)}"

    def convert(self, value: Any) -> dict[str, int]:
        return _table(value, self.keys, self.label, _byte_size)


def _table(value: Any, defaults: dict[str, Any], label: str, convert: Callable[[str, Any], Any]) -> dict[str, Any]:
    """The defaults, with each known key the mapping `value` sets (empty ones stay default) converted."""
    if not isinstance(value, dict):
        raise ValueError(f"expected {label}, got {_describe(value)}")
    out = dict(defaults)
    for k, v in value.items():
        if k not in defaults:
            raise ValueError(f"unknown name '{k}'{_did_you_mean(str(k), list(defaults))}")
        if v is not None:
            out[str(k)] = convert(str(k), v)
    return out


_SIZE = re.compile(r"^\s*(\d+)\s*(B|KB|MB|GB)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3}  # decimal, as hosts and file managers


def _byte_size(key: str, value: Any) -> int:
    m = _SIZE.match(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if not m or int(m.group(1)) == 0:
        raise ValueError(f"'{key}' is a size such as 5000000, 500KB or 5MB, got {_describe(value)}")
    return int(m.group(1)) * _SIZE_UNITS[(m.group(2) or "").lower()]


class Color(Str):
    """A CSS colour written as hex, the one form that cannot smuggle other CSS into the page."""

    label = "a colour such as '#0b5cad'"

    def convert(self, value: Any) -> str:
        text = super().convert(value).strip()
        if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", text):
            raise ValueError(f"expected a hex colour such as '#0b5cad' (quoted, as # starts a YAML comment), "
                             f"got {text!r}")
        return text


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
