"""Templates and assets: the default theme inside the package, overridable per site by name.

A site's `themes/<name>/templates/x.html` replaces the default's `x.html`; it can also extend the original with
`{% extends "default/x.html" %}` (Pelican's ChoiceLoader + PrefixLoader arrangement). Assets work the same way.
"""

from __future__ import annotations

import functools
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import jinja2
from pygments.formatters import HtmlFormatter
from pygments.styles import get_all_styles
from pygments.util import ClassNotFound

from kbgen import DEFAULT_THEME
from kbgen.config.settings import theme_dirs
from kbgen.core.diagnostics import KbgenError


class Theme:
    def __init__(self, site_theme: Path | None, highlight_style: str, highlight_dark_style: str) -> None:
        self.site_theme = site_theme
        self.dirs = theme_dirs(site_theme)  # the default theme first: the site's files win
        if site_theme is not None and not site_theme.is_dir():
            raise KbgenError(f"theme folder not found: {site_theme}")
        default_loader = jinja2.FileSystemLoader(DEFAULT_THEME / "templates")
        loaders: list[jinja2.BaseLoader] = []
        if site_theme is not None:
            loaders.append(jinja2.FileSystemLoader(site_theme / "templates"))
        loaders += [default_loader, jinja2.PrefixLoader({"default": default_loader})]
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # Templates never change under a Theme: `kbgen serve` makes a new one when they do. Without this, every
            # {% include %} on every page would stat its file again.
            auto_reload=False,
        )
        self.env.filters["isodate"] = lambda d: d.isoformat() if d else ""
        self.env.filters["url_path"] = lambda url: urlsplit(url).path or "/"
        self.highlight_style = highlight_style
        self.highlight_dark_style = highlight_dark_style

    def render(self, template: str, **context: Any) -> str:
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise KbgenError(f"{_shown(exc.filename or exc.name)}:{exc.lineno}: template error: "
                             f"{exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            where = _failing_line(exc.__traceback__)
            raise KbgenError(f"{where or template}: template error: template not found: {exc.name}") from None
        except KbgenError:
            raise
        except Exception as exc:  # raised while rendering: `{{ page.nope.x }}`, `{{ 1 // 0 }}`
            where = _failing_line(exc.__traceback__) or template
            what = exc.message if isinstance(exc, jinja2.UndefinedError) else f"{type(exc).__name__}: {exc}"
            raise KbgenError(f"{where}: template error: {what}") from None

    def asset_files(self) -> dict[str, Path]:
        """Every asset by its path under `assets/`; a site theme's file replaces the default's of that name."""
        return self._assets[0]

    @property
    def skipped_assets(self) -> list[tuple[str, str, str]]:
        """(path, code, why) of what `asset_files` leaves out, as the content folder's rule does: links that lead
        out of a theme's assets folder, pipes and devices. For the build to report."""
        return self._assets[1]

    @functools.cached_property
    def _assets(self) -> tuple[dict[str, Path], list[tuple[str, str, str]]]:
        """One walk of the assets folders per Theme: a Theme never sees its files change (`kbgen serve` makes a
        new one when they do), and a build asks for them several times."""
        from kbgen.content.discover import files_inside

        files: dict[str, Path] = {}
        skipped_assets: list[tuple[str, str, str]] = []
        for base in self.dirs:
            folder = base / "assets"
            if folder.is_dir():
                found, skipped = files_inside(folder, "the theme's assets folder")
                files.update((rel, folder / rel) for rel in sorted(found, key=lambda rel: rel.split("/")))
                skipped_assets += [(str(folder / rel), code, why) for rel, code, why in skipped]
        return files, skipped_assets

    def pygments_css(self) -> str:
        """Code colours for light mode, and for dark mode both by system setting and by the theme's toggle."""
        light = _style_css(self.highlight_style, ".highlight")
        dark = _style_css(self.highlight_dark_style, ':root[data-theme="dark"] .highlight')
        dark_auto = _style_css(self.highlight_dark_style, ':root:not([data-theme="light"]) .highlight')
        return f"{light}\n{dark}\n@media (prefers-color-scheme: dark) {{\n{dark_auto}\n}}\n"


def _failing_line(tb: TracebackType | None) -> str | None:
    """`path:line` of the template line being rendered when an error was raised. Jinja rewrites a traceback so that
    each template frame carries the template's file name and line; the innermost one is where it failed."""
    where = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")) and not name.startswith("<"):
            where = f"{_shown(name)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _shown(path: str) -> str:
    """A template's path relative to the project folder when it is inside it (themes/brand/templates/x.html)."""
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


def _style_css(style: str, selector: str) -> str:
    try:
        return HtmlFormatter(style=style).get_style_defs(selector)
    except ClassNotFound:
        styles = ", ".join(sorted(get_all_styles()))
        raise KbgenError(f"unknown Pygments style '{style}'; choose one of: {styles}") from None
