"""The demo store (``recorder demo``'s), made once per test process and copied for each use.

``recorder demo`` costs about 6 s of CPU (a dozen accounts hashed with argon2's production
parameters, a story of visits signed off with passwords); the tests that serve the app to a
browser or through a proxy need a store with the demo's accounts, not the making of one
again for each module. The first call makes it with the command line, as those tests did;
each call copies its file into a folder of the caller's (the store is one SQLite file:
``recorder demo`` leaves it checkpointed and closed).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

STORE = "recorder.sqlite3"
_made: Path | None = None


def demo_store(tmp_path_factory, name: str = "demo-store") -> Path:
    """A new folder holding a copy of the demo store; its path (``--data-dir``)."""
    global _made
    if _made is None or not (_made / STORE).exists():
        folder = tmp_path_factory.mktemp("demo-template")
        made = subprocess.run(
            [sys.executable, "-m", "recorder", "--data-dir", str(folder), "demo"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert made.returncode == 0, made.stderr
        con = sqlite3.connect(folder / STORE)
        try:  # the file alone is the whole store
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
        _made = folder
    folder = tmp_path_factory.mktemp(name)
    os.chmod(folder, 0o700)
    shutil.copyfile(_made / STORE, folder / STORE)
    os.chmod(folder / STORE, 0o600)
    return folder
