"""The audit trail's hash chain and `recorder check`, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlmodel import select

from recorder.services import accounts, caseloads, integrity, visits
from recorder.services.errors import NotAllowed
from recorder.store.audit_chain import GENESIS, row_digest
from recorder.store.engine import make_engine, writer
from recorder.store.migrate import upgrade
from recorder.store.models import AuditEvent, Signature
from tests.support.records import fill
from tests.support.stores import make_services
from tests.support.world import PASSWORD, build_world
from tests.test_triggers import COMMENT, signed_off_student_visit


@pytest.fixture
def world(svc):
    return build_world(svc)


def events(svc):
    with svc.reading() as s:
        return s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()


def raw(svc, *statements):
    with writer(svc.engine).begin() as c:
        for sql in statements:
            c.execute(text(sql))


def drop_triggers(svc, table: str) -> None:
    """What someone with direct access to the database could do first."""
    if svc.engine.dialect.name == "postgresql":
        raw(svc, f"ALTER TABLE {table} DISABLE TRIGGER USER")
    else:
        with svc.engine.connect() as c:
            names = (
                c.execute(
                    text("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name = :t"),
                    {"t": table},
                )
                .scalars()
                .all()
            )
        raw(svc, *(f"DROP TRIGGER {n}" for n in names))


def test_every_event_is_chained_to_the_one_before(svc, world):
    vid = signed_off_student_visit(svc, world)
    visits.load_visit(svc, world.sw, vid)
    caseloads.child_view(svc, world.sw, world.child)
    rows = events(svc)
    assert len(rows) > 20
    assert rows[0].prev_sha256 == GENESIS
    for before, row in zip(rows, rows[1:]):
        assert row.prev_sha256 == before.sha256
    assert all(r.sha256 == row_digest(r) and len(r.sha256) == 64 for r in rows)
    # opening a child's record is in the chain too
    assert [(r.action, r.entity_id) for r in rows[-2:]] == [
        ("view_visit", vid),
        ("view_child", world.child),
    ]
    report = integrity.check_store(svc)
    assert report.ok, report.problems
    assert report.events == len(rows) and report.head_sha256 == rows[-1].sha256
    # the author's submission, the countersign and the sign-off
    assert report.signatures == 3 and report.signatures_verified == 3
    assert report.signed_off_visits == 1
    assert (report.sqlite_integrity == "ok") == (svc.engine.dialect.name == "sqlite")
    assert vid


def test_the_check_holds_one_batch_of_signatures_at_a_time(svc, world, monkeypatch):
    """Regression: the check held every signature, note and countersign at once (6.9 GB on
    the 1,224,721-signature bulk store). With a batch of one, each signature is checked with
    no other in memory, and the report is the same as with the default batch."""
    vid = signed_off_student_visit(svc, world)
    whole = integrity.check_store(svc)
    held: list[set[int]] = []
    check_one = integrity._check_signature

    def watched(s, report, sig, *rest):
        held.append({o.id for o in s.identity_map.values() if isinstance(o, Signature)})
        return check_one(s, report, sig, *rest)

    monkeypatch.setattr(integrity, "BATCH", 1)
    monkeypatch.setattr(integrity, "_check_signature", watched)
    one = integrity.check_store(svc)
    assert one.ok and whole.ok, (one.problems, whole.problems)
    assert (one.signatures, one.signatures_verified, one.signed_off_visits) == (3, 3, 1)
    assert (whole.signatures, whole.signatures_verified, whole.signed_off_visits) == (3, 3, 1)
    with svc.reading() as s:
        ids = s.exec(select(Signature.id).where(Signature.visit_id == vid)).all()
    assert held == [{i} for i in sorted(ids)]


def test_a_countersign_of_an_earlier_round_is_counted_not_checked(svc, world):
    vid = visits.start_visit(svc, world.student, world.child)
    fill(svc, world.student, vid)
    visits.submit(svc, world.student, vid)
    visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)
    report = integrity.check_store(svc)
    # awaiting oversight: the current round's submission and countersign
    assert report.ok and report.signatures_verified == 2
    visits.return_for_changes(svc, world.manager, vid, "Please add the school's view.")
    report = integrity.check_store(svc)
    assert report.ok and report.signatures_verified == 0 and report.earlier_round_countersigns == 1
    assert report.earlier_round_submissions == 1  # returned: the submission was of old text


def test_one_changed_byte_of_a_signed_record_is_found_and_named(svc, world):
    vid = signed_off_student_visit(svc, world)
    drop_triggers(svc, "visit_section")
    with svc.reading() as s:
        data = (
            s.connection()
            .execute(
                text(
                    "SELECT data FROM visit_section WHERE visit_id = :v AND section = 'observations'"
                ),
                {"v": vid},
            )
            .scalar()
        )
        sigs = s.exec(
            select(Signature).where(Signature.visit_id == vid).order_by(Signature.id)
        ).all()
    data = data if isinstance(data, str) else __import__("json").dumps(data)
    i = data.index("kitchen")
    changed = data[:i] + "K" + data[i + 1 :]  # one byte: 'k' -> 'K'
    assert len(changed.encode()) == len(data.encode()) and changed != data
    value = "CAST(:d AS JSON)" if svc.engine.dialect.name == "postgresql" else ":d"
    with writer(svc.engine).begin() as c:
        c.execute(
            text(
                f"UPDATE visit_section SET data = {value} WHERE visit_id = :v AND "
                "section = 'observations'"
            ),
            {"d": changed, "v": vid},
        )
    report = integrity.check_store(svc)
    assert not report.ok
    # every signature over that text fails, the author's submission first (signed first)
    assert [m.meaning for m in sigs] == [
        visits.AUTHOR_MEANING,
        visits.COUNTERSIGN_MEANING,
        visits.OVERSIGHT_MEANING,
    ]
    assert report.problem_count == 3
    assert report.problems[0].startswith(f"signature {sigs[0].id} (submission of visit {vid})")
    assert report.problems[1].startswith(f"signature {sigs[1].id} (countersign of visit {vid})")
    assert report.problems[2].startswith(f"signature {sigs[2].id} (sign-off of visit {vid})")
    assert "kitchen" not in " ".join(report.problems).lower()  # ids, never case text


def test_a_changed_or_removed_audit_event_breaks_the_chain_there(svc, world):
    signed_off_student_visit(svc, world)
    rows = events(svc)
    target = rows[len(rows) // 2]
    drop_triggers(svc, "audit_event")
    raw(svc, f"UPDATE audit_event SET outcome = 'refused' WHERE id = {target.id}")
    report = integrity.check_store(svc)
    assert not report.ok and report.problem_count == 1
    assert report.problems[0].startswith(f"audit event {target.id}: its content")
    raw(svc, f"UPDATE audit_event SET outcome = '{target.outcome}' WHERE id = {target.id}")
    assert integrity.check_store(svc).ok
    raw(svc, f"DELETE FROM audit_event WHERE id = {target.id}")
    report = integrity.check_store(svc)
    nxt = rows[len(rows) // 2 + 1]
    assert report.problems[0].startswith(f"audit event {nxt.id}: the chain is broken")


def test_a_visit_marked_signed_off_without_a_signature_is_found(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid)
    drop_triggers(svc, "visit")  # the trigger of migration 0012 refuses it otherwise
    raw(svc, f"UPDATE visit SET state = 'signed_off' WHERE id = {vid}")
    report = integrity.check_store(svc)
    assert report.problems == [f"visit {vid}: signed off, but without a valid sign-off signature"]


def test_concurrent_writers_do_not_fork_the_chain(svc, world):
    """Eight threads writing audited changes at once: one unbroken chain, nothing lost."""
    before = len(events(svc))
    errors: list[BaseException] = []
    per_thread = 6

    def work(k: int) -> None:
        try:
            for _ in range(per_thread):
                visits.start_visit(svc, world.sw if k % 2 else world.sw2, world.child)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(events(svc)) == before + 8 * per_thread
    report = integrity.check_store(svc)
    assert report.ok, report.problems


def test_the_database_refuses_a_fork_in_the_chain(svc, world):
    """prev_sha256 is unique: a second event after the same one is refused outright."""
    from sqlalchemy.exc import IntegrityError

    last = events(svc)[-1]
    with pytest.raises(IntegrityError):
        raw(
            svc,
            "INSERT INTO audit_event (at, action, entity, outcome, detail, prev_sha256, "
            f"sha256) VALUES (CURRENT_TIMESTAMP, 'x', 'y', 'ok', '', '{last.prev_sha256}', "
            f"'{'f' * 64}')",
        )


def test_migration_chains_the_events_already_in_a_store(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0003")
    zone = "+00" if engine.dialect.name == "postgresql" else ".000000"
    with writer(engine).begin() as c:
        for i in range(5):
            c.execute(
                text(
                    "INSERT INTO audit_event (at, action, entity, outcome, detail) VALUES "
                    f"('2026-11-2{i} 10:00:00{zone}', 'sign_in', 'worker', 'ok', 'n{i}')"
                )
            )
    upgrade(engine)
    svc = make_services(db_url)
    report = integrity.check_store(svc)
    assert report.ok and report.events == 5, report.problems
    # and the triggers are back on audit_event after the table was rebuilt
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError):
        raw(svc, "DELETE FROM audit_event")
    svc.engine.dispose()
    engine.dispose()


def test_only_an_administrator_may_check_and_a_refusal_is_audited(svc, world):
    with pytest.raises(NotAllowed):
        integrity.audited_check(svc, world.manager)
    last = events(svc)[-1]
    assert (last.action, last.outcome, last.actor_id) == ("check", "refused", world.manager)
    report = integrity.audited_check(svc, world.admin)
    assert report.ok
    last = events(svc)[-1]
    assert (last.action, last.outcome, last.actor_id) == ("check", "ok", world.admin)
    assert integrity.check_store(svc).ok


def test_an_inactive_or_unknown_account_cannot_check(svc, world):
    with pytest.raises(NotAllowed):
        integrity.audited_check(svc, 99999)
    assert accounts.has_any_account(svc)


def test_a_case_oversight_note_signature_is_verified(svc, world):
    from recorder.services import oversight
    from tests.support.records import good_note

    oversight.add_case_note(svc, world.manager, world.child, good_note(), PASSWORD)
    report = integrity.check_store(svc)
    assert report.ok and report.signatures == 1 and report.signatures_verified == 1
    drop_triggers(svc, "oversight_note")
    raw(svc, "UPDATE oversight_note SET risk = 'Neglect reduced.' WHERE visit_id IS NULL")
    report = integrity.check_store(svc)
    assert report.problems[0].startswith("signature 1 (case oversight note 1)")


def test_addendum_and_acknowledgement_signatures_are_verified(svc, world):
    from recorder.services import addenda

    vid = signed_off_student_visit(svc, world)
    aid = addenda.add_addendum(
        svc,
        world.student,
        vid,
        "A date was wrong",
        "The visit was on Tuesday, not Monday.",
        PASSWORD,
    )
    addenda.acknowledge(svc, world.manager2, aid, PASSWORD)
    report = integrity.check_store(svc)
    assert report.ok, report.problems
    assert report.signatures == 5 and report.signatures_verified == 5
    assert report.other_signatures == 0
    drop_triggers(svc, "addendum")
    raw(svc, f"UPDATE addendum SET text = 'The visit was on Tuesday, not Sunday.' WHERE id = {aid}")
    report = integrity.check_store(svc)
    assert report.problem_count == 1
    assert report.problems[0].startswith("signature 4 (addendum 1 to visit 1)")
