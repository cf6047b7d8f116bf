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
                    allocated_worker="student",
                ),
            )
        checkpoint(svc)
    finally:
        svc.engine.dispose()
    return world
