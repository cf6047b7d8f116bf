"""Tracked actions from every source, asked about on the next visit (issue 13 item 5), on
SQLite and PostgreSQL: a manager's oversight action reaches the worker and the next visit's
Actions section, which must say what progress was made; "done" marks it done at sign-off
(who and when); the visit's own actions become tracked actions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from recorder.domain.actions import SourceKind
from recorder.services import directions, oversight, visits
from recorder.services.errors import Incomplete
from recorder.store.models import TrackedAction
from tests.support.factories import complete_content
from tests.support.records import flag_codes, good_note, oversight_note
from tests.support.world import PASSWORD, build_world

JOINT = {"what": "Book a joint visit", "who": "Sam Social", "by_when": "11 Dec"}


@pytest.fixture
def world(svc):
    return build_world(svc)


def write(svc, world, progress=None) -> int:
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    for a in content["actions"]["actions"]:
        a["by_when"] = "2026-12-20"
    content["details"]["visit_at"] = "2026-11-25T15:00"
    if progress is not None:
        content["actions"]["progress"] = progress
    for section, data in content.items():
        visits.save_section(svc, world.sw, vid, section, data)
    return vid


def test_an_oversight_action_reaches_the_next_visit_and_done_records_who_and_when(
    svc, world, clock
):
    note = replace(oversight_note(), actions=(JOINT,))
    oversight.add_case_note(svc, world.manager, world.child, note, PASSWORD)
    (d,) = directions.open_directions(svc, world.sw)
    assert (d.what, d.kind, str(d.due_on)) == (
        "Book a joint visit",
        SourceKind.OVERSIGHT,
        "2026-12-11",
    )

    vid = write(svc, world)
    view = visits.load_visit(svc, world.sw, vid)
    assert [(a.id, a.what, a.who) for a in view.open_actions] == [
        (d.id, "Book a joint visit", "Sam Social")
    ]
    assert "Oversight action from Maya Manager" in view.open_actions[0].source
    codes = [f.code for f in view.findings]
    assert codes == ["actions.progress_missing"]
    with pytest.raises(Incomplete):
        visits.submit(svc, world.sw, vid)

    answer = {str(d.id): {"what": d.what, "status": "done", "note": "Booked with Sol for 9 Dec."}}
    section = dict(view.content["actions"], progress=answer)
    visits.save_section(svc, world.sw, vid, "actions", section)
    visits.submit(svc, world.sw, vid)
    assert directions.open_directions(svc, world.sw)[0].id == d.id  # open until signed off
    clock.advance(hours=3)
    visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)

    with svc.reading() as s:
        row = s.get(TrackedAction, d.id)
        mine = s.exec(
            select(TrackedAction).where(TrackedAction.source_kind == SourceKind.VISIT.value)
        ).all()
    assert row.done_by_id == world.sw and row.done_at == svc.now()
    assert row.done_note == "Reported done on the visit of 25 Nov 2026: Booked with Sol for 9 Dec."
    # the visit's own actions are tracked now, on the child, from the visit
    assert [a.what for a in mine] == [a["what"] for a in complete_content()["actions"]["actions"]]
    assert {a.visit_id for a in mine} == {vid}
    # the chronology has the action set and done (issue 13)
    from recorder.services.chronology import chronology

    titles = [e.title for e in chronology(svc, world.sw, world.child).entries if e.kind == "action"]
    assert "Oversight action: Book a joint visit" in titles
    assert "Action done: Book a joint visit" in titles
    # the next visit asks about them (and the sign-off note's action), not the done one
    nxt = visits.start_visit(svc, world.sw, world.child)
    asked = {a.id for a in visits.load_visit(svc, world.sw, nxt).open_actions}
    assert {a.id for a in mine} < asked and d.id not in asked


def test_in_progress_keeps_the_action_open_and_record_comments_are_not_asked(svc, world):
    note = replace(oversight_note(), actions=(JOINT,))
    oversight.add_case_note(svc, world.manager, world.child, note, PASSWORD)
    (d,) = directions.open_directions(svc, world.sw)
    other = write(svc, world, {str(d.id): {"status": "in_progress", "note": "Asked Sol."}})
    visits.submit(svc, world.sw, other)
    visits.return_for_changes(svc, world.manager, other, "Please add the school's view.")
    # the return comment is a direction about that record: the next record does not ask it
    vid = write(svc, world, {str(d.id): {"status": "in_progress", "note": "Asked Sol."}})
    assert [a.id for a in visits.load_visit(svc, world.sw, vid).open_actions] == [d.id]
    visits.submit(svc, world.sw, vid)
    visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
    with svc.reading() as s:
        assert s.get(TrackedAction, d.id).done_at is None
    (still,) = [x for x in directions.open_directions(svc, world.sw) if x.id == d.id]
    assert not still.done


def test_overdue_actions_are_counted_in_words_on_the_team_view(svc, world, clock):
    from recorder.services.team import team_view

    late = {"what": "Ring the GP", "who": "Sam Social", "by_when": "2026-11-27"}
    note = replace(oversight_note(), actions=(late, JOINT))
    oversight.add_case_note(svc, world.manager, world.child, note, PASSWORD)
    row = next(w for w in team_view(svc, world.manager).workers if w.id == world.sw)
    assert row.actions_overdue == 0 and row.actions_overdue_words == ""
    clock.advance(days=3)  # Thu 26 Nov -> Sun 29 Nov: the GP call was due on the 27th
    row = next(w for w in team_view(svc, world.manager).workers if w.id == world.sw)
    assert row.actions_overdue_words == "1 action overdue"
    assert [d.overdue for d in directions.open_directions(svc, world.sw)] == [True, False]
