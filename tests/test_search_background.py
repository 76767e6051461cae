"""A big site's search index is built on the second core while pages render; what it publishes must be exactly
what the same export makes in-process."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import files_under

from kbgen.cli import main
from kbgen.search import publish
from kbgen.workqueue import WorkQueue


def write_site(content: Path, articles: int = 12) -> None:
    for i in range(articles):
        page = content / f"topic-{i % 3}" / f"article-{i}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# Article {i}\n\nRefunds, invoices and passwords, part {i}.\n\n## Section {i}\n\nMore.\n",
                        encoding="utf-8")


def build_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, bytes]]:
    """The same site built with the second process (forked) and without it (in-process): every file of each."""
    runner = CliRunner()
    outputs = {}
    for name, threshold in [("forked", 1), ("in-process", 10**9)]:
        monkeypatch.setattr(publish, "BACKGROUND_FROM", threshold)
        monkeypatch.chdir(tmp_path)
        shutil.rmtree(tmp_path / ".kbgen", ignore_errors=True)  # no export state carried from the other build
        result = runner.invoke(main, ["build", "--content", "content", "--out", name])
        assert result.exit_code == 0, result.output
        outputs[name] = files_under(tmp_path / name)
    return outputs


def test_the_background_export_publishes_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path / "content")
    outputs = build_both_ways(tmp_path, monkeypatch)
    assert outputs["forked"] == outputs["in-process"]
    assert "search/manifest.js" in outputs["forked"] and len(outputs["forked"]) > 20
    assert publish._forked is None  # nothing of the build is left behind for the next one


def test_the_second_process_renders_pages_from_the_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's process waits at its first page until the other one has taken a page from the back: the
    pages both wrote make the same site as one process alone."""
    write_site(tmp_path / "content", articles=30)
    take_front = WorkQueue.take_front
    helped = []

    def after_the_other_has_started(self: WorkQueue) -> int | None:
        deadline = time.monotonic() + 20
        while not self.taken_from_back() and time.monotonic() < deadline and publish._forked is not None:
            time.sleep(0.01)
        helped.append(len(self.taken_from_back()))
        return take_front(self)

    monkeypatch.setattr(WorkQueue, "take_front", after_the_other_has_started)
    outputs = build_both_ways(tmp_path, monkeypatch)
    assert helped[0] >= 1  # the forked build: the other process rendered at least one page
    assert outputs["forked"] == outputs["in-process"]


def test_pages_of_a_second_process_that_dies_are_rendered_again(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed after taking three pages from the back (out of memory, say): the build still writes every page."""
    write_site(tmp_path / "content", articles=30)
    take_back = WorkQueue.take_back
    parent = os.getpid()

    def dies_on_the_fourth(self: WorkQueue) -> int | None:
        if os.getpid() != parent and len(self.taken_from_back()) >= 3:
            os._exit(9)
        return take_back(self)

    monkeypatch.setattr(WorkQueue, "take_back", dies_on_the_fourth)
    finished = []
    result = publish.BackgroundExport.result

    def noting_whether_it_finished(self: publish.BackgroundExport):
        exported = result(self)
        finished.append(self.then_done)
        return exported

    monkeypatch.setattr(publish.BackgroundExport, "result", noting_whether_it_finished)
    monkeypatch.setattr(WorkQueue, "take_front", lambda self, _front=WorkQueue.take_front: (
        time.sleep(0.05), _front(self))[1])  # slow enough that the other process gets its three pages
    outputs = build_both_ways(tmp_path, monkeypatch)
    assert finished[0] is False  # the forked build's other process really died
    assert outputs["forked"] == outputs["in-process"]
    assert len([p for p in outputs["forked"] if p.endswith("index.html")]) >= 30


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


def test_the_render_cache_of_a_two_process_build_serves_the_next_build(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path / "content", articles=30)
    monkeypatch.setattr(publish, "BACKGROUND_FROM", 1)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--content", "content", "--out", "one"])
    assert "(30 articles, 30 rendered)" in first.output
    second = runner.invoke(main, ["build", "--content", "content", "--out", "two"])  # a new output: not up to date
    assert second.exit_code == 0, second.output
    assert "(30 articles, 0 rendered)" in second.output
    assert files_under(tmp_path / "one") == files_under(tmp_path / "two")


def test_the_render_cache_is_saved_by_whichever_process_is_free_first(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's process is slow with its pages, so the export's process saves the cache; or that process dies
    as it starts to, and the build's process saves it. Either way the next build renders nothing again."""
    from kbgen.cache import RenderCache

    write_site(tmp_path / "content", articles=30)
    monkeypatch.setattr(publish, "BACKGROUND_FROM", 1)
    monkeypatch.setattr(WorkQueue, "take_front", lambda self, _front=WorkQueue.take_front: (
        time.sleep(0.05), _front(self))[1])
    monkeypatch.chdir(tmp_path)
    parent = os.getpid()
    saved_by: list[str] = []
    save = RenderCache.save

    def noting_who_saves(self: RenderCache) -> None:
        if os.getpid() != parent and (tmp_path / "die").exists():
            os._exit(9)
        save(self)
        (tmp_path / f"saved-by-{'build' if os.getpid() == parent else 'other'}").touch()

    monkeypatch.setattr(RenderCache, "save", noting_who_saves)
    runner = CliRunner()
    for dies in (False, True):
        shutil.rmtree(tmp_path / ".kbgen", ignore_errors=True)
        for marker in tmp_path.glob("saved-by-*"):
            marker.unlink()
        if dies:
            (tmp_path / "die").touch()
        first = runner.invoke(main, ["build", "--content", "content", "--out", f"one-{dies}"])
        assert "(30 articles, 30 rendered)" in first.output, first.output
        saved_by.append(" ".join(sorted(p.name for p in tmp_path.glob("saved-by-*"))))
        second = runner.invoke(main, ["build", "--content", "content", "--out", f"two-{dies}"])
        assert "(30 articles, 0 rendered)" in second.output, second.output
        assert files_under(tmp_path / f"one-{dies}") == files_under(tmp_path / f"two-{dies}")
    assert saved_by[0] == "saved-by-other"
    assert saved_by[1] == "saved-by-build"


def test_a_build_whose_links_fail_stops_the_export_and_keeps_the_last_site(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The export's process starts before the links are checked; a broken link still fails the build at once,
    with the message, the previous site untouched and nothing of the failed build left beside it."""
    write_site(tmp_path / "content", articles=30)
    monkeypatch.setattr(publish, "BACKGROUND_FROM", 1)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--content", "content", "--out", "site"]).exit_code == 0
    before = files_under(tmp_path / "site")
    (tmp_path / "content/topic-0/article-0.md").write_text("# Article 0\n\nSee [refunds](../nowhere/refunds.md).\n",
                                                         encoding="utf-8")
    failed = runner.invoke(main, ["build", "--content", "content", "--out", "site"])
    assert failed.exit_code == 1
    assert "content/topic-0/article-0.md:3: error[broken-link]" in failed.output
    assert files_under(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kbgen", "content", "site"]
    assert publish._forked is None
