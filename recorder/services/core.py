"""The service context: engine, policy and clock, one transaction per use case.

Every change goes through :meth:`Services.change`: the use case runs inside one write
transaction together with its audit event. If the use case refuses (raises a
:class:`ServiceError`), its writes are rolled back and only the refusal's audit event is
written, in a transaction of its own; then the error is raised for the caller to show.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Callable, Iterator, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from recorder.domain.policy import Policy
from recorder.domain.roles import Actor, Role, UnqualifiedKind
from recorder.domain.workflow import Decision
from recorder.services.errors import NotAllowed, NotFound, ServiceError
from recorder.store.models import Worker

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A stored timestamp as aware UTC (naive values are UTC by the store's convention)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass
class Op:
    """What a use case needs while it runs, and what its audit event will say."""

    session: Session
    actor_id: int | None
    entity_id: int | None = None
    detail: str = ""


@dataclass
class Services:
    engine: Engine
    policy: Policy = field(default_factory=Policy)
    clock: Callable[[], datetime] = utc_now
    hasher: object | None = None  # an accounts.Hasher; argon2 defaults when None

    def __post_init__(self) -> None:
        from recorder.services.changes import track_writes
        from recorder.store.engine import writer

        self._writer = writer(self.engine)
        track_writes(self.engine)  # so that writing() can tell other screens (changes.py)

    # -- time -------------------------------------------------------------
    def now(self) -> datetime:
        """Aware UTC now (the clock is injectable for tests)."""
        return self.clock()

    def now_local(self) -> datetime:
        """Naive wall-clock now in England, as a visit's date and time is entered.

        England's time, not the server's: a store on a UTC machine still turns the day at
        midnight in London, so ages and due dates are right in British Summer Time.
        """
        return self.clock().astimezone(london()).replace(tzinfo=None)

    def local_date(self, moment: datetime) -> date:
        """The date in England of an aware (or naive UTC) timestamp."""
        return as_utc(moment).astimezone(london()).date()

    def today(self) -> date:
        return self.now_local().date()

    # -- transactions -------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            yield s

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction (SQLite: BEGIN IMMEDIATE), committed on leaving; if it
        changed what screens show, the watchers are told as it commits (changes.py)."""
        from recorder.services.changes import announce

        with Session(self._writer, expire_on_commit=False) as s, s.begin():
            yield s
            s.flush()
            announce(s.connection())

    @contextmanager
    def viewing(self) -> Iterator[Session]:
        """One read-only transaction: a single snapshot that takes no write lock, so a
        person reading never holds up another terminal's autosave (SQLite: a deferred BEGIN
        with ``query_only`` on; PostgreSQL: ``READ ONLY``). A write inside it is an error."""
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            conn = s.connection()
            sqlite = conn.dialect.name == "sqlite"
            conn.exec_driver_sql(
                "PRAGMA query_only = ON" if sqlite else "SET TRANSACTION READ ONLY"
            )
            try:
                yield s
            finally:
                if sqlite:
                    try:
                        conn.exec_driver_sql("PRAGMA query_only = OFF")
                    except Exception:  # a broken connection never goes back to the pool
                        conn.invalidate()

    def change(
        self,
        actor_id: int | None,
        action: str,
        entity: str,
        entity_id: int | None,
        fn: Callable[[Op], T],
    ) -> T:
        """Run ``fn`` and its audit event in one write transaction. A view (an action
        named ``view_...``) reads in a read-only transaction instead and appends its audit
        event in a short write of its own afterwards (:meth:`view`)."""
        if action.startswith("view_"):
            return self.view(actor_id, action, entity, entity_id, fn)
        try:
            with self.writing() as s:
                op = Op(s, actor_id, entity_id)
                result = fn(op)
                s.flush()
                self.audit(s, op.actor_id, action, entity, op.entity_id, "ok", op.detail)
            return result
        except ServiceError as e:
            with self.writing() as s:
                self.audit(s, actor_id, action, entity, entity_id, "refused", e.audit_detail)
            raise

    def view(
        self,
        actor_id: int | None,
        action: str,
        entity: str,
        entity_id: int | None,
        fn: Callable[[Op], T],
    ) -> T:
        """Read with ``fn`` in a read-only transaction, then audit the view. What was read
        is returned only once its audit event is committed: a view that cannot be logged
        is not shown. A refusal is audited as in :meth:`change`."""
        try:
            with self.viewing() as s:
                op = Op(s, actor_id, entity_id)
                result = fn(op)
        except ServiceError as e:
            with self.writing() as s:
                self.audit(s, actor_id, action, entity, entity_id, "refused", e.audit_detail)
            raise
        with self.writing() as s:
            self.audit(s, op.actor_id, action, entity, op.entity_id, "ok", op.detail)
        return result

    def audit(self, s: Session, actor_id, action, entity, entity_id, outcome, detail) -> None:
        """Append an event to the hash-chained audit trail, in ``s``'s write transaction.

        The session's pending changes are flushed first and the change announced, so the
        chain's lock (PostgreSQL) is taken last and held only until commit: its holder never
        waits for another row lock, and makes one round trip before committing.
        """
        from recorder.services.changes import announce
        from recorder.store.audit_chain import append

        s.flush()
        # the other screens' signal before the chain's lock, not while it is held (writing()
        # announces again what the use case writes after its audit event)
        announce(s.connection())
        append(
            s.connection(),
            at=self.now(),
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            outcome=outcome,
            detail=detail or "",
        )

    # -- people ---------------------------------------------------------------
    def actor(self, s: Session, worker_id: int) -> Actor:
        w = s.get(Worker, worker_id)
        if w is None or not w.active:
            raise NotFound("That account does not exist or is no longer active.")
        return actor_of(w, s, today=self.today(), policy=self.policy)


def require(decision: Decision) -> None:
    """Raise :class:`NotAllowed` with the domain's reason when ``decision`` refuses."""
    if not decision:
        raise NotAllowed(decision.reason, audit_detail=decision.code)


@lru_cache(maxsize=1)
def london():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/London")


def actor_of(
    w: Worker,
    s: Session | None = None,
    *,
    today: date | None = None,
    policy: Policy | None = None,
) -> Actor:
    """The rules' view of an account; with a session, a service manager's teams too; with
    today and the policy, whether its registration check is current
    (``domain.roles.registration_problem``)."""
    teams: frozenset[int] = frozenset()
    if s is not None and w.role == Role.SERVICE_MANAGER.value:
        from sqlmodel import select

        from recorder.store.models import Team

        teams = frozenset(s.exec(select(Team.id).where(Team.service_manager_id == w.id)).all())
    return Actor(
        id=w.id,
        name=w.full_name,
        role=Role(w.role),
        team_id=w.team_id,
        registration_number=w.registration_number,
        registration_checked_on=w.registration_checked_on,
        unqualified_kind=UnqualifiedKind(w.unqualified_kind) if w.unqualified_kind else None,
        service_team_ids=teams,
        username=w.username,
        registration_problem=registration_problem_of(w, today, policy)
        if today is not None and policy is not None
        else "",
    )


def registration_problem_of(w: Worker, today: date, policy: Policy) -> str:
    """Why ``w``'s registration is unverified on ``today`` ("" while current)."""
    from recorder.domain.roles import registration_problem

    return registration_problem(
        Role(w.role),
        w.registration_number,
        w.registration_checked_on,
        today,
        renewal_month=policy.registration_renewal_month,
        renewal_day=policy.registration_renewal_day,
        recheck_months=policy.registration_recheck_months,
    )
