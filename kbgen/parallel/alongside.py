"""One job on the second core while this process goes on with its own work, and a last part of it that whichever
process is free first does.

The build's use: the search index is exported in a forked process, which writes it into the staged site, while
this one renders pages; the fragment files (a third of the search files) are written by the other process after
its index, unless this one, done with its pages, got to them first. If that process dies (killed, out of memory),
this one does its work when it asks for the result: the site is the same, later.
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
    """`job()` in a forked process when `size` makes it worth one, else here when `result()` asks; then `last()`,
    once, in whichever process is free first (the other one after its job, this one when it asks for the result).

    Use it as a context manager: leaving it early (an error, Ctrl-C) ends the other process at once; its job may
    be halfway through, and the caller is discarding that work anyway."""

    def __init__(self, job: Callable[[], T], size: int, last: Callable[[], object] = lambda: None) -> None:
        self._job, self._last = job, last
        self._result: T | None = None
        self._done = False
        self._process = None
        if helpers_for(size, WORTH_FROM, 1):
            self._last_taken = multiprocessing.Value("b", 0)  # shared memory and a lock, inherited by the fork
            self._receive, send = multiprocessing.Pipe(duplex=False)
            self._process = start(lambda: self._alongside(send), "kbgen-alongside")
            send.close()

    def _alongside(self, send) -> None:
        """In the other process: the job, the last part unless taken, and the job's result sent back."""
        off_for_good()
        fault_at("job", 0)
        result = self._job()
        if self._take_last():
            fault_at("last", 0)
            self._last()
        send.send(result)

    def _take_last(self) -> bool:
        with self._last_taken.get_lock():
            taken, self._last_taken.value = self._last_taken.value, 1
            return not taken

    def result(self) -> T:
        """The job's result, its last part done: by the other process, or here (no other process, or it died)."""
        if self._process is None:
            self._result = self._job()
            self._last()
            return self._result
        fault_at("result", 0)
        last_here = self._take_last()
        if last_here:
            self._last()
        if self._receive in wait([self._receive, self._process.sentinel]):
            try:
                self._result, self._done = self._receive.recv(), True
            except EOFError:  # died while sending
                pass
        self._end(stop=False)
        if not self._done:  # it died: its job, and its last part unless done here
            self._result = self._job()
            if not last_here:
                self._last()
        return self._result  # type: ignore[return-value]

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
