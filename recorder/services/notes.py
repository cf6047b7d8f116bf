"""Management oversight notes: cleaning what a manager typed, the stored row, and the notes
as the screens read them. A note is written by ``visits.sign_off`` (on a visit) or
``oversight.add_case_note`` (on a child's case); both go through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from recorder.domain.oversight import OversightInput
from recorder.domain.signing import oversight_of
from recorder.domain.text import clean, clean_line
from recorder.services.core import Services
from recorder.services.errors import InvalidInput
from recorder.services.signatures import SignatureView, signature_view
from recorder.store.models import ChildAlert, OversightNote, Signature, Worker


@dataclass(frozen=True)
class NoteView:
    id: int
    child_id: int
    visit_id: int | None
    manager_name: str
    created_at: datetime
    decision: str
    analysis: str
    risk: str
    actions: tuple[dict[str, Any], ...]
    timeframe: str
    child_voice: str
    flag_responses: dict[str, str]
    signature: SignatureView | None
    #: what each answer in ``flag_responses`` answers, for the alerts it answered
    #: ("alert:3" -> "Child not seen on a visit (raised 2 Dec 2026, for the team manager)")
    alert_labels: dict[str, str] = field(default_factory=dict)


def clean_note(note: OversightInput, svc: Services) -> OversightInput:
    """The note as it will be stored and signed: control characters stripped, each heading
    within the policy's length limit (InvalidInput otherwise)."""
    limit = svc.policy.long_text_max_chars

    def c(t: str) -> str:
        t = clean(t or "").strip()
        if len(t) > limit:
            raise InvalidInput(f"An oversight heading is over the {limit:,} character limit.")
        return t

    return OversightInput(
        decision=c(note.decision),
        analysis=c(note.analysis),
        risk=c(note.risk),
        actions=tuple(
            {k: clean_line(str(a.get(k) or "")) for k in ("what", "who", "by_when")}
            for a in note.actions
        ),
        timeframe=c(note.timeframe),
        child_voice=c(note.child_voice),
        flag_responses={k: c(r) for k, r in note.flag_responses.items()},
    )


def note_row(
    n: OversightInput,
    child_id: int,
    visit_id: int | None,
    manager_id: int,
    sig_id: int,
    now: datetime,
) -> OversightNote:
    """The stored row of a cleaned note, signed by signature ``sig_id``."""
    d = oversight_of(n)
    return OversightNote(
        child_id=child_id,
        visit_id=visit_id,
        manager_id=manager_id,
        signature_id=sig_id,
        created_at=now,
        **d,
    )


def notes_for_child(
    s: Session, child_id: int, *, case_level_only: bool = False, visit_id: int | None = None
) -> list[NoteView]:
    """Oversight notes on a child (or on one of their visits), oldest first (used inside an
    audited read that has checked the reader may see the child)."""
    from sqlalchemy import select as sa_select

    # the note's columns as plain rows, not ORM objects (50 notes, each made and tracked)
    q = sa_select(
        *(
            col(getattr(OversightNote, name))
            for name in (
                "id",
                "child_id",
                "visit_id",
                "manager_id",
                "signature_id",
                "created_at",
                "decision",
                "analysis",
                "risk",
                "actions",
                "timeframe",
                "child_voice",
                "flag_responses",
            )
        )
    ).where(col(OversightNote.child_id) == child_id)
    if case_level_only:
        q = q.where(col(OversightNote.visit_id).is_(None))
    if visit_id is not None:
        q = q.where(col(OversightNote.visit_id) == visit_id)
    from recorder.domain.alerts import Alert, AlertKind, ForRole, alert_code

    answered: dict[int, dict[str, str]] = {}
    for a in s.exec(
        select(ChildAlert).where(
            ChildAlert.child_id == child_id,
            ChildAlert.answered_by_note_id != None,  # noqa: E711
        )
    ):
        heading = Alert(
            a.id, a.child_id, None, AlertKind(a.kind), ForRole(a.for_role), a.raised_on, ""
        ).heading()
        answered.setdefault(a.answered_by_note_id or 0, {})[alert_code(a.id)] = heading
    out = []
    rows = s.execute(q.order_by(col(OversightNote.created_at), col(OversightNote.id))).all()
    # the managers and signatures of every note in one query each, not two per note
    managers = {n.manager_id for n in rows}
    names = (
        dict(s.exec(select(Worker.id, Worker.full_name).where(col(Worker.id).in_(managers))).all())
        if managers
        else {}
    )
    wanted = {n.signature_id for n in rows if n.signature_id is not None}
    sigs = (
        {g.id: g for g in s.exec(select(Signature).where(col(Signature.id).in_(wanted)))}
        if wanted
        else {}
    )
    for n in rows:
        assert n.id is not None
        manager = names.get(n.manager_id)
        sig = sigs.get(n.signature_id) if n.signature_id is not None else None
        out.append(
            NoteView(
                n.id,
                n.child_id,
                n.visit_id,
                manager or "",
                n.created_at,
                n.decision,
                n.analysis,
                n.risk,
                tuple(n.actions or ()),
                n.timeframe,
                n.child_voice,
                dict(n.flag_responses or {}),
                signature_view(sig) if sig else None,
                answered.get(n.id, {}),
            )
        )
    return out
