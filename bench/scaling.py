#!/usr/bin/env python3
"""Growth of every build stage, and of `kbgen report`, at 1×, 2× and 4× of an input: the exponent says whether a
stage costs in proportion to its input (issue 17: "every stage at most n log n").

Not part of the test suite: the default run takes several minutes and needs the shared corpora next to the
repository (or --shared). Four inputs, each at 1×, 2× and 4×:

- corpus (default ru-doka): the corpus's articles replicated 1, 2 and 4 times. Copy c > 1 renames every top-level
  folder and file `x` to `x-c<c>`, so the tree keeps its depth and shape, and every link stays as valid as it
  was: a relative link resolves inside its own copy, an absolute one (`/css/flex/`) into the first copy, which
  exists at every scale. A sample of the corpus would not do: the links to the articles left out would break
  (ru-doka at half: 800 broken links), so 1×, 2× and 4× would measure broken links instead of articles. --fraction
  takes every k-th article anyway, when that is what you want to see.
- synthetic: a knowledge base written by the bench, each dimension proportional to n: 320·n articles (--articles)
  with tables, lists, code, a snippet, repeated headings, three tags from a pool of 20·n, two aliases, three links
  to other articles, and near misses of them (one distinct per 16 articles, one shared per 8), in a tree
  four wide and as deep as the count needs, plus a chain of twelve nested categories and one article with 50·n tags and
  aliases. Broken links and article names both grow with n, so a per-link search over every name shows as n².
- hostile: one article per known quadratic path, its one dimension 3,000·n long (--hostile): a line of `:` (GFM
  autolink), a line of unclosed `{{< x` (shortcodes), identical headings (anchor de-duplication), a long
  paragraph, a big table, links to distinct missing pages. At 1× each ends in well under a second on the code of
  December 2026, quadratic in all of them; a run past --timeout is recorded as a timeout, not waited for. YAML
  alias and snippet include bombs are not here: they grow exponentially by design, the fixed code stops them with
  an error (and a failed build has no stage timings); the hang tests cover them.
- report: `kbgen report` over a synthetic access log of 30,000·n lines with 1,000·n distinct searches (most of
  them answered by nothing), against the synthetic knowledge base at 1×.

Every build is a fresh process in a fresh project folder (a `kbgen.yml` with every error the site may lower
lowered to a warning, so every stage runs; no `.kbgen/` cache), writing into a temp folder, never into the
repository. Stage times are what `kbgen build --verbose` prints (kbgen.pipeline's timed stages); the search export runs
in a forked process beside `links` and `pages`, and what the build waits for it shows in `pages`. For each stage
the table shows the median over --runs at each scale, and the exponent k of a least-squares fit of
log(time - fixed) against log(scale): 1.0 is linear, n log n shows as about 1.1 at these sizes, 2.0 quadratic.
`fixed` is the same command's time on a one-article site (for the report, an empty log), run in every round:
starting Python, imports and the theme cost the same at every size, and left in they would pull every exponent
towards 0. A stage is flagged when k > 1.3, unless it grows by less than 100 ms from 0× to 4×, where the
scheduler of a shared two-core machine moves it as much. Stage times are wall times: on a machine busy with other
work (the heading prints the load average) a stage of a few hundred ms can double from one run to the next, so a
flag on such a stage wants a second run on a quiet machine; `total (CPU)`, the CPU time of all of kbgen's
processes, is not stretched by the neighbours.

    .venv/bin/python bench/scaling.py                     # all four inputs, 3 runs (~10 min on a quiet machine)
    .venv/bin/python bench/scaling.py --quick             # smaller synthetic inputs, 1 run (~3 min)
    .venv/bin/python bench/scaling.py --corpus en-arduino-helpcenter --input corpus --runs 5

Disk: outputs are kept until the bench is done and the disk synced after each run, as bench/build.py does; unlike
it, the bench does not wait six minutes before the first run unless asked (--settle 365): the inode scan it
avoids costs per file created, so it adds a roughly linear term at each scale and leaves the exponents alone.
Standard library only (plus kbgen itself, for the list of error codes a site may lower); peak memory comes from GNU
time (/usr/bin/time, Debian package `time`), else from wait4, which counts this process's own size as a floor.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

BENCH_DIR = Path(__file__).resolve().parent
SHARED = BENCH_DIR.parent.parent / "shared"
SCALES = (1, 2, 4)
BASELINE = 0  # the fixed cost: the same command on a one-article site, or an empty log
INPUTS = ("corpus", "synthetic", "hostile", "report")
#: A stage that grows by less than this from its fixed cost to 4× is not flagged: on a shared two-core machine the
#: scheduler alone moves a stage by tens of milliseconds.
NOISE_FLOOR_S = 0.1
FLAG_ABOVE = 1.3
_TIMING = re.compile(r"^  (\S.*?)\s+(\d+) ms$")


def _load_build_bench():
    """bench/build.py's process runner, settling and bytecode compilation: one copy of each."""
    spec = importlib.util.spec_from_file_location("kbgen_bench_build", BENCH_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


build_bench = _load_build_bench()


# ---------------------------------------------------------------- results


@dataclass
class Sample:
    """One run at one scale: per-stage seconds (plus the totals), peak RSS, or why there are none."""

    timings: dict[str, float] = field(default_factory=dict)
    maxrss_kib: int = 0
    timed_out: bool = False
    failed: str = ""


@dataclass
class Series:
    """All runs of one input, by scale, and what its scales measure."""

    name: str
    size_note: dict[int, str] = field(default_factory=dict)
    samples: dict[int, list[Sample]] = field(default_factory=dict)

    def ok(self, scale: int) -> list[Sample]:
        return [s for s in self.samples.get(scale, []) if not s.timed_out and not s.failed]

    def timed_out(self, scale: int) -> bool:
        return any(s.timed_out for s in self.samples.get(scale, []))


def growth_exponent(points: list[tuple[float, float]]) -> float | None:
    """Slope of the least-squares line through (log size, log time); None with fewer than two usable points."""
    pts = [(math.log(x), math.log(y)) for x, y in points if y > 0]
    if len(pts) < 2:
        return None
    mx = statistics.fmean(x for x, _ in pts)
    my = statistics.fmean(y for _, y in pts)
    var = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / var


# ---------------------------------------------------------------- running


def lowered_severities() -> str:
    """`severity:` lines turning every error a site may lower into a warning, so a build with broken links (the
    synthetic input has them on purpose, a corpus may) still runs every stage and prints its timings."""
    from kbgen.core.diagnostics import CODES, FIXED_CODES, Severity

    codes = sorted(c for c, s in CODES.items() if s is Severity.ERROR and c not in FIXED_CODES)
    return "severity:\n" + "".join(f"  {c}: warning\n" for c in codes)


def run_build(content: Path, work: Path, timeout: float) -> Sample:
    """One cold build of `content` in a fresh project folder under `work`; stage times parsed from --verbose."""
    project = work / "project"
    project.mkdir(parents=True)
    (project / "kbgen.yml").write_text(
        f"site_name: Scaling bench\ncontent_dir: {json_str(content)}\n{lowered_severities()}", encoding="utf-8")
    cmd = [str(build_bench.kbgen_exe()), "build", "-q", "-v", "--out", str(work / "site")]
    return _sample(build_bench.run_measured(_peak_measured(cmd, work), project, timeout, work / "logs"), work)


def run_report(kb: Path, log: Path, work: Path, timeout: float) -> Sample:
    """One `kbgen report` of `log` against the knowledge base `kb`; its only 'stage' is the whole run."""
    work.mkdir(parents=True)
    cmd = [str(build_bench.kbgen_exe()), "report", "--log", str(log), "--format", "json",
           "-o", str(work / "report.json"), "--config", str(kb / "kbgen.yml")]
    return _sample(build_bench.run_measured(_peak_measured(cmd, work), work, timeout, work / "logs"), work,
                   stages=False)


def _peak_measured(cmd: list[str], work: Path) -> list[str]:
    """`cmd` under GNU time, which writes the peak RSS of kbgen (and of the processes it forked) to a file.

    The bench's own wait4 figure would not do: on Linux a child's maxrss starts at its parent's RSS when it forks
    (exec keeps the high-water mark), and this process holds the inputs it wrote, tens of MB."""
    gnu_time = shutil.which("time", path="/usr/bin:/bin")
    return [gnu_time, "-f", "%M", "-o", str(work / "peak-kib.txt"), *cmd] if gnu_time else cmd


def _sample(run, work: Path, stages: bool = True) -> Sample:
    logs = work / "logs"
    peak = work / "peak-kib.txt"
    measured = peak.read_text().split()[-1] if peak.is_file() and peak.read_text().strip() else ""
    sample = Sample(maxrss_kib=int(measured) if measured.isdigit() else run.maxrss_kib, timed_out=run.timed_out)
    if run.timed_out:
        return sample
    if run.returncode != 0:
        sample.failed = f"exit {run.returncode}: {run.stderr_tail[-600:]}"
        return sample
    if stages:
        for line in (logs / "stderr.txt").read_text(encoding="utf-8", errors="replace").splitlines():
            m = _TIMING.match(line)
            if m:
                sample.timings[m.group(1)] = int(m.group(2)) / 1000
        if not sample.timings:
            sample.failed = "no stage timings in its output (did `kbgen build --verbose` change?)"
    sample.timings["total (wall)"] = run.seconds
    # CPU time of every process of the run: a busy machine stretches wall times (the stages' too), not this.
    sample.timings["total (CPU)"] = run.user_s + run.sys_s
    return sample


def json_str(path: Path) -> str:
    """A path as a YAML scalar: JSON strings are valid YAML flow scalars."""
    return json.dumps(str(path))


# ---------------------------------------------------------------- inputs


def corpus_sample(articles: Path, fraction: float) -> list[Path]:
    """Every file of the corpus, or of its Markdown files every k-th by sorted path (other files all kept)."""
    files = sorted(p for p in articles.rglob("*") if p.is_file())
    if fraction >= 1:
        return files
    step = round(1 / fraction)
    md = [p for p in files if p.suffix == ".md"]
    keep = set(md[::step])
    return [p for p in files if p.suffix != ".md" or p in keep]


def replicate_corpus(articles: Path, files: list[Path], into: Path, copies: int) -> None:
    """`copies` copies of the sampled corpus under `into`; copy c > 1 renames each top-level entry (see the module
    docstring for why links stay valid). Hidden and `_` entries (snippets, category files' folders) stay single."""
    for c in range(1, copies + 1):
        for src in files:
            rel = src.relative_to(articles)
            top = rel.parts[0]
            if c > 1:
                if top.startswith((".", "_")):
                    continue
                if len(rel.parts) == 1:
                    top = f"{Path(top).stem}-c{c}{Path(top).suffix}"
                else:
                    top = f"{top}-c{c}"
            dest = into.joinpath(top, *rel.parts[1:])
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)


WORDS = ("refund invoice password account billing card payment export import login email team plan upgrade "
         "cancel trial token webhook report chart backup restore sync mobile desktop printer network proxy "
         "оплата счёт пароль вход возврат карта доступ настройка").split()


def synthetic_kb(root: Path, n: int, per_scale: int) -> str:
    """Write the synthetic knowledge base at scale `n` (`per_scale`·n articles) into `root/content`; returns a
    one-line size note."""
    rng = random.Random(17)
    content = root / "content"
    content.mkdir(parents=True)
    count = per_scale * n
    tags = [f"topic-{i}" for i in range(20 * n)]
    depth = max(1, math.ceil(math.log(count, 4)) - 1)

    def folder(i: int) -> str:  # four articles a folder, four folders a folder, as deep as the count needs
        parts, x = [], i // 4
        for _ in range(depth):
            parts.append(f"c{x % 4}")
            x //= 4
        return "/".join(parts)

    rels = [f"{folder(i)}/article-{i}" for i in range(count)]
    (content / "_snippets").mkdir()
    (content / "_snippets" / "contact.md").write_text("Still stuck? Write to **support**.\n", encoding="utf-8")
    for i, rel in enumerate(rels):
        # Links to missing pages: one of its own in every 16th article, one shared by every 8th. Each is a near
        # miss of a real path, as a renamed page leaves them, so a "did you mean" really compares it with names.
        gone = ((f"[gone](/{rels[(i + 1) % count]}-old/)" if i % 16 == 0 else "")
                + (f" [too](/{rels[0]}-renamed/)" if i % 8 == 1 else ""))
        words = " ".join(rng.choice(WORDS) for _ in range(120))
        table = "\n".join(f"| {rng.choice(WORDS)} | {j} | {rng.choice(WORDS)} | `{j * i}` |" for j in range(10))
        links = " ".join(f"[see {j}](/{rels[rng.randrange(count)]}/)" for j in range(3))
        body = (
            f"---\ntitle: {WORDS[i % len(WORDS)].title()} guide {i}\ndescription: How to {WORDS[i % 7]}.\n"
            f"tags: [{', '.join(rng.sample(tags, 3))}]\naliases: ['/old/{i}/', '/older/{i}.html']\n---\n"
            f"# {WORDS[i % len(WORDS)].title()} guide {i}\n\n{words}\n\n## Overview\n\n{words[:300]}\n\n"
            f"## Steps\n\n1. Open **Settings**.\n2. Choose {links}.\n3. Gone: {gone}\n\n"
            f"## Overview\n\n| a | b | c | d |\n|---|---|---|---|\n{table}\n\n"
            f"```python\nprint({i})\n```\n\n{{{{< snippet contact >}}}}\n"
        )
        path = content / f"{rel}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    deep = content.joinpath(*(f"level-{d}" for d in range(12)))
    deep.mkdir(parents=True)
    (deep / "bottom.md").write_text("---\ntitle: Bottom\n---\nThe deepest page.\n", encoding="utf-8")
    many = [f"many-{j}" for j in range(50 * n)]
    (content / "many-tags.md").write_text(
        f"---\ntitle: Many tags\ntags: [{', '.join(many)}]\naliases: [{', '.join(f'/was/{t}/' for t in many)}]\n"
        "---\nTagged a lot.\n", encoding="utf-8")
    distinct = (count + 15) // 16
    return (f"{count + 2} articles ({distinct + (count + 6) // 8} broken links to {distinct + 1} targets), "
            f"{len(tags)} + {len(many)} tags")


def hostile_kb(root: Path, n: int, unit: int) -> str:
    """One article per known quadratic path, each `unit`·n long in the dimension that path is quadratic in, and
    a few plain ones; returns a one-line size note."""
    rng = random.Random(19)
    size = unit * n
    articles = {
        "colons": "A line of colons.\n\nword " + ":" * size + "\n",
        "shortcodes": "A line of unclosed shortcodes.\n\nx " + "{{< x " * (size // 6) + "\n",
        "headings": "".join("## Same heading\n\ntext\n\n" for _ in range(size // 6)),
        "long-paragraph": " ".join(rng.choice(WORDS) for _ in range(size)) + "\n",
        "big-table": "| a | b | c |\n|---|---|---|\n" + "".join(f"| {j} | {rng.choice(WORDS)} | x |\n"
                                                              for j in range(size // 10)),
        "links": "".join(f"- [a](/missing/distinct-{j}/) [b](/missing/repeated/) [c](/plain-{j % 4}/)\n"
                         for j in range(size // 20)),
        **{f"plain-{j}": f"Plain article {j}.\n" for j in range(4)},
    }
    content = root / "content"
    content.mkdir(parents=True)
    for name, body in articles.items():
        (content / f"{name}.md").write_text(f"---\ntitle: Hostile {name}\n---\n{body}", encoding="utf-8")
    return (f"{size:,} colons, {size // 6:,} unclosed shortcodes, {size // 6:,} identical headings, "
            f"{size:,}-word paragraph, {size // 10:,} table rows, {size // 20:,} distinct broken links")


def one_article(content: Path) -> None:
    """The fixed-cost input of a build (0×): Python, kbgen's imports, the theme, an almost empty site."""
    content.mkdir(parents=True)
    (content / "only.md").write_text("---\ntitle: Only\n---\nThe only article.\n", encoding="utf-8")


def access_log(path: Path, n: int, urls: list[str]) -> str:
    """A combined-format nginx log of 30,000·n lines: page views, and searches of which 1,000·n are distinct (most
    answered by nothing: made-up words), plus clicks and votes; returns a one-line size note."""
    rng = random.Random(23)
    today = dt.date.today()
    days = [(today - dt.timedelta(days=d)).strftime("%d/%b/%Y") for d in range(60)]
    distinct = [f"{rng.choice(WORDS)} zq{j}x{rng.randrange(10**6)}" for j in range(1000 * n)]
    lines = []
    for i in range(30000 * n):
        r = rng.random()
        if r < 0.45:
            target = f"/{rng.choice(urls)}"
        elif r < 0.85:
            q = distinct[i % len(distinct)] if rng.random() < 0.6 else rng.choice(WORDS)
            target = f"/_kb/e.gif?e=search&q={quote(q)}&n={0 if ' zq' in q else 3}&l=en&v=1"
        elif r < 0.95:
            target = f"/_kb/e.gif?e=click&q={quote(rng.choice(WORDS))}&u={rng.choice(urls)}&r=1&v=1"
        else:
            target = f"/_kb/e.gif?e=vote&u={rng.choice(urls)}&h={rng.choice('01')}&v=1"
        when = f"{rng.choice(days)}:{rng.randrange(24):02d}:{rng.randrange(60):02d}:00 +0000"
        lines.append(f'10.0.{rng.randrange(256)}.{rng.randrange(1, 255)} - - [{when}] "GET {target} HTTP/1.1" 200 '
                     f'512 "https://help.example.com/" "Mozilla/5.0"\n')
    path.write_text("".join(lines), encoding="utf-8")
    return f"{30000 * n:,} lines, {1000 * n:,} distinct searches"


# ---------------------------------------------------------------- bench


def bench_input(series: Series, make_run, runs: int, timeout: float) -> None:
    """Rounds of 0× (the fixed cost), 1×, 2×, 4×, so drift on a shared machine hits every scale alike; a scale that
    timed out (and the bigger ones) is not run again."""
    for i in range(1, runs + 1):
        for scale in (BASELINE, *SCALES):
            if any(series.timed_out(s) for s in SCALES if s <= scale):
                continue
            sample = make_run(scale, i)
            os.sync()
            series.samples.setdefault(scale, []).append(sample)
            state = ("TIMEOUT" if sample.timed_out else "FAILED " + sample.failed[:200] if sample.failed
                     else f"{sample.timings['total (wall)']:.2f} s")
            print(f"[{series.name}] {scale}× run {i}/{runs}: {state}, peak {sample.maxrss_kib / 1024:.0f} MiB",
                  file=sys.stderr, flush=True)


def stage_rows(series: Series, timeout: float) -> tuple[list[list[str]], list[str]]:
    """Table rows of one input (a row per stage, then peak memory) and the stages flagged as super-linear."""
    stages: list[str] = []
    for scale in (BASELINE, *SCALES):
        for sample in series.ok(scale):
            stages += [s for s in sample.timings if s not in stages]
    stages.sort(key=lambda s: s.startswith("total ("))  # the stages in pipeline order, the totals last
    rows, flagged = [], []
    first_out = min((s for s in SCALES if series.timed_out(s)), default=None)
    for stage in stages:
        medians = _medians(series, lambda sample, stage=stage: sample.timings.get(stage))
        fixed = medians.pop(BASELINE, 0.0)
        cells = [_seconds(fixed)] + [_seconds(medians[s]) if s in medians else
                                     f">{timeout:g} s" if series.timed_out(s) else "-" for s in SCALES]
        k = growth_exponent([(s, t - fixed) for s, t in medians.items()])
        above = max((t - fixed for t in medians.values()), default=0.0)
        if first_out is not None and stage == "total (wall)" and any(s < first_out for s in medians):
            # From the last scale that ended to the timeout at the next: the growth there is at least this.
            last = max(s for s in medians if s < first_out)
            grew = (timeout - fixed) / max(medians[last] - fixed, 1e-3)
            k_text = f">= {math.log(grew) / math.log(first_out / last):.2f}"
            note = f"TIMED OUT at {first_out}×"
            flagged.append(f"{series.name}: timed out at {first_out}× (k {k_text})")
        elif k is None:
            k_text, note = "-", ""
        else:
            k_text = f"{k:.2f}"
            noise = above < NOISE_FLOOR_S
            note = "(noise)" if noise else ("FASTER THAN n log n" if k > FLAG_ABOVE else "")
            if k > FLAG_ABOVE and not noise:
                flagged.append(f"{series.name}: {stage} (k = {k:.2f})")
        rows.append([series.name, stage, *cells, k_text, note])
    peaks = _medians(series, lambda sample: sample.maxrss_kib / 1024)
    fixed = peaks.pop(BASELINE, 0.0)
    k = growth_exponent([(s, m - fixed) for s, m in peaks.items()])
    rows.append([series.name, "peak MiB", f"{fixed:.0f}", *(f"{peaks[s]:.0f}" if s in peaks else "-" for s in SCALES),
                 f"{k:.2f}" if k is not None else "-", ""])
    return rows, flagged


def _medians(series: Series, value) -> dict[int, float]:
    """Median of `value(sample)` over the good runs at each scale that has one."""
    out = {}
    for scale in (BASELINE, *SCALES):
        values = [v for v in map(value, series.ok(scale)) if v is not None]
        if values:
            out[scale] = statistics.median(values)
    return out


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def format_table(rows: list[list[str]]) -> str:
    """Plain aligned text, numbers right-aligned."""
    header = ["input", "stage", "fixed (0×)", *(f"{s}×" for s in SCALES), "k", ""]
    rows = [header, *rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    numeric = set(range(2, 2 + len(SCALES) + 2))
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(c.rjust(w) if i in numeric else c.ljust(w)
                             for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shared", type=Path, default=SHARED,
                   help=f"folder holding corpora/ (default: {SHARED})")
    p.add_argument("--corpus", default="ru-doka", metavar="NAME",
                   help="corpus for the 'corpus' input (default: ru-doka)")
    p.add_argument("--fraction", type=float, default=None,
                   help="share of the corpus's articles at 1×, every k-th; links to the others break (default 1)")
    p.add_argument("--input", action="append", choices=INPUTS, help="run only this input (repeatable)")
    p.add_argument("--runs", type=int, default=None, help="runs per scale, median taken (default 3, --quick 1)")
    p.add_argument("--timeout", type=float, default=300, help="seconds before one run is killed (default 300)")
    p.add_argument("--articles", type=int, default=None,
                   help="articles of the synthetic input at 1× (default 320, --quick 60)")
    p.add_argument("--hostile", type=int, default=None,
                   help="1× size unit of the hostile articles, e.g. colons in one line (default 3000, --quick 2000)")
    p.add_argument("--quick", action="store_true", help="smaller synthetic inputs and one run per scale (~3 min)")
    p.add_argument("--settle", type=float, default=0, metavar="SECONDS",
                   help="sync and wait this long before the first run (bench/build.py waits 365; default 0)")
    args = p.parse_args(argv)
    args.fraction = args.fraction or 1.0
    args.runs = args.runs or (1 if args.quick else 3)
    # 320: the search export runs in a second process from 300 articles (kbgen.search.publish.BACKGROUND_FROM);
    # the default keeps every scale on that side of it, --quick every scale on the other, so no scale changes regime.
    args.articles = args.articles or (60 if args.quick else 320)
    args.hostile = args.hostile or (2000 if args.quick else 3000)
    if args.runs < 1 or not 0 < args.fraction <= 1:
        p.error("--runs must be at least 1 and --fraction in (0, 1]")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    inputs = args.input or list(INPUTS)
    articles = (args.shared / "corpora" / args.corpus / "articles").resolve()
    if "corpus" in inputs and not articles.is_dir():
        sys.exit(f"bench: no corpus at {articles} (use --shared to point elsewhere, or --input synthetic)")
    if not build_bench.kbgen_exe().exists():
        sys.exit(f"bench: {build_bench.kbgen_exe()} not found (pip install -e . into this venv)")
    build_bench.compile_kbgen()
    started, load_before = time.time(), os.getloadavg()[1]
    all_series: list[Series] = []
    with tempfile.TemporaryDirectory(prefix="kbgen-scaling-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        prepared = prepare_inputs(root, inputs, articles, args)
        if args.settle:
            os.sync()
            print(f"(disk: synced, settling {args.settle:g} s)", file=sys.stderr, flush=True)
            time.sleep(args.settle)
        for series, make_run in prepared:
            bench_input(series, make_run, args.runs, args.timeout)
            all_series.append(series)
        print_results(all_series, args, time.time() - started, (load_before, os.getloadavg()[1]))
    return 0


def prepare_inputs(root: Path, inputs: list[str], articles: Path, args: argparse.Namespace):
    """Write every input at every scale before the first timed run; (series, run function) per input."""
    prepared = []
    if "corpus" in inputs:
        series = Series(f"{args.corpus}" + (f" ({args.fraction:g})" if args.fraction < 1 else ""))
        files = corpus_sample(articles, args.fraction)
        md = sum(1 for f in files if f.suffix == ".md")
        for scale in SCALES:
            replicate_corpus(articles, files, root / "corpus" / f"x{scale}", scale)
            series.size_note[scale] = f"{md * scale} Markdown files"
        one_article(root / "corpus" / f"x{BASELINE}")
        build_bench.prime_page_cache(root / "corpus")
        prepared.append((series, lambda scale, i: run_build(
            root / "corpus" / f"x{scale}", root / "runs" / f"corpus-{scale}-{i}", args.timeout)))
    if "synthetic" in inputs or "report" in inputs:
        series = Series("synthetic")
        for scale in SCALES:
            series.size_note[scale] = synthetic_kb(root / "synthetic" / f"x{scale}", scale, args.articles)
        one_article(root / "synthetic" / f"x{BASELINE}" / "content")
        if "synthetic" in inputs:
            prepared.append((series, lambda scale, i: run_build(
                root / "synthetic" / f"x{scale}" / "content", root / "runs" / f"synthetic-{scale}-{i}",
                args.timeout)))
    if "hostile" in inputs:
        series = Series("hostile")
        for scale in SCALES:
            series.size_note[scale] = hostile_kb(root / "hostile" / f"x{scale}", scale, args.hostile)
        one_article(root / "hostile" / f"x{BASELINE}" / "content")
        prepared.append((series, lambda scale, i: run_build(
            root / "hostile" / f"x{scale}" / "content", root / "runs" / f"hostile-{scale}-{i}", args.timeout)))
    if "report" in inputs:
        kb = root / "synthetic" / "x1"
        (kb / "kbgen.yml").write_text(f"site_name: Scaling bench\n{lowered_severities()}", encoding="utf-8")
        urls = [str(p.relative_to(kb / "content").with_suffix("")) + "/"
                for p in sorted((kb / "content").rglob("*.md")) if "_snippets" not in p.parts]
        series = Series("report")
        (root / "logs").mkdir()
        (root / "logs" / f"access-{BASELINE}.log").write_text("", encoding="utf-8")
        for scale in SCALES:
            series.size_note[scale] = access_log(root / "logs" / f"access-{scale}.log", scale, urls)
        # Once untimed: the first report renders the KB into its cache (kb/.kbgen/), the same work at every scale.
        run_report(kb, root / "logs" / f"access-{BASELINE}.log", root / "runs" / "report-warm-up", args.timeout)
        prepared.append((series, lambda scale, i: run_report(
            kb, root / "logs" / f"access-{scale}.log", root / "runs" / f"report-{scale}-{i}", args.timeout)))
    return prepared


def print_results(all_series: list[Series], args: argparse.Namespace, elapsed: float,
                  load: tuple[float, float]) -> None:
    rows, flagged = [], []
    for series in all_series:
        r, f = stage_rows(series, args.timeout)
        rows += r
        flagged += f
    print()
    print(f"kbgen scaling bench: median of {args.runs} run(s) per scale, timeout {args.timeout:g} s/run, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {elapsed / 60:.1f} min, 5-minute load "
          f"average {load[0]:.1f} before and {load[1]:.1f} after (above the CPU count, wall times stretch)")
    for series in all_series:
        print(f"  {series.name}: " + "; ".join(f"{s}× = {note}" for s, note in series.size_note.items()))
    print()
    print(format_table(rows))
    print()
    print("fixed (0×): the same command on a one-article site (report: an empty log); k: least-squares slope of "
          "log(time - fixed) on log(scale): 1.0 linear, ~1.1 n log n at these sizes, 2.0 quadratic; flagged above "
          f"{FLAG_ABOVE}, unless the stage grows by less than {NOISE_FLOOR_S * 1000:.0f} ms from 0× to 4× "
          "(noise: the scheduler moves it as much). 'pages' includes waiting for the search export; peak MiB is "
          "GNU time's maximum resident set of kbgen and the processes it forked.")
    for series in all_series:
        for scale in SCALES:
            for sample in series.samples.get(scale, []):
                if sample.failed:
                    print(f"--- {series.name} {scale}× failed: {sample.failed}")
                    break
    print()
    if flagged:
        print("Growing faster than n log n:")
        for f in flagged:
            print(f"  {f}")
    else:
        print("No stage grows faster than n log n.")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
