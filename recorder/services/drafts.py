"""Drafts of the forms that are not visit records: an oversight note (on a visit or on a
child's case), a countersign comment, return comments and an addendum. What was typed is
saved as it is typed, offered again when the form is opened, and removed when the form is
signed (by the signing use case, in its own transaction: :func:`remove_in`).

A draft is private to its writer: every query here is by the signed-in person's own id, so
another person's load finds nothing and their discard removes nothing. Saving is allowed
only while the form's own rule lets the writer fill it in (``recorder.domain.drafts``).
Saves and discards are audited like every other write; the audit event names the kind of
form, never its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from sqlmodel import Session, select

from recorder.domain.drafts import (
    MAX_FIELDS,
    DraftKind,
    DraftShapeError,
    draft_strings,
    is_empty,
    subject_key,
)
from recorder.domain.roles import Actor
from recorder.domain.text import clean
from recorder.domain.workflow import (
    NOT_ON_CASELOAD,
    Action,
    decide,
    may_add_addendum,
    may_add_case_note,
)
from recorder.services.core import Op, Services, as_utc, require
from recorder.services.errors import Conflict, InvalidInput, NotAllowed
from recorder.services.queries import get_visit, visit_facts
from recorder.store.models import Child, FormDraft

__all__ = ["DraftKind", "DraftView", "STALE", "load", "save", "discard", "remove_in"]

#: what a save from a stale copy of a draft is told (the draft was saved in another window)
STALE = (
    "This draft was saved from another window or terminal after you opened it, so what "
    "you typed here was not written over it. Copy what you need, then open the form again."
)

_ACTION = {
    DraftKind.OVERSIGHT: Action.SIGN_OFF,
    DraftKind.COUNTERSIGN: Action.COUNTERSIGN,
    DraftKind.RETURN: Action.RETURN,
}


@dataclass(frozen=True)
class DraftView:
    kind: DraftKind
    about: int
    content: dict[str, Any]
    version: int
    #: when it was last saved (aware UTC)
    saved_at: datetime


def _may_write(s: Session, actor: Actor, kind: DraftKind, about: int) -> tuple[int | None, int]:
    """NotAllowed unless ``actor`` may fill in this form now; the (visit id, child id)."""
    if not actor.reads_cases:
        raise NotAllowed("Administrators manage accounts and cannot write case records.")
    if kind.on_child:
        child = s.get(Child, about)
        if child is None:
            raise NotAllowed(NOT_ON_CASELOAD, audit_detail="denied")
        require(may_add_case_note(actor, child.team_id))
        return None, child.id
    v = get_visit(s, about)
    facts = visit_facts(s, v)
    if kind is DraftKind.ADDENDUM:
        require(may_add_addendum(actor, facts))
    else:
        require(decide(_ACTION[kind], actor, facts))
    return v.id, v.child_id


def _clean(content: Any, svc: Services) -> dict[str, Any]:
    """The content with control characters stripped from every text (white space kept as
    typed: it is given back to the form), within the policy's length limit."""
    if not isinstance(content, dict):
        raise InvalidInput("A draft is a form's fields.", audit_detail="invalid_draft")
    try:
        strings = draft_strings(content)
    except DraftShapeError as e:
        raise InvalidInput(str(e), audit_detail="invalid_draft") from None
    if len(strings) > MAX_FIELDS:
        raise InvalidInput("This draft has too many fields.", audit_detail="invalid_draft")
    limit = svc.policy.long_text_max_chars
    if any(len(t) > limit for t in strings):
        raise InvalidInput(
            f"A box holds more than the {limit:,} character limit, so the draft is not saved.",
            audit_detail="too_long",
        )

    def c(v: Any) -> Any:
        if isinstance(v, str):
            return clean(v)
        if isinstance(v, dict):
            return {k: c(x) for k, x in v.items()}
        return [c(x) for x in v]

    return c(content)


def _row(
    s: Session, kind: DraftKind, writer_id: int, about: int, *, lock: bool = False
) -> FormDraft | None:
    q = select(FormDraft).where(
        FormDraft.kind == kind.value,
        FormDraft.writer_id == writer_id,
        FormDraft.subject == subject_key(kind, about),
    )
    if lock:
        q = q.with_for_update()
    return s.exec(q).first()


def load(svc: Services, actor_id: int, kind: DraftKind | str, about: int) -> DraftView | None:
    """The signed-in person's own draft of this form, or None (there is none, or it is
    someone else's: nobody reads another person's draft). The read is audited."""
    kind = DraftKind(kind)

    def run(op: Op) -> DraftView | None:
        s = op.session
        actor = svc.actor(s, actor_id)
        if not actor.reads_cases:
            raise NotAllowed("Administrators manage accounts and cannot read case records.")
        row = _row(s, kind, actor_id, about)
        op.detail = f"kind={kind.value}"
        if row is None:
            return None
        op.entity_id = row.id
        return DraftView(kind, about, dict(row.content), row.version, as_utc(row.updated_at))

    return svc.change(actor_id, "view_draft", "form_draft", None, run)


def save(
    svc: Services,
    actor_id: int,
    kind: DraftKind | str,
    about: int,
    content: dict[str, Any],
    expected_version: int | None = None,
) -> int:
    """Keep what the person has typed into this form; returns the draft's new version (0
    when nothing but white space is left: then there is no draft).

    ``expected_version`` is the version the form last saved or loaded (0: none): a save
    from a stale copy (the same person saved this draft from another window since) is
    refused with :class:`Conflict`, so one window never silently writes over the other.
    """
    kind = DraftKind(kind)

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        visit_id, child_id = _may_write(s, actor, kind, about)
        cleaned = _clean(content, svc)
        row = _row(s, kind, actor_id, about, lock=True)
        if expected_version is not None and (row.version if row else 0) != expected_version:
            raise Conflict(STALE, audit_detail="stale_draft")
        op.detail = f"kind={kind.value}"
        if is_empty(cleaned):
            if row is not None:
                op.entity_id = row.id
                s.delete(row)
            return 0
        now = svc.now()
        if row is None:
            row = FormDraft(
                kind=kind.value,
                writer_id=actor_id,
                subject=subject_key(kind, about),
                visit_id=visit_id,
                child_id=child_id,
                content=cleaned,
                version=1,
                updated_at=now,
            )
        else:
            row.content = cleaned
            row.version += 1
            row.updated_at = now
        s.add(row)
        s.flush()
        op.entity_id = row.id
        return row.version

    return svc.change(actor_id, "save_draft", "form_draft", None, run)


def discard(svc: Services, actor_id: int, kind: DraftKind | str, about: int) -> None:
    """Throw away the signed-in person's own draft of this form (they asked, and confirmed)."""
    kind = DraftKind(kind)

    def run(op: Op) -> None:
        s = op.session
        svc.actor(s, actor_id)
        row = _row(s, kind, actor_id, about, lock=True)
        op.detail = f"kind={kind.value}"
        if row is not None:
            op.entity_id = row.id
            s.delete(row)

    svc.change(actor_id, "discard_draft", "form_draft", None, run)


def remove_in(s: Session, writer_id: int, kinds: Iterable[DraftKind], about: int) -> None:
    """Inside a signing use case's transaction: the writer's drafts of the form just signed
    (and of the forms it makes pointless) go with it."""
    for kind in kinds:
        row = _row(s, kind, writer_id, about, lock=True)
        if row is not None:
            s.delete(row)
