"""A job on the second core while this process works, after which that process helps with this one's tasks.

The build's use: the search export runs in a forked process while this one renders pages; once the index is
written, that process renders pages too, from the back of the list, until the two meet (`WorkQueue`). If it dies
(killed, out of memory), this process does its job and the tasks it took again: the result is the same, later.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait
from typing import Generic, TypeVar

from kbgen.parallel.collector import off_for_good
from kbgen.parallel.faults import at as fault_at
from kbgen.parallel.processes import helpers_for, start
from kbgen.parallel.queue import WorkQueue

T = TypeVar("T")

#: Below this size (the build's: articles) the job takes less time than starting a process for it.
WORTH_FROM = 300


class Alongside(Generic[T]):
    """`job()` in a forked process when worth it (else here, when `result()` asks), then tasks 0..tasks-1 shared:
    this process takes them from the front through `tasks()`, the other one does `task(i)` from the back.

    Use it as a context manager: leaving it early (an error, Ctrl-C) ends the other process at once; the job may
    be halfway through its work, which the caller is then discarding anyway."""

    def __init__(self, job: Callable[[], T], size: int, tasks: int = 0,
                 task: Callable[[int], object] | None = None) -> None:
        self._job, self._task = job, task
        self._queue = WorkQueue(tasks)
        self._result: T | None = None
        self._done = False
        self._process = None
        if helpers_for(size, WORTH_FROM, 1):
            self._receive, send = multiprocessing.Pipe(duplex=False)
            self._process = start(lambda: self._alongside(send), "kbgen-alongside")
            send.close()

    def _alongside(self, send) -> None:
        """In the other process: the job, then tasks from the back, then the job's result sent back."""
        off_for_good()
        fault_at("job", 0)
        result = self._job()
        while (i := self._queue.take_back()) is not None:
            fault_at("task:back", i)
            assert self._task is not None
            self._task(i)
        send.send(result)

    def tasks(self) -> Iterator[int]:
        """The tasks for this process: from the front until the two ends meet, then, if the other process died,
        the ones it had taken."""
        while (i := self._queue.take_front()) is not None:
            fault_at("task:front", i)
            yield i
        self._wait()
        if not self._done:
            yield from self._queue.taken_from_back()

    def result(self) -> T:
        """The job's result: from the other process, or made here (no other process, or it died)."""
        self._wait()
        if not self._done:
            self._result, self._done = self._job(), True
        return self._result  # type: ignore[return-value]

    def _wait(self) -> None:
        if self._process is None:
            return
        if self._receive in wait([self._receive, self._process.sentinel]):
            try:
                self._result, self._done = self._receive.recv(), True
            except EOFError:  # died while sending
                pass
        self._end(stop=False)

    def _end(self, stop: bool) -> None:
        if self._process is not None:
            if stop:
                self._process.terminate()
            self._process.join()
            self._receive.close()
            self._process = None

    def __enter__(self) -> Alongside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.close()  # the other process takes no more tasks
        self._end(stop=True)
