"""A big site's search index is built on the second core while pages render; what it publishes must be exactly
what the same export makes in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbgen.cli import main
from kbgen.search import publish


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_background_export_publishes_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    for i in range(12):
        page = content / f"topic-{i % 3}" / f"article-{i}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# Article {i}\n\nRefunds, invoices and passwords, part {i}.\n\n## Section {i}\n\nMore.\n",
                        encoding="utf-8")
    runner = CliRunner()
    outputs = {}
    for name, threshold in [("forked", 1), ("in-process", 10**9)]:
        monkeypatch.setattr(publish, "BACKGROUND_FROM", threshold)
        monkeypatch.chdir(tmp_path)
        shutil.rmtree(tmp_path / ".kbgen", ignore_errors=True)  # no export state carried from the other build
        result = runner.invoke(main, ["build", "--content", "content", "--out", name])
        assert result.exit_code == 0, result.output
        outputs[name] = files_under(tmp_path / name / "search")
    assert outputs["forked"] == outputs["in-process"]
    assert "manifest.js" in outputs["forked"] and len(outputs["forked"]) > 2
    assert publish._forked is None  # nothing of the build is left behind for the next one


def test_a_big_site_on_linux_really_exports_in_another_process(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(publish, "BACKGROUND_FROM", 1)
    article = tmp_path / "content/a.md"
    article.parent.mkdir()
    article.write_text("# Refunds\n\nMoney back.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from kbgen.build import BuildOptions, build
    from kbgen.diagnostics import Diagnostics

    result = build(BuildOptions(content=tmp_path / "content", out=tmp_path / "site", write=False), Diagnostics())
    job = publish.BackgroundExport(result.site, result.config)
    assert job._pool is not None
    exported = job.result()
    assert [folder for folder, _ in exported] == ["search/"]
    assert publish._forked is None and job._pool is None
