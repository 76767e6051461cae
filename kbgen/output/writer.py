"""Write the site into a temporary folder beside the output, then swap it into place.

A build that fails, or is interrupted, leaves the previous `site/` exactly as it was: readers of a site served
from that folder never see half of a build. Which folders may be replaced at all: `kbgen.output.ownership`.
"""

from __future__ import annotations

import os
from pathlib import Path

from kbgen.core.diagnostics import KbgenError
from kbgen.output.locks import WorkFolder
from kbgen.output.ownership import SITE_MARKER, appeared, files_below, name_files, refuse_appeared, site_marker


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


def check_output_dir(out: Path, protected: list[tuple[str, Path]], root: Path) -> None:
    """Refuse an output folder whose replacement would delete the content, the config, the theme, kbgen's own
    `.kbgen/` or the project (`protected`: what each is, and where), or that lies inside one of them but the
    project folder `root` (a site inside the content would be read back as content)."""
    if out.is_symlink():
        raise KbgenError(f"output folder {out} is a symbolic link to {out.resolve()}: a build would replace the link, "
                         f"not the folder it points to; give that folder itself (--out {out.resolve()})")
    out = out.resolve()
    for what, p in protected:
        p = p.resolve()
        if out == p:
            raise KbgenError(f"output folder {out} is {what} ({name_files(out)}): building there would delete it — "
                             "choose another folder (--out, or output_dir: in kbgen.yml)")
        if out in p.parents:
            raise KbgenError(f"output folder {out} contains {what} {p} ({name_files(out)}): building there would "
                             "delete it — choose another folder (--out, or output_dir: in kbgen.yml)")
        if p != root.resolve() and p in out.parents:
            raise KbgenError(f"output folder {out} is inside {what} {p} ({name_files(out)}): the site would be "
                             "mixed into it — choose a folder outside it (--out, or output_dir: in kbgen.yml)")
    if out.exists() and not out.is_dir():
        raise KbgenError(f"output path {out} exists and is not a folder")
    blocking = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:  # else `mkdir` fails deep in the build with FileExistsError
        raise KbgenError(f"output folder {out} cannot be made: {blocking} is a file, not a folder; choose another "
                         "folder (--out, or output_dir: in kbgen.yml)")


class StagedOutput:
    """A temporary tree that becomes the output folder on `commit()`, or disappears on `discard()`.

    It lives in a work folder beside the output (`kbgen.output.locks.WorkFolder`), and so does the old site while the
    two are swapped: a build killed at any moment leaves one marked folder, which the next build removes."""

    def __init__(self, out: Path, replaceable: frozenset[str] = frozenset()) -> None:
        self.out = out
        self.replaceable = replaceable  # the files of `out` that the build checked are kbgen's
        out.parent.mkdir(parents=True, exist_ok=True)
        self._work = WorkFolder(out)
        self.root = self._work.path / "site"
        self.root.mkdir()
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
        """Mark the staged tree as kbgen's and swap it in: two renames, so the old site is whole until the new one
        is. Refused (the old site kept) when files appeared in the output folder while the site was building."""
        try:
            write_file(self.root / SITE_MARKER, site_marker(files_below(self.root)))
            if foreign := appeared(self.out, self.replaceable):
                raise refuse_appeared(self.out, foreign)
            old = self._work.path / "old"
            had_old = os.path.lexists(self.out)
            if had_old:
                os.rename(self.out, old)
            try:
                os.rename(self.root, self.out)
            except OSError:
                if had_old:
                    os.rename(old, self.out)
                raise
            os.chmod(self.out, 0o755)
        finally:
            self._work.remove()  # the old site, or the staged one if the swap did not happen

    def discard(self) -> None:
        self._work.remove()
