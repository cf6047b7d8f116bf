"""The direction of imports holds (import-linter, contracts in pyproject.toml), and the check
can fail: a copy of the package with one screen importing another breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_contracts_are_kept():
    run = lint_imports(ROOT, ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "recorder", tmp_path / "recorder", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_a_screen_importing_a_screen_breaks_the_contract(tmp_path):
    root = copy_of_the_package(tmp_path)
    home = root / "recorder" / "tui" / "screens" / "home.py"
    home.write_text(
        home.read_text(encoding="utf-8")
        + "\n\ndef _shortcut():\n    from recorder.tui.screens.child import ChildScreen\n"
        "    return ChildScreen\n",
        encoding="utf-8",
    )
    run = lint_imports(root, root)
    assert run.returncode != 0
    assert "screens do not import screens" in run.stdout
    assert "BROKEN" in run.stdout
    assert "recorder.tui.screens.home -> recorder.tui.screens.child" in run.stdout


def test_the_tui_reaching_the_store_breaks_the_contract(tmp_path):
    root = copy_of_the_package(tmp_path)
    fmt = root / "recorder" / "tui" / "format.py"
    fmt.write_text(
        fmt.read_text(encoding="utf-8") + "\nfrom recorder.store import models\n", encoding="utf-8"
    )
    run = lint_imports(root, root)
    assert run.returncode != 0
    assert "the TUI reaches the store only through services BROKEN" in run.stdout


def test_no_module_in_recorder_is_over_600_lines():
    """Issue 10: a module that grows past 600 lines is doing more than one job; split it by job
    (as ``services/caseloads.py`` and ``services/team.py`` were split out of ``children`` and
    ``oversight``)."""
    limit = 600
    over = {
        str(p.relative_to(ROOT)): n
        for p in sorted((ROOT / "recorder").rglob("*.py"))
        if (n := len(p.read_text("utf-8").splitlines())) > limit
    }
    assert not over, f"modules over {limit} lines: {over}"
