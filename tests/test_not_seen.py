"""A child not seen (issue 13 item 6): on the team manager's oversight queue, consecutive
visits where the child was not seen and days since they were last seen, in words; and the
escalation ladder's service-manager step. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from recorder.domain.progress import NotSeen, not_seen_lines, not_seen_run
from recorder.services import oversight
from tests.support.not_seen import visit_on
from tests.support.world import build_world


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
