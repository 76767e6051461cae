"""The live preview's files besides pages (assets, search index, sitemap…), made only as far as requests need."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from kbgen.render.extras import Extra


class LazyExtras:
    """The files `site_extras` yields for one epoch, produced in order and only as far as a request needs."""

    #: One producer runs at a time: the search export keeps its state in one store under `.kbgen/`.
    _producing = threading.Lock()

    def __init__(self, producer: Iterator[Extra]) -> None:
        self._producer: Iterator[Extra] | None = producer
        self.files: dict[str, bytes | Path] = {}

    def get(self, path: str) -> bytes | Path | None:
        if path in self.files or self._producer is None:
            return self.files.get(path)
        with self._producing:
            while path not in self.files and self._producer is not None:
                try:
                    rel, data = next(self._producer)
                except StopIteration:
                    self._producer = None
                    break
                except BaseException:
                    self._producer = None
                    raise
                self.files.setdefault(rel, data)  # kbgen's own file first, as `kbgen.render.outputs` claims them
        return self.files.get(path)
