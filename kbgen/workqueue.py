"""Work handed out from both ends of one list, so processes can share it without knowing its cost in advance.

The build's own process takes from the front; forked helpers take from the back: while loading, a helper that
renders Markdown; while writing pages, the search export's process once its index is written. Neither side knows
how long its items (or its other work) take, so a fixed split would leave one core idle while the other finishes;
taking one item at a time from opposite ends, they meet wherever the work runs out.
"""

from __future__ import annotations

import multiprocessing
import os
import threading


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


class Claim:
    """A job either process may do, done once: `take()` is True for the first process to ask, False after.

    For the end of a build's pages stage, where what is left (the render cache, the search fragments) is best done
    by whichever process is free first."""

    def __init__(self) -> None:
        self._taken = multiprocessing.Value("b", 0)  # shared memory and a lock, inherited by a fork

    def take(self) -> bool:
        with self._taken.get_lock():
            taken, self._taken.value = self._taken.value, 1
            return not taken


def exit_with_parent() -> None:
    """A forked helper's `initializer`: end this helper as soon as the process that forked it is gone.

    Killed alone (`kill -9`, the out-of-memory killer), the build's process leaves its helpers waiting for work on a
    queue only it could feed: they would wait forever (issue 17). So each helper watches its parent's sentinel, the
    read end of a pipe whose only writer is the parent (`multiprocessing.parent_process()`), and exits when it reads
    end-of-file. Chosen over Linux's `prctl(PR_SET_PDEATHSIG)`: that fires when the parent *thread* that forked ends,
    which the live preview's threads would trigger, needs ctypes, and exists on Linux only; the sentinel works
    wherever fork does. The watcher needs the interpreter lock to act, so a helper inside one long C call ends when
    the call returns, well within a second for anything kbgen does."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent,), name="kbgen-exit-with-parent", daemon=True).start()


def _exit_when_gone(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns once the pipe reports end-of-file: the parent has exited, however it ended
    os._exit(1)
