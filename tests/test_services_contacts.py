"""Contacts, domestic-abuse notifications and their one outcome (issue 13 items 1-2;
DOMAIN.md "Contacts, referrals and the chronology"), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from recorder.domain.contacts import ContactInput, ContactKind, Outcome
from recorder.services import contact_reads, contacts, integrity
from recorder.services.errors import InvalidInput, NotAllowed
from recorder.store.engine import writer
from recorder.store.models import AuditEvent, Child, Contact
from tests.support.world import PASSWORD, build_world


@pytest.fixture
def world(svc):
    return build_world(svc)


def school(**kw) -> ContactInput:
    base = dict(
        received_at=datetime(2026, 11, 25, 9, 15),
        source_code="2A",
        referrer="Mrs Patel, designated safeguarding lead, Hill Primary",
        concern="Amira said she is scared to go home; a bruise on her arm.",
        checked="Our records (open CP plan); the GP practice.",
    )
    base.update(kw)
    return ContactInput(**base)


def police(received: datetime, **kw) -> ContactInput:
    base = dict(
        received_at=received,
        source_code="6",
        referrer="PC 1234 Jones, Public Protection Unit",
        concern="Verbal argument between the parents; no injuries reported.",
        checked="Police notification; our records.",
        kind=ContactKind.DOMESTIC_ABUSE,
        incident_date=received.date(),
        risk_level="standard",
        children_present="Amira was upstairs.",
    )
    base.update(kw)
    return ContactInput(**base)


def row(svc, cid) -> Contact:
    with svc.reading() as s:
        return s.get(Contact, cid)


def test_a_contact_is_recorded_then_decided_with_exactly_one_outcome(svc, world):
    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    (v,) = contact_reads.contacts_for_child(svc, world.sw, world.child)
    assert v.outcome is None and v.outcome_label == "Awaiting a manager's decision"
    assert v.source_name == "Schools" and v.recorded_by == "Sam Social"
    result = contacts.decide_contact(
        svc, world.manager, cid, "referral", "Disclosure and a bruise: assess.", PASSWORD
    )
    assert result.outcome is Outcome.REFERRAL and not result.alert_raised
    r = row(svc, cid)
    assert r.outcome == "referral" and r.decided_by_id == world.manager and r.signature_id
    # decided once: a second decision, NFA over the referral, is refused in words
    with pytest.raises(NotAllowed, match="never changes. Add an addendum"):
        contacts.decide_contact(svc, world.manager, cid, "nfa", "Changed my mind.", PASSWORD)
    assert row(svc, cid).outcome == "referral"
    report = integrity.check_store(svc)
    assert report.ok, report.problems
    assert report.signatures_verified >= 1


@pytest.mark.parametrize(
    "outcome, message",
    [
        (["nfa", "early_help"], "exactly one outcome"),
        (None, "Choose the contact's one outcome"),
        ("step_down_and_nfa", "Choose the contact's one outcome"),
    ],
)
def test_a_decision_has_one_outcome_and_a_reason(svc, world, outcome, message):
    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    with pytest.raises(InvalidInput, match=message):
        contacts.decide_contact(svc, world.manager, cid, outcome, "A reason.", PASSWORD)
    with pytest.raises(InvalidInput, match="reason for the decision"):
        contacts.decide_contact(svc, world.manager, cid, "nfa", "  ", PASSWORD)
    assert row(svc, cid).outcome is None


def test_the_decision_asks_the_password_again_and_only_a_manager_decides(svc, world):
    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    with pytest.raises(NotAllowed, match="password is not right"):
        contacts.decide_contact(svc, world.manager, cid, "nfa", "Advice given.", "wrong")
    for who in (world.sw, world.admin, world.student):
        with pytest.raises(NotAllowed):
            contacts.decide_contact(svc, who, cid, "nfa", "No concern.", PASSWORD)
    assert row(svc, cid).decided_at is None


def test_what_a_contact_needs(svc, world):
    with pytest.raises(InvalidInput) as e:
        contacts.record_contact(
            svc,
            world.sw,
            "C0001",
            school(source_code="99", concern=" ", checked="", referrer=""),
        )
    msg = e.value.message
    for words in ("census list", "who made the contact", "concern in words", "what was checked"):
        assert words in msg
    with pytest.raises(InvalidInput, match="incident"):
        contacts.record_contact(
            svc, world.sw, "C0001", police(datetime(2026, 11, 25, 9), incident_date=None)
        )
    with pytest.raises(InvalidInput, match="risk level"):
        contacts.record_contact(
            svc, world.sw, "C0001", police(datetime(2026, 11, 25, 9), risk_level="low-ish")
        )
    with pytest.raises(InvalidInput, match="future"):
        contacts.record_contact(svc, world.sw, "C0001", school(received_at=datetime(2027, 1, 1)))


def test_who_may_record_a_contact(svc, world):
    for who in (world.admin, world.student, world.other_team_sw):
        with pytest.raises(NotAllowed):
            contacts.record_contact(svc, who, "C0001", school())
    # a colleague of the team and the team manager may
    contacts.record_contact(svc, world.sw2, "C0001", school())
    contacts.record_contact(svc, world.manager, "C0001", school())


def test_a_contact_for_a_child_not_yet_known_creates_the_child(svc, world):
    new = contacts.NewChild("Zofia Nowak", date(2019, 3, 2))
    cid = contacts.record_contact(svc, world.sw, new, school(concern="Zofia is often hungry."))
    with svc.reading() as s:
        r = s.get(Contact, cid)
        c = s.get(Child, r.child_id)
    assert c.full_name == "Zofia Nowak" and c.reference == f"C{c.id:06d}"
    assert c.team_id is not None and c.allocated_worker_id is None
    (v,) = contact_reads.contacts_for_child(svc, world.sw, c.id)
    assert v.child_reference == c.reference
    with pytest.raises(InvalidInput, match="at least a name"):
        contacts.record_contact(svc, world.sw, contacts.NewChild(" ", date(2019, 3, 2)), school())


def test_a_household_notification_is_one_contact_per_child_linked(svc, world):
    ids = contacts.record_household_notification(
        svc,
        world.sw,
        ["C0001", contacts.NewChild("Yusuf Khan", date(2021, 6, 1))],
        police(datetime(2026, 11, 25, 7, 40), children_present="Amira and Yusuf."),
    )
    assert len(ids) == 2
    rows = [row(svc, i) for i in ids]
    assert {r.household_id for r in rows} == {ids[0]}
    assert len({r.child_id for r in rows}) == 2
    # each child's contact is decided on its own
    contacts.decide_contact(svc, world.manager, ids[0], "nfa", "Police dealt with it.", PASSWORD)
    assert row(svc, ids[1]).outcome is None
    with pytest.raises(InvalidInput, match="named twice"):
        contacts.record_household_notification(
            svc, world.sw, ["C0001", "C0001"], police(datetime(2026, 11, 25, 7, 40))
        )


def test_three_notifications_in_twelve_months_alert_even_when_each_was_nfa(svc, world):
    """Issue 13 item 2: two NFA notifications this year and a third: its decision raises the
    alert; a fourth more than twelve months after the first two does not."""
    results = []
    for received in (datetime(2026, 2, 10, 8), datetime(2026, 7, 1, 22), datetime(2026, 11, 24)):
        cid = contacts.record_contact(svc, world.sw, "C0001", police(received))
        results.append(
            contacts.decide_contact(svc, world.manager, cid, "nfa", "Police dealt.", PASSWORD)
        )
    assert [r.alert_raised for r in results] == [False, False, True]
    with svc.reading() as s:
        event = s.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "decide_contact")
            .order_by(AuditEvent.id.desc())
        ).first()
    assert event.detail == "outcome=nfa da_alert"
    # the alert is the team manager's to answer, in a case-level oversight note
    from recorder.domain.alerts import AlertKind
    from recorder.services import alerts, oversight
    from tests.support.records import oversight_note

    (alert,) = alerts.open_alerts_for(svc, world.manager)
    assert alert.kind is AlertKind.DOMESTIC_ABUSE and alert.child_id == world.child
    assert "3 or more domestic-abuse notifications within 12 months" in alert.details
    with pytest.raises(InvalidInput):
        oversight.add_case_note(svc, world.manager, world.child, oversight_note(), PASSWORD)
    oversight.add_case_note(svc, world.manager, world.child, oversight_note([alert.code]), PASSWORD)
    assert alerts.open_alerts_for(svc, world.manager) == []
    # an ordinary contact is no notification: it never counts
    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    assert not contacts.decide_contact(svc, world.manager, cid, "nfa", "x", PASSWORD).alert_raised


def test_referrers_not_told_in_time_are_listed_until_told(svc, world, clock):
    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    contacts.decide_contact(svc, world.manager, cid, "advice", "Advice to the school.", PASSWORD)
    assert contact_reads.contacts_awaiting_referrer(svc, world.manager) == []
    clock.advance(days=7)  # Thu 26 Nov -> Thu 3 Dec: 3 working days was Tue 1 Dec
    (late,) = contact_reads.contacts_awaiting_referrer(svc, world.manager)
    assert late.id == cid and late.referrer_due == "Referrer not told: overdue by 2 working days"
    from recorder.services import escalation

    assert "1 referrer not told in time (F7)" in escalation.attention(svc, world.manager).words
    with pytest.raises(NotAllowed):
        contact_reads.contacts_awaiting_referrer(svc, world.sw)
    with pytest.raises(InvalidInput, match="future"):
        contacts.record_referrer_told(svc, world.sw, cid, date(2026, 12, 25))
    contacts.record_referrer_told(svc, world.sw, cid, date(2026, 12, 2))
    assert contact_reads.contacts_awaiting_referrer(svc, world.manager) == []
    with pytest.raises(NotAllowed, match="already recorded"):
        contacts.record_referrer_told(svc, world.sw, cid, date(2026, 12, 3))


def test_corrections_to_a_decided_contact_are_signed_addenda(svc, world):
    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    with pytest.raises(NotAllowed):
        contacts.add_contact_addendum(svc, world.sw, cid, "why", "what", PASSWORD)
    contacts.decide_contact(svc, world.manager, cid, "nfa", "No concern.", PASSWORD)
    contacts.add_contact_addendum(
        svc, world.sw, cid, "A name was wrong", "The teacher is Mrs Patil.", PASSWORD
    )
    (v,) = contact_reads.contacts_for_child(svc, world.sw, world.child)
    assert v.addenda == (("Sam Social", "A name was wrong", "The teacher is Mrs Patil."),)
    assert v.concern.startswith("Amira said")  # unchanged
    report = integrity.check_store(svc)
    assert report.ok, report.problems


def test_contact_reads_are_audited_and_refused_outside_the_team(svc, world):
    contacts.record_contact(svc, world.sw, "C0001", school())
    contact_reads.contacts_for_child(svc, world.sw, world.child)
    for who in (world.admin, world.other_team_sw):
        with pytest.raises(NotAllowed):
            contact_reads.contacts_for_child(svc, who, world.child)
    with svc.reading() as s:
        outcomes = [
            e.outcome
            for e in s.exec(select(AuditEvent).where(AuditEvent.action == "view_contacts"))
        ]
    assert outcomes == ["ok", "refused", "refused"]
    (waiting,) = contact_reads.contacts_awaiting_decision(svc, world.manager)
    assert waiting.child_name == "Amira Khan"
    from recorder.services import escalation

    assert escalation.attention(svc, world.manager).words == (
        "Waiting for you: 1 contact to decide (F7)."
    )


# -- triggers: a decided contact never changes ------------------------------------------------


def raw(svc, sql: str, **params):
    with writer(svc.engine).begin() as c:
        return c.execute(text(sql), params).rowcount


def refused(svc, sql: str, **params) -> str:
    with pytest.raises(DBAPIError) as e:
        raw(svc, sql, **params)
    return str(e.value.orig)


def test_a_decided_contact_cannot_change_in_the_database(svc, world):
    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    # before the decision the row may change (the decision itself is an update)
    assert raw(svc, "UPDATE contact SET referrer = 'Mrs Patel' WHERE id = :i", i=cid) == 1
    contacts.decide_contact(svc, world.manager, cid, "nfa", "No concern.", PASSWORD)
    for sql in (
        "UPDATE contact SET outcome = 'referral' WHERE id = :i",
        "UPDATE contact SET concern = 'nothing' WHERE id = :i",
        "UPDATE contact SET decided_at = NULL WHERE id = :i",
        "DELETE FROM contact WHERE id = :i",
    ):
        assert "recorder:" in refused(svc, sql, i=cid)
    # the day the referrer was told is set once
    assert raw(svc, "UPDATE contact SET referrer_told_on = '2026-11-26' WHERE id = :i", i=cid)
    assert "recorder:" in refused(
        svc, "UPDATE contact SET referrer_told_on = '2026-11-27' WHERE id = :i", i=cid
    )
    assert "recorder:" in refused(
        svc, "UPDATE contact SET referrer_told_on = NULL WHERE id = :i", i=cid
    )


def test_contact_addenda_are_append_only(svc, world):
    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    contacts.decide_contact(svc, world.manager, cid, "nfa", "No concern.", PASSWORD)
    contacts.add_contact_addendum(svc, world.sw, cid, "why", "what", PASSWORD)
    assert "recorder:" in refused(svc, "UPDATE contact_addendum SET text = 'x'")
    assert "recorder:" in refused(svc, "DELETE FROM contact_addendum")


def test_an_undecided_contact_cannot_be_deleted_either(svc, world):
    contacts.record_contact(svc, world.sw, "C0001", school())
    assert "recorder:" in refused(svc, "DELETE FROM contact")


def test_the_window_is_calendar_months(svc, world):
    """Twelve calendar months: notifications on 27 Nov 2025 and 26 Nov 2026 are in one
    window ending 26 Nov 2026 only if the first is on or after 27 Nov 2025."""
    days = (datetime(2025, 11, 26, 9), datetime(2025, 11, 27, 9), datetime(2026, 11, 26, 9))
    out = []
    for received in days:
        cid = contacts.record_contact(svc, world.sw, "C0001", police(received))
        out.append(contacts.decide_contact(svc, world.manager, cid, "nfa", "x", PASSWORD))
    # 26 Nov 2025 is outside the window of 26 Nov 2026 (27 Nov 2025 .. 26 Nov 2026): two inside
    assert [r.alert_raised for r in out] == [False, False, False]


# -- seen after referral (issue 13 item 3) ---------------------------------------------------


def test_a_referred_child_is_due_to_be_seen_alone_until_a_visit_sees_them(svc, world, clock):
    from recorder.services import caseloads, escalation
    from tests.support.factories import complete_content
    from tests.support.records import fill

    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    contacts.decide_contact(svc, world.manager, cid, "section_47", "Bruise: s47.", PASSWORD)
    (r,) = caseloads.caseload(svc, world.sw)
    # decided Thu 26 Nov; 5 working days: Thu 3 Dec
    assert r.referral == (
        "Referred on 26 Nov 2026: to be seen, and seen alone, due in 5 working days"
    )
    att = escalation.attention(svc, world.manager)
    assert "1 referred child to be seen, and seen alone (none overdue yet)" in att.words
    clock.advance(days=8)  # Fri 4 Dec
    (r,) = caseloads.caseload(svc, world.sw)
    assert r.referral.endswith("overdue by 1 working day")
    assert escalation.attention(svc, world.manager).referrals_overdue == 1
    # a visit seen but not alone does not end it; one seen alone does (submitted is enough)
    content = complete_content()
    content["details"]["visit_at"] = "2026-12-04T10:00"
    for a in content["actions"]["actions"]:
        a["by_when"] = "2026-12-18"
    vid = visits_start(svc, world.sw, world.child)
    fill(svc, world.sw, vid, content)
    from recorder.services import visits

    visits.submit(svc, world.sw, vid)
    (r,) = caseloads.caseload(svc, world.sw)
    assert r.referral == ""
    assert escalation.attention(svc, world.manager).referrals == 0


def visits_start(svc, who, child):
    from recorder.services import visits

    return visits.start_visit(svc, who, child)


def test_an_nfa_contact_asks_for_no_visit(svc, world):
    from recorder.services import caseloads

    cid = contacts.record_contact(svc, world.sw, "C0001", school())
    contacts.decide_contact(svc, world.manager, cid, "nfa", "No concern.", PASSWORD)
    (r,) = caseloads.caseload(svc, world.sw)
    assert r.referral == ""


def test_the_chronology_shows_every_decided_contact_with_its_outcome(svc, world):
    """Issue 13 "Done when": a child with two NFA notifications this year and a third; the
    chronology shows all three with their outcomes (and an undecided contact not yet)."""
    from recorder.services import chronology

    for received in (datetime(2026, 2, 10, 8), datetime(2026, 7, 1, 22), datetime(2026, 11, 24)):
        cid = contacts.record_contact(svc, world.sw, "C0001", police(received))
        contacts.decide_contact(svc, world.manager, cid, "nfa", "Police dealt.", PASSWORD)
    contacts.record_contact(svc, world.sw, "C0001", school())
    got = chronology.chronology(svc, world.sw, world.child, kinds=["contact"])
    assert [e.title for e in got.entries] == ["Domestic-abuse notification: No further action"] * 3
    assert got.entries[0].when == datetime(2026, 11, 24)
    assert "Risk level: standard" in got.entries[0].summary
    assert got.entries[0].who == "Maya Manager" and got.entries[0].source_kind == "contact"
