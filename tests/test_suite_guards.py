"""The suite's own guard: with RECORDER_REQUIRE_POSTGRES set, a run in which any PostgreSQL
test was skipped fails, also when pytest-xdist spreads the tests over several workers (the
skip is seen by the controller, whichever worker ran it)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CONFTEST = """
from tests.conftest import pytest_runtest_logreport, pytest_sessionfinish  # noqa: F401
"""
TESTS = """
import os
import pytest

@pytest.mark.parametrize("n", range(6))
def test_sqlite(n):
    pass

@pytest.mark.postgres
@pytest.mark.parametrize("n", range(6))
def test_on_postgresql(n):
    if n == int(os.environ.get("SKIP_ONE", "-1")):
        pytest.skip("no server")
"""


BROWSER_TESTS = """
import os
import pytest

def test_sqlite():
    pass

@pytest.mark.browser
def test_in_chromium():
    if os.environ.get("SKIP_ONE"):
        pytest.skip("no chromium")
"""


def _run(tmp_path: Path, *, skip_one: bool, require: str = "RECORDER_REQUIRE_POSTGRES"):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    tests = BROWSER_TESTS if require == "RECORDER_REQUIRE_BROWSER" else TESTS
    (tmp_path / "test_guarded.py").write_text(tests)
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    )
    for variable in ("RECORDER_REQUIRE_POSTGRES", "RECORDER_REQUIRE_BROWSER"):
        env.pop(variable, None)  # CI sets both; each case here sets only its own
    env[require] = "1"
    # only xdist (-p xdist below): the other installed plugins (hypothesis, textual's
    # snapshots, asyncio, timeout) would be imported by the run and by each of its workers
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    if skip_one:
        env["SKIP_ONE"] = "5"  # the last one, so a worker other than the first may run it
    else:
        env.pop("SKIP_ONE", None)
    import subprocess

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "xdist",
            "-n",
            "2",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-o",
            "markers=postgres\nbrowser",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("skip_one", [True, False], ids=["one-skipped", "none-skipped"])
def test_a_skipped_postgresql_test_fails_the_run_across_workers(tmp_path, skip_one):
    done = _run(tmp_path, skip_one=skip_one)
    out = done.stdout + done.stderr
    assert "2 workers" in out, out
    if skip_one:
        assert done.returncode != 0, out
        assert "PostgreSQL tests did not all run: 5 passed, 1 skipped" in out, out
    else:
        assert done.returncode == 0, out
        assert "did not all run" not in out, out


@pytest.mark.parametrize("skip_one", [True, False], ids=["skipped", "ran"])
def test_a_skipped_browser_test_fails_the_run(tmp_path, skip_one):
    done = _run(tmp_path, skip_one=skip_one, require="RECORDER_REQUIRE_BROWSER")
    out = done.stdout + done.stderr
    if skip_one:
        assert done.returncode != 0, out
        assert "browser tests did not all run: 0 passed, 1 skipped" in out, out
    else:
        assert done.returncode == 0, out
        assert "did not all run" not in out, out
