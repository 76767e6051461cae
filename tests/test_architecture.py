"""The package keeps the shape the README's layout table describes (issue 19): dependencies point one way between
the stage packages, nothing imports in a circle, no function grows past radon's complexity C and no module past
400 lines. A newcomer reads the build top to bottom; these checks keep it that way as features land."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "kbgen"
MAX_LINES = 400
WORST_RANK = "C"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "themes" not in p.relative_to(PACKAGE).parts)


def test_the_import_contracts_hold():
    """The layers and no-cycle contracts in pyproject.toml ([tool.importlinter]), checked by import-linter."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 2 kept, 0 broken." in done.stdout


def test_no_function_is_more_complex_than_c():
    too_complex = []
    for path in _modules():
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if cc_rank(block.complexity) > WORST_RANK:
                too_complex.append(f"{path.relative_to(REPO)}:{block.lineno} {block.fullname} "
                                   f"{cc_rank(block.complexity)} ({block.complexity})")
    assert not too_complex, "\n".join(too_complex)


def test_no_module_is_longer_than_400_lines():
    long = [f"{p.relative_to(REPO)}: {n} lines" for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not long, "\n".join(long)


def test_the_contract_would_catch_an_import_against_the_flow(tmp_path):
    """The contract is not vacuous: a copy of the package with one import from the content stage up into the
    render stage breaks it."""
    copy = tmp_path / "repo"
    shutil.copytree(PACKAGE, copy / "kbgen", ignore=shutil.ignore_patterns("__pycache__", "themes"))
    (copy / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    model = copy / "kbgen" / "content" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nimport kbgen.render.pages  # noqa\n", encoding="utf-8")
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=copy, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})
    assert done.returncode != 0
    assert "kbgen.content is not allowed to import kbgen.render" in done.stdout
