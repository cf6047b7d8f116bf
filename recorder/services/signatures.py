"""Making a signature, and a signature as the screens read it.

What a signature signs is :mod:`recorder.domain.signing`'s (one payload function per kind);
this module writes the row in the use case's transaction and turns rows into plain,
frozen read models, so no ORM row reaches a front end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from recorder.domain.signing import Payload
from recorder.services.core import Services, actor_of
from recorder.store.models import Signature, Worker


@dataclass(frozen=True)
class SignatureView:
    """One signature: who signed, in what capacity, when (UTC), what it means, and the
    SHA-256 of what was signed."""

    id: int
    visit_id: int | None
    child_id: int | None
    signer_id: int
    signer_name: str
    signer_role: str
    registration_number: str | None
    signed_at: datetime
    meaning: str
    content_sha256: str


def signature_view(row: Signature) -> SignatureView:
    assert row.id is not None  # a stored row
    return SignatureView(
        row.id,
        row.visit_id,
        row.child_id,
        row.signer_id,
        row.signer_name,
        row.signer_role,
        row.registration_number,
        row.signed_at,
        row.meaning,
        row.content_sha256,
    )


def sign(
    svc: Services,
    s: Session,
    signer: Worker,
    visit_id: int | None,
    child_id: int | None,
    meaning: str,
    payload: Payload,
) -> Signature:
    """A signature of ``payload`` (built in ``domain.signing``) by ``signer``, now, in the
    session's transaction (flushed, so it has its id)."""
    a = actor_of(signer)
    assert signer.id is not None
    sig = Signature(
        visit_id=visit_id,
        child_id=child_id,
        signer_id=signer.id,
        signer_name=signer.full_name,
        signer_role=a.role_label,
        registration_number=signer.registration_number,
        signed_at=svc.now(),
        meaning=meaning,
        content_sha256=payload.digest(),
    )
    s.add(sig)
    s.flush()
    return sig
