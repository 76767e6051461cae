"""Size limits on the files kbgen reads, so a huge or endless file is a located error instead of a build that
never ends (issue 17: a content file that was a symlink to /dev/zero wrote 53 GB in 60 s).

A file is read with at most `cap + 1` bytes asked for: that is enough to know it is too large, and it stops on a
device or a pipe that never ends, which `stat` reports as empty.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbgen.core.diagnostics import Diagnostics

#: Articles, snippets, `_category.yml` and kbgen.yml. The largest article of the corpora tried so far is 560 KB
#: (MSVC's CWnd reference, in Microsoft's C++ docs): 5 MB leaves nine times that, and still renders in seconds.
DEFAULT_MAX_ARTICLE_BYTES = 5_000_000
#: Files published as they are (images, PDFs, videos): GitHub refuses files over 100 MB, so no common host serves
#: anything larger from a repository.
DEFAULT_MAX_FILE_BYTES = 100_000_000

LIMIT_KEYS = {"max_article_bytes": DEFAULT_MAX_ARTICLE_BYTES, "max_file_bytes": DEFAULT_MAX_FILE_BYTES}


class FileTooLarge(Exception):
    """A file over its cap. `str()` says how large, the cap and the setting that raises it; `display` is where."""

    def __init__(self, display: str, size: int | None, cap: int, key: str) -> None:
        self.display = display
        how_large = megabytes(size) if size is not None else f"more than {megabytes(cap)}"
        raise_it = f", or raise `limits: {{{key}: …}}` in kbgen.yml" if key else ""
        super().__init__(f"the file is {how_large}, over the limit of {megabytes(cap)} kbgen reads; make it "
                         f"smaller (split an article in two){raise_it}")


def read_capped(path: Path, cap: int, display: str, key: str = "max_article_bytes") -> bytes:
    """The bytes of `path`, reading at most `cap + 1` of them; FileTooLarge past `cap`.

    Opened without blocking, so a named pipe nobody writes to reads as empty instead of waiting forever.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        regular = stat.S_ISREG(info.st_mode)
        if regular and info.st_size > cap:  # known to be too large: read nothing
            raise FileTooLarge(display, info.st_size, cap, key)
        chunks: list[bytes] = []
        size = 0
        while size <= cap:
            try:
                chunk = os.read(fd, cap + 1 - size)
            except BlockingIOError:  # a pipe with nothing more in it now
                break
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > cap:
        raise FileTooLarge(display, None, cap, key)
    return b"".join(chunks)


def check_published_files(content_dir: Path, rels: list[str], display_root: str, cap: int,
                          diagnostics: Diagnostics) -> None:
    """A `file-too-large` error for each file published as it is that is over `cap`, before anything is written.
    `discover` lists regular files only (no devices, no pipes), so their size is what `stat` says."""
    for rel in rels:
        display = f"{display_root}/{rel}"
        try:
            size = (content_dir / rel).stat().st_size
        except OSError:  # gone meanwhile: the copy says so
            continue
        if size > cap:
            diagnostics.add(display, 1, "file-too-large", str(FileTooLarge(display, size, cap, "max_file_bytes")))


def megabytes(size: int) -> str:
    """`5,000,000 bytes` as `5 MB` (decimal, as file managers and hosts count), small sizes in bytes."""
    if size < 1_000_000:
        return f"{size:,} bytes"
    return f"{size / 1_000_000:,.1f} MB".replace(".0 MB", " MB")
