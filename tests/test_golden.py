"""The whole output of a small site compared with a committed copy, page by page (Pelican's functional tests).

Regenerate after an intended change with one command, then review the diff:

    KBGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run

SOURCE = Path(__file__).parent / "sites" / "golden"
EXPECTED = Path(__file__).parent / "golden"
#: Theme assets change with every style tweak and Pygments release; their presence is checked, not their bytes.
VOLATILE = ("assets/",)


def tree(folder: Path) -> dict[str, bytes]:
    """Bytes, not text: a site also holds binary files (the analytics beacon GIF)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()
            and not p.relative_to(folder).as_posix().startswith(VOLATILE)}


def test_golden_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SOURCE, tmp_path / "kb")
    for path in (tmp_path / "kb").rglob("*"):  # articles without `updated:` show their file's date
        os.utime(path, (1_700_000_000, 1_700_000_000))
    monkeypatch.chdir(tmp_path / "kb")
    result = run("build")
    assert result.exit_code == 0, result.output
    built = tree(tmp_path / "kb" / "site")
    assert (tmp_path / "kb/site/assets/kbgen.css").is_file()
    assert (tmp_path / "kb/site/assets/pygments.css").is_file()
    if os.environ.get("KBGEN_UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel, text in built.items():
            (EXPECTED / rel).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / rel).write_bytes(text)
        pytest.skip("golden files regenerated; review `git diff tests/golden`")
    expected = tree(EXPECTED)
    assert sorted(built) == sorted(expected)
    for rel in expected:
        assert built[rel] == expected[rel], f"{rel} differs from tests/golden/{rel}"
