"""TUI fixtures: the test world built once per session, copied for each test.

Building and migrating a store costs about a second; copying the finished SQLite file
costs a millisecond, so every test still gets a store of its own.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import FrozenClock, make_services
from tests.world import PASSWORD, World, build_world

SIZE = (120, 40)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


DEMO_ACCOUNTS = [
    DemoAccount("sw", PASSWORD, "Social worker (registered)"),
    DemoAccount("student", PASSWORD, "Student social worker: needs qualified countersign"),
    DemoAccount("manager", PASSWORD, "Team manager"),
    DemoAccount("admin", PASSWORD, "Administrator: accounts only, no case records"),
]


@pytest.fixture(scope="session")
def world_template(tmp_path_factory) -> tuple[Path, World]:
    folder = tmp_path_factory.mktemp("world")
    path = folder / "recorder.sqlite3"
    svc = make_services(f"sqlite:///{path}")
    world = build_world(svc)
    from recorder.services import children

    # the student holds two children of their own, so their home screen has rows
    for ref, name, dob, plan, start in [
        ("C0002", "Zofia Wiśniewska", date(2019, 2, 11), "child_in_need", date(2026, 6, 1)),
        ("C0003", "Leo Ahmed", date(2012, 9, 30), "none", None),
    ]:
        children.add_child(svc, world.admin, children.ChildInput(
            reference=ref, full_name=name, date_of_birth=dob, plan_type=plan,
            plan_start=start, team="North", allocated_worker="student"))
    with svc.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    svc.engine.dispose()
    return path, world


@pytest.fixture
def world_svc(world_template, tmp_path):
    """(Services on a private copy of the world store, the World ids)."""
    from recorder.domain.policy import Policy
    from recorder.services.accounts import Hasher
    from recorder.services.core import Services
    from recorder.store.engine import make_engine

    template, world = world_template
    path = tmp_path / "data" / "recorder.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    svc = Services(engine=make_engine(f"sqlite:///{path}"), policy=Policy(), clock=FrozenClock(),
                   hasher=Hasher(time_cost=1, memory_cost=8, parallelism=1))
    yield svc, world
    svc.engine.dispose()


@pytest.fixture
def make_app(world_svc) -> Callable:
    from recorder.tui.app import RecorderApp

    def make(services=None, **kw):
        kw.setdefault("cursor_blink", False)
        return RecorderApp(services if services is not None else world_svc[0], **kw)

    return make
