"""One job on the second core while this process goes on with its own work.

The build's use: the search export is forked as soon as the site is placed, and writes the index into the staged
site while this process resolves links and renders pages. The one thing the export needs from the links stage (which
articles are linked to most, for "popular") is `give`n to it once known, and the job asks for it (`given()`) only at
its very end. If that process dies (killed, out of memory), this one does the job itself when it asks for the result:
the site is the same, later.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import wait
from typing import Any, Generic, TypeVar

from kbgen.parallel.collector import off_for_good
from kbgen.parallel.faults import at as fault_at
from kbgen.parallel.processes import helpers_for, start

T = TypeVar("T")

#: Below this size (the build's: articles) the job takes less time than starting a process for it.
WORTH_FROM = 300

_NOTHING = object()


class Alongside(Generic[T]):
    """`job(given)` in a forked process when `size` makes it worth one, else here when `result()` asks.

    `given()`, called by the job, returns what this process passed to `give(value)` (waiting for it in the other
    process); a job that never calls it needs no `give`. Use it as a context manager: leaving it early (an error,
    Ctrl-C) ends the other process at once; its job may be halfway through, and the caller is discarding that work
    anyway."""

    def __init__(self, job: Callable[[Callable[[], Any]], T], size: int) -> None:
        self._job = job
        self._value: Any = _NOTHING
        self._process = None
        if helpers_for(size, WORTH_FROM, 1):
            self._receive, send = multiprocessing.Pipe(duplex=False)
            self._later, self._give = multiprocessing.Pipe(duplex=False)
            self._process = start(lambda: self._alongside(send), "kbgen-alongside")
            send.close()
            self._later.close()

    def _alongside(self, send) -> None:
        """In the other process: the job, and its result sent back."""
        off_for_good()
        self._give.close()  # only the build's process gives: end-of-file here if it dies first
        fault_at("job", 0)
        send.send(self._job(self._received))

    def _received(self) -> Any:
        if self._value is _NOTHING:
            self._value = self._later.recv()
        return self._value

    def give(self, value: Any) -> None:
        """Hand `value` to the job (`given()`): sent to the other process now, kept here in case it is done here."""
        self._value = value
        if self._process is not None:
            try:
                self._give.send(value)
            except OSError:  # the other process is gone: `result()` does the job here
                pass

    def _here(self) -> Any:
        assert self._value is not _NOTHING, "the job asked for a value nobody gave it"
        return self._value

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
        return self._job(self._here)

    def _end(self, stop: bool) -> None:
        if self._process is not None:
            if stop:
                self._process.terminate()
            self._process.join()
            self._receive.close()
            self._give.close()
            self._process = None

    def __enter__(self) -> Alongside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._end(stop=True)
