#!/usr/bin/env python3
"""Search benchmark: kbgen side by side with Pagefind, in headless Chromium, printed as one table.

Not part of the test suite (it takes minutes and needs ../shared/corpora). For each corpus it builds the site with
kbgen, indexes the same built site with Pagefind (`pagefind[extended]` from PyPI, installed on first run into
~/.cache/kbgen-bench, never into the repository; `--root-selector main` so Pagefind reads the article, not the
header and footer), then measures:

- relevance on cranfield, cisi, med and npl: MAP, nDCG@10, MRR@10, Recall@10 by ../shared/tools/eval_ir.py, for
  `kbgen search --batch` (the CLI), kbgen's engine in the browser, and Pagefind in the browser; the BM25 row of
  ../shared/corpora/BASELINES.md beside them;
- MRR@10 on ru-doka's known-item and title queries (site built with `language: ru`, so Pagefind stems Russian);
- how often the browser engine's top 10 equals the CLI's, over all those queries;
- on npl: bytes transferred for the first query of a fresh page and for each later one (engine + index + the
  display data of the top 5 results; the HTML page is not counted), served gzipped as any static host does, and
  query time once the needed files are loaded; for the collection's own queries and for short 1-3 word queries
  from titles;
- build time: ru-doka (or, with --build-time-corpus en-cpp-docs, Microsoft's C++ docs) built by kbgen with
  search, against Hugo's build plus Pagefind's indexing.

    .venv/bin/python bench/search.py                    # everything
    .venv/bin/python bench/search.py --corpus med --skip-build-time
    .venv/bin/python bench/search.py --build-time-only --build-time-corpus en-cpp-docs
    .venv/bin/python bench/search.py --json bench-search.json
    .venv/bin/python bench/search.py --shared /path/to/shared    # a tree with no ../shared beside it
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import importlib.util
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
EVAL = SHARED / "tools" / "eval_ir.py"
CACHE = Path(os.environ.get("KBGEN_BENCH_CACHE", Path.home() / ".cache" / "kbgen-bench"))
PAGEFIND_VENV = CACHE / "pagefind-venv"
KBGEN = Path(sys.executable).parent / "kbgen"
CHROMIUM = Path(os.environ.get("KBGEN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IR_CORPORA = ("cranfield", "cisi", "med", "npl")
DEPTH = 1000  # run depth for MAP and recall, as in BASELINES.md
SHOWN = 5  # results whose display data a reader's page loads (Pagefind's default UI shows 5 too)
SHORT_QUERIES = 60


# --- tools ---------------------------------------------------------------------------------------------------

def pagefind() -> list[str]:
    exe = PAGEFIND_VENV / "bin" / "python"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PAGEFIND_VENV)], check=True)
        subprocess.run([str(PAGEFIND_VENV / "bin" / "pip"), "install", "-q", "pagefind[extended]"], check=True)
    return [str(exe), "-m", "pagefind"]


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def build_kbgen(corpus: str, work: Path, language: str = "en", name: str | None = None,
                config: str | None = None) -> tuple[Path, float]:
    kb = work / (name or corpus)
    shutil.rmtree(kb, ignore_errors=True)
    kb.mkdir(parents=True)
    (kb / "content").symlink_to(CORPORA / corpus / "articles")
    settings = config if config is not None else f"language: {language}\n"
    (kb / "kbgen.yml").write_text(f"site_name: {corpus}\n{settings}", encoding="utf-8")
    seconds = timed([str(KBGEN), "build", "-q"], kb)
    return kb, seconds


def index_pagefind(site: Path) -> float:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    return timed(pagefind() + ["--site", str(site), "--root-selector", "main"], site)


def store(kb: Path, language: str = "en") -> Path:
    return kb / ".kbgen" / "search" / language


def doc_keys(kb: Path, language: str = "en") -> tuple[dict[int, str], dict[str, str]]:
    """kbgen's article ids → source paths, and site URLs → source paths (to read Pagefind's results)."""
    ids = json.loads((store(kb, language) / "state.json").read_text(encoding="utf-8"))["ids"]
    by_id = {i: key for key, i in ids.items()}
    by_url = {}
    for path in (kb / "site" / "search" / "f").glob("*.js"):  # a one-language site's index
        text = path.read_text(encoding="utf-8")
        for b36, frag in json.loads(text[text.index(",") + 1: text.rindex(")")]).items():
            by_url[frag[0]] = by_id[int(b36, 36)]
    return by_id, by_url


def pagefind_urls(site: Path) -> dict[str, str]:
    """Pagefind's result ids → page URLs, read from its fragment files."""
    out = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        out[path.name.split(".")[0]] = json.loads(data[data.index(b"{"):])["url"].strip("/") + "/"
    return out


def read_queries(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1].strip():
            rows.append((parts[0], parts[1]))
    return rows


def short_queries(corpus: str, n: int) -> list[tuple[str, str]]:
    """1-3 words from the start of article titles, as a reader types them (seeded: the same set every run)."""
    rng = random.Random(7)
    files = sorted((CORPORA / corpus / "articles").glob("*.md"))
    out = []
    for i, path in enumerate(rng.sample(files, n)):
        title = re.search(r'^title: "?(.*?)"?$', path.read_text(encoding="utf-8"), re.M)
        words = [w for w in re.findall(r"[a-z]+", (title.group(1) if title else "").lower()) if len(w) > 3]
        if words:
            out.append((f"s{i}", " ".join(words[: rng.randint(1, 3)])))
    return out


# --- a static host: gzip for text, as any real one does; counts the bytes it sends --------------------------

class Host:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.sent: list[tuple[str, int]] = []
        host = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.translate_path(self.path)
                if os.path.isdir(path):
                    path = os.path.join(path, "index.html")
                if not os.path.isfile(path):
                    self.send_error(404)
                    return
                body = Path(path).read_bytes()
                ctype = self.guess_type(path)
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                if path.endswith((".js", ".json", ".html", ".css", ".svg")) and "gzip" in self.headers.get(
                        "Accept-Encoding", ""):
                    body = gzip.compress(body, 6)
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "max-age=3600")
                self.end_headers()
                self.wfile.write(body)
                host.sent.append((self.path, len(body)))

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"

    def take(self, counted) -> int:
        """Bytes sent since the last call, for requests `counted(path)` says belong to search."""
        total = sum(n for p, n in self.sent if counted(p))
        self.sent.clear()
        return total

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


BENCH_PAGE = """<!doctype html><meta charset="utf-8"><title>bench</title>
<script src="assets/search-stem.js"></script>
<script src="assets/search-core.js"></script>
<script>
window.kb = new KbgenSearch.SearchIndex(KbgenSearch.scriptLoader("{index}"));
window.kbRun = async (q, depth, shown) => {{
  const r = await kb.search(q, false);
  await Promise.all(r.hits.slice(0, shown).map(h => kb.fragment(h.doc)));
  return r.hits.slice(0, depth).map(h => h.doc);
}};
window.kbTime = async (q) => {{
  const t = performance.now(); await kb.search(q, false); return performance.now() - t;
}};
window.pfRun = async (q, depth, shown) => {{
  if (!window.pf) {{ window.pf = await import("./pagefind/pagefind.js"); await pf.init(); }}
  const r = await pf.search(q);
  await Promise.all(r.results.slice(0, shown).map(x => x.data()));
  return r.results.slice(0, depth).map(x => x.id);
}};
window.pfTime = async (q) => {{ const t = performance.now(); await pf.search(q); return performance.now() - t; }};
</script>"""


class Chromium:
    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._p = sync_playwright().start()
        self.browser = self._p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)

    def fresh(self, url: str):
        context = self.browser.new_context()
        page = context.new_page()
        page.goto(url)
        return context, page

    def close(self) -> None:
        self.browser.close()
        self._p.stop()


def browser_runs(chromium: Chromium, host: Host, engine: str, queries, depth: int) -> dict[str, list]:
    context, page = chromium.fresh(host.url + "__bench.html")
    out = {}
    for qid, q in queries:
        out[qid] = page.evaluate(f"([q, d, s]) => {engine}Run(q, d, s)", [q, depth, SHOWN])
    context.close()
    return out


def transfer(chromium: Chromium, host: Host, engine: str, queries) -> dict:
    """Bytes of the first query in a fresh page, of each later one, and query time once loaded."""
    counted = (lambda p: p.startswith("/pagefind/")) if engine == "pf" else (
        lambda p: p.startswith(("/search/", "/assets/search-core.js", "/assets/search-stem.js")))
    context, page = chromium.fresh(host.url + "__bench.html")
    host.take(counted)
    if engine == "kb":  # the engine's scripts came with the page: count them as the first query's
        for script in ("search-stem.js", "search-core.js"):
            host.sent.append((f"/assets/{script}", len(gzip.compress((host.root / "assets" / script).read_bytes(), 6))))
    sizes, warm = [], []
    for _qid, q in queries:
        page.evaluate(f"([q, d, s]) => {engine}Run(q, d, s)", [q, 10, SHOWN])
        sizes.append(host.take(counted))
        warm.append(min(page.evaluate(f"q => {engine}Time(q)", q) for _ in range(3)))
    context.close()
    later = sizes[1:]
    return {"first": sizes[0], "later_median": statistics.median(later), "later_mean": statistics.mean(later),
            "ms_median": statistics.median(warm)}


# --- scoring ---------------------------------------------------------------------------------------------------

def trec(runs: dict[str, list[str]], path: Path, tag: str) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for qid, keys in runs.items():
            for rank, key in enumerate(keys, 1):
                f.write(f"{qid} Q0 {key.removesuffix('.md')} {rank} {1000 - rank} {tag}\n")
    return path


def evaluate(corpus: str, run: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(EVAL), str(CORPORA / corpus), str(run)], capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()
    header, row = out[-2].split("\t"), out[-1].split("\t")
    return {h: float(v) for h, v in zip(header[2:], row[2:], strict=True)}


def baseline(corpus: str) -> dict[str, float]:
    for line in (CORPORA / "BASELINES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 7 and cells[0] == corpus and cells[1] == "BM25":
            return dict(zip(("MAP", "nDCG@10", "MRR@10", "R@10"), map(float, cells[3:]), strict=True))
    return {}


def mrr10(runs: dict[str, list[str]], expected: dict[str, str]) -> float:
    total = 0.0
    for qid, want in expected.items():
        keys = runs.get(qid, [])[:10]
        total += 1 / (keys.index(want) + 1) if want in keys else 0.0
    return total / len(expected)


def cli_runs(kb: Path, queries, depth: int) -> dict[str, list[str]]:
    tsv = kb / "queries.tsv"
    tsv.write_text("".join(f"{qid}\t{q}\n" for qid, q in queries), encoding="utf-8")
    out = subprocess.run([str(KBGEN), "search", "-q", "--batch", str(tsv), "--limit", str(depth)], cwd=kb,
                         capture_output=True, text=True, check=True).stdout
    runs: dict[str, list[str]] = {qid: [] for qid, _ in queries}
    for line in out.splitlines():
        qid, _, docid, *_ = line.split()
        runs[qid].append(docid + ".md")
    return runs


def agreement(a: dict[str, list[str]], b: dict[str, list[str]]) -> tuple[int, int]:
    same = sum(1 for q in a if a[q][:10] == b.get(q, [])[:10])
    return same, len(a)


# --- the corpora ---------------------------------------------------------------------------------------------

def prepare(kb: Path) -> Path:
    site = kb / "site"
    (site / "__bench.html").write_text(BENCH_PAGE.format(index="search/"), encoding="utf-8")
    return site


def bench_ir(corpus: str, work: Path, chromium: Chromium, report: dict) -> None:
    kb, build_s = build_kbgen(corpus, work)
    queries = read_queries(CORPORA / corpus / "queries.tsv")
    # `kbgen search` builds first, and a site/ holding files kbgen did not write (the bench page, Pagefind's
    # index) is one it refuses to replace: its answers are taken before anything is added.
    cli = cli_runs(kb, queries, DEPTH)
    site = prepare(kb)
    pf_s = index_pagefind(site)
    by_id, by_url = doc_keys(kb)
    pf_ids = pagefind_urls(site)
    host = Host(site)
    try:
        kb_browser = {q: [by_id[d] for d in docs] for q, docs in
                      browser_runs(chromium, host, "kb", queries, DEPTH).items()}
        pf = {q: [by_url[pf_ids[i]] for i in ids if pf_ids.get(i) in by_url] for q, ids in
              browser_runs(chromium, host, "pf", queries, DEPTH).items()}
        row = {"build_s": build_s, "pagefind_index_s": pf_s}
        for name, runs in (("kbgen CLI", cli), ("kbgen browser", kb_browser), ("Pagefind", pf)):
            row[name] = evaluate(corpus, trec(runs, work / f"{corpus}.{name.replace(' ', '-')}.txt", "x"))
        row["BM25 baseline"] = baseline(corpus)
        row["agreement"] = agreement(kb_browser, cli)
        if corpus == "npl":
            for label, qs in (("own queries", queries), ("short title queries", short_queries(corpus, SHORT_QUERIES))):
                row[f"transfer, {label}"] = {"kbgen": transfer(chromium, host, "kb", qs),
                                             "Pagefind": transfer(chromium, host, "pf", qs)}
        report[corpus] = row
    finally:
        host.stop()


def bench_doka(work: Path, chromium: Chromium, report: dict) -> None:
    kb, build_s = build_kbgen("ru-doka", work, "ru")
    sets = {}
    for name in ("queries-known-item.tsv", "queries-title.tsv"):  # the CLI's answers first: see bench_ir
        rows = [line.split("\t") for line in (CORPORA / "ru-doka" / name).read_text(encoding="utf-8").splitlines()]
        queries = [(r[0], r[1]) for r in rows if len(r) >= 3]
        sets[name] = (queries, {r[0]: r[2] for r in rows if len(r) >= 3}, _cli_ru(kb, queries))
    site = prepare(kb)
    (site / "__bench.html").write_text(BENCH_PAGE.format(index="search/"), encoding="utf-8")
    pf_s = index_pagefind(site)
    by_id, by_url = doc_keys(kb, "ru")
    pf_ids = pagefind_urls(site)
    host = Host(site)
    row: dict = {"build_s": build_s, "pagefind_index_s": pf_s}
    try:
        for name, (queries, expected, cli) in sets.items():
            kb_browser = {q: [by_id[d] for d in docs] for q, docs in
                          browser_runs(chromium, host, "kb", queries, 10).items()}
            pf = {q: [by_url[pf_ids[i]] for i in ids if pf_ids.get(i) in by_url] for q, ids in
                  browser_runs(chromium, host, "pf", queries, 10).items()}
            row[name] = {"kbgen CLI": mrr10(cli, expected), "kbgen browser": mrr10(kb_browser, expected),
                         "Pagefind": mrr10(pf, expected), "agreement": agreement(kb_browser, cli)}
    finally:
        host.stop()
    report["ru-doka"] = row


def _cli_ru(kb: Path, queries) -> dict[str, list[str]]:
    return {q: keys for q, keys in cli_runs(kb, queries, 10).items()}


#: Build-time corpora: kbgen.yml of each (language, and what a real set needs to build: the C++ docs link into the
#: rest of Microsoft Learn and to images the corpus does not carry, see its README).
BUILD_TIME_CORPORA = {
    "ru-doka": "language: ru\n",
    "en-cpp-docs": "severity: {broken-link: warning}\nexternal_sites:\n" + "".join(
        f"  /{area}/: https://learn.microsoft.com/{area}/\n"
        for area in ("windows", "previous-versions", "visualstudio", "dotnet", "uwp", "sql", "windows-hardware",
                     "lifecycle", "vcpkg", "cpp", "azure", "archive")),
}


def bench_build_time(work: Path, runs: int, report: dict, corpus: str = "ru-doka") -> None:
    """kbgen's cold build with search vs Hugo's build + Pagefind's indexing of Hugo's site, on one corpus."""
    spec = importlib.util.spec_from_file_location("bench_build", BENCH / "build.py")
    bb = importlib.util.module_from_spec(spec)
    sys.modules["bench_build"] = bb  # dataclasses look their module up while the file runs
    spec.loader.exec_module(bb)
    hugo = bb.setup_hugo()
    articles = CORPORA / corpus / "articles"
    kb_times, hugo_times, pf_times = [], [], []
    # Every run in folders of its own, deleted only when all are done, after a settled disk: a build that follows
    # a deletion pays for it on this kind of disk (see SETTLE_SECONDS in bench/build.py).
    bb.settle()
    for i in range(runs):
        _kb, seconds = build_kbgen(corpus, work, name=f"{corpus}-build-time-{i}", config=BUILD_TIME_CORPORA[corpus])
        os.sync()  # written out before the next timed run, not during it
        kb_times.append(seconds)
        if not hugo.unavailable:
            hwork = work / f"hugo-{i}"
            shutil.rmtree(hwork, ignore_errors=True)
            hwork.mkdir()
            cmd, cwd, out = bb.hugo_command(hugo, articles, bb.hugo_excludes(articles), hwork)
            hugo_times.append(timed(cmd, cwd))
            os.sync()
            pf_times.append(timed(pagefind() + ["--site", str(out)], out))
            os.sync()
    for i in range(runs):
        shutil.rmtree(work / f"{corpus}-build-time-{i}", ignore_errors=True)
        shutil.rmtree(work / f"hugo-{i}", ignore_errors=True)
    report["build time"] = {
        "corpus": corpus,
        "kbgen build with search (s)": statistics.median(kb_times),
        "hugo build (s)": statistics.median(hugo_times) if hugo_times else None,
        "pagefind index (s)": statistics.median(pf_times) if pf_times else None,
        "runs (s)": {"kbgen": kb_times, "hugo": hugo_times, "pagefind": pf_times},
    }


# --- output -------------------------------------------------------------------------------------------------------

def print_table(report: dict) -> None:
    print("\n## Relevance (MAP / nDCG@10 / MRR@10 / R@10)\n")
    print("| corpus | engine | MAP | nDCG@10 | MRR@10 | R@10 |\n|---|---|---:|---:|---:|---:|")
    for corpus in IR_CORPORA:
        row = report.get(corpus)
        if not row:
            continue
        for engine in ("BM25 baseline", "kbgen CLI", "kbgen browser", "Pagefind"):
            m = row[engine]
            print(f"| {corpus} | {engine} | {m['MAP']:.4f} | {m['nDCG@10']:.4f} | {m['MRR@10']:.4f} | "
                  f"{m['R@10']:.4f} |")
    if "ru-doka" in report:
        print("\n## ru-doka MRR@10\n\n| queries | kbgen CLI | kbgen browser | Pagefind |\n|---|---:|---:|---:|")
        for name in ("queries-known-item.tsv", "queries-title.tsv"):
            m = report["ru-doka"][name]
            print(f"| {name} | {m['kbgen CLI']:.4f} | {m['kbgen browser']:.4f} | {m['Pagefind']:.4f} |")
    same = total = 0
    for row in report.values():
        for value in [row.get("agreement")] + [v.get("agreement") for v in row.values() if isinstance(v, dict)]:
            if isinstance(value, (list, tuple)):
                same, total = same + value[0], total + value[1]
    if total:
        print(f"\n## Browser vs CLI: same top 10 for {same}/{total} queries ({100 * same / total:.1f}%)")
    npl = report.get("npl", {})
    for label in ("own queries", "short title queries"):
        t = npl.get(f"transfer, {label}")
        if not t:
            continue
        k, p = t["kbgen"], t["Pagefind"]
        print(f"\n## npl transfer, {label} (gzip bytes; engine + index + top {SHOWN} results' display data)\n")
        print("| | kbgen | Pagefind | kbgen / Pagefind |\n|---|---:|---:|---:|")
        for key, name in (("first", "first query"), ("later_median", "later query, median"),
                          ("later_mean", "later query, mean")):
            print(f"| {name} | {k[key]:,.0f} | {p[key]:,.0f} | {_ratio(k[key], p[key])} |")
        print(f"| query time after load, median (ms) | {k['ms_median']:.2f} | {p['ms_median']:.2f} | "
              f"{_ratio(k['ms_median'], p['ms_median'])} |")
    print("\n## Index and build time (s)\n")
    print("| corpus | kbgen build with search | Pagefind indexing of it |\n|---|---:|---:|")
    for corpus, row in report.items():
        if "build_s" in row:
            print(f"| {corpus} | {row['build_s']:.2f} | {row['pagefind_index_s']:.2f} |")
    bt = report.get("build time")
    if bt:
        hugo, pf = bt["hugo build (s)"] or float("nan"), bt["pagefind index (s)"] or float("nan")
        kb = bt["kbgen build with search (s)"]
        print(f"\n{bt['corpus']} side by side: kbgen {kb:.2f} s vs Hugo {hugo:.2f} s + Pagefind {pf:.2f} s = "
              f"{hugo + pf:.2f} s (kbgen / (Hugo + Pagefind) = {kb / (hugo + pf):.2f})")


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", action="append", help="Only these corpora (cranfield, cisi, med, npl, ru-doka).")
    ap.add_argument("--runs", type=int, default=3, help="Build-time runs (median).")
    ap.add_argument("--skip-build-time", action="store_true")
    ap.add_argument("--build-time-only", action="store_true",
                    help="Only the build time against Hugo + Pagefind.")
    ap.add_argument("--build-time-corpus", choices=list(BUILD_TIME_CORPORA), default="ru-doka",
                    help="The corpus of the build-time comparison (default ru-doka; en-cpp-docs is 9,746 articles "
                         "of Microsoft's C++ docs, with its links into the rest of Microsoft Learn declared).")
    ap.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    ap.add_argument("--shared", type=Path, default=SHARED,
                    help="Folder holding corpora/ and tools/eval_ir.py (default: ../shared beside the repository; "
                         "give it when the tree runs from elsewhere, say a git worktree).")
    args = ap.parse_args()
    import compileall

    import kbgen

    compileall.compile_dir(Path(kbgen.__file__).parent, quiet=1)  # kbgen's bytecode, as an install has it
    global CORPORA, EVAL
    CORPORA, EVAL = args.shared / "corpora", args.shared / "tools" / "eval_ir.py"
    if not CORPORA.is_dir():
        sys.exit(f"{CORPORA} not found: the benchmark needs the shared corpora")
    wanted = [] if args.build_time_only else args.corpus or [*IR_CORPORA, "ru-doka"]
    report: dict = {}
    chromium = Chromium()
    with tempfile.TemporaryDirectory(prefix="kbgen-search-bench-") as tmp:
        work = Path(tmp)
        try:
            for corpus in wanted:
                print(f"… {corpus}", file=sys.stderr, flush=True)
                if corpus == "ru-doka":
                    bench_doka(work, chromium, report)
                else:
                    bench_ir(corpus, work, chromium, report)
                if args.json:  # a long run keeps what it measured so far
                    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
            if args.build_time_only or (not args.skip_build_time and "ru-doka" in wanted):
                print("… build time", file=sys.stderr, flush=True)
                bench_build_time(work, args.runs, report, args.build_time_corpus)
        finally:
            chromium.close()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print_table(report)


if __name__ == "__main__":
    main()
