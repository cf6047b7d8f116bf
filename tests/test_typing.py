"""The type checker over the rules and the use cases: ``mypy`` with ``[tool.mypy]`` from
pyproject.toml (``recorder/domain`` and ``recorder/services``), as the test command runs it.

Each pytest-xdist worker keeps its own incremental cache under ``.mypy_cache/``, so two
workers (or two runs) never write one cache at once, and a rerun checks only what changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_domain_and_services_type_check():
    cache = ROOT / ".mypy_cache" / f"pytest-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "recorder/domain" in _configured_files() and "recorder/services" in _configured_files()


def _configured_files() -> list[str]:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mypy"]["files"]


def test_the_check_fails_on_a_type_error(tmp_path):
    """The same command, on a file with a type error, fails and names it."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from recorder.domain.roles import Role\n\n"
        "def label(r: Role) -> int:\n    return r.label\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1 and "bad.py:4: error" in done.stdout, done.stdout + done.stderr
