"""A wheel of kbgen carries the default theme and the starter project, so `pip install kbgen` can build a site."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def test_wheel_contains_the_default_theme(tmp_path: Path) -> None:
    source = tmp_path / "src"  # a copy, so setuptools' build/ folder never lands in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "kbgen", source / "kbgen", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(source)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("kbgen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = REPO / "kbgen" / "themes" / "default"
    expected = {f"kbgen/themes/default/{p.relative_to(theme).as_posix()}" for p in theme.rglob("*") if p.is_file()}
    assert expected and expected <= names
    assert "kbgen/starter/kbgen.yml" in names and "kbgen/starter/.gitignore" in names
    assert "kbgen/starter/content/getting-started/welcome.md" in names
    assert any(n.endswith(".dist-info/LICENSE") for n in names)
