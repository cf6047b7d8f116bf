"""Supervision records (issue 11, item 5) through the services on SQLite and PostgreSQL:
signed by the worker's team manager with the password again, append-only, verified by
``recorder check``; case discussions on each child's record and their actions tracked."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select

from recorder.domain.supervision import CaseDiscussionInput, SupervisionInput
from recorder.services import accounts, caseloads, children, directions, integrity, supervision
from recorder.services.errors import InvalidInput, NotAllowed
from recorder.store.models import AuditEvent, Signature, Supervision, SupervisionCase
from tests.support.world import PASSWORD, build_world


@pytest.fixture
def world(svc):
    w = build_world(svc)
    w.second_child = children.add_child(
        svc,
        w.admin,
        children.ChildInput(
            reference="C0002",
            full_name="Leo Ahmed",
            date_of_birth=date(2012, 9, 30),
            team="North",
            allocated_worker="sw",
        ),
    )
    return w


def last_audit(svc):
    with svc.reading() as s:
        return s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def record(world, **kw) -> SupervisionInput:
    base = dict(
        held_on=date(2026, 11, 25),
        attended="Maya Manager, Sam Social",
        wellbeing="Tired after two late visits; agreed a lieu morning.",
        workload="Twelve children; no new allocations this month.",
        learning="Signs of Safety refresher booked for January.",
        cases=(
            CaseDiscussionInput(
                world.child,
                "Continue the plan; review contact at conference.",
                ({"what": "Visit Amira at school", "who": "Sam", "by_when": "2026-12-04"},),
                "Amira said she feels safe at nan's; contact moves there.",
            ),
            CaseDiscussionInput(
                world.second_child,
                "Close to early help after the review.",
                ({"what": "Write the closing summary", "who": "me", "by_when": "next month"},),
                "Leo wants to stop seeing a social worker; his view is in the summary.",
            ),
        ),
    )
    base.update(kw)
    return SupervisionInput(**base)


def test_manager_signs_a_supervision_and_each_child_discussed_shows_on_their_record(svc, world):
    form = supervision.supervision_form(svc, world.manager, world.sw)
    assert [c.name for c in form.children] == ["Amira Khan", "Leo Ahmed"]
    assert form.last_held_on is None and "none recorded yet" in form.due.words
    sid = supervision.record_supervision(svc, world.manager, world.sw, record(world), PASSWORD)
    assert (last_audit(svc).action, last_audit(svc).outcome) == ("record_supervision", "ok")

    view = supervision.supervision_view(svc, world.sw, sid)  # the worker reads their own
    assert view.manager_name == "Maya Manager" and len(view.cases) == 2
    assert view.signature.meaning == "Supervision" and view.signature.signer_name == "Maya Manager"
    for child in (world.child, world.second_child):
        cv = caseloads.child_view(svc, world.sw, child)
        assert [d.supervision_id for d in cv.discussions] == [sid]
    # the actions went to the workers they name
    assert [d.what for d in directions.open_directions(svc, world.sw)] == ["Visit Amira at school"]
    assert [d.kind_label for d in directions.open_directions(svc, world.manager)] == [
        "Supervision action"
    ]
    # the timescale counts from it: monthly for a worker not in the ASYE
    form = supervision.supervision_form(svc, world.manager, world.sw)
    assert form.last_held_on == date(2026, 11, 25)
    assert form.due.due == date(2026, 12, 25) and form.due.words == "supervision due in 29 days"
    assert integrity.check_store(svc).ok


def test_supervision_refusals(svc, world):
    sup = record(world)
    for who in (world.sw2, world.student, world.other_team_sw, world.admin):
        with pytest.raises(NotAllowed):
            supervision.record_supervision(svc, who, world.sw, sup, PASSWORD)
        assert last_audit(svc).outcome == "refused"
    with pytest.raises(NotAllowed, match="your own"):
        supervision.record_supervision(svc, world.manager, world.manager, sup, PASSWORD)
    with pytest.raises(InvalidInput, match="Wellbeing may not be empty"):
        supervision.record_supervision(
            svc, world.manager, world.sw, record(world, wellbeing=" "), PASSWORD
        )
    with pytest.raises(InvalidInput, match="future"):
        supervision.record_supervision(
            svc, world.manager, world.sw, record(world, held_on=date(2026, 12, 1)), PASSWORD
        )
    with pytest.raises(NotAllowed, match="password"):
        supervision.record_supervision(svc, world.manager, world.sw, sup, "wrong")
    # a child who is not the worker's is refused
    other = record(
        world,
        cases=(
            CaseDiscussionInput(
                world.child, "d", ({"what": "w", "who": "x", "by_when": "y"},), "v"
            ),
        ),
    )
    with pytest.raises(NotAllowed, match="not one of this worker's children"):
        supervision.record_supervision(svc, world.manager, world.student, other, PASSWORD)
    sid = supervision.record_supervision(svc, world.manager, world.sw, sup, PASSWORD)
    with pytest.raises(NotAllowed):
        supervision.supervision_view(svc, world.sw2, sid)  # a colleague does not read it
    with pytest.raises(NotAllowed):
        supervision.supervision_view(svc, world.admin, sid)
    with svc.reading() as s:
        assert len(s.exec(select(Supervision)).all()) == 1


def test_signed_supervision_never_changes(svc, world):
    sid = supervision.record_supervision(svc, world.manager, world.sw, record(world), PASSWORD)
    for sql in (
        "UPDATE supervision SET wellbeing = 'fine' WHERE id = :i",
        "DELETE FROM supervision WHERE id = :i",
        "UPDATE supervision_case SET decision = 'other' WHERE supervision_id = :i",
        "DELETE FROM supervision_case WHERE supervision_id = :i",
    ):
        with pytest.raises(Exception, match="supervision"):
            with svc.writing() as s:
                s.execute(text(sql), {"i": sid})
    with svc.reading() as s:
        assert s.get(Supervision, sid).wellbeing.startswith("Tired")
        assert len(s.exec(select(SupervisionCase)).all()) == 2


def test_recorder_check_finds_a_tampered_supervision_signature(svc, world):
    supervision.record_supervision(svc, world.manager, world.sw, record(world), PASSWORD)
    report = integrity.check_store(svc)
    assert report.ok and report.signatures_verified == report.signatures
    # change the text under the triggers' back, as an attacker with the database would
    pg = svc.engine.dialect.name == "postgresql"
    with svc.engine.begin() as c:
        if pg:
            c.execute(text("ALTER TABLE supervision_case DISABLE TRIGGER USER"))
        else:
            c.execute(text("DROP TRIGGER supervision_case_no_update"))
        c.execute(text("UPDATE supervision_case SET decision = 'No concerns.'"))
        if pg:
            c.execute(text("ALTER TABLE supervision_case ENABLE TRIGGER USER"))
    report = integrity.check_store(svc)
    assert not report.ok
    with svc.reading() as s:
        sig = s.exec(select(Signature).where(Signature.meaning == "Supervision")).one()
    assert any(f"signature {sig.id} (supervision 1)" in p for p in report.problems)


def test_asye_flag_sets_the_frequency_and_team_view_says_who_is_due(svc, world, clock):
    accounts.set_asye(svc, world.admin, "sw2", True, date(2026, 11, 2))
    supervision.record_supervision(
        svc,
        world.manager,
        world.sw2,
        record(world, held_on=date(2026, 11, 16), cases=()),
        PASSWORD,
    )
    supervision.record_supervision(
        svc, world.manager, world.sw, record(world, held_on=date(2026, 10, 20), cases=()), PASSWORD
    )
    due = supervision.team_supervision(svc, world.manager)
    # ASYE week 3: weekly, so due on 23 Nov and overdue by 3 days on 26 Nov
    assert due[world.sw2].asye and due[world.sw2].due.words == "supervision overdue by 3 days"
    assert due[world.sw2].due.band.startswith("weekly")
    # Sam: monthly from 20 Oct, due 20 Nov
    assert due[world.sw].due.words == "supervision overdue by 6 days"
    with pytest.raises(NotAllowed):
        supervision.team_supervision(svc, world.sw)
