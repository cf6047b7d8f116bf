"""Discarding a visit draft (issue 15, item 7): its author, once asked, deletes a draft that
was never submitted. The draft and its sections go; the audit trail keeps that it existed and
was discarded (which visit, for which child, how many sections held text), never its text.

A record submitted once and returned for changes is not a draft to throw away: others have
read and signed it (``domain.workflow.may_discard_draft``)."""

from __future__ import annotations

from sqlmodel import col, delete, select

from recorder.domain.workflow import may_discard_draft
from recorder.services.core import Op, Services, require
from recorder.services.queries import get_visit, visit_facts
from recorder.store.models import FormDraft, Signature, VisitSection

__all__ = ["discard_draft"]


def discard_draft(svc: Services, actor_id: int, visit_id: int) -> None:
    """Delete draft ``visit_id`` of ``actor_id`` (audited as discard_draft_visit)."""

    def run(op: Op) -> None:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id, lock=True)
        submitted = v.first_submitted_at is not None or (
            s.exec(select(Signature.id).where(Signature.visit_id == v.id).limit(1)).first()
            is not None
        )
        require(may_discard_draft(actor, visit_facts(s, v), submitted))
        sections = s.exec(select(VisitSection).where(VisitSection.visit_id == v.id)).all()
        written = sum(1 for row in sections if row.data)
        s.execute(delete(FormDraft).where(col(FormDraft.visit_id) == v.id))
        s.execute(delete(VisitSection).where(col(VisitSection.visit_id) == v.id))
        s.flush()
        s.delete(v)
        op.detail = f"child={v.child_id};sections_with_text={written}"

    svc.change(actor_id, "discard_draft_visit", "visit", visit_id, run)
