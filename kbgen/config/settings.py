"""The site configuration, `kbgen.yml`: one typed schema, every field documented, all problems reported at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from kbgen.config.analytics_providers import ANALYTICS_DEFAULTS, ANALYTICS_KINDS, check_analytics_settings
from kbgen.config.frontmatter import decode, encoding_message
from kbgen.config.kinds import (
    DEFAULT_PAGE_SIZE,
    ByteSizes,
    ChoiceMap,
    Color,
    LanguageCode,
    LanguageList,
    PageSize,
    PrefixUrlMap,
    SearchTests,
    StrMap,
    Url,
)
from kbgen.config.schema import Bool, Choice, Duration, Field, Problem, Str, StrList, validate
from kbgen.config.url_fields import AnalyticsSwitch, AssetOrUrl, LinkMap, LinkUrl
from kbgen.core.diagnostics import CODES, FIXED_CODES, Diagnostics, KbgenError, Severity
from kbgen.core.limits import DEFAULT_MAX_ARTICLE_BYTES, LIMIT_KEYS, FileTooLarge, read_capped
from kbgen.core.messages import unknown_language_message
from kbgen.core.yamlsource import YamlSyntaxError, YamlValue, cut_value_message, duplicate_key_message, parse_yaml

CONFIG_FILE = "kbgen.yml"

#: Every key of kbgen.yml. The docs' configuration reference is written from this table.
CONFIG_FIELDS: list[Field] = [
    Field("site_name", Str(), "Help Centre", "The name shown in the header, page titles and feeds."),
    Field("description", Str(), "", "One sentence about the help centre, for search engines and the home page."),
    Field("base_url", Url(), None,
          "Where the site is published (https://help.example.com/). Enables sitemap.xml and canonical links."),
    Field("language", LanguageCode(), "en", "The language of the content when a page does not say (`lang:`)."),
    Field("content_dir", Str(), "content", "The folder of Markdown articles, relative to kbgen.yml."),
    Field("output_dir", Str(), "site", "Where the built site is written, relative to kbgen.yml."),
    Field("theme", Str(), None, "A folder under themes/ whose templates and assets override the default theme."),
    Field("exclude", StrList(), [], "Glob patterns (relative to the content folder) of files that are not pages."),
    Field("drafts", Bool(), False, "Publish articles marked `draft: true` (the --drafts flag does the same)."),
    Field("anchors", Choice("translit", "unicode"), "translit",
          "How heading anchors are written for non-Latin headings: transliterated to Latin, or kept as is."),
    Field("variables", StrMap(), {}, "Values inserted into articles with {{< var name >}}."),
    Field("severity", ChoiceMap(lambda: list(CODES), ("error", "warning", "ignore")), {},
          "Change how a diagnostic code is treated, e.g. `broken-anchor: error`."),
    Field("highlight_style", Str(), "default", "Pygments style for code blocks in light mode."),
    Field("highlight_dark_style", Str(), "monokai", "Pygments style for code blocks in dark mode."),
    Field("stale_after", Duration(), 180, "How long an article stays current without a review (e.g. 180d, 6m)."),
    Field("support_url", LinkUrl(), None, "Where readers get help when an article is not enough."),
    Field("support_email", Str(), None, "A support address shown with the 'Still need help?' link."),
    Field("search", Bool(), True, "`false`: no search box, no search page and no search index."),
    Field("search_tests", SearchTests(), [],
          "Queries and the article each must find in its top results; `kbgen check` fails when one does not."),
    Field("analytics", AnalyticsSwitch(dict(ANALYTICS_DEFAULTS), ANALYTICS_KINDS, check_analytics_settings),
          dict(ANALYTICS_DEFAULTS),
          "Search analytics: `false` sends nothing; `endpoint` is where the site reports searches, clicks and votes "
          "(a path inside the site, or an absolute URL); `provider` (plausible, umami, matomo, goatcounter) reports "
          "them through that tool's page script instead, which the site loads from `script` with `site_id` when "
          "they are set."),
    Field("languages", LanguageList(), [],
          "Language codes of a site in several languages, e.g. [en, ru]: content/en/ is published at site/en/."),
    Field("logo", AssetOrUrl(), None,
          "An image (a path inside the site theme's assets/, or a URL) shown in the header."),
    Field("primary_color", Color(), None, "The brand colour of links, buttons and the header line, e.g. '#0b5cad'."),
    Field("footer_links", LinkMap(), {}, "Links in every page's footer: label → URL."),
    Field("limits", ByteSizes(LIMIT_KEYS), dict(LIMIT_KEYS),
          "The largest file kbgen reads: `max_article_bytes` for articles and snippets, also with the snippets in "
          "place (5MB); `max_file_bytes` for files published as they are (100MB)."),
    Field("repo_url", Url(), None,
          "The repository the content lives in (https://github.com/acme/help): with it, every article has an "
          "'Edit this page' link."),
    Field("edit_uri", Str(), None,
          "The path from `repo_url` to the content folder in the repository's web editor; "
          "`edit/main/content/` (`content_dir`) when not set. GitLab: `-/edit/main/content/`."),
    Field("announcement", Str(), None,
          "A one-line message (inline Markdown) shown at the top of every page until the reader dismisses it; "
          "a changed text shows again."),
    Field("external_sites", PrefixUrlMap(), {},
          "Path prefixes that belong to a wider site, e.g. `/windows/: https://learn.microsoft.com/windows/`: a link "
          "such as `/windows/win32/api` that no article answers is published as that site's absolute URL, "
          "not reported as broken."),
    Field("listing_page_size", PageSize(), DEFAULT_PAGE_SIZE,
          "How many articles one page of a category or tag listing shows; a longer listing continues on "
          "page/2/, page/3/… with links between the pages and an A–Z list of where each letter starts."),
]


@dataclass(kw_only=True)
class Config:
    """The validated configuration plus where it came from. Paths are absolute.

    Every key of kbgen.yml (`CONFIG_FIELDS`) is an attribute of its type: `content_dir` and `output_dir` are the
    folders resolved; `values` keeps every key as validated (as written for those two), and the build key is made
    from it."""

    root: Path
    path: Path | None
    values: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    # The keys of kbgen.yml, as CONFIG_FIELDS lists them: `load_config` passes each by name, so a key declared
    # there and not here (or here and not there) stops every build.
    site_name: str
    description: str
    base_url: str | None
    language: str
    content_dir: Path
    output_dir: Path
    theme: str | None
    exclude: list[str]
    drafts: bool
    anchors: str
    variables: dict[str, str]
    severity: dict[str, str]
    highlight_style: str
    highlight_dark_style: str
    stale_after: int  # days
    support_url: str | None
    support_email: str | None
    search: bool
    search_tests: list[dict[str, Any]]
    analytics: dict[str, str] | bool  # False: off
    languages: list[str]
    logo: str | None
    primary_color: str | None
    footer_links: dict[str, str]
    limits: dict[str, int]
    repo_url: str | None
    edit_uri: str | None
    announcement: str | None
    external_sites: dict[str, str]
    listing_page_size: int

    @property
    def cache_dir(self) -> Path:
        return self.root / ".kbgen"

    def severity_overrides(self) -> dict[str, Severity]:
        return {code: Severity[level.upper()] for code, level in self.severity.items()}


def load_config(
    config_path: Path | None,
    content_dir: Path | None,
    output_dir: Path | None,
    diagnostics: Diagnostics,
) -> Config:
    """Read kbgen.yml (or the defaults when there is none) and apply command-line overrides.

    Config problems are reported through `diagnostics` with file:line; errors in them raise KbgenError, because a
    build on a misread config would be wrong in ways the writer cannot see.
    """
    shown = str(config_path or CONFIG_FILE)
    source, path = _read(config_path, shown, diagnostics)
    root = path.parent if path else Path.cwd()
    values, extra = _validated(source, root, shown, diagnostics)
    for line, message in _language_problems(values, source, root):
        diagnostics.add(shown, line, "unknown-language", message)
    content = content_dir.absolute() if content_dir else (root / values["content_dir"]).resolve()
    output = output_dir.absolute() if output_dir else (root / values["output_dir"]).resolve()
    if not content.is_dir():
        # Nothing to build is a usage problem (exit 2), like a mistyped --content.
        raise click.UsageError(f"content folder not found: {content_dir or values['content_dir']} "
                               "(run `kbgen init` to start one, or pass --content)")
    keys = {**values, "content_dir": content, "output_dir": output}
    return Config(root=root, path=path, values=values, extra=extra, **keys)


def _read(config_path: Path | None, shown: str, diagnostics: Diagnostics) -> tuple[YamlValue, Path | None]:
    """kbgen.yml parsed, and its absolute path; an empty mapping and None when there is no kbgen.yml."""
    path = (config_path or Path(CONFIG_FILE)).absolute()
    if not path.exists():
        if config_path is not None:  # a mistyped --config is a usage mistake (exit 2), like a mistyped --content
            raise click.UsageError(f"config file not found: {config_path}")
        return YamlValue({}, {(): 1}), None
    try:
        text = decode(read_capped(path, DEFAULT_MAX_ARTICLE_BYTES, shown, ""))
    except UnicodeDecodeError as exc:
        line, message = encoding_message(exc.object, exc)
        raise KbgenError(f"{shown}:{line}: {message}") from None
    except FileTooLarge as exc:
        diagnostics.add(shown, 1, "file-too-large", str(exc))
        raise KbgenError(f"{shown} could not be read") from None
    try:
        source = parse_yaml(text)
    except YamlSyntaxError as exc:
        diagnostics.add(shown, exc.line, "config-syntax", f"invalid YAML: {exc.problem}")
        raise KbgenError(f"{shown} could not be read") from None
    return (YamlValue({}, {(): 1}) if source.data is None else source), path


def _validated(source: YamlValue, root: Path, shown: str,
               diagnostics: Diagnostics) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every key checked and every problem reported together; an invalid setting stops the build."""
    values, extra, problems, unknown = validate(CONFIG_FIELDS, source)
    problems += _fixed_severity_problems(values, source)
    problems += _missing_theme_problems(values, source, root)
    for p in problems:
        diagnostics.add(shown, p.line, p.code, p.message)
    # The site's own severity rules apply to the config's own warnings too (`config-unknown-key: ignore`).
    diagnostics.overrides.update(
        {code: Severity[level.upper()] for code, level in values["severity"].items() if code not in FIXED_CODES})
    for p in unknown:
        diagnostics.add(shown, p.line, "config-unknown-key", p.message)
    for key_path, line, dropped in source.cut:
        diagnostics.add(shown, line, "unquoted-hash", cut_value_message(key_path, dropped))
    for key_path, line, first in source.duplicates:
        diagnostics.add(shown, line, "duplicate-key", duplicate_key_message(key_path, first))
    if problems:
        raise KbgenError(f"{shown} has {len(problems)} invalid setting{'s' if len(problems) > 1 else ''}")
    return values, extra


def site_theme_folder(root: Path, theme: str | None) -> Path | None:
    """The site's own theme folder, `themes/<theme>/` next to kbgen.yml; None when kbgen.yml names none."""
    return root / "themes" / theme if theme else None


def theme_dirs(site_theme: Path | None) -> list[Path]:
    """The default theme, then the site's own theme folder (whose files win), as the theme loads them."""
    from kbgen import DEFAULT_THEME

    return [DEFAULT_THEME] + ([site_theme] if site_theme else [])


def _language_problems(values: dict[str, Any], source: YamlValue, root: Path) -> list[tuple[int, str]]:
    """A language the theme has no words for is shown in English: say so, and which languages it has."""
    themes = theme_dirs(site_theme_folder(root, values["theme"]))
    known = sorted({p.stem for folder in themes for p in (folder / "messages").glob("*.yml")})
    listed = [(source.line("languages", i), code) for i, code in enumerate(values["languages"])] or [
        (source.line("language"), values["language"])]
    return [(line, unknown_language_message(code, known, "its pages")) for line, code in listed if code not in known]


def _missing_theme_problems(values: dict[str, Any], source: YamlValue, root: Path) -> list[Problem]:
    """A theme folder or code style that does not exist, said on its line of kbgen.yml rather than by the theme."""
    problems = []
    theme = values["theme"]
    if theme and (theme in (".", "..") or "/" in theme or "\\" in theme):  # `/etc`, `..`: out of themes/
        problems.append(Problem(source.line("theme"), f"'theme': '{theme}' is not the name of a folder in themes/ "
                                                      "(a name like my-brand, no path)"))
    elif theme and not site_theme_folder(root, theme).is_dir():
        problems.append(Problem(source.line("theme"), f"'theme': no folder themes/{theme}/ next to kbgen.yml"))
    for key in ("highlight_style", "highlight_dark_style"):
        default = next(f.default for f in CONFIG_FIELDS if f.name == key)
        if values[key] != default:  # the defaults exist: a build that keeps them never imports Pygments here
            from pygments.styles import get_style_by_name
            from pygments.util import ClassNotFound

            try:
                get_style_by_name(values[key])
            except ClassNotFound:
                problems.append(Problem(source.line(key), f"'{key}': Pygments has no style '{values[key]}' "
                                                          "(such as default, friendly, monokai, github-dark)"))
    return problems


def _fixed_severity_problems(values: dict[str, Any], source: YamlValue) -> list[Problem]:
    """`severity: {encoding: ignore}` would be silently ineffective; say so on the line that asks for it."""
    return [Problem(source.line("severity", code),
                    f"'severity': '{code}' cannot be changed: past this problem a file or the site cannot be "
                    f"built correctly (codes that can be changed: see the diagnostics reference)")
            for code in values["severity"] if code in FIXED_CODES]
