"""Forked helper processes: started, watched, ended. The one place kbgen forks.

Helpers are forked (never spawned): a helper sees the loaded site as it is, so nothing but results is sent between
processes. Where fork is unavailable (Windows) or there is one core, the executor does the work in this process
instead, and the stages cannot tell the difference.

`KBGEN_PARALLEL` decides when helpers are used: `auto` (the default: when the work is big enough to pay for a
process), `always` (any size, for tests of the parallel paths) or `never` (one process).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess

_FORK = "fork" in multiprocessing.get_all_start_methods()


def helpers_for(size: int, worth_from: int, most: int) -> int:
    """How many helper processes work of `size` items gets: none below `worth_from` items (starting a process
    costs more than it saves), without fork, or on one core; else up to `most`, one per other core."""
    mode = os.environ.get("KBGEN_PARALLEL", "auto")
    if mode == "never" or not _FORK:
        return 0
    cores = max((os.cpu_count() or 1) - 1, 1 if mode == "always" else 0)
    if mode != "always" and size < worth_from:
        return 0
    return min(cores, most)


def start(target: Callable[[], object], name: str) -> BaseProcess:
    """Fork a helper running `target()`; it ends with this process however this one ends (`_exit_with_parent`)."""
    process = multiprocessing.get_context("fork").Process(target=_run, args=(target,), name=name, daemon=True)
    process.start()
    return process


def running() -> int:
    """How many helpers of this process are alive: none once a build is over, whatever happened to it."""
    return len(multiprocessing.active_children())


def _run(target: Callable[[], object]) -> None:
    _exit_with_parent()
    try:
        target()
    except BaseException:  # Ctrl-C, a template error, a bug: the build's process redoes this work and meets the
        os._exit(1)  # same failure, which it reports once; a helper's traceback would only repeat it


def _exit_with_parent() -> None:
    """End this helper as soon as the process that forked it is gone.

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


def _exit_when_gone(parent: BaseProcess) -> None:
    parent.join()  # returns once the pipe reports end-of-file: the parent has exited, however it ended
    os._exit(1)
