"""Keep Python's cycle collector off the loaded site while a build renders it.

A loaded site is hundreds of thousands of objects that live until the build ends. Left alone, the collector
walks all of them again and again while pages render (a tenth of a cold build's time on a big site). Freezing
them after loading moves them out of its sight; leaving `collector_spared` unfreezes them, so a process that
builds many times (the tests, `kbgen search`) frees each build's site as before.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_spared() -> Iterator[Callable[[], None]]:
    """Yields `freeze()`: call it once what is loaded will live until the end; thawed on the way out."""
    frozen = False
    threshold = gc.get_threshold()
    _skip_the_last_collection()

    def freeze() -> None:
        nonlocal frozen
        if gc.isenabled() and not frozen:
            gc.freeze()
            frozen = True

    # Fewer young-generation passes while loading, when almost everything allocated survives anyway.
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield freeze
    finally:
        gc.set_threshold(*threshold)
        if frozen:
            gc.unfreeze()


def _skip_the_last_collection() -> None:
    """At exit, Python walks every object left for one last collection; a process about to end has nothing to gain
    from it (a tenth of a second after a big build). Registered once; runs only when the process ends."""
    if not getattr(_skip_the_last_collection, "registered", False):
        atexit.register(gc.freeze)
        _skip_the_last_collection.registered = True  # type: ignore[attr-defined]


def off_for_good() -> None:
    """In a helper that ends with `os._exit` (which frees nothing): no cycle collection at all. Turned on again
    after its work, the collector's first pass would walk every object that work made (a fifth of a second for
    ru-doka's search export) for nothing."""
    gc.disable()
