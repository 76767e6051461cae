"""Is the site already up to date? The stamp of the last good build, and fingerprints of everything it read.

A build with no changed input (content, config, theme, options) and an output folder exactly as that build left
it has nothing to do. This check runs before any heavy module is imported, so it costs little more than
starting Python: the point of a no-change rebuild is that it is instant.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from kbgen import __version__

try:  # BLAKE2 without `hashlib`, which loads OpenSSL first: milliseconds of a rebuild that finds nothing to do
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b

STAMP = "last-build.json"


#: The libraries a page's HTML is made by: a new version may render the same text differently.
RENDERING_LIBRARIES = ("markdown_it", "mdit_py_plugins", "pygments")
_VERSION = re.compile(rb"""^__version__\s*=\s*["']([^"']+)["']""", re.M)


def build_key(*parts: Any) -> str:
    """A digest of everything a build's output depends on, kbgen's and its rendering libraries' versions too."""
    h = blake2b(digest_size=16)
    h.update(__version__.encode())
    h.update(repr(library_versions()).encode())
    for part in parts:
        h.update(repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


@functools.cache
def library_versions() -> tuple[str, ...]:
    """`__version__` of each rendering library, read from its `__init__.py` without importing it (a rebuild
    that finds nothing to do never loads them)."""
    versions = []
    for name in RENDERING_LIBRARIES:
        spec = importlib.util.find_spec(name)
        try:
            found = _VERSION.search(Path(spec.origin).read_bytes()) if spec and spec.origin else None
        except OSError:
            found = None
        versions.append(f"{name} {found.group(1).decode() if found else '?'}")
    return tuple(versions)


def read_stamp(cache_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((cache_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_stamp(cache_dir: Path, stamp: dict[str, Any]) -> None:
    atomic_write(cache_dir / STAMP, json.dumps(stamp).encode("utf-8"))


def clear_stamp(cache_dir: Path) -> None:
    (cache_dir / STAMP).unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Write `data` (or what `data(file)` writes) to `path` whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # here, not at the top: a rebuild that finds nothing to do writes nothing

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                data(f)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def tree_fingerprint(folder: Path) -> list[list]:
    """(path, size, mtime) of every file below `folder`: cheap to take, and changes whenever any file does."""
    files = _files_below(str(folder))
    return [[rel, *files[rel]] for rel in sorted(files)]  # sorting the paths alone: half the time of the pairs


def _files_below(folder: str) -> dict[str, tuple[int, int]]:
    """Relative path → (size, mtime) of every file below `folder` (no `relpath`: it was half the time of taking a
    site's manifest)."""
    found: dict[str, tuple[int, int]] = {}
    for name, entry in entries_below(folder):
        try:
            if entry.is_dir():  # as os.walk: a linked folder is not entered
                continue
            st = entry.stat()
        except OSError:  # gone meanwhile, or a broken link
            continue
        found[name] = (st.st_size, st.st_mtime_ns)
    return found


def entries_below(folder: str) -> Iterator[tuple[str, os.DirEntry]]:
    """(POSIX path relative to `folder`, entry) of everything below it that is not a folder: files, and links of
    any kind, never followed. By scandir, which hands each entry's type over without a `stat`."""
    pending = [(folder, "")]
    while pending:
        path, rel = pending.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{rel}{entry.name}/"))
            else:
                yield f"{rel}{entry.name}", entry


def manifest(out: Path) -> dict[str, list[int]]:
    """Size and modification time of every file of a written site: how a later build knows it is untouched."""
    return {rel: [size, mtime] for rel, (size, mtime) in _files_below(str(out)).items()}
