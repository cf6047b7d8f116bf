"""A child's chronology (issue 13, item 4): the significant events of the child's story from
every record that holds one, newest first, and significant events added by hand.

Each kind of entry has one small source function, registered in :data:`SOURCES` under its
key in ``domain.chronology.KINDS``; a new kind (contacts, tracked actions) adds a function
with ``@source("contact")``. A source reads one child's rows by indexed columns (child_id,
or entity and entity_id on the audit trail) in one or two queries, and only signed records:
drafts never appear.

- ``chronology(svc, actor_id, child, kinds=None, since=None, until=None) -> Chronology``:
  ``child`` is an id or a reference; reading it is audited as a view ("view_chronology"); the child's team and the managers
  above it may, an administrator never (``domain.workflow.may_read_child``).
- ``add_significant_event(svc, actor_id, child_id, event, password) -> int``: signed by its
  author with their password asked again (``domain.signing.significant_event_payload``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Callable, Iterable

from sqlmodel import Session, col, select

from recorder.domain import chronology as rules
from recorder.domain.plans import PLACEMENT_TYPES, PLAN_KINDS
from recorder.domain.signing import SIGNIFICANT_EVENT_MEANING, significant_event_payload
from recorder.domain.text import clean, clean_line
from recorder.services.access import readable_child
from recorder.services.core import Op, Services, as_utc, require
from recorder.services.errors import InvalidInput
from recorder.store.models import (
    Addendum,
    AuditEvent,
    Child,
    ChildCoWorker,
    ChildPlan,
    OversightNote,
    Placement,
    SignificantEvent,
    Supervision,
    SupervisionCase,
    TrackedAction,
    Visit,
    VisitSection,
    Worker,
)

KINDS = rules.KINDS


@dataclass(frozen=True)
class Entry:
    """One line of the chronology. ``when`` is England's wall-clock time (a date-only record
    at midnight); ``source_kind`` and ``source_id`` name the record to open (a visit, a case
    note, a supervision, a plan, a placement, a significant event, or the child)."""

    when: datetime
    kind: str
    title: str
    summary: str
    who: str
    source_kind: str
    source_id: int

    @property
    def on(self) -> date:
        return self.when.date()

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Chronology:
    child_id: int
    reference: str
    child_name: str
    entries: tuple[Entry, ...]  # newest first
    may_add_event: bool


@dataclass(frozen=True)
class Context:
    """What a source reads with: the session, the child, worker names, England's time."""

    s: Session
    svc: Services
    child: Child
    names: dict[int, str]

    @property
    def child_id(self) -> int:
        return self.child.id

    def name(self, worker_id: int | None) -> str:
        return self.names.get(worker_id, "") if worker_id is not None else ""

    def local(self, moment: datetime) -> datetime:
        """A stored UTC timestamp as England's wall-clock time."""
        from recorder.services.core import london

        return as_utc(moment).astimezone(london()).replace(tzinfo=None)


Source = Callable[[Context], Iterable[Entry]]
SOURCES: dict[str, Source] = {}


def source(kind: str) -> Callable[[Source], Source]:
    """Register ``fn`` as the source of ``kind``'s entries (a key of ``KINDS``)."""

    def register(fn: Source) -> Source:
        assert kind in KINDS, kind
        SOURCES[kind] = fn
        return fn

    return register


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time.min)


# -- the sources ------------------------------------------------------------------------------


@source("visit")
def _visits(c: Context) -> Iterable[Entry]:
    from recorder.domain.sections import visit_type_words

    seen: dict[int, Any] = dict(
        c.s.exec(
            select(VisitSection.visit_id, VisitSection.data)
            .join(Visit, col(Visit.id) == VisitSection.visit_id)
            .where(Visit.child_id == c.child_id, Visit.state == "signed_off")
            .where(VisitSection.section == "seen")
        ).all()
    )
    rows = c.s.exec(
        select(
            col(Visit.id), col(Visit.visit_at), col(Visit.visit_type), col(Visit.author_id)
        ).where(Visit.child_id == c.child_id, Visit.state == "signed_off")
    ).all()
    for vid, at, kind, author in rows:
        data = seen.get(vid) or {}
        if at is None:  # a signed-off visit always has its date; said for the type checker
            continue
        yield Entry(
            at,
            "visit",
            visit_type_words(kind),
            rules.seen_words(data.get("child_seen"), data.get("seen_alone")),
            c.name(author),
            "visit",
            vid,
        )


def _notes(c: Context, on_visit: bool) -> Iterable[Entry]:
    import sqlalchemy as sa

    # the columns an entry shows, not the whole note (a busy child has hundreds)
    on = (
        col(OversightNote.visit_id).is_not(None)
        if on_visit
        else col(OversightNote.visit_id).is_(None)
    )
    q = sa.select(
        col(OversightNote.id),
        col(OversightNote.visit_id),
        col(OversightNote.manager_id),
        col(OversightNote.decision),
        col(OversightNote.created_at),
    ).where(col(OversightNote.child_id) == c.child_id, on)
    for nid, vid, manager, decision, at in c.s.execute(q).all():
        yield Entry(
            c.local(at),
            "oversight" if on_visit else "case_note",
            "Management oversight of a visit" if on_visit else "Case note (management oversight)",
            decision,
            c.name(manager),
            "visit" if on_visit else "case_note",
            (vid or 0) if on_visit else nid,
        )


@source("oversight")
def _oversight(c: Context) -> Iterable[Entry]:
    return _notes(c, on_visit=True)


@source("case_note")
def _case_notes(c: Context) -> Iterable[Entry]:
    return _notes(c, on_visit=False)


@source("supervision")
def _supervision(c: Context) -> Iterable[Entry]:
    q = (
        select(
            col(SupervisionCase.decision),
            col(Supervision.id),
            col(Supervision.held_on),
            col(Supervision.manager_id),
        )
        .join(Supervision, col(Supervision.id) == SupervisionCase.supervision_id)
        .where(SupervisionCase.child_id == c.child_id)
    )
    for decision, sid, held_on, manager in c.s.exec(q).all():
        yield Entry(
            _midnight(held_on),
            "supervision",
            "Discussed in supervision",
            decision,
            c.name(manager),
            "supervision",
            sid,
        )


@source("plan")
def _plans(c: Context) -> Iterable[Entry]:
    for p in c.s.exec(select(ChildPlan).where(ChildPlan.child_id == c.child_id)).all():
        label = PLAN_KINDS.get(p.plan_type, p.plan_type)
        who = c.name(p.recorded_by_id)
        yield Entry(_midnight(p.start_on), "plan", f"{label} plan started", "", who, "plan", p.id)
        if p.end_on is not None:
            yield Entry(_midnight(p.end_on), "plan", f"{label} plan ended", "", who, "plan", p.id)


@source("placement")
def _placements(c: Context) -> Iterable[Entry]:
    for p in c.s.exec(select(Placement).where(Placement.child_id == c.child_id)).all():
        label = PLACEMENT_TYPES.get(p.placement_type, p.placement_type)
        who = c.name(p.recorded_by_id)
        yield Entry(
            _midnight(p.start_on), "placement", "Placement began", label, who, "placement", p.id
        )
        if p.end_on is not None:
            yield Entry(
                _midnight(p.end_on), "placement", "Placement ended", label, who, "placement", p.id
            )


@source("allocation")
def _allocations(c: Context) -> Iterable[Entry]:
    """Allocation changes (the administrator's ``allocate``, its audit event naming the
    worker) and co-workers named and ended."""
    q = select(AuditEvent.at, AuditEvent.actor_id, AuditEvent.detail).where(
        AuditEvent.entity == "child",
        AuditEvent.entity_id == c.child_id,
        AuditEvent.action == "allocate",
        AuditEvent.outcome == "ok",
    )
    for at, actor, detail in c.s.exec(q).all():
        worker = _worker_in(detail)
        title = f"Allocated to {c.name(worker)}" if worker is not None else "Allocation changed"
        yield Entry(c.local(at), "allocation", title, "", c.name(actor), "child", c.child_id)
    rows = c.s.exec(select(ChildCoWorker).where(ChildCoWorker.child_id == c.child_id)).all()
    for r in rows:
        name = c.name(r.worker_id)
        yield Entry(
            _midnight(r.start_on),
            "allocation",
            f"{name} named co-worker",
            "",
            c.name(r.added_by_id),
            "child",
            c.child_id,
        )
        if r.end_on is not None:
            yield Entry(
                _midnight(r.end_on),
                "allocation",
                f"{name} no longer co-worker",
                "",
                c.name(r.ended_by_id),
                "child",
                c.child_id,
            )


def _worker_in(detail: str) -> int | None:
    for part in (detail or "").split():
        if part.startswith("worker=") and part[7:].isdigit():
            return int(part[7:])
    return None


@source("addendum")
def _addenda(c: Context) -> Iterable[Entry]:
    q = select(Addendum.visit_id, Addendum.author_id, Addendum.reason, Addendum.created_at).where(
        Addendum.child_id == c.child_id
    )
    for vid, author, reason, at in c.s.exec(q).all():
        yield Entry(
            c.local(at),
            "addendum",
            "Addendum to a visit record",
            reason,
            c.name(author),
            "visit",
            vid,
        )


@source("event")
def _events(c: Context) -> Iterable[Entry]:
    q = select(SignificantEvent).where(SignificantEvent.child_id == c.child_id)
    for e in c.s.exec(q).all():
        yield Entry(
            _midnight(e.occurred_on),
            "event",
            e.what,
            f"Source: {e.source}. Impact on the child: {e.impact}",
            c.name(e.author_id),
            "event",
            e.id,
        )


@source("contact")
def _contacts(c: Context) -> Iterable[Entry]:
    """Decided contacts with their one outcome, NFA and domestic-abuse notifications
    included (DOMAIN.md); one awaiting its decision is not yet part of the record."""
    import sqlalchemy as sa

    from recorder.domain.contacts import ContactKind, Outcome, source_name
    from recorder.store.models import Contact

    # the columns an entry shows, not ORM objects (a busy child has hundreds)
    q = sa.select(
        col(Contact.id),
        col(Contact.kind),
        col(Contact.source_code),
        col(Contact.outcome),
        col(Contact.concern),
        col(Contact.risk_level),
        col(Contact.children_present),
        col(Contact.reason),
        col(Contact.received_at),
        col(Contact.decided_by_id),
    ).where(col(Contact.child_id) == c.child_id, col(Contact.decided_at).is_not(None))
    da_kind = ContactKind.DOMESTIC_ABUSE.value
    labels = {o.value: o.label for o in Outcome}
    for cid, kind, code, outcome, concern, risk, present, reason, at, by in c.s.execute(q).all():
        da = kind == da_kind
        what = "Domestic-abuse notification" if da else f"Contact from {source_name(code)}"
        summary = concern
        if da:
            summary += f" Risk level: {risk}. Children present: {present}"
        yield Entry(
            at,
            "contact",
            f"{what}: {labels.get(outcome, '') if outcome else ''}",
            f"{summary} Reason for the decision: {reason}",
            c.name(by),
            "contact",
            cid,
        )


# -- reading ------------------------------------------------------------------------------------


@source("action")
def _actions(c: Context) -> Iterable[Entry]:
    """Tracked actions on the child (issue 13): when each was set, and when it was done."""
    import sqlalchemy as sa

    from recorder.domain.actions import SourceKind

    q = sa.select(
        col(TrackedAction.id),
        col(TrackedAction.source_kind),
        col(TrackedAction.what),
        col(TrackedAction.assignee_id),
        col(TrackedAction.assignee_text),
        col(TrackedAction.due_on),
        col(TrackedAction.visit_id),
        col(TrackedAction.created_by_id),
        col(TrackedAction.created_at),
        col(TrackedAction.done_at),
        col(TrackedAction.done_note),
        col(TrackedAction.done_by_id),
    ).where(col(TrackedAction.child_id) == c.child_id)
    labels = {k.value: k.label for k in SourceKind}
    for row in c.s.execute(q).all():
        aid, source_kind, what, assignee, assignee_text, due_on, visit_id = row[:7]
        created_by, created_at, done_at, done_note, done_by = row[7:]
        who = c.name(assignee) or assignee_text
        due = f", by {due_on.day} {due_on:%b %Y}" if due_on else ""
        opens = ("visit", visit_id) if visit_id is not None else ("action", aid)
        yield Entry(
            c.local(created_at),
            "action",
            f"{labels.get(source_kind, source_kind)}: {what}",
            f"For {who or 'no one named'}{due}.",
            c.name(created_by),
            *opens,
        )
        if done_at is not None:
            yield Entry(
                c.local(done_at),
                "action",
                f"Action done: {what}",
                done_note,
                c.name(done_by),
                *opens,
            )


def chronology(
    svc: Services,
    actor_id: int,
    child: int | str,
    kinds: Iterable[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Chronology:
    """The chronology of ``child`` (its id, or its reference), newest first, of ``kinds``
    (all when None) from ``since`` to ``until`` (inclusive). Audited as a view of the
    child's record."""
    wanted = list(KINDS) if kinds is None else list(dict.fromkeys(kinds))
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise InvalidInput(
            f"'{unknown[0]}' is not a kind of chronology entry. Use one of: " + ", ".join(KINDS)
        )
    if since and until and since > until:
        raise InvalidInput("The start of the date range is after its end.")

    def run(op: Op) -> Chronology:
        s = op.session
        actor = svc.actor(s, actor_id)
        c = readable_child(s, actor, _child_id(s, child))
        op.entity_id = c.id
        names: dict[int, str] = dict(s.exec(select(Worker.id, Worker.full_name)).all())
        ctx = Context(s, svc, c, names)
        out: list[Entry] = []
        for kind in wanted:
            fn = SOURCES.get(kind)
            if fn is None:
                continue
            for e in fn(ctx):
                if (since is None or e.on >= since) and (until is None or e.on <= until):
                    out.append(e)
        order = {k: i for i, k in enumerate(KINDS)}
        out.sort(key=lambda e: (e.when, order.get(e.kind, 99), e.source_id), reverse=True)
        may_add = bool(rules.may_add_significant_event(actor, c.team_id, c.allocated_worker_id))
        return Chronology(c.id, c.reference, c.full_name, tuple(out), may_add)

    entity = child if isinstance(child, int) else None
    return svc.change(actor_id, "view_chronology", "child", entity, run)


def _child_id(s: Session, child: int | str) -> int:
    """A child named by id (the screens) or by reference (the command line); 0 when there is
    no such reference, which ``readable_child`` refuses as it refuses a child not yours."""
    if isinstance(child, int):
        return child
    found = s.exec(select(Child.id).where(Child.reference == clean_line(child))).first()
    return found or 0


# -- a significant event added by hand ----------------------------------------------------------


def add_significant_event(
    svc: Services,
    actor_id: int,
    child_id: int,
    event: rules.SignificantEventInput,
    password: str,
) -> int:
    """Record a significant event on the child's chronology, signed by its author (password
    asked again); returns its id."""
    from recorder.services.accounts import check_password
    from recorder.services.queries import stored
    from recorder.services.signatures import sign

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        c = s.get(Child, child_id)
        require(
            rules.may_add_significant_event(
                actor, c.team_id if c else None, c.allocated_worker_id if c else None
            )
        )
        assert c is not None  # the rule never allows a child that is not there
        e = rules.SignificantEventInput(
            event.occurred_on,
            clean_line(event.what),
            clean_line(event.source),
            clean(event.impact or "").strip(),
        )
        problem = rules.event_problem(
            e, svc.today(), c.date_of_birth, svc.policy.long_text_max_chars
        )
        if problem:
            raise InvalidInput(problem, audit_detail="invalid")
        check_password(svc, s, actor_id, password)
        payload = significant_event_payload(
            c.id, actor_id, e.occurred_on.isoformat(), e.what, e.source, e.impact
        )
        sig = sign(
            svc, s, stored(s, Worker, actor_id), None, c.id, SIGNIFICANT_EVENT_MEANING, payload
        )
        row = SignificantEvent(
            child_id=c.id,
            team_id=c.team_id,
            occurred_on=e.occurred_on,
            what=e.what,
            source=e.source,
            impact=e.impact,
            author_id=actor_id,
            signature_id=sig.id,
            created_at=svc.now(),
        )
        s.add(row)
        s.flush()
        op.entity_id = c.id
        op.detail = f"event={row.id}"
        return row.id

    return svc.change(actor_id, "add_significant_event", "child", child_id, run)


def event_signature_payload(s: Session, sig: Any) -> tuple[Any, str]:
    """For ``recorder check``: what the significant event signed by ``sig`` signs
    (``signing.significant_event_payload``) and words naming it; (None, the problem) when its
    event is missing."""
    e = s.exec(select(SignificantEvent).where(SignificantEvent.signature_id == sig.id)).first()
    if e is None:
        return None, f"signature {sig.id} (significant event): its event is missing"
    payload = significant_event_payload(
        e.child_id, e.author_id, e.occurred_on.isoformat(), e.what, e.source, e.impact
    )
    return payload, f"significant event {e.id}"
