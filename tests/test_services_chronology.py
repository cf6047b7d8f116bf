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


# -- pages cut in SQL (issue 13, Speed) ---------------------------------------------------------


def many_entries(svc, world, clock) -> None:
    """A chronology with ties at every level: events on the same day (midnight), a case note
    and its action at the same instant, case notes either side of both clock changes (the
    order is England's time, as the list shows it), a visit with its oversight and actions."""
    from dataclasses import replace
    from datetime import datetime, timezone

    signed_off(svc, world.sw, world.child, world.manager)
    for n, day in enumerate((1, 3, 3, 3, 7, 10, 10, 12, 19, 19)):
        event = replace(EVENT, what=f"Event {n}", occurred_on=date(2026, 11, day))
        chronology.add_significant_event(svc, world.sw, world.child, event, PASSWORD)
    now = clock.current
    for at in (
        datetime(2026, 3, 29, 0, 59, 59, 999999),  # GMT: 00:59 in England
        datetime(2026, 3, 29, 1, 0),  # BST: 02:00
        datetime(2026, 10, 25, 0, 30),  # BST: 01:30 (the hour that comes twice)
        datetime(2026, 10, 25, 1, 15),  # GMT: 01:15, after the first 01:30 in England
    ):
        clock.current = at.replace(tzinfo=timezone.utc)
        oversight.add_case_note(svc, world.manager, world.child, oversight_note(), PASSWORD)
    clock.current = now


def pages(svc, actor, view, limit, **filters) -> list:
    """Every page of ``view`` (as the first page's reader would read on), joined."""
    got, after = list(view.entries), view.after
    while after is not None:
        assert len(got) < 10_000, "the pages never end: a page repeats the last entry read"
        p = chronology.page(svc, actor, view, after=after, limit=limit, **filters)
        assert p.entries, "a page after another is never empty"
        got += p.entries
        after = p.after
    return got


def test_pages_read_in_sql_join_up_to_the_whole_chronology_in_order(svc, world, clock):
    many_entries(svc, world, clock)
    whole = list(chronology.chronology(svc, world.sw, world.child).entries)
    assert len(whole) > 20 and len(set(whole)) == len(whole)  # distinct, so a repeat shows
    assert [e.when for e in whole] == sorted((e.when for e in whole), reverse=True)
    # ordered by England's wall-clock time, as the list shows it: 02:00 BST after 00:59 GMT
    # in March; in October's hour that comes twice, 01:30 (BST) above 01:15 (GMT)
    notes = [e.when for e in whole if e.kind == "case_note"]
    assert [(w.month, w.day, w.hour, w.minute) for w in notes] == [
        (10, 25, 1, 30),
        (10, 25, 1, 15),
        (3, 29, 2, 0),
        (3, 29, 0, 59),
    ]
    for limit in (1, 2, 3, 7, len(whole) - 1, len(whole), 100):
        view = chronology.chronology(svc, world.sw, world.child, limit=limit)
        assert len(view.entries) == min(limit, len(whole))
        assert view.total == view.matching == len(whole)
        assert (view.after is None) == (limit >= len(whole))
        assert pages(svc, world.sw, view, limit) == whole, f"pages of {limit}"


def test_a_kind_and_a_date_range_page_only_their_own_entries(svc, world, clock):
    many_entries(svc, world, clock)
    whole = list(chronology.chronology(svc, world.sw, world.child).entries)
    view = chronology.chronology(svc, world.sw, world.child, limit=2)
    assert sum(view.counts.values()) == len(whole)
    for kind in KINDS:
        assert view.counts[kind] == sum(e.kind == kind for e in whole), kind
    for kinds, since, until in (
        (["event"], None, None),
        (["case_note"], None, None),
        (["action"], None, None),
        (["event", "plan"], None, None),
        (None, date(2026, 11, 3), date(2026, 11, 10)),
        (["event"], date(2026, 11, 3), date(2026, 11, 3)),
        (["case_note", "action"], date(2026, 3, 29), date(2026, 10, 25)),
        (["visit"], date(2027, 1, 1), None),
    ):
        want = [
            e
            for e in whole
            if (kinds is None or e.kind in kinds)
            and (since is None or e.on >= since)
            and (until is None or e.on <= until)
        ]
        f = {"kinds": kinds, "since": since, "until": until}
        first = chronology.page(svc, world.sw, view, limit=2, count=True, **f)
        assert first.matching == len(want), f
        from dataclasses import replace

        joined = pages(
            svc, world.sw, replace(view, entries=first.entries, after=first.after), 2, **f
        )
        assert joined == want, f
        opened = chronology.chronology(svc, world.sw, world.child, limit=3, **f)
        assert opened.matching == len(want) and list(opened.entries) == want[:3], f
        assert list(chronology.chronology(svc, world.sw, world.child, **f).entries) == want, f
    assert any(e.kind == "event" for e in whole) and any(e.kind != "event" for e in whole)
    # by_kind: each kind's first page comes with the open, as page() would read it
    opened = chronology.chronology(svc, world.sw, world.child, limit=2, by_kind=True)
    assert list(opened.entries) == whole[:2]
    assert set(opened.firsts) == {k for k in KINDS if view.counts[k]}
    for kind, first in opened.firsts.items():
        own = [e for e in whole if e.kind == kind]
        assert list(first.entries) == own[:2] and first.matching == len(own), kind
        assert (first.after is None) == (len(own) <= 2), kind
        if first.after is not None:
            rest = chronology.page(svc, world.sw, opened, [kind], after=first.after, limit=100)
            assert list(first.entries) + list(rest.entries) == own, kind


def test_an_entry_added_between_pages_neither_repeats_nor_hides_one(svc, world):
    """Keyset paging: the next page starts after the last entry read, not at an offset that
    a newer entry would shift (which would show the last one again)."""
    from dataclasses import replace

    for day in range(1, 11):
        event = replace(EVENT, what=f"Event {day}", occurred_on=date(2026, 11, day))
        chronology.add_significant_event(svc, world.sw, world.child, event, PASSWORD)
    before = list(chronology.chronology(svc, world.sw, world.child).entries)
    view = chronology.chronology(svc, world.sw, world.child, limit=3)
    newer = replace(EVENT, what="Newer than the first page", occurred_on=date(2026, 11, 20))
    chronology.add_significant_event(svc, world.sw, world.child, newer, PASSWORD)
    assert pages(svc, world.sw, view, 3) == before


def test_a_page_is_read_only_by_someone_who_may_read_the_child_and_not_audited(svc, world):
    view = chronology.chronology(svc, world.sw, world.child, limit=1)
    opened = last_audit(svc)
    assert opened.action == "view_chronology" and opened.outcome == "ok"
    chronology.page(svc, world.sw, view, ["plan"], limit=1, count=True)
    assert last_audit(svc).id == opened.id  # part of the view the open audited
    for who in (world.admin, world.other_team_sw):
        with pytest.raises(NotAllowed):
            chronology.page(svc, who, view, limit=1)
        a = last_audit(svc)
        assert (a.action, a.entity_id, a.outcome) == ("view_chronology", world.child, "refused")
    with pytest.raises(InvalidInput, match="not a kind"):
        chronology.page(svc, world.sw, view, ["gossip"], limit=1)


def test_england_time_in_sql_agrees_with_python_around_the_clock_changes(svc):
    """The SQL that orders the chronology turns a UTC instant into England's time as
    ``zoneinfo`` does: every half hour of the days the clocks change, and a year's noons."""
    from datetime import datetime, timedelta, timezone

    import sqlalchemy as sa

    from recorder.services.chronology_base import SqlTime
    from recorder.services.core import as_utc, london

    instants = []
    for year, month, day in ((2025, 3, 30), (2025, 10, 26), (2026, 3, 29), (2026, 10, 25)):
        start = datetime(year, month, day, tzinfo=timezone.utc) - timedelta(hours=2)
        instants += [start + timedelta(minutes=30 * i, microseconds=i) for i in range(10)]
        instants.append(datetime(year, month, day, 0, 59, 59, 999999, tzinfo=timezone.utc))
    instants += [
        datetime(2026, 1, 1, 12, tzinfo=timezone.utc) + timedelta(days=d) for d in range(366)
    ]
    with svc.engine.connect() as c:
        sqlite = c.dialect.name == "sqlite"
        t = SqlTime(sqlite)
        for at in instants:
            if sqlite:  # as SQLAlchemy stores it
                value = sa.literal(at.strftime("%Y-%m-%d %H:%M:%S.%f"), sa.String)
            else:
                value = sa.literal(at, sa.DateTime(timezone=True))
            got = c.execute(sa.select(t.utc(value))).scalar_one()
            if isinstance(got, str):
                got = datetime.fromisoformat(got)
            assert got == as_utc(at).astimezone(london()).replace(tzinfo=None), at
