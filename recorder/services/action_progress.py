"""A visit and the child's tracked actions (DOMAIN.md "Actions", ``domain.progress``).

The context a visit is validated in (:func:`visit_context`) carries the child's open actions
the visit must say progress on: open actions on the child, given before the record was last
submitted (or now, for a draft), and not given on this very record (countersign and return
comments are about a record, not the child, and are not asked). When the visit is signed
off (:func:`at_sign_off`, in the sign-off's transaction), each open action it reports done is
marked done (who: the worker who reported it, when they may mark it, else the manager who
signed off; when: the sign-off; the note: the worker's words, with the visit's date), and
each action of its own Actions section becomes a tracked action for the worker its "who"
names.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, or_, select

from recorder.domain.actions import SourceKind, due_words, may_mark_done
from recorder.domain.findings import VisitContext
from recorder.domain.progress import OpenAction, reported_done
from recorder.domain.roles import Actor
from recorder.domain.sections import Content, SectionKey
from recorder.domain.workflow import VisitState
from recorder.services.core import Services, actor_of, as_utc
from recorder.services.directions import record_actions
from recorder.services.joint import joint_workers
from recorder.services.queries import stored
from recorder.store.models import Child, TrackedAction, Visit, Worker

__all__ = ["visit_context", "open_actions_for", "at_sign_off", "CHILD_ACTION_KINDS"]

#: actions for the child, asked about on the next visit; countersign and return comments
#: are directions about a record, answered by changing it, and are not asked
CHILD_ACTION_KINDS = (
    SourceKind.VISIT,
    SourceKind.OVERSIGHT,
    SourceKind.SUPERVISION,
    SourceKind.PLAN,
)


def _author_now(s: Session, svc: Services, v: Visit) -> Actor:
    """The author of ``v`` as the rules see them today (registration currency too)."""
    return actor_of(stored(s, Worker, v.author_id), today=svc.today(), policy=svc.policy)


def visit_context(
    s: Session, child: Child, svc: Services, v: Visit | None = None, *, joint: bool = True
) -> VisitContext:
    """The context ``v`` is validated in; with ``v``, whom an unqualified author may name as
    attending jointly (``joint.joint_workers``) and the child's open actions to answer. Not
    with ``joint=False``: the sign-off's gate, where both were checked at submission (an
    action given since then is the next visit's to answer)."""
    ask = joint and v is not None and _author_now(s, svc, v).needs_countersign
    return VisitContext(
        child_name=child.full_name,
        child_dob=child.date_of_birth,
        now=svc.now_local(),
        plan_risks=tuple(child.plan_risks or ()),
        policy=svc.policy,
        joint_workers=joint_workers(s, v, svc) if ask and v else None,
        open_actions=open_actions_for(s, svc, v) if joint and v is not None else (),
    )


def _as_of(svc: Services, v: Visit) -> datetime:
    """Actions given up to this moment are asked about: the last submission, or now."""
    if v.state != VisitState.DRAFT.value and v.submitted_at is not None:
        return as_utc(v.submitted_at)
    return svc.now()


def _open_rows(s: Session, svc: Services, v: Visit) -> list[TrackedAction]:
    rows = s.exec(
        select(TrackedAction)
        .where(
            TrackedAction.child_id == v.child_id,
            TrackedAction.done_at == None,  # noqa: E711
            col(TrackedAction.source_kind).in_([k.value for k in CHILD_ACTION_KINDS]),
            or_(col(TrackedAction.visit_id).is_(None), TrackedAction.visit_id != v.id),
        )
        .order_by(col(TrackedAction.id))
    ).all()
    as_of = _as_of(svc, v)
    return [r for r in rows if as_utc(r.created_at) <= as_of]  # given before submission


def open_actions_for(s: Session, svc: Services, v: Visit) -> tuple[OpenAction, ...]:
    """The child's open actions visit ``v`` asks progress on, oldest first."""
    today = svc.today()
    names: dict[int, str] = {}

    def name(i: int | None) -> str:
        if i is None:
            return ""
        if i not in names:
            w = s.get(Worker, i)
            names[i] = w.full_name if w else ""
        return names[i]

    out = []
    for r in _open_rows(s, svc, v):
        assert r.id is not None
        given = svc.local_date(r.created_at)
        kind = SourceKind(r.source_kind)
        source = f"{kind.label} from {name(r.created_by_id)}, {given.day} {given:%b %Y}"
        out.append(
            OpenAction(
                r.id,
                r.what,
                name(r.assignee_id) or r.assignee_text,
                source,
                r.due_on,
                due_words(r.due_on, today),
            )
        )
    return tuple(out)


def at_sign_off(
    svc: Services, s: Session, v: Visit, child: Child, content: Content, signer_id: int
) -> None:
    """In the sign-off's transaction: the open actions the visit reports done are marked
    done; the visit's own actions become tracked actions."""
    section = content.get(SectionKey.ACTIONS.value) or {}
    rows = {r.id: r for r in _open_rows(s, svc, v)}
    done = reported_done(section, set(rows))
    if done:
        author = _author_now(s, svc, v)
        signer = stored(s, Worker, signer_id)
        signer_actor = actor_of(signer, s, today=svc.today(), policy=svc.policy)
        day = v.visit_at.date() if v.visit_at else svc.today()
        for action_id, note in done.items():
            r = rows[action_id]
            assignee = s.get(Worker, r.assignee_id) if r.assignee_id is not None else None
            team = assignee.team_id if assignee else r.team_id
            by = author.id if may_mark_done(author, r.assignee_id, team) else None
            if by is None and may_mark_done(signer_actor, r.assignee_id, team):
                by = signer_id
            r.done_by_id = by if by is not None else signer_id
            r.done_at = svc.now()
            r.done_note = f"Reported done on the visit of {day.day} {day:%b %Y}: {note}"
            s.add(r)
        s.flush()
    actions = section.get("actions") if isinstance(section, dict) else None
    if isinstance(actions, list) and actions:
        record_actions(
            svc,
            s,
            kind=SourceKind.VISIT,
            source_id=v.id,
            created_by=v.author_id,
            child=child,
            actions=[a for a in actions if isinstance(a, dict)],
            visit_id=v.id,
        )
