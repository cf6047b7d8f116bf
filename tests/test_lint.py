"""ruff: the lint rules and the formatter's style (``[tool.ruff]`` in pyproject.toml) hold
over the whole tree, as the test command runs them; and the check can fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ["recorder", "tests", "scripts"]


def ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ruff_lint_passes():
    done = ruff("check", *TREE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_kept():
    done = ruff("format", "--check", *TREE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_checks_fail_on_a_bad_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text("utf-8"), encoding="utf-8"
    )
    (tmp_path / "bad.py").write_text("import os\nx=1\n", encoding="utf-8")
    lint = ruff("check", "bad.py", cwd=tmp_path)
    assert lint.returncode != 0 and "F401" in lint.stdout
    fmt = ruff("format", "--check", "bad.py", cwd=tmp_path)
    assert fmt.returncode != 0 and "bad.py" in fmt.stdout
