"""The kinds of kbgen.yml's own fields: language codes, mappings, search tests, URLs, tables of settings, sizes and
colours. The schema machinery, and the kinds front matter shares with kbgen.yml, are in `kbgen.config.schema`; the kinds
that end up as a link on every page in `kbgen.config.url_fields`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kbgen.config.schema import Choice, Int, InvalidEntry, Kind, Str, StrList, _describe, _did_you_mean

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


class Url(Str):
    label = "an absolute URL (https://…)"

    def convert(self, value: Any) -> str:
        text = super().convert(value)
        if not re.match(r"^https?://[^/\s]+", text):
            raise ValueError(f"expected an absolute URL such as https://help.example.com/, got {text!r}")
        return text if text.endswith("/") else text + "/"


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


class Matching(Str):
    """A string of one strict form (`pattern`, matched whole once stripped); the error says what was `expected`."""

    pattern: re.Pattern[str]
    expected: str

    def convert(self, value: Any) -> str:
        text = super().convert(value).strip()
        if not self.pattern.fullmatch(text):
            raise ValueError(f"expected {self.expected}, got {text!r}")
        return text


class Address(Matching):
    """Where a script is loaded from: an absolute URL, or a path from the site's host (a proxy, `/js/script.js`)."""

    label = "an absolute URL (https://…, or //host/… as some snippets write it) or a path from the host's root"
    pattern = re.compile(r"((https?:)?//[^/\s]+|/(?!/))\S*")
    expected = "an absolute URL such as https://plausible.io/js/script.js or a path such as /js/script.js"


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


class Color(Matching):
    """A CSS colour written as hex, the one form that cannot smuggle other CSS into the page."""

    label = "a colour such as '#0b5cad'"
    pattern = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
    expected = "a hex colour such as '#0b5cad' (quoted, as # starts a YAML comment)"


#: `listing_page_size` when kbgen.yml does not say: long listings continue on `page/2/` after this many.
DEFAULT_PAGE_SIZE = 100


class PageSize(Int):
    """`listing_page_size`: a whole number of articles, at least 1."""

    label = "a whole number of articles (at least 1)"

    def convert(self, value: Any) -> int:
        number = super().convert(value)
        if number < 1:
            raise ValueError(f"expected a whole number of articles, at least 1, got {number}")
        return number
