"""A big site's search index is built on the second core while pages render; what it publishes must be exactly
what one process makes alone, whatever happens to the other process.

The executor's fault hook (`kbgen.parallel.fault_hook`) slows a process down, notes who did what, or makes the
other process die at a known point; `KBGEN_PARALLEL` turns the other process on for a site this small, or off."""

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
    for name, mode in [("forked", "always"), ("in-process", "never")]:
        monkeypatch.setenv("KBGEN_PARALLEL", mode)
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
    assert not parallel.running()  # nothing of the build is left behind for the next one


def test_the_index_of_a_second_process_that_dies_is_exported_again(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed as it starts exporting (out of memory, say): the build exports the whole index itself, and the site
    is the same as one process makes alone."""
    write_site(tmp_path / "content", articles=30)
    parent = os.getpid()

    def dies_exporting(event: str, index: int) -> None:
        if event == "job" and os.getpid() != parent:
            (tmp_path / "died").touch()
            os._exit(9)

    with parallel.fault_hook(dies_exporting):
        outputs = build_both_ways(tmp_path, monkeypatch)
    assert (tmp_path / "died").exists()  # the forked build's other process really died
    assert outputs["forked"] == outputs["in-process"]
    assert "search/manifest.js" in outputs["forked"]
    assert not parallel.running()


def test_the_popular_articles_of_a_forked_export_come_from_the_links_resolved_after_the_fork(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export starts before the links stage; which articles are linked to most reaches it afterwards."""
    write_site(tmp_path / "content")
    for i in (3, 4, 5, 7):  # four articles link to article 10, two to article 6
        with open(tmp_path / f"content/topic-{i % 3}/article-{i}.md", "a", encoding="utf-8") as page:
            page.write("\nSee [the tenth](../topic-1/article-10.md)" + (" and [the sixth](../topic-0/article-6.md)."
                                                                     if i in (3, 4) else ".") + "\n")
    outputs = build_both_ways(tmp_path, monkeypatch)
    assert outputs["forked"] == outputs["in-process"]
    manifest = outputs["forked"]["search/manifest.js"].decode()
    assert manifest.index("topic-1/article-10/") < manifest.index("topic-0/article-6/") < manifest.index(
        "topic-0/article-0/")


def test_a_big_site_on_linux_really_exports_in_another_process(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path / "content", articles=3)
    monkeypatch.setenv("KBGEN_PARALLEL", "always")
    monkeypatch.chdir(tmp_path)

    def noting_who_exports(event: str, index: int) -> None:
        if event == "job":
            (tmp_path / f"job-{os.getpid()}").touch()

    with parallel.fault_hook(noting_who_exports):
        result = CliRunner().invoke(main, ["build", "--content", "content", "--out", "site"])
    exporters = [p.name for p in tmp_path.glob("job-*")]
    assert result.exit_code == 0, result.output
    assert exporters and exporters != [f"job-{os.getpid()}"]
    assert (tmp_path / "site/search/manifest.js").is_file()
    assert not parallel.running()


def test_the_render_cache_of_a_two_process_build_serves_the_next_build(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path / "content", articles=30)
    monkeypatch.setenv("KBGEN_PARALLEL", "always")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--content", "content", "--out", "one"])
    assert "(30 articles, 30 rendered)" in first.output
    second = runner.invoke(main, ["build", "--content", "content", "--out", "two"])  # a new output: not up to date
    assert second.exit_code == 0, second.output
    assert "(30 articles, 0 rendered)" in second.output
    assert files_under(tmp_path / "one") == files_under(tmp_path / "two")


def test_a_build_whose_other_process_dies_at_once_still_exports_and_saves_its_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export's process dies before it starts: the build's process exports the index itself, and the next
    build renders nothing again and writes the same site."""
    write_site(tmp_path / "content", articles=30)
    monkeypatch.setenv("KBGEN_PARALLEL", "always")
    monkeypatch.chdir(tmp_path)
    parent = os.getpid()
    runner = CliRunner()
    with parallel.fault_hook(lambda event, index: os._exit(9) if event == "job" and os.getpid() != parent else None):
        first = runner.invoke(main, ["build", "--content", "content", "--out", "one"])
    assert "(30 articles, 30 rendered)" in first.output, first.output
    second = runner.invoke(main, ["build", "--content", "content", "--out", "two"])
    assert "(30 articles, 0 rendered)" in second.output, second.output
    assert "search/manifest.js" in files_under(tmp_path / "one")
    assert files_under(tmp_path / "one") == files_under(tmp_path / "two")


def built_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CliRunner, dict[str, bytes]]:
    """A site of 30 articles built with the second process, and its files."""
    write_site(tmp_path / "content", articles=30)
    monkeypatch.setenv("KBGEN_PARALLEL", "always")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--content", "content", "--out", "site"]).exit_code == 0
    return runner, files_under(tmp_path / "site")


def test_a_build_whose_links_fail_stops_before_the_export_and_keeps_the_last_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken link fails the build at once, with the message, the previous site untouched and nothing of the
    failed build left beside it."""
    runner, before = built_once(tmp_path, monkeypatch)
    (tmp_path / "content/topic-0/article-0.md").write_text("# Article 0\n\nSee [refunds](../nowhere/refunds.md).\n",
                                                         encoding="utf-8")
    failed = runner.invoke(main, ["build", "--content", "content", "--out", "site"])
    assert failed.exit_code == 1
    assert "content/topic-0/article-0.md:3: error[broken-link]" in failed.output
    assert files_under(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kbgen", "content", "site"]
    assert not parallel.running()


def test_a_template_failing_while_the_index_is_written_ends_the_export_and_keeps_the_last_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site theme whose article template fails on one page, while the other process is still writing the index:
    the build stops with the template's error without waiting for the export (which never finishes), the previous
    site is untouched and nothing is left beside it."""
    runner, before = built_once(tmp_path, monkeypatch)
    (tmp_path / "kbgen.yml").write_text("theme: broken\n", encoding="utf-8")
    template = tmp_path / "themes/broken/templates/article.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "default/article.html" %}\n'
                        '{% block main %}{% if page.title == "Article 7" %}{{ page.no_such_field }}{% endif %}'
                        '{{ super() }}{% endblock %}\n', encoding="utf-8")
    parent = os.getpid()

    def slow_export(event: str, index: int) -> None:
        if event == "job" and os.getpid() != parent:
            (tmp_path / "exporting").touch()
            time.sleep(20)  # the index takes long; the build fails meanwhile
            (tmp_path / "exported").touch()

    with parallel.fault_hook(slow_export):
        failed = runner.invoke(main, ["build", "--content", "content", "--out", "site"])
    assert failed.exit_code == 1, failed.output
    assert "template error" in failed.output and "no_such_field" in failed.output
    assert (tmp_path / "exporting").exists() and not (tmp_path / "exported").exists()
    assert not parallel.running()
    assert files_under(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kbgen", "content", "exporting", "kbgen.yml", "site",
                                                         "themes"]
