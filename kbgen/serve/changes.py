"""Watch the content, the themes and the config with watchdog, and hand over each burst of changes once.

Saving a file is rarely one event: editors write a temp file and rename it over the original, or truncate and
write in pieces. Events are gathered until the files have been quiet for a moment (`QUIET`), so a save is
rebuilt once, from the finished file. The moment is short because it is paid on every save.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

#: Seconds without events that end a burst; an editor's save (write temp, rename) takes well under this.
QUIET = 0.015
#: A burst that never goes quiet (a `git checkout` of many files) is still handled after this long.
LONGEST = 0.5


@dataclass
class Batch:
    touched: set[Path] = field(default_factory=set)
    moves: list[tuple[Path, Path]] = field(default_factory=list)


class ChangeWatcher:
    """Calls `on_batch(batch)` on its own thread for every burst of changes under `folders` or to `file`."""

    def __init__(self, folders: list[Path], file: Path, on_batch: Callable[[Batch], None]) -> None:
        self.on_batch = on_batch
        self.file = file.absolute()
        self._pending = Batch()
        self._first = self._last = 0.0
        self._cond = threading.Condition()
        self._stopped = False
        self.observer = Observer()
        self._handler = _Handler(self)
        self._folders: list[Path] = []
        self._scheduled: set[Path] = set()
        if self.file.parent.is_dir():  # also sees a themes/ folder appear beside kbgen.yml
            self.observer.schedule(self._handler, str(self.file.parent), recursive=False)
        self.watch(folders)
        self._thread = threading.Thread(target=self._run, name="kbgen-changes", daemon=True)

    def watch(self, folders: list[Path]) -> None:
        """Watch `folders` too; one that does not exist yet is taken up by a later call, once it does."""
        for folder in (f.absolute() for f in folders):
            if folder not in self._folders:
                self._folders.append(folder)
            if folder not in self._scheduled and folder.is_dir():
                self.observer.schedule(self._handler, str(folder), recursive=True)
                self._scheduled.add(folder)

    def start(self) -> ChangeWatcher:
        self.observer.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self.observer.stop()
        self.observer.join(timeout=2)

    def _relevant(self, path: Path) -> bool:
        return path == self.file or any(path.is_relative_to(f) for f in self._folders)

    def add(self, event: FileSystemEvent) -> None:
        paths = [Path(str(event.src_path))]
        if event.event_type == "moved":
            paths.append(Path(str(event.dest_path)))
        elif event.event_type in ("opened", "closed_no_write") or (
                event.is_directory and event.event_type == "modified"):
            return  # reading a file changes nothing; a folder is "modified" whenever a file in it is saved
        paths = [p for p in paths if self._relevant(p)]
        if not paths:
            return
        with self._cond:
            now = time.monotonic()
            if not self._pending.touched:
                self._first = now
            self._last = now
            self._pending.touched.update(paths)
            if event.event_type == "moved" and not event.is_directory and len(paths) == 2:
                self._pending.moves.append((paths[0], paths[-1]))
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending.touched or self._stopped)
                if self._stopped:
                    return
                while not self._stopped:
                    now = time.monotonic()
                    left = min(self._last + QUIET, self._first + LONGEST) - now
                    if left <= 0:
                        break
                    self._cond.wait(left)
                batch, self._pending = self._pending, Batch()
            try:
                self.on_batch(batch)
            except Exception:  # the watcher must outlive any one bad rebuild
                traceback.print_exc()


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: ChangeWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.watcher.add(event)
