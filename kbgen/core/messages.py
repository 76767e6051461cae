"""UI strings per language: one YAML catalogue per language, which a site's theme can extend or override."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kbgen.core.diagnostics import KbgenError
from kbgen.core.yamlsource import YamlSyntaxError, parse_yaml


def plural_form(lang: str, n: int) -> str:
    """CLDR plural category for the languages we ship (Russian needs one/few/many)."""
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


def load_catalogue(theme_dirs: list[Path], lang: str) -> dict[str, Any]:
    """English underneath, then the language's own strings, each theme folder overriding the one before."""
    strings: dict[str, Any] = {}
    for base in theme_dirs:
        for code in dict.fromkeys(["en", lang]):
            path = base / "messages" / f"{code}.yml"
            if path.is_file():
                try:
                    data = parse_yaml(path.read_text(encoding="utf-8")).data
                except YamlSyntaxError as exc:
                    raise KbgenError(f"{path}:{exc.line}: invalid YAML: {exc.problem}") from None
                strings.update(data if isinstance(data, dict) else {})
    return strings


def unknown_language_message(code: str, spoken: list[str], what: str) -> str:
    """What an `unknown-language` warning says: `what` (its pages, this page) would fall back to English."""
    return (f"the theme has no words in '{code}' (it speaks {', '.join(spoken)}): {what} would show English buttons "
            f"and dates; add messages/{code}.yml to your theme (see Languages), or use one of those")


def translator(strings: dict[str, Any], lang: str) -> Callable[..., str]:
    def gettext(key: str, **values: Any) -> str:
        text = strings.get(key, key)
        if isinstance(text, dict):
            forms = text
            text = forms.get(plural_form(lang, int(values.get("count", 0)))) or forms.get("other") or next(
                iter(forms.values()))
        return str(text).format(**values) if values else str(text)

    return gettext


def format_date(strings: dict[str, Any], day: dt.date) -> str:
    """`2024-03-02` as readers of the catalogue's language write it (`date_format`, `months` keys)."""
    months = strings.get("months") or []
    month = months[day.month - 1] if len(months) == 12 else f"{day.month:02d}"
    return str(strings.get("date_format", "{year}-{month}-{day}")).format(day=day.day, month=month, year=day.year)


class Catalogues:
    """The UI strings of every language of the site. Templates call one `_` and `date`; they speak the language
    of the page being rendered on this thread (imported macros see Jinja globals, not the page's context)."""

    def __init__(self, theme_dirs: list[Path], languages: list[str]) -> None:
        self.strings = {lang: load_catalogue(theme_dirs, lang) for lang in languages}
        self._translators = {lang: translator(s, lang) for lang, s in self.strings.items()}
        self._local = threading.local()
        self._default = languages[0]

    @property
    def current(self) -> str:
        return getattr(self._local, "lang", self._default)

    @contextmanager
    def speaking(self, lang: str) -> Iterator[None]:
        previous = self.current
        self._local.lang = lang if lang in self.strings else self._default
        try:
            yield
        finally:
            self._local.lang = previous

    def gettext(self, key: str, **values: Any) -> str:
        return self._translators[self.current](key, **values)

    def in_language(self, lang: str, key: str) -> str:
        """One string in a given language: the language switcher names each language in its own words."""
        return self._translators.get(lang, self._translators[self._default])(key)

    def date(self, day: dt.date | None) -> str:
        return format_date(self.strings[self.current], day) if day else ""
