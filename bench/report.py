#!/usr/bin/env python3
"""`kbgen report` on a 1 GB access log: wall time and peak memory.

Not part of the test suite. Generates (once, then reused) a combined-format nginx log of ~1 GB under
$TMPDIR/kbgen-bench-report/ — mostly ordinary page and asset hits from many clients, ~2% beacon lines (searches,
result clicks, votes; some with e-mail addresses and card numbers to mask; some malformed lines) spread over 90
days — plus a 300-article knowledge base in a git repository, then times `kbgen report --format json` on it
several times and prints medians.

    .venv/bin/python bench/report.py                 # 1 GB, 3 runs
    .venv/bin/python bench/report.py --size-mb 200 --runs 5 --json bench-report.json
    .venv/bin/python bench/report.py --hostile       # the three hostile logs of issue 17, one run each

Targets (issue 6): at most 30 s and under 300 MB peak memory for 1 GB. No peer: no static-site tool reads
search analytics from access logs, so the figures stand alone. Standard library only.

Targets (issue 17, `--hostile`): a 1 MB gzip that expands to one 1 GB line and a CSV with one 120 KB search each
end within 5 s; a log of one million distinct searches in bounded memory (it took 586 s and grew without bound).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

KBGEN = Path(sys.executable).with_name("kbgen")
WORDS = ("refund invoice password account billing card payment export import login email team plan upgrade "
         "cancel trial api token webhook report chart backup restore sync mobile desktop printer vpn wifi "
         "оплата счёт пароль вход возврат карта доступ").split()
SYLLABLES = "ka lo mi ne ru sa to vi ze bo da fe gu hi jo".split()


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    """Words a KB uses: a few real ones and many made-up ones, so postings are as sparse as in real articles."""
    made_up = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 5))) for _ in range(size)}
    return WORDS + sorted(made_up)


AGENTS = ['"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"',
          '"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile"',
          '"curl/8.5.0"']


def make_kb(root: Path, articles: int) -> list[str]:
    """A KB of `articles` pages in a git repo with commits over two years; returns the article URLs."""
    rng = random.Random(7)
    vocab = vocabulary(random.Random(3))
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "kbgen.yml").write_text("site_name: Bench Help\n", encoding="utf-8")
    urls = []
    for i in range(articles):
        topic = WORDS[i % 30]
        words = " ".join(vocab[min(int(rng.paretovariate(0.8)) - 1, len(vocab) - 1)] if rng.random() < 0.3
                         else rng.choice(vocab) for _ in range(150))
        rel = f"{topic}/article-{i}.md"
        path = root / "content" / rel
        path.parent.mkdir(exist_ok=True)
        owner = f"owner: {rng.choice(['anna', 'boris', 'chen'])}\n" if i % 3 else ""
        path.write_text(f"---\ntitle: {topic.title()} guide {i}\n{owner}---\n{words}\n", encoding="utf-8")
        urls.append(f"{topic}/article-{i}/")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
    today = dt.date.today()
    for batch in range(4):  # four commits, each touching a quarter of the articles, 600 … 30 days ago
        for i in range(batch, articles, 4):
            with (root / "content" / urls[i].rstrip("/")).with_suffix(".md").open("a") as f:
                f.write(f"\nRevision {batch}.\n")
        stamp = f"{today - dt.timedelta(days=600 - batch * 190)}T12:00:00+00:00"
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", f"batch {batch}"], cwd=root, check=True,
                       env={**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    return urls


def make_log(path: Path, size: int, urls: list[str]) -> None:
    """Lines are assembled from pools, so writing 1 GB takes seconds, not minutes."""
    rng = random.Random(11)
    today = dt.date.today()
    days = [(today - dt.timedelta(days=d)).strftime("%d/%b/%Y") for d in range(90)]
    ips = [f"{rng.randrange(1, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
           for _ in range(5000)]
    assets = ["/assets/kbgen.css", "/assets/search-ui.js", "/assets/analytics.js", "/assets/favicon.svg",
              "/search/manifest.js"]
    vocab = vocabulary(random.Random(3))
    queries = [" ".join(rng.sample(vocab, rng.choice((1, 1, 2, 3)))) for _ in range(3000)]
    queries += ["bob@example.com refund", "card 4111 1111 1111 1111", "call +44 20 7946 0958"]
    queries += [f"missing topic {i}" for i in range(400)]  # answered by nothing

    def beacon() -> str:
        kind = rng.random()
        q = quote(rng.choice(queries))
        if kind < 0.75:
            return f"e=search&q={q}&n={rng.choice((0, 0, 1, 3, 7))}&l=en&v=1"
        if kind < 0.95:
            return f"e=click&q={q}&u={rng.choice(urls)}&r={rng.randrange(1, 6)}&v=1"
        return f"e=vote&u={rng.choice(urls)}&h={rng.choice('01')}&v=1"

    written = 0
    with path.open("w", encoding="utf-8") as f:
        while written < size:
            chunk = []
            for _ in range(20000):
                ip, day, agent = rng.choice(ips), rng.choice(days), rng.choice(AGENTS)
                when = f"{day}:{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} +0000"
                r = rng.random()
                if r < 0.02:
                    target, status, size_b = f"/_kb/e.gif?{beacon()}", 200, 43
                elif r < 0.0202:
                    chunk.append('\x16\x03\x01 garbage from a TLS scanner "\n')
                    continue
                elif r < 0.45:
                    target, status, size_b = f"/{rng.choice(urls)}", rng.choice((200, 200, 200, 304)), 14213
                else:
                    target, status, size_b = rng.choice(assets), 200, 5120
                chunk.append(f'{ip} - - [{when}] "GET {target} HTTP/1.1" {status} {size_b} '
                             f'"https://help.example.com/" {agent}\n')
            text = "".join(chunk)
            f.write(text)
            written += len(text.encode())


def make_hostile_logs(work: Path) -> dict[str, Path]:
    """The inputs issue 17 measured: a gzip bomb of one line, one essay-long search, a million distinct searches."""
    logs = {"gzip-one-line": work / "one-line.log.gz", "query-120kb": work / "long-query.csv",
            "million-distinct": work / "million-distinct.log"}
    if not logs["gzip-one-line"].exists():
        good = f'203.0.113.9 - - [{dt.date.today():%d/%b/%Y}:10:00:00 +0000] "GET /_kb/e.gif?e=search&q=crypto&n=0' \
               f'&l=en&v=1 HTTP/1.1" 200 43 "-" "UA"\n'.encode()
        with gzip.open(logs["gzip-one-line"], "wb", compresslevel=9) as f:
            f.write(good)
            block = b"A" * 2**20
            for _ in range(1000):  # 1000 MiB without a line break: about 1 MB compressed
                f.write(block)
            f.write(b"\n" + good)
    if not logs["query-120kb"].exists():
        rng = random.Random(5)
        essay = " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 5))) + rng.choice("xqz")
                         for _ in range(20000))[: 120 * 1024]
        logs["query-120kb"].write_text(f'query,count,results\n"{essay}",3,0\ncrypto,2,0\n', encoding="utf-8")
    if not logs["million-distinct"].exists():
        day = f"{dt.date.today():%d/%b/%Y}"
        with logs["million-distinct"].open("w", encoding="utf-8") as f:
            for chunk in range(100):
                lines = []
                for i in range(chunk * 10_000, (chunk + 1) * 10_000):
                    words = []
                    while True:  # i written in syllables: a million different made-up searches
                        i, digit = divmod(i, len(SYLLABLES))
                        words.append(SYLLABLES[digit])
                        if not i:
                            break
                    q = quote("zq" + "".join(words) + " " + "".join(reversed(words)) + "x")
                    lines.append(f'203.0.113.9 - - [{day}:10:00:00 +0000] "GET /_kb/e.gif?e=search&q={q}&n=0&l=en'
                                 f'&v=1 HTTP/1.1" 200 43 "-" "UA"\n')
                f.write("".join(lines))
    return logs


def run_once(kb: Path, log: Path) -> tuple[float, float, int, dict]:
    """Wall seconds, CPU seconds, peak RSS in bytes (the child's own, from wait4) and the report's summary.

    CPU time is shown too: on a shared machine wall time also measures the neighbours."""
    out = tempfile.NamedTemporaryFile(suffix=".json", delete=False)
    out.close()
    start = time.perf_counter()
    proc = subprocess.Popen([str(KBGEN), "report", "--log", str(log), "--format", "json", "-o", out.name], cwd=kb)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"kbgen report failed with status {proc.returncode}")
    summary = json.loads(Path(out.name).read_text(encoding="utf-8"))["summary"]
    os.unlink(out.name)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, summary


def hostile(kb: Path, work: Path) -> None:
    print("writing the hostile logs (once) …", flush=True)
    figures = {}
    for name, log in make_hostile_logs(work).items():
        elapsed, cpu, peak, summary = run_once(kb, log)
        figures[name] = {"seconds": round(elapsed, 1), "peak_mib": round(peak / 2**20)}
        print(f"{name} ({log.stat().st_size / 2**20:.1f} MiB): {elapsed:.1f} s ({cpu:.1f} s CPU), peak "
              f"{peak / 2**20:.0f} MiB; {summary['searches']:,} searches; {len(summary['warnings'])} warning(s)",
              flush=True)
    print("targets: each within 5 s but the million distinct searches, which must stay in bounded memory")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument("--hostile", action="store_true", help="Time the hostile logs of issue 17 instead.")
    args = parser.parse_args()

    work = Path(tempfile.gettempdir()) / "kbgen-bench-report"
    kb = work / f"kb-{args.articles}"
    log = work / f"access-{args.size_mb}mb.log"
    if not kb.exists():
        print(f"making a {args.articles}-article KB in {kb} …", flush=True)
        urls = make_kb(kb, args.articles)
        (kb / "urls.json").write_text(json.dumps(urls))
    urls = json.loads((kb / "urls.json").read_text())
    if args.hostile:
        hostile(kb, work)
        return
    if not log.exists() or log.stat().st_size < args.size_mb * 2**20:
        print(f"writing a {args.size_mb} MB access log to {log} …", flush=True)
        start = time.perf_counter()
        make_log(log, args.size_mb * 2**20, urls)
        print(f"  {time.perf_counter() - start:.0f} s", flush=True)

    times, cpus, peaks = [], [], []
    for i in range(args.runs):
        elapsed, cpu, peak, summary = run_once(kb, log)
        times.append(elapsed)
        cpus.append(cpu)
        peaks.append(peak)
        print(f"run {i + 1}: {elapsed:.1f} s ({cpu:.1f} s CPU), peak {peak / 2**20:.0f} MiB", flush=True)
    result = {
        "log_bytes": log.stat().st_size, "lines": summary["lines_read"], "events": summary["events"],
        "page_views": summary["page_views"], "malformed": summary["malformed_lines"],
        "median_seconds": round(statistics.median(times), 2), "median_cpu_seconds": round(statistics.median(cpus), 2),
        "load_average": round(os.getloadavg()[0], 1), "median_peak_mib": round(
            statistics.median(peaks) / 2**20), "runs": len(times), "cpu": platform.processor() or platform.machine(),
        "mb_per_second": round(log.stat().st_size / 2**20 / statistics.median(times), 1),
    }
    print(f"\n{result['log_bytes'] / 2**30:.2f} GiB, {result['lines']:,} lines ({result['events']:,} events, "
          f"{result['page_views']:,} page views, {result['malformed']:,} malformed)")
    print(f"kbgen report: median {result['median_seconds']} s, {result['median_cpu_seconds']} s CPU "
          f"({result['mb_per_second']} MB/s, load average {result['load_average']}), "
          f"peak memory {result['median_peak_mib']} MiB   [targets: ≤ 30 s, < 300 MB]")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
