"""Write the site into a temporary folder beside the output, then swap it into place.

A build that fails, or is interrupted, leaves the previous `site/` exactly as it was: readers of a site served
from that folder never see half of a build.
"""

from __future__ import annotations

import os
from pathlib import Path

from kbgen.diagnostics import KbgenError


def write_file(path: Path | str, data: bytes) -> None:
    """Create (or replace) a file holding `data`: three system calls, where `open()` makes six, for the thousands of
    small files of a site."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def check_output_dir(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder whose replacement would delete the content, the config or the project."""
    out = out.resolve()
    for p in protected:
        p = p.resolve()
        if out == p or out in p.parents:
            raise KbgenError(f"output folder {out} contains {p}; building there would replace it — choose another")
    if out.exists() and not out.is_dir():
        raise KbgenError(f"output path {out} exists and is not a folder")


class StagedOutput:
    """A temporary tree that becomes the output folder on `commit()`, or disappears on `discard()`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # here, not at the top: a rebuild that finds nothing to do writes nothing

        self.root = Path(tempfile.mkdtemp(prefix=f".{out.name}.kbgen-", dir=out.parent))
        self._root = str(self.root)
        self._made: set[str] = {""}

    def _target(self, rel: str) -> str:
        """Where `rel` (a POSIX path) goes, its folder made on first use. A string, not a `Path`: joining and
        parsing paths was a visible part of writing a big site's thousands of files."""
        parent = rel.rpartition("/")[0]
        if parent not in self._made:
            os.makedirs(f"{self._root}/{parent}", exist_ok=True)
            self._made.add(parent)
        return f"{self._root}/{rel}"

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> None:
        write_file(self._target(rel), data)

    def copy(self, source: Path, rel: str) -> None:
        import shutil

        shutil.copyfile(source, self._target(rel))

    def commit(self) -> None:
        """Swap the staged tree in: two renames, so the old site is whole until the new one is."""
        old = None
        if self.out.exists():
            import tempfile

            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            os.rmdir(old)
            os.rename(self.out, old)
        try:
            os.rename(self.root, self.out)
        except OSError:
            if old is not None:
                os.rename(old, self.out)
            raise
        os.chmod(self.out, 0o755)
        if old is not None:
            import shutil

            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        import shutil

        shutil.rmtree(self.root, ignore_errors=True)
