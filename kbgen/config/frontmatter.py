"""Front matter: split it from the body and check every field, with the line of each problem.

Never swallow a parse error (MkDocs silently drops broken front matter and publishes a page with no title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kbgen.config.schema import (
    Bool,
    Choice,
    Date,
    Duration,
    Field,
    Int,
    Problem,
    Str,
    StrList,
    validate,
)
from kbgen.core.yamlsource import YamlSyntaxError, YamlValue, cut_value_message, duplicate_key_message, parse_yaml

#: Every front-matter field kbgen understands. Unknown keys are kept for templates as `page.extra`.
FRONT_MATTER_FIELDS: list[Field] = [
    Field("title", Str(), None, "The article's title. Without it, the first `# Heading`, else the file name."),
    Field("description", Str(), "", "One or two sentences: shown in listings, search results and to search engines."),
    Field("slug", Str(), None, "The last part of the article's URL, instead of one made from the file name."),
    Field("order", Int(), None, "Position within its category; lower comes first, then by title."),
    Field("tags", StrList(), [], "Topics; each tag gets a page listing its articles."),
    Field("updated", Date(), None, "When the content was last checked or changed (YYYY-MM-DD)."),
    Field("created", Date(), None, "When the article was first published (YYYY-MM-DD)."),
    Field("review_every", Duration(), None, "How often the article must be reviewed (90d, 6m, 1y)."),
    Field("owner", Str(), None, "Who keeps the article current; the staleness report groups by it."),
    Field("draft", Bool(), False, "Drafts are left out of the site unless built with --drafts."),
    Field("aliases", StrList(), [], "Old URLs of this article; each gets a page that redirects here."),
    Field("keywords", StrList(), [], "Words readers may search for that the text does not use (synonyms)."),
    Field("type", Choice("article", "faq"), "article", "`faq`: every `##` heading is a question with its answer."),
    Field("lang", Str(), None, "The article's language, when it differs from the site's."),
    Field("search", Bool(), True, "`false` keeps the article out of search results."),
    Field("short_title", Str(), None,
          "A shorter title for lists and previous/next links, where the full title is too long."),
    Field("translation_key", Str(), None,
          "Pairs translations whose paths differ: articles in different languages with the same key."),
]

#: Fields of a folder's `_category.yml`.
CATEGORY_FIELDS: list[Field] = [
    Field("title", Str(), None, "The category's name; without it, one made from the folder name."),
    Field("description", Str(), "", "Shown under the title on the home page and the category page."),
    Field("icon", Str(), None, "An icon name or image path for the category card."),
    Field("order", Int(), None, "Position among its sibling categories; lower comes first."),
    Field("review_every", Duration(), None,
          "How often the category's articles must be reviewed, unless an article says otherwise (90d, 6m, 1y)."),
]

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass
class SplitSource:
    """The text of an article file split in two. `body_line` is the 1-based file line where the body starts."""

    front_matter: str | None
    front_matter_line: int
    body: str
    body_line: int


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), any line endings, as one normalised string. Raises UnicodeDecodeError, also for
    UTF-16 without a byte-order mark: its zero bytes are valid UTF-8, and the page would be published as garbage."""
    if b"\x00" in raw and _looks_like_utf16(raw):
        at = raw.index(b"\x00")
        raise UnicodeDecodeError("utf-8", raw, at, at + 1, "UTF-16 text without a byte-order mark")
    text = raw.decode("utf-8-sig")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _looks_like_utf16(raw: bytes) -> bool:
    """Zero bytes in a third or more of the even or of the odd places: Latin text in UTF-16, one byte in two zero."""
    sample = raw[:4096]
    half = max(len(sample) // 2, 1)
    return max(sample[0::2].count(0), sample[1::2].count(0)) * 3 >= half


def encoding_message(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, str]:
    """(line, message) of an `encoding` problem: where the first byte that is not UTF-8 stands, and what the file
    probably is."""
    line = raw[: exc.start].count(b"\n") + 1
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or exc.reason.startswith("UTF-16"):
        return 1, "UTF-16 text, not UTF-8; re-save the file as UTF-8"
    return line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at line {line}); re-save the file as UTF-8"


def split(text: str) -> SplitSource:
    """Separate a leading `---` … `---` block from the body. No opening fence: the whole file is body."""
    if not text.startswith("---"):
        return SplitSource(None, 0, text, 1)
    lines = text.split("\n")
    if not _FENCE.match(lines[0]):
        return SplitSource(None, 0, text, 1)
    for i in range(1, len(lines)):
        if _CLOSE.match(lines[i]):
            return SplitSource("\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2)
    # An opening fence that never closes: treat as unterminated front matter, an error the writer must see.
    return SplitSource("\n".join(lines[1:]), 2, "", len(lines) + 1)


@dataclass
class FrontMatter:
    values: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    lines: YamlValue | None = None

    def line_of(self, key: str) -> int:
        return self.lines.line(key) if self.lines else 1


@dataclass
class FrontMatterProblem:
    line: int  # file line, 1-based
    code: str
    message: str


def parse_front_matter(split_source: SplitSource) -> tuple[FrontMatter, list[FrontMatterProblem]]:
    """Validate the front matter of one article; line numbers in problems are lines of the file."""
    defaults = {f.name: f.default for f in FRONT_MATTER_FIELDS}
    if split_source.front_matter is None:
        return FrontMatter(defaults), []
    offset = split_source.front_matter_line - 1
    try:
        source = parse_yaml(split_source.front_matter)
    except YamlSyntaxError as exc:
        return FrontMatter(defaults), [FrontMatterProblem(exc.line + offset, "yaml-syntax",
                                                          f"front matter is not valid YAML: {exc.problem}")]
    if source.data is None:
        return FrontMatter(defaults), []
    if not isinstance(source.data, dict):
        return FrontMatter(defaults), [FrontMatterProblem(
            split_source.front_matter_line, "yaml-syntax",
            "front matter must be `key: value` lines between two `---` lines")]
    values, extra, problems, _unknown = validate(FRONT_MATTER_FIELDS, source)
    problems += _adopt_other_tools_fields(source, values, extra)
    shifted = YamlValue(source.data, {k: v + offset for k, v in source.lines.items()})
    found = [_as_problem(p, offset) for p in problems]
    found += [FrontMatterProblem(line + offset, "unquoted-hash", cut_value_message(path, dropped))
              for path, line, dropped in source.cut]
    found += [FrontMatterProblem(line + offset, "duplicate-key", duplicate_key_message(path, first + offset))
              for path, line, first in source.duplicates]
    return FrontMatter(values, extra, shifted), found


#: Fields other tools write that mean one of kbgen's (issue 23); a kbgen field written as such wins.
OTHER_TOOLS_FIELDS: dict[str, str] = {
    "date": "created",  # Hugo, Jekyll, Docusaurus blog
    "lastmod": "updated",  # Hugo
    "last_modified_at": "updated",  # Jekyll (jekyll-last-modified-at)
    "last_update": "updated",  # Docusaurus (`last_update: {date: …}`)
    "ms.date": "updated",  # Microsoft Learn (MM/DD/YYYY)
    "weight": "order",  # Hugo
    "sidebar_position": "order",  # Docusaurus
    "nav_order": "order",  # Jekyll Just the Docs
    "sidebar_label": "short_title",  # Docusaurus
    "linkTitle": "short_title",  # Hugo
}
_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def _adopt_other_tools_fields(source: YamlValue, values: dict[str, Any], extra: dict[str, Any]) -> list[Problem]:
    """Fill kbgen's fields from other tools' names for them (`weight` → `order`), checked like kbgen's own; the
    key then leaves `extra`, so `kbgen check --verbose` lists only the fields nothing reads."""
    problems = []
    kinds = {f.name: f.kind for f in FRONT_MATTER_FIELDS}
    data = source.data
    for key, target in OTHER_TOOLS_FIELDS.items():
        if key not in extra:
            continue
        value = extra.pop(key)
        if target in data or value is None:
            continue
        if isinstance(value, dict) and key == "last_update":
            value = value.get("date")
        if isinstance(value, str) and (us := _US_DATE.match(value)):
            value = f"{us.group(3)}-{int(us.group(1)):02d}-{int(us.group(2)):02d}"
        try:
            values[target] = kinds[target].convert(value)
        except ValueError as exc:
            problems.append(Problem(source.line(key), f"'{key}' (read as `{target}`): {exc}"))
    return problems


def ignored_fields(articles: list[tuple[str, FrontMatter]]) -> list[tuple[str, int, str, int]]:
    """Front-matter keys kbgen does not read, each once: (key, articles that have it, first path, its line)."""
    seen: dict[str, list] = {}
    for display, fm in articles:
        for key in fm.extra:
            if key in seen:
                seen[key][0] += 1
            else:
                seen[key] = [1, display, fm.line_of(key)]
    return [(key, n, display, line) for key, (n, display, line) in sorted(seen.items())]


def _as_problem(p: Problem, offset: int) -> FrontMatterProblem:
    return FrontMatterProblem(p.line + offset, "field-type", p.message)
