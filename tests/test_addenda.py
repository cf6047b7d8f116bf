"""Addenda to signed-off visits and their acknowledgement (issue 5, part 2), on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import text as sql
from sqlmodel import select

from recorder.domain.workflow import VisitState
from recorder.services import addenda, visits
from recorder.services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from recorder.store.models import Addendum, AddendumAck, AuditEvent, Signature, Visit, VisitSection
from tests.support.records import draft, signed_off, submitted
from tests.support.world import PASSWORD, build_world

REASON = "The visit time was recorded wrongly"
TEXT = "The visit began at 16:45, not 16:30. Amira's grandmother, Zofia Wiśniewska, was present."


@pytest.fixture
def world(svc):
    return build_world(svc)


@pytest.fixture
def done(svc, world):
    """A signed-off visit by Sam (social worker), signed off by Maya (manager)."""
    return signed_off(svc, world.sw, world.child, world.manager)


def snapshot(svc, vid):
    """Everything of the original record, to show it is untouched."""
    with svc.reading() as s:
        v = s.get(Visit, vid)
        secs = s.exec(
            select(VisitSection).where(VisitSection.visit_id == vid).order_by(VisitSection.id)
        ).all()
        return (v.model_dump(), [r.model_dump() for r in secs])


def audit(svc, action):
    with svc.reading() as s:
        return s.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()


def test_author_adds_a_signed_addendum_and_the_original_is_untouched(svc, world, done, clock):
    before = snapshot(svc, done)
    clock.advance(days=3)
    aid = addenda.add_addendum(svc, world.sw, done, REASON, TEXT, PASSWORD)
    assert snapshot(svc, done) == before
    view = visits.load_visit(svc, world.sw, done)
    assert view.state is VisitState.SIGNED_OFF
    [a] = view.addenda
    assert (a.id, a.reason, a.text, a.author_name) == (
        aid,
        REASON,
        TEXT,
        "Sam Social, social worker",
    )
    assert a.created_at == clock.current
    assert a.signature.meaning == "Addendum" and a.signature.signer_id == world.sw
    assert a.signature.registration_number == "SW200001" and len(a.signature.content_sha256) == 64
    assert not a.acknowledged
    [event] = audit(svc, "add_addendum")
    assert (event.outcome, event.entity_id, event.detail) == ("ok", done, f"addendum={aid}")
    assert TEXT not in event.detail and REASON not in event.detail


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("sw", True),
        ("manager2", True),
        ("sw2", False),
        ("student", False),
    ],
)
def test_the_visit_view_says_who_may_add_one(svc, world, done, who, allowed):
    """The screen offers the addendum key from this answer; the service enforces the same."""
    view = visits.load_visit(svc, getattr(world, who), done)
    assert bool(view.may_add_addendum) is allowed
    draft_view = visits.load_visit(svc, world.sw, draft(svc, world.sw, world.child))
    assert not draft_view.may_add_addendum
    assert draft_view.may_edit and not view.may_edit  # only the author's own draft changes
    assert not visits.load_visit(svc, world.manager, draft_view.id).may_edit


def test_manager_of_the_team_may_add_one_too(svc, world, done):
    addenda.add_addendum(svc, world.manager2, done, "Information from school", "Text.", PASSWORD)
    assert [a.author_id for a in visits.load_visit(svc, world.sw, done).addenda] == [world.manager2]


@pytest.mark.parametrize(
    "who, message",
    [
        ("sw2", "Only the worker who wrote"),  # same team, not the author, not a manager
        ("student", "Only the worker who wrote"),
        ("other_team_sw", "Only the worker who wrote"),
        ("admin", "Administrators"),
    ],
)
def test_others_may_not_add(svc, world, done, who, message):
    with pytest.raises(NotAllowed, match=message):
        addenda.add_addendum(svc, getattr(world, who), done, REASON, TEXT, PASSWORD)
    assert visits.load_visit(svc, world.sw, done).addenda == []
    assert audit(svc, "add_addendum")[-1].outcome == "refused"


def test_only_a_signed_off_record_takes_an_addendum(svc, world):
    for vid in (draft(svc, world.sw, world.child), submitted(svc, world.sw, world.child)):
        with pytest.raises(NotAllowed, match="signed-off"):
            addenda.add_addendum(svc, world.sw, vid, REASON, TEXT, PASSWORD)
    with pytest.raises(NotFound):
        addenda.add_addendum(svc, world.sw, 9999, REASON, TEXT, PASSWORD)


def test_wrong_password_signs_nothing(svc, world, done):
    with svc.reading() as s:
        sigs = len(s.exec(select(Signature)).all())
    with pytest.raises(NotAllowed, match="password"):
        addenda.add_addendum(svc, world.sw, done, REASON, TEXT, "not my password")
    with svc.reading() as s:
        assert len(s.exec(select(Signature)).all()) == sigs
        assert s.exec(select(Addendum)).all() == []


def test_reason_and_text_are_required_cleaned_and_limited(svc, world, done):
    with pytest.raises(InvalidInput, match="why"):
        addenda.add_addendum(svc, world.sw, done, "  ", TEXT, PASSWORD)
    with pytest.raises(InvalidInput, match="no text"):
        addenda.add_addendum(svc, world.sw, done, REASON, "\x1b\x07\n \t\u202e", PASSWORD)
    limit = svc.policy.long_text_max_chars
    with pytest.raises(InvalidInput, match=f"limit is {limit:,}"):
        addenda.add_addendum(svc, world.sw, done, REASON, "x" * (limit + 1), PASSWORD)
    with pytest.raises(InvalidInput, match="reason"):
        addenda.add_addendum(svc, world.sw, done, "r" * 501, TEXT, PASSWORD)
    aid = addenda.add_addendum(
        svc,
        world.sw,
        done,
        "Bad\x1b]0;owned\x07 date\u202e",
        "Line one\x1b[2J\r\nالطفل 小明",
        PASSWORD,
    )
    [a] = visits.load_visit(svc, world.sw, done).addenda
    assert a.id == aid and a.reason == "Bad]0;owned date" and a.text == "Line one[2J\nالطفل 小明"


def test_manager_acknowledges_with_a_signature_and_the_queue_empties(svc, world, done):
    aid = addenda.add_addendum(svc, world.sw, done, REASON, TEXT, PASSWORD)
    queue = addenda.unacknowledged(svc, world.manager)
    assert [(a.id, a.child_name) for a in queue] == [(aid, "Amira Khan")]
    assert addenda.unacknowledged(svc, world.manager2)[0].id == aid
    with pytest.raises(NotAllowed, match="password"):
        addenda.acknowledge(svc, world.manager, aid, "wrong password")
    addenda.acknowledge(svc, world.manager, aid, PASSWORD)
    assert addenda.unacknowledged(svc, world.manager) == []
    [a] = visits.load_visit(svc, world.sw, done).addenda
    assert a.acknowledged and a.acknowledged_by == "Maya Manager, team manager"
    assert a.ack_signature.meaning == "Addendum acknowledged"
    assert a.ack_signature.signer_id == world.manager
    with pytest.raises(Conflict, match="already"):
        addenda.acknowledge(svc, world.manager2, aid, PASSWORD)
    assert [e.outcome for e in audit(svc, "acknowledge_addendum")] == ["refused", "ok", "refused"]


def test_nobody_acknowledges_their_own_addendum_and_only_team_managers_do(svc, world, done):
    own = addenda.add_addendum(svc, world.manager, done, REASON, TEXT, PASSWORD)
    with pytest.raises(NotAllowed, match="another team manager"):
        addenda.acknowledge(svc, world.manager, own, PASSWORD)
    for who in (world.sw, world.sw2, world.student, world.admin, world.other_team_sw):
        with pytest.raises(NotAllowed):
            addenda.acknowledge(svc, who, own, PASSWORD)
        with pytest.raises(NotAllowed):
            addenda.unacknowledged(svc, who)
    addenda.acknowledge(svc, world.manager2, own, PASSWORD)
    with svc.reading() as s:
        assert len(s.exec(select(AddendumAck)).all()) == 1


def test_another_teams_manager_sees_nothing_and_cannot_acknowledge(svc, world, done):
    from datetime import date

    from recorder.services import accounts

    south = accounts.add_user(
        svc,
        world.admin,
        username="southmgr",
        full_name="Sue South",
        role="team_manager",
        password=PASSWORD,
        team="South",
        registration_number="SW400001",
        registration_checked_on=date(2026, 10, 1),
    )
    aid = addenda.add_addendum(svc, world.sw, done, REASON, TEXT, PASSWORD)
    assert addenda.unacknowledged(svc, south) == []
    with pytest.raises(NotAllowed, match="record's team"):
        addenda.acknowledge(svc, south, aid, PASSWORD)
    with pytest.raises(NotAllowed):
        addenda.add_addendum(svc, south, done, REASON, TEXT, PASSWORD)


def test_addenda_rows_cannot_be_changed_or_deleted_even_in_raw_sql(svc, world, done):
    aid = addenda.add_addendum(svc, world.sw, done, REASON, TEXT, PASSWORD)
    addenda.acknowledge(svc, world.manager, aid, PASSWORD)
    for statement in (
        "UPDATE addendum SET text = 'changed'",
        "DELETE FROM addendum",
        "UPDATE addendum_ack SET manager_id = manager_id",
        "DELETE FROM addendum_ack",
    ):
        with pytest.raises(Exception, match="cannot be") as e:
            with svc.engine.begin() as c:
                c.execute(sql(statement))
        assert "recorder:" in str(e.value)
    [a] = visits.load_visit(svc, world.sw, done).addenda
    assert a.text == TEXT and a.acknowledged


def test_several_addenda_show_oldest_first(svc, world, done, clock):
    first = addenda.add_addendum(svc, world.sw, done, "One", "First.", PASSWORD)
    clock.advance(hours=1)
    second = addenda.add_addendum(svc, world.manager, done, "Two", "Second.", PASSWORD)
    assert [a.id for a in visits.load_visit(svc, world.manager, done).addenda] == [first, second]
    assert [a.id for a in addenda.unacknowledged(svc, world.manager2)] == [first, second]


def test_two_managers_acknowledging_at_the_same_moment_sign_once(db_url, monkeypatch):
    """Two terminals: both managers read the addendum before either writes. One signs; the
    other is told it is already acknowledged (not a database error)."""
    import threading

    from tests.support.clock import FrozenClock
    from tests.support.race import Rendezvous
    from tests.support.stores import make_services

    clock = FrozenClock()
    a, b = make_services(db_url, clock), make_services(db_url, clock)
    try:
        world = build_world(a)
        vid = signed_off(a, world.sw, world.child, world.manager)
        aid = addenda.add_addendum(a, world.sw, vid, REASON, TEXT, PASSWORD)
        together = Rendezvous(2, a.engine)  # or PostgreSQL shows one waiting for a lock
        real_check = addenda.check_password

        def slow_check(*args, **kw):  # both have read the addendum and found no ack
            together.wait()
            return real_check(*args, **kw)

        monkeypatch.setattr(addenda, "check_password", slow_check)
        results = {}

        def run(name, svc, who):
            try:
                results[name] = addenda.acknowledge(svc, who, aid, PASSWORD)
            except Exception as e:  # noqa: BLE001 - recorded for the assertions
                results[name] = e

        threads = [
            threading.Thread(target=run, args=("A", a, world.manager)),
            threading.Thread(target=run, args=("B", b, world.manager2)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        errors = [r for r in results.values() if r is not None]
        assert len(errors) == 1 and isinstance(errors[0], Conflict), results
        with a.reading() as s:
            assert len(s.exec(select(AddendumAck)).all()) == 1
    finally:
        a.engine.dispose()
        b.engine.dispose()
