"""One job on the second core while this process goes on with its own work.

The build's use: the search export runs in a forked process, which writes the index into the staged site, while
this one renders pages. If that process dies (killed, out of memory), this one does the job itself when it asks
for the result: the site is the same, later.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import wait
from typing import Generic, TypeVar

from kbgen.parallel.collector import off_for_good
from kbgen.parallel.faults import at as fault_at
from kbgen.parallel.processes import helpers_for, start

T = TypeVar("T")

#: Below this size (the build's: articles) the job takes less time than starting a process for it.
WORTH_FROM = 300


class Alongside(Generic[T]):
    """`job()` in a forked process when `size` makes it worth one, else here when `result()` asks.

    Use it as a context manager: leaving it early (an error, Ctrl-C) ends the other process at once; its job may
    be halfway through, and the caller is discarding that work anyway."""

    def __init__(self, job: Callable[[], T], size: int) -> None:
        self._job = job
        self._process = None
        if helpers_for(size, WORTH_FROM, 1):
            self._receive, send = multiprocessing.Pipe(duplex=False)
            self._process = start(lambda: self._alongside(send), "kbgen-alongside")
            send.close()

    def _alongside(self, send) -> None:
        """In the other process: the job, and its result sent back."""
        off_for_good()
        fault_at("job", 0)
        send.send(self._job())

    def result(self) -> T:
        """The job's result: from the other process, or made here (no other process, or it died)."""
        if self._process is not None:
            if self._receive in wait([self._receive, self._process.sentinel]):
                try:
                    result = self._receive.recv()
                    self._end(stop=False)
                    return result
                except EOFError:  # died while sending
                    pass
            self._end(stop=False)
        return self._job()

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
        self._end(stop=True)
