"""The build cache in `.kbgen/`: per-file results by content hash, and the stamp of the last good build.

Rendering Markdown is most of a build's work and depends only on a file's bytes and the render settings, so a
result is reused whenever both are unchanged. The stamp lets a build with no changed input at all return at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from kbgen import __version__
from kbgen.article import FileResult
from kbgen.markdown import RENDER_VERSION


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
        atomic_write(self.path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        for old in self.cache_dir.glob("render-*.pickle"):
            if old != self.path:
                old.unlink(missing_ok=True)


def settings_key(*parts: Any) -> str:
    h = hashlib.blake2b(digest_size=12)
    h.update(f"{__version__}:{RENDER_VERSION}".encode())
    for part in parts:
        h.update(repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def read_stamp(cache_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((cache_dir / "last-build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_stamp(cache_dir: Path, stamp: dict[str, Any]) -> None:
    atomic_write(cache_dir / "last-build.json", json.dumps(stamp).encode("utf-8"))


def clear_stamp(cache_dir: Path) -> None:
    (cache_dir / "last-build.json").unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def tree_fingerprint(folder: Path) -> list[list]:
    """(path, size, mtime) of every file below `folder`: cheap to take, and changes whenever any file does."""
    rows = []
    for dirpath, dirnames, files in os.walk(folder):
        dirnames.sort()
        for name in sorted(files):
            p = os.path.join(dirpath, name)
            st = os.stat(p)
            rows.append([os.path.relpath(p, folder), st.st_size, st.st_mtime_ns])
    return rows
