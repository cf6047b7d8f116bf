"""Immutability in the database itself: raw SQL cannot change a signed-off record, a
signature, a countersign, an oversight note or an audit event. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from recorder.domain.workflow import VisitState
from recorder.services import visits
from recorder.store.engine import writer
from recorder.store.models import Visit
from tests.support.records import fill, flag_codes, good_note
from tests.support.world import PASSWORD, build_world

COMMENT = "I checked every section and the child's words are quoted; agreed with the plan."


def signed_off_student_visit(svc, world) -> int:
    """A student's visit, countersigned and signed off: every protected table has a row."""
    vid = visits.start_visit(svc, world.student, world.child)
    fill(svc, world.student, vid)
    visits.submit(svc, world.student, vid)
    visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)
    visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
    return vid


def draft_visit(svc, world) -> int:
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid)
    return vid


@pytest.fixture
def world(svc):
    return build_world(svc)


def raw(svc, sql: str, **params):
    """Run one statement in its own transaction; return the rowcount."""
    with writer(svc.engine).begin() as c:
        return c.execute(text(sql), params).rowcount


def refused(svc, sql: str, **params) -> str:
    with pytest.raises(DBAPIError) as e:
        raw(svc, sql, **params)
    message = str(e.value.orig)
    assert "recorder:" in message, message
    return message


def test_a_signed_off_visit_and_its_sections_cannot_change(svc, world):
    vid = signed_off_student_visit(svc, world)
    refused(svc, "UPDATE visit SET state = 'draft' WHERE id = :v", v=vid)
    refused(svc, "UPDATE visit SET version = version + 1 WHERE id = :v", v=vid)
    refused(svc, "DELETE FROM visit WHERE id = :v", v=vid)
    refused(svc, "UPDATE visit_section SET data = '{}' WHERE visit_id = :v", v=vid)
    refused(svc, "DELETE FROM visit_section WHERE visit_id = :v", v=vid)
    # a draft's section cannot be moved under a signed-off visit either
    other = draft_visit(svc, world)
    refused(
        svc,
        "UPDATE visit_section SET visit_id = :v WHERE visit_id = :o AND section = 'voice'",
        v=vid,
        o=other,
    )
    with svc.reading() as s:
        v = s.get(Visit, vid)
        assert v.state == VisitState.SIGNED_OFF.value
    assert visits.load_visit(svc, world.manager, vid).content["voice"]


@pytest.mark.parametrize("table", ["signature", "countersign", "oversight_note", "audit_event"])
def test_append_only_tables_refuse_update_and_delete(svc, world, table):
    signed_off_student_visit(svc, world)
    with svc.reading() as s:
        before = s.exec(text(f"SELECT count(*) FROM {table}")).scalar()
    assert before >= 1
    refused(svc, f"UPDATE {table} SET id = id")
    refused(svc, f"DELETE FROM {table}")
    if svc.engine.dialect.name == "postgresql":
        refused(svc, f"TRUNCATE {table} CASCADE")
    with svc.reading() as s:
        assert s.exec(text(f"SELECT count(*) FROM {table}")).scalar() == before


def test_the_workflow_still_changes_unsigned_visits(svc, world):
    """Drafts and submitted records change as before; a visit may be updated INTO signed_off."""
    vid = draft_visit(svc, world)
    assert raw(svc, "UPDATE visit SET version = version + 1 WHERE id = :v", v=vid) == 1
    assert (
        raw(
            svc,
            "UPDATE visit_section SET data = '{}' WHERE visit_id = :v AND section = 'actions'",
            v=vid,
        )
        == 1
    )
    gone = visits.start_visit(svc, world.sw, world.child)
    assert raw(svc, "DELETE FROM visit_section WHERE visit_id = :v", v=gone) >= 1
    assert raw(svc, "DELETE FROM visit WHERE id = :v", v=gone) == 1
    # the full workflow, including a return for changes after a countersign, runs unhindered
    vid = visits.start_visit(svc, world.student, world.child)
    fill(svc, world.student, vid)
    visits.submit(svc, world.student, vid)
    visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)
    visits.return_for_changes(svc, world.manager, vid, "Please add the school's view.")
    fill(svc, world.student, vid)
    visits.submit(svc, world.student, vid)
    visits.countersign(svc, world.sw2, vid, COMMENT, PASSWORD)
    visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
    with svc.reading() as s:
        assert s.get(Visit, vid).state == VisitState.SIGNED_OFF.value


def test_the_triggers_exist_after_migration(svc):
    with svc.reading() as s:
        if svc.engine.dialect.name == "sqlite":
            names = set(
                s.exec(text("SELECT name FROM sqlite_master WHERE type='trigger'")).scalars()
            )
        else:
            names = set(
                s.exec(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars()
            )
    for t in ("signature", "countersign", "oversight_note", "audit_event"):
        assert any(n.startswith(t + "_") for n in names), t
    assert any(n.startswith("visit_signed_off") for n in names)
    assert any(n.startswith("visit_section_signed_off") for n in names)
