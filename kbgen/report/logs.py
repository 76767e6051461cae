"""Streaming readers for everything `kbgen report` learns from: web server access logs, kbgen's own event files,
and CSV exports of other analytics tools.

Every source is read line by line (gzip too) and handed to a sink as it goes, so memory does not grow with the
size of the logs. A line that is not what its format promises is counted and skipped, never fatal: real logs hold
truncated lines, binary junk and requests from scanners. A line longer than MAX_LINE_BYTES is skipped without ever
being held whole (a 1 MB gzip can expand to one 1 GB line), and a search's text is cut to MAX_TEXT characters before
anything looks at it (issue 17).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Protocol

from kbgen.analytics import cut_text, parse_event
from kbgen.analytics_providers import EXPORT_FORMATS
from kbgen.report.privacy import mask


@dataclass(slots=True)
class Event:
    """One search, click or vote (what the site's beacon reported), `count` times, on `day` (a date ordinal;
    0 when the source has no dates, as CSV exports)."""

    kind: str  # "search" | "click" | "vote"
    day: int
    query: str = ""
    results: int | None = None  # None: the source did not say
    lang: str = ""
    url: str = ""
    rank: int = 0
    helpful: bool | None = None
    count: int = 1


class Sink(Protocol):
    def event(self, event: Event) -> None: ...

    def view(self, path: str, count: int) -> None: ...


@dataclass
class ReadStats:
    """What was read, so the report can say how much it is based on and how much it had to skip."""

    files: int = 0
    lines: int = 0
    malformed: int = 0
    events: int = 0
    page_views: int = 0
    too_old: int = 0
    first_day: int = 0
    last_day: int = 0
    malformed_by_file: dict[str, int] = field(default_factory=dict)
    #: File → (over-long lines skipped, line number of the first): one warning per file.
    too_long_by_file: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: File → (line number where reading it stopped early, why): damaged gzip data, megabytes without a line break.
    stopped: dict[str, tuple[int, str]] = field(default_factory=dict)

    def saw_day(self, day: int) -> None:
        if day:
            self.first_day = day if not self.first_day else min(self.first_day, day)
            self.last_day = max(self.last_day, day)


#: nginx/Apache "combined" and "common": host ident user [time] "request" status size ["referer" "agent"].
_ACCESS = re.compile(rb'^\S+ \S+ \S+ \[(\d{2}/[A-Za-z]{3}/\d{4})[^\]]*\] "([A-Z]{3,7}) (\S+)(?: [^"]*)?" (\d{3}) ')
_MONTHS = {m.encode(): i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
#: A request path that is a page (ends in `/` or `.html`), not an asset; answered with the page.
_PAGE_ENDS = (b"/", b".html", b".htm")
_SHOWN = (b"200", b"304")
#: Distinct page paths counted locally before they are handed to the sink, which keeps only articles' URLs, and
#: the bytes of those paths (a scanner's paths can each be kilobytes long).
_MAX_PENDING_VIEWS = 50_000
_MAX_PENDING_VIEW_BYTES = 8 << 20

#: The longest line read. A server refuses longer requests (nginx's large_client_header_buffers default, 8 KiB;
#: Apache's LimitRequestLine, 8190 bytes), so a combined-format line with its referer and user agent stays well
#: under 32 KiB, and kbgen's own events and a CSV row of one search are far shorter; anything longer is junk
#: (binary data, a file without line breaks), skipped in blocks of this size without ever being held whole.
MAX_LINE_BYTES = 64 * 1024
#: A file that runs on this long without a line break is not a log (a gzip bomb expands 1 MB to 1 GB of one line):
#: the rest of it is not read, so it costs a fraction of a second, not the time to inflate a gigabyte. A shorter
#: run of junk (a crash can leave a block of NUL bytes) is skipped and reading goes on after it.
MAX_SKIPPED_BYTES = 16 << 20


def read_sources(paths: Iterable[Path], endpoint: str, since_day: int, sink: Sink, stats: ReadStats,
                 log_format: str | None = None) -> None:
    """Feed every event and page view in `paths` on or after `since_day` (0: all) to `sink`.

    The format of each file is told by its content, unless `log_format` names it: an analytics tool's export
    (`kbgen.report.tools`), JSON lines (kbgen serve's events), CSV (`query,count[,results]`), else an access log, in
    which only requests for `endpoint` are events and successful page requests are views.
    """
    from kbgen.report.tools import read_tool_export, tool_format  # here: tools builds on this module's Event

    for path in paths:
        stats.files += 1
        with _open(path) as f:
            lines = _Lines(f, path, stats)
            try:
                head = f.peek(4096)[:4096] if hasattr(f, "peek") else b""
                first = head[:1]
                name = path.name.removesuffix(".gz")
                tool = log_format if log_format in EXPORT_FORMATS else tool_format(path, head)
                if tool:
                    read_tool_export(tool, f, lines, path, since_day, sink, stats)
                elif name.endswith(".csv"):
                    _read_csv(lines, path, sink, stats)
                elif name.endswith((".jsonl", ".ndjson")) or first == b"{":
                    _read_jsonl(lines, path, since_day, sink, stats)
                else:
                    _read_access_log(lines, path, endpoint, since_day, sink, stats)
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:  # a cut or corrupt .gz: keep what was read
                stats.stopped[str(path)] = (lines.number + 1, f"the gzip data is damaged ({exc})")


def _open(path: Path) -> IO[bytes]:
    raw = open(path, "rb", buffering=1 << 20)  # noqa: SIM115 - returned to a with-block
    if raw.peek(2)[:2] == b"\x1f\x8b":
        raw.close()
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return raw


class _Lines:
    """The lines of one file, each at most MAX_LINE_BYTES: `readline(limit)` never reads further, also inside a
    gzip stream, so a longer line is skipped block by block and counted, not held. `number` is the current
    line's 1-based number."""

    def __init__(self, f: IO[bytes], path: Path, stats: ReadStats) -> None:
        self._f, self._path, self._stats = f, path, stats
        self.number = 0

    def __iter__(self) -> Iterator[bytes]:
        for line in iter(partial(self._f.readline, MAX_LINE_BYTES + 1), b""):
            self.number += 1
            if len(line) > MAX_LINE_BYTES:
                if not self._skip_rest(line):
                    return
                continue
            yield line

    def _skip_rest(self, line: bytes) -> bool:
        """Read past the end of an over-long line and count it; False when it never ends (see MAX_SKIPPED_BYTES)."""
        key = str(self._path)
        self._stats.lines += 1
        skipped = len(line)
        while not line.endswith(b"\n"):
            if skipped > MAX_SKIPPED_BYTES:
                self._stats.stopped[key] = (self.number, f"a line runs on for more than {MAX_SKIPPED_BYTES >> 20} "
                                                         f"MiB without a line break")
                return False
            line = self._f.readline(MAX_LINE_BYTES)
            skipped += len(line)
            if not line:
                break
        count, first = self._stats.too_long_by_file.get(key, (0, self.number))
        self._stats.too_long_by_file[key] = (count + 1, first)
        return True


def search_text(raw: str) -> str:
    """A search as it is kept: at most MAX_TEXT characters, cut after a whole word with no part of a number
    left at the cut (`kbgen.analytics.cut_text`), then personal data masked."""
    return mask(cut_text(raw.strip()))


def _malformed(stats: ReadStats, path: Path) -> None:
    stats.malformed += 1
    stats.malformed_by_file[str(path)] = stats.malformed_by_file.get(str(path), 0) + 1


def _read_access_log(f: Iterable[bytes], path: Path, endpoint: str, since_day: int, sink: Sink,
                     stats: ReadStats) -> None:
    """The hot loop of a gigabyte log: per line one regex match and a few byte comparisons; page views are
    counted in a local dict and handed over at the end."""
    beacon = ("/" + endpoint + "?").encode()
    days: dict[bytes, int] = {}
    seen_days: set[int] = set()
    views: dict[bytes, int] = {}
    view_bytes = 0
    match = _ACCESS.match
    lines = 0
    for line in f:
        lines += 1
        m = match(line)
        if m is None:
            if line.strip():
                _malformed(stats, path)
            continue
        date, method, target, status = m.groups()
        day = days.get(date)
        if day is None:
            day = days[date] = _day_of(date)
        if not day:
            _malformed(stats, path)
            continue
        if day < since_day:
            stats.too_old += 1
            continue
        at = target.find(beacon)
        if at >= 0:
            event = _event_from_query(target[at + len(beacon):].decode("utf-8", "replace"), day)
            if event is None:
                _malformed(stats, path)
                continue
            stats.events += 1
            seen_days.add(day)
            sink.event(event)
        elif method == b"GET" and status in _SHOWN and target.endswith(_PAGE_ENDS) and b"?" not in target:
            count = views.get(target)
            if count is None:
                view_bytes += len(target)
            views[target] = (count or 0) + 1
            seen_days.add(day)
            if len(views) > _MAX_PENDING_VIEWS or view_bytes > _MAX_PENDING_VIEW_BYTES:
                _hand_over(views, sink, stats)  # many distinct paths (a scanner): hand them over now
                view_bytes = 0
    stats.lines += lines
    for day in seen_days:
        stats.saw_day(day)
    _hand_over(views, sink, stats)


def _hand_over(views: dict[bytes, int], sink: Sink, stats: ReadStats) -> None:
    for target, count in views.items():
        stats.page_views += count
        sink.view(target.decode("utf-8", "replace"), count)
    views.clear()


def _day_of(date: bytes) -> int:
    """`23/Nov/2026` → its date ordinal; 0 when it is no date."""
    try:
        return dt.date(int(date[7:11]), _MONTHS[date[3:6]], int(date[0:2])).toordinal()
    except (KeyError, ValueError):
        return 0


def _event_from_query(query: str, day: int) -> Event | None:
    wire = parse_event(query)
    return _event_from_wire(wire, day) if wire is not None else None


def _event_from_wire(wire: dict, day: int) -> Event:
    kind = wire["e"]
    if kind == "search":
        return Event("search", day, query=search_text(wire["q"]), results=wire["n"], lang=wire.get("l", ""))
    if kind == "click":
        return Event("click", day, query=search_text(wire["q"]), url=wire["u"], rank=wire["r"])
    return Event("vote", day, url=wire["u"], helpful=wire["h"])


def _read_jsonl(f: Iterable[bytes], path: Path, since_day: int, sink: Sink, stats: ReadStats) -> None:
    """kbgen serve's `.kbgen/events.jsonl`: one wire event per line plus `t` (Unix time). A line is at most
    MAX_LINE_BYTES before `json.loads` sees it, and one nested deeper than Python's recursion limit is malformed."""
    from urllib.parse import urlencode

    for line in f:
        stats.lines += 1
        try:
            data = json.loads(line)
            day = dt.datetime.fromtimestamp(int(data.pop("t")), dt.UTC).date().toordinal()
            wire = parse_event(urlencode({**{k: _wire_value(v) for k, v in data.items()}, "v": "1"}))
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError, OSError, RecursionError):
            wire = None
        if wire is None:
            if line.strip():
                _malformed(stats, path)
            continue
        if day < since_day:
            stats.too_old += 1
            continue
        stats.events += 1
        stats.saw_day(day)
        sink.event(_event_from_wire(wire, day))


def _wire_value(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (str, int)):
        return str(value)
    raise TypeError("not a wire value")


def _read_csv(f: Iterable[bytes], path: Path, sink: Sink, stats: ReadStats) -> None:
    """`query,count[,results]` from another tool; a header row is recognised and skipped. No dates: all count.

    One row per line: a quoted field cannot run on over the next lines, so no field is longer than a line."""
    for i, line in enumerate(f):
        stats.lines += 1
        text = line.decode("utf-8", "replace").removeprefix("\ufeff") if i == 0 else line.decode("utf-8", "replace")
        try:
            row = next(csv.reader((text,)), [])
        except csv.Error:
            _malformed(stats, path)
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        query = row[0].strip()
        count = row[1].strip() if len(row) > 1 else ""
        results = row[2].strip() if len(row) > 2 else ""
        if i == 0 and not count.isdigit():
            continue  # header
        if not query or not count.isdigit() or (results and not results.isdigit()):
            _malformed(stats, path)
            continue
        stats.events += 1
        sink.event(Event("search", 0, query=search_text(query), results=int(results) if results else None,
                         count=int(count)))
