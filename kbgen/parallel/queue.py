"""Work handed out from both ends of one list, so processes can share it without knowing its cost in advance.

This process takes from the front; forked helpers take from the back (`kbgen.parallel.chunks`). Neither side
knows how long its items take, so a fixed split would leave one core idle while the other finishes; taking one
item at a time from opposite ends, they meet wherever the work runs out.
"""

from __future__ import annotations

import multiprocessing


class WorkQueue:
    """Indices 0..count-1; `take_front` and `take_back` each hand out an index no one else has taken. Made before
    a fork, so both processes share it."""

    def __init__(self, count: int) -> None:
        # front, back: shared memory and a lock, inherited by a fork
        self._ends = multiprocessing.Array("q", [0, count])

    def take_front(self) -> int | None:
        with self._ends.get_lock():
            front, back = self._ends[0], self._ends[1]
            if front >= back:
                return None
            self._ends[0] = front + 1
            return front

    def take_back(self) -> int | None:
        with self._ends.get_lock():
            front, back = self._ends[0], self._ends[1]
            if front >= back:
                return None
            self._ends[1] = back - 1
            return back - 1

    def close(self) -> None:
        """Hand out nothing more, from either end (the work is stopping)."""
        with self._ends.get_lock():
            self._ends[1] = self._ends[0]
