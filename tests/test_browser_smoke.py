"""The browser harness itself: a built site served on 127.0.0.1 opens in Chromium and its links work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run

SOURCE = Path(__file__).parent / "sites" / "golden"


@pytest.mark.parametrize("prefix", ["/", "/help/"])
def test_reader_clicks_from_home_to_an_article(tmp_path: Path, monkeypatch, serve, page, prefix: str) -> None:
    shutil.copytree(SOURCE, tmp_path / "kb")
    monkeypatch.chdir(tmp_path / "kb")
    assert run("build").exit_code == 0
    server = serve(tmp_path / "kb" / "site", prefix)
    page.goto(server.url)
    page.get_by_role("link", name="Billing").first.click()
    page.get_by_role("link", name="Refunds").first.click()
    assert page.url == f"{server.url}billing/refunds/"
    assert page.locator("h1").inner_text() == "Refunds"
    assert page.errors == []
    assert [p for p in server.paths() if not p.startswith(prefix)] == []
