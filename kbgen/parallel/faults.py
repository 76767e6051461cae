"""The executor's fault hook: how tests make parallel work slow, or make a helper process die, at a known point.

The executor calls `at(event, index)` each time a process takes work; a test installs a hook with `fault_hook`
and decides there what happens (sleep, note which process took what, `os._exit` as a helper the out-of-memory
killer ends). Events, each with the index of the item taken:

- `chunk:front` / `chunk:back`: a chunk of `map_chunks`, taken by this process / by a helper;
- `job`: the process `Alongside` started begins its job (index 0).

A forked helper inherits the hook installed when it was started. Nothing is called when no hook is installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Hook = Callable[[str, int], None]

_hook: Hook | None = None


@contextmanager
def fault_hook(hook: Hook) -> Iterator[None]:
    """Call `hook(event, index)` at every event above while inside."""
    global _hook
    before, _hook = _hook, hook
    try:
        yield
    finally:
        _hook = before


def at(event: str, index: int) -> None:
    if _hook is not None:
        _hook(event, index)
