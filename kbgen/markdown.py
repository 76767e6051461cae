"""Markdown → HTML with markdown-it-py, and everything later stages need to know about the page.

The output depends only on the article's own text and the render settings (variables, snippets, anchor style),
never on other articles, so it can be cached by content hash and computed in parallel. Links and images are left
as numbered placeholders and resolved once the whole site is known (`links.py`).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.footnote import footnote_plugin

from kbgen.autolink import gfm_autolink_plugin
from kbgen.highlight import highlight, lexer_for
from kbgen.limits import DEFAULT_MAX_ARTICLE_BYTES
from kbgen.safe_urls import refused_scheme, scheme_message
from kbgen.shortcodes import expand
from kbgen.slugs import AnchorSet, anchor_slug

#: Bump when the HTML or the extracted data changes shape: old cache entries then stop matching.
RENDER_VERSION = "7"

_CUSTOM_ID = re.compile(r"\s*\{#([^\s{}]+)\}\s*$")
#: What CommonMark reads as an autolink but is a name in a programming language: `std::vector`, `System::String`.
_SCOPE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
#: An `<a …>` or `<img …>` start tag in raw HTML (bounded: no tag costs more than its length), and the `href` or
#: `src` in it, quoted either way or not at all.
_RAW_TAG = re.compile(r"<(a|img)\s[^<>]{0,2000}>", re.IGNORECASE)
_RAW_ATTR = {is_image: re.compile(rf"(\s{name}\s*=\s*)(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))", re.IGNORECASE)
             for is_image, name in ((False, "href"), (True, "src"))}
_TAG = re.compile(r"<[^>]+>")


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


def render(body: str, path: str, first_line: int, settings: RenderSettings, lang: str | None = None) -> Rendered:
    """Render one article body. `path` is shown in diagnostics, `first_line` is the body's line in the file,
    `lang` the article's language (`lang:`), else the site's."""
    snippets = {name: (spath, text) for name, spath, text in settings.snippets}
    expanded = expand(body, path, first_line, dict(settings.variables), snippets, settings.max_article_bytes,
                      settings.root)
    env: dict = {"origins": expanded.origins, "anchors": settings.anchors, "problems": expanded.problems}
    md = _parser()
    tokens = md.parse(expanded.text, env)
    titles = settings.titles_for(lang)
    _finish_callouts(tokens, titles)
    _note_diagrams(tokens, titles)
    h1 = _take_leading_h1(tokens)
    headings = _assign_heading_ids(tokens, env)
    links, images = _placeholder_links(tokens, env)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(
        html=html, h1=h1, headings=headings, links=links, images=images,
        sections=_sections(tokens, h1), problems=env["problems"], used_snippets=expanded.used_snippets,
    )


def render_inline_title(title: str) -> tuple[str, str]:
    """A title may carry inline Markdown (`` `aria-live` ``): (safe HTML for display, plain text for <title>)."""
    md = _title_parser()
    tokens = md.parseInline(title, {})
    return md.renderer.render(tokens, md.options, {}).strip(), _inline_text(tokens[0]) if tokens else title


@lru_cache(maxsize=1)
def _title_parser() -> MarkdownIt:
    """Titles are text: emphasis, code and strikethrough stay, raw HTML is escaped (a title shows on up to eight
    kinds of page, issue 18), and links and images are left as written, as a title is itself a link in every list."""
    md = MarkdownIt("commonmark", {"html": False})
    return md.enable("strikethrough").disable(["link", "image", "autolink"])


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "highlight": _highlight, "tasklists": True, "alerts": True})
    md.enable(["table", "strikethrough"])
    md.use(gfm_autolink_plugin).use(footnote_plugin).use(admon_plugin)
    # Percent-encoding a link parses the whole URL; a site links to the same pages over and over (ru-doka: 8,730
    # links, 2,798 distinct), so each distinct one is worked out once.
    md.normalizeLink = lru_cache(maxsize=8192)(md.normalizeLink)  # type: ignore[method-assign]
    # Every link becomes a token, so `_placeholder_links` applies kbgen's one scheme check (`safe_urls`) to it and
    # reports a refused one where it is: markdown-it's own filter left `javascript:` as silent text and let
    # `javascript%3A` through (issue 18).
    md.validateLink = lambda _url: True  # type: ignore[method-assign]
    md.add_render_rule("list_item_open", _task_item_open)
    return md


def _task_item_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    """`- [x] Done` as markdown-it renders it, its checkbox named after the task: a checkbox without a name is a
    critical accessibility failure (axe-core `label`; issue 18)."""
    token = tokens[idx]
    html = self.renderToken(tokens, idx, options, env)
    if token.meta and "checked" in token.meta:
        inline = next((t for t in tokens[idx + 1: idx + 3] if t.type == "inline"), None)
        name = (_inline_text(inline) if inline is not None else "") or "task"
        checked = ' checked=""' if token.meta["checked"] else ""
        html += (f'<input class="task-list-item-checkbox" disabled="" type="checkbox"{checked} '
                 f'aria-label="{html_lib.escape(name)}"> ')
    return html


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """Pygments colours with CSS classes, so one page works in light and dark mode."""
    lang = (lang or "").strip().split()[0].lower() if lang else ""
    lexer = lexer_for(lang) if lang else None
    if lexer is None:
        return ""  # markdown-it escapes and wraps it as plain code
    cls = html_lib.escape(f"language-{lang}")
    return f'<pre class="highlight"><code class="{cls}">{highlight(code, lexer)}</code></pre>\n'


def _line(token: Token, env: dict, extra: int = 0) -> tuple[str, int]:
    """Map a token back to (file, line) through the shortcode expansion's origins."""
    origins = env["origins"]
    index = (token.map[0] if token.map else 0) + extra
    if not origins:
        return "", 1
    return origins[min(index, len(origins) - 1)]


def _finish_callouts(tokens: list[Token], titles: dict[str, str]) -> None:
    """Callout titles in the page's language, and `??? note` / `???+ note` as a real `<details>` (folded / open).

    markdown-it titles GitHub alerts in English and the admonition plugin only adds a CSS class to `???`, which
    folds nothing without a script; `<details>` folds in every browser and works from the keyboard.
    """
    open_admonitions: list[Token] = []
    for i, token in enumerate(tokens):
        if token.type == "alert_open":
            _retitle(tokens[i + 2], titles.get(str(token.meta.get("kind", "")).lower()))
        elif token.type == "admonition_open":
            open_admonitions.append(token)
            has_title = tokens[i + 1].type == "admonition_title_open"
            if has_title and " " not in token.info.strip():  # no title of its own: the kind is the title
                _retitle(tokens[i + 2], titles.get(str(token.meta.get("tag", ""))))
            if token.markup.startswith("?"):
                token.tag = "details"
                if token.markup.endswith("+"):
                    token.attrSet("open", "")
                if has_title:
                    tokens[i + 1].tag = tokens[i + 3].tag = "summary"
        elif token.type == "admonition_close" and open_admonitions:
            token.tag = open_admonitions.pop().tag


def _note_diagrams(tokens: list[Token], titles: dict[str, str]) -> None:
    """A Mermaid diagram stays its readable source, with a note saying so: no diagram library can be shipped
    without vendoring it or loading it from a third-party host."""
    note = html_lib.escape(titles.get("diagram", "Diagram source (Mermaid): kbgen shows it as text."))
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if token.type == "fence" and token.info.strip().split(" ")[0].lower() == "mermaid":
            block = Token("html_block", "", 0, content=f'<p class="kb-diagram-note">{note}</p>\n', map=token.map)
            tokens.insert(i, block)


def _retitle(inline: Token, title: str | None) -> None:
    if title and inline.type == "inline":
        inline.content = title
        inline.children = [Token("text", "", 0, content=title)]


def _take_leading_h1(tokens: list[Token]) -> str | None:
    """A page that opens with `# Title` has its title there: lift it out so the theme shows it once."""
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        text = _inline_text(tokens[1])
        del tokens[0:3]
        return text
    return None


def _assign_heading_ids(tokens: list[Token], env: dict) -> list[Heading]:
    anchors = AnchorSet()
    headings = []
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        custom = _strip_custom_id(inline)
        text = _inline_text(inline)
        wanted = custom or anchor_slug(text, env["anchors"])
        hid, taken = anchors.claim(wanted)
        path, line = _line(token, env)
        if custom and taken:
            env["problems"].append((path, line, "duplicate-anchor",
                                    f"the id '#{custom}' is used by an earlier heading; this one became '#{hid}'"))
        token.attrSet("id", hid)
        headings.append(Heading(int(token.tag[1]), text, hid, line))
    return headings


def _strip_custom_id(inline: Token) -> str | None:
    """`## Refunds {#refunds}` (also without the space): the writer's own stable anchor."""
    m = _CUSTOM_ID.search(inline.content)
    if not m or not inline.children or inline.children[-1].type != "text":
        return None
    last = inline.children[-1]
    tail = _CUSTOM_ID.search(last.content)
    if not tail:
        return None
    last.content = last.content[: tail.start()]
    inline.content = inline.content[: m.start()]
    return m.group(1)


def _placeholder_links(tokens: list[Token], env: dict) -> tuple[list[LinkRef], list[LinkRef]]:
    links: list[LinkRef] = []
    images: list[LinkRef] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        breaks = 0
        for i, child in enumerate(token.children):
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if child.info == "auto" and _SCOPE.match(href):
                    _unlink(token.children, i)
                    continue
                if _refused(child, "href", href, token, env, breaks):
                    continue
                if href.startswith("~/"):  # Microsoft Learn: from the content folder
                    href = href[1:]
                if href and child.info != "auto" and not _EXTERNAL.match(href):
                    path, line = _line(token, env, breaks)
                    child.attrSet("href", f"\x00L{len(links)}\x00")
                    links.append(LinkRef(href, path, line))
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                child.attrSet("loading", "lazy")
                if _refused(child, "src", src, token, env, breaks):
                    continue
                if src and not _EXTERNAL.match(src):
                    path, line = _line(token, env, breaks)
                    child.attrSet("src", f"\x00I{len(images)}\x00")
                    images.append(LinkRef(src, path, line))
            elif child.type == "html_inline" and _RAW_TAG.search(child.content):
                path, line = _line(token, env, breaks)
                child.content = _raw_html_links(child.content, path, line, links, images)
    for token in tokens:
        if token.type == "html_block" and _RAW_TAG.search(token.content):
            path, line = _line(token, env)
            token.content = _raw_html_links(token.content, path, line, links, images)
    return links, images


def _unlink(children: list[Token], i: int) -> None:
    """An autolink's text without its link: `<std::vector>` is C++ in angle brackets, which CommonMark reads as a
    URL of the scheme `std`; it is shown as the text it is (en-cpp-docs writes 250 of them)."""
    for token in (children[i], children[i + 2]):  # an autolink is always link_open, text, link_close
        token.type, token.tag, token.content, token.attrs = "text", "", "", {}


def _refused(child: Token, attr: str, url: str, inline: Token, env: dict, breaks: int) -> bool:
    """A link or image whose URL has a scheme no page may use (`javascript:`) loses it, and the writer is told."""
    scheme = refused_scheme(url)
    if scheme is None:
        return False
    path, line = _line(inline, env, breaks)
    if scheme.lower() == "xref":  # Microsoft Learn's cross-reference to its API pages: nothing to run, nowhere to go
        env["problems"].append((path, line, "xref-link", f"'{url}' is a Microsoft Learn cross-reference to API "
                                "documentation this site does not have; shown as text"))
    else:
        env["problems"].append((path, line, "unsafe-url", scheme_message(url, scheme)))
    child.attrs.pop(attr, None)
    return True


def _raw_html_links(html: str, path: str, line: int, links: list[LinkRef], images: list[LinkRef]) -> str:
    """`<a href>` and `<img src>` written as HTML are links and images like Markdown's: checked, and pointed at
    the page or file they name (`<a href="refunds.md">` too). `line` is the HTML's first line."""

    def tag(m: re.Match) -> str:
        at = line + html.count("\n", 0, m.start())
        is_image = m.group(1).lower() == "img"

        def attr(a: re.Match) -> str:
            value = html_lib.unescape(next(v for v in a.group(2, 3, 4) if v is not None))
            if not value or _EXTERNAL.match(value):
                return a.group(0)
            if is_image:
                images.append(LinkRef(value, path, at))
                return f'{a.group(1)}"\x00I{len(images) - 1}\x00"'
            links.append(LinkRef(value, path, at))
            return f'{a.group(1)}"\x00L{len(links) - 1}\x00"'

        return _RAW_ATTR[is_image].sub(attr, m.group(0), count=1)

    return _RAW_TAG.sub(tag, html)


def _inline_text(token: Token) -> str:
    return _collapse(_inline_raw(token))


def _collapse(text: str) -> str:
    """Runs of white space as one space, none at the ends (`str.split` counts the same characters as white space
    as the `\\s` of a regular expression, and is three times faster than substituting one)."""
    return " ".join(text.split())


def _inline_raw(token: Token) -> str:
    """The text of an inline token as written, spaces not yet collapsed (`_sections` collapses a whole section
    at once)."""
    parts = []
    for child in token.children or ():
        kind = child.type
        if kind == "text" or kind == "code_inline":
            parts.append(child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            parts.append(" ")
        elif kind == "image":
            parts.append(_inline_raw(child))
    return "".join(parts)


def _sections(tokens: list[Token], h1: str | None) -> list[Section]:
    """Plain text by section: the search index and FAQ answers need it, and excerpts must not show markup."""
    sections = [Section("", h1 or "", 1, "")]
    parts: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and token.tag in ("h2", "h3"):
            sections[-1].text = _collapse(" ".join(parts))
            parts = []
            sections.append(Section(str(token.attrGet("id")), _inline_text(tokens[i + 1]), int(token.tag[1]), ""))
            i += 3
            continue
        kind = token.type
        if kind == "inline":
            parts.append(_inline_raw(token))
        elif kind == "fence" or kind == "code_block":
            parts.append(token.content)
        elif kind == "html_block":
            parts.append(html_lib.unescape(_TAG.sub(" ", token.content)))
        i += 1
    sections[-1].text = _collapse(" ".join(parts))
    return sections
