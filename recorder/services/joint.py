"""The registered social worker who attended jointly (DOMAIN.md, "Who uses it"; issue 12).

A statutory visit written by an unqualified worker counts as statutory only when a named
registered social worker attended it jointly and confirmed that with their own signature
("Attended jointly", the password asked again). The author chooses that worker from the
registered staff of the child's team (:func:`joint_workers`), never by a typed name; the
record is submitted naming them (``visits.submit`` stores ``visit.joint_worker_id``), and the
worker confirms from the "for you" list on their home (:func:`awaiting_confirmation`,
:func:`confirm_joint_attendance`). Until then the visit does not count and its flag says
whose confirmation it awaits.

The confirmation signs the author's submission signature (``signing.joint_attendance_payload``),
so a record returned and submitted again needs a new one; ``recorder check`` verifies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from recorder.domain.roles import Actor
from recorder.domain.sections import SectionKey
from recorder.domain.signing import AUTHOR_MEANING, JOINT_MEANING, joint_attendance_payload
from recorder.domain.workflow import VisitState, counts_as_statutory, may_confirm_joint_attendance
from recorder.services.accounts import check_password
from recorder.services.core import Op, Services, actor_of, require
from recorder.services.errors import NotAllowed
from recorder.services.queries import get_visit, stored, visit_content
from recorder.services.signatures import sign
from recorder.store.models import Child, Signature, Visit, Worker

__all__ = [
    "JointConfirmationView",
    "joint_workers",
    "joint_worker_of",
    "joint_confirmed",
    "awaiting_confirmation",
    "confirm_joint_attendance",
]


@dataclass(frozen=True)
class JointConfirmationView:
    """A visit that names the reader as attending jointly and awaits their confirmation."""

    visit_id: int
    child_name: str
    child_reference: str
    author_name: str
    visit_at: datetime | None


def _label(w: Worker) -> str:
    a = actor_of(w)
    reg = f" ({w.registration_number})" if w.registration_number else ""
    return f"{w.full_name}, {a.role_label.lower()}{reg}"


def joint_workers(s: Session, v: Visit, svc: Services) -> dict[int, str]:
    """Who may be named as attending ``v`` jointly: the registered, active staff of the
    child's team other than the author, whose registration check is current today (an
    unverified worker does not count), as id -> "Name, role (registration)", by name."""
    rows = s.exec(
        select(Worker).where(Worker.team_id == v.team_id, Worker.active == True)  # noqa: E712
    ).all()
    eligible = [w for w in rows if w.id != v.author_id and _may_attend(_actor(w, svc))]
    return {w.id: _label(w) for w in sorted(eligible, key=lambda w: w.full_name.casefold())}


def _actor(w: Worker, svc: Services) -> Actor:
    return actor_of(w, today=svc.today(), policy=svc.policy)


def _may_attend(a: Actor) -> bool:
    return a.is_registered


def joint_worker_of(s: Session, v: Visit, svc: Services) -> Actor | None:
    """The worker the record names as attending jointly, if they may (see :func:`joint_workers`)."""
    chosen = (visit_content(s, v.id).get(SectionKey.DETAILS.value) or {}).get("joint_worker")
    if not isinstance(chosen, int) or isinstance(chosen, bool):
        return None
    if chosen not in joint_workers(s, v, svc):
        return None
    return _actor(stored(s, Worker, chosen), svc)


def _submission(s: Session, v: Visit) -> Signature | None:
    return s.exec(
        select(Signature)
        .where(Signature.visit_id == v.id, Signature.meaning == AUTHOR_MEANING)
        .order_by(col(Signature.id).desc())
    ).first()


def joint_confirmed(s: Session, v: Visit) -> bool:
    """Whether the worker named on ``v`` has signed "Attended jointly" for its current
    submission (a record submitted again needs a new confirmation): a signature of the
    latest submission made after it. The payload alone does not tell the rounds apart: a
    record returned and submitted again unchanged has the same submission digest, so an
    earlier round's confirmation would match it (``recorder check`` pairs each with the
    last submission before it, too)."""
    if v.joint_worker_id is None or v.state == VisitState.DRAFT.value:
        return False
    sub = _submission(s, v)
    if sub is None:
        return False
    expected = joint_attendance_payload(v.id, v.joint_worker_id, sub.content_sha256).digest()
    return (
        s.exec(
            select(Signature.id).where(
                Signature.visit_id == v.id,
                Signature.meaning == JOINT_MEANING,
                Signature.signer_id == v.joint_worker_id,
                Signature.content_sha256 == expected,
                col(Signature.id) > sub.id,
            )
        ).first()
        is not None
    )


def joint_name(s: Session, v: Visit) -> str:
    """The joint worker's name ("" for none)."""
    return stored(s, Worker, v.joint_worker_id).full_name if v.joint_worker_id else ""


def joint_words(s: Session, v: Visit) -> str:
    """The joint worker as a read-only record shows them: "Name, role (registration)",
    and, once the record is submitted, whether they have confirmed it ("" for none)."""
    chosen = v.joint_worker_id
    if chosen is None:
        picked = (visit_content(s, v.id).get(SectionKey.DETAILS.value) or {}).get("joint_worker")
        chosen = picked if isinstance(picked, int) and not isinstance(picked, bool) else None
    w = s.get(Worker, chosen) if chosen is not None else None
    if w is None:
        return ""
    if v.state == VisitState.DRAFT.value or v.joint_worker_id is None:
        return _label(w)
    if joint_confirmed(s, v):
        return f"{_label(w)}: confirmed with their signature"
    return f"{_label(w)}: awaiting confirmation by {w.full_name}"


def awaiting_confirmation(svc: Services, actor_id: int) -> list[JointConfirmationView]:
    """The visits naming the reader as attending jointly that wait for their signature
    (audited read), oldest visit first."""

    def run(op: Op) -> list[JointConfirmationView]:
        s = op.session
        if not svc.actor(s, actor_id).reads_cases:
            raise NotAllowed("Administrators attend no visits.", audit_detail="admin")
        rows = s.exec(
            select(Visit)
            .where(
                Visit.joint_worker_id == actor_id,
                col(Visit.state).in_(
                    [VisitState.AWAITING_COUNTERSIGN.value, VisitState.AWAITING_OVERSIGHT.value]
                ),
            )
            .order_by(col(Visit.visit_at), col(Visit.id))
        ).all()
        out = []
        for v in rows:
            if joint_confirmed(s, v):
                continue
            child = stored(s, Child, v.child_id)
            author = stored(s, Worker, v.author_id)
            out.append(
                JointConfirmationView(
                    v.id, child.full_name, child.reference, author.full_name, v.visit_at
                )
            )
        op.detail = f"rows={len(out)}"
        return out

    return svc.change(actor_id, "view_joint_confirmations", "worker", actor_id, run)


def confirm_joint_attendance(svc: Services, actor_id: int, visit_id: int, password: str) -> None:
    """The named registered social worker confirms, with their own signature ("Attended
    jointly", password asked again), that they attended the visit; from then on it counts as
    statutory (``workflow.counts_as_statutory``). Audited, refusals too."""

    def run(op: Op) -> None:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id, lock=True)
        op.entity_id = v.id
        require(
            may_confirm_joint_attendance(
                actor, v.joint_worker_id, VisitState(v.state), joint_confirmed(s, v)
            )
        )
        check_password(svc, s, actor_id, password)
        sub = _submission(s, v)
        assert sub is not None  # a submitted record has its author's signature
        signer = stored(s, Worker, actor_id)
        sign(
            svc,
            s,
            signer,
            v.id,
            v.child_id,
            JOINT_MEANING,
            joint_attendance_payload(v.id, actor_id, sub.content_sha256),
        )
        author = _actor(stored(s, Worker, v.author_id), svc)
        seen = (visit_content(s, v.id).get(SectionKey.SEEN.value) or {}).get("child_seen")
        # the visit's version is not moved: countersign and sign-off sign the record's
        # version, and this signature does not change the record
        v.counts_as_statutory = counts_as_statutory(
            v.visit_type, author, actor, child_seen=seen == "yes", joint_confirmed=True
        )
        s.add(v)

    svc.change(actor_id, "confirm_joint_attendance", "visit", visit_id, run)
