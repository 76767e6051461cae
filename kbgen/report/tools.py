"""Readers for the exports of the analytics tools a site can report to (`analytics.provider`).

Each reader turns one export file into `Event`s for the report. What each relies on, and where it is documented:

`plausible-csv` — `custom_props.csv` from the dashboard's "Export stats" (a ZIP of CSVs; unzip it). Columns
    `property`, `value`, `visitors`, `events` (and a percentage or conversion rate). Rows whose `property` is
    `kbgen` hold an event record in `value`, seen `events` times. No dates. (https://plausible.io/docs/export-stats;
    the columns are Plausible's `all_custom_prop_values` breakdown, as its CSV export writes it.)
`umami-json` — the answer of Umami's API `GET /api/websites/<id>/event-data/values?event=kb-search&propertyName=kbgen`
    (and `kb-search-click`, `kb-vote`): a JSON list of `{"value": <event record>, "total": <count>}`. No dates.
    (https://umami.is/docs/api/events)
`matomo` and `matomo-no-result` — Matomo's site search reports from its Reporting API, `format=CSV` (UTF-16 with a
    byte-order mark unless `convertToUnicode=0`) or `format=JSON`: `Actions.getSiteSearchNoResultKeywords` (every row
    found nothing) and `Actions.getSiteSearchKeywords` (all searches; whether each found anything is left to the
    report, which asks today's index). Columns `label` (the keyword) and `nb_visits` (Matomo's "Searches"); with
    several periods (`date=last30`) a first column `date`, or in JSON an object of period → rows. A file whose name
    says `NoResult` is the no-result report. (https://developer.matomo.org/api-reference/reporting-api; the
    columns are those of `plugins/Actions/API.php` and its report metadata, "nb_visits: Searches".)
`goatcounter-csv` — GoatCounter's CSV export (https://www.goatcounter.com/code/export): a header whose first field
    is the format version and `Path` (`2,Path`), then `Title`, `Event`, …, `Bot`, …, `Date`. One row per pageview or
    event: rows with `Event` true, `Bot` 0 and a `Path` that is an event record count once, on their `Date`.

The event record is what the site sends (`kbgen/config/analytics_providers.py`):
`kbgen:search|<results>|<lang>|<query>`, `kbgen:click|<rank>|<url>|<query>`, `kbgen:vote|<1|0>|<url>`. Rows that
are not kbgen's (other properties, page views, other events) are skipped without a warning; a record that does not
parse is a malformed line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import html
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kbgen.config.analytics_providers import RECORD_PREFIX
from kbgen.render.analytics import cut_text
from kbgen.report.reading import Event, ReadStats, Sink, malformed, search_text

#: The largest JSON export or Matomo report read whole (they are aggregated: one row per distinct search).
MAX_DOCUMENT_BYTES = 64 << 20
_GOATCOUNTER_HEADER = re.compile(r"^\d+,Path,", re.IGNORECASE)
_NO_RESULT_NAME = re.compile(r"no.?results?", re.IGNORECASE)


def tool_format(path: Path, head: bytes) -> str | None:
    """Which tool's export this is, from its first bytes (and, for Matomo's two reports, its name), or None."""
    if head.startswith(codecs.BOM_UTF16_LE):
        text = head[2:].decode("utf-16-le", "replace")
    else:
        text = head.decode("utf-8", "replace").removeprefix("\ufeff")
    first = text.lstrip()[:1]
    line = text.split("\n", 1)[0].strip().lower()
    if _GOATCOUNTER_HEADER.match(line):
        return "goatcounter-csv"
    cells = {cell.strip().strip('"') for cell in line.split(",")}
    if {"property", "value", "events"} <= cells:
        return "plausible-csv"
    if {"label", "nb_visits"} <= cells or (first in "[{" and '"label"' in text and '"nb_visits"' in text):
        return "matomo-no-result" if _NO_RESULT_NAME.search(path.name) else "matomo"
    if first == "[" and '"value"' in text and '"total"' in text:
        return "umami-json"
    return None


def read_tool_export(fmt: str, f: IO[bytes], lines: Iterable[bytes], path: Path, since_day: int, sink: Sink,
                     stats: ReadStats) -> None:
    """Feed the events of one export file in format `fmt` (one of EXPORT_FORMATS) to `sink`."""
    texts = (line.decode("utf-8", "replace") for line in lines)
    if fmt == "plausible-csv":
        for row in _csv_rows(texts, path, stats):
            _count_record(row.get("property") == "kbgen", row.get("value", ""), row.get("events"), 0, path,
                          since_day, sink, stats)
    elif fmt == "goatcounter-csv":
        for row in _csv_rows(texts, path, stats, goatcounter=True):
            if row.get("event", "").lower() != "true" or row.get("bot", "0") not in ("", "0"):
                stats.lines += 1
                continue
            _count_record(True, row.get("path", ""), "1", _day(row.get("date", "")), path, since_day, sink, stats)
    elif fmt == "umami-json":
        for row in _json_rows(f, path, stats):
            _count_record(True, row.get("value"), row.get("total"), 0, path, since_day, sink, stats)
    else:
        no_result = fmt == "matomo-no-result"
        for day, row in _matomo_rows(f, path, stats):
            _count_keyword(row.get("label"), row.get("nb_visits"), no_result, day, path, since_day, sink, stats)


def _csv_rows(lines: Iterable[str], path: Path, stats: ReadStats, goatcounter: bool = False
              ) -> Iterator[dict[str, str]]:
    """Rows as {lower-cased column: value}. A quoted field may run over several lines (GoatCounter's titles can),
    up to the csv module's field limit (128 KiB); a row past it is malformed, and reading goes on after it (the
    rest of a field that ran away may take the rows after it along)."""
    reader = csv.reader(lines)
    header: list[str] | None = None
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            malformed(stats, path)
            continue
        if header is None:
            header = [cell.strip().lstrip("\ufeff").lower() for cell in cells]
            if goatcounter and header and header[0].isdigit():
                header = header[1:]  # "2,Path,…": the format's version comes first, before the rows' first column
            continue
        yield dict(zip(header, cells, strict=False))


def _json_rows(f: IO[bytes], path: Path, stats: ReadStats) -> list[dict[str, Any]]:
    data = _document(f, path, stats)
    return [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []


def _matomo_rows(f: IO[bytes], path: Path, stats: ReadStats) -> Iterator[tuple[int, dict[str, Any]]]:
    """(day or 0, row) of a Matomo report in CSV or JSON, one period or several."""
    raw = _read_capped(f, path, stats)
    if raw.startswith(codecs.BOM_UTF16_LE):
        text = raw[2:].decode("utf-16-le", "replace")
    else:
        text = raw.decode("utf-8", "replace").removeprefix("\ufeff")
    if text.lstrip()[:1] in ("[", "{"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            malformed(stats, path)
            return
        periods = data.items() if isinstance(data, dict) else [("", data)]
        for period, rows in periods:
            for row in rows if isinstance(rows, list) else []:
                if isinstance(row, dict):  # JSON keeps Matomo's HTML-escaped labels; its CSV decodes them
                    yield _day(period), {**row, "label": html.unescape(str(row.get("label", "")))}
        return
    for row in _csv_rows(text.splitlines(keepends=True), path, stats):
        yield _day(row.get("date", "")), row


def _document(f: IO[bytes], path: Path, stats: ReadStats) -> Any:
    try:
        return json.loads(_read_capped(f, path, stats))
    except (ValueError, RecursionError):
        malformed(stats, path)
        return None


def _read_capped(f: IO[bytes], path: Path, stats: ReadStats) -> bytes:
    raw = f.read(MAX_DOCUMENT_BYTES + 1)
    if len(raw) > MAX_DOCUMENT_BYTES:
        stats.stopped[str(path)] = (1, f"an export larger than {MAX_DOCUMENT_BYTES >> 20} MiB is not an aggregated "
                                       f"report; export a shorter period")
        return b""
    return raw


def _day(text: str) -> int:
    """`2026-11-23`, `2026-11-23T10:00:00Z` or a Matomo period `2026-11-01,2026-11-30` (its last day) → ordinal."""
    text = str(text).strip().split(",")[-1][:10]
    try:
        return dt.date.fromisoformat(text).toordinal()
    except ValueError:
        return 0


def _count(raw: Any) -> int | None:
    text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
    return int(text) if text.isdigit() and len(text) <= 12 else None


def _count_record(ours: bool, record: Any, raw_count: Any, day: int, path: Path, since_day: int, sink: Sink,
                  stats: ReadStats) -> None:
    stats.lines += 1
    if not ours or not isinstance(record, str) or not record.startswith(RECORD_PREFIX):
        return
    count = _count(raw_count)
    event = parse_record(record, day)
    if event is None or not count:
        malformed(stats, path)
        return
    event.count = count
    _give(event, since_day, sink, stats)


def _count_keyword(label: Any, raw_count: Any, no_result: bool, day: int, path: Path, since_day: int, sink: Sink,
                   stats: ReadStats) -> None:
    stats.lines += 1
    count = _count(raw_count)
    query = search_text(label) if isinstance(label, str) else ""
    if not query or count is None:
        malformed(stats, path)
        return
    if count:
        _give(Event("search", day, query=query, results=0 if no_result else None, count=count), since_day, sink,
              stats)


def _give(event: Event, since_day: int, sink: Sink, stats: ReadStats) -> None:
    if event.day and event.day < since_day:
        stats.too_old += 1
        return
    stats.events += 1
    stats.saw_day(event.day)
    sink.event(event)


def parse_record(record: str, day: int = 0) -> Event | None:
    """`kbgen:search|0|en|refund card` → a search Event; None when it is not a valid event record."""
    kind, _, rest = record.removeprefix(RECORD_PREFIX).partition("|")
    fields = rest.split("|", 2 if kind in ("search", "click") else 1)
    if kind == "vote" and len(fields) == 2 and fields[0] in ("0", "1"):
        return Event("vote", day, url=_url(fields[1]), helpful=fields[0] == "1")
    if len(fields) != 3 or not fields[0].isdigit() or len(fields[0]) > 9:
        return None
    number, middle, query = int(fields[0]), fields[1], search_text(fields[2])
    if not query:
        return None
    if kind == "search":
        return Event("search", day, query=query, results=number, lang=middle[:16])
    if kind == "click":
        return Event("click", day, query=query, url=_url(middle), rank=number)
    return None


_ESCAPED = re.compile(r"%(25|7[Cc])")


def _url(escaped: str) -> str:
    return cut_text(_ESCAPED.sub(lambda m: "%" if m.group(1) == "25" else "|", escaped))
