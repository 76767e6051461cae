"""What the last build wrote, file by file: what lets a rebuild link an unchanged file instead of writing it again.

Kept in `.kbgen/written.pickle` beside the stamp after every build that replaced the site: for each file of the
site, its size, modification time and inode as the build left them (a file changed since is never reused) and
what it was made from, as its maker put it (`kbgen.render.fingerprints`: a digest of a page's
inputs and the note of which articles it read).
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from kbgen.output.freshness import atomic_write

STATE = "written.pickle"
#: Changes whenever what is kept changes: an older file is then ignored, never misread.
VERSION = 1


@dataclass(frozen=True, slots=True)
class Written:
    """One file of the site as the build that wrote it left it."""

    size: int
    mtime: int  # ns
    inode: int
    inputs: str | None = None  # a digest of what it was made from (None: not known)
    note: object = None  # what its maker needs to work out `inputs` next time (picklable)

    @classmethod
    def of(cls, st: os.stat_result, inputs: str | None, note: object) -> Written:
        return cls(st.st_size, st.st_mtime_ns, st.st_ino, inputs, note)

    def describes(self, st: os.stat_result) -> bool:
        """Is the file with this `stat` still the one written? (Changed in place, or replaced: no.)"""
        return st.st_ino == self.inode and st.st_size == self.size and st.st_mtime_ns == self.mtime


class LastBuild:
    """The files the last build wrote into `out`, by POSIX path (empty when nothing is known)."""

    def __init__(self, out: Path, files: dict[str, Written] | None = None) -> None:
        self.out = out
        self._root = str(out)
        self.files = files or {}

    @classmethod
    def read(cls, cache_dir: Path, out: Path) -> LastBuild:
        try:
            with open(cache_dir / STATE, "rb") as f:
                state = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return cls(out)
        if not isinstance(state, dict) or state.get("version") != VERSION or state.get("out") != str(out):
            return cls(out)
        return cls(out, state["files"])

    def intact(self, rel: str) -> Written | None:
        """The record of `rel` when the file in the site is still exactly as the last build wrote it."""
        written = self.files.get(rel)
        if written is None:
            return None
        try:
            st = os.stat(f"{self._root}/{rel}", follow_symlinks=False)
        except OSError:
            return None
        return written if written.describes(st) else None


def save(cache_dir: Path, out: Path, files: dict[str, Written]) -> None:
    atomic_write(cache_dir / STATE, lambda f: pickle.dump({"version": VERSION, "out": str(out), "files": files}, f,
                                                          protocol=pickle.HIGHEST_PROTOCOL))


def forget(cache_dir: Path) -> None:
    """Drop the record (before a site is replaced: should the build die before saving the new one, none is
    better than one of another site)."""
    (cache_dir / STATE).unlink(missing_ok=True)
