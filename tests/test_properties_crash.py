"""Whatever a writer types or a server logs, kbgen ends in time with exit 0, 1 or 2, an exit 1 names `path:line`
and a diagnostic code, and nothing prints a traceback or "internal error" (issue 18, property-based).

Hypothesis generates front matter, `_category.yml`, `kbgen.yml`, Markdown bodies, link targets, snippets and
shortcodes, access-log lines, CSV rows and JSON-lines events; each example is a small knowledge base in a fresh
folder, checked in process (click's CliRunner) under an alarm, so a hang fails the example instead of CI.

The budget is a Hypothesis profile: `ci` (the default) keeps this file well under a minute; set
`KBGEN_HYPOTHESIS_PROFILE=large` for one 25 times larger, to run by hand.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml
from click.testing import CliRunner
from conftest import write_files
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from kbgen.cli import main
from kbgen.config.frontmatter import CATEGORY_FIELDS, FRONT_MATTER_FIELDS
from kbgen.config.settings import CONFIG_FIELDS

settings.register_profile("ci", max_examples=20, deadline=None, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("large", parent=settings.get_profile("ci"), max_examples=500)
settings.load_profile(os.environ.get("KBGEN_HYPOTHESIS_PROFILE", "ci"))

#: Seconds one example may take, on a loaded machine; each takes well under one here.
TIME_LIMIT = 30
#: A diagnostic with a place and a code: `content/a.md:3: error[field-type]: …`.
LOCATED = re.compile(r"^\S.*:\d+: error\[[a-z0-9-]+\]: ", re.MULTILINE)


class Hung(BaseException):
    """Raised by the alarm; a BaseException, so kbgen's own `except Exception` cannot turn it into a message."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def ring(signum, frame):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def kbgen_in(files: dict[str, str | bytes], *args: str) -> tuple[int, str]:
    """Write `files` into a fresh folder and run `kbgen ARGS` there: (exit code, all it printed)."""
    old = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="kbgen-prop-") as folder:
        write_files(Path(folder), files)
        os.chdir(folder)
        try:
            with time_limit(TIME_LIMIT):
                result = CliRunner().invoke(main, list(args))
        finally:
            os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # escaped kbgen's own handler: a crash of the CLI itself
    return result.exit_code, result.output


def assert_ends_well(code: int, output: str) -> None:
    event(f"exit {code}")  # the share of each exit code is in --hypothesis-show-statistics
    assert "internal error" not in output and "Traceback" not in output, output
    assert code in (0, 1, 2), (code, output)
    if code == 1:
        assert LOCATED.search(output), f"exit 1 without path:line and a code:\n{output}"


def check(files: dict[str, str | bytes], command: str = "check") -> None:
    """`kbgen check` (or `build`) of `files` plus a home page ends well."""
    assert_ends_well(*kbgen_in({"content/index.md": "# Help\n\nWelcome.\n", **files}, command))


# --- What writers type -----------------------------------------------------------------------------------------------

#: Values that YAML, dates, numbers and durations trip over, written as they stand in a file.
TRICKY = st.sampled_from([
    "2024-13-45", "0000-01-01", "9999-12-31", "2023-02-29", "2024-02-30T25:61:61", "2024-05-31 10:00:00 +99:00",
    "99999999999y", "0d", "-5d", "1e400", ".inf", "-.nan", "0x1F", "0o17", "~", "null", "yes", "no", "on",
    "[a, b", "{a: 1", "[]", "{}", "*x", "&x [1]", "!!binary xyz", "!!python/object:os.system", "!!timestamp nope",
    "!!int x", "!!float y", "!!set {a}", "!!omap [a: 1]", "|", ">-", "'", '"', "'it''s'", '"\\x00"', '"\\uD800"',
    "#x", "a #b", "<<: *x", "? complex", "- item", "%YAML 1.1", "---", "...", "@at", "`tick`", "x: y: z",
    "javascript:alert(1)", "../../etc/passwd", "\t", "  indented", "\u2028", "\ufeff", "\x00", "\x85",
])
ANY_TEXT = st.text(max_size=24)
YAML_VALUE = st.one_of(TRICKY, ANY_TEXT, st.integers().map(str), st.floats().map(repr))


def yaml_lines(keys: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Lines as a writer types them: `key: value`, list items, nesting, blank lines and comments, in any order."""
    line = st.one_of(
        st.builds(lambda k, v: f"{k}: {v}", keys, YAML_VALUE),
        st.builds(lambda k, vs: f"{k}:\n" + "".join(f"  - {v}\n" for v in vs), keys, st.lists(YAML_VALUE, max_size=3)),
        st.builds(lambda k, k2, v: f"{k}:\n  {k2}: {v}", keys, keys, YAML_VALUE),
        YAML_VALUE, st.just(""), st.just("# a comment"),
    )
    return st.lists(line, max_size=8).map("\n".join)


def yaml_documents(keys: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Well-formed YAML of any shape (what PyYAML can write), or lines as typed."""
    leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT, st.dates(), st.datetimes())
    value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner,
                                                                                             max_size=3), max_leaves=8)
    mapping = st.dictionaries(keys, value, max_size=6).map(lambda d: yaml.safe_dump(d, allow_unicode=True))
    return st.one_of(mapping, yaml_lines(keys))


def names(fields) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([f.name for f in fields]), st.text(min_size=1, max_size=10))


FRONT_MATTER = yaml_documents(names(FRONT_MATTER_FIELDS))

#: Pieces of Markdown and kbgen's own syntax, to be strung together with any text between them.
MARKDOWN = st.sampled_from([
    "# ", "## ", "### Heading {#id}", "{#", "```", "```python\n", "~~~", "- ", "1. ", "> ", "- [ ] ", "- [x] ",
    "| a | b |\n|---|---|\n| 1 | 2 |", "[x](", "](", ")", "![i](", "<div>", "</div>", "<a href='", "<img src=",
    "<!--", "-->", "*", "**", "_", "`", "\\", "&amp;", "&#0;", "&#x110000;", "[^1]", "[^1]: note", "!!! note",
    ":::", "$$", "{{< ", " >}}", "{{< snippet ", "{{< var ", "{%", "%}", "{{", "}}", "---", "\n", "\n\n", "\t",
    "    code", "<script>", "https://example.com", "www.", "@", "\r", "\x00", "\u202e", "\ufffd",
])
BODY = st.lists(st.one_of(MARKDOWN, ANY_TEXT), max_size=30).map("".join)

#: Link targets: paths, fragments, schemes and encodings.
TARGET = st.lists(st.one_of(st.sampled_from([
    "../", "./", "a.md", "index.md", "billing/", "billing/refunds.md", "#", "#intro", "%", "%23", "%2e%2e", "%00",
    "%zz", "javascript:", "JaVaScRiPt%3A", "http://", "https://x", "mailto:", "tel:", "data:", "?", " ", "<", ">",
    "\\", "/", "//", "~", "a.png", "_snippets/n.md", ".kbgen", "..", ":", "'", '"', "(", ")",
]), ANY_TEXT), max_size=6).map("".join)


@given(front_matter=FRONT_MATTER, body=BODY)
@example(front_matter="{}", body="```\x1f")  # a fence's language that only Python calls white space
def test_any_front_matter_ends_well(front_matter: str, body: str) -> None:
    # `build`, not `check`: the pages are written, and the search index is exported in a process of its own
    check({"content/billing/refunds.md": f"---\n{front_matter}\n---\n{body}\n"}, "build")


@given(category=yaml_documents(names(CATEGORY_FIELDS)))
def test_any_category_file_ends_well(category: str) -> None:
    check({"content/billing/_category.yml": category, "content/billing/refunds.md": "# Refunds\n"})


#: Config keys whose values are folders kbgen reads or writes (`content_dir: /`) are left out: a wrong folder
#: there is the writer's choice, not a crash.
CONFIG_KEYS = names([f for f in CONFIG_FIELDS if f.name not in ("content_dir", "output_dir")]).filter(
    lambda k: k not in ("content_dir", "output_dir"))


def near(*good: object) -> st.SearchStrategy[object]:
    """A setting's good values, mostly, and now and then any value: a config that passes its checks reaches the
    stages behind them (the theme, the languages, the search tests), where random values never get."""
    return st.one_of(st.sampled_from(good), st.sampled_from(good), YAML_VALUE)


#: Plausible values of each setting, valid ones and near misses, as a writer edits a working kbgen.yml.
PLAUSIBLE_CONFIG = {
    "site_name": near("Help", "", "<b>Help</b>"), "description": near("Answers.", ""),
    "base_url": near("https://help.example.com/", "https://x/a/b", "http://[::1]:80/", "https://"),
    "language": near("en", "ru", "de", "pt-BR"), "languages": near(["en", "ru"], ["ru"], ["en", "de"], []),
    "theme": near("brand", "nope", "", ".."), "exclude": near(["drafts/*"], ["**"], ["*.md"], ["[", "!x"]),
    "drafts": near(True, False), "anchors": near("translit", "unicode"),
    "variables": near({"product": "Acme"}, {"product": "{{< var product >}}"}, {}),
    "severity": near({"broken-link": "warning"}, {"broken-link": "ignore"}, {"encoding": "ignore"}, {"x": "error"}),
    "highlight_style": near("monokai", "default", "nope", ""), "highlight_dark_style": near("github-dark", "x"),
    "stale_after": near("90d", "6m", "100y", "101y", 1, 0), "support_url": near("https://x", "javascript:x", "/s/"),
    "support_email": near("a@b.c", "x"), "search": near(True, False),
    "search_tests": near([{"query": "refund", "expect": "billing/refunds.md"}],
                         [{"query": "refund", "expect": "nope.md", "top": 1}], [{"query": "", "expect": ""}],
                         [{"query": "x", "expect": "billing/refunds.md", "top": 0}]),
    "analytics": near(False, True, {"endpoint": "stats/e.gif"}, {"endpoint": "https://s.example/e"},
                      {"endpoint": "../x"}, {"endpoint": ""}, {"endpoint": "assets/kbgen.css"},
                      {"provider": "matomo", "script": "https://m.example/matomo.js", "site_id": "3"},
                      {"provider": "plausible"}, {"provider": "nope"}, {"script": "x"}),
    "logo": near("logo.svg", "https://x/l.png", "../../etc/passwd"), "primary_color": near("#0b5cad", "red", "#12"),
    "footer_links": near({"Status": "https://status.example.com"}, {"x": ""}),
    "limits": near({"max_article_bytes": "10"}, {"max_file_bytes": "1KB"}, {"max_article_bytes": "5GB"}),
    "external_sites": near({"/windows/": "https://learn.microsoft.com/windows/"}, {"/": "https://x/"},
                           {"x": "y"}),
    "repo_url": near("https://github.com/acme/help", "javascript:x", "not a url", ""),
    "edit_uri": near("edit/main/docs/", "/edit/", "", "../x"),
    "announcement": near("New: dark mode", "", "<script>x</script>", {"text": "x"}),
    "listing_page_size": near(1, 100, 0, -3, "2", 1.5),
}
assert set(PLAUSIBLE_CONFIG) == {f.name for f in CONFIG_FIELDS} - {"content_dir", "output_dir"}
PLAUSIBLE_KBGEN_YML = st.fixed_dictionaries({}, optional=PLAUSIBLE_CONFIG).map(
    lambda d: yaml.safe_dump(d, allow_unicode=True))


@given(config=st.one_of(yaml_documents(CONFIG_KEYS), PLAUSIBLE_KBGEN_YML))
def test_any_kbgen_yml_ends_well(config: str) -> None:
    check({"kbgen.yml": config, "themes/brand/messages/de.yml": "not_found: Nicht gefunden\n",
           "content/billing/refunds.md": "---\ntitle: Refunds\n---\nMoney back.\n",
           "content/en/billing/refunds.md": "# Refunds\n", "content/ru/billing/refunds.md": "# Возврат\n"})


@given(body=BODY)
def test_any_markdown_body_ends_well(body: str) -> None:
    check({"content/billing/refunds.md": body, "content/billing/card.md": f"# Card\n\n{body}"})


@given(targets=st.lists(TARGET, min_size=1, max_size=4), text=ANY_TEXT)
def test_any_link_target_ends_well(targets: list[str], text: str) -> None:
    body = "".join(f"[{text}]({t}) ![{text}]({t}) <{t}> [ref{i}]\n\n[ref{i}]: {t}\n\n" for i, t in enumerate(targets))
    check({"content/billing/refunds.md": f"# Refunds\n\n## Intro\n\n{body}", "content/billing/a.png": b"\x89PNG"})


SNIPPET_NAME = st.sampled_from(["a", "b", "note", "deep/x"])
SHORTCODE = st.one_of(
    st.builds(lambda n: f"{{{{< snippet {n} >}}}}", st.one_of(SNIPPET_NAME, ANY_TEXT)),
    st.builds(lambda n: f"{{{{< var {n} >}}}}", st.one_of(st.sampled_from(["product", "missing"]), ANY_TEXT)),
    st.builds(lambda t: f"{{{{< {t} >}}}}", ANY_TEXT),
    st.builds(lambda t: f"{{{{<{t}", ANY_TEXT),
)
SNIPPET_TEXT = st.lists(st.one_of(SHORTCODE, MARKDOWN, ANY_TEXT), max_size=12).map("".join)


@given(snippets=st.dictionaries(SNIPPET_NAME, SNIPPET_TEXT, max_size=4), body=SNIPPET_TEXT)
def test_any_snippets_and_shortcodes_end_well(snippets: dict[str, str], body: str) -> None:
    files: dict[str, str | bytes] = {f"content/_snippets/{n}.md": text for n, text in snippets.items()}
    check({**files, "kbgen.yml": "variables:\n  product: Acme\n", "content/billing/refunds.md": f"# Refunds\n\n{body}"})


# --- What servers log ------------------------------------------------------------------------------------------------

def report(name: str, content: str | bytes) -> None:
    """`kbgen report` of one log file on a small site ends well: in time, 0, 1 or 2, never a traceback."""
    files = {"content/index.md": "# Help\n", "content/billing/refunds.md": "---\nupdated: 2026-11-01\n---\n# Refunds\n",
             name: content}
    code, output = kbgen_in(files, "report", name, "--format", "json")
    assert "internal error" not in output and "Traceback" not in output, output
    assert code in (0, 1, 2), (code, output)
    event(f"exit {code}")


QUERY_VALUE = st.one_of(TARGET, ANY_TEXT, st.sampled_from(["search", "click", "vote", "0", "1", "-1", "99999999999",
                                                          "²", "٣", "%C2%B2"]))
QUERY_STRING = st.lists(st.tuples(st.sampled_from(["e", "q", "n", "l", "u", "r", "h", "v", "t", "x"]),
                                  QUERY_VALUE), max_size=7).map(lambda kv: "&".join(f"{k}={v}" for k, v in kv))
LOG_LINE = st.one_of(
    st.builds(lambda ip, when, method, query, status: f'{ip} - - [{when}] "{method} /_kb/e.gif?{query} HTTP/1.1" '
                                                      f'{status} 43 "-" "UA"',
              st.sampled_from(["203.0.113.9", "::1", "-", "x"]),
              st.one_of(st.sampled_from(["20/Nov/2026:10:00:00 +0000", "31/Feb/2026:25:61:61 +9999",
                                         "00/Xxx/0000:00:00:00 +0000", "20/Nov/99999:10:00:00 +0000"]), ANY_TEXT),
              st.sampled_from(["GET", "POST", "HEAD", "\x00"]), QUERY_STRING, st.sampled_from(["200", "404", "x"])),
    ANY_TEXT,
)


@given(lines=st.lists(LOG_LINE, max_size=8))
def test_any_access_log_lines_end_well(lines: list[str]) -> None:
    report("access.log", "\n".join(lines) + "\n")


CSV_FIELD = st.one_of(ANY_TEXT, st.sampled_from(['"', '""', ",", "\n", "3", "٣", "²", "-1", "99999999999999999999",
                                                 "=HYPERLINK(1)", "\x00", "\r"]))


@given(rows=st.lists(st.lists(CSV_FIELD, max_size=4), max_size=8))
def test_any_csv_rows_end_well(rows: list[list[str]]) -> None:
    report("searches.csv", "\n".join(",".join(row) for row in rows) + "\n")


JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
                          max_leaves=6)
EVENT = st.dictionaries(st.sampled_from(["e", "q", "n", "l", "u", "r", "h", "t", "v"]),
                        st.one_of(JSON_VALUE, QUERY_VALUE, st.integers(min_value=-10**20, max_value=10**20)),
                        max_size=7)


@given(lines=st.lists(st.one_of(EVENT.map(lambda e: json.dumps(e, ensure_ascii=False)),
                                JSON_VALUE.map(json.dumps), ANY_TEXT), max_size=8))
def test_any_json_lines_end_well(lines: list[str]) -> None:
    report("events.jsonl", "\n".join(lines) + "\n")

