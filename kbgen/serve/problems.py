"""The preview's diagnostics, kept by where each came from, so a save replaces only the ones it can change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.core.diagnostics import Diagnostic, Diagnostics

if TYPE_CHECKING:
    from kbgen.content.model import Article


class Problems:
    """Config and site-wide problems, each article's load problems, and each article's link problems."""

    def __init__(self, overrides: dict, strict: bool) -> None:
        self.overrides, self.strict = overrides, strict
        self.config: list[Diagnostic] = []  # the config's and the theme's, reported once per load
        self.site: list[Diagnostic] = []  # placing the site (duplicate URLs, languages…)
        self.load: dict[str, list[Diagnostic]] = {}  # source path → reading and rendering it
        self.links: dict[str, list[Diagnostic]] = {}  # source path → resolving its links

    def fresh(self) -> Diagnostics:
        """An empty list with the site's severity overrides, for one stage or one article."""
        return Diagnostics(self.overrides, strict=self.strict)

    def of_file(self, problems: list[tuple[str, int, str, str]]) -> list[Diagnostic]:
        """A loaded file's problems as diagnostics, with the site's severities."""
        diagnostics = self.fresh()
        diagnostics.extend([Diagnostic(*p) for p in problems])
        return diagnostics.items

    def link_report(self, article: Article) -> Diagnostics:
        """Where the links of `article` report: its own list, replaced when it is resolved again."""
        diagnostics = self.fresh()
        self.links[article.rel] = diagnostics.items
        return diagnostics

    def all(self) -> list[Diagnostic]:
        found = list(self.config) + list(self.site)
        for items in self.load.values():
            found.extend(items)
        for items in self.links.values():
            found.extend(items)
        return found
