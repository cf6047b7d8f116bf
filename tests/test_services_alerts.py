"""Alerts on a child (issue 13): raised once per child, kind and key; listed for the manager
who answers them; answered in a case-level oversight note, whose still-to-do list asks one
answer per open alert; append-only in the database. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from recorder.domain.alerts import AlertKind, ForRole, alert_code, alert_id_of
from recorder.services import accounts, alerts, oversight
from recorder.services.errors import InvalidInput, NotAllowed
from recorder.store.engine import writer
from recorder.store.models import AuditEvent, ChildAlert
from tests.support.records import oversight_note
from tests.support.world import PASSWORD, build_world


@pytest.fixture
def world(svc):
    return build_world(svc)


def add_head(svc, world) -> int:
    return accounts.add_user(
        svc,
        world.admin,
        username="head",
        full_name="Rosa Head",
        role="service_manager",
        password=PASSWORD,
        registration_number="SW400001",
        registration_checked_on=date(2026, 10, 1),
        manages=("North",),
    )


def raise_one(svc, child, kind=AlertKind.CHILD_NOT_SEEN, key="visit:1", **kw) -> int:
    with svc.writing() as s:
        row = alerts.raise_alert(
            svc, s, child_id=child, kind=kind, key=key, details="Not seen on 1 Dec 2026.", **kw
        )
        return row.id


def test_an_alert_is_raised_once_per_child_kind_and_key(svc, world):
    first = raise_one(svc, world.child)
    assert raise_one(svc, world.child) == first  # raising it again: the same alert
    other = raise_one(svc, world.child, key="visit:2")
    da = raise_one(svc, world.child, kind=AlertKind.DOMESTIC_ABUSE, key="visit:1")
    assert len({first, other, da}) == 3
    with svc.reading() as s:
        rows = s.exec(select(ChildAlert).order_by(ChildAlert.id)).all()
    assert [r.id for r in rows] == [first, other, da]
    assert rows[0].for_role == ForRole.TEAM_MANAGER.value
    assert rows[0].raised_on == svc.today() and rows[0].answered_by_note_id is None


def test_the_team_manager_sees_the_alert_and_nobody_else_of_the_team(svc, world):
    aid = raise_one(svc, world.child)
    (view,) = alerts.open_alerts_for(svc, world.manager)
    assert (view.id, view.code, view.child_name, view.team_name) == (
        aid,
        alert_code(aid),
        "Amira Khan",
        "North",
    )
    assert view.heading == "Child not seen on a visit (raised 26 Nov 2026, for the team manager)"
    assert alerts.open_alerts_for(svc, world.manager, world.child)[0].id == aid
    with svc.reading() as s:
        last = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.outcome, last.entity_id) == ("view_alerts", "ok", world.child)
    for who in (world.sw, world.student, world.admin):
        with pytest.raises(NotAllowed):
            alerts.open_alerts_for(svc, who)


def test_a_case_note_must_answer_each_open_alert_and_then_the_alert_is_answered(svc, world):
    aid = raise_one(svc, world.child)
    code = alert_code(aid)
    with pytest.raises(InvalidInput) as e:
        oversight.add_case_note(svc, world.manager, world.child, oversight_note(), PASSWORD)
    assert "Child not seen on a visit: Answer this flag in your note." in e.value.message
    assert alerts.open_alerts_for(svc, world.manager)  # still open

    note = oversight_note(flags=(code,))
    note_id = oversight.add_case_note(svc, world.manager, world.child, note, PASSWORD)
    assert alerts.open_alerts_for(svc, world.manager) == []
    with svc.reading() as s:
        row = s.get(ChildAlert, aid)
    assert row.answered_by_note_id == note_id and row.answered_at == svc.now()
    (n,) = oversight.case_notes(svc, world.sw, world.child)
    assert n.flag_responses == {code: "Discussed in supervision and acceptable."}
    assert n.alert_labels[code].startswith("Child not seen on a visit (raised")
    # the next note has nothing to answer
    oversight.add_case_note(svc, world.manager, world.child, oversight_note(), PASSWORD)


def test_an_answer_to_something_else_is_not_kept(svc, world):
    """Answers are kept only for the alerts the note answers: a made-up key is dropped."""
    note = replace(oversight_note(), flag_responses={"alert:999": "x", "child_not_seen": "y"})
    oversight.add_case_note(svc, world.manager, world.child, note, PASSWORD)
    (n,) = oversight.case_notes(svc, world.sw, world.child)
    assert n.flag_responses == {}


def test_a_service_manager_alert_is_theirs_alone(svc, world):
    head = add_head(svc, world)
    tm_alert = raise_one(svc, world.child)
    sm_alert = raise_one(svc, world.child, kind=AlertKind.NOT_SEEN_FOR_WEEKS, key="weeks:4")
    assert [a.id for a in alerts.open_alerts_for(svc, world.manager)] == [tm_alert]
    assert [a.id for a in alerts.open_alerts_for(svc, head)] == [tm_alert, sm_alert]
    # the team manager's note answers only theirs; the service manager's stays open
    note = oversight_note(flags=(alert_code(tm_alert),))
    oversight.add_case_note(svc, world.manager, world.child, note, PASSWORD)
    assert [a.id for a in alerts.open_alerts_for(svc, head)] == [sm_alert]
    with pytest.raises(InvalidInput):
        oversight.add_case_note(svc, head, world.child, oversight_note(), PASSWORD)
    oversight.add_case_note(
        svc, head, world.child, oversight_note(flags=(alert_code(sm_alert),)), PASSWORD
    )
    assert alerts.open_alerts_for(svc, head) == []


def test_another_teams_manager_cannot_read_the_childs_alerts(svc, world):
    raise_one(svc, world.child)
    south = accounts.add_user(
        svc,
        world.admin,
        username="southtm",
        full_name="Sue South",
        role="team_manager",
        password=PASSWORD,
        team="South",
        registration_number="SW500001",
        registration_checked_on=date(2026, 10, 1),
    )
    assert alerts.open_alerts_for(svc, south) == []
    with pytest.raises(NotAllowed):
        alerts.open_alerts_for(svc, south, world.child)


def raw(svc, sql, **params):
    with writer(svc.engine).begin() as c:
        return c.execute(text(sql), params).rowcount


def refused(svc, sql, **params):
    with pytest.raises(DBAPIError) as e:
        raw(svc, sql, **params)
    assert "recorder:" in str(e.value.orig)


def test_an_alert_changes_only_when_answered_once_and_is_never_deleted(svc, world):
    aid = raise_one(svc, world.child)
    refused(svc, "UPDATE child_alert SET details = 'softer' WHERE id = :i", i=aid)
    refused(svc, "UPDATE child_alert SET for_role = 'service_manager' WHERE id = :i", i=aid)
    refused(svc, "DELETE FROM child_alert WHERE id = :i", i=aid)
    # the answer is set with its note, both at once
    refused(svc, "UPDATE child_alert SET answered_at = raised_at WHERE id = :i", i=aid)
    oversight.add_case_note(
        svc, world.manager, world.child, oversight_note(flags=(alert_code(aid),)), PASSWORD
    )
    refused(svc, "UPDATE child_alert SET answered_at = raised_at WHERE id = :i", i=aid)
    refused(svc, "UPDATE child_alert SET answered_by_note_id = NULL WHERE id = :i", i=aid)
    refused(svc, "DELETE FROM child_alert")
    if svc.engine.dialect.name == "postgresql":
        refused(svc, "TRUNCATE child_alert CASCADE")
    with svc.reading() as s:
        assert s.get(ChildAlert, aid).answered_by_note_id is not None


def test_alert_codes_round_trip():
    assert alert_id_of(alert_code(12)) == 12
    assert alert_id_of("child_not_seen") is None and alert_id_of("alert:x") is None


def test_the_third_domestic_abuse_notification_alerts_the_team_manager(svc, world):
    """Issue 13 item 2 through the alert: the third notification in twelve months (each NFA)
    raises one alert for the team manager, answered in a case-level note."""
    from datetime import datetime

    from recorder.domain.contacts import ContactInput, ContactKind
    from recorder.services import contacts

    for received in (datetime(2026, 2, 10, 8), datetime(2026, 7, 1, 22), datetime(2026, 11, 24)):
        cid = contacts.record_contact(
            svc,
            world.sw,
            "C0001",
            ContactInput(
                received_at=received,
                source_code="6",
                referrer="PC Jones",
                concern="Police attended a domestic incident at the home.",
                checked="Police and school checked.",
                kind=ContactKind.DOMESTIC_ABUSE,
                incident_date=received.date(),
                risk_level="standard",
                children_present="Amira",
            ),
        )
        contacts.decide_contact(svc, world.manager, cid, "nfa", "Police dealt.", PASSWORD)
    (a,) = alerts.open_alerts_for(svc, world.manager)
    assert a.kind is AlertKind.DOMESTIC_ABUSE and a.for_role is ForRole.TEAM_MANAGER
    assert "3 or more domestic-abuse notifications within 12 months" in a.details
    with pytest.raises(InvalidInput, match="Repeated domestic-abuse notifications"):
        oversight.add_case_note(svc, world.manager, world.child, oversight_note(), PASSWORD)
    oversight.add_case_note(
        svc, world.manager, world.child, oversight_note(flags=(a.code,)), PASSWORD
    )
    assert alerts.open_alerts_for(svc, world.manager) == []


def test_a_visit_where_the_child_was_not_seen_alerts_the_team_manager(svc, world):
    """The escalation ladder's first step (issue 13 item 6): submitted with the child not
    seen, once per visit (a resubmission raises nothing new)."""
    from recorder.services import visits
    from tests.support.factories import complete_content
    from tests.support.records import fill

    content = complete_content()
    content["seen"] = {
        "child_seen": "no",
        "failed_what_happened": "No answer at the door; curtains drawn.",
        "failed_attempts": ["phone", "neighbours"],
        "failed_attempts_detail": "Rang mother twice; neighbour had not seen the family.",
        "failed_action": ["manager_informed"],
        "failed_action_detail": "Told Maya Manager at 16:00.",
        "failed_next_seen": "2026-11-27",
    }
    content["voice"] = {"views_from_others": "School says she is quiet; she will be seen Friday."}
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid, content)
    visits.submit(svc, world.sw, vid)
    (a,) = alerts.open_alerts_for(svc, world.manager)
    assert a.kind is AlertKind.CHILD_NOT_SEEN and a.details.startswith("The child was not seen")
    visits.return_for_changes(svc, world.manager, vid, "Please add the school's view.")
    visits.submit(svc, world.sw, vid)
    assert [x.id for x in alerts.open_alerts_for(svc, world.manager)] == [a.id]
    # signed off: the child's record says so in words
    from recorder.services.caseloads import child_view
    from tests.support.records import flag_codes, good_note

    visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
    said = child_view(svc, world.sw, world.child).not_seen
    assert said == "Not seen on the last visit; not seen on any signed-off visit"


def test_not_seen_words_count_the_visits_since_the_child_was_last_seen():
    from recorder.domain.progress import not_seen_words

    today = date(2026, 12, 2)
    seen, not_seen = True, False
    assert not_seen_words([], today) == ""
    assert not_seen_words([(date(2026, 11, 30), seen)], today) == ""
    visits = [
        (date(2026, 10, 23), seen),
        (date(2026, 11, 20), not_seen),
        (date(2026, 12, 1), not_seen),
    ]
    assert not_seen_words(visits, today) == (
        "Not seen on the last 2 visits; last seen 40 days ago, on 23 Oct 2026"
    )
    assert not_seen_words([(date(2026, 12, 1), not_seen)], today) == (
        "Not seen on the last visit; not seen on any signed-off visit"
    )


def test_the_managers_home_counts_the_alerts_they_must_answer(svc, world):
    from recorder.services.escalation import attention

    assert attention(svc, world.manager).alerts == 0
    raise_one(svc, world.child)
    raise_one(svc, world.child, key="visit:2")
    shown = attention(svc, world.manager)
    assert shown.alerts == 2
    assert "2 alerts on children to answer in an oversight note" in shown.words
    note = oversight_note(flags=tuple(a.code for a in alerts.open_alerts_for(svc, world.manager)))
    oversight.add_case_note(svc, world.manager, world.child, note, PASSWORD)
    assert attention(svc, world.manager).alerts == 0
