"""The TUI tests' world: the test world, plus two children of the student's own so that
their home screen has rows; the terminal size; the demo accounts the sign-in screen lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.support.stores import checkpoint, make_services
from tests.support.world import PASSWORD, World, build_world

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


def held_as_before_issue_12(svc, worker_id: int, refs: tuple[str, ...]) -> None:
    """The student holds two children, as stores did before issue 12 made that refused
    (``services.children`` allocates only registered workers now; tests/test_case_holding.py
    covers co-workers). Written straight into the store, so that the screens the snapshots
    show stay as they were."""
    from sqlalchemy import text
    from sqlmodel import Session

    from recorder.store.engine import writer

    with Session(writer(svc.engine)) as s, s.begin():
        for ref in refs:
            s.execute(
                text("UPDATE child SET allocated_worker_id = :w WHERE reference = :r"),
                {"w": worker_id, "r": ref},
            )


def build_tui_store(path: Path) -> World:
    """Make the TUI world in a new SQLite store at ``path``, ready to be copied."""
    from recorder.services import children

    svc = make_services(f"sqlite:///{path}")
    try:
        world = build_world(svc)
        for ref, name, dob, plan, start in [
            ("C0002", "Zofia Wiśniewska", date(2019, 2, 11), "child_in_need", date(2026, 6, 1)),
            ("C0003", "Leo Ahmed", date(2012, 9, 30), "none", None),
        ]:
            children.add_child(
                svc,
                world.admin,
                children.ChildInput(
                    reference=ref,
                    full_name=name,
                    date_of_birth=dob,
                    plan_type=plan,
                    plan_start=start,
                    team="North",
                ),
            )
        held_as_before_issue_12(svc, world.student, ("C0002", "C0003"))
        checkpoint(svc)
    finally:
        svc.engine.dispose()
    return world
