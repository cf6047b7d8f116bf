"""Reading takes no write lock (issue 15, item 2), on SQLite and PostgreSQL.

An audited view used to run inside the write transaction of its audit event, so on SQLite
(``BEGIN IMMEDIATE``) one person opening a child held the store's only write lock for as long
as the read took, and another terminal's autosave waited for it. A view now reads in a
read-only transaction and appends its audit event in a short write of its own afterwards."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from recorder.services import visits
from recorder.services.errors import NotAllowed
from recorder.store.models import Child
from tests.support.stores import audit_events, open_services
from tests.support.world import build_world


def test_a_reader_does_not_hold_up_another_terminals_autosave(svc, clock, monkeypatch):
    world = build_world(svc)
    monkeypatch.setenv("RECORDER_DB_LOCK_TIMEOUT", "1")  # a blocked save fails in 1 s
    other = open_services(svc.engine.url.render_as_string(hide_password=False), clock)
    try:
        vid = visits.start_visit(other, world.sw, world.child)
        inside, release, out = threading.Event(), threading.Event(), []

        def slow_read(op):
            names = op.session.exec(select(Child.full_name)).all()  # the snapshot is taken
            inside.set()
            release.wait(20)
            return names

        reader = threading.Thread(
            target=lambda: out.append(
                svc.change(world.manager, "view_child", "child", world.child, slow_read)
            )
        )
        reader.start()
        assert inside.wait(20)
        started = time.monotonic()
        visits.save_section(other, world.sw, vid, "observations", {"seen": "Saved mid-read."})
        waited = time.monotonic() - started
        assert reader.is_alive(), "the save must be written while the reader is still reading"
        release.set()
        reader.join(20)
        assert out and out[0], "the reader read the children"
        assert waited < 1, f"the autosave waited {waited:.2f} s for the reader"
        saved = visits.load_visit(other, world.sw, vid).content["observations"]
        assert saved == {"seen": "Saved mid-read."}
        (event,) = audit_events(svc, "view_child")
        assert (event.actor_id, event.entity_id, event.outcome) == (
            world.manager,
            world.child,
            "ok",
        )
    finally:
        release.set()
        other.engine.dispose()


def test_a_view_cannot_write_and_leaves_nothing(svc):
    world = build_world(svc)
    before = len(audit_events(svc, "view_child"))
    with svc.reading() as s:
        name = s.get(Child, world.child).full_name

    def writes(op):
        op.session.get(Child, world.child).full_name = "Changed by a read"
        op.session.flush()

    with pytest.raises(DBAPIError):  # SQLite: a read-only database; PostgreSQL: READ ONLY
        svc.change(world.sw, "view_child", "child", world.child, writes)
    with svc.reading() as s:
        assert s.get(Child, world.child).full_name == name
    assert len(audit_events(svc, "view_child")) == before  # nothing was shown, nothing logged
    # and the connection it used still writes (SQLite's query_only was turned off again)
    vid = visits.start_visit(svc, world.sw, world.child)
    assert vid


def test_a_refused_view_is_audited_as_refused(svc):
    world = build_world(svc)

    def refuse(op):
        raise NotAllowed("You may not read this child's record.", audit_detail="not_your_team")

    with pytest.raises(NotAllowed):
        svc.change(world.other_team_sw, "view_child", "child", world.child, refuse)
    (event,) = audit_events(svc, "view_child")
    assert (event.outcome, event.detail) == ("refused", "not_your_team")
