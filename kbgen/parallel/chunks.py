"""One function over many items, on every core: this process takes chunks from the front, forked helpers from
the back, and whoever is free takes the next.

A helper drops each finished chunk into a file instead of a pipe: sending megabytes through a pipe needs this
process's attention (its interpreter lock) for every 64 KiB, and this process is busy with its own chunks, so the
helper would wait. A chunk's file appears under its final name only when complete; chunks a helper took but
never dropped (it died: killed, out of memory) are done here. Only the helpers' results are pickled, about half of
them on two cores.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from kbgen.output.locks import LOAD_DROP, WorkFolder
from kbgen.parallel.faults import at as fault_at
from kbgen.parallel.processes import helpers_for, start
from kbgen.parallel.queue import WorkQueue

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items, helper processes cost more than they save.
WORTH_FROM = 64


def map_chunks(items: list[T], work: Callable[[T], R], size: Callable[[T], int],
               work_dir: Path | None) -> Iterator[R]:
    """`work(item)` for every item, in no particular order (each result should say which item it is for).

    `size(item)` is the item's expected cost (its bytes, say), used to cut chunks of equal cost. Helpers drop
    their chunks in a marked, locked work folder inside `work_dir` (the project's `.kbgen/`: a run killed midway
    leaves nothing outside the project, and the next build removes what it left, `kbgen.output.locks`), or in a
    temporary folder without one (`kbgen check` writes nothing into the project) or when it cannot be written."""
    helpers = helpers_for(len(items), WORTH_FROM, len(items))
    if not helpers:
        for item in items:
            yield work(item)
        return
    chunks = _balanced_chunks(items, size, helpers + 1)
    queue = WorkQueue(len(chunks))
    delivered = [False] * len(chunks)
    with _drop_folder(work_dir) as drop:

        def from_the_back() -> None:  # in each helper, which finds everything here as it was at the fork
            while (c := queue.take_back()) is not None:
                fault_at("chunk:back", c)
                partial = os.path.join(drop, f"{c}.partial")
                with open(partial, "wb") as f:
                    pickle.dump([work(item) for item in chunks[c]], f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(partial, os.path.join(drop, f"{c}.pickle"))

        started = [start(from_the_back, "kbgen-map") for _ in range(helpers)]
        try:
            while (c := queue.take_front()) is not None:
                fault_at("chunk:front", c)
                delivered[c] = True
                for item in chunks[c]:
                    yield work(item)
                yield from _collect(drop, delivered)  # between own chunks: what the helpers have finished
            for process in started:
                process.join()
            yield from _collect(drop, delivered)
            for c, chunk in enumerate(chunks):  # taken by a helper that died
                if not delivered[c]:
                    for item in chunk:
                        yield work(item)
        finally:
            queue.close()
            for process in started:
                if process.is_alive():
                    process.terminate()
                process.join()


@contextmanager
def _drop_folder(work_dir: Path | None) -> Iterator[str]:
    try:
        if work_dir is None:
            raise PermissionError("nothing is written into the project")
        work_dir.mkdir(parents=True, exist_ok=True)
        work = WorkFolder(work_dir / LOAD_DROP)
    except OSError:
        with tempfile.TemporaryDirectory(prefix="kbgen-load-") as drop:
            yield drop
        return
    try:
        yield str(work.path)
    finally:
        work.remove()


def _collect(drop: str, delivered: list[bool]) -> Iterator:
    """The results of every chunk a helper has finished and this process has not read yet."""
    for name in sorted(os.listdir(drop)):
        if not name.endswith(".pickle"):
            continue  # still being written
        path = os.path.join(drop, name)
        with open(path, "rb") as f:
            results = pickle.load(f)
        os.unlink(path)
        delivered[int(name.removesuffix(".pickle"))] = True
        yield from results


def _balanced_chunks(items: list[T], size: Callable[[T], int], workers: int) -> list[list[T]]:
    """Largest items first, in many small chunks of about equal cost: whoever is free takes the next chunk, so
    the processes finish together instead of one idling while another does a last chunk of big items."""
    order = sorted(items, key=lambda item: -size(item))
    target = max(1, sum(size(item) for item in items) // (workers * 24))
    chunks: list[list[T]] = [[]]
    total = 0
    for item in order:
        if total >= target:
            chunks.append([])
            total = 0
        chunks[-1].append(item)
        total += size(item)
    return chunks
