"""A small team built through the services, for service, stateful and TUI tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recorder.services import accounts, children
from tests.support.factories import PLAN_RISKS

PASSWORD = "correct horse battery"


@dataclass
class World:
    admin: int
    manager: int
    manager2: int
    sw: int
    sw2: int
    student: int
    awaiting: int
    other_team_sw: int
    child: int
    child_ref: str = "C0001"


def build_world(svc, checked_on: date = date(2026, 10, 1)) -> World:
    """The team. Registration is checked on 1 Oct 2026, current on the frozen clock's day; a
    harness that runs the services or the app on the real clock passes ``date.today()``, since
    a check before Social Work England's last renewal deadline makes an account unverified."""
    admin = accounts.create_first_admin(svc, "admin", "Ada Admin", PASSWORD)
    accounts.add_team(svc, admin, "North")
    accounts.add_team(svc, admin, "South")

    def add(username, name, role, team="North", reg=None, kind=None):
        return accounts.add_user(
            svc,
            admin,
            username=username,
            full_name=name,
            role=role,
            password=PASSWORD,
            team=team,
            registration_number=reg,
            unqualified_kind=kind,
            registration_checked_on=checked_on,
        )

    w = World(
        admin=admin,
        manager=add("manager", "Maya Manager", "team_manager", reg="SW100001"),
        manager2=add("manager2", "Mo Manager", "team_manager", reg="SW100002"),
        sw=add("sw", "Sam Social", "social_worker", reg="SW200001"),
        sw2=add("sw2", "Sol Social", "social_worker", reg="SW200002"),
        student=add("student", "Stu Student", "unqualified", kind="student"),
        awaiting=add("awaiting", "Ava Awaiting", "unqualified", kind="awaiting_registration"),
        other_team_sw=add("southsw", "Sid South", "social_worker", team="South", reg="SW300001"),
        child=0,
    )
    w.child = children.add_child(
        svc,
        admin,
        children.ChildInput(
            reference="C0001",
            full_name="Amira Khan",
            date_of_birth=date(2016, 5, 4),
            ethnicity="Pakistani",
            religion="Muslim",
            first_language="Urdu",
            interpreter_needed=True,
            plan_type="child_protection",
            plan_start=date(2026, 9, 1),
            plan_risks=PLAN_RISKS,
            team="North",
            allocated_worker="sw",
        ),
    )
    return w
