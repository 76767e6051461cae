"""A progress bar that appears only when a build takes longer than a second, and only on a terminal.

Short builds stay silent (a flashing bar is noise); long ones show that work is happening.
"""

from __future__ import annotations

import sys
import time
from typing import Any

DELAY_SECONDS = 1.0


class LazyProgress:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.started = time.perf_counter()
        self.progress: Any = None
        self.tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or time.perf_counter() - self.started < DELAY_SECONDS:
            return
        if self.progress is None:
            # Imported here: most builds never show a bar, and rich costs start-up time.
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.progress.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
