"""Which output folder a build may replace: one that does not exist, is empty, or holds only files kbgen wrote.

`kbgen build --out DIR` replaces DIR whole. Pointed at a home folder, a repository or a folder of photos it once
deleted them (issue 17), so a folder is replaced only when kbgen can prove it wrote every file in it: each site
carries a marker, `.kbgen-site`, that lists the files its build wrote. A site built before the marker existed is
proved by the stamp of its last build (`.kbgen/last-build.json` records the files it wrote where it wrote them).
Anything else stops the build before it writes a byte, naming the folder and a few of the files it would lose.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kbgen.core.diagnostics import KbgenError
from kbgen.output.freshness import entries_below

#: The marker in every site kbgen builds: which files it wrote, so the next build knows what it may replace.
SITE_MARKER = ".kbgen-site"

#: How many of the files a refusal names: enough to recognise the folder, few enough to read.
NAMED = 5


def files_below(folder: Path) -> list[str]:
    """Every entry below `folder` that is not a folder (files, links of any kind, pipes), by POSIX path: what
    replacing `folder` would delete."""
    return sorted((rel for rel, _ in entries_below(str(folder))), key=_shallow_first)


def site_marker(files: list[str]) -> bytes:
    """The marker's bytes for a site of `files` (sorted: the same site gives the same marker)."""
    return json.dumps({
        "written_by": "kbgen",
        "note": "kbgen build replaces this folder only while it holds no file but these; it keeps this list here",
        "files": sorted(files),
    }, ensure_ascii=False, indent=0).encode("utf-8") + b"\n"


def check_replaceable(out: Path, stamp: dict[str, Any] | None) -> frozenset[str]:
    """The files in `out`, all of them kbgen's; raise if any is not (or nothing proves whose they are).

    `stamp` is the last build's record (`kbgen.output.freshness.read_stamp`): a site written before the marker
    existed is kbgen's when that build wrote it here."""
    if not out.exists():
        return frozenset()
    present = files_below(out)
    if not present and not any(out.iterdir()):
        return frozenset()
    written = written_by_kbgen(out, stamp)
    if written is None:
        lost = present or sorted(f"{p.name}/" for p in out.iterdir())  # only empty folders: name them, then
        raise KbgenError(
            f"output folder {out} is not empty and was not written by kbgen: building there would delete "
            f"{_a_few(lost)}. Choose a new or empty folder (--out, or output_dir: in kbgen.yml); if it is a site an "
            "older kbgen built, delete it yourself and build again")
    if foreign := [rel for rel in present if rel not in written]:
        raise KbgenError(
            f"output folder {out} holds {_count(foreign)} kbgen did not write: {_a_few(foreign)}; building would "
            f"delete {'it' if len(foreign) == 1 else 'them'}. Move {'it' if len(foreign) == 1 else 'them'} out "
            "(files the site should publish belong in the content folder), or choose another output folder")
    return frozenset(present)


def appeared(out: Path, replaceable: frozenset[str]) -> list[str]:
    """Files that appeared in `out` since `check_replaceable` allowed it: checked again just before the swap, so
    a file saved into the site while it was building is not lost either."""
    if not out.exists():
        return []
    return [rel for rel in files_below(out) if rel not in replaceable]


def refuse_appeared(out: Path, files: list[str]) -> KbgenError:
    return KbgenError(f"{_count(files)} appeared in output folder {out} during the build: {_a_few(files)}; the "
                      "site was not changed. Move them out (files the site should publish belong in the content "
                      "folder) and build again")


def name_files(folder: Path) -> str:
    """`a.md, b/c.txt and 3 more files` for a folder kbgen refuses to touch (or `nothing yet`)."""
    files = files_below(folder) if folder.is_dir() else []
    return _a_few(files) if files else "nothing yet"


def written_by_kbgen(out: Path, stamp: dict[str, Any] | None) -> set[str] | None:
    """The files kbgen wrote into `out`, as its marker or the last build's stamp lists them; None when neither
    says kbgen wrote there."""
    written: set[str] | None = None
    try:
        marker = json.loads((out / SITE_MARKER).read_bytes())
        if marker.get("written_by") == "kbgen" and isinstance(marker.get("files"), list):
            written = {str(rel) for rel in marker["files"]} | {SITE_MARKER}
    except (OSError, ValueError, AttributeError):
        pass
    if stamp and stamp.get("out") == str(out) and isinstance(stamp.get("manifest"), dict):
        written = (written or set()) | set(stamp["manifest"])
    return written


def _shallow_first(rel: str) -> tuple[int, str]:
    """Top-level files first: `.bashrc` and `Documents/` say more about a folder than its deepest files."""
    return rel.count("/"), rel


def _a_few(files: list[str]) -> str:
    shown = ", ".join(files[:NAMED])
    more = len(files) - NAMED
    return f"{shown} and {more} more file{'s' if more != 1 else ''}" if more > 0 else shown


def _count(files: list[str]) -> str:
    return f"{len(files)} file{'s' if len(files) != 1 else ''}"
