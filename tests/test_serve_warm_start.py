"""`kbgen serve` on a site built before: pages at once from the last build while the site loads, then live ones.

The load is held up at a known point through the executor's fault hook (`kbgen.parallel.fault_hook`), as a
40,000-article site holds it up for seconds: meanwhile the server answers from the last build's files."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import run
from serving import GOLDEN_SOURCE, fetch, wait_for

from kbgen import parallel
from kbgen.pipeline import BuildOptions
from kbgen.serve import Preview
from kbgen.serve.server import inject_live


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The golden site, built once, with its render cache gone: the preview's load has Markdown to render."""
    root = tmp_path / "kb"
    shutil.copytree(GOLDEN_SOURCE, root)
    monkeypatch.chdir(root)
    assert run("build").exit_code == 0
    for cache in (root / ".kbgen").glob("render*"):
        shutil.rmtree(cache) if cache.is_dir() else cache.unlink()
    monkeypatch.setenv("KBGEN_PARALLEL", "always")  # the load goes through the executor, where the hook is
    return root


class Held:
    """Holds the preview's load at every chunk of Markdown, in this process and in its helpers, until `go_on()`."""

    def __init__(self, folder: Path) -> None:
        self.signal = folder / "go-on"

    def __call__(self, event: str, index: int) -> None:
        deadline = time.monotonic() + 30
        while event.startswith("chunk:") and not self.signal.exists() and time.monotonic() < deadline:
            time.sleep(0.02)

    def go_on(self) -> None:
        self.signal.touch()


@contextmanager
def held_preview(lines: list[str]) -> Iterator[tuple[Preview, Held]]:
    """A warm-started preview whose load waits before its first chunk of Markdown until `go_on()`."""
    held = Held(Path.cwd().parent)
    with parallel.fault_hook(held):
        preview = Preview(BuildOptions(), port=0, log=lines.append, warm_start=True).start()
        try:
            yield preview, held
        finally:
            held.go_on()
            preview.stop()


def test_the_last_build_is_served_while_the_site_loads_then_live_pages(built: Path) -> None:
    lines: list[str] = []
    with held_preview(lines) as (preview, go_on):
        assert not preview.session.ready.is_set()
        status, body = fetch(preview.url + "billing/refunds/")
        built_page = (built / "site/billing/refunds/index.html").read_text(encoding="utf-8")
        assert status == 200 and body == inject_live(built_page, preview.session.epoch).encode("utf-8")
        asset = next(p for p in sorted((built / "site/assets").rglob("*")) if p.is_file())
        assert fetch(preview.url + asset.relative_to(built / "site").as_posix()) == (200, asset.read_bytes())
        status, _ = fetch(preview.url + "billing/refunds")
        assert status == 200  # followed the redirect to the folder's page
        (built / "site/notes.txt").write_text("not kbgen's", encoding="utf-8")
        for path in ("kbgen.yml", "notes.txt", "../kbgen.yml"):  # only files the last build wrote are served
            status, body = fetch(preview.url + path)
            assert status in (404, 503) and b"not kbgen's" not in body and b"base_url:" not in body
        status, body = fetch(preview.url + "billing/brand-new/")  # not in the last build: maybe once loaded
        assert status == 503 and b"Loading" in body and b"/billing/brand-new/" in body
        status, body = fetch(preview.url + "<b>new</b>/")
        assert status == 503 and b"<b>new</b>" not in body and b"&lt;b&gt;new" in body  # escaped
        epoch = preview.session.epoch
        go_on.go_on()
        wait_for(lambda: preview.session.ready.is_set() or None, 30, "the site to load")
        assert preview.session.epoch > epoch  # open tabs are told to reload onto live pages
        status, live = fetch(preview.url + "billing/refunds/")
        assert status == 200 and live == inject_live(built_page, preview.session.epoch).encode("utf-8")
        assert any("Loaded" in line for line in lines)


def test_a_save_while_the_site_loads_is_on_the_page_once_it_is_loaded(built: Path) -> None:
    with held_preview([]) as (preview, go_on):
        page = built / "content/billing/refunds.md"
        with open(page, "a", encoding="utf-8") as f:
            f.write("\nSaved while the preview was loading.\n")
        go_on.go_on()
        wait_for(lambda: b"Saved while the preview was loading." in fetch(preview.url + "billing/refunds/")[1]
                 or None, 10, "the save to show")


def test_without_a_last_build_the_preview_loads_first_as_before(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "kb"
    shutil.copytree(GOLDEN_SOURCE, root)
    monkeypatch.chdir(root)
    preview = Preview(BuildOptions(), port=0, log=lambda line: None, warm_start=True).start()
    try:
        assert preview.session.ready.is_set() and preview.session.last_build is None
        assert fetch(preview.url + "billing/refunds/")[0] == 200
    finally:
        preview.stop()
