"""Shared helpers: build a small knowledge base in a temp dir and run the real CLI on it."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kbgen.cli import main

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create `files` (path → text, dedented; or raw bytes) under `root`."""
    for rel, body in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return root


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by its POSIX path, with its bytes: two builds compared byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str) -> Result:
    """Run `kbgen ARGS` in the current directory, exceptions included in the result, as a user would see it."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build_site_in(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` under `root`, run `kbgen build` there as a writer would, and return the built `site/`."""
    write_files(root, files)
    old = Path.cwd()
    os.chdir(root)
    try:
        result = run("build")
        assert result.exit_code == 0, result.output
    finally:
        os.chdir(old)
    return root / "site"


@pytest.fixture(autouse=True)
def _not_on_github(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read kbgen's output as printed anywhere: run by GitHub Actions, it would add an annotation line per
    diagnostic (the test of those sets the variable itself)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A folder to write a knowledge base into; the test runs with it as the current directory."""
    monkeypatch.chdir(tmp_path)

    def make(files: dict[str, str | bytes]) -> Path:
        return write_files(tmp_path, files)

    make.root = tmp_path  # type: ignore[attr-defined]
    return make


# Real-browser fixtures (Chromium via Playwright, a static server on 127.0.0.1) for the tests that need them.
from browser import browser, page, serve  # noqa: E402, F401
from serving import preview  # noqa: E402, F401
