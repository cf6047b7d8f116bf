"""The change watcher (services/changes.py) on SQLite and PostgreSQL: it sees a change that
another engine (another terminal's services) commits, not an audited read, not a refusal,
and it survives its own connection being dropped."""

from __future__ import annotations

import pytest

from recorder.services import caseloads, changes, oversight, team, visits
from recorder.services.changes import ChangeWatcher
from recorder.services.errors import ServiceError
from recorder.services.failures import UNREACHABLE, reason
from tests.support.outage import Outage
from tests.support.stores import open_services
from tests.support.world import build_world


@pytest.fixture
def world(svc):
    return build_world(svc)


@pytest.fixture
def other(svc):
    """Services on the same store with an engine of its own: another terminal."""
    s = open_services(svc.engine.url.render_as_string(hide_password=False))
    yield s
    s.engine.dispose()


@pytest.fixture
def watcher(svc, world):
    w = ChangeWatcher(svc.engine)
    assert w.changed() is False  # the first answer opens the connection
    yield w
    w.close()


def test_another_engines_commit_is_seen_once(world, other, watcher):
    assert watcher.changed() is False
    visits.start_visit(other, world.sw, world.child)
    assert watcher.changed() is True
    assert watcher.changed() is False


def test_this_engines_own_write_is_seen_too(svc, world, watcher):
    visits.start_visit(svc, world.sw, world.child)
    assert watcher.changed() is True


def test_an_audited_read_or_a_refusal_wakes_nobody(world, other, watcher):
    oversight.oversight_queue(other, world.manager)  # writes its audit event
    oversight.countersign_queue(other, world.sw)
    team.team_view(other, world.manager)
    caseloads.child_view(other, world.sw, world.child)
    caseloads.caseload(other, world.sw)
    with pytest.raises(ServiceError):
        team.team_view(other, world.sw)  # refused: its audit event only
    assert watcher.changed() is False


def test_a_dropped_connection_is_opened_again_saying_changed(world, other, watcher):
    watcher._raw.invalidate()  # an ended session, a restarted server
    visits.start_visit(other, world.sw, world.child)
    assert watcher.changed() is True  # a new connection: what was missed may have changed
    assert watcher.changed() is False


def test_an_unreachable_store_raises_then_recovers_saying_changed(svc, world, other, watcher):
    outage = Outage(svc.engine.url.render_as_string(hide_password=False))
    outage.begin(watcher)
    try:
        for _ in range(2):  # and again: it does not pretend to be back
            with pytest.raises(Exception) as gone:  # noqa: B017 - what the driver raises
                watcher.changed()
            assert reason(gone.value) == UNREACHABLE
    finally:
        outage.end()
    visits.start_visit(other, world.sw, world.child)
    assert watcher.changed() is True
    assert watcher.changed() is False
    visits.start_visit(other, world.sw, world.child)
    assert watcher.changed() is True


@pytest.mark.parametrize(
    ("statement", "shown"),
    [
        ("INSERT INTO visit (child_id) VALUES (?)", True),
        ('UPDATE "worker" SET active = 0', True),
        ("DELETE FROM addendum_ack WHERE id = 1", True),
        ("INSERT INTO audit_event (action) VALUES ('view_child')", False),
        ("INSERT INTO oversight_draft (id) VALUES (1)", False),
        ("SELECT * FROM visit", False),
        ("PRAGMA user_version = 3", False),
    ],
)
def test_which_statements_count_as_a_change(statement, shown):
    assert changes.wrote(statement) is shown
