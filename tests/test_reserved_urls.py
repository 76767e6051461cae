"""A writer's folder named like one of kbgen's own pages gets an error, never a silently replaced page."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kbgen.cli import main


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_search_folder_in_a_language_tree_is_refused_naming_the_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "kbgen.yml", "languages: [en, ru]\n")
    write(tmp_path / "content/en/search/tips.md", "# Search tips\n\nUse fewer words.\n")
    write(tmp_path / "content/ru/start.md", "# Начало\n\nТекст.\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "content/en/search/tips.md:1: error[duplicate-url]" in result.output
    assert "reserved for kbgen's own pages" in result.output
    assert not (tmp_path / "site").exists()


def test_the_same_folder_name_deeper_down_is_fine(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "content/help/search/tips.md", "# Search tips\n\nUse fewer words.\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site/help/search/tips/index.html").is_file()
    assert (tmp_path / "site/search/index.html").is_file()
