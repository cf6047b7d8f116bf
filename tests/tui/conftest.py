"""TUI fixtures: the test world built once per session (per pytest-xdist worker), copied
for each test.

Building and migrating a store costs about a second; copying the finished SQLite file
costs a millisecond, so every test still gets a store of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from tests.support.stores import copy_store, open_services
from tests.support.tui import DEMO_ACCOUNTS, SIZE, DemoAccount, build_tui_store  # noqa: F401
from tests.support.world import World


@pytest.fixture(scope="session")
def world_template(tmp_path_factory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("world") / "recorder.sqlite3"
    return path, build_tui_store(path)


@pytest.fixture
def world_svc(world_template, tmp_path):
    """(Services on a private copy of the world store, the World ids)."""
    template, world = world_template
    svc = open_services(copy_store(template, tmp_path / "data" / "recorder.sqlite3"))
    yield svc, world
    svc.engine.dispose()


@pytest.fixture
def make_app(world_svc) -> Callable:
    from recorder.tui.app import RecorderApp

    def make(services=None, **kw):
        kw.setdefault("cursor_blink", False)
        from tests.support.pilot import record_notices

        app = RecorderApp(services if services is not None else world_svc[0], **kw)
        record_notices(app)
        return app

    return make


@pytest.fixture
def snap_compare(snap_compare, request):
    """The plugin's ``snap_compare``, which on a mismatch also prints the differing lines of
    the screen (kept in the test's captured output, so CI logs show them)."""
    import pickle

    from pytest_textual_snapshot import node_to_report_path

    from tests.support.snapshots import explain

    def compare(*args, **kw):
        ok = snap_compare(*args, **kw)
        if not ok:
            data = pickle.loads(node_to_report_path(request.node).read_bytes())
            expected, actual = data[1], data[2]
            print("The screen differs from its snapshot:\n" + explain(expected or "", actual))
        return ok

    return compare
