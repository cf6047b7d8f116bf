"""The demo shows plans as records (issue 12, "Done when"): a looked-after child whose
placement moved last week with the first-week visit due, a private fostering arrangement with
its notification date, and a child-protection child whose conference set visits every 5
working days."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from recorder.demo import plans as demo_plans
from recorder.demo import team
from recorder.services import caseloads
from recorder.store import models as m


def test_the_demo_shows_a_placement_move_a_notification_and_a_conference_frequency(sqlite_svc):
    svc = sqlite_svc
    team.populate(svc)
    today = svc.today()
    with svc.reading() as s:
        ids = dict(s.exec(select(m.Child.reference, m.Child.id)).all())
        sam = s.exec(select(m.Worker).where(m.Worker.username == "manager")).one().id
    moved = caseloads.child_view(svc, sam, ids[demo_plans.MOVED_CHILD])
    assert moved.plan_type == "looked_after"
    assert moved.placement_start == today - timedelta(days=demo_plans.MOVED_DAYS_AGO)
    # the first-week visit of the new placement is due, and not yet overdue
    assert moved.next_due == moved.placement_start + timedelta(days=7)
    assert moved.next_due >= today and moved.due_words.startswith("due ")
    assert moved.due_rule.startswith("reg 28(2)(a)")
    assert moved.last_visit is None  # the visit at the old placement does not count

    pf = caseloads.child_view(svc, sam, ids["RV-1036"])
    assert pf.plan_type == "private_fostering" and pf.notified_on is not None
    assert pf.due_rule.startswith("reg 7")

    cp = caseloads.child_view(svc, sam, ids[demo_plans.CONFERENCE_CHILD])
    assert cp.visit_every_working_days == demo_plans.CONFERENCE_EVERY
    assert cp.frequency_set_by == "Review child protection conference"
    assert cp.due_rule.startswith("every 5 working days, set by Review child protection")
    assert cp.next_due is not None and cp.next_due >= today
