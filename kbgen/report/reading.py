"""What every log reader shares: the event it produces, the counts of what it read, the line reader that never
holds an over-long line, and the counting of requests (a beacon is an event, a page answered is a view).

Every source is read line by line (gzip too) and handed to a sink as it goes, so memory does not grow with the
size of the logs. A line that is not what its format promises is counted and skipped, never fatal: real logs hold
truncated lines, binary junk and requests from scanners. A line longer than MAX_LINE_BYTES is skipped without ever
being held whole (a 1 MB gzip can expand to one 1 GB line), and a search's text is cut to MAX_TEXT characters before
anything looks at it (issue 17).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Protocol

from kbgen.events.privacy import mask
from kbgen.render.analytics import cut_text, parse_event


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
    too_old: int = 0  # events before --since
    requests: int = 0  # requests read from access logs (beacons, pages, assets: lines in the log's format)
    first_day: int = 0
    last_day: int = 0
    malformed_by_file: dict[str, int] = field(default_factory=dict)
    #: File → (over-long lines skipped, line number of the first): one warning per file.
    too_long_by_file: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: File → (line number where reading it stopped early, why): damaged gzip data, megabytes without a line break.
    stopped: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: Files that yielded no event at all → why (the format read and what it was expected to hold).
    no_events: dict[str, str] = field(default_factory=dict)

    def saw_day(self, day: int) -> None:
        if day:
            self.first_day = day if not self.first_day else min(self.first_day, day)
            self.last_day = max(self.last_day, day)


#: The longest line read. A server refuses longer requests (nginx's large_client_header_buffers default, 8 KiB;
#: Apache's LimitRequestLine, 8190 bytes), so a combined-format line with its referer and user agent stays well
#: under 32 KiB, and kbgen's own events and a CSV row of one search are far shorter; anything longer is junk
#: (binary data, a file without line breaks), skipped in blocks of this size without ever being held whole.
MAX_LINE_BYTES = 64 * 1024
#: A file that runs on this long without a line break is not a log (a gzip bomb expands 1 MB to 1 GB of one line):
#: the rest of it is not read, so it costs a fraction of a second, not the time to inflate a gigabyte. A shorter
#: run of junk (a crash can leave a block of NUL bytes) is skipped and reading goes on after it.
MAX_SKIPPED_BYTES = 16 << 20


def open_log(path: Path) -> IO[bytes]:
    """`path` for reading, inflated when it is gzip data (told by its first bytes, not its name)."""
    raw = open(path, "rb", buffering=1 << 20)  # noqa: SIM115 - returned to a with-block
    if raw.peek(2)[:2] == b"\x1f\x8b":
        raw.close()
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return raw


class Lines:
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
    left at the cut (`kbgen.render.analytics.cut_text`), then personal data masked."""
    return mask(cut_text(raw.strip()))


def malformed(stats: ReadStats, path: Path) -> None:
    stats.malformed += 1
    stats.malformed_by_file[str(path)] = stats.malformed_by_file.get(str(path), 0) + 1


def event_from_wire(wire: dict, day: int) -> Event:
    kind = wire["e"]
    if kind == "search":
        return Event("search", day, query=search_text(wire["q"]), results=wire["n"],
                     lang=search_text(wire.get("l", "")))
    # The page address is reader text too: a hand-made beacon can put an email in it (issue 18).
    if kind == "click":
        return Event("click", day, query=search_text(wire["q"]), url=search_text(wire["u"]), rank=wire["r"])
    return Event("vote", day, url=search_text(wire["u"]), helpful=wire["h"])


#: A request path that is a page (ends in `/` or `.html`), not an asset; answered with the page.
_PAGE_ENDS = (b"/", b".html", b".htm")
_SHOWN = (b"200", b"304")
#: Distinct page paths counted locally before they are handed to the sink, which keeps only articles' URLs, and
#: the bytes of those paths (a scanner's paths can each be kilobytes long).
_MAX_PENDING_VIEWS = 50_000
_MAX_PENDING_VIEW_BYTES = 8 << 20


class Requests:
    """The requests of one log, whatever its format: a request for the beacon is an event, a page answered is a
    view. Views are counted in a local dict and handed to the sink in bulk (`close`)."""

    __slots__ = ("_beacon", "_since", "_sink", "_stats", "_path", "_views", "_view_bytes", "_days")

    def __init__(self, endpoint: str, since_day: int, sink: Sink, stats: ReadStats, path: Path) -> None:
        self._beacon = ("/" + endpoint + "?").encode()
        self._since, self._sink, self._stats, self._path = since_day, sink, stats, path
        self._views: dict[bytes, int] = {}
        self._view_bytes = 0
        self._days: set[int] = set()

    def add(self, day: int, method: bytes, target: bytes, status: bytes) -> None:
        """One request for `target` (path and query string, as sent) answered with `status`, on `day`."""
        self._stats.requests += 1
        at = target.find(self._beacon)
        if at >= 0:
            if day < self._since:
                self._stats.too_old += 1
                return
            wire = parse_event(target[at + len(self._beacon):].decode("utf-8", "replace"))
            if wire is None:
                malformed(self._stats, self._path)
                return
            self._stats.events += 1
            self._days.add(day)
            self._sink.event(event_from_wire(wire, day))
        elif (method == b"GET" and status in _SHOWN and target.endswith(_PAGE_ENDS) and b"?" not in target
              and day >= self._since):
            views = self._views
            count = views.get(target)
            if count is None:
                self._view_bytes += len(target)
            views[target] = (count or 0) + 1
            self._days.add(day)
            if len(views) > _MAX_PENDING_VIEWS or self._view_bytes > _MAX_PENDING_VIEW_BYTES:
                self._hand_over()  # many distinct paths (a scanner): hand them over now

    def close(self) -> None:
        for day in self._days:
            self._stats.saw_day(day)
        self._hand_over()

    def _hand_over(self) -> None:
        for target, count in self._views.items():
            self._stats.page_views += count
            self._sink.view(target.decode("utf-8", "replace"), count)
        self._views.clear()
        self._view_bytes = 0
