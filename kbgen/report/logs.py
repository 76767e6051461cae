"""Streaming readers for everything `kbgen report` learns from: web server and CDN access logs, JSON-lines logs,
kbgen's own event files, the store of `kbgen collect`, and CSV exports of other analytics tools.

The format of each file is told by its content (`detect_format`) unless `--log-format` names it; each format's
reader lives in its own module (`access`, `jsonlogs`) on the shared machinery of `reading`. A file that yields no
event at all is recorded in `ReadStats.no_events` with what was expected of it, so a log in a format kbgen does not
read is named instead of making an empty report.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

from kbgen.config.analytics_providers import EXPORT_FORMATS
from kbgen.events import store as eventstore
from kbgen.report.access import COMBINED, S3, read_cloudfront, read_lines
from kbgen.report.jsonlogs import read_json_lines
from kbgen.report.reading import (
    MAX_LINE_BYTES,
    Event,
    Lines,
    ReadStats,
    Requests,
    Sink,
    malformed,
    open_log,
    search_text,
)
from kbgen.report.tools import read_tool_export, tool_format

__all__ = ["FORMATS", "MAX_LINE_BYTES", "Event", "ReadStats", "Sink", "detect_format", "read_sources"]

#: `--log-format` names → what a file of that format is, as the no-events warning says it.
FORMATS = {
    "combined": "an nginx/Apache access log (combined or common format)",
    "s3": "an Amazon S3 server access log",
    "cloudfront": "a CloudFront standard log (W3C, tab-separated)",
    "json": "JSON lines (kbgen events, a Caddy access log or a log drain's request records)",
    "csv": "a CSV of searches (query,count[,results])",
    "store": "a kbgen collect store",
    "plausible-csv": "a Plausible custom-properties export (custom_props.csv)",
    "umami-json": "an Umami event-data values answer (JSON)",
    "matomo": "a Matomo site-search keywords report (CSV or JSON)",
    "matomo-no-result": "a Matomo site-search keywords-without-results report (CSV or JSON)",
    "goatcounter-csv": "a GoatCounter CSV export",
}
assert set(EXPORT_FORMATS) <= set(FORMATS)
_S3_START = re.compile(rb"^\S+ \S+ \[")


def detect_format(path: Path, first_line: bytes) -> str:
    """The format of a file from its name and first non-empty line (see FORMATS)."""
    if path.name.removesuffix(".gz").endswith(".csv"):
        return "csv"
    if first_line.startswith((b"#Version:", b"#Fields:")):
        return "cloudfront"
    if first_line[:1] in (b"{", b"["):
        return "json"
    if _S3_START.match(first_line) and S3.match(first_line):
        return "s3"
    return "combined"


def read_sources(paths: Iterable[Path], endpoint: str, since_day: int, sink: Sink, stats: ReadStats,
                 log_format: str = "auto") -> None:
    """Feed every event and page view in `paths` on or after `since_day` (0: all) to `sink`; in access logs, only
    requests for `endpoint` are events and successful page requests are views."""
    for path in paths:
        stats.files += 1
        before = stats.events + stats.too_old
        if eventstore.is_store(path) and log_format in ("auto", "store"):
            fmt = "store"
            _read_store(path, since_day, sink, stats)
        else:
            fmt = _read_file(path, endpoint, since_day, sink, stats, log_format)
        if stats.events + stats.too_old == before:
            stats.no_events[str(path)] = _why_no_events(path, fmt, log_format, endpoint, stats)


def _read_file(path: Path, endpoint: str, since_day: int, sink: Sink, stats: ReadStats, log_format: str) -> str:
    with open_log(path) as f:
        lines = Lines(f, path, stats)
        fmt = log_format
        try:
            # An analytics tool's export (`analytics.provider`) is told by its header or first bytes.
            tool = fmt if fmt in EXPORT_FORMATS else tool_format(path, f.peek(4096)[:4096]) if fmt == "auto" else None
            if tool:
                read_tool_export(tool, f, lines, path, since_day, sink, stats)
                return tool
            it = iter(lines)
            first = next((line for line in it if line.strip()), b"")  # blank lines before it tell nothing
            if fmt == "auto":
                fmt = detect_format(path, first)
            rest = itertools.chain([first] if first else [], it)
            if fmt == "csv":
                _read_csv(rest, path, sink, stats)
                return fmt
            requests = Requests(endpoint, since_day, sink, stats, path)
            if fmt == "cloudfront":
                read_cloudfront(rest, path, requests, stats)
            elif fmt == "json":
                read_json_lines(rest, path, since_day, requests, sink, stats)
            elif fmt == "store":  # named with --log-format, but not an SQLite file
                stats.lines += sum(1 for _ in rest)
            else:
                read_lines(S3 if fmt == "s3" else COMBINED, rest, path, requests, stats)
            requests.close()
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:  # a cut or corrupt .gz: keep what was read
            stats.stopped[str(path)] = (lines.number + 1, f"the gzip data is damaged ({exc})")
    return fmt


def _read_store(path: Path, since_day: int, sink: Sink, stats: ReadStats) -> None:
    """`kbgen collect`'s SQLite store: like events of a week come grouped, each with its count. The store holds
    searches already cut and masked; they are masked again here, once per distinct text, in case another program
    wrote it."""
    texts: dict[str, str] = {}
    try:
        rows, too_old, (first, last) = eventstore.read_grouped(path, since_day)
        stats.too_old += too_old
        stats.saw_day(first)
        stats.saw_day(last)
        for day, kind, q, found, lang, url, helpful, count in rows:
            text = texts.get(q)
            if text is None:
                text = texts[q] = search_text(q) if q else ""
                if len(texts) > 100_000:
                    texts.clear()
            stats.lines += count
            stats.events += count
            sink.event(Event(kind, day, query=text, results=found, lang=lang, url=search_text(url) if url else url,
                             helpful=None if helpful is None else bool(helpful), count=count))
    except eventstore.StoreError as exc:
        stats.stopped[str(path)] = (0, f"error[event-store]: cannot read it as a kbgen collect store: {exc}")


def _why_no_events(path: Path, fmt: str, log_format: str, endpoint: str, stats: ReadStats) -> str:
    how = "as --log-format says" if log_format != "auto" else "told by its content"
    bad = stats.malformed_by_file.get(str(path), 0)
    expected = {
        "csv": "rows of query,count[,results]",
        "store": "events recorded by kbgen collect",
        "json": f"kbgen events, or request records whose path is /{endpoint}?e=…&v=1",
    }.get(fmt, f"requests for /{endpoint}?e=…&v=1 (the site's search beacon)")
    if fmt in EXPORT_FORMATS:
        expected = "kbgen's search, click and vote events as the site sends them with analytics.provider"
    skipped = f"; {bad} line{'s' if bad != 1 else ''} did not match that format" if bad else ""
    return f"read as {FORMATS.get(fmt, fmt)} ({how}), expected {expected}{skipped}"


def _whole(text: str) -> bool:
    """Digits 0-9 only: `str.isdigit` also says yes to "²" and "٣", which `int` refuses or reads as 3."""
    return text.isascii() and text.isdigit()


def _read_csv(f: Iterable[bytes], path: Path, sink: Sink, stats: ReadStats) -> None:
    """`query,count[,results]` from another tool; a header row is recognised and skipped. No dates: all count.

    One row per line: a quoted field cannot run on over the next lines, so no field is longer than a line."""
    for i, line in enumerate(f):
        stats.lines += 1
        text = line.decode("utf-8", "replace").removeprefix("\ufeff") if i == 0 else line.decode("utf-8", "replace")
        try:
            row = next(csv.reader((text,)), [])
        except csv.Error:
            malformed(stats, path)
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        query = row[0].strip()
        count = row[1].strip() if len(row) > 1 else ""
        results = row[2].strip() if len(row) > 2 else ""
        if i == 0 and not _whole(count):
            continue  # header
        if not query or not _whole(count) or (results and not _whole(results)):
            malformed(stats, path)
            continue
        stats.events += 1
        sink.event(Event("search", 0, query=search_text(query), results=int(results) if results else None,
                         count=int(count)))
