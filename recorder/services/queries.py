"""Reads more than one use case needs: lookups by name and the statutory visit dates.

Used inside a use case's own session (``Services.reading`` / ``Services.change``); these
check no permission themselves.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from recorder.domain import timescales
from recorder.domain.sections import SECTIONS
from recorder.domain.text import clean_line
from recorder.domain.workflow import VisitFacts, VisitState
from recorder.services.core import Services, actor_of
from recorder.services.errors import NotFound
from recorder.store.models import Child, Countersign, Team, Visit, VisitSection, Worker

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


def last_statutory(s: Session, child_ids: Collection[int]) -> dict[int, date]:
    """Per child, the date of the last signed-off visit that counted as statutory."""
    if not child_ids:
        return {}
    rows = s.exec(
        select(Visit.child_id, func.max(col(Visit.visit_at)))
        .where(
            col(Visit.child_id).in_(child_ids),
            Visit.state == "signed_off",
            Visit.counts_as_statutory == True,
        )  # noqa: E712
        .group_by(col(Visit.child_id))
    ).all()
    return {cid: at.date() for cid, at in rows if at}


def statutory_due(svc: Services, c: Child, last: date | None) -> tuple[date | None, str]:
    """The child's next statutory visit due, and its words ("due in 3 working days")."""
    if c.plan_type == "none" or c.plan_start is None:
        return None, "no statutory visits"
    due = timescales.next_statutory_visit_due(
        c.plan_type, c.plan_start, last, svc.policy, placement_long_term=c.placement_long_term
    )
    if due is None:
        return None, "no statutory visits"
    wd = timescales.working_days_for(svc.policy.bank_holiday_region)
    return due, timescales.describe_due(due, svc.today(), wd)


def get_visit(s: Session, visit_id: int, *, lock: bool = False) -> Visit:
    """The visit ``visit_id``, or NotFound."""
    # lock: SELECT ... FOR UPDATE on PostgreSQL, so two saves cannot both pass the version
    # check (SQLite's BEGIN IMMEDIATE already serialises writers; it ignores FOR UPDATE)
    v = s.get(Visit, visit_id, with_for_update=True) if lock else s.get(Visit, visit_id)
    if v is None:
        raise NotFound("That visit record does not exist.")
    return v


def visit_facts(s: Session, v: Visit) -> VisitFacts:
    """What the workflow rules need to know about ``v`` and the people on it."""
    author = stored(s, Worker, v.author_id)
    a = actor_of(author)
    signers = s.exec(select(Countersign.worker_id).where(Countersign.visit_id == v.id)).all()
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


def visit_content(s: Session, visit_id: int) -> dict[str, dict[str, Any]]:
    """A visit's content as it is stored: every section, ``{}`` for one never saved."""
    rows = s.exec(select(VisitSection).where(VisitSection.visit_id == visit_id)).all()
    content: dict[str, dict[str, Any]] = {sec.key.value: {} for sec in SECTIONS}
    for r in rows:
        content[r.section] = dict(r.data)
    return content
