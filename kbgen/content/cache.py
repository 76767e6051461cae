"""The render cache in `.kbgen/`: per-file results by content hash.

Rendering Markdown is most of a build's work and depends only on a file's bytes and the render settings, so a
result is reused whenever both are unchanged.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from kbgen.content.model import FileResult
from kbgen.output.freshness import atomic_write


class RenderCache:
    """`{digest: FileResult}` for one set of render settings, stored as a single file (one read, one write)."""

    def __init__(self, cache_dir: Path, settings_key: str) -> None:
        self.path = cache_dir / f"render-{settings_key}.pickle"
        self.cache_dir = cache_dir
        self.entries: dict[str, FileResult] = {}
        self.used: set[str] = set()
        self.changed = False
        try:
            with open(self.path, "rb") as f:
                self.entries = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            self.entries = {}

    def get(self, digest: str) -> FileResult | None:
        hit = self.entries.get(digest)
        if hit is not None:
            self.used.add(digest)
        return hit

    def put(self, digest: str, result: FileResult) -> None:
        self.entries[digest] = result
        self.used.add(digest)
        self.changed = True

    def save(self) -> None:
        """Keep only what this build used, so the cache never outgrows the content; drop other settings' files."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        kept = {k: v for k, v in self.entries.items() if k in self.used}
        # Pickled straight into the file: no copy of the whole cache in memory first (tens of MB on a big site).
        atomic_write(self.path, lambda f: pickle.dump(kept, f, protocol=pickle.HIGHEST_PROTOCOL))
        for old in self.cache_dir.glob("render-*.pickle"):
            if old != self.path:
                old.unlink(missing_ok=True)
