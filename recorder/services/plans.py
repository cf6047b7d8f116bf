"""Recording a child's plans, placements and what conferences and reviews set (issue 12).

An administrator or a manager of the child's team records them (``domain.workflow.
may_record_plan``); every change is audited and nothing is deleted: a new plan ends the one in
force the day before it starts, a new placement ends the one before it, and a later conference
adds a frequency row. The child's own ``plan_type``, ``plan_start`` and ``placement_long_term``
columns are kept in step with the plan in force, for the screens and exports that read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from recorder.domain import plans
from recorder.domain.text import clean_line
from recorder.domain.workflow import may_record_plan
from recorder.services.core import Op, Services, require
from recorder.services.errors import InvalidInput, NotFound
from recorder.services.queries import plan_records
from recorder.store.models import Child, ChildPlan, Placement, PlanFrequency

__all__ = [
    "PlanInput",
    "record_plan",
    "end_plan",
    "record_placement",
    "record_first_review",
    "record_frequency",
]


@dataclass(frozen=True)
class PlanInput:
    plan_type: str
    start: date
    #: private fostering: the day the council was notified of the arrangement
    notified_on: date | None = None
    #: looked after: the first placement's type (default foster care)
    placement_type: str | None = None


def _child(s: Session, reference: str) -> Child:
    c = s.exec(select(Child).where(Child.reference == clean_line(reference))).first()
    if c is None:
        raise NotFound(f"There is no child with reference '{clean_line(reference)}'.")
    return c


def _open(svc: Services, op: Op, reference: str) -> Child:
    """The child, once the actor may record its plans (refusals are audited)."""
    c = _child(op.session, reference)
    op.entity_id = c.id
    require(may_record_plan(svc.actor(op.session, op.actor_id or 0), c.team_id))
    return c


def _sync(svc: Services, s: Session, c: Child) -> None:
    """Keep the child's summary columns in step with the plan in force today."""
    plan_list, placement_list = plan_records(s, [c])[c.id]
    today = svc.today()
    plan = plans.in_force(plan_list, today)
    c.plan_type = plan.kind if plan is not None else "none"
    c.plan_start = plan.start if plan is not None else None
    placement = plans.placement_in_force(placement_list, today)
    c.placement_long_term = bool(
        plan is not None
        and plan.kind == "looked_after"
        and placement is not None
        and placement.kind == "long_term"
    )
    s.add(c)


def _open_rows(s: Session, model, child_id: int):
    return s.exec(
        select(model).where(model.child_id == child_id, col(model.end_on).is_(None))
    ).all()


def record_plan(svc: Services, actor_id: int, child_reference: str, pi: PlanInput) -> int:
    """A new plan from ``pi.start``; the plan in force then (and its placement) ends the day
    before. A looked-after plan starts with a placement of ``pi.placement_type``."""

    def run(op: Op) -> int:
        s = op.session
        c = _open(svc, op, child_reference)
        plan_list, _ = plan_records(s, [c])[c.id]
        current = plans.in_force(plan_list, pi.start)
        problem = plans.plan_problem(
            pi.plan_type,
            pi.start,
            date_of_birth=c.date_of_birth,
            today=svc.today(),
            notified_on=pi.notified_on,
            current=current,
        )
        if problem is None and pi.placement_type is not None:
            if pi.plan_type != "looked_after":
                problem = "Only a looked-after child has a placement type."
            elif pi.placement_type not in plans.PLACEMENT_TYPES:
                problem = (
                    f"'{pi.placement_type}' is not a placement type. Use one of: "
                    + ", ".join(plans.PLACEMENT_TYPES)
                    + "."
                )
        if problem:
            raise InvalidInput(problem)
        last_day = plans.ended_day_before(pi.start)
        for model in (ChildPlan, Placement):
            for row in _open_rows(s, model, c.id):
                row.end_on = max(last_day, row.start_on)
                s.add(row)
        if plan_list and all(p.id is None for p in plan_list) and c.plan_start is not None:
            # a child whose plan was only in its columns: keep that plan as history
            s.add(
                ChildPlan(
                    child_id=c.id,
                    plan_type=c.plan_type,
                    start_on=c.plan_start,
                    end_on=max(last_day, c.plan_start),
                    notified_on=c.plan_start if c.plan_type == "private_fostering" else None,
                    created_at=svc.now(),
                )
            )
        row = ChildPlan(
            child_id=c.id,
            plan_type=pi.plan_type,
            start_on=pi.start,
            notified_on=pi.notified_on,
            recorded_by_id=op.actor_id,
            created_at=svc.now(),
        )
        s.add(row)
        s.flush()
        if pi.plan_type == "looked_after":
            s.add(
                Placement(
                    child_id=c.id,
                    plan_id=row.id,
                    placement_type=pi.placement_type or "foster_care",
                    start_on=pi.start,
                    recorded_by_id=op.actor_id,
                    created_at=svc.now(),
                )
            )
        s.flush()
        _sync(svc, s, c)
        op.detail = f"plan={pi.plan_type}"
        return row.id

    return svc.change(actor_id, "record_plan", "child", None, run)


def end_plan(svc: Services, actor_id: int, child_reference: str, end_on: date) -> None:
    """The plan in force on ``end_on`` ends that day (and a looked-after child's placement)."""

    def run(op: Op) -> None:
        s = op.session
        c = _open(svc, op, child_reference)
        if end_on > svc.today():
            raise InvalidInput("A plan cannot be ended in the future.")
        plan_rows = [r for r in _open_rows(s, ChildPlan, c.id) if r.start_on <= end_on]
        if not plan_rows:
            raise InvalidInput("The child has no open plan on that day to end.")
        for row in plan_rows:
            row.end_on = end_on
            s.add(row)
        for p in _open_rows(s, Placement, c.id):
            p.end_on = max(end_on, p.start_on)
            s.add(p)
        s.flush()
        _sync(svc, s, c)

    svc.change(actor_id, "end_plan", "child", None, run)


def record_placement(
    svc: Services, actor_id: int, child_reference: str, placement_type: str, start: date
) -> int:
    """A looked-after child's new placement from ``start``: the one before ends the day
    before, and the first-week rule of reg 28 starts again."""

    def run(op: Op) -> int:
        s = op.session
        c = _open(svc, op, child_reference)
        plan_list, placement_list = plan_records(s, [c])[c.id]
        plan = plans.in_force(plan_list, start)
        current = plans.placement_in_force(placement_list, start)
        problem = plans.placement_problem(
            placement_type, start, plan=plan, today=svc.today(), current=current
        )
        if problem:
            raise InvalidInput(problem)
        assert plan is not None and plan.id is not None  # placement_problem refuses no plan
        for row in _open_rows(s, Placement, c.id):
            row.end_on = max(plans.ended_day_before(start), row.start_on)
            s.add(row)
        row = Placement(
            child_id=c.id,
            plan_id=plan.id,
            placement_type=placement_type,
            start_on=start,
            recorded_by_id=op.actor_id,
            created_at=svc.now(),
        )
        s.add(row)
        s.flush()
        _sync(svc, s, c)
        op.detail = f"placement={placement_type}"
        return row.id

    return svc.change(actor_id, "record_placement", "child", None, run)


def record_first_review(svc: Services, actor_id: int, child_reference: str, held_on: date) -> None:
    """The first review after the current placement began was held on ``held_on`` (reg 28(3),
    (4): weekly visits until then)."""

    def run(op: Op) -> None:
        s = op.session
        c = _open(svc, op, child_reference)
        rows = _open_rows(s, Placement, c.id)
        if not rows:
            raise InvalidInput("The child has no current placement.")
        row = max(rows, key=lambda r: (r.start_on, r.id))
        if held_on > svc.today():
            raise InvalidInput("Record the first review once it has been held.")
        if held_on < row.start_on:
            raise InvalidInput(
                f"The placement started on {row.start_on.isoformat()}: its first review "
                "cannot be before that."
            )
        row.first_review_on = held_on
        s.add(row)

    svc.change(actor_id, "record_first_review", "child", None, run)


def record_frequency(
    svc: Services,
    actor_id: int,
    child_reference: str,
    *,
    visit_every_working_days: int | None,
    seen_alone_every_working_days: int | None,
    set_by: str,
    set_on: date,
) -> int:
    """What a conference or review on ``set_on`` set for the plan in force that day: visit
    every N working days and seen alone every N (None: the policy's default), and who set it
    ("Initial child protection conference"). It applies from ``set_on``."""

    def run(op: Op) -> int:
        s = op.session
        c = _open(svc, op, child_reference)
        who = clean_line(set_by)
        if not who:
            raise InvalidInput(
                "Say who set the frequency, such as 'Initial child protection conference'."
            )
        if len(who) > 200:
            raise InvalidInput("Who set the frequency is at most 200 characters.")
        if visit_every_working_days is None and seen_alone_every_working_days is None:
            raise InvalidInput("Give how often the child is visited, seen alone, or both.")
        plan_list, _ = plan_records(s, [c])[c.id]
        plan = plans.in_force(plan_list, set_on)
        problem = plans.frequency_problem(
            visit_every_working_days,
            seen_alone_every_working_days,
            set_on,
            plan=plan,
            today=svc.today(),
            policy=svc.policy,
        )
        if problem:
            raise InvalidInput(problem)
        assert plan is not None
        if plan.id is None:  # the plan is only in the child's columns: make it a record
            stored_plan = ChildPlan(
                child_id=c.id,
                plan_type=plan.kind,
                start_on=plan.start,
                notified_on=plan.notified_on,
                created_at=svc.now(),
            )
            s.add(stored_plan)
            s.flush()
            plan_id = stored_plan.id
        else:
            plan_id = plan.id
        row = PlanFrequency(
            plan_id=plan_id,
            set_on=set_on,
            visit_every_working_days=visit_every_working_days,
            seen_alone_every_working_days=seen_alone_every_working_days,
            set_by=who,
            recorded_by_id=op.actor_id,
            created_at=svc.now(),
        )
        s.add(row)
        s.flush()
        op.detail = (
            f"visit_every={visit_every_working_days} seen_alone_every="
            f"{seen_alone_every_working_days}"
        )
        return row.id

    return svc.change(actor_id, "record_frequency", "child", None, run)
