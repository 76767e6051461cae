"""A big site's Markdown is rendered by the build's own process and a forked helper together, from the two ends
of one list of chunks; what they render must be exactly what one process renders alone, even if the helper dies.

The executor's fault hook (`kbgen.parallel.fault_hook`) slows the build's own process and notes which process
took which chunk; `KBGEN_PARALLEL` turns the helper on for a site this small, or off."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import files_under

from kbgen import parallel
from kbgen.cli import main

ARTICLES = 90


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
    for name, mode in [("shared", "always"), ("alone", "never")]:
        monkeypatch.setenv("KBGEN_PARALLEL", mode)
        monkeypatch.chdir(tmp_path)
        shutil.rmtree(tmp_path / ".kbgen", ignore_errors=True)  # no render cache: every file is rendered
        result = runner.invoke(main, ["build", "--content", "content", "--out", name])
        assert result.exit_code == 0, result.output
        outputs[name] = files_under(tmp_path / name)
    return outputs


def slowed_here_and_noting_who(marks: Path, parent: int):
    """A fault hook: the build's own process takes each chunk 50 ms late, so the helper surely takes chunks, and
    every process notes in `marks` which chunks it took."""

    def hook(event: str, index: int) -> None:
        if event.startswith("chunk:"):
            (marks / f"{os.getpid()}-{index}").touch()
            if os.getpid() == parent:
                time.sleep(0.05)

    return hook


def test_the_helper_and_the_build_render_the_same_site_as_one_process(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's process is slowed so the helper surely takes chunks; each process notes whose chunks it did."""
    write_site(tmp_path / "content")
    marks = tmp_path / "marks"
    marks.mkdir()
    parent = os.getpid()
    with parallel.fault_hook(slowed_here_and_noting_who(marks, parent)):
        outputs = build_both_ways(tmp_path, monkeypatch)
    assert outputs["shared"] == outputs["alone"]
    assert len([p for p in outputs["shared"] if p.endswith("index.html")]) >= ARTICLES
    helpers = {m.name.split("-")[0] for m in marks.iterdir()} - {str(parent)}
    assert helpers  # some chunks were rendered in another process
    assert not parallel.running()  # nothing of the build is left behind for the next one


def test_chunks_of_a_helper_that_dies_are_rendered_by_the_build(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed as it takes its second chunk (out of memory, say): the build renders that chunk itself, and the site
    is the same as one process makes alone."""
    write_site(tmp_path / "content")
    marks = tmp_path / "marks"
    marks.mkdir()
    parent = os.getpid()
    slowed = slowed_here_and_noting_who(marks, parent)  # so the helper gets to its second chunk in time
    taken = []

    def dies_with_its_second_chunk(event: str, index: int) -> None:
        slowed(event, index)
        if event == "chunk:back":
            taken.append(index)  # in the helper's own memory
            if len(taken) == 2:
                (marks / f"died-holding-{index}").touch()
                os._exit(9)

    with parallel.fault_hook(dies_with_its_second_chunk):
        outputs = build_both_ways(tmp_path, monkeypatch)
    assert [m.name for m in marks.iterdir() if m.name.startswith("died-holding-")]
    assert outputs["shared"] == outputs["alone"]
    assert len([p for p in outputs["shared"] if p.endswith("index.html")]) >= ARTICLES
    assert not parallel.running()
