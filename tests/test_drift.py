"""Drift (issue 12, defect 11; DOMAIN.md "Timescales"): a statutory visit made after the day
it was due is flagged "made N working days late" on the oversight queue and in the oversight
note, which must answer it like every other flag (local practice: the review found "drift
and delay" invisible to managers)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from sqlmodel import Session

from recorder.domain.timescales import made_late, working_days_for
from recorder.services import oversight, visits
from recorder.services.errors import Incomplete, ServiceError
from recorder.store import models as m
from recorder.store.engine import writer
from tests.support.factories import complete_content
from tests.support.records import fill, flag_codes, good_note, insert_signed_off
from tests.support.world import PASSWORD, build_world

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(svc):
    return build_world(svc)


def test_made_late_counts_working_days_after_the_due_date():
    wd = working_days_for("ENG")
    assert made_late(date(2026, 11, 16), date(2026, 11, 20), wd) == "made 4 working days late"
    assert made_late(date(2026, 11, 16), date(2026, 11, 17), wd) == "made 1 working day late"
    assert made_late(date(2026, 11, 20), date(2026, 11, 21), wd) == "made 1 day late"  # Saturday
    assert made_late(date(2026, 11, 16), date(2026, 11, 16), wd) == ""
    assert made_late(date(2026, 11, 16), date(2026, 11, 2), wd) == ""


def _signed_visit(svc, child_id: int, author_id: int, day: date) -> None:
    """A signed-off statutory visit on ``day``, written straight into the store."""
    with Session(writer(svc.engine)) as s, s.begin():
        visit = m.Visit(
            child_id=child_id,
            author_id=author_id,
            visit_type="cp_statutory",
            visit_at=datetime.combine(day, datetime.min.time()).replace(hour=10),
            counts_as_statutory=True,
            created_at=NOW,
            updated_at=NOW,
        )
        insert_signed_off(s, visit, author_id)


def _late_visit(svc, world) -> int:
    """A child-protection visit on Friday 20 Nov 2026; the last was on 2 Nov, so the next
    was due by 16 Nov (10 working days): made 4 working days late."""
    _signed_visit(svc, world.child, world.sw, date(2026, 11, 2))
    content = complete_content()
    content["details"]["visit_at"] = "2026-11-20T10:30"
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid, content)
    try:
        visits.submit(svc, world.sw, vid)
    except Incomplete as e:  # the queries a visit on that day raises: each given a reason
        reasons = {f.code: "Explained to my manager." for f in e.findings}
        visits.submit(svc, world.sw, vid, query_reasons=reasons)
    return vid


def test_a_late_statutory_visit_is_flagged_and_the_note_must_answer_it(svc, world):
    """Issue 12, defect 11: on e26c997 a statutory visit made after its due date raised no
    flag, so drift was invisible to the manager. Now the oversight queue row says "made 4
    working days late", the flag is listed, and sign-off is refused until the note answers
    it."""
    vid = _late_visit(svc, world)
    [row] = [r for r in oversight.oversight_queue(svc, world.manager) if r.visit_id == vid]
    assert row.made_late == "made 4 working days late"
    [flag] = [f for f in row.flags if f.code == "made_late"]
    assert flag.label == "Statutory visit made late"
    assert flag.detail == "Made 4 working days late: the statutory visit was due by 16 Nov 2026."
    codes = flag_codes(svc, vid)
    assert "made_late" in codes
    unanswered = replace(
        good_note(codes),
        flag_responses={c: "Discussed." for c in codes if c != "made_late"},
    )
    with pytest.raises(ServiceError, match="Statutory visit made late"):
        visits.sign_off(svc, world.manager, vid, unanswered, PASSWORD)
    visits.sign_off(svc, world.manager, vid, good_note(codes), PASSWORD)


def test_a_visit_on_time_or_before_any_plan_raises_no_drift_flag(svc, world):
    """No flag when the visit was made by its due date, or on a day no plan was in force."""
    _signed_visit(svc, world.child, world.sw, date(2026, 11, 16))
    content = complete_content()
    content["details"]["visit_at"] = "2026-11-20T10:30"
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid, content)
    with svc.reading() as s:
        v = s.get(m.Visit, vid)
        assert v is not None
        assert "made_late" not in [f.code for f in visits.flags_for(s, svc, v)]
    # the fixture's own visit date (March 2025) is before the plan began (1 Sep 2026)
    other = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, other)
    with svc.reading() as s:
        v = s.get(m.Visit, other)
        assert v is not None
        assert "made_late" not in [f.code for f in visits.flags_for(s, svc, v)]
