"""One help centre in several languages: which language each page speaks and where its translations are.

With `languages: [en, ru]` in kbgen.yml, `content/en/` and `content/ru/` are separate trees published at `site/en/`
and `site/ru/`; each has its own home, categories, tags and feed. Articles pair across languages by the front
matter's `translation_key`, else by the same path inside their language folder, so the language switcher keeps a
reader on the same article. Without `languages`, the whole site speaks `language:` and lives at the root.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kbgen.article import Article

if TYPE_CHECKING:
    from kbgen.config import Config
    from kbgen.diagnostics import Diagnostics
    from kbgen.site import Category, Site


@dataclass(eq=False)
class Language:
    code: str
    url: str  # "en/" on a site of several languages, "" on a site of one
    home: Category  # its children are the categories this language's home page shows
    articles: list[Article] = field(default_factory=list)


class Languages:
    """Every language of the site, and the translations of each page."""

    def __init__(self, site: Site, codes: list[str], several: bool) -> None:
        from kbgen.site import Category

        self.several = several
        self.all: list[Language] = []
        for code in codes:
            home = site.categories.get(code) if several else site.root
            if home is None:  # a language with no articles yet still gets a home page
                home = Category(rel=code, title=code, url=f"{code}/", parent=site.root)
            if several:
                home.language = code
            self.all.append(Language(code, f"{code}/" if several else "", home))
        self.by_code = {lang.code: lang for lang in self.all}
        self._pairs: dict[tuple[str, str], str] = {}  # (language, translation key) → URL
        for a in site.articles:
            if several and a.rel == "index.md":  # the language choice page's introduction
                a.lang = self.default.code
                continue
            lang = self.of_url(a.url)
            a.lang = lang.code
            lang.articles.append(a)
            self._pairs.setdefault((lang.code, self.translation_key(a)), a.url)
        for cat in site.categories.values():
            if cat.rel:
                self._pairs.setdefault((self.of_url(cat.url).code, self.translation_key_of_folder(cat.rel)), cat.url)

    @property
    def default(self) -> Language:
        return self.all[0]

    def of_url(self, url: str) -> Language:
        """The language of the page at `url` (relative to the site root)."""
        if self.several:
            return self.by_code.get(url.split("/", 1)[0], self.default)
        return self.default

    def _strip(self, rel: str) -> str:
        """`en/billing/refunds.md` → `billing/refunds.md` on a site of several languages."""
        if self.several:
            head, _, rest = rel.partition("/")
            if head in self.by_code:
                return rest
        return rel

    def translation_key(self, article: Article) -> str:
        return article.meta.get("translation_key") or self._strip(article.rel)

    def translation_key_of_folder(self, rel: str) -> str:
        """Category pages pair by their folder's path inside the language folder."""
        return self._strip(rel) + "/"

    def alternates(self, url: str, key: str | None) -> list[dict[str, object]]:
        """Where the reader of the page at `url` lands in each language: the page with the same translation `key`
        (an article's, or a folder's path + "/") when there is one, else that language's home."""
        here = self.of_url(url)

        def target(lang: Language) -> str:
            if lang is here and url:
                return url
            return self._pairs.get((lang.code, key), lang.url) if key else lang.url

        return [{"code": lang.code, "current": lang is here, "url": target(lang)} for lang in self.all]

def site_languages(site: Site, config: Config, diagnostics: Diagnostics | None = None) -> Languages:
    """The site's languages, worked out once per site (build, serve and search all ask)."""
    if site.languages is None:
        several = bool(config.languages)
        codes = list(dict.fromkeys(config.languages)) if several else [config.language]
        if several and diagnostics is not None:
            for a in site.articles:
                if a.rel.split("/", 1)[0] not in codes and a.rel != "index.md":  # index.md: the choice page's intro
                    diagnostics.add(a.display, 1, "language-folder",
                                    f"on a site with `languages: [{', '.join(codes)}]` every article belongs in "
                                    f"a language folder such as content/{codes[0]}/; move it there")
        site.languages = Languages(site, codes, several)
    return site.languages
