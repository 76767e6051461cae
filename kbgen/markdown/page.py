"""One article body → `Rendered`: shortcodes and other tools' syntax expanded, parsed by markdown-it, the token
passes run in their order (`passes/`), the HTML written."""

from __future__ import annotations

from kbgen.markdown.parser import page_parser, title_parser
from kbgen.markdown.passes import run_passes
from kbgen.markdown.rendered import Rendered, RenderSettings
from kbgen.markdown.shortcodes import expand
from kbgen.markdown.state import PageState
from kbgen.markdown.text import inline_text

#: Bump when the HTML or the extracted data changes shape: old cache entries then stop matching.
RENDER_VERSION = "7"


def render(body: str, path: str, first_line: int, settings: RenderSettings, lang: str | None = None) -> Rendered:
    """Render one article body. `path` is shown in diagnostics, `first_line` is the body's line in the file,
    `lang` the article's language (`lang:`), else the site's."""
    snippets = {name: (spath, text) for name, spath, text in settings.snippets}
    expanded = expand(body, path, first_line, dict(settings.variables), snippets, settings.max_article_bytes,
                      settings.root)
    env: dict = {"origins": expanded.origins, "anchors": settings.anchors, "problems": expanded.problems}
    md = page_parser()
    page = PageState(md.parse(expanded.text, env), env, settings.titles_for(lang))
    run_passes(page)
    html = md.renderer.render(page.tokens, md.options, env)
    return Rendered(
        html=html, h1=page.h1, headings=page.headings, links=page.links, images=page.images,
        sections=page.sections, problems=env["problems"], used_snippets=expanded.used_snippets,
    )


def render_inline_title(title: str) -> tuple[str, str]:
    """A title may carry inline Markdown (`` `aria-live` ``): (safe HTML for display, plain text for <title>)."""
    md = title_parser()
    tokens = md.parseInline(title, {})
    return md.renderer.render(tokens, md.options, {}).strip(), inline_text(tokens[0]) if tokens else title
