"""Test support for `kbgen serve`: a real preview of a copy of the golden site, on 127.0.0.1 at a free port."""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kbgen.pipeline import BuildOptions
from kbgen.serve import Preview

GOLDEN_SOURCE = Path(__file__).parent / "sites" / "golden"


def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
    """(status, body) of one real HTTP request, errors included."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for(condition, timeout: float = 5.0, what: str = "condition"):
    """Poll until `condition()` is truthy; its value, or a failure naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def edit(path: Path, old: str, new: str) -> None:
    """Save `path` with `old` replaced by `new`, the way an editor writes it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    """`kbgen serve` on a fresh copy of the golden site; `preview.log` holds what the terminal would show."""
    root = tmp_path / "kb"
    shutil.copytree(GOLDEN_SOURCE, root)
    monkeypatch.chdir(root)
    lines: list[str] = []
    running = Preview(BuildOptions(), port=0, log=lines.append).start()
    running.log = lines  # type: ignore[attr-defined]
    running.root = root  # type: ignore[attr-defined]
    yield running
    running.stop()


def next_epoch(preview: Preview, after: int, timeout: float = 5.0) -> int:
    """Wait until the preview has applied a change after epoch `after`."""
    return wait_for(lambda: preview.session.epoch if preview.session.epoch > after else None, timeout,
                    "the preview to rebuild")
