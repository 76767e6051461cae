#!/usr/bin/env python3
"""A/B: is a change to the build faster? Cold builds of two source trees, alternated run by run.

The machines we measure on drift by tens of per cent within minutes, so two benchmarks taken one after the other
say little about a change of a few per cent. Here the two trees take turns (A B, B A, A B, …) and each pair is
compared as a ratio, so a slow minute slows both sides of a pair; the median of those ratios is the answer.
Peak memory is compared the same way, two ways: the resident set of a build's largest process (`wait4`), and the
peak of the proportional set size (PSS, /proc/PID/smaps_rollup) summed over the build and its helpers, sampled every
20 ms. PSS is the one to trust: a forked helper's resident set counts every page it shares with its parent.
Anything under about 5 % stayed within the noise on a 2-CPU VM with 8–16 pairs.

    git worktree add /tmp/before HEAD~1
    .venv/bin/python bench/ab.py /tmp/before . --pairs 12 --work /var/tmp/kbgen-ab
    .venv/bin/python bench/ab.py /tmp/before . --corpus ../shared/corpora/npl/articles
    .venv/bin/python bench/ab.py /tmp/before . --corpus ../shared/corpora/en-cpp-docs/articles --config kb.yml

Each build runs `python -m kbgen build` with the tree first on PYTHONPATH, into a fresh folder under --work
(tmpfs by default: this measures the build, not the disk). Give a --work on disk to measure the disk too, as
bench/build.py does: like it, the folders are kept until the end and synced after each build, because on some file
systems (ext4 without a journal) files created within a minute of many deletions cost far more. Not part of the
test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants, as /proc lists them now."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            return sum(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except (OSError, ValueError):
        return 0


class PeakPss:
    """The peak of the PSS summed over a process and its descendants, sampled on a thread until `stop()`."""

    def __init__(self, pid: int) -> None:
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(pid,), daemon=True)
        self._thread.start()

    def _sample(self, pid: int) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, sum(_pss_kib(p) for p in _tree(pid)))

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def build_once(tree: Path, corpus: Path, work: Path, config: Path | None = None) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds of the build and its helpers, peak resident KiB of its largest process, peak
    summed PSS KiB) of one cold build in `work`, a new folder, with `config` as its kbgen.yml if given."""
    work.mkdir(parents=True)
    if config:  # a copy: the project (and its render cache, .kbgen/) is the folder of its kbgen.yml
        shutil.copyfile(config, work / "kbgen.yml")
    env = dict(os.environ, PYTHONPATH=str(tree))
    command = [sys.executable, "-m", "kbgen", "build", "--content", str(corpus), "--out", str(work / "site"),
               "--quiet"]
    start = time.perf_counter()
    with open(work / "build.log", "w+", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=log)
        pss = PeakPss(process.pid)
        _, status, usage = os.wait4(process.pid, 0)  # its own usage, helpers included: no other build's
        peak_pss = pss.stop()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            log.seek(0)
            sys.exit(f"build with {tree} failed:\n{log.read()[-2000:]}")
    os.sync()  # its writes reach the disk now, not during the next build
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, peak_pss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="source tree A (holds kbgen/)")
    parser.add_argument("b", type=Path, help="source tree B")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared/corpora/ru-doka/articles")
    parser.add_argument("--config", type=Path, help="kbgen.yml for both builds (en-cpp-docs needs the "
                        "external_sites of issue 17 and `severity: {broken-link: warning}`)")
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/kbgen-ab" if Path("/dev/shm").is_dir()
                                                            else "/tmp/kbgen-ab"))
    args = parser.parse_args()
    print(f"load average at the start: {os.getloadavg()[0]:.2f}", flush=True)
    trees = [args.a.resolve(), args.b.resolve()]
    runs: dict[Path, list[tuple[float, float, int, int]]] = {t: [] for t in trees}
    shutil.rmtree(args.work, ignore_errors=True)
    for pair in range(args.pairs):
        for tree in trees if pair % 2 == 0 else trees[::-1]:
            work = args.work / str(sum(map(len, runs.values())))
            runs[tree].append(build_once(tree, args.corpus.resolve(), work, args.config and args.config.resolve()))
        a, b = runs[trees[0]][-1], runs[trees[1]][-1]
        print(f"pair {pair + 1}: B/A wall {b[0] / a[0]:.3f}, CPU {b[1] / a[1]:.3f}, peak {b[2] / a[2]:.3f}, "
              f"PSS {b[3] / a[3]:.3f}", flush=True)
    shutil.rmtree(args.work, ignore_errors=True)
    for label, tree in zip("AB", trees, strict=True):
        wall = [r[0] for r in runs[tree]]
        cpu = [r[1] for r in runs[tree]]
        peak = [r[2] for r in runs[tree]]
        pss = [r[3] for r in runs[tree]]
        print(f"{label} {tree}: wall median {statistics.median(wall):.2f} s (min {min(wall):.2f}), "
              f"CPU median {statistics.median(cpu):.2f} s, peak memory median {statistics.median(peak) / 1024:.0f} MiB "
              f"(max {max(peak) / 1024:.0f}), "
              f"summed PSS median {statistics.median(pss) / 1024:.0f} MiB (max {max(pss) / 1024:.0f})")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    pairs = list(zip(runs[trees[0]], runs[trees[1]], strict=True))
    wall_ratio = statistics.median(b[0] / a[0] for a, b in pairs)
    cpu_ratio = statistics.median(b[1] / a[1] for a, b in pairs)
    peak_ratio = statistics.median(b[2] / a[2] for a, b in pairs)
    pss_ratio = statistics.median(b[3] / a[3] for a, b in pairs)
    print(f"B/A, median of {len(pairs)} paired ratios: wall {wall_ratio:.3f}, CPU {cpu_ratio:.3f}, "
          f"peak memory {peak_ratio:.3f}, peak summed PSS {pss_ratio:.3f}")


if __name__ == "__main__":
    main()
