"""The one scheme check every URL from content and config passes before it reaches a page (issue 18).

A link may lead to a web page (http, https), an address (mailto, tel) or a path inside the site; any other scheme
(`javascript:`, `data:`, `vbscript:`, `file:`) is refused. The check looks at the URL as the browser will: after
percent-decoding (markdown-it lets `javascript%3A` through its own filter, and kbgen decodes link targets), with
the tabs and line breaks a browser drops and the leading control characters and spaces it skips (WHATWG URL
standard, "basic URL parser").
"""

from __future__ import annotations

import re
from urllib.parse import unquote

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_DROPPED = re.compile(r"[\t\n\r]")
_LEADING = "".join(chr(c) for c in range(0x21))  # C0 controls and space, skipped before the scheme
#: Percent-decoding is repeated until nothing changes, a few times at most (`%253A` → `%3A` → `:`).
_MAX_DECODES = 4


def as_browser_sees(url: str) -> str:
    """`url` percent-decoded, without tabs and line breaks and with no control characters or spaces in front."""
    for _ in range(_MAX_DECODES):
        decoded = unquote(url)
        if decoded == url:
            break
        url = decoded
    return _DROPPED.sub("", url).lstrip(_LEADING)


def scheme_of(url: str) -> str | None:
    """The scheme a browser reads in `url`, in lower case (`javascript`), or None for a relative URL."""
    m = _SCHEME.match(as_browser_sees(url))
    return m.group(1).lower() if m else None


def refused_scheme(url: str) -> str | None:
    """The scheme of `url` when it is not one a page may link to (`javascript`), else None (relative URLs too)."""
    scheme = scheme_of(url)
    return scheme if scheme is not None and scheme not in ALLOWED_SCHEMES else None


def scheme_message(url: str, scheme: str) -> str:
    """The diagnostic for a refused URL: what was found and what a link may be."""
    shown = url if len(url) <= 80 else url[:77] + "…"
    return (f"'{shown}' is a {scheme}: URL, which a reader's browser would run or open outside the web; "
            f"links may be http(s), mailto, tel or a path inside the site")


def climbs_out(path: str) -> bool:
    """A relative path with a `..` that leads above where it starts (`../../etc/passwd`), or an absolute file path."""
    seen = as_browser_sees(path).replace("\\", "/")
    if seen.startswith("/") and not seen.startswith("//"):
        return False  # a path from the site's root
    depth = 0
    for part in seen.split("?", 1)[0].split("#", 1)[0].split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False
