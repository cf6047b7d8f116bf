"""The demo store (``recorder demo``'s), made once per test process and copied for each use.

``recorder demo`` costs about 6 s of CPU: a dozen accounts hashed with argon2's production
parameters (3.3 s), then the story of visits through the services. The tests that serve the
app to a browser or through a proxy need a store with the demo's team, children and visits
and its sign-ins, not the making of one again for each module, nor production hashes (a
served app checks a password with the parameters in its hash, and rehashes it to its own
at the first sign-in). So the first call makes it as ``recorder demo`` does (the store
migrated on the real clock, ``demo.team.populate``), in this process, with the suite's cheap
argon2 parameters (tests/support/stores.fast_hasher); each call copies its file into a
folder of the caller's (the store is one SQLite file, checkpointed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STORE = "recorder.sqlite3"
_made: Path | None = None


def _make(folder: Path) -> None:
    from recorder.demo import team
    from recorder.paths import sqlite_url
    from recorder.services.bootstrap import open_services
    from tests.support.stores import checkpoint, fast_hasher

    # the default policy (no policy.toml there), the real clock, migrated: as recorder demo
    svc = open_services(url=sqlite_url(folder), config_folder=folder / "no-config")
    try:
        svc.hasher = fast_hasher()
        team.populate(svc)
        checkpoint(svc)  # the file alone is the whole store
    finally:
        svc.engine.dispose()


def demo_store(tmp_path_factory, name: str = "demo-store") -> Path:
    """A new folder holding a copy of the demo store; its path (``--data-dir``)."""
    global _made
    if _made is None or not (_made / STORE).exists():
        folder = tmp_path_factory.mktemp("demo-template")
        _make(folder)
        _made = folder
    folder = tmp_path_factory.mktemp(name)
    os.chmod(folder, 0o700)
    shutil.copyfile(_made / STORE, folder / STORE)
    os.chmod(folder / STORE, 0o600)
    return folder
