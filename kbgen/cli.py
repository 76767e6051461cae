"""The command line: each command parses its options and calls one function."""

from __future__ import annotations

import functools
import os
import sys
import time
import traceback
from pathlib import Path

import click

from kbgen import __version__
from kbgen.config.analytics_providers import EXPORT_FORMATS
from kbgen.core.diagnostics import Diagnostics, KbgenError, Severity
from kbgen.core.progress import LazyProgress
from kbgen.pipeline import BuildOptions, build


def _common(command):
    """--quiet/--verbose on every command, and the promise that a user mistake never shows a traceback."""

    @click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
    @click.option("-v", "--verbose", is_flag=True, help="Print stage timings, and tracebacks of internal errors.")
    @functools.wraps(command)
    def wrapper(*args, quiet: bool, verbose: bool, **kwargs):
        ctx = click.get_current_context()
        ctx.meta["quiet"], ctx.meta["verbose"] = quiet, verbose
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in kbgen, not the user's fault: say so briefly
            if verbose:
                traceback.print_exc()
            raise KbgenError(f"internal error: {type(exc).__name__}: {exc} "
                             "(run with --verbose for details, and please report it)") from None

    return wrapper


def _build_options(command):
    command = click.option("--config", "config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           help="Config file (default: kbgen.yml here, if present).")(command)
    command = click.option("--content", type=click.Path(exists=True, file_okay=False, path_type=Path),
                           help="Folder of Markdown articles (default: content/).")(command)
    command = click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")(command)
    command = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kbgen")
def main() -> None:
    """kbgen: build a help centre with offline search from Markdown articles."""


@main.command("build")
@_build_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: site/).")
@_common
def build_command(config: Path | None, content: Path | None, out: Path | None, drafts: bool, strict: bool) -> None:
    """Build the site into the output folder (replaced only when the build succeeds, and only if kbgen wrote it)."""
    _run_build(BuildOptions(config=config, content=content, out=out, drafts=drafts, strict=strict))


@main.command("check")
@_build_options
@_common
def check_command(config: Path | None, content: Path | None, drafts: bool, strict: bool) -> None:
    """Validate content, links and templates like `build`, writing nothing."""
    _run_build(BuildOptions(config=config, content=content, drafts=drafts, strict=strict, write=False))


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@_common
def init_command(directory: Path) -> None:
    """Start a new knowledge base in DIRECTORY: kbgen.yml, sample articles, .gitignore."""
    from kbgen.scaffold import create_project

    written = create_project(directory)
    if not click.get_current_context().meta["quiet"]:
        for path in written:
            click.echo(f"created {path}")
        click.echo(f"Next: cd {directory} && kbgen build")


@main.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Folder for the new kbgen.yml and content/ (default: here). Nothing in it is replaced.")
@click.option("--from", "kind", type=click.Choice(["mkdocs", "docusaurus", "hugo", "zendesk"]),
              help="The tool SOURCE was written for (default: recognised from its files).")
@_common
def import_command(source: Path, out: Path, kind: str | None) -> None:
    """Turn an MkDocs, Docusaurus or Hugo project, or a Zendesk Guide export, into kbgen.yml and content/."""
    from kbgen.importing import import_project

    for line in import_project(source, out, kind):
        click.echo(line)


@main.command("new")
@click.argument("title")
@click.option("--category", default="", help="Folder under content/ (e.g. billing/refunds); created if missing.")
@click.option("--faq", is_flag=True, help="Start a FAQ page (type: faq).")
@click.option("--content", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of Markdown articles (default: content/).")
@_common
def new_command(title: str, category: str, faq: bool, content: Path | None) -> None:
    """Create a new article with front matter filled in, and print its path."""
    from kbgen.scaffold import create_article

    path = create_article(title, category, faq, content)
    click.echo(str(path))


@main.command("search")
@click.argument("query", required=False)
@_build_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: site/).")
@click.option("--limit", default=10, show_default=True, help="How many results to show.")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.option("--lang", default=None, help="Which language's index, on a multilingual site.")
@click.option("--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run every query of a TSV file (id<TAB>query) instead.")
@click.option("--format", "fmt", type=click.Choice(["trec"]), default="trec", help="Output of --batch.")
@_common
def search_command(query: str | None, config: Path | None, content: Path | None, out: Path | None, drafts: bool,
                   strict: bool, limit: int, as_json: bool, lang: str | None, batch: Path | None, fmt: str) -> None:
    """Search the site as a reader's browser does (builds it first if there is no index yet)."""
    from kbgen import ask

    if not query and not batch:
        raise click.UsageError("give a QUERY, or --batch FILE")
    options = BuildOptions(config=config, content=content, out=out, drafts=drafts, strict=strict)
    index, keys = ask.open_index(options, lang)
    if batch:
        ask.batch(index, keys, batch, limit if limit != 10 else 1000)
    else:
        ask.print_results(ask.search(index, keys, query or "", limit), as_json)


@main.command("serve")
@_build_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 lets other machines see your drafts.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
@_common
def serve_command(config: Path | None, content: Path | None, drafts: bool, strict: bool, host: str, port: int,
                  open_browser: bool) -> None:
    """Preview the site on http://127.0.0.1:8000/, rebuilding what each save changes and refreshing open tabs."""
    from kbgen.serve import serve

    quiet = click.get_current_context().meta["quiet"]
    try:
        serve(BuildOptions(config=config, content=content, drafts=drafts, strict=strict), host, port, open_browser,
              log=lambda line: None if quiet and "error" not in line else click.echo(line, err=True))
    except OSError as exc:
        raise KbgenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


@main.command("report")
@click.argument("log_files", metavar="[LOG]...", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--log", "logs", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Access log (nginx/Apache, S3, CloudFront; .gz too), JSON lines (kbgen events, Caddy, log drains), "
                   "a kbgen collect store, CSV (query,count[,results]) or an analytics tool's export. Repeatable. "
                   "Default: .kbgen/events.jsonl from kbgen serve.")
@click.option("--log-format", type=click.Choice(["auto", "combined", "s3", "cloudfront", "json", "csv", "store",
                                                 *EXPORT_FORMATS]),
              default="auto", show_default=True,
              help="Format of the logs; auto tells each file's from its content. An analytics tool's export: "
                   "plausible-csv, umami-json, matomo, matomo-no-result, goatcounter-csv.")
@click.option("--since", help="Only events of the last period, e.g. 30d, 6w, 3m.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md", "html"]), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--fail-on", multiple=True, type=click.Choice(["stale", "gaps"]),
              help="Exit 1 when an article is overdue (stale) or a search still finds nothing (gaps).")
@click.option("--min-count", type=click.IntRange(min=1), default=1, show_default=True,
              help="Ignore searches seen fewer times.")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file (default: kbgen.yml here, if present).")
@click.option("--content", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of Markdown articles (default: content/).")
@_common
def report_command(log_files: tuple[Path, ...], logs: tuple[Path, ...], log_format: str, since: str | None,
                   fmt: str, output: Path | None, fail_on: tuple[str, ...], min_count: int, config: Path | None,
                   content: Path | None) -> None:
    """Stale articles and the searches readers could not answer, from the site's search analytics."""
    from kbgen.report.command import parse_since, run_report
    from kbgen.report.make import ReportOptions

    options = ReportOptions(config=config, content=content, logs=[*logs, *log_files],
                            since_days=parse_since(since), min_count=min_count, log_format=log_format)
    status = run_report(options, fmt, output, fail_on)
    if status:
        raise click.exceptions.Exit(status)


@main.command("collect")
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The SQLite file to store events in (created if missing); kbgen report --log reads it.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 in a container or behind a reverse proxy.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--path", "beacon_path", default="/_kb/e.gif", show_default=True,
              help="The beacon's path: the path of the site's analytics.endpoint URL.")
@click.option("--rate", default=120, show_default=True, type=click.IntRange(min=0),
              help="At most this many events a minute per client (0: no cap); more get 429.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Worker threads.")
@click.option("--max-db-mb", default=1024, show_default=True, type=click.IntRange(min=1),
              help="Stop storing (507) when the store reaches this size.")
@click.option("--trusted-proxy", default=None,
              help="Address of the reverse proxy in front; its X-Forwarded-For then names the client for --rate.")
@_common
def collect_command(db: Path, host: str, port: int, beacon_path: str, rate: int, threads: int, max_db_mb: int,
                    trusted_proxy: str | None) -> None:
    """Receive the site's search beacons where the host keeps no logs, into an SQLite store for kbgen report."""
    from kbgen.collect import CollectOptions, run_collector

    if not beacon_path.startswith("/"):
        raise click.BadParameter("a path starting with /, e.g. /_kb/e.gif", param_hint="--path")
    options = CollectOptions(db=db, host=host, port=port, path=beacon_path, rate=rate, threads=threads,
                             max_db_mb=max_db_mb, trusted_proxy=trusted_proxy)
    run_collector(options, log=lambda line: click.echo(line, err=True))


def _run_build(options: BuildOptions) -> None:
    ctx = click.get_current_context()
    quiet, verbose = ctx.meta["quiet"], ctx.meta["verbose"]
    diagnostics = Diagnostics(strict=options.strict)
    progress = LazyProgress(enabled=not quiet)
    start = time.perf_counter()
    try:
        result = build(options, diagnostics, progress)
    finally:
        progress.close()
        _print_diagnostics(diagnostics, quiet)
    elapsed = time.perf_counter() - start
    if verbose:
        for name, seconds in result.timings.items():
            click.echo(f"  {name:<9} {seconds * 1000:8.0f} ms", err=True)
        if result.site:
            _print_ignored_fields(result.site)
        for a in result.site.articles if result.site else []:  # why a page says "Updated" when it does
            click.echo(f"  {a.display}: updated {a.updated.isoformat()} ({a.updated_from})", err=True)
    if quiet:
        return
    out = result.config.output_dir if result.config else None
    shown = _shown(out) if out else "site"
    if result.up_to_date:
        click.echo(f"{shown}/ is up to date ({diagnostics.summary()})")
    elif options.write:
        articles = len(result.site.articles) if result.site else 0
        click.echo(f"Built {result.pages} pages ({articles} articles, {result.rendered} rendered) into {shown}/ "
                   f"in {elapsed:.1f} s — {diagnostics.summary()}")
    else:
        articles = len(result.site.articles) if result.site else 0
        click.echo(f"Checked {articles} articles in {elapsed:.1f} s — {diagnostics.summary()}")


def _print_ignored_fields(site) -> None:
    """Front-matter fields nothing reads (another tool's, or misspelt), each once: kept for templates as
    `page.extra`, never an error, but a writer moving content in wants to know what is left behind."""
    from kbgen.config.frontmatter import ignored_fields

    for key, count, display, line in ignored_fields([(a.display, a.result.front_matter) for a in site.articles]):
        articles = f"{count} article{'s' if count != 1 else ''}"
        click.echo(f"{display}:{line}: front-matter field '{key}' is not read by kbgen ({articles}; "
                   "templates see it as page.extra)", err=True)


def _print_diagnostics(diagnostics: Diagnostics, quiet: bool) -> None:
    color = sys.stderr.isatty()
    on_github = os.environ.get("GITHUB_ACTIONS") == "true"  # set by every GitHub Actions runner
    for d in diagnostics.sorted():
        if quiet and d.severity is not Severity.ERROR:
            continue
        line = d.format()
        if color:
            line = click.style(line, fg="red" if d.severity is Severity.ERROR else "yellow")
        click.echo(line, err=True)
        if on_github:  # the runner reads commands from stderr as from stdout, which stays the command's own
            click.echo(d.github_annotation(), err=True)


def _shown(path: Path) -> str:
    try:
        rel = path.relative_to(Path.cwd())
        return str(rel)
    except ValueError:
        return str(path)
