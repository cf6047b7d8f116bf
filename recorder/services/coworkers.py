"""Co-workers on a child (issue 12, DOMAIN.md "Case holding"): a student, trainee or worker
awaiting registration works on a child whose case holder is registered, as its named
co-worker. An administrator or a manager of the child's team names and ends co-workers
(``domain.workflow.may_name_co_worker``); every call is audited, refusals too; nothing is
deleted (ending sets the end date, once)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlmodel import Session, col, select

from recorder.domain.roles import Role
from recorder.domain.text import clean_line
from recorder.domain.workflow import may_name_co_worker
from recorder.services.core import Op, Services, require
from recorder.services.errors import Conflict, InvalidInput, NotFound
from recorder.services.queries import worker_by_username
from recorder.store.models import Child, ChildCoWorker, Worker

__all__ = ["add_co_worker", "end_co_worker", "co_worker_names", "co_worker_child_ids"]


def _child(s: Session, reference: str) -> Child:
    c = s.exec(select(Child).where(Child.reference == clean_line(reference))).first()
    if c is None:
        raise NotFound(f"There is no child with reference '{clean_line(reference)}'.")
    return c


def _open_row(s: Session, child_id: int, worker_id: int) -> ChildCoWorker | None:
    return s.exec(
        select(ChildCoWorker).where(
            ChildCoWorker.child_id == child_id,
            ChildCoWorker.worker_id == worker_id,
            ChildCoWorker.end_on == None,  # noqa: E711
        )
    ).first()


def add_row(
    s: Session, c: Child, w: Worker, start_on: date, added_by: int | None, now
) -> ChildCoWorker:
    """Name ``w`` co-worker on ``c`` from ``start_on`` (inside a use case that checked who
    may): refused for an administrator, an inactive account, the holder, a worker of
    another team, or a co-worker already named."""
    if w.role == Role.ADMINISTRATOR.value or not w.active:
        raise InvalidInput(
            f"'{w.username}' cannot be a co-worker (administrator or inactive account)."
        )
    if c.allocated_worker_id == w.id:
        raise InvalidInput(f"{w.full_name} holds {c.reference}, so is not its co-worker too.")
    if c.team_id is not None and w.team_id != c.team_id:
        raise InvalidInput(
            f"{w.full_name} is not in {c.reference}'s team: a co-worker works in the "
            "child's team (move them to the team first: recorder user set-role ... --team)."
        )
    if _open_row(s, c.id, w.id) is not None:
        raise Conflict(f"{w.full_name} is already a co-worker on {c.reference}.")
    row = ChildCoWorker(
        child_id=c.id, worker_id=w.id, start_on=start_on, added_by_id=added_by, created_at=now
    )
    s.add(row)
    s.flush()
    return row


def add_co_worker(
    svc: Services, actor_id: int, child_reference: str, username: str, start_on: date | None = None
) -> int:
    """Name ``username`` co-worker on the child from ``start_on`` (default today)."""

    def run(op: Op) -> int:
        c = _child(op.session, child_reference)
        op.entity_id = c.id
        require(may_name_co_worker(svc.actor(op.session, actor_id), c.team_id))
        start = start_on or svc.today()
        if start > svc.today():
            raise InvalidInput("A co-worker's start cannot be in the future.")
        w = worker_by_username(op.session, username)
        row = add_row(op.session, c, w, start, actor_id, svc.now())
        op.detail = f"worker={w.id}"
        return row.id

    return svc.change(actor_id, "add_co_worker", "child", None, run)


def end_co_worker(
    svc: Services, actor_id: int, child_reference: str, username: str, end_on: date | None = None
) -> None:
    """End ``username``'s time as co-worker on the child on ``end_on`` (default today)."""

    def run(op: Op) -> None:
        s = op.session
        c = _child(s, child_reference)
        op.entity_id = c.id
        require(may_name_co_worker(svc.actor(s, actor_id), c.team_id))
        w = worker_by_username(s, username)
        row = _open_row(s, c.id, w.id)
        if row is None:
            raise NotFound(f"{w.full_name} is not a co-worker on {c.reference}.")
        end = end_on or svc.today()
        if end < row.start_on:
            raise InvalidInput(
                f"The end ({end}) cannot be before the co-worker started ({row.start_on})."
            )
        row.end_on, row.ended_by_id = end, actor_id
        s.add(row)
        op.detail = f"worker={w.id}"

    svc.change(actor_id, "end_co_worker", "child", None, run)


def _in_force(today: date):
    return (
        col(ChildCoWorker.start_on) <= today,
        (col(ChildCoWorker.end_on) == None) | (col(ChildCoWorker.end_on) >= today),  # noqa: E711
    )


def co_worker_child_ids(s: Session, worker_id: int, today: date) -> list[int]:
    """The children ``worker_id`` is a co-worker on today."""
    return list(
        s.exec(
            select(ChildCoWorker.child_id).where(
                ChildCoWorker.worker_id == worker_id, *_in_force(today)
            )
        ).all()
    )


def co_worker_names(s: Session, child_ids: Collection[int], today: date) -> dict[int, list[str]]:
    """The co-workers in force today on each child, by name."""
    if not child_ids:
        return {}
    out: dict[int, list[str]] = {}
    for child_id, name in s.exec(
        select(ChildCoWorker.child_id, Worker.full_name)
        .join(Worker, col(Worker.id) == ChildCoWorker.worker_id)
        .where(col(ChildCoWorker.child_id).in_(list(child_ids)), *_in_force(today))
        .order_by(col(ChildCoWorker.id))
    ):
        out.setdefault(child_id, []).append(name)
    return out
