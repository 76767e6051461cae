"""One thread writes the store: requests queue their event and wait until the transaction holding it commits.

Committing a batch of whatever arrived meanwhile (group commit) gives every event the durability of its own
`fsync` at the cost of one per batch, so twenty clients at once do not wait on twenty disk flushes.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Any

from kbgen.events.store import append

MAX_BATCH = 512
MAX_QUEUED = 10_000


@dataclass
class _Pending:
    when: float
    event: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)
    stored: bool = False


class Writer:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._queue: queue.Queue[_Pending | None] = queue.Queue(MAX_QUEUED)
        self._thread = threading.Thread(target=self._run, name="kbgen-collect-writer", daemon=True)
        self.stored = 0
        self.failed = 0

    def start(self) -> Writer:
        self._thread.start()
        return self

    def store(self, when: float, event: dict[str, Any], timeout: float = 10.0) -> bool:
        """Queue the event and wait for its commit; False when it was not stored (store full, queue jammed)."""
        pending = _Pending(when, event)
        try:
            self._queue.put(pending, timeout=timeout)
        except queue.Full:
            return False
        return pending.done.wait(timeout) and pending.stored

    def stop(self) -> None:
        """Commit what is queued, then close the store."""
        self._queue.put(None)
        self._thread.join()
        self._conn.close()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if None in batch:
                stopping = True
                batch = [p for p in batch if p is not None]
            self._commit(batch)  # type: ignore[arg-type]

    def _commit(self, batch: list[_Pending]) -> None:
        if not batch:
            return
        try:
            append(self._conn, [(p.when, p.event) for p in batch])
            ok = True
        except sqlite3.Error:  # the store reached --max-db-mb, or the disk is full
            ok = False
        for p in batch:
            p.stored = ok
            p.done.set()
        if ok:
            self.stored += len(batch)
        else:
            self.failed += len(batch)
