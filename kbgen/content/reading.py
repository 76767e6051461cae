"""Loading one article file: decode, split the front matter, validate and render it into a `FileResult`.

What a file yields depends on its bytes and the render settings alone, so it is cached by content hash and runs
in worker processes. The `Article` that carries it through the build is in `kbgen.content.model`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from kbgen.config.frontmatter import FrontMatter, decode, encoding_message, parse_front_matter, split
from kbgen.content.model import FileResult
from kbgen.core.messages import unknown_language_message
from kbgen.markdown import RenderSettings, render, render_inline_title

_IDS = re.compile(r'\sid="([^"]+)"')
#: `<a name="x"></a>`, the anchor of older HTML that browsers still scroll to, as DocFX-era docs write before their
#: headings (26,660 `#x` links of Microsoft's C++ docs lead to one). Bounded, so no tag costs more than its length.
_A_NAMES = re.compile(r'<a\s(?:[^>]{0,200}?\s)?name="([^"]+)"')


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
