"""Query reasons kept on a draft before submission (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from recorder.domain.workflow import VisitState
from recorder.services import visits
from recorder.services.errors import Conflict, InvalidInput, NotAllowed
from recorder.store.models import AuditEvent, Visit
from tests.support.factories import complete_content
from tests.support.world import build_world

CODE = "identity.interpreter_not_professional"


@pytest.fixture
def draft(svc):
    world = build_world(svc)
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    content["identity"]["interpreter_relationship"] = "family"
    version = None
    for section, data in content.items():
        version = visits.save_section(svc, world.sw, vid, section, data, version)
    return world, vid, version


def reasons_of(svc, vid):
    with svc.reading() as s:
        return dict(s.get(Visit, vid).query_reasons)


def test_reasons_are_kept_cleaned_and_then_submitted(svc, draft):
    world, vid, version = draft
    new = visits.save_query_reasons(
        svc, world.sw, vid, {CODE: " Uncle\x1b[31m interpreted. ", "other": "  "}, version
    )
    assert new == version + 1
    assert reasons_of(svc, vid) == {CODE: "Uncle[31m interpreted."}
    done = visits.submit(svc, world.sw, vid, expected_version=new)  # no reasons passed: kept ones
    assert done.state is VisitState.AWAITING_OVERSIGHT
    with svc.reading() as s:
        events = s.exec(
            select(AuditEvent.action, AuditEvent.outcome).where(
                AuditEvent.action == "save_query_reasons"
            )
        ).all()
    assert events == [("save_query_reasons", "ok")]


def test_only_the_author_of_a_draft_keeps_reasons(svc, draft):
    world, vid, version = draft
    with pytest.raises(NotAllowed):
        visits.save_query_reasons(svc, world.sw2, vid, {CODE: "Not mine."})
    with pytest.raises(Conflict):
        visits.save_query_reasons(svc, world.sw, vid, {CODE: "Stale."}, version - 1)
    visits.submit(svc, world.sw, vid, {CODE: "Uncle interpreted."})
    with pytest.raises(NotAllowed):
        visits.save_query_reasons(svc, world.sw, vid, {CODE: "After submission."})
    assert reasons_of(svc, vid) == {CODE: "Uncle interpreted."}
    with svc.reading() as s:
        refused = s.exec(
            select(AuditEvent).where(
                AuditEvent.action == "save_query_reasons", AuditEvent.outcome == "refused"
            )
        ).all()
    assert len(refused) == 3


def test_an_over_long_reason_is_refused_and_nothing_changes(svc, draft):
    world, vid, version = draft
    with pytest.raises(InvalidInput, match="too long"):
        visits.save_query_reasons(
            svc, world.sw, vid, {CODE: "x" * (svc.policy.long_text_max_chars + 1)}, version
        )
    assert reasons_of(svc, vid) == {}
