"""The `Article`: the one object that flows through the build, filled in stages.

loaded   — where it is, its front matter and body (from `load_file`, cacheable and run in worker processes)
rendered — HTML with link placeholders, headings, sections (same)
placed   — its URL, category and output path (`site.py`), final HTML with resolved links (`links.py`)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from kbgen.frontmatter import FrontMatter, decode, encoding_message, parse_front_matter, split
from kbgen.gitdates import NO_GIT, last_updated
from kbgen.markdown import Rendered, RenderSettings, render, render_inline_title
from kbgen.messages import unknown_language_message

if TYPE_CHECKING:
    from kbgen.site import Category

_IDS = re.compile(r'\sid="([^"]+)"')
#: `<a name="x"></a>`, the anchor of older HTML that browsers still scroll to, as DocFX-era docs write before their
#: headings (26,660 `#x` links of Microsoft's C++ docs lead to one). Bounded, so no tag costs more than its length.
_A_NAMES = re.compile(r'<a\s(?:[^>]{0,200}?\s)?name="([^"]+)"')


@dataclass
class FileResult:
    """What one article file yields independently of every other file: safe to cache by content hash."""

    front_matter: FrontMatter
    rendered: Rendered | None
    title: str
    title_html: str
    ids: frozenset[str]
    problems: list[tuple[str, int, str, str]]


def load_file(raw: bytes, rel: str, display: str, settings: RenderSettings) -> FileResult:
    """Decode, split, validate and render one article. Problems carry (path, line, code, message)."""
    try:
        text = decode(raw)
    except UnicodeDecodeError as exc:
        line, message = encoding_message(raw, exc)
        return unreadable(display, "encoding", message, line)
    parts = split(text)
    fm, fm_problems = parse_front_matter(parts)
    problems = [(display, p.line, p.code, p.message) for p in fm_problems]
    lang = settings.language_of(rel, fm.values.get("lang"))
    spoken = [code for code, _titles in settings.callout_titles]
    if fm.values.get("lang") and spoken and lang not in spoken:
        problems.append((display, fm.line_of("lang"), "unknown-language",
                         unknown_language_message(lang, spoken, "this page")))
    rendered = render(parts.body, display, parts.body_line, settings, lang)
    problems.extend(rendered.problems)
    raw_title = fm.values.get("title") or rendered.h1 or _title_from_name(rel)
    title_html, title = render_inline_title(raw_title)
    ids = frozenset(_IDS.findall(rendered.html)) | frozenset(_A_NAMES.findall(rendered.html))
    return FileResult(fm, rendered, title or raw_title, title_html, ids, problems)


def unreadable(display: str, code: str, message: str, line: int = 1) -> FileResult:
    """The result of a file that cannot be rendered at all: only its problem."""
    return FileResult(FrontMatter({}), None, "", "", frozenset(), [(display, line, code, message)])


def _title_from_name(rel: str) -> str:
    """`billing/how-to-get-a-refund.md` → `How to get a refund`; `x/index.md` uses the folder's name."""
    path = PurePosixPath(rel)
    stem = path.parent.name if path.stem == "index" and path.parent.name else path.stem
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else "Untitled"


def content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass(eq=False)
class Article:
    # loaded
    rel: str  # path inside the content folder, POSIX style: "billing/refunds.md"
    display: str  # the path shown in diagnostics: "content/billing/refunds.md"
    mtime: float
    digest: str
    result: FileResult
    # placed
    url: str = ""  # "billing/refunds/" (relative to the site root; "" is the home page)
    category: Category | None = None
    html: str = ""  # body HTML with links resolved
    related_links: list[Article] = field(default_factory=list)  # articles this one links to
    lang: str = ""  # the language it is published in (`kbgen.languages`)
    dated: tuple[dt.date, str] | None = None  # (date, where from), set by `kbgen.gitdates.date_articles`

    @property
    def meta(self) -> dict[str, Any]:
        return self.result.front_matter.values

    @property
    def extra(self) -> dict[str, Any]:
        return self.result.front_matter.extra

    @property
    def title(self) -> str:
        return self.result.title

    @property
    def is_index(self) -> bool:
        """`folder/index.md` is the folder's own page."""
        return self.rel == "index.md" or self.rel.endswith("/index.md")  # asked for every page: no Path made

    @property
    def output_path(self) -> str:
        return f"{self.url}index.html"

    @property
    def updated(self) -> dt.date:
        """When it was last updated, as the page, the sitemap and the feed show it (`kbgen.gitdates`)."""
        return self._dated()[0]

    @property
    def updated_from(self) -> str:
        """Where `updated` came from: "front matter", "git" or "file time"."""
        return self._dated()[1]

    def _dated(self) -> tuple[dt.date, str]:
        # Not dated with git (the preview re-reads articles as they are saved): the same rule without it.
        return self.dated or last_updated(self, NO_GIT)

    def line_of(self, key: str) -> int:
        return self.result.front_matter.line_of(key)

    def sort_key(self) -> tuple:
        order = self.meta.get("order")
        return (order is None, order or 0, self.title.casefold(), self.rel)
