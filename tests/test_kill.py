"""A build of a real knowledge base killed at any point (issue 17) loses nothing and leaves nothing behind.

`kbgen build` of ru-doka runs in a process of its own and gets SIGKILL at five points of its life, and once only
its main process is killed, during the pages, while the search export's process is still working. Every time the
site published before is byte for byte as it was, and the next build leaves no work folder and no kbgen process
behind, and writes what a clean build writes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from hashlib import blake2b
from pathlib import Path

import pytest
from conftest import CORPORA

CORPUS = CORPORA / "ru-doka" / "articles"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpora/ru-doka is not beside the repo")

#: How long a helper may outlive the main process it worked for.
HELPER_GRACE_SECONDS = 5


def tree_hash(folder: Path) -> str:
    """One digest of every path and byte below `folder`."""
    h = blake2b()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def project(root: Path, title: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "tmp").mkdir(exist_ok=True)
    (root / "kbgen.yml").write_text(f"site_name: {title}\n", encoding="utf-8")
    return root


def start_build(root: Path) -> subprocess.Popen:
    """`kbgen build` in a session of its own (so all its processes can be killed at once); its command line names
    `root`, which is how its processes are found afterwards."""
    return subprocess.Popen([sys.executable, "-m", "kbgen", "build", "-q", "--content", str(CORPUS),
                             "--out", str(root / "site")], cwd=root, start_new_session=True,
                            env=os.environ | {"TMPDIR": str(root / "tmp")},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def build(root: Path) -> None:
    process = start_build(root)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()[-2000:]


def processes_of(root: Path) -> list[int]:
    """Living processes whose command line names `root` (a zombie's is empty)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(root).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def work_folders(root: Path) -> list[Path]:
    """The build's work folders: beside the output, the load helpers' in the cache folder, and anything in the
    temporary folder the build was given."""
    return sorted(root.glob(".site.*")) + sorted((root / ".kbgen").glob(".load.*")) + sorted((root / "tmp").iterdir())


def staged(root: Path) -> Path | None:
    folders = sorted(root.glob(".site.*"))
    return folders[0] / "site" if folders else None


def rendering(root: Path) -> bool:
    """The load stage: a helper has dropped a chunk of rendered articles."""
    return any((root / ".kbgen").glob(".load.kbgen-*/*.pickle"))


def linking(root: Path) -> bool:
    """The links stage: the work folder exists (made just before), nothing written into it yet."""
    return staged(root) is not None


def exporting(root: Path) -> bool:
    """The search export's process is writing the index into the staged site."""
    site = staged(root)
    return site is not None and (site / "search").is_dir()


def paging(root: Path) -> bool:
    """Pages: a few hundred written."""
    site = staged(root)
    return site is not None and sum(1 for _ in site.glob("*/*/index.html")) >= 300


def committing(root: Path) -> bool:
    """The swap: the staged site has been marked as complete."""
    site = staged(root)
    return site is not None and (site / ".kbgen-site").is_file()


def kill_when(process: subprocess.Popen, ready: Callable[[], bool], whole: bool) -> bool:
    """SIGKILL the build (all its processes, or only the main one) once `ready()`; False if it ended first."""
    while process.poll() is None:
        if ready():
            if whole:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                os.kill(process.pid, signal.SIGKILL)
            process.communicate()
            return True
        time.sleep(0.005)
    process.communicate()
    return False


POINTS = [("load", rendering, True), ("links", linking, True), ("export", exporting, True),
          ("pages", paging, True), ("commit", committing, True), ("main process only", paging, False)]


def test_a_killed_build_loses_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    titles = ["Before", "After"]
    clean = project(tmp_path / "clean", titles[1])
    root = project(tmp_path / "kb", titles[0])
    try:
        build(clean)
        build(root)
        expected = {titles[1]: tree_hash(clean / "site"), titles[0]: tree_hash(root / "site")}
        shutil.rmtree(clean)
        assert expected[titles[0]] != expected[titles[1]]
        for n, (point, ready, whole) in enumerate(POINTS):
            before, title = titles[n % 2], titles[(n + 1) % 2]
            project(root, title)  # the killed build has a new site to make
            if point == "load":
                for cache in (root / ".kbgen").glob("render-*.sqlite"):
                    cache.unlink()  # so that the articles are rendered, not read from the cache
            process = start_build(root)
            reached = kill_when(process, lambda ready=ready: ready(root), whole)
            assert reached, f"the build ended before the {point} point"
            if not whole:
                deadline = time.monotonic() + HELPER_GRACE_SECONDS
                while processes_of(root) and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert processes_of(root) == [], f"helpers outlived the main process by {HELPER_GRACE_SECONDS} s"
                print(f"helpers ended {HELPER_GRACE_SECONDS - (deadline - time.monotonic()):.2f} s after the main "
                      "process")
            published = tree_hash(root / "site")
            if point == "commit":  # killed around the swap: one whole site or the other, never a mix
                assert published in (expected[before], expected[title]), point
            else:
                assert published == expected[before], f"the published site changed when killed at {point}"

            build(root)
            assert work_folders(root) == [], point
            assert processes_of(root) == [], point
            assert tree_hash(root / "site") == expected[title], f"after the kill at {point}: not a clean build"
    finally:
        for pid in processes_of(tmp_path):
            os.kill(pid, signal.SIGKILL)
