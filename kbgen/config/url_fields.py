"""The kinds of kbgen.yml fields that end up as a link or an image on every page: `support_url`, `footer_links`
and `logo`. Each passes the scheme check of `safe_urls`, and a relative one may not climb out with `..`. The
analytics endpoint, an address every page sends to, passes the scheme check too."""

from __future__ import annotations

from typing import Any

from kbgen.config.kinds import SwitchOrTable
from kbgen.config.schema import InvalidEntry, Str, _describe
from kbgen.core.safe_urls import climbs_out, refused_scheme, scheme_message, scheme_of

_CODE = "unsafe-url"


def _checked(url: str, key: Any = None) -> str:
    scheme = refused_scheme(url)
    if scheme is not None:
        raise InvalidEntry(key, scheme_message(url, scheme), _CODE)
    if climbs_out(url):
        raise InvalidEntry(key, f"'{url}' leads out of the site with '..'; give an absolute URL (https://…) or a "
                                "path inside the site", _CODE)
    return url


class LinkUrl(Str):
    """A link readers follow: http(s), mailto, tel, or a path inside the site."""

    label = "a URL (https://…, mailto:…, tel:…) or a path inside the site"

    def convert(self, value: Any) -> str:
        return _checked(super().convert(value))


class LinkMap(Str):
    """Labels mapped to links (`footer_links: {Status: https://status.example.com/}`), each checked as a LinkUrl."""

    label = "a mapping of labels to URLs"

    def convert(self, value: Any) -> dict[str, str]:  # type: ignore[override]
        if not isinstance(value, dict):
            raise ValueError(f"expected a mapping (label: URL), got {_describe(value)}")
        return {str(label): _checked(Str().convert(url), label) for label, url in value.items()}


class AssetOrUrl(Str):
    """An image: a path inside the theme's assets/ folder, or an http(s) URL."""

    label = "a path inside the theme's assets/ or an https:// URL"

    def convert(self, value: Any) -> str:
        text = _checked(super().convert(value))
        if scheme_of(text) not in (None, "http", "https"):
            raise InvalidEntry(None, f"'{text}' is not an image address: give a file in the theme's assets/ "
                                     "folder or an https:// URL", _CODE)
        return text


class AnalyticsSwitch(SwitchOrTable):
    """`analytics:` — off, on, or `{endpoint: …}`, whose endpoint may be a path in the site or an http(s) URL."""

    def convert(self, value: Any) -> dict[str, str] | bool:
        settings = super().convert(value)
        if isinstance(settings, dict):
            endpoint = settings.get("endpoint") or ""
            scheme = refused_scheme(endpoint)
            if scheme is not None:
                raise InvalidEntry("endpoint", scheme_message(endpoint, scheme), _CODE)
        return settings
