"""Immutability in the database itself: raw SQL cannot change a signed-off record, a
signature, a countersign, an oversight note or an audit event, cannot add to a signed-off
record, and cannot forge one (a visit INSERTed signed off, or UPDATEd to signed off without
its sign-off signature). On SQLite and PostgreSQL."""

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


# -- the gaps of issue 14 (migration 0012) ----------------------------------------------------
NOW = "2026-12-01 10:00:00"
# a test of PostgreSQL alone (a deferred constraint trigger, TRUNCATE)
ONLY_PG = pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)


def _ids(svc, vid: int) -> dict:
    with svc.reading() as s:
        v = s.get(Visit, vid)
        sig = s.exec(text("SELECT min(id) FROM signature WHERE visit_id = :v"), params={"v": vid})
        return {"v": vid, "c": v.child_id, "a": v.author_id, "sig": sig.scalar()}


def _count(svc, table: str) -> int:
    with svc.reading() as s:
        return s.exec(text(f"SELECT count(*) FROM {table}")).scalar()


def test_nothing_can_be_added_to_a_signed_off_visit(svc, world):
    vid = signed_off_student_visit(svc, world)
    p = _ids(svc, vid)
    before = {
        t: _count(svc, t) for t in ("visit_section", "countersign", "oversight_note", "signature")
    }
    refused(
        svc,
        "INSERT INTO visit_section (visit_id, section, data, updated_at) "
        "VALUES (:v, 'forged', '{}', :now)",
        now=NOW,
        **p,
    )
    refused(
        svc,
        "INSERT INTO countersign (visit_id, worker_id, comment, signature_id, "
        "created_at) VALUES (:v, :a, 'forged', :sig, :now)",
        now=NOW,
        **p,
    )
    refused(
        svc,
        "INSERT INTO oversight_note (child_id, visit_id, manager_id, decision, "
        "analysis, risk, actions, timeframe, child_voice, flag_responses, "
        "signature_id, created_at) VALUES (:c, :v, :a, 'd', 'a', 'r', '[]', 't', 'v', "
        "'{}', :sig, :now)",
        now=NOW,
        **p,
    )
    for meaning in (
        "Management oversight",
        "Qualified countersign",
        "Recorded and submitted",
        "Attended jointly",
    ):
        refused(
            svc,
            "INSERT INTO signature (visit_id, child_id, signer_id, signer_name, "
            "signer_role, signed_at, meaning, content_sha256) VALUES (:v, :c, :a, "
            "'x', 'x', :now, :m, :h)",
            now=NOW,
            m=meaning,
            h="0" * 64,
            **p,
        )
    assert before == {t: _count(svc, t) for t in before}


def test_an_addendum_is_still_signed_on_a_signed_off_visit(svc, world):
    """Corrections are addenda: their signatures (and acknowledgements') are still taken."""
    from recorder.services import addenda

    vid = signed_off_student_visit(svc, world)
    addenda.add_addendum(
        svc,
        world.student,
        vid,
        "A date was wrong.",
        "The visit was on Tuesday, not Monday.",
        PASSWORD,
    )
    with svc.reading() as s:
        meanings = set(
            s.exec(
                text("SELECT meaning FROM signature WHERE visit_id = :v"), params={"v": vid}
            ).scalars()
        )
    assert "Addendum" in meanings


def test_a_visit_cannot_be_inserted_signed_off(svc, world):
    before = _count(svc, "visit")
    refused(
        svc,
        "INSERT INTO visit (child_id, author_id, state, version, counts_as_statutory, "
        "query_reasons, created_at, updated_at) VALUES (:c, :a, 'signed_off', 1, "
        "true, '{}', :now, :now)",
        c=world.child,
        a=world.sw,
        now=NOW,
    )
    assert _count(svc, "visit") == before


def test_a_visit_is_not_signed_off_without_its_sign_off_signature(svc, world):
    """A draft (or a submitted record) UPDATEd straight to signed_off is refused; a sign-off
    signature alone, without the oversight note it signs, is not enough either."""
    vid = draft_visit(svc, world)
    refused(svc, "UPDATE visit SET state = 'signed_off' WHERE id = :v", v=vid)
    visits.submit(svc, world.sw, vid)
    refused(svc, "UPDATE visit SET state = 'signed_off' WHERE id = :v", v=vid)
    sig_sql = (
        "INSERT INTO signature (visit_id, child_id, signer_id, signer_name, signer_role, "
        "signed_at, meaning, content_sha256) VALUES (:v, :c, :m, 'x', 'x', :now, "
        "'Management oversight', :h)"
    )
    p = {"v": vid, "c": world.child, "m": world.manager, "now": NOW, "h": "0" * 64}
    with pytest.raises(DBAPIError) as e, writer(svc.engine).begin() as c:
        c.execute(text(sig_sql), p)
        c.execute(text("UPDATE visit SET state = 'signed_off' WHERE id = :v"), {"v": vid})
    assert "recorder:" in str(e.value.orig)
    with svc.reading() as s:
        assert s.get(Visit, vid).state == VisitState.AWAITING_OVERSIGHT.value
    # the services' own sign-off still works (signature, note, then the state)
    visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
    with svc.reading() as s:
        assert s.get(Visit, vid).state == VisitState.SIGNED_OFF.value


def _forge_sign_off(c, vid: int, world) -> None:
    """A sign-off signature and its oversight note written by raw SQL on connection ``c``."""
    sig = c.execute(
        text(
            "INSERT INTO signature (visit_id, child_id, signer_id, signer_name, signer_role, "
            "signed_at, meaning, content_sha256) VALUES (:v, :c, :m, 'x', 'x', :now, "
            "'Management oversight', :h) RETURNING id"
        ),
        {"v": vid, "c": world.child, "m": world.manager, "now": NOW, "h": "0" * 64},
    ).scalar()
    c.execute(
        text(
            "INSERT INTO oversight_note (child_id, visit_id, manager_id, decision, analysis, risk, "
            "actions, timeframe, child_voice, flag_responses, signature_id, created_at) VALUES "
            "(:c, :v, :m, 'd', 'a', 'r', '[]', 't', 'v', '{}', :sig, :now)"
        ),
        {"v": vid, "c": world.child, "m": world.manager, "sig": sig, "now": NOW},
    )


def test_the_state_may_change_with_its_signature_in_the_same_transaction(svc, world):
    """The trigger checks what a sign-off leaves, not who wrote it: raw SQL that writes the
    signature and the note first is let through (``recorder check`` then finds the forged
    hash). Signature and note come first on both backends: once the state is signed off, no
    signature or note may be added to the visit."""
    vid = draft_visit(svc, world)
    visits.submit(svc, world.sw, vid)
    with writer(svc.engine).begin() as c:
        _forge_sign_off(c, vid, world)
        c.execute(text("UPDATE visit SET state = 'signed_off' WHERE id = :v"), {"v": vid})
    with svc.reading() as s:
        assert s.get(Visit, vid).state == VisitState.SIGNED_OFF.value
    from recorder.services import integrity

    assert any(f"visit {vid}" in p for p in integrity.check_store(svc).problems)


@ONLY_PG
def test_postgresql_checks_the_sign_off_at_commit_and_in_the_same_transaction(svc, world):
    other = draft_visit(svc, world)
    visits.submit(svc, world.sw, other)
    # a signature written in an earlier transaction does not sign a later state change
    with writer(svc.engine).begin() as c:
        _forge_sign_off(c, other, world)
    refused(svc, "UPDATE visit SET state = 'signed_off' WHERE id = :v", v=other)


PROTECTED_PG = (
    "visit",
    "visit_section",
    "signature",
    "countersign",
    "oversight_note",
    "audit_event",
    "addendum",
    "addendum_ack",
    "supervision",
    "supervision_case",
    "tracked_action",
    "child_co_worker",
    "upgrade_notice",
)


@ONLY_PG
def test_truncate_is_refused_on_every_protected_table(svc, world):
    signed_off_student_visit(svc, world)
    with svc.reading() as s:
        guarded = set(
            s.exec(
                text(
                    "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal AND (t.tgtype & 1) = 1 AND (t.tgtype & 24) <> 0"
                )
            ).scalars()
        )  # row-level triggers on UPDATE or DELETE: the protected tables
        truncate = set(
            s.exec(
                text(
                    "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal AND (t.tgtype & 32) = 32"
                )
            ).scalars()
        )
    assert set(PROTECTED_PG) <= guarded
    assert guarded <= truncate, sorted(guarded - truncate)
    before = {t: _count(svc, t) for t in PROTECTED_PG}
    for table in PROTECTED_PG:
        refused(svc, f"TRUNCATE {table} CASCADE")
    assert before == {t: _count(svc, t) for t in PROTECTED_PG}
