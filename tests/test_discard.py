"""Discarding a visit draft (issue 15, item 7), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from recorder.services import caseloads, visits
from recorder.services.discard import discard_draft
from recorder.services.errors import NotAllowed, NotFound
from recorder.store.models import AuditEvent, Visit, VisitSection
from tests.support.factories import complete_content
from tests.support.world import build_world


def test_the_author_discards_a_draft_and_only_the_audit_remembers_it(svc):
    w = build_world(svc)
    vid = visits.start_visit(svc, w.sw, w.child)
    visits.save_section(svc, w.sw, vid, "observations", {"seen": "Typed, then thought better."})
    discard_draft(svc, w.sw, vid)
    with svc.reading() as s:
        assert s.get(Visit, vid) is None
        assert s.exec(select(VisitSection).where(VisitSection.visit_id == vid)).all() == []
        (event,) = s.exec(
            select(AuditEvent).where(AuditEvent.action == "discard_draft_visit")
        ).all()
    assert (event.actor_id, event.entity_id, event.outcome) == (w.sw, vid, "ok")
    assert event.detail.startswith(f"child={w.child};sections_with_text=")
    assert "thought" not in event.detail  # no case text in the audit
    view = caseloads.child_view(svc, w.sw, w.child)
    assert all(v.id != vid for v in view.visits)  # gone from the child's list
    with pytest.raises(NotFound):
        visits.load_visit(svc, w.sw, vid)


def test_only_the_author_and_only_a_draft_never_submitted(svc):
    w = build_world(svc)
    vid = visits.start_visit(svc, w.sw, w.child)
    for who in (w.sw2, w.manager, w.admin):
        with pytest.raises(NotAllowed):
            discard_draft(svc, who, vid)
    for key, data in complete_content().items():
        visits.save_section(svc, w.sw, vid, key, data)
    visits.submit(svc, w.sw, vid)
    with pytest.raises(NotAllowed):  # awaiting oversight
        discard_draft(svc, w.sw, vid)
    visits.return_for_changes(svc, w.manager, vid, "Please add the school's view.")
    with pytest.raises(NotAllowed) as e:  # returned: a draft again, but submitted before
        discard_draft(svc, w.sw, vid)
    assert "submitted and returned" in e.value.message
    with svc.reading() as s:
        assert s.get(Visit, vid) is not None
        refused = s.exec(
            select(AuditEvent).where(
                AuditEvent.action == "discard_draft_visit", AuditEvent.outcome == "refused"
            )
        ).all()
    assert len(refused) == 5
