"""Addenda: corrections and additions to a signed-off visit (DOMAIN.md, "The life of a
visit record": "Corrections are addenda: reason, text, author's signature, shown under the
original").

A signed-off visit never changes. Its author, or a registered team manager of its team, may
add an addendum: a reason, the text, and a signature made with their password asked again
(a Signature with meaning "Addendum"). Each new addendum waits for a team manager's signed
acknowledgement ("Addendum acknowledged"); nobody acknowledges their own addendum.
Addendum rows and acknowledgements are append-only (the migration adds triggers).

The API, for screens:

- ``add_addendum(svc, actor_id, visit_id, reason, text, password) -> int``
- ``addenda_for_visit(s, visit_id) -> list[AddendumView]`` (also on ``VisitView.addenda``)
- ``unacknowledged(svc, manager_id) -> list[AddendumView]``: the manager's team's queue
- ``acknowledge(svc, manager_id, addendum_id, password) -> None``
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from recorder.domain.drafts import DraftKind
from recorder.domain.signing import (
    ACK_MEANING,
    ADDENDUM_MEANING,
    OVERSIGHT_MEANING,
    ack_payload,
    addendum_payload,
)
from recorder.domain.text import clean, clean_line
from recorder.domain.workflow import (
    may_acknowledge_addendum,
    may_add_addendum,
    may_see_addenda_queue,
)
from recorder.services.accounts import check_password
from recorder.services.core import Op, Services, actor_of, require
from recorder.services.drafts import remove_in
from recorder.services.errors import Conflict, InvalidInput, NotFound
from recorder.services.queries import stored, visit_facts
from recorder.services.signatures import SignatureView, sign, signature_view
from recorder.store.models import Addendum, AddendumAck, Child, Signature, Visit, Worker

REASON_MAX_CHARS = 500


@dataclass(frozen=True)
class AddendumView:
    id: int
    visit_id: int
    child_id: int
    child_name: str
    author_id: int
    author_name: str  # "Sam Social, social worker"
    reason: str
    text: str
    created_at: datetime  # UTC
    signature: SignatureView
    acknowledged_by: str | None = None  # "Maya Manager, team manager"
    acknowledged_at: datetime | None = None
    ack_signature: SignatureView | None = None

    @property
    def acknowledged(self) -> bool:
        return self.ack_signature is not None


# -- writing ---------------------------------------------------------------------------


def add_addendum(
    svc: Services, actor_id: int, visit_id: int, reason: str, text: str, password: str
) -> int:
    """Add a signed addendum to a signed-off visit; returns its id. The visit is untouched."""

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = s.get(Visit, visit_id)
        if v is None:
            raise NotFound("That visit record does not exist.")
        require(may_add_addendum(actor, visit_facts(s, v)))
        why = clean_line(reason)
        body = clean(text or "").strip()
        if not why:
            raise InvalidInput(
                "Say why this addendum is needed (for example: a date was "
                "wrong, or information came to light later).",
                audit_detail="no_reason",
            )
        if len(why) > REASON_MAX_CHARS:
            raise InvalidInput(
                f"The reason is {len(why):,} characters long; the limit is {REASON_MAX_CHARS:,}.",
                audit_detail="too_long",
            )
        if not body:
            raise InvalidInput("The addendum has no text.", audit_detail="empty")
        limit = svc.policy.long_text_max_chars
        if len(body) > limit:
            raise InvalidInput(
                f"The addendum is {len(body):,} characters long; the limit is "
                f"{limit:,}. Split it into two addenda.",
                audit_detail="too_long",
            )
        check_password(svc, s, actor_id, password)
        original = s.exec(
            select(Signature)
            .where(Signature.visit_id == v.id, Signature.meaning == OVERSIGHT_MEANING)
            .order_by(col(Signature.id).desc())
        ).first()
        signer = stored(s, Worker, actor_id)
        sig = sign(
            svc,
            s,
            signer,
            v.id,
            v.child_id,
            ADDENDUM_MEANING,
            addendum_payload(
                v.id, why, body, actor_id, original.content_sha256 if original else None
            ),
        )
        a = Addendum(
            visit_id=v.id,
            child_id=v.child_id,
            team_id=v.team_id,
            author_id=actor_id,
            reason=why,
            text=body,
            signature_id=sig.id,
            created_at=svc.now(),
        )
        s.add(a)
        remove_in(s, actor_id, (DraftKind.ADDENDUM,), v.id)
        s.flush()
        op.detail = f"addendum={a.id}"
        return a.id

    return svc.change(actor_id, "add_addendum", "visit", visit_id, run)


def acknowledge(svc: Services, manager_id: int, addendum_id: int, password: str) -> None:
    """A team manager's signed acknowledgement that they have read a new addendum."""

    def run(op: Op) -> None:
        s = op.session
        actor = svc.actor(s, manager_id)
        a = s.get(Addendum, addendum_id)
        if a is None:
            raise NotFound("That addendum does not exist.")
        # one acknowledgement, even at once: the visit's row is locked (the app's role may
        # not lock an addendum's, an append-only table's, since FOR UPDATE needs UPDATE)
        s.get(Visit, a.visit_id, with_for_update=True)
        require(may_acknowledge_addendum(actor, a.team_id, a.author_id))
        if s.exec(select(AddendumAck).where(AddendumAck.addendum_id == a.id)).first():
            raise Conflict(
                "This addendum has already been acknowledged.", audit_detail="already_acknowledged"
            )
        check_password(svc, s, manager_id, password)
        signer = stored(s, Worker, manager_id)
        own = stored(s, Signature, a.signature_id)
        sig = sign(
            svc,
            s,
            signer,
            a.visit_id,
            a.child_id,
            ACK_MEANING,
            ack_payload(a.id, a.visit_id, own.content_sha256),
        )
        s.add(
            AddendumAck(
                addendum_id=a.id, manager_id=manager_id, signature_id=sig.id, created_at=svc.now()
            )
        )
        op.detail = f"visit={a.visit_id}"

    svc.change(manager_id, "acknowledge_addendum", "addendum", addendum_id, run)


# -- reading ---------------------------------------------------------------------------


def _views(s: Session, rows: list[Addendum]) -> list[AddendumView]:
    out = []
    names: dict[int, str] = {}

    def who(worker_id: int) -> str:
        if worker_id not in names:
            w = actor_of(stored(s, Worker, worker_id))
            names[worker_id] = f"{w.name}, {w.role_label.lower()}"
        return names[worker_id]

    for a in rows:
        ack = s.exec(select(AddendumAck).where(AddendumAck.addendum_id == a.id)).first()
        child = stored(s, Child, a.child_id)
        out.append(
            AddendumView(
                id=a.id,
                visit_id=a.visit_id,
                child_id=a.child_id,
                child_name=child.full_name,
                author_id=a.author_id,
                author_name=who(a.author_id),
                reason=a.reason,
                text=a.text,
                created_at=a.created_at,
                signature=_signature(s, a.signature_id),
                acknowledged_by=who(ack.manager_id) if ack else None,
                acknowledged_at=ack.created_at if ack else None,
                ack_signature=_signature(s, ack.signature_id) if ack else None,
            )
        )
    return out


def _signature(s: Session, signature_id: int) -> SignatureView:
    row = s.get(Signature, signature_id)
    if row is None:  # a foreign key: the row is there
        raise NotFound("A signature of this addendum is missing.")
    return signature_view(row)


def addenda_for_visit(s: Session, visit_id: int) -> list[AddendumView]:
    """A visit's addenda, oldest first (the caller has checked the reader may see the visit)."""
    rows = s.exec(
        select(Addendum).where(Addendum.visit_id == visit_id).order_by(col(Addendum.id))
    ).all()
    return _views(s, list(rows))


def unacknowledged(svc: Services, manager_id: int) -> list[AddendumView]:
    """New addenda on the manager's team's records, waiting for acknowledgement, oldest
    first. Includes the manager's own (shown, but another manager must acknowledge them)."""

    def run(op: Op) -> list[AddendumView]:
        s = op.session
        actor = svc.actor(s, manager_id)
        require(may_see_addenda_queue(actor))
        acked = select(AddendumAck.addendum_id)
        rows = s.exec(
            select(Addendum)
            .where(
                col(Addendum.team_id).in_(sorted(actor.managed_team_ids)),
                col(Addendum.id).not_in(acked),
            )
            .order_by(col(Addendum.id))
        ).all()
        return _views(s, list(rows))

    return svc.change(manager_id, "addenda_queue", "team", None, run)
