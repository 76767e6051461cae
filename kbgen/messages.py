"""UI strings per language: one YAML catalogue per language, which a site's theme can extend or override."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from kbgen.diagnostics import KbgenError


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
                    strings.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
                except yaml.YAMLError as exc:
                    raise KbgenError(f"{path}: invalid YAML: {exc}") from None
    return strings


def translator(strings: dict[str, Any], lang: str) -> Callable[..., str]:
    def gettext(key: str, **values: Any) -> str:
        text = strings.get(key, key)
        if isinstance(text, dict):
            forms = text
            text = forms.get(plural_form(lang, int(values.get("count", 0)))) or forms.get("other") or next(
                iter(forms.values()))
        return str(text).format(**values) if values else str(text)

    return gettext
