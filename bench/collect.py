#!/usr/bin/env python3
"""`kbgen collect` under load, and `kbgen report` on a one-million-event store.

Not part of the test suite. Two measurements (issue 21):

    .venv/bin/python bench/collect.py load      # 50,000 beacons from 20 concurrent clients on 127.0.0.1
    .venv/bin/python bench/collect.py report    # a 1,000,000-event store reported (store made once, reused)

`load` starts a real `kbgen collect` with its rate cap above the offered load (every client is 127.0.0.1, one
client to the cap), sends the beacons from 20 processes over keep-alive connections, samples the collector's
resident memory every 0.2 s, then checks the store: every event answered 200 stored exactly once, nothing else.
It also sends oversized and malformed requests and checks they get 4xx and are not stored.
Targets: no error response, memory flat, each accepted event stored once.

`report` writes a store of 1,000,000 events over 90 days (searches from a 20,000-search vocabulary, clicks,
votes) under $TMPDIR/kbgen-bench-collect/, and times `kbgen report --format json --log events.sqlite` on a
300-article KB. Targets: at most 10 s and under 300 MB peak memory. Standard library only.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))
from report import make_kb, run_once  # noqa: E402 - the report bench's KB and its measured run

sys.path.insert(0, str(Path(__file__).parent.parent))
from kbgen.events import store as eventstore  # noqa: E402

KBGEN = Path(sys.executable).with_name("kbgen")
WORK = Path(tempfile.gettempdir()) / "kbgen-bench-collect"


def start_collector(db: Path, *args: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([str(KBGEN), "collect", "--db", str(db), "--port", "0", *args], stderr=subprocess.PIPE,
                            text=True)
    port = int(re.search(r"127\.0\.0\.1:(\d+)/", proc.stderr.readline()).group(1))
    threading.Thread(target=lambda: sys.stderr.writelines(proc.stderr), daemon=True).start()  # never a full pipe
    return proc, port


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def client(args: tuple[int, int, int]) -> tuple[list[float], dict[int, int], list[str]]:
    """One client: `count` beacons over one keep-alive connection; (latencies, statuses, queries answered 200)."""
    port, number, count = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, statuses, accepted = [], {}, []
    for i in range(count):
        q = f"client{number} search {i}"
        start = time.perf_counter()
        conn.request("GET", f"/_kb/e.gif?e=search&q={quote(q)}&n={i % 3}&l=en&v=1")
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.status == 200:
            accepted.append(q)
    conn.close()
    return latencies, statuses, accepted


def load(beacons: int, clients: int) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / "load.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    proc, port = start_collector(db, "--rate", str(beacons * 10), "--threads", "8")
    memory: list[float] = []
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            memory.append(rss_mib(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    print(f"load: {beacons:,} beacons from {clients} clients …", flush=True)
    start = time.perf_counter()
    with multiprocessing.Pool(clients) as pool:
        results = pool.map(client, [(port, n, beacons // clients) for n in range(clients)])
    elapsed = time.perf_counter() - start
    sampling.set()
    sampler.join()

    bad = {"oversized query": f"/_kb/e.gif?e=search&q={'a' * 3000}&n=0&l=en&v=1", "malformed": "/_kb/e.gif?e=x&v=1",
           "not a number": "/_kb/e.gif?e=search&q=x&n=lots&l=en&v=1"}
    refused = {}
    for name, target in bad.items():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", target)
        refused[name] = conn.getresponse().status
        conn.close()
    proc.terminate()
    proc.wait(timeout=60)

    latencies = sorted(x for r in results for x in r[0])
    statuses: dict[int, int] = {}
    for r in results:
        for status, n in r[1].items():
            statuses[status] = statuses.get(status, 0) + n
    accepted = [q for r in results for q in r[2]]
    with sqlite3.connect(db) as conn:
        stored = [row[0] for row in conn.execute("SELECT q FROM events")]
    print(f"  {len(latencies) / elapsed:,.0f} events/s; latency p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms, max {latencies[-1] * 1000:.0f} ms")
    print(f"  responses: {statuses}; refused: {refused}")
    third = max(len(memory) // 3, 1)
    print(f"  collector memory (RSS): first third max {max(memory[:third]):.1f} MiB, last third max "
          f"{max(memory[-third:]):.1f} MiB, overall max {max(memory):.1f} MiB ({len(memory)} samples)")
    print(f"  stored {len(stored):,}, accepted {len(accepted):,}, distinct stored {len(set(stored)):,}; "
          f"every accepted stored once: {sorted(stored) == sorted(accepted)}")
    print(f"  load average: {os.getloadavg()}")


def make_store(path: Path, events: int) -> None:
    rng = random.Random(21)
    words = [w for w in (Path(__file__).parent / "report.py").read_text().split() if w.isalpha()][:400]
    searches = [" ".join(rng.sample(words, rng.randrange(1, 4))) for _ in range(20_000)]
    urls = [f"topic{i}/article-{j}/" for i in range(10) for j in range(30)]
    today = int(time.time()) // 86400
    conn = eventstore.open_for_writing(path, 4 << 30)
    conn.execute("PRAGMA synchronous=OFF")  # making the bench's input, not measuring it
    batch = []
    for i in range(events):
        when = (today - rng.randrange(90)) * 86400 + rng.randrange(86400)
        kind = rng.random()
        q = searches[min(int(rng.paretovariate(1.2)) - 1, len(searches) - 1) if kind < 0.5 else rng.randrange(
            len(searches))]
        if kind < 0.8:
            event = {"e": "search", "q": q, "n": rng.choice((0, 0, 1, 3, 7)), "l": "en"}
        elif kind < 0.95:
            event = {"e": "click", "q": q, "u": rng.choice(urls), "r": rng.randrange(1, 6)}
        else:
            event = {"e": "vote", "u": rng.choice(urls), "h": rng.random() < 0.7}
        batch.append((when, event))
        if len(batch) == 50_000 or i == events - 1:
            eventstore.append(conn, batch)
            batch = []
    conn.close()


def report(events: int, runs: int) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    store = WORK / f"store-{events}.sqlite"
    if not store.exists():
        print(f"writing a {events:,}-event store (once) …", flush=True)
        make_store(store, events)
    kb = WORK / "kb"
    if not (kb / "content").exists():
        make_kb(kb, 300)
    print(f"store: {store.stat().st_size / 2**20:.0f} MiB; {runs} runs", flush=True)
    figures = []
    for _ in range(runs):
        elapsed, cpu, peak, summary = run_once(kb, store)
        figures.append((elapsed, cpu, peak))
        print(f"  {elapsed:.1f} s ({cpu:.1f} s CPU), peak {peak / 2**20:.0f} MiB; {summary['events']:,} events, "
              f"{summary['searches']:,} searches", flush=True)
    print(f"median {statistics.median(f[0] for f in figures):.1f} s, peak {max(f[2] for f in figures) / 2**20:.0f} "
          f"MiB (targets: 10 s, 300 MB); load average {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["load", "report"])
    parser.add_argument("--beacons", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.what == "load":
        load(args.beacons, args.clients)
    else:
        report(args.events, args.runs)


if __name__ == "__main__":
    main()
