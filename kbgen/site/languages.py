"""One help centre in several languages: which language each page speaks and where its translations are.

With `languages: [en, ru]` in kbgen.yml, `content/en/` and `content/ru/` are separate trees published at `site/en/`
and `site/ru/`; each has its own home, categories, tags and feed. Articles pair across languages by the front
matter's `translation_key`, else by the same path inside their language folder, so the language switcher keeps a
reader on the same article. Without `languages`, the whole site speaks `language:` and lives at the root.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.content.model import Category, Language, Languages, Site

if TYPE_CHECKING:
    from kbgen.config.settings import Config
    from kbgen.core.diagnostics import Diagnostics


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
        site.languages = place_languages(site, codes, several)
    return site.languages


def place_languages(site: Site, codes: list[str], several: bool) -> Languages:
    """Give each language its home, each article its language, and pair the translations of every page."""
    homes = []
    for code in codes:
        home = site.categories.get(code) if several else site.root
        if home is None:  # a language with no articles yet still gets a home page
            home = Category(rel=code, title=code, url=f"{code}/", parent=site.root)
        if several:
            home.language = code
        homes.append(Language(code, f"{code}/" if several else "", home))
    languages = Languages(homes, several)
    for a in site.articles:
        if several and a.rel == "index.md":  # the language choice page's introduction
            a.lang = languages.default.code
            continue
        lang = languages.of_url(a.url)
        a.lang = lang.code
        lang.articles.append(a)
        languages.pairs.setdefault((lang.code, languages.translation_key(a)), a.url)
    for cat in site.categories.values():
        if cat.rel:
            key = languages.translation_key_of_folder(cat.rel)
            languages.pairs.setdefault((languages.of_url(cat.url).code, key), cat.url)
    return languages
