"""A big site's Markdown is rendered by the build's own process and a forked helper together, from the two ends
of one list of chunks; what they render must be exactly what one process renders alone, even if the helper dies."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import files_under

from kbgen import article, loading
from kbgen.cli import main
from kbgen.workqueue import WorkQueue

ARTICLES = 90  # above loading.PARALLEL_THRESHOLD


def write_site(content: Path) -> None:
    for i in range(ARTICLES):
        page = content / f"topic-{i % 4}" / f"article-{i}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        following = i + 4 if i + 4 < ARTICLES else i  # same folder
        page.write_text(
            f"---\ntitle: Article {i}\ntags: [t{i % 5}]\n---\n\nSee [the next one](article-{following}.md)."
            f"\n\n## Refunds {i}\n\n```python\nprint({i})\n```\n\n| a | b |\n|---|---|\n| {i} | x |\n",
            encoding="utf-8")


def build_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, bytes]]:
    """The same site loaded with the helper and by one process alone: every file of each build."""
    runner = CliRunner()
    outputs = {}
    for name, threshold in [("shared", 1), ("alone", 10**9)]:
        monkeypatch.setattr(loading, "PARALLEL_THRESHOLD", threshold)
        monkeypatch.chdir(tmp_path)
        shutil.rmtree(tmp_path / ".kbgen", ignore_errors=True)  # no render cache: every file is rendered
        result = runner.invoke(main, ["build", "--content", "content", "--out", name])
        assert result.exit_code == 0, result.output
        outputs[name] = files_under(tmp_path / name)
    return outputs


def slowed_here_and_noting_who(monkeypatch: pytest.MonkeyPatch, marks: Path) -> int:
    """Make the build's own process render each file 10 ms slower, so the helper surely takes chunks, and have every
    process note in `marks` which files it rendered. Returns the build process's pid."""
    parent = os.getpid()
    load_file = article.load_file

    def noting_who(raw: bytes, rel: str, display: str, settings):
        (marks / f"{os.getpid()}-{rel.replace('/', '_')}").touch()
        if os.getpid() == parent:
            time.sleep(0.01)
        return load_file(raw, rel, display, settings)

    monkeypatch.setattr(loading, "load_file", noting_who)
    return parent


def test_the_helper_and_the_build_render_the_same_site_as_one_process(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's process is slowed so the helper surely takes chunks; each process notes whose files it did."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: the load stage has no helper to share with")
    write_site(tmp_path / "content")
    marks = tmp_path / "marks"
    marks.mkdir()
    parent = slowed_here_and_noting_who(monkeypatch, marks)
    outputs = build_both_ways(tmp_path, monkeypatch)
    assert outputs["shared"] == outputs["alone"]
    assert len([p for p in outputs["shared"] if p.endswith("index.html")]) >= ARTICLES
    helpers = {m.name.split("-")[0] for m in marks.iterdir()} - {str(parent)}
    assert helpers  # some files were rendered in another process
    assert loading._shared is None  # nothing of the build is left behind for the next one


def test_chunks_of_a_helper_that_dies_are_rendered_by_the_build(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed holding its second chunk (out of memory, say): the build renders that chunk itself, and the site is
    the same as one process makes alone."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: the load stage has no helper to share with")
    write_site(tmp_path / "content")
    marks = tmp_path / "marks"
    marks.mkdir()
    parent = slowed_here_and_noting_who(monkeypatch, marks)  # so the helper gets to its second chunk in time
    take_back = WorkQueue.take_back

    def dies_with_its_second_chunk(self: WorkQueue) -> int | None:
        taken = take_back(self)
        if os.getpid() != parent and taken is not None and len(self.taken_from_back()) >= 2:
            (marks / f"died-holding-{taken}").touch()
            os._exit(9)
        return taken

    monkeypatch.setattr(WorkQueue, "take_back", dies_with_its_second_chunk)
    outputs = build_both_ways(tmp_path, monkeypatch)
    assert [m.name for m in marks.iterdir() if m.name.startswith("died-holding-")]
    assert outputs["shared"] == outputs["alone"]
    assert len([p for p in outputs["shared"] if p.endswith("index.html")]) >= ARTICLES
