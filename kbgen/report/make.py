"""One report from one set of options: read the logs, look at the articles, and put the findings together.

The result is plain data (`Report.data`, the JSON document); every output format is written from it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kbgen.config.settings import Config
from kbgen.content.dates import SHALLOW_HINT, GitDates, git_dates
from kbgen.core.diagnostics import KbgenError
from kbgen.render.analytics import DEFAULT_ENDPOINT, EVENTS_FILE, analytics_settings
from kbgen.report import demand as counting
from kbgen.report.answering import Answerer, make_answerer
from kbgen.report.demand import Demand
from kbgen.report.gaps import STILL_NO_RESULT, no_click_queries, unhelpful_articles, zero_result_queries
from kbgen.report.inventory import load_inventory
from kbgen.report.logs import FORMATS, MAX_LINE_BYTES, ReadStats, read_sources
from kbgen.report.neutral import neutralised, printable
from kbgen.report.stale import DUE_SOON, OK, OVERDUE, StaleArticle, stale_articles


@dataclass
class ReportOptions:
    config: Path | None = None
    content: Path | None = None
    logs: list[Path] = field(default_factory=list)
    since_days: int | None = None
    min_count: int = 1
    log_format: str = "auto"  # told per file from its content, or a name of `kbgen.report.logs.FORMATS`
    today: dt.date | None = None


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
    """The report's steps in order, each a function below: the articles, the logs counted, what is out of date,
    what readers did not find, and a summary of what all of it is based on."""
    today = options.today or dt.datetime.now(dt.UTC).date()
    inventory = load_inventory(options.config, options.content)
    config, site = inventory.config, inventory.site
    answerer = make_answerer(site, config)
    demand = Demand(answerer.key, [a.url for a in site.articles])
    stats = _read_logs(options, config, today, demand)
    warnings = _reading_warnings(stats)
    git = git_dates(config.content_dir)
    if git.shallow:
        warnings.append(f"SHALLOW GIT CLONE: {SHALLOW_HINT}")
    statuses = stale_articles(site, config.stale_after, git, today, demand.demand_by_url())
    gaps = _content_gaps(demand, answerer, {a.url: a.title for a in site.articles}, options.min_count)
    if demand.folded_queries:
        warnings.append(_folded_warning(demand))
    data = {
        "summary": {**_period(today, options.since_days, stats), **_searches(demand),
                    **_articles(statuses, git), "warnings": warnings},
        "stale": [_stale_row(s) for s in statuses if s.status != OK],
        **gaps,
        "weekly_searches": _weekly_searches(demand),
        "ages": [s.age_days for s in statuses],
    }
    # Reader text reaches terminals and files from here on: no control character gets through (issue 18).
    return Report(neutralised(data), [printable(w) for w in warnings])


def _read_logs(options: ReportOptions, config: Config, today: dt.date, demand: Demand) -> ReadStats:
    """Count every event of the logs into `demand`. Logs given of which not one line could be read stop the
    report: an empty report would read as "no reader had a problem" (issues 18, 21)."""
    stats = ReadStats()
    since = _since(today, options.since_days)
    read_sources(_logs_to_read(options.logs, config), _endpoint(config), since.toordinal() if since else 0,
                 demand, stats, options.log_format)
    if options.logs and stats.events + stats.too_old + stats.requests == 0:
        raise KbgenError(_no_events_message(stats))
    return stats


def _logs_to_read(logs: list[Path], config: Config) -> list[Path]:
    """The logs given; without any, what `kbgen serve` recorded, so a writer's own preview searches report too."""
    if logs:
        return list(logs)
    recorded = config.cache_dir / EVENTS_FILE
    return [recorded] if recorded.is_file() else []


def _since(today: dt.date, since_days: int | None) -> dt.date | None:
    """The first day `--since` lets in (None: every day)."""
    return today - dt.timedelta(days=since_days) if since_days else None


def _reading_warnings(stats: ReadStats) -> list[str]:
    """Every line the logs had that the report does not count, by file and line, so its reader knows what the
    figures leave out."""
    warnings = [_malformed_warning(stats)] if stats.malformed else []
    warnings += [_too_long_warning(path, count, first) for path, (count, first) in stats.too_long_by_file.items()]
    warnings += [f"{path}:{line}: {why}; the rest of the file is not read" if line else f"{path}: {why}"
                 for path, (line, why) in stats.stopped.items()]
    warnings += [f"{path}: warning[log-no-events]: no search event in it: {why}"
                 for path, why in stats.no_events.items()]
    return warnings


def _malformed_warning(stats: ReadStats) -> str:
    """Lines in no format kbgen reads, counted per file: a few are noise, many mean a wrong --log-format."""
    return (f"skipped {stats.malformed} malformed line{'s' if stats.malformed != 1 else ''} "
            f"of {stats.lines} ({', '.join(f'{p}: {n}' for p, n in stats.malformed_by_file.items())})")


def _too_long_warning(path: str, count: int, first: int) -> str:
    """One warning per file for lines over the limit (a scanner's long URLs), pointing at the first of them."""
    return (f"{path}:{first}: skipped {count} line{'s' if count != 1 else ''} longer than "
            f"{MAX_LINE_BYTES // 1024} KiB{f' (the first is line {first})' if count > 1 else ''}")


def _folded_warning(demand: Demand) -> str:
    """The rare searches counted but no longer listed (`demand.MAX_QUERIES`): the lists are not the whole story."""
    return (f"more than {counting.MAX_QUERIES:,} distinct searches: {demand.folded_queries:,} rare ones "
            f"({demand.folded.searches:,} searches) count in the totals but are not listed")


def _content_gaps(demand: Demand, answerer: Answerer, titles: dict[str, str], min_count: int) -> dict[str, Any]:
    """What readers did not find, found but did not open, or voted down: the sections of the report a writer
    acts on, each list capped with what it leaves out."""
    gaps, gaps_others = zero_result_queries(demand, answerer, min_count)
    no_clicks, no_clicks_others = no_click_queries(demand, min_count)
    return {
        "zero_result_queries": [asdict(q) for q in gaps],
        "zero_result_others": asdict(gaps_others),
        "no_click_queries": [asdict(q) for q in no_clicks],
        "no_click_others": asdict(no_clicks_others),
        "unhelpful_articles": [asdict(a) for a in unhelpful_articles(demand, titles, min_count)],
    }


def _period(today: dt.date, since_days: int | None, stats: ReadStats) -> dict[str, Any]:
    """The summary's first part: which days and how much of the logs the report is based on."""
    since = _since(today, since_days)
    return {
        "today": today.isoformat(), "since": since.isoformat() if since else None,
        "first_day": _iso(stats.first_day), "last_day": _iso(stats.last_day),
        "log_files": stats.files, "lines_read": stats.lines, "malformed_lines": stats.malformed,
        "too_long_lines": sum(count for count, _first in stats.too_long_by_file.values()),
        "events": stats.events, "page_views": stats.page_views,
    }


def _searches(demand: Demand) -> dict[str, int]:
    """The summary's search totals, rare folded searches included."""
    searches, zero = demand.totals()
    return {"searches": searches, "zero_result_searches": zero}


def _articles(statuses: list[StaleArticle], git: GitDates) -> dict[str, Any]:
    """The summary's review counts, and where the dates they rest on came from (a shallow clone makes articles
    look newer than they are)."""
    count = Counter(s.status for s in statuses)
    return {
        "articles": len(statuses),
        "articles_overdue": count[OVERDUE], "articles_due_soon": count[DUE_SOON], "articles_ok": count[OK],
        "dates_from": "git" if git.available else "front matter and file times",
        "git_shallow": git.shallow,
    }


def _weekly_searches(demand: Demand) -> list[dict[str, Any]]:
    """Searches and searches without results per week (Monday's date), oldest first, for the trend chart."""
    return [{"week": dt.date.fromordinal(day).isoformat(), "searches": n, "zero_result": z}
            for day, (n, z) in sorted(demand.weeks.items())]


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


def _endpoint(config: Config) -> str:
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
