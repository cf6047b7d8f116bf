"""A child not seen (issue 13 item 6): on the team manager's oversight queue, consecutive
visits where the child was not seen and days since they were last seen, in words; and the
escalation ladder's service-manager step. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from recorder.domain.alerts import AlertKind, ForRole
from recorder.domain.policy import Policy, PolicyError
from recorder.domain.progress import NotSeen, not_seen_lines, not_seen_run
from recorder.services import alerts, oversight
from recorder.services.errors import InvalidInput
from recorder.services.escalation import attention
from tests.support.not_seen import visit_on
from tests.support.records import oversight_note
from tests.support.world import PASSWORD, build_world
from tests.test_services_alerts import add_head


@pytest.fixture
def world(svc):
    return build_world(svc)


def test_the_run_of_visits_not_seen_and_the_day_last_seen():
    seen, missed = True, False
    assert not_seen_run([]) == NotSeen()
    assert not_seen_run([(date(2026, 11, 2), seen)]).run == 0
    ns = not_seen_run(
        [(date(2026, 11, 16), missed), (date(2026, 11, 2), seen), (date(2026, 11, 23), missed)]
    )
    assert (ns.run, ns.last_seen, ns.first_missed) == (2, date(2026, 11, 2), date(2026, 11, 16))
    today = date(2026, 11, 26)
    assert not_seen_lines(ns, today) == ("not seen on 2 visits", "last seen 24 days ago")
    once = not_seen_run([(date(2026, 11, 25), missed)])
    assert not_seen_lines(once, today) == ("not seen on the last visit", "never seen on a visit")
    assert not_seen_lines(NotSeen(), today) == ("", "")


def test_the_oversight_queue_says_the_child_was_not_seen_and_since_when(svc, world):
    today = svc.today()
    last_seen = today - timedelta(days=24)
    visit_on(svc, world, last_seen)
    visit_on(svc, world, today - timedelta(days=10), seen=False)
    waiting = visit_on(svc, world, today - timedelta(days=3), seen=False, sign=False)
    (row,) = oversight.oversight_queue(svc, world.manager)
    assert row.visit_id == waiting
    assert row.not_seen == ("not seen on 2 visits", "last seen 24 days ago")


def test_a_child_seen_on_their_last_visit_has_nothing_said(svc, world):
    today = svc.today()
    visit_on(svc, world, today - timedelta(days=10), seen=False)
    visit_on(svc, world, today - timedelta(days=3), sign=False)
    (row,) = oversight.oversight_queue(svc, world.manager)
    assert row.not_seen == ("", "")


# -- the ladder's service-manager step ---------------------------------------------------


def _sm_alerts(svc, child):
    from sqlmodel import select

    from recorder.store.models import ChildAlert

    with svc.reading() as s:
        return s.exec(
            select(ChildAlert).where(
                ChildAlert.child_id == child, ChildAlert.kind == AlertKind.NOT_SEEN_FOR_WEEKS.value
            )
        ).all()


def test_a_child_not_seen_for_four_weeks_alerts_the_service_manager(svc, world):
    """Issue 13 item 6: seen 40 days ago, then not seen on a visit 30 days ago: the failed
    visit's submission raises the service manager's alert (policy: 4 weeks), once; it is on
    their home and in their alerts, not the team manager's to answer, and a case-level
    oversight note by the service manager answers it."""
    head = add_head(svc, world)
    today = svc.today()
    visit_on(svc, world, today - timedelta(days=40))
    assert _sm_alerts(svc, world.child) == []
    visit_on(svc, world, today - timedelta(days=30), seen=False)
    (row,) = _sm_alerts(svc, world.child)
    assert row.for_role == ForRole.SERVICE_MANAGER.value
    last = today - timedelta(days=40)
    assert row.details == (
        "Not seen by their social worker for 4 weeks or more: not seen on the last visit, "
        f"last seen on {last.day} {last:%b %Y}."
    )
    assert attention(svc, head).alerts == 2  # the team manager's step and this one
    assert attention(svc, world.manager).alerts == 1  # theirs only
    assert len(_sm_alerts(svc, world.child)) == 1  # read again: raised once
    mine = alerts.open_alerts_for(svc, head, world.child)
    assert {a.kind for a in mine} == {AlertKind.CHILD_NOT_SEEN, AlertKind.NOT_SEEN_FOR_WEEKS}
    assert [a.kind for a in alerts.open_alerts_for(svc, world.manager)] == [
        AlertKind.CHILD_NOT_SEEN
    ]
    with pytest.raises(InvalidInput, match="Child not seen by their social worker for weeks"):
        oversight.add_case_note(
            svc, head, world.child, oversight_note(flags=(mine[0].code,)), PASSWORD
        )
    note = oversight_note(flags=tuple(a.code for a in mine))
    oversight.add_case_note(svc, head, world.child, note, PASSWORD)
    assert alerts.open_alerts_for(svc, head) == []
    assert attention(svc, head).alerts == 0
    assert len(_sm_alerts(svc, world.child)) == 1  # answered; not raised again


def test_the_step_waits_for_the_policys_weeks(svc, world):
    """Not seen since 20 days ago: nothing for the service manager until 4 weeks have
    passed (the home's read makes the step when time alone crosses it)."""
    from dataclasses import replace

    head = add_head(svc, world)
    today = svc.today()
    visit_on(svc, world, today - timedelta(days=20))
    visit_on(svc, world, today - timedelta(days=10), seen=False)
    assert attention(svc, head).alerts == 1 and _sm_alerts(svc, world.child) == []
    svc.policy = replace(svc.policy, not_seen_service_manager_weeks=2)
    assert attention(svc, head).alerts == 2
    assert len(_sm_alerts(svc, world.child)) == 1


def test_the_weeks_are_a_policy_key():
    assert Policy().not_seen_service_manager_weeks == 4
    assert (
        Policy.from_mapping(
            {"escalation": {"not_seen_service_manager_weeks": 6}}
        ).not_seen_service_manager_weeks
        == 6
    )
    for bad in (0, 53):
        with pytest.raises(PolicyError, match="not_seen_service_manager_weeks"):
            Policy(not_seen_service_manager_weeks=bad)


def test_the_childs_record_says_the_child_was_not_seen(svc, world):
    """The child's record reads each signed-off visit's "seen" answers out of the stored
    JSON in the database (json_extract on SQLite, ->> on PostgreSQL): two visits signed off
    without the child seen after one where they were, and a draft not seen that does not
    count yet."""
    from recorder.services import caseloads

    today = svc.today()
    assert caseloads.child_view(svc, world.sw, world.child).not_seen == ""
    visit_on(svc, world, today - timedelta(days=24))
    visit_on(svc, world, today - timedelta(days=10), seen=False)
    visit_on(svc, world, today - timedelta(days=3), seen=False)
    visit_on(svc, world, today - timedelta(days=1), seen=False, sign=False)
    said = caseloads.child_view(svc, world.sw, world.child).not_seen
    assert said.startswith("Not seen on the last 2 visits; last seen 24 days ago"), said
