"""A site's pages handed out from both ends of one list, so two processes can render them together.

The build's own process takes pages from the front; the search export's process, once its index is written,
takes them from the back. Neither knows in advance how long its other work takes, so a fixed split would leave
one core idle while the other finishes; taking one page at a time from opposite ends, they meet wherever the
work runs out.
"""

from __future__ import annotations

import multiprocessing


class PageQueue:
    """Indices 0..count-1; `take_front` and `take_back` each hand out an index no one else has taken."""

    def __init__(self, count: int) -> None:
        self._ends = multiprocessing.Array("q", [0, count])  # shared memory and a lock, inherited by a fork
        self.count = count

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

    def taken_from_back(self) -> range:
        """The indices the back has taken so far."""
        with self._ends.get_lock():
            return range(self._ends[1], self.count)
