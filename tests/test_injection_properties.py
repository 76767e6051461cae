"""Property tests (Hypothesis) for issue 18: whatever a writer puts in a title, a description, link text, a heading
or a link target, and whatever readers search for, the built pages (or the report) hold no element or attribute
that the writer's Markdown body did not ask for, and no link a browser would run.

Each example builds a real site (or writes a real report) and compares it with the same site built from neutral
words: an element or attribute the neutral build has fewer of came from the input. CI runs a small budget; set
KBGEN_HYPOTHESIS_EXAMPLES (e.g. 400) for a longer run by hand.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
import textwrap
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from conftest import run, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

#: Hypothesis keeps a cache of constants next to the tests by default; tests write nothing into the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "kbgen-hypothesis")

EXAMPLES = int(os.environ.get("KBGEN_HYPOTHESIS_EXAMPLES", "12"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Characters a writer can type in YAML and Markdown (no controls, surrogates, unassigned code points or line
#: separators: those are the crash tests' concern).
UNTYPABLE = ("Cc", "Cs", "Cn", "Zl", "Zp")
#: Pieces attackers use, mixed with any printable text.
FRAGMENTS = ["<img src=x onerror=alert(1)>", '"><script>alert(1)</script>', "javascript:alert(1)",
             "' onmouseover='alert(1)", "<svg/onload=alert(1)>", "&lt;b&gt;", "&#60;script&#62;", "*", "**", "`",
             "~~", "_", "[x](javascript:alert(1))", "![i](x.png)", "<!--", "-->", "<a href=javascript:alert(1)>x</a>",
             "{{ x }}", "{{< var x >}}", "%3Cscript%3E", "javascript%3Aalert(1)", "\\", "<", ">", '"', "'", "&", " ",
             "#", "|", "\t"]
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                          st.text(st.characters(codec="utf-8", exclude_categories=UNTYPABLE),
                                  max_size=6)),
                min_size=1, max_size=8).map("".join)
TARGET = st.lists(st.one_of(st.sampled_from(["javascript:", "JaVaScRiPt%3A", "java%09script:", "data:text/html,",
                                             "vbscript:", "%6A%61vascript:", "alert(1)", "//", "../", "#x", "?",
                                             "other.md", "https://e.example/", "mailto:", "%3A", "%253A", ":"]),
                            st.text(st.characters(codec="utf-8", exclude_categories=(*UNTYPABLE, "Zs"),
                                                  exclude_characters="<>\\"), max_size=4)),
                  min_size=1, max_size=5).map("".join)
#: What a title may add to a page on purpose: its inline formatting.
INLINE = {"em", "strong", "code", "s"}
NEUTRAL = {"title": "Neutral title", "description": "Neutral description", "link_text": "neutral link",
           "heading": "Neutral heading", "target": "other.md"}
CONFIG = ("site_name: Acme\nseverity: {broken-link: warning, missing-file: warning, broken-anchor: ignore, "
          "link-case: ignore, unsafe-url: warning}\n")


class _Shape(HTMLParser):
    """How many of each element a page has, which attributes each kind of element carries, and every URL."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: Counter = Counter()
        self.attributes: set[tuple[str, str]] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements[tag] += 1
        self.attributes |= {(tag, name) for name, _ in attrs}
        self.urls += [value or "" for name, value in attrs if name in ("href", "src", "action", "formaction")]


def shapes(folder: Path, suffix: str = ".html") -> dict[str, _Shape]:
    out = {}
    for path in sorted(folder.rglob(f"*{suffix}")):
        parser = _Shape()
        parser.feed(path.read_text(encoding="utf-8"))
        out[path.relative_to(folder).as_posix()] = parser
    return out


def markdown_text(text: str) -> str:
    """`text` as a writer types it to mean exactly those characters: ASCII punctuation escaped, one line."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(text.split()) or "x")


def build(values: dict[str, str]) -> tuple[int, str, dict[str, _Shape]]:
    """Build a two-article site from the values; (exit code, output, page shapes)."""
    with tempfile.TemporaryDirectory(prefix="kbgen-prop-") as tmp:
        root = Path(tmp)
        article = textwrap.dedent(f"""\
            ---
            title: {json.dumps(values["title"], ensure_ascii=False)}
            description: {json.dumps(values["description"], ensure_ascii=False)}
            tags: [money]
            order: 1
            ---

            See [{markdown_text(values["link_text"])}](other.md) and [the target](<{values["target"]}>).

            ## {markdown_text(values["heading"])}

            Answer.
            """)
        write_files(root, {"kbgen.yml": CONFIG, "content/billing/refunds.md": article,
                           "content/billing/other.md": "---\ntitle: Other\ntype: faq\norder: 2\n---\n\n"
                                                       "## Question?\n\n"
                                                       "See [refunds](refunds.md).\n"})
        result = run("build", "--config", str(root / "kbgen.yml"))
        return result.exit_code, result.output, shapes(root / "site") if result.exit_code == 0 else {}


_BASELINE: dict[str, _Shape] = {}


def baseline() -> dict[str, _Shape]:
    if not _BASELINE:
        code, output, pages = build(NEUTRAL)
        assert code == 0, output
        _BASELINE.update(pages)
    return _BASELINE


def runnable(url: str) -> bool:
    """Whether a browser would treat `url` as something other than a web, mail or phone address or a path."""
    seen = re.sub(r"[\t\n\r]", "", url).lstrip("".join(chr(c) for c in range(0x21)))
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", seen)
    return bool(m) and m.group(1).lower() not in ("http", "https", "mailto", "tel")


def assert_nothing_added(pages: dict[str, _Shape], expected: dict[str, _Shape], allowed: set[str]) -> None:
    assert set(pages) == set(expected)
    for name, page in pages.items():
        extra = {tag: n for tag, n in (page.elements - expected[name].elements).items() if tag not in allowed}
        assert extra == {}, (name, extra)
        assert page.attributes <= expected[name].attributes, (name, page.attributes - expected[name].attributes)
        assert [u for u in page.urls if runnable(u) and u not in expected[name].urls] == [], name


@SETTINGS
@given(title=TEXT, description=TEXT, link_text=TEXT, heading=TEXT)
def test_titles_descriptions_link_text_and_headings_add_no_element_or_attribute(title, description, link_text,
                                                                                heading) -> None:
    code, output, pages = build({**NEUTRAL, "title": title, "description": description, "link_text": link_text,
                                 "heading": heading})

    assert code == 0, output
    assert_nothing_added(pages, baseline(), INLINE)


@SETTINGS
@given(target=TARGET)
def test_no_link_target_becomes_a_link_a_browser_would_run(target) -> None:
    code, output, pages = build({**NEUTRAL, "target": target})

    assert code == 0, output
    assert "Traceback" not in output and "internal error" not in output
    assert_nothing_added(pages, baseline(), set())


def report(queries: list[str]) -> tuple[_Shape, str]:
    """`kbgen report` over kbgen serve's events for `queries`: (the HTML report's shape, the terminal table)."""
    with tempfile.TemporaryDirectory(prefix="kbgen-prop-") as tmp:
        root = Path(tmp)
        events = "".join(json.dumps({"e": "search", "q": q, "n": 0, "l": "en", "t": 1_763_600_000}) + "\n"
                         for q in queries)
        write_files(root, {"kbgen.yml": "site_name: Acme\n", "content/a.md": "# A\n\nText.\n",
                           "events.jsonl": events})
        # No searches at all is no log at all: a log given with nothing readable in it stops the report (issue 21).
        common = ["--config", str(root / "kbgen.yml")] + (["--log", str(root / "events.jsonl")] if queries else [])
        html = run("report", *common, "--format", "html", "-o", str(root / "report.html"))
        table = run("report", *common)
        assert html.exit_code == 0 and table.exit_code == 0, html.output + table.output
        return shapes(root)["report.html"], table.stdout


@functools.lru_cache(maxsize=16)
def report_baseline(count: int) -> tuple[_Shape, str]:
    """The report of `count` neutral searches; 0: of none (no log); -1: of an empty one beside a neutral one (the
    empty one is no search: a warning)."""
    return report([f"neutral{i}" for i in range(count)] if count >= 0 else ["", "neutral0"])


@SETTINGS
#: At least one search with words in it: a log of nothing but empty searches is unreadable, and the report says so
#: with exit 1 (issue 21), which is not what this property is about.
@given(queries=st.lists(TEXT | st.text(max_size=12), min_size=1, max_size=6).filter(
    lambda qs: any(q.strip() for q in qs)))
def test_searches_add_nothing_to_the_report_and_drive_no_terminal(queries) -> None:
    page, table = report(queries)

    # Rows come and go with the searches (an empty one is no search, two may group as one): what is checked is
    # that every kind of element and attribute is one the report writes for neutral searches or for none.
    kinds = set(page.elements) | page.attributes
    known = set().union(*(set(b.elements) | b.attributes for b, _ in map(report_baseline, (-1, 0, 1, len(queries)))))
    assert kinds <= known, kinds - known
    assert [u for u in page.urls if runnable(u)] == ["data:,"]  # the report's own empty icon
    assert [c for c in table if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0] == []
