"""The service manager (issue 11, part 3), on SQLite and PostgreSQL: a registered role above
the team managers of the teams they manage; every team's queues; overdue oversight escalated
to them after N working days (policy); sign-off of a team manager's own records, so that a
one-manager team's manager has someone to sign theirs off; nobody signs off their own work at
any level. And the administration commands that make one."""

from __future__ import annotations

from datetime import date

import pytest

from recorder.domain.policy import Policy
from recorder.domain.workflow import is_escalated
from recorder.services import accounts, caseloads, children, escalation, oversight, team, visits
from recorder.services.errors import InvalidInput, NotAllowed
from tests.support.records import note_for, submitted
from tests.support.world import PASSWORD, build_world
from tests.test_cli import ok, refused, run, store  # noqa: F401 - fixtures


@pytest.fixture
def world(svc):
    return build_world(svc)


def add_head(svc, world, manages=("North",), username="head") -> int:
    return accounts.add_user(
        svc,
        world.admin,
        username=username,
        full_name="Rosa Head",
        role="service_manager",
        password=PASSWORD,
        registration_number="SW400001",
        registration_checked_on=date(2026, 10, 1),
        manages=manages,
    )


def south_child(svc, world, holder: str) -> int:
    return children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference="S1",
            full_name="Sami South",
            date_of_birth=date(2015, 1, 1),
            team="South",
            allocated_worker=holder,
        ),
    )


def test_escalation_is_n_working_days_past_the_oversight_due_date():
    policy = Policy()  # 2 working days by default
    due = date(2026, 12, 3)  # a Thursday
    assert not is_escalated(due, date(2026, 12, 4), policy)  # overdue by 1
    assert not is_escalated(due, date(2026, 12, 7), policy)  # Monday: overdue by 2
    assert is_escalated(due, date(2026, 12, 8), policy)  # Tuesday: overdue by 3, escalated
    assert not is_escalated(None, date(2026, 12, 8), policy)
    assert is_escalated(due, date(2026, 12, 4), Policy(oversight_escalate_after_working_days=0))


def test_a_one_manager_teams_own_visit_reaches_the_service_manager(svc, world, clock):
    head = add_head(svc, world, manages=("South",))
    # South has one team manager, who holds a case and records a visit on it
    smgr = accounts.add_user(
        svc,
        world.admin,
        username="smgr",
        full_name="Sue South",
        role="team_manager",
        password=PASSWORD,
        team="South",
        registration_number="SW300009",
        registration_checked_on=date(2026, 10, 1),
    )
    kid = south_child(svc, world, "smgr")
    vid = submitted(svc, smgr, kid)
    note = note_for(svc, vid)
    with pytest.raises(NotAllowed, match="your own record: the service manager"):
        visits.sign_off(svc, smgr, vid, note, PASSWORD)
    for other in (world.manager, world.manager2):  # managers of another team
        with pytest.raises(NotAllowed, match="manager of the author's team"):
            visits.sign_off(svc, other, vid, note, PASSWORD)
    [row] = [r for r in oversight.oversight_queue(svc, head) if r.visit_id == vid]
    assert row.can_act and row.manager_record and row.team_name == "South"
    assert "Sue South is a team manager" in row.note
    assert oversight.oversight_queue(svc, smgr)[0].why_not.startswith(
        "You cannot sign off your own record"
    )
    assert escalation.attention(svc, head).manager_records == 1
    assert "1 team manager's own record to sign off" in escalation.attention(svc, head).words
    visits.sign_off(svc, head, vid, note, PASSWORD)
    view = visits.load_visit(svc, smgr, vid)
    assert view.state == "signed_off"
    assert escalation.attention(svc, head).words == ""


def test_overdue_oversight_is_escalated_in_words(svc, world, clock):
    head = add_head(svc, world)
    vid = submitted(svc, world.sw, world.child)  # Thursday 26 November: due 3 December
    clock.advance(days=11)  # Monday 7 December: overdue by 2, not yet escalated
    [row] = oversight.oversight_queue(svc, head)
    assert (row.due_said, row.escalated) == ("overdue by 2 working days", False)
    clock.advance(days=1)  # Tuesday 8 December
    for reader in (head, world.manager):  # the team manager sees it is escalated too
        [row] = oversight.oversight_queue(svc, reader)
        assert row.visit_id == vid and row.escalated
        assert row.due_said == "overdue by 3 working days, escalated"
        assert "escalated to the service manager" in row.note
    words = escalation.attention(svc, head).words
    assert "1 record overdue by 3 working days, escalated" in words
    # past Social Work England's renewal deadline (30 Nov) a signer's register check must
    # be newer than it (issue 12, defect 7)
    accounts.check_registration(svc, world.admin, "head", date(2026, 12, 1))
    visits.sign_off(svc, head, vid, note_for(svc, vid), PASSWORD)


def test_nobody_signs_off_or_countersigns_their_own_at_any_level(svc, world):
    head = add_head(svc, world)
    student = submitted(svc, world.student, world.child)
    visits.countersign(
        svc, head, student, "I read the whole record and agree with it all.", PASSWORD
    )
    with pytest.raises(NotAllowed, match="You countersigned"):
        visits.sign_off(svc, head, student, note_for(svc, student), PASSWORD)
    visits.sign_off(svc, world.manager, student, note_for(svc, student), PASSWORD)
    own = submitted(svc, world.manager, world.child)
    with pytest.raises(NotAllowed, match="own record"):
        visits.sign_off(svc, world.manager, own, note_for(svc, own), PASSWORD)
    visits.sign_off(svc, head, own, note_for(svc, own), PASSWORD)


def test_a_service_manager_reads_the_teams_they_manage_and_no_other(svc, world):
    head = add_head(svc, world)
    south = south_child(svc, world, "southsw")
    assert caseloads.child_view(svc, head, world.child).may_add_case_note
    with pytest.raises(NotAllowed):
        caseloads.child_view(svc, head, south)
    assert [r.reference for r in caseloads.team_children(svc, head)] == ["C0001"]
    assert team.team_view(svc, head).team_name == "North"
    with pytest.raises(NotAllowed):
        visits.start_visit(svc, head, world.child)  # a service manager holds no case


def test_accounts_make_a_service_manager_and_assign_teams(svc, world):
    with pytest.raises(InvalidInput, match="Only a service manager manages teams"):
        accounts.add_user(
            svc,
            world.admin,
            username="tm3",
            full_name="Tia Manager",
            role="team_manager",
            password=PASSWORD,
            team="North",
            registration_number="SW100003",
            manages=("South",),
        )
    with pytest.raises(InvalidInput, match="Social Work England"):
        accounts.add_user(
            svc, world.admin, username="h2", full_name="No Number", role="service_manager",
            password=PASSWORD, manages=("North",),
        )  # fmt: skip
    add_head(svc, world, manages=("North", "South"))
    info = {u.username: u for u in accounts.list_users(svc, world.admin)}
    assert info["head"].manages == ("North", "South")
    accounts.set_role(svc, world.admin, "head", "service_manager", manages=["South"])
    info = {u.username: u for u in accounts.list_users(svc, world.admin)}
    assert info["head"].manages == ("South",)
    accounts.set_role(svc, world.admin, "head", "social_worker", team="North")
    info = {u.username: u for u in accounts.list_users(svc, world.admin)}
    assert info["head"].manages == ()


def test_the_cli_adds_a_service_manager_with_their_teams(run, store):  # noqa: F811
    ok(run(store, "team", "add", "North"))
    ok(run(store, "team", "add", "South"))
    env = {"RECORDER_NEW_PASSWORD": "head password 1"}
    out = ok(
        run(
            store, "user", "add", "head", "--name", "Rosa Head", "--role", "service_manager",
            "--registration", "SW400001", "--manages", "North", "--manages", "South", env=env,
        )
    )  # fmt: skip
    assert "They manage North, South." in out
    listing = ok(run(store, "user", "list"))
    assert "manages North, South" in listing and "service_manager" in listing
    result = run(
        store, "user", "add", "tm", "--name", "Tia Manager", "--role", "team_manager",
        "--registration", "SW100003", "--team", "North", "--manages", "South", env=env,
    )  # fmt: skip
    refused(result)
    assert "Only a service manager manages teams" in result.stderr + result.stdout
