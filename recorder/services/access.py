"""Who is acting, as the services check it: the administrator gate and the child a reader
may open. The rules themselves are :mod:`recorder.domain.workflow`'s; these load the facts,
ask, and raise :class:`~recorder.services.errors.NotAllowed` with the domain's reason."""

from __future__ import annotations

from sqlmodel import Session

from recorder.domain.roles import Actor, Role
from recorder.domain.workflow import NOT_ON_CASELOAD, may_read_child
from recorder.services.core import Op, Services, require
from recorder.services.errors import NotAllowed
from recorder.store.models import Child


def require_admin(svc: Services, op: Op) -> Actor:
    """The signed-in administrator of ``op``, or NotAllowed."""
    if op.actor_id is None:
        raise NotAllowed("Sign in as an administrator first.")
    actor = svc.actor(op.session, op.actor_id)
    if actor.role is not Role.ADMINISTRATOR:
        raise NotAllowed("Only an administrator can manage accounts, teams and children.")
    return actor


def readable_child(s: Session, actor: Actor, child_id: int) -> Child:
    """The child ``actor`` may read (``domain.workflow.may_read_child``), or NotAllowed: the
    same refusal for "no such child" and "not yours", so ids are not a way to probe."""
    c = s.get(Child, child_id)
    require(may_read_child(actor, c.team_id if c else None, c.allocated_worker_id if c else None))
    if c is None:  # the rule never allows a child that is not there; said for the type checker
        raise NotAllowed(NOT_ON_CASELOAD)
    return c
