"""The team view: per worker, what waits for countersign and oversight and what is overdue;
children held by a manager or an unqualified worker listed apart."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import load_only
from sqlmodel import col, func, select

from recorder.domain.progress import overdue_words
from recorder.domain.roles import MANAGER_ROLES, Actor, Role
from recorder.domain.workflow import (
    VisitState,
    may_oversee_team,
)
from recorder.services.core import Op, Services, actor_of, require
from recorder.services.queries import (
    statutory_clocks,
)
from recorder.store.models import Child, TrackedAction, Visit, Worker


@dataclass(frozen=True)
class WorkerRow:
    id: int
    name: str
    role: str
    needs_countersign: bool
    children: int  # children allocated to them
    awaiting_countersign: int  # their records waiting for a countersign
    awaiting_oversight: int  # their records waiting for management oversight
    oversight_overdue: int  # of their submitted records, oversight past its due date
    statutory_overdue: int  # their allocated children whose statutory visit is overdue
    #: their open tracked actions past the due date (issue 13): "2 actions overdue"
    actions_overdue: int = 0

    @property
    def actions_overdue_words(self) -> str:
        return overdue_words(self.actions_overdue)


@dataclass(frozen=True)
class ChildBrief:
    id: int
    reference: str
    name: str
    worker: str


@dataclass(frozen=True)
class TeamView:
    team_name: str
    workers: tuple[WorkerRow, ...]
    allocated_to_social_workers: int
    allocated_to_managers: tuple[ChildBrief, ...]
    allocated_to_unqualified: tuple[ChildBrief, ...]
    unallocated: tuple[ChildBrief, ...]
    team_names: tuple[str, ...] = ()  # a service manager's several teams


def team_view(svc: Services, actor_id: int) -> TeamView:
    """Per worker: records awaiting countersign and oversight, oversight overdue, statutory
    visits overdue. Children allocated to a manager or an unqualified worker are listed apart
    and are not counted as allocated to a social worker (the review's "100% allocated")."""
    from recorder.store.models import Team

    def run(op: Op) -> TeamView:
        s = op.session
        actor = svc.actor(s, actor_id)
        require(may_oversee_team(actor))
        team_ids = sorted(actor.managed_team_ids)  # a team manager's one; a service manager's
        op.entity_id = actor.team_id if actor.team_id in team_ids else team_ids[0]
        today = svc.today()
        names = s.exec(select(Team.name).where(col(Team.id).in_(team_ids)).order_by(Team.name))
        workers = [
            w
            for w in s.exec(
                select(Worker)
                .where(col(Worker.team_id).in_(team_ids), Worker.active == True)  # noqa: E712
                .order_by(col(Worker.full_name), col(Worker.id))
            )
            if w.role != Role.ADMINISTRATOR.value
        ]
        by_id = {w.id: w for w in workers}
        # the columns the counts and the clocks read, not each child's whole row
        kids = s.exec(
            select(Child)
            .options(
                load_only(
                    *(
                        getattr(Child, name)
                        for name in (
                            "id",
                            "reference",
                            "full_name",
                            "team_id",
                            "allocated_worker_id",
                            "plan_type",
                            "plan_start",
                            "placement_long_term",
                        )
                    )
                )
            )
            .where(col(Child.team_id).in_(team_ids))
            .order_by(col(Child.full_name), col(Child.id))
        ).all()
        clocks = statutory_clocks(svc, s, kids)
        visits = s.exec(
            select(Visit)
            .options(
                load_only(*(getattr(Visit, n) for n in ("author_id", "state", "oversight_due")))
            )
            .where(
                col(Visit.team_id).in_(team_ids),
                col(Visit.state).in_(
                    [VisitState.AWAITING_COUNTERSIGN.value, VisitState.AWAITING_OVERSIGHT.value]
                ),
            )
        ).all()
        counts: dict[int, dict[str, int]] = {
            w.id: dict(children=0, cs=0, ov=0, ov_late=0, stat_late=0) for w in workers
        }
        for v in visits:
            c = counts.get(v.author_id)
            if c is None:
                continue
            if v.state == VisitState.AWAITING_COUNTERSIGN.value:
                c["cs"] += 1
            else:
                c["ov"] += 1
            if v.oversight_due is not None and v.oversight_due < today:
                c["ov_late"] += 1
        managers, unqualified, unallocated = [], [], []
        social = 0
        actors: dict[int, Actor] = {}  # each worker's, once (not once per child)

        def actor_for(w: Worker) -> Actor:
            assert w.id is not None
            if w.id not in actors:
                actors[w.id] = actor_of(w)
            return actors[w.id]

        for k in kids:
            w = by_id.get(k.allocated_worker_id) if k.allocated_worker_id else None
            if k.allocated_worker_id and w is None:
                w = s.get(Worker, k.allocated_worker_id)
            if w is None:
                unallocated.append(ChildBrief(k.id, k.reference, k.full_name, ""))
                continue
            a = actor_for(w)
            if w.id in counts:
                counts[w.id]["children"] += 1
                due = clocks[k.id].due
                if due is not None and due < today:
                    counts[w.id]["stat_late"] += 1
            brief = ChildBrief(k.id, k.reference, k.full_name, w.full_name)
            if a.role in MANAGER_ROLES:
                managers.append(brief)
            elif a.needs_countersign:
                unqualified.append(brief)
            else:
                social += 1
        late = dict(
            s.exec(
                select(TrackedAction.assignee_id, func.count())
                .where(
                    col(TrackedAction.assignee_id).in_([w.id for w in workers]),
                    TrackedAction.done_at == None,  # noqa: E711
                    col(TrackedAction.due_on) < today,
                )
                .group_by(col(TrackedAction.assignee_id))
            ).all()
        )
        rows = tuple(
            WorkerRow(
                w.id,
                w.full_name,
                actor_for(w).role_label,
                actor_for(w).needs_countersign,
                counts[w.id]["children"],
                counts[w.id]["cs"],
                counts[w.id]["ov"],
                counts[w.id]["ov_late"],
                counts[w.id]["stat_late"],
                late.get(w.id, 0),
            )
            for w in workers
        )
        team_names = tuple(names.all())
        return TeamView(
            ", ".join(team_names),
            rows,
            social,
            tuple(managers),
            tuple(unqualified),
            tuple(unallocated),
            team_names,
        )

    return svc.change(actor_id, "view_team", "team", None, run)
