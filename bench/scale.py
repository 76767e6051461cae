#!/usr/bin/env python3
"""Scale benchmark (issue 20): kbgen at 40,000 articles side by side with Hugo + Pagefind, and how each figure grows.

Not part of the test suite: a full run takes hours on a loaded two-core machine (kbgen's cold build of 40k articles
alone took 389 s in December 2026). It makes its own corpus under --work from ../shared/corpora, never touching the
shared files: en-cpp-docs (9,746 articles) copied four times into `cpp1/` … `cpp4/`, so every relative link stays
inside its own copy, plus ru-doka (1,448) in `ru-doka/`: 40,432 articles. The smaller sizes are whole copies in the
same order (10k: cpp1 alone, 20k: cpp1 + cpp2; a size takes the copies that fit within 10 % of it), and a size below
one copy (5k) takes whole top-level folders of cpp1 that fit, so it has more broken links than the others. The
kbgen.yml is bench/search.py's for en-cpp-docs: broken links are warnings, the rest of Microsoft Learn is declared in
`external_sites`. `--sizes en-cpp-docs` runs that corpus alone (9,746 articles, issue 17's bound).

For each size and each of --runs rounds (tools interleaved in a round, so a slow minute slows both), it measures:

- cold build: a fresh project (no `.kbgen/` cache, no `site/`). Hugo + Pagefind: `hugo` into a fresh folder with
  the minimal layouts of bench/build.py, then `pagefind --site public`; its time is the sum of the two;
- peak summed PSS of the cold build (every process of the build, /proc/PID/smaps_rollup every 20 ms, bench/ab.py);
  for Hugo + Pagefind the larger of the two, which run one after the other;
- output size (bytes and files) of the cold build, Pagefind's index included;
- no-change build: the same command again in the same project;
- edit build: one article's body gets a new paragraph (bench/serve.py's edit), then the same command; the bench
  checks that the built page has the new word;
- kbgen serve (kbgen only): its start with a warm cache (in the built project: until `/` answers 200), the
  edit-to-page time of --edits edits in that preview (bench/serve.py: a client waits for the live channel's
  message, then fetches the page, as a tab does; median; with --tab also in a real Chromium tab), its peak summed
  PSS over start and edits; and its start with a cold cache, in a fresh project.

Hugo + Pagefind run at the largest size only; kbgen at every size, and the fitted exponent of each figure against
the article count is printed (least squares of log figure against log articles, with no fixed cost taken off:
1.0 is linear). Then ratios against Hugo + Pagefind and the issue's bounds, each PASS or FAIL (the bounds are for
40,000 articles: at other sizes they are printed for information). A run past --timeout is killed with its
processes and shown as `> T s`; the figures that needed it are left out.

    .venv/bin/python bench/scale.py                                  # 5k..40k, 3 rounds, kbgen + Hugo/Pagefind
    .venv/bin/python bench/scale.py --sizes 1k,2k --runs 1 --no-settle   # a few minutes: to try the bench
    .venv/bin/python bench/scale.py --sizes en-cpp-docs --only cold   # issue 17: cold build on en-cpp-docs alone
    .venv/bin/python bench/scale.py --tools kbgen --only serve-warm,edit-to-page --json scale.json

Disk: as in bench/build.py, every run writes into a folder of its own, kept until the bench is done (deleting
80,000 files makes the next file creations slow on this kind of disk), and the disk is synced and left to settle
before the first run (--no-settle skips the six minutes). The corpus copies stay in --work for the next run.
Peers: Hugo is the Debian package; Pagefind comes from PyPI as bench/search.py installs it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as build_bench  # noqa: E402  (the process runner, the Hugo site, settling)
import scaling  # noqa: E402  (the growth exponent)
import search as search_bench  # noqa: E402  (Pagefind's install, en-cpp-docs' kbgen.yml)
import serve as serve_bench  # noqa: E402  (starting a preview, the edit and its timing)
from ab import PeakPss  # noqa: E402

#: The 40k corpus, in the order the smaller sizes take it: (folder under content/, corpus in ../shared/corpora).
COPIES = (("cpp1", "en-cpp-docs"), ("cpp2", "en-cpp-docs"), ("cpp3", "en-cpp-docs"), ("cpp4", "en-cpp-docs"),
          ("ru-doka", "ru-doka"))
CPP_ONLY = "en-cpp-docs"  # the --sizes label of en-cpp-docs alone
DEFAULT_SIZES = "5k,10k,20k,40k"
SLACK = 1.1  # a size takes the copies (or folders) that fit within 10 % above it
FIGURES = ("cold", "nochange", "edit", "serve-warm", "edit-to-page", "serve-cold")
NEEDS_BUILD = {"nochange", "edit", "serve-warm", "edit-to-page"}
GB = 1e9
#: What each figure is called in the tables, its unit and how a value prints.
LABELS = {
    "cold_s": ("cold build", "s"), "pss_mib": ("peak summed PSS (cold)", "MiB"),
    "out_mb": ("output size", "MB"), "out_files": ("output files", "files"),
    "nochange_s": ("no-change build", "s"), "edit_s": ("build after a body edit", "s"),
    "serve_warm_s": ("serve start, warm cache", "s"), "edit_to_page_ms": ("serve edit-to-page (median)", "ms"),
    "edit_to_tab_ms": ("serve edit-to-tab (median, Chromium)", "ms"),
    "serve_warm_pss_mib": ("serve peak summed PSS (warm)", "MiB"),
    "serve_cold_s": ("serve start, cold cache", "s"), "serve_cold_pss_mib": ("serve peak summed PSS (cold)", "MiB"),
    "hugo_s": ("  of which hugo", "s"), "pagefind_s": ("  of which pagefind", "s"),
    "hugo_pss_mib": ("  PSS of hugo", "MiB"), "pagefind_pss_mib": ("  PSS of pagefind", "MiB"),
}


# ------------------------------------------------------------------------------------------------ the corpus


@dataclass
class Size:
    """One corpus size: its label, what it copies (source folder, folder under content/) and its article count."""

    label: str
    parts: list[tuple[Path, str]]
    articles: int
    content: Path = Path()


def count_articles(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.md"))


def size_target(label: str) -> int:
    """'5k' → 5000, '1200' → 1200; en-cpp-docs → one copy."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(k?)", label.lower())
    if not match:
        raise ValueError(f"size {label!r}: give a count such as 5k or 2500, or {CPP_ONLY}")
    return int(float(match.group(1)) * (1000 if match.group(2) else 1))


def plan_size(corpora: Path, label: str) -> Size:
    """What a size copies: whole copies in COPIES order while they fit, else whole top-level folders of the first."""
    sources = [(corpora / corpus / "articles", name) for name, corpus in COPIES]
    for source, _ in sources:
        if not source.is_dir():
            sys.exit(f"scale: no corpus at {source} (use --corpora)")
    if label == CPP_ONLY:
        return Size(label, sources[:1], count_articles(sources[0][0]))
    limit = size_target(label) * SLACK
    parts, total = [], 0
    for source, name in sources:
        n = count_articles(source)
        if total + n <= limit:
            parts.append((source, name))
            total += n
        elif not parts:  # smaller than one copy
            for folder in sorted(p for p in source.iterdir() if p.is_dir()):
                k = count_articles(folder)
                if total + k <= limit:
                    parts.append((folder, f"{name}/{folder.name}"))
                    total += k
            break
        else:
            break
    return Size(label, parts, total)


def make_corpus(work: Path, size: Size) -> None:
    """Copy the size's files under work/corpora/LABEL/content once (bytes only: the shared files are read-only)."""
    root = work / "corpora" / size.label
    size.content = root / "content"
    manifest = {"parts": [[str(s), d] for s, d in size.parts], "articles": size.articles}
    stamp = root / "manifest.json"
    if stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == manifest:
        return
    shutil.rmtree(root, ignore_errors=True)
    print(f"scale: copying {size.articles:,} articles into {size.content} …", file=sys.stderr, flush=True)
    for source, dest in size.parts:
        for folder, _dirs, files in os.walk(source):
            target = size.content / dest / Path(folder).relative_to(source)
            target.mkdir(parents=True, exist_ok=True)
            for name in files:
                shutil.copyfile(Path(folder) / name, target / name)
    stamp.write_text(json.dumps(manifest), encoding="utf-8")  # written last: a copy cut short is made again


# ------------------------------------------------------------------------------------------------ one round


@dataclass
class Round:
    """What one round of one tool at one size measured: figures, and why others are missing."""

    figures: dict[str, float] = field(default_factory=dict)
    timed_out: list[str] = field(default_factory=list)  # figures whose run hit --timeout
    notes: list[str] = field(default_factory=list)


@dataclass
class Bench:
    """The settings every round needs."""

    kbgen: str
    hugo: build_bench.Tool | None
    pagefind: list[str]
    only: set[str]
    edits: int
    timeout: float
    browser: object = None  # a Playwright browser with --tab: the edits are timed in a tab as well


def output_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) below `folder`."""
    total = files = 0
    for path, _dirs, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(path, name)).st_size
                files += 1
    return total, files


def edited_page(out: Path, content: Path, article: Path) -> Path:
    """The output file of `article` in both tools: its path without .md, as a folder with index.html."""
    rel = serve_bench.page_url("", content, article).strip("/")
    return out / rel / "index.html"


def timed(bench: Bench, result: Round, figure: str, cmd: list[str], cwd: Path, logs: Path, ok=(0,)):
    """Run one command under --timeout with PSS sampled; None (and the reason noted) unless it succeeded."""
    run = build_bench.run_measured(cmd, cwd, bench.timeout, logs, sample_pss=True)
    os.sync()  # its writes reach the disk now, not during the next timed run
    if run.timed_out:
        result.timed_out.append(f"{figure}_s")
        result.notes.append(f"{figure}: {Path(cmd[0]).name} killed after {bench.timeout:g} s")
        return None
    if run.returncode not in ok:
        result.notes.append(f"{figure}: {' '.join(cmd[:3])} exited {run.returncode}: {run.stderr_tail[-400:]}")
        return None
    return run


def edit_build(build, out: Path, content: Path, article: Path, result: Round) -> None:
    """Save one article with a new paragraph, build, check the page shows it, put the article back."""
    original = article.read_text(encoding="utf-8")
    word = f"scalebench{int(time.time() * 1000) % 10**8}"
    try:
        serve_bench.save_edit(article, original, word)
        seconds = build("edit")
    finally:
        article.write_text(original, encoding="utf-8")
    if seconds is None:
        return
    result.figures["edit_s"] = seconds
    page = edited_page(out, content, article)
    if not page.is_file() or word not in page.read_text(encoding="utf-8", errors="replace"):
        result.notes.append(f"edit: {page} does not show the edit")


def kbgen_round(bench: Bench, size: Size, article: Path, folder: Path) -> Round:
    """Cold, no-change and edit builds of a fresh kbgen project and its preview (warm), then a cold preview."""
    result = Round()
    if bench.only & {"cold", *NEEDS_BUILD}:
        built_project(bench, size, article, folder / "kbgen", result)
    if "serve-cold" in bench.only:
        preview(bench, new_project(folder / "kbgen-serve-cold", size), size, article, result, "serve_cold_s", 0)
    return result


def built_project(bench: Bench, size: Size, article: Path, project: Path, result: Round) -> None:
    """The build figures of a fresh project, then its preview with the cache the builds left."""
    new_project(project, size)
    cmd = [bench.kbgen, "build", "-q"]

    def build(figure: str) -> float | None:
        run = timed(bench, result, figure, cmd, project, project.parent / f"logs-{figure}",
                    build_bench.KBGEN_OK_CODES)
        return run.seconds if run else None

    run = timed(bench, result, "cold", cmd, project, project.parent / "logs-cold", build_bench.KBGEN_OK_CODES)
    if run is None:
        return
    out_bytes, out_files = output_size(project / "site")
    result.figures.update(cold_s=run.seconds, pss_mib=run.peak_pss_kib / 1024, out_mb=out_bytes / 1e6,
                          out_files=out_files)
    if "nochange" in bench.only and (seconds := build("nochange")) is not None:
        result.figures["nochange_s"] = seconds
    if "edit" in bench.only:
        edit_build(build, project / "site", size.content, article, result)
    if bench.only & {"serve-warm", "edit-to-page"}:
        edits = bench.edits if "edit-to-page" in bench.only else 0
        preview(bench, project, size, article, result, "serve_warm_s", edits)


def new_project(project: Path, size: Size) -> Path:
    """A kbgen project reading the size's corpus: en-cpp-docs' settings from bench/search.py."""
    project.mkdir(parents=True)
    config = search_bench.BUILD_TIME_CORPORA["en-cpp-docs"]
    (project / "kbgen.yml").write_text(f"site_name: Scale bench {size.label}\n"
                                       f"content_dir: {json.dumps(str(size.content))}\n{config}", encoding="utf-8")
    return project


def preview(bench: Bench, project: Path, size: Size, article: Path, result: Round, figure: str,
            edits: int) -> None:
    """`kbgen serve` in `project`: seconds until / answers, then `edits` timed edits; peak summed PSS throughout."""
    port = serve_bench.free_port()
    proc = serve_bench.start([bench.kbgen, "serve", "-q", "--port", str(port)], project, project / f"{figure}.log")
    pss = PeakPss(proc.pid)
    base = f"http://127.0.0.1:{port}/"
    try:
        result.figures[figure] = serve_bench.wait_until_up(base, proc, bench.timeout)
        if edits:
            timings: dict = {}
            serve_bench.measure("kbgen", base, serve_bench.page_url(base, size.content, article), size.content,
                                article, edits, 30.0, bench.browser, timings)
            if timings["fetch_ms"]:
                result.figures["edit_to_page_ms"] = timings["fetch_median_ms"]
            if timings["tab_ms"]:
                result.figures["edit_to_tab_ms"] = timings["tab_median_ms"]
            if len(timings["fetch_ms"]) < edits:
                result.notes.append(f"edit-to-page: {edits - len(timings['fetch_ms'])} of {edits} edits never "
                                    "showed within 30 s")
    except TimeoutError:
        result.timed_out.append(figure)
        result.notes.append(f"{figure}: kbgen serve not answering after {bench.timeout:g} s")
    except RuntimeError as exc:
        log = (project / f"{figure}.log").read_text(encoding="utf-8", errors="replace")[-400:]
        result.notes.append(f"{figure}: {exc}: {log}")
    finally:
        serve_bench.stop(proc)
        peak = pss.stop()
        if figure in result.figures:  # up: a preview killed while starting has no peak worth showing
            result.figures[figure.removesuffix("_s") + "_pss_mib"] = peak / 1024


def hugo_round(bench: Bench, size: Size, excluded: list[str], article: Path, folder: Path) -> Round:
    """Cold, no-change and edit builds of Hugo followed by Pagefind, in a fresh folder."""
    result = Round()
    cmd, cwd, out = build_bench.hugo_command(bench.hugo, size.content, excluded, folder / "hugo")
    index = [*bench.pagefind, "--site", str(out)]

    def build(figure: str) -> float | None:
        hugo = timed(bench, result, figure, cmd, cwd, folder / f"logs-{figure}-hugo")
        pagefind = hugo and timed(bench, result, figure, index, out, folder / f"logs-{figure}-pagefind")
        if not pagefind:
            return None
        if figure == "cold":
            result.figures.update(hugo_s=hugo.seconds, pagefind_s=pagefind.seconds,
                                  pss_mib=max(hugo.peak_pss_kib, pagefind.peak_pss_kib) / 1024,
                                  hugo_pss_mib=hugo.peak_pss_kib / 1024, pagefind_pss_mib=pagefind.peak_pss_kib / 1024)
        return hugo.seconds + pagefind.seconds

    if not bench.only & {"cold", "nochange", "edit"}:
        return result
    seconds = build("cold")
    if seconds is None:
        return result
    out_bytes, out_files = output_size(out)
    result.figures.update(cold_s=seconds, out_mb=out_bytes / 1e6, out_files=out_files)
    if "nochange" in bench.only and (seconds := build("nochange")) is not None:
        result.figures["nochange_s"] = seconds
    if "edit" in bench.only:
        edit_build(build, out, size.content, article, result)
    return result


# ------------------------------------------------------------------------------------------------ the bench


def run_bench(args: argparse.Namespace, sizes: list[Size], bench: Bench, runs_root: Path, save) -> dict:
    """Every round of every tool at every size: {(size label, tool): [Round, …]}."""
    cells: dict[tuple[str, str], list[Round]] = {}
    top = max(sizes, key=lambda s: s.articles)
    for size in sizes:
        tools = [t for t in args.tools if t == "kbgen" or (size is top and bench.hugo)]
        excluded = build_bench.hugo_excludes(size.content) if "hugo" in tools else []
        article = serve_bench.pick_article(size.content, set(excluded))
        print(f"scale: {size.label} ({size.articles:,} articles), edits go to "
              f"{article.relative_to(size.content)}", file=sys.stderr, flush=True)
        build_bench.prime_page_cache(size.content)
        for i in range(1, args.runs + 1):
            for tool in tools:
                rounds = cells.setdefault((size.label, tool), [])
                if any("cold_s" in r.timed_out for r in rounds):
                    continue  # one cold build past the timeout says enough: don't wait again
                folder = runs_root / size.label / f"{tool}-{i}"
                if tool == "kbgen":
                    result = kbgen_round(bench, size, article, folder)
                else:
                    result = hugo_round(bench, size, excluded, article, folder)
                rounds.append(result)
                progress(size, tool, i, args.runs, result)
                save(cells)
                if folder.exists() and not build_bench.room_to_keep(folder):
                    shutil.rmtree(folder, ignore_errors=True)
                    if args.settle:
                        build_bench.settle()
    return cells


def progress(size: Size, tool: str, i: int, runs: int, result: Round) -> None:
    """One line per round on stderr, so a long bench shows it is alive."""
    figures = ", ".join(f"{k} {v:.2f}" for k, v in result.figures.items())
    problems = "; ".join(result.notes)
    print(f"[{size.label}] {tool} round {i}/{runs}: {figures}" + (f" — {problems}" if problems else ""),
          file=sys.stderr, flush=True)


def medians(rounds: list[Round], timeout: float) -> dict[str, float | str]:
    """Median of each figure over the rounds; a figure that only timed out shows as '> T'."""
    keys = {k for r in rounds for k in r.figures} | {k for r in rounds for k in r.timed_out}
    result: dict[str, float | str] = {}
    for key in keys:
        values = [r.figures[key] for r in rounds if key in r.figures]
        result[key] = statistics.median(values) if values else f"> {timeout:g}"
    return result


def growth(sizes: list[Size], cells: dict, timeout: float) -> dict[str, float | None]:
    """Fitted exponent of each kbgen figure against the article count (None with fewer than two sizes)."""
    by_size = {s.label: medians(cells.get((s.label, "kbgen"), []), timeout) for s in sizes}
    keys = sorted({k for m in by_size.values() for k in m}, key=list(LABELS).index)
    return {k: scaling.growth_exponent([(s.articles, by_size[s.label][k]) for s in sizes
                                        if isinstance(by_size[s.label].get(k), float | int)]) for k in keys}


# ------------------------------------------------------------------------------------------------ the report


def show(value: float | str | None, key: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    whole = key == "out_files" or key.endswith(("_ms", "_mib"))
    return f"{value:,.0f}" if whole else f"{value:,.2f}"


def side_by_side(top: Size, cells: dict, timeout: float) -> list[list[str]]:
    """Rows of the main table: kbgen and Hugo + Pagefind at the largest size, and their ratio."""
    kb = medians(cells.get((top.label, "kbgen"), []), timeout)
    peer = medians(cells.get((top.label, "hugo"), []), timeout)
    rows = [["figure", "unit", "kbgen", "Hugo+Pagefind", "kbgen/peer"]]
    for key, (label, unit) in LABELS.items():
        if key not in kb and key not in peer:
            continue
        a, b = kb.get(key), peer.get(key)
        ratio = f"{a / b:.3f}" if isinstance(a, float | int) and isinstance(b, float | int) and b else ""
        rows.append([label, unit, show(a, key), show(b, key), ratio])
    return rows


def growth_rows(sizes: list[Size], cells: dict, exponents: dict, timeout: float) -> list[list[str]]:
    """kbgen's median of each figure at each size, and the exponent fitted through them."""
    rows = [["figure", "unit", *[f"{s.label} ({s.articles:,})" for s in sizes], "exponent"]]
    by_size = [medians(cells.get((s.label, "kbgen"), []), timeout) for s in sizes]
    for key, exponent in exponents.items():
        label, unit = LABELS[key]
        rows.append([label, unit, *[show(m.get(key), key) for m in by_size],
                     f"{exponent:.2f}" if exponent is not None else "-"])
    return rows


def bound_checks(top: Size, cells: dict, exponents: dict, timeout: float) -> list[tuple[str, str, bool | None]]:
    """(bound, what was measured, passed) for each of the issue's bounds; passed is None when it cannot be told.

    A figure whose run timed out counts as the timeout, a lower bound: past the limit it fails, under it says
    nothing."""
    kb = medians(cells.get((top.label, "kbgen"), []), timeout)
    peer = medians(cells.get((top.label, "hugo"), []), timeout)

    def num(m: dict, key: str) -> tuple[float | None, bool]:
        value = m.get(key)
        return (timeout, True) if isinstance(value, str) else (value, False)

    def check(text: str, value: float | None, limit: float, shown: str, lower: bool = False):
        if value is None:
            return text, "not measured", None
        if lower:
            return text, shown + " (timed out)", False if value > limit else None
        return text, shown, value <= limit

    (cold, cold_lower), (hp, hp_lower) = num(kb, "cold_s"), num(peer, "cold_s")
    if cold is None or hp is None or (cold_lower and hp_lower):
        cold_check = check("kbgen cold build <= 0.8 x (Hugo + Pagefind)", None, 0.8, "")
    else:
        ratio = cold / hp
        shown = f"{'> ' * cold_lower}{'< ' * hp_lower}{ratio:.3f} ({show(kb['cold_s'], 'cold_s')} s / " \
                f"{show(peer['cold_s'], 'cold_s')} s)"
        cold_check = check("kbgen cold build <= 0.8 x (Hugo + Pagefind)", ratio, 0.8, shown, cold_lower)
        if hp_lower:  # the peer timed out: the ratio is at most this
            cold_check = (cold_check[0], shown, True if ratio <= 0.8 else None)
    if top.label == CPP_ONLY:
        return [cold_check]
    checks = [cold_check]
    for key, text, limit in (("pss_mib", "build peak summed PSS <= 1 GB", GB / 2**20),
                             ("nochange_s", "no-change build <= 2 s", 2.0),
                             ("serve_warm_s", "kbgen serve serving within 5 s with a warm cache", 5.0),
                             ("edit_to_page_ms", "kbgen serve edit-to-page median <= 300 ms", 300.0),
                             ("edit_to_tab_ms", "kbgen serve edit in the open tab, median <= 300 ms", 300.0),
                             ("serve_warm_pss_mib", "kbgen serve memory < 1 GB (warm start and edits)", GB / 2**20)):
        value, lower = num(kb, key)
        if key == "edit_to_tab_ms" and value is None:
            continue  # measured only with --tab
        checks.append(check(text, value, limit, f"{show(kb.get(key), key)} {LABELS[key][1]}", lower))
    edit, edit_lower = num(kb, "edit_s")
    share = edit / cold if edit is not None and cold and not cold_lower else None
    checks.append(check("build after a body edit <= 10 % of kbgen's cold build", share, 0.10,
                        f"{share:.1%} ({show(kb.get('edit_s'), 'edit_s')} s)" if share is not None else "",
                        edit_lower))
    for key, exponent in exponents.items() if any(e is not None for e in exponents.values()) else ():
        checks.append(check(f"{LABELS[key][0]} grows at most linearly", exponent, 1.0,
                            f"exponent {exponent:.2f}" if exponent is not None else ""))
    return checks


def print_report(args: argparse.Namespace, sizes: list[Size], cells: dict, tools: dict, loads: list) -> dict:
    """The tables, the bounds and the notes on stdout; returns the same as data for --json."""
    top = max(sizes, key=lambda s: s.articles)
    exponents = growth(sizes, cells, args.timeout)
    checks = bound_checks(top, cells, exponents, args.timeout)
    print(f"\nkbgen scale benchmark: medians of {args.runs} round(s), timeout {args.timeout:g} s per run, "
          f"{os.cpu_count()} CPUs, load average {loads[0]:.2f} at the start, {loads[1]:.2f} at the end")
    print(", ".join(f"{name} {t.version}" for name, t in tools.items()))
    print(f"\n## {top.label}: {top.articles:,} articles, side by side\n")
    print(build_bench.format_table(side_by_side(top, cells, args.timeout)))
    if len(sizes) > 1:
        print("\n## kbgen's growth (exponent of a least-squares fit of log figure on log articles; 1.0 = linear)\n")
        print(build_bench.format_table(growth_rows(sizes, cells, exponents, args.timeout)))
    scope = "" if top.articles >= 40000 or top.label == CPP_ONLY else \
        f" (the bounds are for 40,000 articles; this run's largest size is {top.articles:,}: for information)"
    print(f"\n## Bounds of issue {'17' if top.label == CPP_ONLY else '20'}{scope}\n")
    for text, measured, passed in checks:
        verdict = "-   " if passed is None else "PASS" if passed else "FAIL"
        print(f"{verdict}  {text}: {measured}")
    notes = [f"{label} {tool} round {i}: {note}" for (label, tool), rounds in cells.items()
             for i, r in enumerate(rounds, 1) for note in r.notes]
    if notes:
        print("\n" + "\n".join(notes))
    print("\nHugo + Pagefind: `hugo` (bench/build.py's minimal layouts) then `pagefind --site public`, times summed, "
          "PSS the larger of the two; Hugo's excluded files (bench/build.py's hugo_excludes) are left out of its "
          "site only.")
    return {"exponents": exponents, "bounds": [{"bound": t, "measured": m, "passed": p} for t, m, p in checks],
            "medians": {f"{label}/{tool}": medians(rounds, args.timeout) for (label, tool), rounds in cells.items()}}


# ------------------------------------------------------------------------------------------------ main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=DEFAULT_SIZES,
                   help=f"comma-separated sizes in articles, e.g. 5k,10k or 2500; {CPP_ONLY} for that corpus alone "
                        f"(default: {DEFAULT_SIZES})")
    p.add_argument("--runs", type=int, default=3, help="rounds per size (default: 3)")
    p.add_argument("--tools", default="kbgen,hugo",
                   help="kbgen, hugo (Hugo + Pagefind, at the largest size), comma-separated (default: both)")
    p.add_argument("--only", default=",".join(FIGURES),
                   help=f"figures to measure, comma-separated, of {', '.join(FIGURES)} (default: all); the cold "
                        "build's PSS and output size come with it, and figures that need a built project build it")
    p.add_argument("--edits", type=int, default=10, help="edits timed in the preview (default: 10)")
    p.add_argument("--tab", action="store_true",
                   help="also time the edits in a Chromium tab (bench/serve.py's way; --edits more edits)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds before one run is killed (default: 1800)")
    p.add_argument("--work", type=Path, default=Path("/var/tmp/kbgen-scale"),
                   help="folder for the corpus copies and the runs (default: /var/tmp/kbgen-scale)")
    p.add_argument("--corpora", type=Path, default=build_bench.DEFAULT_CORPORA,
                   help=f"folder holding en-cpp-docs and ru-doka (default: {build_bench.DEFAULT_CORPORA})")
    p.add_argument("--no-settle", dest="settle", action="store_false",
                   help="do not wait six minutes for the disk before the first run")
    p.add_argument("--keep", action="store_true", help="keep every run's project and output in --work/runs")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write every round's figures here")
    args = p.parse_args(argv)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    args.only = {f.strip() for f in args.only.split(",") if f.strip()}
    for name, given, known in (("--tools", args.tools, ("kbgen", "hugo")), ("--only", args.only, FIGURES)):
        if not given or set(given) - set(known):
            p.error(f"{name}: choose from {', '.join(known)}")
    if args.runs < 1 or args.edits < 1:
        p.error("--runs and --edits must be at least 1")
    try:
        args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
        for label in args.sizes:
            if label != CPP_ONLY:
                size_target(label)
    except ValueError as exc:
        p.error(str(exc))
    return args


def setup(args: argparse.Namespace) -> tuple[Bench, dict]:
    """kbgen from this venv, Hugo from Debian, Pagefind from PyPI (bench/search.py's install)."""
    tools = {}
    kbgen = build_bench.setup_kbgen()
    if kbgen.unavailable:
        sys.exit(f"scale: {kbgen.unavailable}")
    tools["kbgen"] = kbgen
    hugo, pagefind = None, []
    if "hugo" in args.tools and args.only & {"cold", "nochange", "edit"}:
        hugo = build_bench.setup_hugo()
        try:
            pagefind = search_bench.pagefind()
        except (OSError, subprocess.SubprocessError) as exc:
            hugo.unavailable = f"pagefind could not be installed: {exc}"
        if hugo.unavailable:
            print(f"scale: Hugo + Pagefind skipped: {hugo.unavailable}", file=sys.stderr)
            hugo = None
        else:
            tools["hugo"] = hugo
            version = build_bench.quick_output([*pagefind, "--version"]).split()
            tools["pagefind"] = build_bench.Tool("pagefind", "pagefind", version=version[-1] if version else "?")
    return Bench(str(build_bench.kbgen_exe()), hugo, pagefind, args.only, args.edits, args.timeout), tools


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = sorted((plan_size(args.corpora.resolve(), label) for label in args.sizes), key=lambda s: s.articles)
    bench, tools = setup(args)
    for size in sizes:
        make_corpus(args.work, size)
    runs_root = args.work / "runs" / time.strftime("%Y%m%d-%H%M%S")
    started, load_start = time.time(), os.getloadavg()[0]

    def save(cells: dict, report: dict | None = None) -> None:
        """--json after every round, so hours of rounds outlive a crash or a Ctrl-C; the report at the end."""
        if args.json:
            dump_json(args, sizes, tools, cells, report or {"partial": True}, [load_start, os.getloadavg()[0]],
                      time.time() - started)

    with contextlib.ExitStack() as stack:
        if not args.keep:  # every output is deleted when the bench is done, not between runs
            stack.callback(shutil.rmtree, runs_root, ignore_errors=True)
        if args.tab:
            bench.browser = serve_bench.launch_browser(stack)
        if args.settle:
            build_bench.settle()
        cells = run_bench(args, sizes, bench, runs_root, save)
        report = print_report(args, sizes, cells, tools, [load_start, os.getloadavg()[0]])
    save(cells, report)
    if args.json:
        print(f"\nevery round's figures written to {args.json}")
    return 0


def dump_json(args: argparse.Namespace, sizes: list[Size], tools: dict, cells: dict, report: dict, loads: list,
              elapsed: float) -> None:
    data = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load": loads},
        "settings": {k: sorted(v) if isinstance(v, set) else str(v) if isinstance(v, Path) else v
                     for k, v in vars(args).items() if k != "json"},
        "tools": {name: t.version for name, t in tools.items()},
        "sizes": [{"label": s.label, "articles": s.articles, "parts": [[str(a), b] for a, b in s.parts]}
                  for s in sizes],
        "rounds": {f"{label}/{tool}": [asdict(r) for r in rounds] for (label, tool), rounds in cells.items()},
        **report,
        "elapsed_seconds": elapsed,
    }
    args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
