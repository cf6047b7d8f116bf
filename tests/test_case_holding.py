"""Case holding (issue 12, defect 6; DOMAIN.md "Case holding"): only a registered social
worker or a manager holds a case; students, trainees and staff awaiting registration are
named co-workers on a child whose holder is registered. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from recorder.services import caseloads, children, coworkers, visits
from recorder.services.errors import InvalidInput, NotAllowed
from recorder.services.notices import take_upgrade_notices
from recorder.store import models as m
from recorder.store.engine import writer
from recorder.store.migrate import upgrade
from tests.support.records import COUNTERSIGN_COMMENT, draft
from tests.support.stores import open_services
from tests.support.world import PASSWORD, build_world

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(svc):
    return build_world(svc)


def _child(ref: str, worker: str | None, co_worker: str | None = None) -> children.ChildInput:
    return children.ChildInput(
        reference=ref,
        full_name=f"Child {ref}",
        date_of_birth=date(2015, 3, 1),
        plan_type="child_protection",
        plan_start=date(2026, 9, 1),
        team="North",
        allocated_worker=worker,
        co_worker=co_worker,
    )


def test_allocate_and_import_refuse_an_unqualified_case_holder_and_say_what_to_do(svc, world):
    """Issue 12, defect 6: on e26c997 ``recorder allocate`` and the CSV import accepted a
    student as a child's allocated worker. The 2015 review: students and staff awaiting
    registration "cannot be holding the role of qualified social worker" (DOMAIN.md "Case
    holding"); the refusal names the commands that fix it."""
    for who in ("student", "awaiting"):
        with pytest.raises(InvalidInput) as e:
            children.allocate(svc, world.admin, "C0001", who)
        assert "cannot hold a case" in e.value.message
        assert "recorder allocate C0001 USERNAME" in e.value.message
        assert f"recorder child co-worker add C0001 {who}" in e.value.message
    header = ",".join(children.CSV_COLUMNS)
    row = "X1,Ola Nowak,2019-01-01,,,,,,child_in_need,2026-10-01,,,North,student"
    with pytest.raises(InvalidInput) as e:
        children.import_csv(svc, world.admin, f"{header}\n{row}\n")
    assert e.value.message.startswith("Line 2 (reference 'X1'): Stu Student")
    assert "co-worker" in e.value.message and "Nothing was imported" in e.value.message
    with pytest.raises(InvalidInput, match="cannot hold a case"):
        children.add_child(svc, world.admin, _child("X2", "student"))
    with svc.reading() as s:
        c = s.get(m.Child, world.child)
        assert c is not None and c.allocated_worker_id == world.sw
        assert s.exec(select(m.Child).where(m.Child.reference.in_(["X1", "X2"]))).all() == []
    # a registered worker or a manager may hold it; the student comes in as co-worker
    children.allocate(svc, world.admin, "C0001", "manager")
    row = "X1,Ola Nowak,2019-01-01,,,,,,child_in_need,2026-10-01,,,North,sw,,,student"
    children.import_csv(svc, world.admin, f"{header}\n{row}\n")
    view = caseloads.child_view(svc, world.sw, _id(svc, "X1"))
    assert view.allocated_worker == "Sam Social" and view.co_workers == ("Stu Student",)


def _id(svc, ref: str) -> int:
    with svc.reading() as s:
        c = s.exec(select(m.Child).where(m.Child.reference == ref)).one()
        return c.id


def test_a_co_worker_sees_the_child_marked_and_records_visits_that_need_countersign(
    svc, world, clock
):
    """DOMAIN.md "Who uses it": an unqualified worker writes and submits visits as co-worker
    on a child whose case holder is registered; every record they submit needs a qualified
    countersign."""
    cid = children.add_child(svc, world.admin, _child("C0100", "sw", co_worker="student"))
    rows = {r.reference: r for r in caseloads.caseload(svc, world.student)}
    assert set(rows) == {"C0100"}
    assert rows["C0100"].co_worker and not rows["C0100"].allocated_to_reader
    assert rows["C0100"].worker == "Sam Social"
    holder = {r.reference: r for r in caseloads.caseload(svc, world.sw)}
    assert not holder["C0100"].co_worker and holder["C0100"].allocated_to_reader
    # a manager looking at the student's caseload sees the same mark
    seen = {r.reference: r for r in caseloads.caseload(svc, world.manager, world.student)}
    assert seen["C0100"].co_worker
    vid = draft(svc, world.student, cid)
    visits.submit(svc, world.student, vid)
    with svc.reading() as s:
        v = s.get(m.Visit, vid)
        assert v is not None and v.state == "awaiting_countersign"
    visits.countersign(svc, world.sw, vid, COUNTERSIGN_COMMENT, PASSWORD)
    # ended: off the caseload from the day after the end; history kept
    coworkers.end_co_worker(svc, world.admin, "C0100", "student")
    assert [r.reference for r in caseloads.caseload(svc, world.student)] == ["C0100"]
    clock.advance(days=1)
    assert caseloads.caseload(svc, world.student) == []
    with svc.reading() as s:
        (row,) = s.exec(select(m.ChildCoWorker)).all()
        assert (row.start_on, row.end_on, row.ended_by_id) == (
            date(2026, 11, 26),
            date(2026, 11, 26),
            world.admin,
        )


def test_co_workers_are_named_by_an_administrator_or_the_team_manager(svc, world):
    """Who may name and end a co-worker (domain.workflow.may_name_co_worker); refusals say
    why and change nothing."""
    coworkers.add_co_worker(svc, world.manager, "C0001", "student", date(2026, 11, 2))
    with pytest.raises(NotAllowed, match="team manager"):
        coworkers.add_co_worker(svc, world.sw, "C0001", "awaiting")
    with pytest.raises(InvalidInput, match="not in C0001's team"):
        coworkers.add_co_worker(svc, world.admin, "C0001", "southsw")
    with pytest.raises(InvalidInput, match="holds C0001"):
        coworkers.add_co_worker(svc, world.admin, "C0001", "sw")
    with pytest.raises(InvalidInput, match="future"):
        coworkers.add_co_worker(svc, world.admin, "C0001", "awaiting", date(2026, 12, 1))
    with pytest.raises(Exception, match="already a co-worker"):
        coworkers.add_co_worker(svc, world.admin, "C0001", "student")
    with pytest.raises(InvalidInput, match="before the co-worker started"):
        coworkers.end_co_worker(svc, world.admin, "C0001", "student", date(2026, 11, 1))
    coworkers.end_co_worker(svc, world.admin, "C0001", "student")
    with pytest.raises(Exception, match="not a co-worker"):
        coworkers.end_co_worker(svc, world.admin, "C0001", "student")
    # a co-worker's row is never deleted, and changes only once, when it ends
    with pytest.raises(Exception, match="child_co_worker"):
        with Session(writer(svc.engine)) as s, s.begin():
            s.execute(text("DELETE FROM child_co_worker"))
    with pytest.raises(Exception, match="child_co_worker"):
        with Session(writer(svc.engine)) as s, s.begin():
            s.execute(text("UPDATE child_co_worker SET end_on = start_on"))


def test_migration_0010_gives_student_held_children_to_the_team_manager_and_tells_once(
    db_url, clock
):
    """A store at schema 0009 whose children are held by a student and by a worker awaiting
    registration: after the upgrade the team manager holds them, the worker is the child's
    co-worker, a child held by a registered worker stays as it was, and each move is told
    once (issue 12, "What to build" 5)."""
    svc = open_services(db_url, clock)
    upgrade(svc.engine, "0009")
    with Session(writer(svc.engine)) as s, s.begin():
        north, south = m.Team(name="North", created_at=NOW), m.Team(name="South", created_at=NOW)
        s.add_all([north, south])
        s.flush()

        def worker(username, name, role, team, number=None, kind=None):
            w = m.Worker(
                username=username,
                full_name=name,
                role=role,
                unqualified_kind=kind,
                registration_number=number,
                team_id=team.id,
                password_hash="x",
                created_at=NOW,
            )
            s.add(w)
            s.flush()
            return w

        mgr = worker("mgr", "Maya Manager", "team_manager", north, "SW1")
        sw = worker("sw", "Sam Social", "social_worker", north, "SW2")
        stu = worker("stu", "Chloe Bennett", "unqualified", north, kind="student")
        wait = worker("wait", "Daniel Mensah", "unqualified", north, kind="awaiting_registration")
        lone = worker("lone", "Lee Lone", "unqualified", south, kind="trainee")
        held = {"A1": stu, "A2": stu, "B1": wait, "S1": sw, "T1": lone}
        for ref, w in held.items():
            # the child table as it was at 0009 (the model has columns of later migrations)
            s.execute(
                text(
                    "INSERT INTO child (reference, full_name, date_of_birth, ethnicity, "
                    "religion, first_language, interpreter_needed, disability, plan_type, "
                    "placement_long_term, plan_risks, team_id, allocated_worker_id, "
                    "created_at) VALUES (:r, :n, :dob, '', '', '', :f, '', 'none', :f, '[]', "
                    ":team, :worker, :now)"
                ),
                {
                    "r": ref,
                    "n": f"Child {ref}",
                    "dob": date(2015, 1, 1),
                    "f": False,
                    "team": w.team_id,
                    "worker": w.id,
                    "now": NOW,
                },
            )
        ids = {k: v.id for k, v in dict(mgr=mgr, sw=sw, stu=stu, wait=wait, lone=lone).items()}
    upgrade(svc.engine)
    with svc.reading() as s:
        kids = {c.reference: c for c in s.exec(select(m.Child))}
        assert {r: c.allocated_worker_id for r, c in kids.items()} == {
            "A1": ids["mgr"],
            "A2": ids["mgr"],
            "B1": ids["mgr"],
            "S1": ids["sw"],
            "T1": None,  # South has no manager: unallocated, and said so
        }
        co = {
            (kids_by_id, w)
            for kids_by_id, w in s.exec(select(m.ChildCoWorker.child_id, m.ChildCoWorker.worker_id))
        }
        assert co == {
            (kids["A1"].id, ids["stu"]),
            (kids["A2"].id, ids["stu"]),
            (kids["B1"].id, ids["wait"]),
            (kids["T1"].id, ids["lone"]),
        }
    told = take_upgrade_notices(svc)
    assert len(told) == 4
    assert told[0] == (
        "Child A1 was held by Chloe Bennett (student), who cannot hold a case: Maya Manager "
        "(team manager) now holds it, and Chloe Bennett is its co-worker. To give it to a "
        "registered social worker: recorder allocate A1 USERNAME"
    )
    assert "Daniel Mensah (awaiting registration)" in told[2]
    assert "unallocated (the team has no manager)" in told[3]
    assert take_upgrade_notices(svc) == []  # once, not on every start
    # the student still sees them, as co-worker from the day of the upgrade
    clock.current = datetime.now(timezone.utc)
    rows = caseloads.caseload(svc, ids["stu"])
    assert [(r.reference, r.co_worker, r.worker) for r in rows] == [
        ("A1", True, "Maya Manager"),
        ("A2", True, "Maya Manager"),
    ]
    svc.engine.dispose()
