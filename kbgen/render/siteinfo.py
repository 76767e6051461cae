"""What every template may say about the site as a whole, worked out once from kbgen.yml: its name, contacts,
colours, footer, the announcement banner and the base of "Edit this page" links."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from markupsafe import Markup

from kbgen.config.settings import Config
from kbgen.markdown import render_inline_title


@dataclass(frozen=True)
class SiteInfo:
    """What every template may say about the site as a whole."""

    name: str
    description: str
    language: str
    base_url: str | None
    support_url: str | None
    support_email: str | None
    logo: str | None = None
    primary_color: str | None = None
    footer_links: tuple[tuple[str, str], ...] = ()
    announcement: Markup | None = None  # the banner's HTML (`announcement:`)
    announcement_key: str = ""  # changes with its text, so a dismissed banner comes back when it changes
    edit_base: str | None = None  # an article's path after this is its "Edit this page" link


def _announcement(text: str | None) -> tuple[Markup | None, str]:
    """The banner's HTML and a key of its text (a dismissal is remembered under the key)."""
    if not text:
        return None, ""
    return Markup(render_inline_title(text)[0]), hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def edit_base(config: Config) -> str | None:
    """`repo_url` + `edit_uri` (by default the content folder on the `main` branch), ending in `/`."""
    if not config.repo_url:
        return None
    uri = config.edit_uri
    if uri is None:
        uri = f"edit/main/{config.values['content_dir'].strip('/')}/"
    uri = uri.lstrip("/")
    return config.repo_url + (uri if uri.endswith("/") or not uri else uri + "/")


def site_info(config: Config, language: str) -> SiteInfo:
    """The site's `SiteInfo`; `language` is its default language's code."""
    return SiteInfo(config.site_name, config.description, language, config.base_url, config.support_url,
                    config.support_email, config.logo, config.primary_color, tuple(config.footer_links.items()),
                    *_announcement(config.announcement), edit_base(config))
