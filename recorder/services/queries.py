"""Reads more than one use case needs: lookups by name and the statutory visit dates.

Used inside a use case's own session (``Services.reading`` / ``Services.change``); these
check no permission themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from recorder.domain import plans, timescales
from recorder.domain.sections import SECTIONS
from recorder.domain.text import clean_line
from recorder.domain.workflow import VisitFacts, VisitState
from recorder.services.core import Services, actor_of
from recorder.services.errors import NotFound
from recorder.store.models import (
    Child,
    ChildPlan,
    Countersign,
    Placement,
    PlanFrequency,
    Team,
    Visit,
    VisitSection,
    Worker,
)

R = TypeVar("R", bound=SQLModel)


def stored(s: Session, model: type[R], ident: int | None) -> R:
    """The row ``ident`` of ``model`` that another row points at (a foreign key keeps it
    there), or NotFound if it is not."""
    row = s.get(model, ident) if ident is not None else None
    if row is None:
        raise NotFound("A record this one refers to is missing from the store.")
    return row


def team_id_named(s: Session, team: str | None) -> int | None:
    """The id of the team called ``team`` (None for no team), or NotFound."""
    if not team:
        return None
    t = s.exec(select(Team).where(Team.name == clean_line(team))).first()
    if t is None:
        raise NotFound(
            f"There is no team called '{clean_line(team)}'. Add it with 'recorder team add'."
        )
    return t.id


def worker_by_username(s: Session, username: str) -> Worker:
    """The account called ``username`` (case-insensitive), or NotFound."""
    w = s.exec(select(Worker).where(Worker.username == clean_line(username).lower())).first()
    if w is None:
        raise NotFound(f"There is no account '{clean_line(username)}'.")
    return w


@dataclass(frozen=True)
class StatutoryClock:
    """A child's statutory visit clock as it stands: the plan in force and its due date."""

    plan: plans.Plan | None  # the plan in force today (None: no plan)
    placement: plans.Placement | None  # a looked-after child's placement in force today
    last_visit: date | None  # the last visit that counted for the plan in force
    due: date | None
    words: str  # "due in 3 working days", "no statutory visits"
    rule: str = ""  # the rule that set the due date, in words


def _fallback_plan(c: Child) -> tuple[list[plans.Plan], list[plans.Placement]]:
    """A child with no plan rows (written before plans were records, or straight into the
    store by the bulk demo): its plan from the child's own columns."""
    if c.plan_type not in plans.PLAN_KINDS or c.plan_start is None:
        return [], []
    notified = c.plan_start if c.plan_type == "private_fostering" else None
    plan = plans.Plan(c.plan_type, c.plan_start, notified_on=notified)
    if c.plan_type != "looked_after":
        return [plan], []
    kind = "long_term" if c.placement_long_term else "foster_care"
    return [plan], [plans.Placement(kind, c.plan_start)]


def plan_records(
    s: Session, children: Sequence[Child]
) -> dict[int, tuple[list[plans.Plan], list[plans.Placement]]]:
    """Per child, every plan (with what conferences set) and placement, oldest first."""
    ids = [c.id for c in children]
    out: dict[int, tuple[list[plans.Plan], list[plans.Placement]]] = {i: ([], []) for i in ids}
    if not ids:
        return out
    rows = s.exec(
        select(ChildPlan)
        .where(col(ChildPlan.child_id).in_(ids))
        .order_by(col(ChildPlan.start_on), col(ChildPlan.id))
    ).all()
    freqs: dict[int, list[plans.Frequency]] = {}
    if rows:
        for f in s.exec(
            select(PlanFrequency)
            .where(col(PlanFrequency.plan_id).in_([r.id for r in rows]))
            .order_by(col(PlanFrequency.set_on), col(PlanFrequency.id))
        ):
            freqs.setdefault(f.plan_id, []).append(
                plans.Frequency(
                    f.set_on,
                    f.visit_every_working_days,
                    f.seen_alone_every_working_days,
                    f.set_by,
                )
            )
    for r in rows:
        out[r.child_id][0].append(
            plans.Plan(
                r.plan_type,
                r.start_on,
                r.end_on,
                r.notified_on,
                tuple(freqs.get(r.id, ())),
                r.id,
            )
        )
    for p in s.exec(
        select(Placement)
        .where(col(Placement.child_id).in_(ids))
        .order_by(col(Placement.start_on), col(Placement.id))
    ):
        out[p.child_id][1].append(
            plans.Placement(p.placement_type, p.start_on, p.end_on, p.first_review_on, p.id)
        )
    for c in children:
        if not out[c.id][0]:
            out[c.id] = _fallback_plan(c)
    return out


def statutory_visits(
    s: Session, child_ids: Collection[int], *, before: date | None = None
) -> dict[int, list[tuple[date, str | None]]]:
    """Per child, the last signed-off visit of each visit type that counted as statutory
    (date, type); ``before``: only visits made before that day. The domain picks the ones
    that match the plan in force (``timescales.statutory_visit_due``)."""
    if not child_ids:
        return {}
    query = select(Visit.child_id, Visit.visit_type, func.max(col(Visit.visit_at))).where(
        col(Visit.child_id).in_(child_ids),
        Visit.state == "signed_off",
        Visit.counts_as_statutory == True,  # noqa: E712
    )
    if before is not None:
        query = query.where(col(Visit.visit_at) < datetime.combine(before, time()))
    rows = s.exec(query.group_by(col(Visit.child_id), col(Visit.visit_type))).all()
    out: dict[int, list[tuple[date, str | None]]] = {}
    for cid, kind, at in rows:
        if at:
            out.setdefault(cid, []).append((at.date(), kind))
    return out


def statutory_clocks(
    svc: Services,
    s: Session,
    children: Sequence[Child],
    records: dict[int, tuple[list[plans.Plan], list[plans.Placement]]] | None = None,
) -> dict[int, StatutoryClock]:
    """Per child, the statutory visit clock today: the plan in force, the last visit that
    counted for it (of the plan's own type, since its clock started) and the next due date.
    ``records``: the children's :func:`plan_records`, when the caller has read them."""
    today = svc.today()
    if records is None:
        records = plan_records(s, children)
    visits = statutory_visits(s, [c.id for c in children])
    wd = timescales.working_days_for(svc.policy.bank_holiday_region)
    out: dict[int, StatutoryClock] = {}
    for c in children:
        plan_list, placement_list = records[c.id]
        plan = plans.in_force(plan_list, today)
        placement = (
            plans.placement_in_force(placement_list, today)
            if plan is not None and plan.kind == "looked_after"
            else None
        )
        mine = visits.get(c.id, [])
        due = timescales.statutory_visit_due(plan_list, placement_list, mine, today, svc.policy)
        last = None
        if plan is not None:
            start = plans.clock_start(plan, placement)
            wanted = plans.VISIT_TYPE_FOR_PLAN[plan.kind]
            last = max((d for d, k in mine if k == wanted and start <= d <= today), default=None)
        if due is None:
            out[c.id] = StatutoryClock(plan, placement, last, None, "no statutory visits")
        else:
            words = timescales.describe_due(due.on, today, wd)
            out[c.id] = StatutoryClock(plan, placement, last, due.on, words, due.rule)
    return out


def statutory_due_as_of(
    svc: Services, s: Session, child: Child | int, on_date: date
) -> timescales.Due | None:
    """The date by which ``child`` had to be seen, as it stood when the day ``on_date`` began:
    the plan in force on ``on_date`` and the visits of its type made before that day (so a
    visit made on ``on_date`` is measured against it: "made N working days late"). None when
    no plan was in force on that day."""
    c = child if isinstance(child, Child) else stored(s, Child, child)
    plan_list, placement_list = plan_records(s, [c])[c.id]
    visits = statutory_visits(s, [c.id], before=on_date).get(c.id, [])
    return timescales.statutory_visit_due(
        plan_list, placement_list, visits, on_date, svc.policy, before=True
    )


def drift(svc: Services, s: Session, v: Visit) -> tuple[str, date] | None:
    """A statutory visit made after the day it was due: its words ("made 3 working days
    late") and that day (``statutory_due_as_of`` the visit's day); None when made on time, or
    when it is no statutory visit or no plan was in force."""
    if not _may_drift(v):
        return None
    assert v.visit_at is not None
    return _late(svc, v.visit_at.date(), statutory_due_as_of(svc, s, v.child_id, v.visit_at.date()))


def _may_drift(v: Visit) -> bool:
    from recorder.domain.sections import STATUTORY_VISIT_TYPES

    return v.visit_at is not None and v.visit_type in {t.value for t in STATUTORY_VISIT_TYPES}


def _late(svc: Services, day: date, due: timescales.Due | None) -> tuple[str, date] | None:
    if due is None:
        return None
    words = timescales.made_late(
        due.on, day, timescales.working_days_for(svc.policy.bank_holiday_region)
    )
    return (words, due.on) if words else None


@dataclass
class VisitBatch:
    """What the per-visit reads (``visit_facts``, ``visit_content``, ``drift``) ask of the
    store, read for many visits at once: a queue of 40 records was some 800 queries.

    The visits' children and authors are loaded into the session too (kept here, so its
    identity map holds them), so ``stored``/``Session.get`` of them asks nothing more."""

    signers: dict[int, frozenset[int]]
    content: dict[int, dict[str, dict[str, Any]]]
    drifts: dict[int, tuple[str, date] | None]
    rows: list[Any]


def visit_batch(
    svc: Services,
    s: Session,
    visits: Sequence[Visit],
    *,
    content: bool = True,
    only: Collection[str] | None = None,
) -> VisitBatch:
    """The batch of ``visits`` (``content``: their sections too, for their flags; only the
    sections named in ``only`` when given, the others left out of ``content``)."""
    ids = [v.id for v in visits if v.id is not None]
    child_ids = sorted({v.child_id for v in visits})
    held: list[Any] = []
    if not ids:
        return VisitBatch({}, {}, {}, held)
    children = list(s.exec(select(Child).where(col(Child.id).in_(child_ids))))
    held += children
    people = {v.author_id for v in visits} | {v.joint_worker_id for v in visits} - {None}
    held += list(s.exec(select(Worker).where(col(Worker.id).in_(people))))
    signers: dict[int, set[int]] = {i: set() for i in ids}
    for vid, wid in s.exec(
        select(Countersign.visit_id, Countersign.worker_id).where(
            col(Countersign.visit_id).in_(ids)
        )
    ):
        signers[vid].add(wid)
    sections: dict[int, dict[str, dict[str, Any]]] = {}
    if content:
        keys = [sec.key.value for sec in SECTIONS if only is None or sec.key.value in only]
        sections = {i: {k: {} for k in keys} for i in ids}
        query = select(VisitSection.visit_id, VisitSection.section, VisitSection.data).where(
            col(VisitSection.visit_id).in_(ids)
        )
        if only is not None:  # only these are read and parsed: the rest were most of the JSON
            query = query.where(col(VisitSection.section).in_(keys))
        for vid, section, data in s.exec(query):
            sections[vid][section] = dict(data)
    # drift: each statutory visit against what was due when its day began
    late = [v for v in visits if _may_drift(v)]
    drifts: dict[int, tuple[str, date] | None] = {v.id: None for v in visits if v.id is not None}
    if late:
        records = plan_records(s, [c for c in children if c.id in {v.child_id for v in late}])
        signed: dict[int, list[tuple[str | None, datetime]]] = {}
        for cid, kind, at in s.exec(
            select(Visit.child_id, Visit.visit_type, Visit.visit_at).where(
                col(Visit.child_id).in_(list(records)),
                Visit.state == "signed_off",
                Visit.counts_as_statutory == True,  # noqa: E712
            )
        ):
            if at:
                signed.setdefault(cid, []).append((kind, at))
        for v in late:
            assert v.visit_at is not None and v.id is not None
            day = v.visit_at.date()
            start = datetime.combine(day, time())
            last: dict[str | None, datetime] = {}
            for kind, at in signed.get(v.child_id, ()):  # statutory_visits(before=day)
                if at < start and (kind not in last or at > last[kind]):
                    last[kind] = at
            plan_list, placement_list = records[v.child_id]
            due = timescales.statutory_visit_due(
                plan_list,
                placement_list,
                [(at.date(), kind) for kind, at in last.items()],
                day,
                svc.policy,
                before=True,
            )
            drifts[v.id] = _late(svc, day, due)
    return VisitBatch({i: frozenset(w) for i, w in signers.items()}, sections, drifts, held)


def get_visit(s: Session, visit_id: int, *, lock: bool = False) -> Visit:
    """The visit ``visit_id``, or NotFound."""
    # lock: SELECT ... FOR UPDATE on PostgreSQL, so two saves cannot both pass the version
    # check (SQLite's BEGIN IMMEDIATE already serialises writers; it ignores FOR UPDATE)
    v = s.get(Visit, visit_id, with_for_update=True) if lock else s.get(Visit, visit_id)
    if v is None:
        raise NotFound("That visit record does not exist.")
    return v


def visit_facts(s: Session, v: Visit, batch: VisitBatch | None = None) -> VisitFacts:
    """What the workflow rules need to know about ``v`` and the people on it."""
    author = stored(s, Worker, v.author_id)
    a = actor_of(author)
    signers = (
        batch.signers[v.id]
        if batch is not None and v.id in batch.signers
        else s.exec(select(Countersign.worker_id).where(Countersign.visit_id == v.id)).all()
    )
    child = s.get(Child, v.child_id)
    return VisitFacts(
        state=VisitState(v.state),
        author_id=v.author_id,
        author_role=a.role,
        author_needs_countersign=a.needs_countersign,
        team_id=v.team_id,
        countersigner_ids=frozenset(signers),
        allocated_worker_id=child.allocated_worker_id if child else None,
    )


def visit_content(
    s: Session, visit_id: int, batch: VisitBatch | None = None
) -> dict[str, dict[str, Any]]:
    """A visit's content as it is stored: every section, ``{}`` for one never saved."""
    if batch is not None and visit_id in batch.content:
        return {k: dict(v) for k, v in batch.content[visit_id].items()}
    rows = s.exec(select(VisitSection).where(VisitSection.visit_id == visit_id)).all()
    content: dict[str, dict[str, Any]] = {sec.key.value: {} for sec in SECTIONS}
    for r in rows:
        content[r.section] = dict(r.data)
    return content


def conflict_copies(s: Session, visit_ids: Collection[int]) -> dict[int, datetime]:
    """Which of ``visit_ids`` are copies kept after a conflict (``visits.save_section``:
    the text of a stale window kept as a draft of its own), and when each was kept (UTC),
    read from the audit event that made it."""
    from recorder.store.models import AuditEvent

    if not visit_ids:
        return {}
    rows = s.exec(
        select(AuditEvent.entity_id, AuditEvent.at).where(
            AuditEvent.entity == "visit",
            col(AuditEvent.entity_id).in_(list(visit_ids)),
            AuditEvent.action == "keep_conflict_copy",
            AuditEvent.outcome == "ok",
        )
    ).all()
    return {int(i): at for i, at in rows if i is not None}
