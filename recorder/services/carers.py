"""Parents and carers on a child's record (issue 12, defect 9; DOMAIN.md "Identity").

Each has a name, who they are to the child, their first language and whether they need an
interpreter, so a visit's interpreter section can ask about each one and an oversight can see
that "a mother who does not speak English" had one. Recorded like the child's other details, by
an administrator or a manager of the child's team (``domain.workflow.may_record_carer``); every
call is audited, refusals too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from recorder.domain.text import clean_line
from recorder.domain.workflow import may_record_carer
from recorder.services.core import Op, Services, require
from recorder.services.errors import InvalidInput, NotFound
from recorder.store.models import Carer, Child

__all__ = ["CarerInput", "CarerView", "add_carer", "carers_of"]


@dataclass(frozen=True)
class CarerInput:
    full_name: str
    relationship: str
    first_language: str = ""
    interpreter_needed: bool = False


@dataclass(frozen=True)
class CarerView:
    id: int
    name: str
    relationship: str
    first_language: str
    interpreter_needed: bool


def _check(ci: CarerInput) -> CarerInput:
    name, relationship = clean_line(ci.full_name), clean_line(ci.relationship)
    language = clean_line(ci.first_language)
    if not name or not relationship:
        raise InvalidInput("A parent or carer needs a name and who they are to the child.")
    if len(name) > 200 or len(relationship) > 100 or len(language) > 200:
        raise InvalidInput(
            "The name (200 characters), relationship (100) or language (200) is too long."
        )
    if ci.interpreter_needed and not language:
        raise InvalidInput(
            f"Say which language {name} speaks, so the interpreter booked speaks it."
        )
    return CarerInput(name, relationship, language, ci.interpreter_needed)


def add_carer(svc: Services, actor_id: int, child_reference: str, ci: CarerInput) -> int:
    """Add a parent or carer to a child's record; returns its id."""

    def run(op: Op) -> int:
        s = op.session
        ref = clean_line(child_reference)
        c = s.exec(select(Child).where(Child.reference == ref)).first()
        if c is None:
            raise NotFound(f"There is no child with reference '{ref}'.")
        op.entity_id = c.id
        require(may_record_carer(svc.actor(s, actor_id), c.team_id))
        good = _check(ci)
        row = Carer(
            child_id=c.id,
            full_name=good.full_name,
            relationship=good.relationship,
            first_language=good.first_language,
            interpreter_needed=good.interpreter_needed,
            recorded_by_id=actor_id,
            created_at=svc.now(),
        )
        s.add(row)
        s.flush()
        op.detail = f"carer={row.id}"
        return row.id

    return svc.change(actor_id, "add_carer", "child", None, run)


def carers_of(s: Session, child_id: int) -> tuple[CarerView, ...]:
    """A child's parents and carers, in the order they were recorded (a read model: the
    caller has checked who may read the child)."""
    rows = s.exec(select(Carer).where(Carer.child_id == child_id).order_by(col(Carer.id))).all()
    return tuple(
        CarerView(r.id, r.full_name, r.relationship, r.first_language, r.interpreter_needed)
        for r in rows
    )
