"""Each client's rate of events, capped: a token bucket per client, in memory only.

A client is its address hashed with a key made when the process starts (BLAKE2b, 8 bytes), so not even the
memory of the collector holds addresses; nothing of it is ever written. Idle clients are forgotten once more than
MAX_CLIENTS are known, so a flood of addresses cannot grow memory without bound.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time

MAX_CLIENTS = 100_000


class RateLimit:
    """At most `per_minute` events a minute per client, with bursts of up to that many; 0 turns the cap off."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._key = os.urandom(16)
        self._buckets: dict[bytes, tuple[float, float]] = {}  # client → (tokens, monotonic time)
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        if not self.per_minute:
            return True
        client = hashlib.blake2b(address.encode(), key=self._key, digest_size=8).digest()
        now = time.monotonic()
        rate = self.per_minute / 60
        with self._lock:
            tokens, then = self._buckets.get(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - then) * rate)
            allowed = tokens >= 1
            self._buckets[client] = (tokens - 1 if allowed else tokens, now)
            if len(self._buckets) > MAX_CLIENTS:
                self._forget_idle(now, rate)
        return allowed

    def _forget_idle(self, now: float, rate: float) -> None:
        """Drop clients whose bucket has filled up again (they have been quiet for a while), else the oldest half."""
        full = [c for c, (tokens, then) in self._buckets.items() if tokens + (now - then) * rate >= self.per_minute]
        for client in full or sorted(self._buckets, key=lambda c: self._buckets[c][1])[: len(self._buckets) // 2]:
            del self._buckets[client]
