"""One report from one set of options: read the logs, look at the articles, and put the findings together.

The result is plain data (`Report.data`, the JSON document); every output format is written from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kbgen.analytics import DEFAULT_ENDPOINT, EVENTS_FILE, analytics_settings
from kbgen.diagnostics import KbgenError
from kbgen.gitdates import SHALLOW_HINT, git_dates
from kbgen.report import demand as counting
from kbgen.report.answering import make_answerer
from kbgen.report.demand import Demand
from kbgen.report.gaps import STILL_NO_RESULT, no_click_queries, unhelpful_articles, zero_result_queries
from kbgen.report.inventory import load_inventory
from kbgen.report.logs import FORMATS, MAX_LINE_BYTES, ReadStats, read_sources
from kbgen.report.neutral import neutralised, printable
from kbgen.report.stale import DUE_SOON, OK, OVERDUE, stale_articles


@dataclass
class ReportOptions:
    config: Path | None = None
    content: Path | None = None
    logs: list[Path] = field(default_factory=list)
    since_days: int | None = None
    min_count: int = 1
    log_format: str = "auto"  # or a name of `kbgen.report.logs.FORMATS`
    today: dt.date | None = None
    log_format: str | None = None  # None: told per file from its content


@dataclass
class Report:
    data: dict[str, Any]
    warnings: list[str]

    @property
    def overdue(self) -> int:
        return self.data["summary"]["articles_overdue"]

    @property
    def open_gaps(self) -> int:
        return sum(1 for q in self.data["zero_result_queries"] if q["status"] == STILL_NO_RESULT)


def make_report(options: ReportOptions) -> Report:
    today = options.today or dt.datetime.now(dt.UTC).date()
    inventory = load_inventory(options.config, options.content)
    config, site = inventory.config, inventory.site
    warnings: list[str] = []

    logs = list(options.logs)
    if not logs and (config.cache_dir / EVENTS_FILE).is_file():
        logs = [config.cache_dir / EVENTS_FILE]  # what `kbgen serve` recorded
    answerer = make_answerer(site, config)
    demand = Demand(answerer.key, [a.url for a in site.articles])
    stats = ReadStats()
    since_day = (today - dt.timedelta(days=options.since_days)).toordinal() if options.since_days else 0
    read_sources(logs, _endpoint(config), since_day, demand, stats, options.log_format)
    if options.logs and stats.events + stats.too_old + stats.requests == 0:
        raise KbgenError(_no_events_message(stats))
    if stats.malformed:
        warnings.append(f"skipped {stats.malformed} malformed line{'s' if stats.malformed != 1 else ''} "
                        f"of {stats.lines} ({', '.join(f'{p}: {n}' for p, n in stats.malformed_by_file.items())})")
    for path, (count, first) in stats.too_long_by_file.items():
        warnings.append(f"{path}:{first}: skipped {count} line{'s' if count != 1 else ''} longer than "
                        f"{MAX_LINE_BYTES // 1024} KiB{f' (the first is line {first})' if count > 1 else ''}")
    for path, (line, why) in stats.stopped.items():
        warnings.append(f"{path}:{line}: {why}; the rest of the file is not read" if line else f"{path}: {why}")
    for path, why in stats.no_events.items():
        warnings.append(f"{path}: warning[log-no-events]: no search event in it: {why}")

    git = git_dates(config.content_dir)
    if git.shallow:
        warnings.append(f"SHALLOW GIT CLONE: {SHALLOW_HINT}")
    statuses = stale_articles(site, config.stale_after, git, today,
                              demand.demand_by_url())
    titles = {a.url: a.title for a in site.articles}
    gaps, gaps_others = zero_result_queries(demand, answerer, options.min_count)
    no_clicks, no_clicks_others = no_click_queries(demand, options.min_count)
    searches, zero = demand.totals()
    if demand.folded_queries:
        warnings.append(f"more than {counting.MAX_QUERIES:,} distinct searches: {demand.folded_queries:,} rare ones "
                        f"({demand.folded.searches:,} searches) count in the totals but are not listed")

    summary = {
        "today": today.isoformat(),
        "since": (today - dt.timedelta(days=options.since_days)).isoformat() if options.since_days else None,
        "first_day": _iso(stats.first_day), "last_day": _iso(stats.last_day),
        "log_files": stats.files, "lines_read": stats.lines, "malformed_lines": stats.malformed,
        "too_long_lines": sum(count for count, _first in stats.too_long_by_file.values()),
        "events": stats.events, "page_views": stats.page_views,
        "searches": searches, "zero_result_searches": zero,
        "articles": len(statuses),
        "articles_overdue": sum(1 for s in statuses if s.status == OVERDUE),
        "articles_due_soon": sum(1 for s in statuses if s.status == DUE_SOON),
        "articles_ok": sum(1 for s in statuses if s.status == OK),
        "dates_from": "git" if git.available else "front matter and file times",
        "git_shallow": git.shallow,
        "warnings": warnings,
    }
    data = {
        "summary": summary,
        "stale": [_stale_row(s) for s in statuses if s.status != OK],
        "zero_result_queries": [asdict(q) for q in gaps],
        "zero_result_others": asdict(gaps_others),
        "no_click_queries": [asdict(q) for q in no_clicks],
        "no_click_others": asdict(no_clicks_others),
        "unhelpful_articles": [asdict(a) for a in unhelpful_articles(demand, titles, options.min_count)],
        "weekly_searches": [{"week": dt.date.fromordinal(day).isoformat(), "searches": n, "zero_result": z}
                            for day, (n, z) in sorted(demand.weeks.items())],
        "ages": [s.age_days for s in statuses],
    }
    # Reader text reaches terminals and files from here on: no control character gets through (issue 18).
    return Report(neutralised(data), [printable(w) for w in warnings])


def _no_events_message(stats: ReadStats) -> str:
    """Why the report stops when not one line of the logs given could be read (issues 18, 21): each file, how it
    was read, and what was expected of it."""
    files = "\n".join(f"  {path}: {stats.stopped[path][1] + '; ' if path in stats.stopped else ''}{why}"
                      for path, why in stats.no_events.items())
    stopped = "".join(f"\n  {path}: {why}" for path, (_line, why) in stats.stopped.items() if path not in
                      stats.no_events)
    return (f"error[log-no-events]: not one of the {stats.lines} lines of the logs given could be read, so the "
            f"report would say nothing about searches:\n{files}{stopped}\n"
            f"hint: give the logs of the host that serves the site, or name their format with --log-format "
            f"({', '.join(FORMATS)}); the help centre's "
            f"\"Search analytics on your host\" says what each host keeps and where")


def _endpoint(config) -> str:
    settings = analytics_settings(config)
    endpoint = settings["endpoint"] if settings else DEFAULT_ENDPOINT
    return urlsplit(endpoint).path.lstrip("/") if "://" in endpoint else endpoint


def _iso(day: int) -> str | None:
    return dt.date.fromordinal(day).isoformat() if day else None


def _stale_row(s) -> dict[str, Any]:
    row = asdict(s)
    for key in ("updated", "due"):
        row[key] = row[key].isoformat()
    return row
