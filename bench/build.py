#!/usr/bin/env python3
"""Cold-build benchmark: kbgen side by side with MkDocs 1.6 and Hugo.

Not part of the test suite: it takes minutes (MkDocs on the 11k-page npl corpus
takes far longer) and needs the shared corpora next to the repository.

For every corpus and tool it times full builds from a clean state, records
each child's own peak RSS and counts the .html pages written, then prints one
table with medians and kbgen's time ratios against each peer (plus kbgen's
no-change rebuild against its own cold build).

    .venv/bin/python bench/build.py                      # all three corpora, 3 runs
    .venv/bin/python bench/build.py --corpus ru-doka --runs 1 --tool hugo
    .venv/bin/python bench/build.py --json bench-results.json

Peers: MkDocs is installed from PyPI into ~/.cache/kbgen-bench/venv-peers (or $KBGEN_BENCH_PEERS) on first run;
Hugo is the Debian package (`apt-get install -y hugo`) and is skipped when it
is not on PATH.  The script itself uses the standard library only.

Disk: each run builds into its own temp dir. The dirs are all kept until the
bench is done, and the disk is synced and left to settle (six minutes) before
the first run, so no timed run pays for another run's deleted files (see
SETTLE_SECONDS). An output too big to keep (MkDocs on npl writes ~28 GB: every
page carries the full 11k-entry nav) is deleted at once, then the disk settles.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
DEFAULT_CORPUS_NAMES = ("ru-doka", "en-arduino-helpcenter", "npl")
# Peers are cached outside the repository (never committed): KBGEN_BENCH_PEERS overrides the place.
PEERS_VENV = Path(os.environ.get("KBGEN_BENCH_PEERS") or Path.home() / ".cache" / "kbgen-bench" / "venv-peers")
MKDOCS_REQUIREMENT = "mkdocs>=1.6,<1.7"
TOOL_NAMES = ("kbgen", "mkdocs", "hugo")
KBGEN_OK_CODES = (0, 1)  # 1 = built, but the content had errors
STDERR_TAIL_CHARS = 1500

# Minimal Hugo theme: just enough that every page kind renders title + body,
# so Hugo's time is spent on content, not on a theme we'd have to pick.
HUGO_LAYOUTS = {
    "baseof.html": (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>\n'
        '<body>{{ block "main" . }}{{ end }}</body></html>\n'
    ),
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n{{ end }}\n',
    "list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>\n'
        '{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>\n{{ end }}'
        "</ul>\n{{ end }}\n"
    ),
}


# ---------------------------------------------------------------- data types


@dataclass
class Run:
    """One timed child process: the raw numbers that go into the JSON dump."""

    seconds: float
    maxrss_kib: int
    returncode: int | None  # None when it was killed at the timeout
    timed_out: bool
    pages: int
    stderr_tail: str = ""
    user_s: float = 0.0  # CPU time of the build and the helper processes it waited for
    sys_s: float = 0.0  # kernel time: page faults, and file creation, which some disks make costly
    peak_pss_kib: int = 0  # peak PSS summed over the child and its helpers (bench/ab.py), when asked for


@dataclass
class Tool:
    """A generator under test and how to lay out one build of a corpus for it."""

    name: str
    label: str
    version: str = "?"
    unavailable: str = ""  # why it cannot run; empty when it can
    ok_codes: tuple[int, ...] = (0,)
    notes: list[str] = field(default_factory=list)


@dataclass
class Cell:
    """All runs of one tool on one corpus, plus what the table shows for them."""

    corpus: str
    tool: str
    runs: list[Run] = field(default_factory=list)
    skipped: str = ""  # set when the tool never ran on this corpus
    extra: dict = field(default_factory=dict)

    def ok_runs(self, ok_codes: tuple[int, ...]) -> list[Run]:
        """Runs that count as a build, so failures don't drag the median down."""
        return [r for r in self.runs if not r.timed_out and r.returncode in ok_codes]

    def timed_out(self) -> bool:
        """True if any run hit the timeout: the time is then only a lower bound."""
        return any(r.timed_out for r in self.runs)


# ------------------------------------------------------------------ running


def run_measured(cmd: list[str], cwd: Path, timeout: float, log_dir: Path, sample_pss: bool = False) -> Run:
    """Run one child, returning wall time, its own peak RSS and exit status.

    os.wait4 on the pid reports the rusage of exactly this child, whereas
    getrusage(RUSAGE_CHILDREN) would fold in every earlier build.  Output goes
    to files, not pipes, so a chatty build can't block on a full pipe.  The
    child gets its own session so a timeout can kill it with any helpers.
    With `sample_pss`, a thread also samples the PSS summed over the child and
    its helpers (bench/ab.py's PeakPss): a forked helper's RSS counts every
    page it shares with its parent, PSS does not.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    killed = threading.Event()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )

        def kill_on_timeout() -> None:
            killed.set()
            _kill_group(proc.pid)

        pss = _pss_sampler(proc.pid) if sample_pss else None
        timer = threading.Timer(timeout, kill_on_timeout)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: don't leave a detached build running
            _kill_group(proc.pid)
            os.wait4(proc.pid, 0)
            raise
        finally:
            timer.cancel()
            peak_pss = pss.stop() if pss else 0
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # we reaped it, tell Popen
    tail = err_path.read_text(encoding="utf-8", errors="replace")[-STDERR_TAIL_CHARS:]
    if not tail.strip():
        tail = out_path.read_text(encoding="utf-8", errors="replace")[-STDERR_TAIL_CHARS:]
    return Run(
        seconds=seconds,
        maxrss_kib=usage.ru_maxrss,  # KiB on Linux
        returncode=None if killed.is_set() else proc.returncode,
        timed_out=killed.is_set(),
        pages=0,
        stderr_tail=tail.strip(),
        user_s=usage.ru_utime,
        sys_s=usage.ru_stime,
        peak_pss_kib=peak_pss,
    )


def _pss_sampler(pid: int):
    """bench/ab.py's PeakPss on `pid` (bench/ is on sys.path whenever a script in it runs)."""
    from ab import PeakPss

    return PeakPss(pid)


def _kill_group(pid: int) -> None:
    """SIGKILL the child's whole session; it may already be gone."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def count_pages(out_dir: Path) -> int:
    """Count .html files written: the common unit of 'pages' across all tools."""
    if not out_dir.is_dir():
        return 0
    return sum(1 for p in out_dir.rglob("*.html") if p.is_file())


def prime_page_cache(articles: Path) -> int:
    """Read the corpus once so no tool pays for cold disk reads the others skip."""
    total = 0
    for p in articles.rglob("*"):
        if p.is_file():
            total += len(p.read_bytes())
    return total


#: ext4 without a journal (this kind of VM's disk) skips inodes freed in the last 60 s, and in the last 360 s while
#: their inode table block is dirty, when it allocates new ones, scanning past each. A build that starts after
#: another run's output was deleted pays for that scan on every file it creates — 0.1-0.8 ms per file, measured —
#: so the deletion, not the tool, decides its time. A sync does not end the longer window: the timed run's own new
#: files dirty the same inode table blocks again. Measured: kbgen on ru-doka, 65 s after five of its outputs were
#: deleted and the disk synced, spent 2.81 s and then 1.70 s in the kernel (4.22 s and 3.77 s wall); seven minutes
#: after, 0.79 s and 0.53 s (2.90 s wall). So outputs are deleted only when the whole bench is done, and the first
#: run waits out the longer window after whatever was deleted before the bench. Every run is followed by a sync
#: as well, so the disk is not still writing one tool's output (MkDocs writes hundreds of MB) while the next one is
#: timed.
SETTLE_SECONDS = 365


def settle() -> None:
    """Flush writes and wait out the window in which freed inodes are skipped."""
    os.sync()
    print(f"(disk: synced, settling {SETTLE_SECONDS} s so no run pays for another's deleted files)",
          file=sys.stderr, flush=True)
    time.sleep(SETTLE_SECONDS)


def room_to_keep(path: Path) -> bool:
    """Keep an output until its corpus is done only while the disk has room for several more like it."""
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return shutil.disk_usage(path).free > 4 * size + (2 << 30)


def quick_output(cmd: list[str], timeout: float = 60) -> str:
    """Output of a short helper command (versions), or '' if it can't run."""
    try:
        res = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (res.stdout + res.stderr).strip() if res.returncode == 0 else ""


# -------------------------------------------------------------------- kbgen


def setup_kbgen() -> Tool:
    """kbgen from the venv running this script, so the bench measures this checkout."""
    tool = Tool("kbgen", "kbgen", ok_codes=KBGEN_OK_CODES)
    exe = kbgen_exe()
    if not exe.exists():
        tool.unavailable = f"{exe} not found (pip install -e . into this venv)"
        return tool
    out = quick_output([str(exe), "--version"])
    match = re.search(r"\d+\.\d+[\w.+-]*", out)
    tool.version = match.group(0) if match else "?"
    tool.label = f"kbgen {tool.version}" if match else "kbgen"
    compile_kbgen()
    tool.notes.append("kbgen: its modules' bytecode compiled first, as pip does when it installs MkDocs")
    return tool


def compile_kbgen() -> None:
    """Write the bytecode of this checkout's modules, as `pip install` does for MkDocs' in its venv: a source
    tree holds none when PYTHONDONTWRITEBYTECODE is set, and every run would compile kbgen's modules again."""
    import compileall

    import kbgen

    compileall.compile_dir(Path(kbgen.__file__).parent, quiet=1)


def kbgen_exe() -> Path:
    """Path of the kbgen script next to sys.executable (not resolved: keep the venv)."""
    return Path(sys.executable).parent / "kbgen"


def kbgen_command(articles: Path, work: Path) -> tuple[list[str], Path, Path]:
    """Command, cwd and output dir of a kbgen build; a fresh cwd means no .kbgen/ cache."""
    cwd, out = work / "cwd", work / "site"
    cwd.mkdir()
    cmd = [str(kbgen_exe()), "build", "--content", str(articles), "--out", str(out), "-q"]
    return cmd, cwd, out


# ------------------------------------------------------------------- MkDocs


def setup_mkdocs() -> Tool:
    """Make sure the peers venv has MkDocs 1.6, installing it from PyPI if not.

    A separate venv keeps MkDocs and its pins out of kbgen's environment.
    """
    tool = Tool("mkdocs", "mkdocs")
    tool.notes.append(
        "mkdocs: theme 'mkdocs', built-in search plugin on, single process; with no nav: setting "
        "every page embeds the whole auto-built nav, so output grows with pages squared"
    )
    version = mkdocs_version()
    if not version.startswith("1.6."):
        err = install_mkdocs()
        if err:
            tool.unavailable = err
            return tool
        version = mkdocs_version()
        if not version.startswith("1.6."):
            tool.unavailable = f"MkDocs in {PEERS_VENV} is {version or 'missing'}, wanted 1.6.x"
            return tool
    tool.version, tool.label = version, f"mkdocs {version}"
    return tool


def peers_bin(name: str) -> Path:
    """An executable inside the peers venv."""
    return PEERS_VENV / "bin" / name


def mkdocs_version() -> str:
    """Installed MkDocs version in the peers venv, '' if none."""
    out = quick_output([str(peers_bin("mkdocs")), "--version"])
    match = re.search(r"version (\S+)", out)
    return match.group(1) if match else ""


def install_mkdocs() -> str:
    """Create the peers venv and pip-install MkDocs; returns an error text or ''."""
    print(f"bench: installing {MKDOCS_REQUIREMENT} into {PEERS_VENV} ...", file=sys.stderr)
    steps = []
    if not peers_bin("python").exists():
        steps.append([sys.executable, "-m", "venv", str(PEERS_VENV)])
    steps.append([str(peers_bin("python")), "-m", "pip", "install", "-q", MKDOCS_REQUIREMENT])
    for cmd in steps:
        res = subprocess.run(cmd, check=False, capture_output=True, text=True)
        if res.returncode != 0:
            return f"'{' '.join(cmd)}' failed: {(res.stderr or res.stdout).strip()[-300:]}"
    return ""


def mkdocs_command(articles: Path, work: Path) -> tuple[list[str], Path, Path]:
    """Write a mkdocs.yml pointing at the corpus in place and return the build command.

    No extra settings were needed: MkDocs 1.6 accepts all three corpora's front
    matter (lists, numeric ids, `draft:`) and folder names with spaces, `&` and
    non-ASCII.  Its warnings (missing images, unknown anchors) are hidden by -q
    and do not fail the build without --strict.
    """
    out = work / "site"
    # JSON strings are valid YAML flow scalars, so any path quotes safely.
    config = "\n".join(
        [
            f"site_name: {json.dumps('kbgen bench: ' + articles.parent.name)}",
            f"docs_dir: {json.dumps(str(articles))}",
            f"site_dir: {json.dumps(str(out))}",
            "theme:",
            "  name: mkdocs",
            "plugins:",
            "  - search",
            "",
        ]
    )
    (work / "mkdocs.yml").write_text(config, encoding="utf-8")
    cmd = [str(peers_bin("mkdocs")), "build", "-q", "-f", str(work / "mkdocs.yml")]
    return cmd, work, out


# --------------------------------------------------------------------- Hugo


def setup_hugo() -> Tool:
    """Find the system Hugo; the bench never installs it (that needs root and apt)."""
    tool = Tool("hugo", "hugo")
    exe = shutil.which("hugo")
    if not exe:
        tool.unavailable = "hugo not on PATH; install it with: apt-get update && apt-get install -y hugo"
        return tool
    out = quick_output([exe, "version"])
    match = re.search(r"v(\d+)\.(\d+)\.(\d+)", out)
    if not match:
        tool.unavailable = f"cannot read the version of {exe}: {out[:200]!r}"
        return tool
    tool.version = ".".join(match.groups())
    tool.label = f"hugo {tool.version}"
    tool.notes.append(
        "hugo: goldmark unsafe=true (raw HTML kept, as MkDocs does); pages with draft: true "
        "and .md files inside a page bundle (e.g. ru-doka practice/*.md) are not pages in Hugo; "
        "uses all cores"
    )
    return tool


def hugo_version_tuple(tool: Tool) -> tuple[int, ...]:
    """Hugo's version as a tuple, to pick config file names that version reads."""
    return tuple(int(x) for x in tool.version.split("."))


def hugo_excludes(articles: Path) -> list[str]:
    """Corpus files Hugo cannot take as they are, relative to the content root.

    - A .md file with no front matter that starts with '<' is refused as a
      "plain HTML document" and fails the whole build (ru-doka has one).
    - An index.md whose folder has other index.md files further down turns
      that folder into a leaf bundle that swallows every page below it as a
      resource (ru-doka's six section pages would leave ~10 pages rendered).
    Excluding them keeps the build going; the counts are reported.
    """
    index_dirs = {p.parent for p in articles.rglob("index.md")}
    has_nested = {anc for d in index_dirs for anc in d.parents}
    excluded = [d / "index.md" for d in sorted(index_dirs) if d in has_nested]
    for p in sorted(articles.rglob("*.md")):
        head = p.read_bytes()[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
        if head.startswith("<") and not head.startswith("<!--"):
            excluded.append(p)
    return [p.relative_to(articles).as_posix() for p in excluded]


def q(text: str) -> str:
    """Quote a TOML string: JSON strings (ensure_ascii=False) are valid TOML basic strings."""
    return json.dumps(text, ensure_ascii=False)


def glob_escape(path: str) -> str:
    """Escape glob metacharacters so Hugo's excludeFiles matches the literal path."""
    return re.sub(r"([\\*?\[\]{}])", r"\\\1", path)


def hugo_command(tool: Tool, articles: Path, excludes: list[str], work: Path) -> tuple[list[str], Path, Path]:
    """Write a minimal Hugo site that mounts the corpus in place; return the build command.

    A module mount (rather than contentDir) is used because it is the only way
    to give excludeFiles.  cacheDir lives in the run's temp dir so every build
    is cold.  Taxonomies and RSS are left at Hugo's defaults: they build fine.
    """
    site, out = work / "hugo-site", work / "site"
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    config = "\n".join(
        [
            'baseURL = "http://localhost/"',
            f"title = {q('kbgen bench: ' + articles.parent.name)}",
            f"cacheDir = {q(str(work / 'hugo-cache'))}",
            "[markup.goldmark.renderer]",
            "unsafe = true",
            "[[module.mounts]]",
            f"source = {q(str(articles))}",
            'target = "content"',
            f"excludeFiles = [{', '.join(q(glob_escape(e)) for e in excludes)}]",
            "",
        ]
    )
    # hugo.toml is read from 0.110 on; older versions only know config.toml.
    name = "hugo.toml" if hugo_version_tuple(tool) >= (0, 110) else "config.toml"
    (site / name).write_text(config, encoding="utf-8")
    cmd = [shutil.which("hugo") or "hugo", "--quiet", "--source", str(site), "--destination", str(out)]
    return cmd, site, out


# ---------------------------------------------------------------- the bench


def build_once(tool: Tool, articles: Path, work: Path, timeout: float, extra: dict) -> tuple[Run, tuple]:
    """Lay out one fresh build for `tool` in `work`, run it, count its pages."""
    if tool.name == "kbgen":
        cmd, cwd, out = kbgen_command(articles, work)
    elif tool.name == "mkdocs":
        cmd, cwd, out = mkdocs_command(articles, work)
    else:
        cmd, cwd, out = hugo_command(tool, articles, extra["hugo_excluded"], work)
    run = run_measured(cmd, cwd, timeout, work / "logs")
    run.pages = count_pages(out)
    return run, (cmd, cwd, out)


def bench_corpus(name: str, articles: Path, tools: list[Tool], runs: int, timeout: float,
                 outputs: contextlib.ExitStack) -> list[Cell]:
    """All runs of all tools on one corpus, interleaved so drift hits every tool alike; their outputs are deleted
    when `outputs` closes (when the bench is done), unless too big to keep."""
    cells = {t.name: Cell(name, t.name) for t in tools}
    rebuild = Cell(name, "kbgen-rebuild")
    for tool in tools:
        if tool.unavailable:
            cells[tool.name].skipped = tool.unavailable
    if any(t.name == "hugo" and not t.unavailable for t in tools):
        cells["hugo"].extra["hugo_excluded"] = hugo_excludes(articles)
    prime_page_cache(articles)
    for i in range(1, runs + 1):
        for tool in tools:
            cell = cells[tool.name]
            if cell.skipped:
                continue
            if cell.timed_out():
                continue  # one run past the timeout says enough; don't wait again
            tmp = Path(outputs.enter_context(tempfile.TemporaryDirectory(prefix=f"kbgen-bench-{tool.name}-",
                                                                       ignore_cleanup_errors=True)))
            run, (cmd, cwd, _) = build_once(tool, articles, tmp, timeout, cell.extra)
            os.sync()  # its writes reach the disk now, not during the next tool's timed run
            cell.runs.append(run)
            progress(name, tool.name, i, runs, run)
            if tool.name == "kbgen" and run.returncode in tool.ok_codes:
                again = run_measured(cmd, cwd, timeout, tmp / "logs-rebuild")
                os.sync()
                again.pages = count_pages(tmp / "site")
                rebuild.runs.append(again)
                progress(name, "kbgen-rebuild", i, runs, again)
            if not room_to_keep(tmp):  # MkDocs on npl: tens of GB per run
                shutil.rmtree(tmp, ignore_errors=True)
                settle()
    result = [cells[t.name] for t in tools]
    if "kbgen" in cells:
        if cells["kbgen"].skipped:
            rebuild.skipped = cells["kbgen"].skipped
        elif not rebuild.runs:
            rebuild.skipped = "no successful cold build to rebuild"
        result.insert(1, rebuild)
    return result


def progress(corpus: str, tool: str, i: int, n: int, run: Run) -> None:
    """One line per run on stderr, so a long bench shows it is alive."""
    state = "TIMEOUT" if run.timed_out else f"rc={run.returncode}"
    print(
        f"[{corpus}] {tool} run {i}/{n}: {run.seconds:.2f} s (CPU {run.user_s:.2f} user + {run.sys_s:.2f} sys), "
        f"{run.maxrss_kib / 1024:.0f} MiB, {run.pages} pages, {state}",
        file=sys.stderr,
        flush=True,
    )


# ------------------------------------------------------------------ report


def summarize(cell: Cell, tools: dict[str, Tool], timeout: float) -> dict:
    """Medians and status of one cell, shared by the table and the JSON dump."""
    tool = tools["kbgen" if cell.tool == "kbgen-rebuild" else cell.tool]
    ok = cell.ok_runs(tool.ok_codes)
    summary: dict = {
        "corpus": cell.corpus,
        "tool": cell.tool,
        "version": tool.version,
        "runs": len(cell.runs),
        "ok_runs": len(ok),
        "timed_out": cell.timed_out(),
        "median_seconds": statistics.median(r.seconds for r in ok) if ok else None,
        "median_peak_mib": statistics.median(r.maxrss_kib for r in ok) / 1024 if ok else None,
        "median_cpu_seconds": statistics.median(r.user_s + r.sys_s for r in ok) if ok else None,
        "median_sys_seconds": statistics.median(r.sys_s for r in ok) if ok else None,
        "pages": statistics.median_low([r.pages for r in ok]) if ok else None,
        "returncodes": [r.returncode for r in cell.runs],
        "skipped": cell.skipped,
    }
    if cell.timed_out() and not ok:
        summary["median_seconds_lower_bound"] = timeout
    return summary


def ratio_text(num: dict | None, den: dict | None, label: str) -> str:
    """Time of `num` over `den` as text; a side that timed out turns it into a bound."""
    if not num or not den or num["pages"] == 0 or den["pages"] == 0:
        return ""  # a build that wrote nothing isn't worth a ratio
    a, b = num["median_seconds"], den["median_seconds"]
    if a is not None and b is not None:
        return f"{label} {a / b:.3f}"
    if a is not None and den.get("median_seconds_lower_bound"):
        return f"{label} < {a / den['median_seconds_lower_bound']:.3f}"
    if b is not None and num.get("median_seconds_lower_bound"):
        return f"{label} > {num['median_seconds_lower_bound'] / b:.3f}"
    return ""


def status_text(s: dict, ok_codes: tuple[int, ...], timeout: float) -> str:
    """Short note for a row: why it has no numbers, or which runs misbehaved."""
    if s["skipped"]:
        return "SKIPPED: " + s["skipped"]
    parts = []
    if s["timed_out"]:
        parts.append(f"TIMEOUT after {timeout:g} s")
    bad = [c for c in s["returncodes"] if c is not None and c not in ok_codes]
    if bad:
        parts.append(f"FAILED rc={sorted(set(bad))} in {len(bad)}/{s['runs']} runs")
    if s["pages"] == 0:
        parts.append("NO PAGES written")
    return "; ".join(parts)


def row_ratio(s: dict, cold: dict | None) -> str:
    """The ratio a row shows: kbgen against this peer, or rebuild against cold."""
    if s["tool"] == "kbgen-rebuild":
        return ratio_text(s, cold, "rebuild/cold")
    if s["tool"] in ("mkdocs", "hugo"):
        return ratio_text(cold, s, f"kbgen/{s['tool']}")
    return ""


def build_table(summaries: list[dict], tools: dict[str, Tool], timeout: float) -> list[list[str]]:
    """Rows of the one results table, ratios in the row of the tool they compare to."""
    by_key = {(s["corpus"], s["tool"]): s for s in summaries}
    rows = [["corpus", "tool", "runs", "median s", "CPU s (sys)", "peak MiB", "pages", "time ratio", "status"]]
    for s in summaries:
        tool = tools["kbgen" if s["tool"] == "kbgen-rebuild" else s["tool"]]
        cold = by_key.get((s["corpus"], "kbgen"))
        label = {"kbgen": f"{tool.label} cold", "kbgen-rebuild": f"{tool.label} no-change"}.get(
            s["tool"], tool.label
        )
        ratio = row_ratio(s, cold)
        if s["median_seconds"] is not None:
            secs = f"{s['median_seconds']:.2f}"
        elif s.get("median_seconds_lower_bound"):
            secs = f"> {s['median_seconds_lower_bound']:g}"
        else:
            secs = "-"
        rows.append(
            [
                s["corpus"],
                label,
                f"{s['ok_runs']}/{s['runs']}" if s["runs"] else "0",
                secs,
                f"{s['median_cpu_seconds']:.2f} ({s['median_sys_seconds']:.2f})" if s.get("median_cpu_seconds")
                is not None else "-",
                f"{s['median_peak_mib']:.0f}" if s["median_peak_mib"] is not None else "-",
                str(s["pages"]) if s["pages"] is not None else "-",
                ratio,
                status_text(s, tool.ok_codes, timeout),
            ]
        )
        if s["tool"] in ("kbgen", "kbgen-rebuild"):
            nonzero = [c for c in s["returncodes"] if c]
            if nonzero and all(c in tool.ok_codes for c in nonzero):
                why = f"kbgen exited {sorted(set(nonzero))} in {len(nonzero)}/{s['runs']} runs"
                rows.append([s["corpus"], "  ! warning", "", "", "", "", "", "", why + " (1 = content errors)"])
    return rows


def round_ratios(cells: list[Cell], tools: dict[str, Tool]) -> list[str]:
    """kbgen against each peer round by round: the runs of a round follow each other, so a slow minute of the
    machine slows both sides of one ratio, and the spread says how far the medians' ratio can be trusted."""
    lines = []
    for kb in (c for c in cells if c.tool == "kbgen"):
        for peer in (c for c in cells if c.corpus == kb.corpus and c.tool in ("mkdocs", "hugo")):
            ok_codes = tools["kbgen"].ok_codes, tools[peer.tool].ok_codes
            ratios = [a.seconds / b.seconds for a, b in zip(kb.runs, peer.runs, strict=False)
                      if not a.timed_out and not b.timed_out and a.returncode in ok_codes[0]
                      and b.returncode in ok_codes[1]]
            if ratios:
                lines.append(f"{kb.corpus}: kbgen/{peer.tool} by round: {', '.join(f'{r:.3f}' for r in ratios)} "
                             f"(median {statistics.median(ratios):.3f}, highest {max(ratios):.3f})")
    return lines


def format_table(rows: list[list[str]]) -> str:
    """Plain aligned text; numbers right-aligned so medians line up."""
    numeric = {2, 3, 4, 5, 6}
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def failure_details(cells: list[Cell], tools: dict[str, Tool]) -> list[str]:
    """Output tails of runs that failed, timed out, exited non-zero or wrote nothing (once per cell)."""
    out = []
    for cell in cells:
        bad = [r for r in cell.runs if r.timed_out or r.returncode != 0 or r.pages == 0]
        if bad and bad[0].stderr_tail:
            out.append(f"--- {cell.corpus} / {cell.tool} (rc={bad[0].returncode}) last output:")
            out.append(bad[0].stderr_tail)
    return out


# --------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line; corpora default to ../shared/corpora next to the repo."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--corpora",
        type=Path,
        default=DEFAULT_CORPORA,
        help=f"folder holding the corpora (default: {DEFAULT_CORPORA})",
    )
    p.add_argument(
        "--corpus",
        action="append",
        metavar="NAME",
        help=f"run only this corpus (repeatable; default: {', '.join(DEFAULT_CORPUS_NAMES)})",
    )
    p.add_argument(
        "--tool", action="append", choices=TOOL_NAMES, help="run only this tool (repeatable; default: all)"
    )
    p.add_argument("--runs", type=int, default=3, help="cold builds per corpus and tool (default: 3)")
    p.add_argument(
        "--timeout", type=float, default=900, help="seconds before one run is killed (default: 900)"
    )
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the raw numbers here")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def resolve_corpora(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """(name, articles dir) per requested corpus; exits early if one is missing."""
    result = []
    for name in args.corpus or DEFAULT_CORPUS_NAMES:
        articles = (args.corpora / name / "articles").resolve()
        if not articles.is_dir():
            sys.exit(f"bench: no corpus at {articles} (use --corpora to point elsewhere)")
        result.append((name, articles))
    return result


def setup_tools(names: list[str]) -> list[Tool]:
    """Find or install each requested tool; unavailable ones still get table rows."""
    setups = {"kbgen": setup_kbgen, "mkdocs": setup_mkdocs, "hugo": setup_hugo}
    tools = [setups[n]() for n in TOOL_NAMES if n in names]
    for t in tools:
        if t.unavailable:
            print(f"bench: {t.name} unavailable: {t.unavailable}", file=sys.stderr)
    return tools


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the table; exit 0 even if a tool failed (it is reported)."""
    args = parse_args(argv)
    corpora = resolve_corpora(args)
    tools = setup_tools(args.tool or list(TOOL_NAMES))
    tool_map = {t.name: t for t in tools}
    started = time.time()
    cells: list[Cell] = []
    with contextlib.ExitStack() as outputs:  # every output is deleted when the bench is done, not between runs
        settle()
        for name, articles in corpora:
            cells.extend(bench_corpus(name, articles, tools, args.runs, args.timeout, outputs))
    summaries = [summarize(c, tool_map, args.timeout) for c in cells]

    print()
    print(
        f"kbgen build benchmark: median of {args.runs} cold run(s), timeout {args.timeout:g} s/run, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(format_table(build_table(summaries, tool_map, args.timeout)))
    print()
    print(
        "time ratio: kbgen cold median / peer median (< 1 = kbgen faster); "
        "rebuild/cold: kbgen no-change rebuild / kbgen cold build."
    )
    print(
        "peak MiB: each process's own max RSS (wait4), median over runs; "
        "pages: .html files in the output dir."
    )
    for line in round_ratios(cells, tool_map):
        print(line)
    for name, _ in corpora:
        cell = next((c for c in cells if c.corpus == name and c.tool == "hugo"), None)
        if cell and cell.extra.get("hugo_excluded"):
            ex = cell.extra["hugo_excluded"]
            print(
                f"hugo on {name}: {len(ex)} file(s) excluded so Hugo can build: {', '.join(ex[:8])}"
                + (" ..." if len(ex) > 8 else "")
            )
    for t in tools:
        for note in t.notes:
            print(note)
    details = failure_details(cells, tool_map)
    if details:
        print()
        print("\n".join(details))
    if args.json:
        dump_json(args, corpora, tools, cells, summaries, time.time() - started)
    return 0


def dump_json(args, corpora, tools, cells, summaries, elapsed) -> None:
    """Raw per-run numbers plus medians, for comparing benches over time."""
    data = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "settings": {"runs": args.runs, "timeout": args.timeout, "corpora": {n: str(a) for n, a in corpora}},
        "tools": {t.name: {"version": t.version, "unavailable": t.unavailable} for t in tools},
        "cells": [
            {
                "corpus": c.corpus,
                "tool": c.tool,
                "skipped": c.skipped,
                "extra": c.extra,
                "runs": [asdict(r) for r in c.runs],
            }
            for c in cells
        ],
        "summary": summaries,
        "elapsed_seconds": elapsed,
    }
    args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nraw numbers written to {args.json}")


if __name__ == "__main__":
    sys.exit(main())
