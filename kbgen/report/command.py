"""`kbgen report`: make the report, write it where asked, and tell CI whether it should fail."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import click

from kbgen.config.schema import Duration
from kbgen.report.make import ReportOptions, make_report
from kbgen.report.output import render


def parse_since(value: str | None) -> int | None:
    """`30d`, `6w`, `3m`, `1y` or a number of days."""
    if not value:
        return None
    try:
        return Duration().convert(int(value) if value.isdigit() else value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None


def run_report(options: ReportOptions, fmt: str, output: Path | None, fail_on: tuple[str, ...]) -> int:
    """Print or write the report; the exit status is 1 when a `--fail-on` condition holds."""
    report = make_report(options)
    text = render(report.data, fmt)
    if output:
        _write_atomically(output, text)
    else:
        click.echo(text, nl=False)
    for warning in report.warnings:
        if fmt != "table" or output:  # the table shows its warnings itself
            click.echo(f"warning: {warning}", err=True)
    failed = []
    if "stale" in fail_on and report.overdue:
        failed.append(f"{report.overdue} article{'s' if report.overdue != 1 else ''} overdue for review")
    if "gaps" in fail_on and report.open_gaps:
        failed.append(f"{report.open_gaps} search{'es' if report.open_gaps != 1 else ''} still without results "
                      f"(seen at least {options.min_count} time{'s' if options.min_count != 1 else ''})")
    for reason in failed:
        click.echo(f"report: {reason}", err=True)
    return 1 if failed else 0


def _write_atomically(path: Path, text: str) -> None:
    """A reader of the file (a CI artefact upload, a browser) never sees half a report. Its mode is that of any
    file the user makes (their umask), not the temporary file's 0600 that only its owner can read; a report
    written over one keeps that one's mode, so a report someone made private stays private."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:  # a new file: what `open()` would make
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
