"""One small broken site per error: the message names the file and line, the exit code is 1, and the site
that was already published is left byte-for-byte as it was (Zola's `test_sites_invalid/` idea)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import files_under, run

from kbgen.output.ownership import SITE_MARKER, site_marker

SITES = Path(__file__).parent / "sites" / "invalid"
CASES = sorted(p.name for p in SITES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_reports_file_and_line_and_keeps_old_site(case: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SITES / case, tmp_path, dirs_exist_ok=True)
    expected = (tmp_path / "expected.txt").read_text(encoding="utf-8").splitlines()
    (tmp_path / "expected.txt").unlink()
    old_site = tmp_path / "site"
    (old_site / "billing").mkdir(parents=True)
    (old_site / "index.html").write_text("<p>the published site</p>", encoding="utf-8")
    (old_site / "billing" / "page.html").write_bytes(b"\x00binary\xff")
    (old_site / SITE_MARKER).write_bytes(site_marker(["index.html", "billing/page.html"]))  # as kbgen marks a site
    before = files_under(old_site)
    monkeypatch.chdir(tmp_path)

    result = run("build")

    assert result.exit_code == 1, result.output
    printed = result.stderr.splitlines()
    for line in expected:
        assert line in printed, f"missing diagnostic:\n{line}\n--- got:\n{result.stderr}"
    assert "Traceback" not in result.output
    assert files_under(old_site) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]
    assert leftovers == []


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_same_problems(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SITES / case, tmp_path, dirs_exist_ok=True)
    expected = (tmp_path / "expected.txt").read_text(encoding="utf-8").splitlines()
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 1
    for line in expected:
        assert line in result.stderr.splitlines()
    assert not (tmp_path / "site").exists()
