"""Directions that reach the worker: tracked actions (DOMAIN.md, "Actions").

A countersign comment and a return for changes are directions to the record's author; every
action in an oversight note or a supervision case discussion (what, who, by when) is one for
the worker its "who" names. Each is written here as one ``tracked_action`` row, in the
transaction of the use case that signs its source (``visits.countersign``,
``visits.return_for_changes``, ``visits.sign_off``, ``oversight.add_case_note``,
``supervision.record_supervision``). It stays open until the person it is for, or their
team manager, marks it done with a note (:func:`mark_done`, audited).

Also the case discussions of supervision as a child's record shows them
(:func:`discussions_for_child`), read inside an audited read that has checked the reader may
see the child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from sqlmodel import Session, col, select

from recorder.domain.actions import (
    Person,
    SourceKind,
    due_words,
    may_mark_done,
    parse_due,
    resolve_assignee,
)
from recorder.domain.roles import Actor
from recorder.domain.text import clean, clean_line
from recorder.services.core import Op, Services, actor_of, require
from recorder.services.errors import InvalidInput, NotAllowed, NotFound
from recorder.store.models import (
    Child,
    Supervision,
    SupervisionCase,
    TrackedAction,
    Visit,
    Worker,
)

__all__ = [
    "DirectionView",
    "DiscussionView",
    "record_direction",
    "record_actions",
    "open_directions",
    "directions_for_visit",
    "mark_done",
    "discussions_for_child",
]


@dataclass(frozen=True)
class DirectionView:
    """One direction: what, for whom, from whom and where, by when, and whether it is done."""

    id: int
    kind: SourceKind
    kind_label: str  # "Countersign comment", "Supervision action"
    what: str
    assignee_id: int | None
    assignee: str  # the worker's name, or the "who" as written
    from_name: str  # who gave it
    created_at: datetime
    child_id: int | None
    child_name: str
    child_reference: str
    visit_id: int | None
    due_on: date | None
    due_text: str
    due_words: str  # "due in 3 days", "overdue by 2 days", "no due date"
    overdue: bool
    done_by: str = ""
    done_at: datetime | None = None
    done_note: str = ""
    may_mark_done: bool = False

    @property
    def done(self) -> bool:
        return self.done_at is not None


# -- writing (inside a use case's transaction) --------------------------------------------


def record_direction(
    svc: Services,
    s: Session,
    *,
    kind: SourceKind,
    source_id: int | None,
    created_by: int,
    what: str,
    assignee_id: int | None,
    who: str = "",
    by_when: str = "",
    child_id: int | None = None,
    visit_id: int | None = None,
    team_id: int | None = None,
) -> TrackedAction:
    """One tracked action, open, in the session's transaction (flushed)."""
    row = TrackedAction(
        source_kind=kind.value,
        source_id=source_id,
        child_id=child_id,
        visit_id=visit_id,
        team_id=team_id,
        assignee_id=assignee_id,
        assignee_text=clean_line(who)[:200],
        what=clean(what).strip(),
        due_text=clean_line(by_when)[:200],
        due_on=parse_due(by_when, svc.today()),
        created_by_id=created_by,
        created_at=svc.now(),
        done_note="",
    )
    s.add(row)
    s.flush()
    return row


def record_actions(
    svc: Services,
    s: Session,
    *,
    kind: SourceKind,
    source_id: int,
    created_by: int,
    child: Child,
    actions: Iterable[Mapping[str, Any]],
    visit_id: int | None = None,
) -> list[TrackedAction]:
    """Each action (what, who, by when) of a signed note or case discussion, for the worker
    its "who" names among the child's team (or no one: a parent, another agency)."""
    people = [
        Person(w.id, w.full_name, w.username)
        for w in s.exec(
            select(Worker).where(Worker.team_id == child.team_id, Worker.active == True)  # noqa: E712
        )
    ]
    out = []
    for a in actions:
        who = str(a.get("who") or "")
        out.append(
            record_direction(
                svc,
                s,
                kind=kind,
                source_id=source_id,
                created_by=created_by,
                what=str(a.get("what") or ""),
                assignee_id=resolve_assignee(
                    who, people, allocated_id=child.allocated_worker_id, writer_id=created_by
                ),
                who=who,
                by_when=str(a.get("by_when") or ""),
                child_id=child.id,
                visit_id=visit_id,
                team_id=child.team_id,
            )
        )
    return out


def direct_author(
    svc: Services, s: Session, kind: SourceKind, source_id: int, v: Visit, by: int, text: str
) -> TrackedAction:
    """A countersign or return comment: a direction to the record's author."""
    author = s.get(Worker, v.author_id)
    return record_direction(
        svc,
        s,
        kind=kind,
        source_id=source_id,
        created_by=by,
        what=text,
        assignee_id=v.author_id,
        who=author.full_name if author else "",
        child_id=v.child_id,
        visit_id=v.id,
        team_id=v.team_id,
    )


# -- reading -----------------------------------------------------------------------------


def _views(svc: Services, s: Session, actor: Actor, rows: Iterable[TrackedAction]):
    today = svc.today()
    names: dict[int, Worker | None] = {}
    kids: dict[int, Child | None] = {}

    def worker(i: int | None) -> Worker | None:
        if i is None:
            return None
        if i not in names:
            names[i] = s.get(Worker, i)
        return names[i]

    out = []
    for r in rows:
        assert r.id is not None
        if r.child_id is not None and r.child_id not in kids:
            kids[r.child_id] = s.get(Child, r.child_id)
        c = kids.get(r.child_id) if r.child_id is not None else None
        a = worker(r.assignee_id)
        g = worker(r.created_by_id)
        d = worker(r.done_by_id)
        done = r.done_at is not None
        kind = SourceKind(r.source_kind)
        out.append(
            DirectionView(
                r.id,
                kind,
                kind.label,
                r.what,
                r.assignee_id,
                a.full_name if a else r.assignee_text,
                g.full_name if g else "",
                r.created_at,
                r.child_id,
                c.full_name if c else "",
                c.reference if c else "",
                r.visit_id,
                r.due_on,
                r.due_text,
                due_words(r.due_on, today, done),
                not done and r.due_on is not None and r.due_on < today,
                d.full_name if d else "",
                r.done_at,
                r.done_note,
                bool(may_mark_done(actor, r.assignee_id, a.team_id if a else r.team_id))
                and not done,
            )
        )
    return out


def _soonest(rows: list[DirectionView]) -> list[DirectionView]:
    return sorted(rows, key=lambda d: (d.due_on is None, d.due_on or date.max, d.created_at, d.id))


def open_directions(svc: Services, actor_id: int) -> list[DirectionView]:
    """The signed-in worker's open directions, soonest due first (audited as a view)."""

    def run(op: Op) -> list[DirectionView]:
        s = op.session
        actor = svc.actor(s, actor_id)
        if not actor.reads_cases:
            raise NotAllowed("Administrators have no case directions.", audit_detail="admin")
        rows = s.exec(
            select(TrackedAction)
            .where(
                TrackedAction.assignee_id == actor_id,
                TrackedAction.done_at == None,  # noqa: E711
            )
            .order_by(col(TrackedAction.id))
        ).all()
        op.detail = f"rows={len(rows)}"
        return _soonest(_views(svc, s, actor, rows))

    return svc.change(actor_id, "view_directions", "worker", actor_id, run)


def directions_for_visit(svc: Services, s: Session, actor: Actor, visit_id: int):
    """Every direction given on a visit, open and done, oldest first (inside an audited read
    that has checked the reader may see the visit)."""
    rows = s.exec(
        select(TrackedAction)
        .where(TrackedAction.visit_id == visit_id)
        .order_by(col(TrackedAction.id))
    ).all()
    return _views(svc, s, actor, rows)


def mark_done(svc: Services, actor_id: int, action_id: int, note: str) -> None:
    """Mark a direction done with a note: the person it is for, or their team manager."""

    def run(op: Op) -> None:
        s = op.session
        actor = svc.actor(s, actor_id)
        q = select(TrackedAction).where(TrackedAction.id == action_id)
        if s.get_bind().dialect.name == "postgresql":
            q = q.with_for_update()
        row = s.exec(q).first()
        if row is None:
            raise NotFound("That action does not exist.", audit_detail="missing")
        assignee = s.get(Worker, row.assignee_id) if row.assignee_id is not None else None
        require(
            may_mark_done(actor, row.assignee_id, assignee.team_id if assignee else row.team_id)
        )
        if row.done_at is not None:
            raise InvalidInput("This action is already marked done.", audit_detail="already_done")
        text = clean(note or "").strip()
        if not text:
            raise InvalidInput(
                "Say what was done (a short note), then mark it done.", audit_detail="no_note"
            )
        if len(text) > svc.policy.long_text_max_chars:
            raise InvalidInput("The note is too long.", audit_detail="too_long")
        row.done_by_id = actor_id
        row.done_at = svc.now()
        row.done_note = text
        s.add(row)

    svc.change(actor_id, "mark_action_done", "tracked_action", action_id, run)


# -- supervision case discussions on a child's record -----------------------------------------


@dataclass(frozen=True)
class DiscussionView:
    """One child's case discussion in a signed supervision record."""

    id: int
    supervision_id: int
    child_id: int
    held_on: date
    worker_name: str  # the worker supervised
    manager_name: str
    decision: str
    actions: tuple[dict[str, Any], ...]
    child_voice: str
    signed_at: datetime


def discussions_for_child(s: Session, child_id: int) -> list[DiscussionView]:
    """Supervision case discussions about a child, oldest first."""
    out = []
    q = (
        select(SupervisionCase, Supervision)
        .where(SupervisionCase.child_id == child_id)
        .where(SupervisionCase.supervision_id == Supervision.id)
        .order_by(col(Supervision.held_on), col(SupervisionCase.id))
    )
    for case, sup in s.exec(q):
        assert case.id is not None and sup.id is not None
        w = s.get(Worker, sup.worker_id)
        m = s.get(Worker, sup.manager_id)
        out.append(
            DiscussionView(
                case.id,
                sup.id,
                case.child_id,
                sup.held_on,
                actor_of(w).name if w else "",
                m.full_name if m else "",
                case.decision,
                tuple(case.actions or ()),
                case.child_voice,
                sup.created_at,
            )
        )
    return out
