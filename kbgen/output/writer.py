"""Write the site into a temporary folder beside the output, then swap it into place.

A build that fails, or is interrupted, leaves the previous `site/` exactly as it was: readers of a site served
from that folder never see half of a build. Which folders may be replaced at all: `kbgen.output.ownership`.
"""

from __future__ import annotations

import os
from pathlib import Path

from kbgen.core.diagnostics import KbgenError
from kbgen.output.lastbuild import LastBuild, Written, forget, save
from kbgen.output.locks import WorkFolder
from kbgen.output.ownership import SITE_MARKER, appeared, files_below, name_files, refuse_appeared, site_marker


def write_file(path: Path | str, data: bytes) -> os.stat_result:
    """Create (or replace) a file holding `data`, and say what it is now: four system calls, where `open()` makes
    six, for the thousands of small files of a site."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
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
    two are swapped: a build killed at any moment leaves one marked folder, which the next build removes.

    Given kbgen's own folder (`cache_dir`), it keeps what it wrote there (`kbgen.output.lastbuild`), and the next
    build writes only what changed: a file with the same bytes, or made from the same inputs, as the last build's is
    a hard link to that file. Nothing is ever written through such a link (a file to replace is unlinked first), so
    the old site stays byte for byte as it was until the swap, and after a failed build."""

    def __init__(self, out: Path, replaceable: frozenset[str] = frozenset(), cache_dir: Path | None = None) -> None:
        self.out = out
        self.replaceable = replaceable  # the files of `out` that the build checked are kbgen's
        self.cache_dir = cache_dir
        self.previous = LastBuild.read(cache_dir, out) if cache_dir else LastBuild(out)
        self.written: dict[str, Written] = {}  # what this build put in the staged tree, by path
        self._linking = bool(self.previous.files)  # off for good when this file system cannot link
        out.parent.mkdir(parents=True, exist_ok=True)
        self._work = WorkFolder(out)
        self.root = self._work.path / "site"
        self.root.mkdir()
        self._root = str(self.root)
        self._made: set[str] = {""}

    def _target(self, rel: str) -> str:
        """Where `rel` (a POSIX path) goes, its folder made on first use, nothing there yet. A string, not a `Path`:
        joining and parsing paths was a visible part of writing a big site's thousands of files."""
        parent = rel.rpartition("/")[0]
        if parent not in self._made:
            os.makedirs(f"{self._root}/{parent}", exist_ok=True)
            self._made.add(parent)
        if self.written.pop(rel, None) is not None:  # written twice: never through a link into the old site
            os.unlink(f"{self._root}/{rel}")
        return f"{self._root}/{rel}"

    def last(self, rel: str) -> Written | None:
        """What the last build wrote at `rel`, if it wrote anything there."""
        return self.previous.files.get(rel)

    def reuse(self, rel: str, inputs: str) -> bool:
        """Take the last build's `rel` as it is when it was made from the same `inputs` and nobody changed it."""
        old = self.previous.files.get(rel)
        return old is not None and old.inputs == inputs and self._link(rel, old)

    def write_text(self, rel: str, text: str, inputs: str | None = None, note: object = None) -> None:
        self.write_bytes(rel, text.encode("utf-8"), inputs, note)

    def write_bytes(self, rel: str, data: bytes, inputs: str | None = None, note: object = None) -> None:
        """Write `data` at `rel`, or link the last build's file when it holds exactly these bytes (`inputs` and
        `note`: what it was made from, for the next build's `reuse`)."""
        old = self.previous.files.get(rel)
        if old is not None and old.size == len(data) and self._same_bytes(rel, data):
            if self._link(rel, Written(old.size, old.mtime, old.inode, inputs, note)):
                return
        self.written[rel] = Written.of(write_file(self._target(rel), data), inputs, note)

    def copy(self, source: Path, rel: str) -> None:
        """Copy a file into the site; the last build's copy is kept when it came from the same source, unchanged."""
        import shutil

        st = os.stat(source)
        inputs = f"{source}\0{st.st_size}\0{st.st_mtime_ns}"
        if self.reuse(rel, inputs):
            return
        target = self._target(rel)
        shutil.copyfile(source, target)
        self.written[rel] = Written.of(os.stat(target), inputs, None)

    def _same_bytes(self, rel: str, data: bytes) -> bool:
        if not self._linking or self.previous.intact(rel) is None:
            return False
        try:
            with open(f"{self.previous.out}/{rel}", "rb") as f:
                return f.read(len(data) + 1) == data
        except OSError:
            return False

    def _link(self, rel: str, record: Written) -> bool:
        """Hard-link the old site's `rel` into the staged tree, if it is still the file `record` describes (checked
        on the link itself, so a file replaced meanwhile is not taken)."""
        if not self._linking:
            return False
        target = self._target(rel)
        try:
            os.link(f"{self.previous.out}/{rel}", target, follow_symlinks=False)
        except FileNotFoundError:
            return False
        except OSError:  # no hard links here (another file system, FAT, a share): write everything
            self._linking = False
            return False
        if not record.describes(os.stat(target, follow_symlinks=False)):
            os.unlink(target)
            return False
        self.written[rel] = record
        return True

    def commit(self) -> dict[str, list[int]]:
        """Mark the staged tree as kbgen's and swap it in: two renames, so the old site is whole until the new one
        is. Refused (the old site kept) when files appeared in the output folder while the site was building.
        Returns the new site's `kbgen.output.freshness.manifest`, known without reading the folder again."""
        try:
            files = files_below(self.root)
            marker = write_file(self.root / SITE_MARKER, site_marker(files))
            self._record_others(files, marker)
            if foreign := appeared(self.out, self.replaceable):
                raise refuse_appeared(self.out, foreign)
            if self.cache_dir:
                forget(self.cache_dir)  # until the new site's record is saved, none
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
        if self.cache_dir:
            save(self.cache_dir, self.out, self.written)
        return {rel: [w.size, w.mtime] for rel, w in self.written.items()}

    def _record_others(self, files: list[str], marker: os.stat_result) -> None:
        """Record the files another process wrote into the staged tree (the search index), and the marker."""
        for rel in files:
            if rel not in self.written:
                self.written[rel] = Written.of(os.stat(f"{self._root}/{rel}", follow_symlinks=False), None, None)
        self.written[SITE_MARKER] = Written.of(marker, None, None)

    def discard(self) -> None:
        self._work.remove()

