"""Directions that reach the worker (issue 11, item 4): countersign and return comments and
oversight actions become tracked actions for the worker they name, listed for that worker
and on the record, open until marked done with a note; on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlmodel import select

from recorder.domain.actions import SourceKind
from recorder.services import directions, oversight, visits
from recorder.services.errors import InvalidInput, NotAllowed
from recorder.store.models import AuditEvent, TrackedAction
from tests.support.records import (
    COUNTERSIGN_COMMENT,
    countersigned,
    note_for,
    oversight_note,
    submitted,
)
from tests.support.world import PASSWORD, build_world

JOINTLY = "Good record. Book the next visit jointly with me so that I can see Amira too."


@pytest.fixture
def world(svc):
    return build_world(svc)


def last_audit(svc):
    with svc.reading() as s:
        return s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def test_countersign_comment_reaches_the_student_and_is_marked_done(svc, world, clock):
    vid = submitted(svc, world.student, world.child)
    visits.countersign(svc, world.sw, vid, JOINTLY, PASSWORD)

    mine = directions.open_directions(svc, world.student)
    assert [(d.kind, d.what, d.from_name) for d in mine] == [
        (SourceKind.COUNTERSIGN, JOINTLY, "Sam Social")
    ]
    d = mine[0]
    assert d.child_name == "Amira Khan" and d.visit_id == vid and d.may_mark_done
    assert d.due_words == "no due date" and not d.overdue
    assert last_audit(svc).action == "view_directions"
    # nobody else has it on their list
    assert directions.open_directions(svc, world.sw) == []
    # on the record, for anyone who may read it
    view = visits.load_visit(svc, world.manager, vid)
    assert [x.what for x in view.directions] == [JOINTLY]
    assert view.directions[0].may_mark_done  # a manager of the team may

    clock.advance(hours=2)
    directions.mark_done(svc, world.student, d.id, "Booked for 3 December with Sam.")
    assert last_audit(svc).action == "mark_action_done" and last_audit(svc).outcome == "ok"
    assert directions.open_directions(svc, world.student) == []
    done = visits.load_visit(svc, world.student, vid).directions[0]
    assert done.done and done.done_by == "Stu Student"
    assert done.done_note == "Booked for 3 December with Sam." and done.done_at == clock()


def test_return_comment_is_a_direction_to_the_author(svc, world):
    vid = submitted(svc, world.sw, world.child)
    visits.return_for_changes(svc, world.manager, vid, "Quote her own words in the voice section.")
    (d,) = directions.open_directions(svc, world.sw)
    assert d.kind is SourceKind.RETURN and d.from_name == "Maya Manager"
    assert d.kind_label == "Returned for changes"


def test_oversight_actions_go_to_the_worker_they_name(svc, world):
    vid = countersigned(svc, world.student, world.child, world.sw)
    note = note_for(svc, vid)
    note = replace(
        note,
        actions=(
            {"what": "Review contact plan", "who": "Sam Social", "by_when": "2026-12-10"},
            {"what": "Joint visit with Sam", "who": "Stu", "by_when": "1/12/2026"},
            {"what": "Ask school about attendance", "who": "Head teacher", "by_when": "soon"},
        ),
    )
    visits.sign_off(svc, world.manager, vid, note, PASSWORD)
    sam = directions.open_directions(svc, world.sw)
    assert [(d.what, str(d.due_on), d.due_words) for d in sam] == [
        ("Review contact plan", "2026-12-10", "due in 14 days")
    ]
    stu = directions.open_directions(svc, world.student)
    # the countersign comment (no date) after the dated oversight action
    assert [d.what for d in stu] == ["Joint visit with Sam", COUNTERSIGN_COMMENT]
    assert stu[0].due_words == "due in 5 days"
    # the head teacher is no one of the team: on the record, on nobody's list
    on_record = visits.load_visit(svc, world.manager, vid).directions
    school = [d for d in on_record if d.what.startswith("Ask school")]
    assert school and school[0].assignee_id is None and school[0].assignee == "Head teacher"


def test_case_note_actions_are_tracked(svc, world):
    oversight.add_case_note(svc, world.manager, world.child, oversight_note(), PASSWORD)
    (d,) = directions.open_directions(svc, world.sw)
    assert d.kind is SourceKind.OVERSIGHT and d.visit_id is None and d.what == "Review contact plan"


def test_only_the_assignee_or_their_manager_marks_done(svc, world):
    vid = submitted(svc, world.student, world.child)
    visits.countersign(svc, world.sw, vid, JOINTLY, PASSWORD)
    (d,) = directions.open_directions(svc, world.student)
    for who in (world.sw2, world.other_team_sw, world.awaiting, world.admin):
        with pytest.raises(NotAllowed):
            directions.mark_done(svc, who, d.id, "done")
        assert (last_audit(svc).action, last_audit(svc).outcome) == ("mark_action_done", "refused")
    with pytest.raises(InvalidInput, match="note"):
        directions.mark_done(svc, world.student, d.id, "   ")
    directions.mark_done(svc, world.manager, d.id, "Discussed in supervision; booked.")
    with pytest.raises(InvalidInput, match="already"):
        directions.mark_done(svc, world.student, d.id, "again")
    with pytest.raises(NotAllowed):
        directions.open_directions(svc, world.admin)


def test_a_tracked_action_changes_only_once_and_is_never_deleted(svc, world):
    vid = submitted(svc, world.student, world.child)
    visits.countersign(svc, world.sw, vid, JOINTLY, PASSWORD)
    (d,) = directions.open_directions(svc, world.student)
    with pytest.raises(Exception, match="tracked"):
        with svc.writing() as s:
            s.execute(text("UPDATE tracked_action SET what = 'softer' WHERE id = :i"), {"i": d.id})
    with pytest.raises(Exception, match="tracked"):
        with svc.writing() as s:
            s.execute(text("DELETE FROM tracked_action WHERE id = :i"), {"i": d.id})
    directions.mark_done(svc, world.student, d.id, "Booked.")
    with pytest.raises(Exception, match="tracked"):
        with svc.writing() as s:
            s.execute(
                text("UPDATE tracked_action SET done_note = 'other' WHERE id = :i"), {"i": d.id}
            )
    with svc.reading() as s:
        assert s.get(TrackedAction, d.id).done_note == "Booked."
