"""Long listings in pages (issue 20): a category or tag with more articles than `listing_page_size` is split into
pages at `page/2/`, `page/3/`… (page 1 keeps the listing's own URL), each with an A–Z list of where letters start.

A 27,000-article category was one 3.3 MB page; split at 100 articles, every page stays a few dozen KB. Nothing here
renders: `kbgen.render.pages` asks a `Listing` for its pages and `kbgen.render.views.ListingView` shows one page
to templates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbgen.content.model import Article

#: The jump list's entry for titles that start with a digit or a sign: they sort before the letters.
OTHER_INITIAL = "#"


def initial(title: str) -> str:
    """The jump-list letter of a title: its first character in capitals, a Latin letter without its accent (`É`
    → `E`), `Ё` as `Е` (as Russian indexes file it); a digit or a sign is `#`. Other letters stay what they are
    (`Й` is not `И`), so a Russian listing gets Cyrillic letters and a Greek one Greek letters."""
    first = title.lstrip()[:1]
    if not first.isalpha():
        return OTHER_INITIAL
    upper = first.upper()
    if len(upper) != 1:  # `ß` → `SS`: keep the letter as written
        upper = first
    base = unicodedata.normalize("NFD", upper)[0]
    if base.isascii() or upper == "Ё":
        return base
    return upper


@dataclass(frozen=True)
class Letter:
    """One entry of the jump list: the page holding the first article under `label`, and that article's anchor."""

    label: str
    page: int
    anchor: str
    position: int  # the article's index in the whole listing


class Listing:
    """The articles of one category or tag, in the order the listing shows them, cut into pages of `size`."""

    def __init__(self, url: str, articles: Sequence[Article], size: int) -> None:
        self.url = url  # page 1, the listing's own address
        self.articles = articles
        self.size = size

    @property
    def count(self) -> int:
        """How many pages: 1 for a listing that fits on one."""
        return max(1, -(-len(self.articles) // self.size))

    @property
    def paginated(self) -> bool:
        return len(self.articles) > self.size

    def page_url(self, number: int) -> str:
        """`billing/` for page 1, `billing/page/2/` after it (a folder URL from the site root, like every page's)."""
        return self.url if number == 1 else f"{self.url}page/{number}/"

    def later_pages(self) -> range:
        """The numbers of the pages after the first: each is a page of its own to write."""
        return range(2, self.count + 1)

    def on_page(self, number: int) -> Sequence[Article]:
        return self.articles[(number - 1) * self.size:number * self.size]

    @cached_property
    def letters(self) -> list[Letter]:
        """Where each letter starts, in the order the listing reaches it.

        Articles with `order:` come first in a listing, placed by hand; the rest follow sorted by title. The jump
        list indexes that sorted part only (a letter found in a hand-made order would send a reader to a page
        that does not hold the other articles of that letter); a listing placed wholly by `order:` has none."""
        found: dict[str, Letter] = {}
        for i, article in enumerate(self.articles):
            if article.meta.get("order") is not None:
                continue
            label = initial(article.title)
            if label not in found:
                anchor = "kb-az-0" if label == OTHER_INITIAL else f"kb-az-{label.casefold()}"
                found[label] = Letter(label, i // self.size + 1, anchor, i)
        return list(found.values())
