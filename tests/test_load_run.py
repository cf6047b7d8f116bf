"""The load run (tests/benchmarks/load.py, issue 14) runs: three workers for a few seconds,
autosaving every 0.05 s, on a database of its own on the test server (dropped after). Its
report names every operation with no error, nothing lost and ``recorder check`` clean. It
measures nothing here: the figures are the 50-worker run's, in the README."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.postgres
@pytest.mark.slow
def test_the_load_run_reports_every_operation_and_no_error(pg_server_url, tmp_path):
    sys.path.insert(0, str(ROOT))
    from tests.benchmarks.load import OPS

    out = tmp_path / "load.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "benchmarks" / "load.py"),
            "--workers=3",
            # long enough for each social worker to type and submit a record and the manager
            # to sign some off (at a load average of 5: 6 visits, 4 submits, 4 sign-offs);
            # the figures are not what this checks
            "--seconds=5",
            "--tick=0.05",
            "--visits-per-child=1",
            f"--pg-url={pg_server_url.render_as_string(hide_password=False)}",
            f"--database=recorder_load_{uuid.uuid4().hex[:10]}",
            "--drop",
            f"--json={out}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=200,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = json.loads(out.read_text())
    assert set(summary["operations"]) == set(OPS)
    for op, row in summary["operations"].items():
        assert row["n"] > 0, (op, done.stdout)
        assert row["errors"] == 0, (op, done.stdout)
    assert summary["errors"] == 0 and not summary["fatal"], done.stdout
    assert summary["problems"] == [], done.stdout
    assert summary["checked"]["sections"] > 0 and summary["checked"]["sign-offs"] > 0
    assert summary["check_returncode"] == 0, done.stdout
    for line in ("| autosave |", "audit-chain lock:", "pg_locks", "nothing lost:"):
        assert line in done.stdout, done.stdout
