"""Alerts on a child for a manager to answer (``recorder.domain.alerts``).

:func:`raise_alert` is called inside the transaction of the use case whose rule raises the
alert (a visit signed off with the child not seen, a domestic-abuse notification decided):
once per child, kind and key, so raising it again returns the alert already there.
:func:`open_alerts_for` lists, for a manager, the open alerts they may answer (all of their
teams, or one child's for the case-level note's still-to-do list). A case-level oversight
note (``oversight.add_case_note``) must answer each one the signer may answer, in its
``flag_responses`` under ``alert:<id>`` (signed with the note); :func:`answer_alerts` then
records the note on each alert, in the note's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from recorder.domain.alerts import (
    Alert,
    AlertKind,
    ForRole,
    alert_code,
    answerable,
    may_see_alerts,
)
from recorder.domain.flags import Flag
from recorder.domain.roles import Actor
from recorder.domain.text import clean, clean_line
from recorder.domain.workflow import NOT_ON_CASELOAD
from recorder.services.core import Op, Services, require
from recorder.services.errors import NotAllowed
from recorder.store.models import Child, ChildAlert, Team

__all__ = [
    "AlertView",
    "raise_alert",
    "open_alerts_for",
    "alerts_to_answer",
    "answer_alerts",
    "child_not_seen_alert",
]


@dataclass(frozen=True)
class AlertView:
    """One alert as a screen shows it."""

    id: int
    code: str  # "alert:<id>": its answer's key in an oversight note
    kind: AlertKind
    label: str  # "Child not seen on a visit"
    heading: str  # "Child not seen on a visit (raised 2 Dec 2026, for the team manager)"
    for_role: ForRole
    child_id: int
    child_name: str
    child_reference: str
    team_name: str
    raised_on: date
    details: str
    answered_at: datetime | None = None

    @property
    def flag(self) -> Flag:
        """The alert as an item of an oversight note's still-to-do list."""
        return Flag(self.code, self.heading, self.details)


def _alert(row: ChildAlert, child: Child) -> Alert:
    assert row.id is not None
    return Alert(
        row.id,
        row.child_id,
        child.team_id,
        AlertKind(row.kind),
        ForRole(row.for_role),
        row.raised_on,
        row.details,
        row.answered_by_note_id is not None,
    )


def _view(a: Alert, child: Child, team_name: str, answered_at: datetime | None) -> AlertView:
    return AlertView(
        a.id,
        alert_code(a.id),
        a.kind,
        a.label,
        a.heading(),
        a.for_role,
        child.id,
        child.full_name,
        child.reference,
        team_name,
        a.raised_on,
        a.details,
        answered_at,
    )


# -- writing (inside a use case's transaction) --------------------------------------------


def raise_alert(
    svc: Services,
    s: Session,
    *,
    child_id: int,
    kind: AlertKind,
    key: str,
    details: str,
    raised_on: date | None = None,
    for_role: ForRole | None = None,
) -> ChildAlert:
    """The alert on ``child_id`` of ``kind`` for ``key``: raised now (flushed) unless it was
    raised before, in which case the existing row is returned unchanged. ``details`` says in
    words why (no case text is needed: "Not seen on the visit of 1 Dec 2026.")."""
    key = clean_line(key)[:100]

    def existing() -> ChildAlert | None:
        return s.exec(
            select(ChildAlert).where(
                ChildAlert.child_id == child_id,
                ChildAlert.kind == kind.value,
                ChildAlert.key == key,
            )
        ).first()

    row = existing()
    if row is not None:
        return row
    row = ChildAlert(
        child_id=child_id,
        kind=kind.value,
        key=key,
        raised_on=raised_on or svc.today(),
        raised_at=svc.now(),
        for_role=(for_role or kind.for_role).value,
        details=clean(details).strip(),
    )
    try:
        with s.begin_nested():  # another writer raised it a moment ago (PostgreSQL)
            s.add(row)
            s.flush()
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found
    return row


def child_not_seen_alert(svc: Services, s: Session, v: Any, content: Mapping[str, Any]) -> bool:
    """The escalation ladder's first step (DOMAIN.md "A child not seen"): a visit submitted
    with the child not seen alerts the team manager, once per visit, answered in a note.
    Whether the child was not seen (the caller then looks at the ladder's next step,
    ``not_seen.not_seen_ladder``)."""
    seen = content.get("seen") or {}
    if not isinstance(seen, Mapping) or seen.get("child_seen") != "no":
        return False
    day = v.visit_at.date() if v.visit_at else svc.today()
    raise_alert(
        svc,
        s,
        child_id=v.child_id,
        kind=AlertKind.CHILD_NOT_SEEN,
        key=f"visit:{v.id}",
        details=f"The child was not seen on the visit of {day.day} {day:%b %Y}.",
    )
    return True


def alerts_to_answer(s: Session, actor: Actor, child: Child) -> list[ChildAlert]:
    """The open alerts on ``child`` that ``actor`` may answer, oldest first: each one a
    case-level oversight note by ``actor`` must answer."""
    rows = s.exec(
        select(ChildAlert)
        .where(ChildAlert.child_id == child.id, ChildAlert.answered_by_note_id == None)  # noqa: E711
        .order_by(col(ChildAlert.id))
    ).all()
    ids = {a.id for a in answerable(actor, [_alert(r, child) for r in rows])}
    return [r for r in rows if r.id in ids]


def answer_alerts(svc: Services, s: Session, rows: Iterable[ChildAlert], note_id: int) -> None:
    """Each alert answered by oversight note ``note_id`` (its answer is in the signed note)."""
    now = svc.now()
    for r in rows:
        r.answered_by_note_id = note_id
        r.answered_at = now
        s.add(r)
    s.flush()


# -- reading -------------------------------------------------------------------------------


def open_alert_count(s: Session, actor: Actor, team_ids: Iterable[int]) -> int:
    """How many open alerts on the children of ``team_ids`` ``actor`` may answer (for the
    manager's home, inside its audited read)."""
    rows = s.exec(
        select(ChildAlert, Child)
        .join(Child, col(Child.id) == ChildAlert.child_id)
        .where(
            col(Child.team_id).in_(list(team_ids)),
            ChildAlert.answered_by_note_id == None,  # noqa: E711
        )
    ).all()
    return len(answerable(actor, [_alert(row, child) for row, child in rows]))


def open_alerts_for(svc: Services, actor_id: int, child_id: int | None = None) -> list[AlertView]:
    """The open alerts this manager may answer, in every team they manage (or on one child
    of theirs), oldest first (audited as a view)."""

    def run(op: Op) -> list[AlertView]:
        s = op.session
        actor = svc.actor(s, actor_id)
        require(may_see_alerts(actor))
        team_ids = sorted(actor.managed_team_ids)
        q = (
            select(ChildAlert, Child)
            .join(Child, col(Child.id) == ChildAlert.child_id)
            .where(
                col(Child.team_id).in_(team_ids),
                ChildAlert.answered_by_note_id == None,  # noqa: E711
            )
            .order_by(col(ChildAlert.raised_on), col(ChildAlert.id))
        )
        if child_id is not None:
            child = s.get(Child, child_id)
            if child is None or not actor.manages(child.team_id):
                raise NotAllowed(NOT_ON_CASELOAD, audit_detail="denied")
            op.entity_id = child_id
            q = q.where(ChildAlert.child_id == child_id)
        teams = dict(s.exec(select(Team.id, Team.name).where(col(Team.id).in_(team_ids))).all())
        out = []
        for row, child in s.exec(q).all():
            a = _alert(row, child)
            if answerable(actor, [a]):
                out.append(_view(a, child, teams.get(child.team_id or 0, ""), None))
        op.detail = f"rows={len(out)}"
        return out

    return svc.change(actor_id, "view_alerts", "child" if child_id else "team", child_id, run)
