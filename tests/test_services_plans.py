"""Plans and placements in the store: migration 0009, the clock the caseload and child
screen show, and the as-of due date (issue 12)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from recorder.services import caseloads, children
from recorder.services.errors import InvalidInput
from recorder.services.queries import statutory_clocks, statutory_due_as_of
from recorder.store import models as m
from recorder.store.engine import writer
from recorder.store.migrate import upgrade
from tests.support.records import insert_signed_off
from tests.support.stores import open_services
from tests.support.world import build_world

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def add_visit(svc, child_id: int, author_id: int, day: date, visit_type: str) -> int:
    """A signed-off visit that counted as statutory, written straight into the store."""
    with Session(writer(svc.engine)) as s, s.begin():
        v = m.Visit(
            child_id=child_id,
            author_id=author_id,
            visit_type=visit_type,
            visit_at=datetime.combine(day, datetime.min.time()).replace(hour=10),
            counts_as_statutory=True,
            created_at=NOW,
            updated_at=NOW,
        )
        return insert_signed_off(s, v, author_id)


@pytest.fixture
def world(svc):
    return build_world(svc)


def clock_of(svc, child_id: int):
    with svc.reading() as s:
        c = s.get(m.Child, child_id)
        return statutory_clocks(svc, s, [c])[child_id]


def test_a_child_in_need_visit_does_not_reset_a_child_protection_childs_due_date(svc, world):
    """Issue 12, defect 1: on main a signed-off child-in-need or private fostering visit
    reset a child-protection child's next statutory visit."""
    before = clock_of(svc, world.child)
    add_visit(svc, world.child, world.sw, date(2026, 11, 24), "child_in_need")
    add_visit(svc, world.child, world.sw, date(2026, 11, 25), "private_fostering")
    after = clock_of(svc, world.child)
    assert after.due == before.due and after.last_visit is None
    rows = caseloads.caseload(svc, world.sw)
    assert rows[0].next_due == before.due and rows[0].last_visit is None
    add_visit(svc, world.child, world.sw, date(2026, 11, 25), "cp_statutory")
    assert clock_of(svc, world.child).due == date(2026, 12, 9)


def test_statutory_due_as_of_a_day_is_what_a_visit_that_day_answered(svc, world):
    """The due date as of a visit's date (for "made N working days late"): the plan in force
    that day, and visits before it."""
    add_visit(svc, world.child, world.sw, date(2026, 11, 2), "cp_statutory")
    late = add_visit(svc, world.child, world.sw, date(2026, 11, 20), "cp_statutory")
    assert late
    with svc.reading() as s:
        as_of = statutory_due_as_of(svc, s, world.child, date(2026, 11, 20))
        assert as_of is not None and as_of.on == date(2026, 11, 16)
        first = statutory_due_as_of(svc, s, world.child, date(2026, 9, 1))
        assert first is not None and first.on == date(2026, 9, 15)  # plan start + 10
        assert statutory_due_as_of(svc, s, world.child, date(2026, 8, 1)) is None


def test_migration_0009_gives_every_child_a_plan_and_keeps_its_due_dates(db_url, clock):
    """An old-shaped store (schema 0008, plans as columns on the child) gets one plan row per
    child on a plan and a placement per looked-after child; the due dates stay the same."""
    svc = open_services(db_url, clock)
    upgrade(svc.engine, "0008")
    old = [
        ("CP", "child_protection", date(2026, 9, 1), False, date(2026, 11, 20), "cp_statutory"),
        ("CIN", "child_in_need", date(2026, 10, 5), False, None, None),
        ("LAC", "looked_after", date(2026, 3, 2), False, date(2026, 11, 2), "lac_statutory"),
        ("LT", "looked_after", date(2026, 3, 2), True, date(2026, 11, 2), "lac_statutory"),
        (
            "PF",
            "private_fostering",
            date(2026, 6, 1),
            False,
            date(2026, 11, 2),
            "private_fostering",
        ),
        ("NONE", "none", None, False, None, None),
    ]
    with Session(writer(svc.engine)) as s, s.begin():
        team = m.Team(name="North", created_at=NOW)
        s.add(team)
        s.flush()
        sw = m.Worker(
            username="sw",
            full_name="Sam",
            role="social_worker",
            registration_number="SW1",
            team_id=team.id,
            password_hash="x",
            created_at=NOW,
        )
        s.add(sw)
        s.flush()
        ids = {}
        for ref, kind, start, long_term, _, _ in old:
            # the child table as it was at 0008 (the model has columns of later migrations)
            ids[ref] = s.execute(
                text(
                    "INSERT INTO child (reference, full_name, date_of_birth, ethnicity, "
                    "religion, first_language, interpreter_needed, disability, plan_type, "
                    "plan_start, placement_long_term, plan_risks, team_id, "
                    "allocated_worker_id, created_at) VALUES (:r, :r, :dob, '', '', '', "
                    ":f, '', :kind, :start, :lt, '[]', :team, :sw, :now) RETURNING id"
                ),
                {
                    "r": ref,
                    "dob": date(2015, 1, 1),
                    "f": False,
                    "kind": kind,
                    "start": start,
                    "lt": long_term,
                    "team": team.id,
                    "sw": sw.id,
                    "now": NOW,
                },
            ).scalar_one()
        sw_id = sw.id
    for ref, _, _, _, visit, kind in old:
        if visit is not None:
            add_visit(svc, ids[ref], sw_id, visit, kind)
    upgrade(svc.engine)
    expected = {
        "CP": date(2026, 12, 4),
        "CIN": date(2026, 11, 2),
        "LAC": date(2026, 12, 14),
        "LT": date(2026, 12, 14),
        "PF": date(2026, 12, 14),
        "NONE": None,
    }
    with svc.reading() as s:
        plans = s.exec(select(m.ChildPlan).order_by(m.ChildPlan.child_id)).all()
        assert [(p.plan_type, p.start_on, p.end_on) for p in plans] == [
            (kind, start, None) for _, kind, start, _, _, _ in old if kind != "none"
        ]
        pf = next(p for p in plans if p.plan_type == "private_fostering")
        assert pf.notified_on == date(2026, 6, 1)
        placements = s.exec(select(m.Placement).order_by(m.Placement.child_id)).all()
        assert [(p.child_id, p.placement_type, p.start_on) for p in placements] == [
            (ids["LAC"], "foster_care", date(2026, 3, 2)),
            (ids["LT"], "long_term", date(2026, 3, 2)),
        ]
        kids = s.exec(select(m.Child)).all()
        clocks = statutory_clocks(svc, s, kids)
        assert {c.reference: clocks[c.id].due for c in kids} == expected
    svc.engine.dispose()


# -- recording plans, placements and frequencies -------------------------------------------


def test_a_conference_frequency_sets_the_childs_visits(svc, world):
    """Issue 12, defect 5: how often a child-protection child is visited was one policy
    number for every child; the conference sets it for this child (and who, and when)."""
    from recorder.services import plans

    add_visit(svc, world.child, world.sw, date(2026, 11, 20), "cp_statutory")
    assert clock_of(svc, world.child).due == date(2026, 12, 4)  # policy: 10 working days
    plans.record_frequency(
        svc,
        world.manager,
        "C0001",
        visit_every_working_days=5,
        seen_alone_every_working_days=10,
        set_by="Review child protection conference",
        set_on=date(2026, 11, 16),
    )
    assert clock_of(svc, world.child).due == date(2026, 11, 27)
    v = caseloads.child_view(svc, world.sw, world.child)
    assert v.visit_every_working_days == 5 and v.seen_alone_every_working_days == 10
    assert v.frequency_set_by == "Review child protection conference"
    assert v.next_due == date(2026, 11, 27)


def test_a_placement_move_restarts_the_first_week_visit_on_the_caseload(svc, world):
    """Issue 12, defect 3: one plan_start stood in for the placement, so a move did not
    restart reg 28(2)(a)'s "within one week of the start of any placement"."""
    from recorder.services import plans

    plans.record_plan(svc, world.admin, "C0001", plans.PlanInput("looked_after", date(2026, 10, 1)))
    add_visit(svc, world.child, world.sw, date(2026, 11, 18), "lac_statutory")
    assert clock_of(svc, world.child).due == date(2026, 12, 30)  # six weeks
    plans.record_placement(svc, world.manager, "C0001", "residential", date(2026, 11, 20))
    clock = clock_of(svc, world.child)
    assert clock.due == date(2026, 11, 27) and clock.last_visit is None
    v = caseloads.child_view(svc, world.sw, world.child)
    assert v.placement == "Residential" and v.placement_start == date(2026, 11, 20)
    assert v.plan_type == "looked_after"
    with svc.reading() as s:
        rows = s.exec(select(m.Placement).order_by(m.Placement.start_on)).all()
        assert [(r.placement_type, r.start_on, r.end_on) for r in rows] == [
            ("foster_care", date(2026, 10, 1), date(2026, 11, 19)),
            ("residential", date(2026, 11, 20), None),
        ]
        old = s.exec(select(m.ChildPlan).where(m.ChildPlan.plan_type == "child_protection")).one()
        assert old.end_on == date(2026, 9, 30)  # history kept, ended the day before


def test_a_private_fostering_notification_is_counted_in_working_days(svc, world, clock):
    """Issue 12, defect 4: the first private fostering visit was 7 calendar days from the
    plan start (an arrangement from 18 Dec 2026 fell due on Christmas Day); reg 7 of the
    2005 Regulations counts 7 working days from notification."""
    from recorder.services import plans

    clock.current = datetime(2026, 12, 18, 12, 0, tzinfo=timezone.utc)
    plans.record_plan(
        svc,
        world.admin,
        "C0001",
        plans.PlanInput("private_fostering", date(2026, 12, 18), notified_on=date(2026, 12, 18)),
    )
    v = caseloads.child_view(svc, world.sw, world.child)
    assert v.next_due == date(2026, 12, 31) and v.notified_on == date(2026, 12, 18)


def test_only_an_administrator_or_the_childs_manager_records_plans(svc, world):
    """Local practice: plans and what conferences set are entered by an administrator or the
    child's team manager; a social worker, or a manager of another team, is refused."""
    from recorder.services import plans
    from recorder.services.errors import NotAllowed

    for who in (world.sw, world.other_team_sw):
        with pytest.raises(NotAllowed):
            plans.record_placement(svc, who, "C0001", "foster_care", date(2026, 11, 20))
    with pytest.raises(InvalidInput, match="looked-after"):
        plans.record_placement(svc, world.manager, "C0001", "foster_care", date(2026, 11, 20))
    with pytest.raises(InvalidInput, match="notified"):
        plans.record_plan(
            svc, world.admin, "C0001", plans.PlanInput("private_fostering", date(2026, 11, 20))
        )
    with pytest.raises(InvalidInput, match="from 1 to 65"):
        plans.record_frequency(
            svc,
            world.manager,
            "C0001",
            visit_every_working_days=100_000_000_000,
            seen_alone_every_working_days=None,
            set_by="Conference",
            set_on=date(2026, 11, 20),
        )
    with svc.reading() as s:
        refused = s.exec(
            select(m.AuditEvent).where(
                m.AuditEvent.action == "record_placement", m.AuditEvent.outcome == "refused"
            )
        ).all()
        assert len(refused) == 3


def test_defect_1_caseload_due_date_ignores_a_visit_of_another_plans_type(svc, world):
    """Issue 12, defect 1, through the caseload main had: a child-in-need visit moved a
    child-protection child's next statutory visit (plan from 1 Sep 2026: due 15 Sep)."""
    before = caseloads.caseload(svc, world.sw)[0].next_due
    add_visit(svc, world.child, world.sw, date(2026, 11, 24), "child_in_need")
    assert caseloads.caseload(svc, world.sw)[0].next_due == before == date(2026, 9, 15)


def test_the_csv_import_takes_a_placement_type_and_a_notification_date(svc, world):
    """`recorder child import`: a looked-after child's placement type and a private fostering
    arrangement's notification date become the records the clock reads."""
    header = ",".join(children.CSV_COLUMNS)
    cols = children.CSV_COLUMNS

    def row(**values):
        return ",".join(values.get(c, "") for c in cols)

    text = "\n".join(
        [
            header,
            row(reference="L9", full_name="Lee", date_of_birth="2014-01-01",
                plan_type="looked_after", plan_start="2026-11-02",
                placement_type="placed_with_parent_reg19"),
            row(reference="P9", full_name="Pat", date_of_birth="2012-01-01",
                plan_type="private_fostering", plan_start="2026-09-01", notified_on="2026-11-20"),
        ]
    )  # fmt: skip
    assert children.import_csv(svc, world.admin, text) == 2
    with svc.reading() as s:
        kids = {c.reference: c for c in s.exec(select(m.Child))}
        clocks = statutory_clocks(svc, s, [kids["L9"], kids["P9"]])
    assert clocks[kids["L9"].id].placement.kind == "placed_with_parent_reg19"
    assert clocks[kids["L9"].id].due == date(2026, 11, 9)  # weekly until the first review
    assert clocks[kids["P9"].id].plan.notified_on == date(2026, 11, 20)
    assert clocks[kids["P9"].id].due == date(2026, 12, 1)  # 7 working days from notification
    bad = header + "\n" + row(reference="X9", full_name="X", date_of_birth="2014-01-01",
                              plan_type="child_in_need", plan_start="2026-11-02",
                              placement_type="foster_care")  # fmt: skip
    with pytest.raises(InvalidInput, match="Line 2.*Only a looked-after child"):
        children.import_csv(svc, world.admin, bad)


def test_the_reviewer_is_told_when_a_visit_does_not_count_for_the_plan(svc, world):
    """DOMAIN.md "Plans and placements": a visit counts only for the plan in force on its day
    and only when its type matches; the manager reviewing a child-in-need visit to a
    child-protection child is told it does not count."""
    from recorder.services import oversight, visits
    from tests.support.factories import complete_content
    from tests.support.records import fill

    # on a child protection plan on the factory's visit day (12 Mar 2025)
    child = children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference="C0009",
            full_name="Noor Ali",
            date_of_birth=date(2016, 5, 4),
            plan_type="child_protection",
            plan_start=date(2025, 1, 6),
            team="North",
            allocated_worker="sw",
        ),
    )
    notes = {}
    for kind in ("child_in_need", "cp_statutory"):
        vid = visits.start_visit(svc, world.sw, child)
        content = complete_content()
        content["details"] = {**content["details"], "visit_type": kind}
        fill(svc, world.sw, vid, content)
        visits.submit(svc, world.sw, vid)
        notes[kind] = oversight.review(svc, world.manager, vid).statutory_note
    assert notes["child_in_need"] == (
        "This is a child in need visit but the child was on a child protection plan on that "
        "day: it does not count towards that plan's statutory visits."
    )
    assert notes["cp_statutory"] == ""
