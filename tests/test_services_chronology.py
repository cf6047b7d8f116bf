"""The child's chronology (issue 13, item 4) through the services, on SQLite and PostgreSQL:
every signed record of the child in one list, newest first, drafts never; significant events
added by hand, signed by their author and verified by ``recorder check``; reading it audited
as a view; who may read and add."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select

from recorder.domain.chronology import KINDS, SignificantEventInput
from recorder.domain.supervision import CaseDiscussionInput, SupervisionInput
from recorder.services import children, chronology, integrity, oversight, supervision
from recorder.services.errors import InvalidInput, NotAllowed
from recorder.store.models import AuditEvent
from tests.support.records import draft, oversight_note, signed_off
from tests.support.world import PASSWORD, build_world

EVENT = SignificantEventInput(
    date(2026, 11, 20),
    "Father arrested after an incident at home",
    "Police notification",
    "Amira saw the arrest and has not slept well since; school reports she is withdrawn.",
)


@pytest.fixture
def world(svc):
    return build_world(svc)


def last_audit(svc) -> AuditEvent:
    with svc.reading() as s:
        return s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def test_every_kind_of_signed_record_appears_newest_first_and_drafts_never(svc, world):
    vid = signed_off(svc, world.sw, world.child, world.manager)
    draft(svc, world.sw, world.child)  # a draft is never part of the story
    oversight.add_case_note(svc, world.manager, world.child, oversight_note(), PASSWORD)
    sup = SupervisionInput(
        date(2026, 11, 25),
        "Maya Manager, Sam Social",
        "well",
        "full",
        "none",
        cases=(
            CaseDiscussionInput(
                world.child,
                "Continue the plan.",
                ({"what": "Visit at school", "who": "Sam", "by_when": "2026-12-04"},),
                "Amira feels safe.",
            ),
        ),
    )
    supervision.record_supervision(svc, world.manager, world.sw, sup, PASSWORD)
    children.allocate(svc, world.admin, world.child_ref, "sw2")
    chronology.add_significant_event(svc, world.sw, world.child, EVENT, PASSWORD)

    chron = chronology.chronology(svc, world.sw, world.child)
    kinds = {e.kind for e in chron.entries}
    assert kinds == {
        "visit",
        "oversight",
        "case_note",
        "supervision",
        "plan",
        "allocation",
        "event",
        "action",  # the oversight and supervision actions, and the visit's own (issue 13)
    }
    assert [e.when for e in chron.entries] == sorted((e.when for e in chron.entries), reverse=True)
    visits_ = [e for e in chron.entries if e.kind == "visit"]
    assert len(visits_) == 1 and visits_[0].source_id == vid
    assert visits_[0].summary == "Child seen alone"
    assert visits_[0].who == "Sam Social"
    alloc = next(e for e in chron.entries if e.kind == "allocation")
    assert alloc.title == "Allocated to Sol Social"
    plan = next(e for e in chron.entries if e.kind == "plan")
    assert plan.title == "Child protection plan started" and plan.on == date(2026, 9, 1)
    ev = next(e for e in chron.entries if e.kind == "event")
    assert ev.title == EVENT.what and "has not slept well" in ev.summary
    assert (ev.source_kind, ev.who) == ("event", "Sam Social")
    # reading it is audited as a view of the child's record
    a = last_audit(svc)
    assert (a.action, a.entity, a.entity_id, a.outcome) == (
        "view_chronology",
        "child",
        world.child,
        "ok",
    )


def test_filters_by_kind_and_date_range(svc, world):
    signed_off(svc, world.sw, world.child, world.manager)
    chronology.add_significant_event(svc, world.sw, world.child, EVENT, PASSWORD)
    only = chronology.chronology(svc, world.sw, world.child, kinds=["event", "plan"])
    assert {e.kind for e in only.entries} == {"event", "plan"}
    late = chronology.chronology(svc, world.sw, world.child, since=date(2026, 11, 1))
    assert late.entries and all(e.on >= date(2026, 11, 1) for e in late.entries)
    assert "plan" not in {e.kind for e in late.entries}
    early = chronology.chronology(svc, world.sw, world.child, until=date(2026, 9, 30))
    assert "plan" in {e.kind for e in early.entries} and "event" not in {
        e.kind for e in early.entries
    }
    assert all(e.on <= date(2026, 9, 30) for e in early.entries)
    with pytest.raises(InvalidInput, match="not a kind"):
        chronology.chronology(svc, world.sw, world.child, kinds=["gossip"])
    with pytest.raises(InvalidInput, match="after its end"):
        chronology.chronology(
            svc, world.sw, world.child, since=date(2026, 12, 1), until=date(2026, 11, 1)
        )


def test_a_visit_where_the_child_was_not_seen_says_so():
    from recorder.domain.chronology import seen_words

    assert seen_words("no", None) == "Child not seen"
    assert seen_words("yes", "no") == "Child seen, not alone"
    assert seen_words("yes", "yes") == "Child seen alone"
    assert set(KINDS) >= {"visit", "event", "allocation"}


def test_administrator_and_another_team_may_not_read_or_add(svc, world):
    for who in (world.admin, world.other_team_sw):
        with pytest.raises(NotAllowed):
            chronology.chronology(svc, who, world.child)
        assert last_audit(svc).outcome == "refused"
        with pytest.raises(NotAllowed):
            chronology.add_significant_event(svc, who, world.child, EVENT, PASSWORD)
    # the team's student may read and add
    chronology.add_significant_event(svc, world.student, world.child, EVENT, PASSWORD)
    assert chronology.chronology(svc, world.student, world.child).may_add_event


def test_a_significant_event_needs_its_impact_and_the_password_and_never_changes(svc, world):
    from dataclasses import replace

    for bad, words in (
        (replace(EVENT, impact="  "), "impact on the child"),
        (replace(EVENT, what=""), "what happened"),
        (replace(EVENT, source=""), "where the information came from"),
        (replace(EVENT, occurred_on=date(2027, 1, 1)), "future"),
        (replace(EVENT, occurred_on=date(2010, 1, 1)), "before the child was born"),
    ):
        with pytest.raises(InvalidInput, match=words):
            chronology.add_significant_event(svc, world.sw, world.child, bad, PASSWORD)
    with pytest.raises(NotAllowed, match="password"):
        chronology.add_significant_event(svc, world.sw, world.child, EVENT, "wrong")
    assert not [
        e for e in chronology.chronology(svc, world.sw, world.child).entries if e.kind == "event"
    ]

    hostile = replace(EVENT, what="Left \x1b]0;owned\x07 school", impact="Upset\x1b[31m [/] ok")
    eid = chronology.add_significant_event(svc, world.sw, world.child, hostile, PASSWORD)
    ev = next(
        e for e in chronology.chronology(svc, world.sw, world.child).entries if e.kind == "event"
    )
    assert "\x1b" not in ev.title + ev.summary and "[/]" in ev.summary

    report = integrity.check_store(svc)
    assert report.ok, report.problems
    assert report.signatures_verified >= 1
    from recorder.store.engine import writer

    with pytest.raises(Exception, match="recorder:"):
        with writer(svc.engine).begin() as c:
            c.execute(
                text("UPDATE significant_event SET impact = 'none' WHERE id = :i"), {"i": eid}
            )
    with pytest.raises(Exception, match="recorder:"):
        with writer(svc.engine).begin() as c:
            c.execute(text("DELETE FROM significant_event WHERE id = :i"), {"i": eid})


def test_recorder_check_finds_a_changed_event(svc, world):
    """With the trigger out of the way (as an attacker with the database might), the check
    says the event no longer matches what was signed."""
    eid = chronology.add_significant_event(svc, world.sw, world.child, EVENT, PASSWORD)
    from recorder.store.engine import writer

    with writer(svc.engine).begin() as c:
        if c.dialect.name == "postgresql":
            c.execute(
                text("ALTER TABLE significant_event DISABLE TRIGGER significant_event_append_only")
            )
            c.execute(
                text("UPDATE significant_event SET impact = 'none' WHERE id = :i"), {"i": eid}
            )
            c.execute(
                text("ALTER TABLE significant_event ENABLE TRIGGER significant_event_append_only")
            )
        else:
            c.execute(text("DROP TRIGGER significant_event_no_update"))
            c.execute(
                text("UPDATE significant_event SET impact = 'none' WHERE id = :i"), {"i": eid}
            )
    report = integrity.check_store(svc)
    assert not report.ok
    assert any("significant event" in p and "changed after signing" in p for p in report.problems)
