"""What rendering an article gives later stages (`Rendered`), and everything besides its text that changes it
(`RenderSettings`, part of the render cache's key)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kbgen.core.limits import DEFAULT_MAX_ARTICLE_BYTES


@dataclass
class Heading:
    level: int
    text: str
    id: str
    line: int


@dataclass
class LinkRef:
    """A link or image to resolve later: `target` as markdown-it leaves it (percent-encoded; `links.py` splits
    off the query and fragment before decoding, so an encoded `#` stays in a name), at `path:line` of the
    source."""

    target: str
    path: str
    line: int


@dataclass
class Section:
    """A `##`/`###` part of the page (or the intro before the first one, id ""), as plain text for search."""

    id: str
    title: str
    level: int
    text: str


@dataclass
class Rendered:
    html: str
    h1: str | None
    headings: list[Heading]
    links: list[LinkRef]
    images: list[LinkRef]
    sections: list[Section]
    problems: list[tuple[str, int, str, str]] = field(default_factory=list)
    used_snippets: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.sections if s.text)


@dataclass(frozen=True)
class RenderSettings:
    """Everything besides the article's text that changes its rendering; part of the cache key."""

    anchors: str = "translit"
    variables: tuple[tuple[str, str], ...] = ()
    snippets: tuple[tuple[str, str, str], ...] = ()  # (name, display path, text)
    language: str = "en"  # of an article whose front matter does not say
    languages: tuple[str, ...] = ()  # `languages:` of a multilingual site: content/<lang>/ is in that language
    callout_titles: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (lang, ((kind, title), …))
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES  # also how long an article may grow with its snippets
    root: str = ""  # the content folder as diagnostics show it (`content`): included files are named from it

    def language_of(self, rel: str, declared: str | None) -> str:
        """An article's language: its `lang:`, else its language folder (`ru/billing.md`), else the site's."""
        folder = rel.split("/", 1)[0] if "/" in rel else ""
        return declared or (folder if folder in self.languages else self.language)

    def titles_for(self, lang: str | None) -> dict[str, str]:
        """Callout titles (`note` → `Примечание`) in the article's language, English where it has none."""
        by_lang = {code: dict(titles) for code, titles in self.callout_titles}
        return {**by_lang.get("en", {}), **by_lang.get(lang or self.language, {})}
