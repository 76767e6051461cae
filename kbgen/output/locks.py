"""Builds side by side: one build of a project at a time, and work folders no one removes while they are in use.

Two builds of one site at once used to fail on each other's temporary files (a fixed `index.zip.tmp`, the swap
of the output folder): in 9 of 14 rounds (issue 17). Now a build holds an exclusive lock on `.kbgen/build.lock`
from the moment it has read the config until it ends, and a second build waits for it (then usually finds the
site up to date). A lock rather than unique names everywhere: the two builds would still race to swap the same
output folder, and the second would replace the first's result with the same pages for nothing.

A build writes its site into a work folder beside the output (`.site.kbgen-…`) that holds a locked file,
`.kbgen-work`. A build killed midway leaves its work folder behind; the next build removes every such folder whose
lock no living process holds. The lock is `flock(2)`: the kernel drops it when the last process holding it ends,
however it ends, and a pid written into the file could have been reused by then.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: builds are not serialised, and leftovers are never removed (nothing proves them free)
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "build.lock"
#: In the cache folder: the load helpers' work folders are `.load.kbgen-…` there (`kbgen.parallel.chunks`).
LOAD_DROP = "load"
#: The locked file inside a work folder: proves the folder is kbgen's, and whether its build is still running.
WORK_MARKER = ".kbgen-work"


@contextmanager
def build_lock(cache_dir: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold the project's build lock, calling `waiting()` first if another build holds it. Forked helpers inherit
    the lock and keep it while they live; they end with the build (`kbgen.parallel.processes`)."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:  # a read-only project: this build cannot write its cache either, so it races no one there
        yield
        return
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting()
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # and with it the lock


class WorkFolder:
    """A folder beside the output that this build works in, marked and locked until `remove()`."""

    def __init__(self, out: Path) -> None:
        import tempfile

        self.path = Path(tempfile.mkdtemp(prefix=f".{out.name}.kbgen-", dir=out.parent))
        self._fd: int | None = os.open(self.path / WORK_MARKER, os.O_RDWR | os.O_CREAT, 0o666)
        if fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        os.write(self._fd, f"work folder of the kbgen build of process {os.getpid()}; the next build removes it "
                           "once that build has ended\n".encode())

    def remove(self) -> None:
        """Remove the folder and release its lock (again: nothing)."""
        if self._fd is not None:
            _remove_marked(self.path)
            os.close(self._fd)
            self._fd = None


def remove_leftovers(out: Path) -> list[Path]:
    """Remove the work folders that killed builds left beside `out`; return them. A folder is removed only when
    its name is a work folder's, it holds the marker, and no living process holds the marker's lock."""
    removed = []
    if fcntl is None or not out.parent.is_dir():
        return removed
    for candidate in out.parent.glob(f".{out.name}.kbgen-*"):
        if candidate.is_symlink() or not candidate.is_dir():
            continue
        try:
            fd = os.open(candidate / WORK_MARKER, os.O_RDWR)
        except OSError:  # no marker: not provably kbgen's, or not ours to open
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a build that is still running
            os.close(fd)
            continue
        try:
            _remove_marked(candidate)
        finally:
            os.close(fd)
        removed.append(candidate)
    return removed


def _remove_marked(folder: Path) -> None:
    """Remove `folder`, its marker last: a removal cut short still leaves a folder the next build recognises."""
    import shutil  # here, not at the top: a rebuild that finds nothing to do removes nothing

    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name == WORK_MARKER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    pass
    try:
        os.unlink(folder / WORK_MARKER)
        os.rmdir(folder)
    except OSError:
        pass
