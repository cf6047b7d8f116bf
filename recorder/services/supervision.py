"""Supervision records (DOMAIN.md, "Supervision"; issue 11, item 5).

A worker's team manager records a supervision: the date, who attended, the personal items
(wellbeing, workload, learning) and a case discussion for each child discussed (decision,
actions with who and by when, how the child's voice was considered), and signs it with the
password asked again. It never changes after (append-only triggers, migration 0007); its
signature is verified by ``recorder check``. Each case discussion's actions become tracked
actions for the worker they name (:mod:`recorder.services.directions`), and each discussion
shows on that child's record.

How often a worker is supervised is policy (ASYE weekly, then fortnightly, then monthly;
everyone else monthly): :func:`recorder.domain.supervision.supervision_due` says when the next
one is due; :func:`team_supervision` says it for each worker of the manager's team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from recorder.domain.actions import SourceKind
from recorder.domain.policy import Policy
from recorder.domain.roles import Role
from recorder.domain.signing import SUPERVISION_MEANING, supervision_payload
from recorder.domain.supervision import (
    CaseDiscussionInput,
    Frequency,
    SupervisionDue,
    SupervisionInput,
    may_read_supervision,
    may_supervise,
    supervision_due,
    validate_supervision,
)
from recorder.domain.text import clean, clean_line
from recorder.domain.workflow import may_oversee_team
from recorder.services.accounts import check_password
from recorder.services.core import Op, Services, actor_of, require
from recorder.services.directions import record_actions
from recorder.services.errors import InvalidInput, NotAllowed, NotFound
from recorder.services.signatures import SignatureView, sign, signature_view
from recorder.store.models import (
    Child,
    Signature,
    Supervision,
    SupervisionCase,
    Visit,
    Worker,
)

__all__ = [
    "ChildOption",
    "SupervisionSummary",
    "SupervisionForm",
    "CaseView",
    "SupervisionView",
    "WorkerSupervision",
    "frequency",
    "supervision_form",
    "record_supervision",
    "supervision_view",
    "team_supervision",
    "SupervisionInput",
    "CaseDiscussionInput",
]


def frequency(policy: Policy) -> Frequency:
    return Frequency(
        policy.supervision_asye_weekly_weeks,
        policy.supervision_asye_fortnightly_months,
        policy.supervision_every_months,
    )


@dataclass(frozen=True)
class ChildOption:
    id: int
    name: str
    reference: str


@dataclass(frozen=True)
class SupervisionSummary:
    id: int
    held_on: date
    manager_name: str
    children: int  # case discussions


@dataclass(frozen=True)
class SupervisionForm:
    """What a manager needs to record a worker's supervision."""

    worker_id: int
    worker_name: str
    worker_role: str
    asye: bool
    asye_start: date | None
    manager_name: str
    due: SupervisionDue
    last_held_on: date | None
    children: tuple[ChildOption, ...]  # the worker's children, to discuss
    history: tuple[SupervisionSummary, ...]  # newest first
    today: date


@dataclass(frozen=True)
class CaseView:
    id: int
    child_id: int
    child_name: str
    child_reference: str
    decision: str
    actions: tuple[dict[str, Any], ...]
    child_voice: str


@dataclass(frozen=True)
class SupervisionView:
    """A signed supervision record, as it was signed."""

    id: int
    worker_id: int
    worker_name: str
    manager_name: str
    held_on: date
    attended: str
    wellbeing: str
    workload: str
    learning: str
    cases: tuple[CaseView, ...]
    signature: SignatureView | None
    created_at: datetime


@dataclass(frozen=True)
class WorkerSupervision:
    """One worker's supervision timescale, in words for the team view."""

    worker_id: int
    asye: bool
    last_held_on: date | None
    due: SupervisionDue


# -- reads ---------------------------------------------------------------------------------


def _worker(s: Session, worker_id: int) -> Worker:
    w = s.get(Worker, worker_id)
    if w is None or not w.active or w.role == Role.ADMINISTRATOR.value:
        raise NotFound("That worker does not exist or is no longer active.", audit_detail="missing")
    return w


def _last(s: Session, worker_id: int) -> date | None:
    row = s.exec(
        select(Supervision)
        .where(Supervision.worker_id == worker_id)
        .order_by(col(Supervision.held_on).desc())
    ).first()
    return row.held_on if row else None


def _due(svc: Services, w: Worker, last: date | None) -> SupervisionDue:
    return supervision_due(
        last,
        svc.today(),
        asye=w.asye,
        asye_start=w.asye_start,
        since=svc.local_date(w.created_at),
        frequency=frequency(svc.policy),
    )


def _children_of(s: Session, w: Worker, team_id: int | None) -> list[Child]:
    """The worker's children in the team: allocated to them, or on a visit they wrote."""
    allocated = s.exec(select(Child).where(Child.allocated_worker_id == w.id)).all()
    written = s.exec(
        select(Child).where(
            col(Child.id).in_(select(Visit.child_id).where(Visit.author_id == w.id))
        )
    ).all()
    seen: dict[int, Child] = {}
    for c in [*allocated, *written]:
        if c.team_id == team_id:
            seen[c.id] = c
    return sorted(seen.values(), key=lambda c: (c.full_name, c.id))


def supervision_form(svc: Services, actor_id: int, worker_id: int) -> SupervisionForm:
    """The worker, their timescale, their children and earlier supervisions (audited)."""

    def run(op: Op) -> SupervisionForm:
        s = op.session
        actor = svc.actor(s, actor_id)
        w = _worker(s, worker_id)
        op.entity_id = w.id
        require(may_supervise(actor, w.id, w.team_id))
        last = _last(s, w.id)
        history = []
        for sup in s.exec(
            select(Supervision)
            .where(Supervision.worker_id == w.id)
            .order_by(col(Supervision.held_on).desc(), col(Supervision.id).desc())
        ):
            m = s.get(Worker, sup.manager_id)
            n = len(
                s.exec(
                    select(SupervisionCase.id).where(SupervisionCase.supervision_id == sup.id)
                ).all()
            )
            history.append(SupervisionSummary(sup.id, sup.held_on, m.full_name if m else "", n))
        a = actor_of(w)
        return SupervisionForm(
            w.id,
            w.full_name,
            a.role_label,
            w.asye,
            w.asye_start,
            actor.name,
            _due(svc, w, last),
            last,
            tuple(
                ChildOption(c.id, c.full_name, c.reference)
                for c in _children_of(s, w, actor.team_id)
            ),
            tuple(history),
            svc.today(),
        )

    return svc.change(actor_id, "view_supervision_form", "worker", worker_id, run)


def supervision_view(svc: Services, actor_id: int, supervision_id: int) -> SupervisionView:
    """A signed supervision record: for the worker and their team manager (audited)."""

    def run(op: Op) -> SupervisionView:
        s = op.session
        actor = svc.actor(s, actor_id)
        sup = s.get(Supervision, supervision_id)
        w = s.get(Worker, sup.worker_id) if sup else None
        require(
            may_read_supervision(actor, w.id if w else -1, w.team_id if w else None)
            if w
            else may_read_supervision(actor, -1, None)
        )
        if sup is None or w is None:
            raise NotAllowed("That supervision record is not shown.", audit_detail="missing")
        m = s.get(Worker, sup.manager_id)
        sig = s.get(Signature, sup.signature_id)
        cases = []
        for c in s.exec(
            select(SupervisionCase)
            .where(SupervisionCase.supervision_id == sup.id)
            .order_by(col(SupervisionCase.id))
        ):
            assert c.id is not None
            child = s.get(Child, c.child_id)
            cases.append(
                CaseView(
                    c.id,
                    c.child_id,
                    child.full_name if child else "",
                    child.reference if child else "",
                    c.decision,
                    tuple(c.actions or ()),
                    c.child_voice,
                )
            )
        return SupervisionView(
            sup.id,
            w.id,
            w.full_name,
            m.full_name if m else "",
            sup.held_on,
            sup.attended,
            sup.wellbeing,
            sup.workload,
            sup.learning,
            tuple(cases),
            signature_view(sig) if sig else None,
            sup.created_at,
        )

    return svc.change(actor_id, "view_supervision", "supervision", supervision_id, run)


def team_supervision(svc: Services, actor_id: int) -> dict[int, WorkerSupervision]:
    """For each active worker of the manager's team but the manager: when supervision is next
    due (audited)."""

    def run(op: Op) -> dict[int, WorkerSupervision]:
        s = op.session
        actor = svc.actor(s, actor_id)
        require(may_oversee_team(actor))
        op.entity_id = actor.team_id
        out: dict[int, WorkerSupervision] = {}
        teams = sorted(actor.managed_team_ids)  # a service manager: every team they manage
        for w in s.exec(
            select(Worker).where(col(Worker.team_id).in_(teams), Worker.active == True)  # noqa: E712
        ):
            if w.role == Role.ADMINISTRATOR.value or w.id == actor.id:
                continue  # a manager's own supervision is their own manager's to record
            last = _last(s, w.id)
            out[w.id] = WorkerSupervision(w.id, w.asye, last, _due(svc, w, last))
        return out

    return svc.change(actor_id, "view_team_supervision", "team", None, run)


# -- signing ---------------------------------------------------------------------------------


def _clean(sup: SupervisionInput, svc: Services) -> SupervisionInput:
    limit = svc.policy.long_text_max_chars

    def c(t: str) -> str:
        t = clean(t or "").strip()
        if len(t) > limit:
            raise InvalidInput(f"A supervision item is over the {limit:,} character limit.")
        return t

    return SupervisionInput(
        held_on=sup.held_on,
        attended=c(sup.attended),
        wellbeing=c(sup.wellbeing),
        workload=c(sup.workload),
        learning=c(sup.learning),
        cases=tuple(
            CaseDiscussionInput(
                child_id=k.child_id,
                decision=c(k.decision),
                actions=tuple(
                    {key: clean_line(str(a.get(key) or "")) for key in ("what", "who", "by_when")}
                    for a in k.actions
                ),
                child_voice=c(k.child_voice),
            )
            for k in sup.cases
        ),
    )


def record_supervision(
    svc: Services, actor_id: int, worker_id: int, sup: SupervisionInput, password: str
) -> int:
    """Sign a supervision record of ``worker_id`` by their team manager. Returns its id."""

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        w = _worker(s, worker_id)
        op.entity_id = w.id
        require(may_supervise(actor, w.id, w.team_id))
        cleaned = _clean(sup, svc)
        kids = {c.id: c for c in _children_of(s, w, actor.team_id)}
        for k in cleaned.cases:
            if k.child_id not in kids:
                raise NotAllowed(
                    "A case discussed is not one of this worker's children in your team.",
                    audit_detail="child_not_workers",
                )
        problems = validate_supervision(
            cleaned, svc.today(), {i: c.full_name for i, c in kids.items()}
        )
        if problems:
            raise InvalidInput(
                "The supervision record is not complete:\n" + "\n".join(problems),
                audit_detail="supervision_incomplete",
            )
        check_password(svc, s, actor_id, password)
        signer = s.get(Worker, actor_id)
        assert signer is not None
        personal = {
            "attended": cleaned.attended,
            "wellbeing": cleaned.wellbeing,
            "workload": cleaned.workload,
            "learning": cleaned.learning,
        }
        cases = [
            {
                "child_id": k.child_id,
                "decision": k.decision,
                "actions": list(k.actions),
                "child_voice": k.child_voice,
            }
            for k in cleaned.cases
        ]
        sig = sign(
            svc,
            s,
            signer,
            None,
            None,
            SUPERVISION_MEANING,
            supervision_payload(w.id, actor_id, cleaned.held_on.isoformat(), personal, cases),
        )
        row = Supervision(
            worker_id=w.id,
            manager_id=actor_id,
            team_id=w.team_id,
            held_on=cleaned.held_on,
            signature_id=sig.id,
            created_at=svc.now(),
            attended=cleaned.attended,
            wellbeing=cleaned.wellbeing,
            workload=cleaned.workload,
            learning=cleaned.learning,
        )
        s.add(row)
        s.flush()
        for k in cleaned.cases:
            case = SupervisionCase(
                supervision_id=row.id,
                child_id=k.child_id,
                decision=k.decision,
                actions=[dict(a) for a in k.actions],
                child_voice=k.child_voice,
                created_at=svc.now(),
            )
            s.add(case)
            s.flush()
            assert case.id is not None
            record_actions(
                svc,
                s,
                kind=SourceKind.SUPERVISION,
                source_id=case.id,
                created_by=actor_id,
                child=kids[k.child_id],
                actions=k.actions,
            )
        op.detail = f"cases={len(cleaned.cases)}"
        return row.id

    return svc.change(actor_id, "record_supervision", "worker", worker_id, run)
