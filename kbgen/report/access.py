"""Access logs with one request per text line: nginx/Apache (combined, common), S3 server access logs and
CloudFront standard logs. Each reader finds a request's day, method, target and status and hands them to
`Requests`; a line without them is counted as malformed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote_to_bytes

from kbgen.report.reading import ReadStats, Requests, malformed

#: nginx/Apache "combined" and "common": host ident user [time] "request" status size ["referer" "agent"].
COMBINED = re.compile(rb'^\S+ \S+ \S+ \[(\d{2}/[A-Za-z]{3}/\d{4})[^\]]*\] "([A-Z]{3,7}) (\S+)(?: [^"]*)?" (\d{3}) ')
#: Amazon S3 server access log (docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html), space-separated:
#: bucket-owner bucket [time] remote-ip requester request-id operation key "request-uri" http-status … — the fields
#: read are time (`[06/Feb/2019:00:00:38 +0000]`), Request-URI (`"GET /_kb/e.gif?e=… HTTP/1.1"`, as sent) and
#: HTTP status. Requests to the bucket's website endpoint (operation WEBSITE.GET.OBJECT) have the page's path.
S3 = re.compile(rb'^\S+ \S+ \[(\d{2}/[A-Za-z]{3}/\d{4})[^\]]*\] \S+ \S+ \S+ \S+ \S+ '
                rb'"([A-Z]{3,7}) (\S+)(?: [^"]*)?" (\d{3}) ')
_MONTHS = {m.encode(): i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}


def read_lines(pattern: re.Pattern[bytes], f: Iterable[bytes], path: Path, requests: Requests,
               stats: ReadStats) -> None:
    """The hot loop of a gigabyte log: per line one regex match, a cached date and one call."""
    days: dict[bytes, int] = {}
    match = pattern.match
    add = requests.add
    lines = 0
    for line in f:
        lines += 1
        m = match(line)
        if m is None:
            if line.strip():
                malformed(stats, path)
            continue
        date, method, target, status = m.groups()
        day = days.get(date)
        if day is None:
            day = days[date] = _day_of(date)
        if not day:
            malformed(stats, path)
            continue
        add(day, method, target, status)
    stats.lines += lines


def _day_of(date: bytes) -> int:
    """`23/Nov/2026` → its date ordinal; 0 when it is no date."""
    try:
        return dt.date(int(date[7:11]), _MONTHS[date[3:6]], int(date[0:2])).toordinal()
    except (KeyError, ValueError):
        return 0


#: CloudFront standard log (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html): W3C
#: extended format, tab-separated, `#Version:` and `#Fields:` header lines naming the columns (read from the
#: header, so a log with fewer or reordered fields is read too). Fields read: `date` (YYYY-MM-DD, UTC),
#: `cs-method`, `cs-uri-stem`, `cs-uri-query` (`-` when none) and `sc-status`. CloudFront URL-encodes `%`, space
#: and a few other characters once more in field values, so the query `q=refund%20card` is logged as
#: `q=refund%2520card`: stem and query are decoded once to get the request as the browser sent it.
CLOUDFRONT_FIELDS = (b"date", b"cs-method", b"cs-uri-stem", b"cs-uri-query", b"sc-status")


def read_cloudfront(f: Iterable[bytes], path: Path, requests: Requests, stats: ReadStats) -> None:
    columns: tuple[int, ...] | None = None
    days: dict[bytes, int] = {}
    for line in f:
        stats.lines += 1
        if line.startswith(b"#"):
            if line.startswith(b"#Fields:"):
                names = line[len(b"#Fields:"):].split()
                columns = tuple(names.index(n) for n in CLOUDFRONT_FIELDS) if all(
                    n in names for n in CLOUDFRONT_FIELDS) else None
            continue
        cells = line.rstrip(b"\r\n").split(b"\t")
        if columns is None or len(cells) <= max(columns):
            if line.strip():
                malformed(stats, path)
            continue
        date, method, stem, query, status = (cells[i] for i in columns)
        day = days.get(date)
        if day is None:
            day = days[date] = _iso_day(date)
        if not day or not status.isdigit():
            malformed(stats, path)
            continue
        target = unquote_to_bytes(stem) + (b"?" + unquote_to_bytes(query) if query not in (b"-", b"") else b"")
        requests.add(day, method, target, status)


def _iso_day(date: bytes) -> int:
    try:
        return dt.date.fromisoformat(date.decode("ascii")).toordinal()
    except (ValueError, UnicodeDecodeError):
        return 0
