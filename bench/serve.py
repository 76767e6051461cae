#!/usr/bin/env python3
"""Live-preview benchmark: from an article saved to the browser having the new text, kbgen serve side by side
with `hugo server` and `mkdocs serve`, plus kbgen serve's start-up with a cold and a warm cache.

Not part of the test suite (minutes, and it needs ../shared/corpora). Each corpus is copied to a temp dir first,
so the edits never touch the shared files. Per tool and corpus it makes N edits to one article (a new paragraph
with a unique word, written in place as an editor saves) and times, per edit:

- `fetch`: a client that polls the page over HTTP every 5 ms until the word is there (all tools; for kbgen this
  is an SSE client that waits for the epoch message and then fetches the page, the path a tab takes);
- `tab`: a real Chromium tab (Debian's, via Playwright) showing the article, until its `<main>`/body has the word.

    .venv/bin/python bench/serve.py                          # ru-doka and npl, 10 edits, all tools
    .venv/bin/python bench/serve.py --corpus ru-doka --tool kbgen --edits 5
    .venv/bin/python bench/serve.py --json serve-results.json

Peers: Hugo is the Debian package (skipped when missing); MkDocs 1.6 is installed from PyPI on first run into
~/.cache/kbgen-bench/venv-peers (or $KBGEN_PEERS_VENV), outside the repository. MkDocs rebuilds the whole site
on every save (about a minute per edit on ru-doka), so it gets `--mkdocs-edits` edits (default 2) and runs on
ru-doka only.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as build_bench  # noqa: E402  (bench/build.py: peers set-up shared by both benches)

REPO_ROOT = build_bench.REPO_ROOT
# Peers are cached outside the repository; bench/build.py's helpers read this at call time.
build_bench.PEERS_VENV = Path(os.environ.get("KBGEN_PEERS_VENV", Path.home() / ".cache/kbgen-bench/venv-peers"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException):
        return 0, ""


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float) -> float:
    """Seconds until `url` answers 200 (the server's start-up as a writer feels it)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        if get(url, timeout=2)[0] == 200:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url} not up after {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def start(cmd: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def pick_article(articles: Path, excluded: set[str]) -> Path:
    """A mid-sized article whose URL is the same in every tool (lowercase ASCII path)."""
    candidates = [p for p in sorted(articles.rglob("*.md"))
                  if re.fullmatch(r"[a-z0-9/-]+\.md", p.relative_to(articles).as_posix())
                  and p.relative_to(articles).as_posix() not in excluded and 2000 < p.stat().st_size < 20000]
    if not candidates:
        candidates = sorted(articles.rglob("*.md"))
    return candidates[len(candidates) // 2]


def page_url(base: str, articles: Path, article: Path) -> str:
    rel = article.relative_to(articles).with_suffix("").as_posix()
    rel = rel[: -len("/index")] if rel.endswith("/index") else rel
    return f"{base}{rel}/"


def save_edit(article: Path, original: str, word: str) -> None:
    """Write the article with one more paragraph, in place, as an editor's plain save does."""
    with open(article, "w", encoding="utf-8") as f:
        f.write(original.rstrip("\n") + f"\n\nBench edit {word}.\n")


def poll_for(url: str, word: str, timeout: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if word in get(url)[1]:
            return time.perf_counter()
        time.sleep(0.005)
    return None


def sse_then_fetch(base: str, path: str, epoch_url: str, word: str, timeout: float, write) -> float | None:
    """kbgen's own channel: wait for the next epoch message on /_kb/live, then fetch the page once."""
    host, port = base.split("//")[1].rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", epoch_url)
        stream = conn.getresponse()
        stream.readline()
        stream.readline()  # the hello message (current errors)
        t0 = time.perf_counter()
        write()
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            line = stream.readline()
            if line.startswith(b"data: ") and word in get(base.rstrip("/") + path)[1]:
                return time.perf_counter() - t0
        return None
    finally:
        conn.close()


def measure(tool: str, base: str, url: str, articles: Path, article: Path, edits: int, timeout: float,
            browser, results: dict) -> None:
    """`edits` edits timed by HTTP, then `edits` edits timed in a Chromium tab."""
    original = article.read_text(encoding="utf-8")
    path = "/" + url[len(base):]
    fetch_ms: list[float] = []
    tab_ms: list[float] = []
    try:
        for i in range(edits):
            word = f"kbgenbench{tool}{i}x{int(time.time() * 1000) % 100000}"
            if tool == "kbgen":
                status, html = get(url)
                epoch = re.search(r'data-epoch="(\d+)"', html)
                live = f"/_kb/live?path={path}&epoch={epoch.group(1) if epoch else -1}"
                took = sse_then_fetch(base, path, live, word, timeout, lambda w=word: save_edit(article, original, w))
            else:
                t0 = time.perf_counter()
                save_edit(article, original, word)
                done = poll_for(url, word, timeout)
                took = done - t0 if done else None
            if took is not None:
                fetch_ms.append(took * 1000)
            time.sleep(0.3)
        if browser is not None:
            tab = browser.new_page()
            tab.goto(url)
            tab.wait_for_timeout(500)  # live-reload client connected
            for i in range(edits):
                word = f"kbgentab{tool}{i}x{int(time.time() * 1000) % 100000}"
                t0 = time.perf_counter()
                save_edit(article, original, word)
                try:
                    # textContent, not innerText: asking for layout on every frame would slow the page it measures
                    tab.wait_for_function("w => document.body && document.body.textContent.includes(w)", arg=word,
                                          timeout=timeout * 1000, polling="raf")
                    tab_ms.append((time.perf_counter() - t0) * 1000)
                except Exception as exc:  # a peer that never refreshes is a result too
                    print(f"  {tool}: tab did not update: {type(exc).__name__}", file=sys.stderr)
                time.sleep(0.3)
            tab.close()
    finally:
        article.write_text(original, encoding="utf-8")
    results["fetch_ms"], results["tab_ms"] = fetch_ms, tab_ms
    for key in ("fetch_ms", "tab_ms"):
        values = results[key]
        results[key.replace("_ms", "_median_ms")] = round(statistics.median(values), 1) if values else None


def run_kbgen(articles: Path, work: Path, edits: int, timeout: float, browser) -> dict:
    kbgen = str(Path(sys.executable).parent / "kbgen")
    result: dict = {"tool": "kbgen"}
    cwd = work / "kbgen"
    cwd.mkdir()
    for label in ("startup_cold_s", "startup_warm_s"):
        port = free_port()
        proc = start([kbgen, "serve", "--content", str(articles), "--port", str(port)], cwd, work / "kbgen.log")
        try:
            result[label] = round(wait_until_up(f"http://127.0.0.1:{port}/", proc, 600), 2)
            if label == "startup_warm_s":
                base = f"http://127.0.0.1:{port}/"
                article = pick_article(articles, set())
                measure("kbgen", base, page_url(base, articles, article), articles, article, edits, timeout,
                        browser, result)
        finally:
            stop(proc)
    return result


def run_hugo(articles: Path, work: Path, edits: int, timeout: float, browser) -> dict:
    tool = build_bench.setup_hugo()
    if tool.unavailable:
        return {"tool": "hugo", "unavailable": tool.unavailable}
    excluded = build_bench.hugo_excludes(articles)
    cmd, site, _out = build_bench.hugo_command(tool, articles, excluded, work / "hugo")
    port = free_port()
    server = [cmd[0], "server", "--source", str(site), "--bind", "127.0.0.1", "--port", str(port),
              "--baseURL", f"http://127.0.0.1:{port}/", "--appendPort=false"]
    return run_peer(f"hugo {tool.version}", server, site, port, articles, set(excluded), edits, timeout, browser)


def run_mkdocs(articles: Path, work: Path, edits: int, timeout: float, browser) -> dict:
    tool = build_bench.setup_mkdocs()
    if tool.unavailable:
        return {"tool": "mkdocs", "unavailable": tool.unavailable}
    (work / "mkdocs").mkdir()
    cmd, cwd, _out = build_bench.mkdocs_command(articles, work / "mkdocs")
    port = free_port()
    server = [cmd[0], "serve", "-f", cmd[-1], "--dev-addr", f"127.0.0.1:{port}"]
    return run_peer(f"mkdocs {tool.version}", server, cwd, port, articles, set(), edits, timeout, browser)


def run_peer(label: str, server: list[str], cwd: Path, port: int, articles: Path, excluded: set[str], edits: int,
             timeout: float, browser) -> dict:
    """Start a peer's own preview server, wait until it answers, then time the same edits as kbgen's."""
    proc = start(server, cwd, cwd / "server.log")
    result: dict = {"tool": label}
    try:
        base = f"http://127.0.0.1:{port}/"
        article = pick_article(articles, excluded)
        url = page_url(base, articles, article)
        result["startup_s"] = round(wait_until_up(url, proc, 1800), 2)  # the corpus may have no home page
        measure(label.split()[0], base, url, articles, article, edits, timeout, browser, result)
    finally:
        stop(proc)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=build_bench.DEFAULT_CORPORA)
    parser.add_argument("--corpus", action="append", help="ru-doka, npl (default: both)")
    parser.add_argument("--tool", action="append", choices=("kbgen", "hugo", "mkdocs"))
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--mkdocs-edits", type=int, default=2)
    parser.add_argument("--no-browser", action="store_true", help="HTTP timings only")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    corpora = args.corpus or ["ru-doka", "npl"]
    tools = args.tool or ["kbgen", "hugo", "mkdocs"]
    rows = []
    with contextlib.ExitStack() as stack:
        browser = None if args.no_browser else launch_browser(stack)
        for name in corpora:
            source = args.corpora / name / "articles"
            if not source.is_dir():
                print(f"skip {name}: {source} not found", file=sys.stderr)
                continue
            for tool in tools:
                if tool == "mkdocs" and name != "ru-doka":
                    continue
                with tempfile.TemporaryDirectory(prefix=f"kbgen-bench-serve-{name}-") as tmp:
                    work = Path(tmp)
                    articles = work / name / "articles"
                    shutil.copytree(source, articles)
                    print(f"{name}: {tool} …", file=sys.stderr)
                    runner = {"kbgen": run_kbgen, "hugo": run_hugo, "mkdocs": run_mkdocs}[tool]
                    edits = args.mkdocs_edits if tool == "mkdocs" else args.edits
                    timeout = 300.0 if tool == "mkdocs" else 30.0
                    try:
                        row = runner(articles, work, edits, timeout, browser)
                    except Exception as exc:
                        row = {"tool": tool, "error": f"{type(exc).__name__}: {exc}"}
                    row["corpus"] = name
                    row["articles"] = sum(1 for _ in articles.rglob("*.md"))
                    rows.append(row)
                    print(json.dumps({k: v for k, v in row.items() if not isinstance(v, list)}), file=sys.stderr)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


def launch_browser(stack: contextlib.ExitStack):
    """Debian's Chromium, headless, through Playwright, closed with `stack`; None when it is not installed."""
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    playwright = stack.enter_context(sync_playwright())
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    stack.callback(browser.close)
    return browser


def print_table(rows: list[dict]) -> None:
    print(f"\n{'corpus':<9} {'tool':<14} {'articles':>8} {'fetch ms':>9} {'tab ms':>8} {'start s':>8}  notes")
    for r in rows:
        start_s = r.get("startup_s") or (f"{r.get('startup_cold_s')}/{r.get('startup_warm_s')}"
                                         if "startup_cold_s" in r else "")
        note = r.get("unavailable") or r.get("error") or (
            f"{len(r.get('fetch_ms', []))}+{len(r.get('tab_ms', []))} edits")
        print(f"{r['corpus']:<9} {r['tool']:<14} {r.get('articles', ''):>8} {_fmt(r.get('fetch_median_ms')):>9} "
              f"{_fmt(r.get('tab_median_ms')):>8} {start_s:>8}  {note}")
    kb = {r["corpus"]: r for r in rows if r["tool"] == "kbgen"}
    for r in rows:
        base = kb.get(r["corpus"])
        if r["tool"] != "kbgen" and base and r.get("fetch_median_ms") and base.get("fetch_median_ms"):
            ratio = r["fetch_median_ms"] / base["fetch_median_ms"]
            tab = (f", tab ×{r['tab_median_ms'] / base['tab_median_ms']:.1f}"
                   if r.get("tab_median_ms") and base.get("tab_median_ms") else "")
            print(f"{r['corpus']}: {r['tool']} takes ×{ratio:.1f} kbgen's time (fetch{tab})")
    print("start s for kbgen: cold cache / warm cache")


def _fmt(v) -> str:
    return "-" if v is None else f"{v:.0f}"


if __name__ == "__main__":
    main()
