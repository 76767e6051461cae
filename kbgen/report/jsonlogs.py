"""JSON lines: kbgen's own events (`kbgen serve`), Caddy's access log and the request logs of log drains.

Each line is one JSON object (or a JSON array of them: a drain's batch saved as it was posted). What it holds is
told by its fields:

- kbgen events (`.kbgen/events.jsonl`): the wire fields (`e`, `q`, `n`, `l`, `u`, `r`, `h`) and `t`, Unix seconds.
- Caddy's access log (caddyserver.com/docs/caddyfile/directives/log, the `json` format, Caddy's default for files):
  `request.method`, `request.uri` (path and query as sent), `status` and `ts` (Unix seconds, the default
  `time_format`; an ISO 8601 string when `time_format` is set to one).
- Vercel log drains (vercel.com/docs/drains/reference/logs): `proxy.method`, `proxy.path` ("request path with query
  parameters"), `proxy.statusCode` and `proxy.timestamp` or `timestamp` (Unix milliseconds).
- CloudFront standard logging v2 in JSON: `cs-method`, `cs-uri-stem`, `cs-uri-query`, `sc-status`, `date`.
- Any other drain's request record with the path and query in `url`, `path`, `uri` or `request_uri`, the status
  in `status`, `status_code` or `statusCode` and the time in `timestamp`, `time` or `ts` (Unix seconds or
  milliseconds, or ISO 8601) — the shape of Netlify's traffic log records.

A line that is none of these, or is not JSON, is malformed. One nested deeper than Python's recursion limit is
malformed too, and no line is longer than MAX_LINE_BYTES before `json.loads` sees it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

from kbgen.render.analytics import parse_event
from kbgen.report.reading import ReadStats, Requests, Sink, event_from_wire, malformed

_PATH_KEYS = ("url", "path", "uri", "request_uri")
_STATUS_KEYS = ("status", "status_code", "statusCode")
_TIME_KEYS = ("timestamp", "time", "ts")
#: A number of seconds larger than this is milliseconds (2286 in seconds; 1973 in milliseconds).
_MAX_SECONDS = 10**10


def read_json_lines(f: Iterable[bytes], path: Path, since_day: int, requests: Requests, sink: Sink,
                    stats: ReadStats) -> None:
    for line in f:
        stats.lines += 1
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            malformed(stats, path)
            continue
        for record in data if isinstance(data, list) else (data,):
            if not _read_record(record, since_day, requests, sink, stats):
                malformed(stats, path)


def _read_record(record: Any, since_day: int, requests: Requests, sink: Sink, stats: ReadStats) -> bool:
    """Hand one record over; False when it is nothing this reader knows."""
    if not isinstance(record, dict):
        return False
    try:
        if "e" in record and "t" in record:
            return _kbgen_event(record, since_day, sink, stats)
        request = _request(record)
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, OSError):
        return False
    if request is None:
        return False
    requests.add(*request)
    return True


def _kbgen_event(record: dict, since_day: int, sink: Sink, stats: ReadStats) -> bool:
    data = dict(record)
    day = _day(data.pop("t"))
    wire = parse_event(urlencode({**{k: _wire_value(v) for k, v in data.items()}, "v": "1"}))
    if wire is None or not day:
        return False
    if day < since_day:
        stats.too_old += 1
        return True
    stats.events += 1
    stats.saw_day(day)
    sink.event(event_from_wire(wire, day))
    return True


def _request(record: dict) -> tuple[int, bytes, bytes, bytes] | None:
    """(day, method, target, status) of a request record, or None."""
    if isinstance(record.get("request"), dict):  # Caddy
        inner = record["request"]
        method, target, status, when = inner.get("method"), inner.get("uri"), record.get("status"), record.get("ts")
    elif isinstance(record.get("proxy"), dict):  # Vercel
        proxy = record["proxy"]
        method, target, status = proxy.get("method"), proxy.get("path"), proxy.get("statusCode")
        when = proxy.get("timestamp", record.get("timestamp"))
    elif "cs-uri-stem" in record:  # CloudFront v2, JSON output: the same encoding as its W3C files
        query = record.get("cs-uri-query") or "-"
        target = unquote(str(record["cs-uri-stem"])) + ("" if query == "-" else "?" + unquote(str(query)))
        method, status, when = record.get("cs-method"), record.get("sc-status"), record.get("date")
    else:
        target = next((record[k] for k in _PATH_KEYS if isinstance(record.get(k), str)), None)
        status = next((record[k] for k in _STATUS_KEYS if k in record), None)
        when = next((record[k] for k in _TIME_KEYS if k in record), None)
        method = record.get("method", "GET")
    if not isinstance(target, str) or not isinstance(method, str) or status is None:
        return None
    day = _day(when)
    if not day:
        return None
    if "://" in target:  # a full URL (some drains): keep its path and query
        target = "/" + target.split("://", 1)[1].partition("/")[2]
    return day, method.upper().encode(), target.encode("utf-8", "replace"), str(int(status)).encode()


def _day(when: Any) -> int:
    """A date ordinal from Unix seconds or milliseconds, or an ISO 8601 date or time; 0 when it is none."""
    if isinstance(when, bool) or when is None:
        return 0
    if isinstance(when, (int, float)):
        seconds = when / 1000 if when > _MAX_SECONDS else when
        return dt.datetime.fromtimestamp(seconds, dt.UTC).date().toordinal()
    if isinstance(when, str):
        text = when.strip()
        if text.replace(".", "", 1).isdigit():
            return _day(float(text))
        if "T" not in text and " " not in text:
            return dt.date.fromisoformat(text).toordinal()
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return (moment.astimezone(dt.UTC) if moment.tzinfo else moment).date().toordinal()
    return 0


def _wire_value(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (str, int)):
        return str(value)
    raise TypeError("not a wire value")
