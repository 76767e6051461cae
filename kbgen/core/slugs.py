"""Readable, stable slugs for URLs and heading anchors, including Cyrillic ones.

Operators paste links to answers into chats, so `#как-понять` percent-encoded into `#%D0%BA%D0%B0%D0%BA…` is
useless. Cyrillic is transliterated the way Russian web documentation already does it (the scheme doka.guide's
anchors use: щ→shch, х→h, ц→c, ё→yo, ъ/ь dropped), so anchors written by hand in existing content still resolve.
Anchors keep the characters URLs never need to escape (RFC 3986 "unreserved": a-z 0-9 . _ ~ -).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "h", "c", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g", "u"],
    strict=True,
))
_TRANSLIT_TABLE = str.maketrans(_CYRILLIC)

_ANCHOR_DROP = re.compile(r"[^a-z0-9._~-]+")
_ANCHOR_DROP_UNICODE = re.compile(r"[^\w.~-]+")
_URL_DROP = re.compile(r"[^a-z0-9_-]+")


def transliterate(text: str) -> str:
    """Latin letters for Cyrillic ones, accents removed (`Yún` → `Yun`); other scripts pass through."""
    text = text.lower().translate(_TRANSLIT_TABLE)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def anchor_slug(text: str, style: str = "translit") -> str:
    """The id of a heading: `Как понять` → `kak-ponyat`, `classList.toggle()` → `classlist.toggle`."""
    if style == "unicode":
        slug = _ANCHOR_DROP_UNICODE.sub("-", unicodedata.normalize("NFC", text).lower())
    else:
        slug = _ANCHOR_DROP.sub("-", transliterate(text))
    return re.sub(r"-{2,}", "-", slug).strip("-") or "section"


@lru_cache(maxsize=65536)  # a site's folder names come back for every page under them
def url_slug(text: str) -> str:
    """One URL path segment: `Licensing & Counterfeits` → `licensing-counterfeits`, `Оплата` → `oplata`."""
    slug = _URL_DROP.sub("-", transliterate(text))
    return re.sub(r"-{2,}", "-", slug).strip("-") or "page"


class AnchorSet:
    """Hands out unique anchors within one page: the second `Example` becomes `example-1`."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        #: Per anchor asked for twice: the N to try next for `wanted-N`. Counting up from 1 every time made a
        #: page of 16,000 identical headings take 16 s (issue 17); the free N only grows, so it is kept.
        self.next_number: dict[str, int] = {}

    def claim(self, wanted: str) -> tuple[str, bool]:
        """Reserve `wanted` or the next free `wanted-N`; the flag says whether `wanted` itself was taken."""
        if wanted not in self.used:
            self.used.add(wanted)
            return wanted, False
        n = self.next_number.get(wanted, 1)
        while f"{wanted}-{n}" in self.used:
            n += 1
        self.next_number[wanted] = n + 1
        self.used.add(f"{wanted}-{n}")
        return f"{wanted}-{n}", True
