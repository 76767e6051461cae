"""Work handed out from both ends of one list, so processes can share it without knowing its cost in advance.

This process takes from the front; forked helpers take from the back (`kbgen.parallel.chunks`,
`kbgen.parallel.alongside`). Neither side knows how long its items (or its other work) take, so a fixed split
would leave one core idle while the other finishes; taking one item at a time from opposite ends, they meet
wherever the work runs out.
"""

from __future__ import annotations

import multiprocessing


class WorkQueue:
    """Indices 0..count-1; `take_front` and `take_back` each hand out an index no one else has taken.

    A queue can be made before its count is known (and before a fork, so both processes share it) and `open`ed
    later; until then it hands out nothing."""

    def __init__(self, count: int = 0) -> None:
        # front, back, count, closed: shared memory and a lock, inherited by a fork
        self._ends = multiprocessing.Array("q", [0, count, count, 0])

    def open(self, count: int) -> None:
        """Hand out 0..count-1 from now on (unless the queue was closed)."""
        with self._ends.get_lock():
            if not self._ends[3]:
                self._ends[1] = self._ends[2] = count

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

    def left(self) -> bool:
        """Whether any index is still to be handed out."""
        with self._ends.get_lock():
            return self._ends[0] < self._ends[1]

    def taken_from_back(self) -> range:
        """The indices the back has taken so far."""
        with self._ends.get_lock():
            return range(self._ends[1], self._ends[2])

    def close(self) -> None:
        """Hand out nothing more, from either end (the build is stopping)."""
        with self._ends.get_lock():
            self._ends[1] = self._ends[0]
            self._ends[3] = 1  # and `open` no longer opens it
