"""``recorder child plan``, ``placement``, ``first-review``, ``frequency`` and ``end-plan``,
run as an administrator would run them (issue 12)."""

from __future__ import annotations

from sqlmodel import select

from recorder.services.bootstrap import open_services
from recorder.store import models as m
from tests.test_cli import ok, refused, run, store  # noqa: F401  (fixtures)


def test_plans_placements_and_frequencies_from_the_command_line(run, store, tmp_path):  # noqa: F811
    ok(run(store, "team", "add", "North"))
    ok(
        run(
            store,
            "child",
            "add",
            "L1",
            "--name",
            "Lee",
            "--dob",
            "2014-05-06",
            "--team",
            "North",
            "--plan",
            "looked_after",
            "--plan-start",
            "2026-06-01",
            "--placement",
            "long_term",
        )
    )
    ok(
        run(
            store,
            "child",
            "add",
            "P1",
            "--name",
            "Pat",
            "--dob",
            "2012-01-02",
            "--plan",
            "private_fostering",
            "--plan-start",
            "2026-09-01",
            "--notified",
            "2026-10-12",
        )
    )
    out = ok(
        run(
            store,
            "child",
            "placement",
            "L1",
            "--type",
            "connected_person_reg24",
            "--start",
            "2026-11-23",
        )
    )
    assert "Recorded the placement of L1" in out
    ok(run(store, "child", "first-review", "L1", "--on", "2026-11-30"))
    ok(run(store, "child", "plan", "P1", "--type", "child_protection", "--start", "2026-11-02"))
    ok(
        run(
            store,
            "child",
            "frequency",
            "P1",
            "--visit-every",
            "5",
            "--set-by",
            "Initial child protection conference",
            "--set-on",
            "2026-11-02",
        )
    )
    assert "not a placement type" in refused(
        run(store, "child", "placement", "L1", "--type", "kennel", "--start", "2026-11-24")
    )
    assert "from 1 to 65" in refused(
        run(
            store,
            "child",
            "frequency",
            "P1",
            "--visit-every",
            "100000000000",
            "--set-by",
            "Conference",
            "--set-on",
            "2026-11-02",
        )
    )
    assert "notified" in refused(
        run(store, "child", "plan", "L1", "--type", "private_fostering", "--start", "2026-11-25")
    )
    ok(run(store, "child", "end-plan", "P1", "--on", "2026-11-27"))
    svc = open_services(store)
    with svc.reading() as s:
        kids = {c.reference: c for c in s.exec(select(m.Child))}
        placements = s.exec(select(m.Placement).where(m.Placement.child_id == kids["L1"].id)).all()
        assert [(p.placement_type, str(p.first_review_on)) for p in placements] == [
            ("long_term", "None"),
            ("connected_person_reg24", "2026-11-30"),
        ]
        assert kids["L1"].placement_long_term is False  # the plan in force now is reg 24's
        pf = s.exec(select(m.ChildPlan).where(m.ChildPlan.child_id == kids["P1"].id)).all()
        assert [(p.plan_type, str(p.notified_on), str(p.end_on)) for p in pf] == [
            ("private_fostering", "2026-10-12", "2026-11-01"),
            ("child_protection", "None", "2026-11-27"),
        ]
        assert kids["P1"].plan_type == "none"
        freq = s.exec(select(m.PlanFrequency)).one()
        assert freq.visit_every_working_days == 5
    svc.engine.dispose()
