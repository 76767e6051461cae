"""The source distribution is what a packager or a user without git gets: it carries the licence and everything
the test suite needs, so its tests run from the unpacked archive."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from conftest import REPO

#: Never part of a source distribution: built or machine-local things.
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "site", ".kbgen", "build", "dist", "*.egg-info", "__pycache__",
                                     ".pytest_cache")


def test_the_sdist_carries_its_licence_and_runs_its_tests(tmp_path: Path) -> None:
    source = tmp_path / "src"  # a copy, so setuptools' build files never land in the checkout
    shutil.copytree(REPO, source, ignore=_NOT_SOURCE)
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(dist)!r})"],
                   cwd=source, check=True, capture_output=True, timeout=120)
    archive = next(dist.glob("kbgen-*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    unpacked = next((tmp_path / "unpacked").iterdir())
    assert "MIT License" in (unpacked / "LICENSE").read_text(encoding="utf-8")
    assert "License :: OSI Approved :: MIT License" in (unpacked / "PKG-INFO").read_text(encoding="utf-8")

    # Tests from the archive, importing the archive's kbgen (the current folder comes first on the path).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "GITHUB_ACTIONS"))}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_golden.py"],
                         cwd=unpacked, capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "error" not in run.stdout.splitlines()[-1]
    assert (unpacked / "content/en/reference/diagnostics.md").is_file()  # the help centre its tests build
