"""Countersign and management oversight: the queues, a record under review, the team view
and case-level oversight notes (DOMAIN.md, "Management oversight", "Signing").

Read models only, apart from :func:`add_case_note`. Countersigning, returning and signing
off a visit are :mod:`recorder.services.visits` (countersign, return_for_changes, sign_off);
every rule is asked of :mod:`recorder.domain`. Every read that shows case data is audited as a
view, as :func:`recorder.services.caseloads.child_view` and ``visits.load_visit`` are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session, col, select

from recorder.domain import plans, timescales
from recorder.domain.actions import SourceKind
from recorder.domain.alerts import AlertKind, alert_code
from recorder.domain.drafts import DraftKind
from recorder.domain.flags import Flag
from recorder.domain.oversight import OversightInput, validate_oversight
from recorder.domain.roles import COUNTERSIGN_BADGE, Actor, Role
from recorder.domain.sections import STATUTORY_VISIT_TYPES, VisitType
from recorder.domain.signing import case_note_payload, oversight_of
from recorder.domain.workflow import (
    NOT_ON_CASELOAD,
    Action,
    Decision,
    VisitFacts,
    VisitState,
    decide,
    is_escalated,
    may_add_case_note,
    may_countersign_for_team,
    may_oversee_team,
    needs_service_manager,
    queue_team_ids,
)
from recorder.services.access import readable_child
from recorder.services.accounts import check_password
from recorder.services.alerts import alerts_to_answer, answer_alerts
from recorder.services.core import Op, Services, actor_of, require
from recorder.services.directions import record_actions
from recorder.services.drafts import remove_in
from recorder.services.errors import InvalidInput, NotAllowed
from recorder.services.joint import joint_confirmed
from recorder.services.notes import NoteView, clean_note, note_row, notes_for_child
from recorder.services.queries import (
    VisitBatch,
    drift,
    get_visit,
    plan_records,
    stored,
    visit_batch,
    visit_facts,
)
from recorder.services.signatures import sign
from recorder.services.visits import (
    OVERSIGHT_MEANING,
    flags_for,
)
from recorder.store.models import Child, Countersign, Visit, Worker

__all__ = [
    "QueueRow",
    "countersign_queue",
    "oversight_queue",
    "Review",
    "review",
    "NoteView",
    "add_case_note",
    "case_notes",
    "notes_for_child",
    "COUNTERSIGN_BADGE",
]


def _label(visit_type: str | None) -> str:
    from recorder.domain.sections import field_spec

    if not visit_type:
        return "type not chosen"
    try:
        return field_spec("details", "visit_type").choice_label(visit_type)
    except (KeyError, ValueError):
        return visit_type


def _due_words(svc: Services, due: date | None) -> str:
    if due is None:
        return "no due date"
    wd = timescales.working_days_for(svc.policy.bank_holiday_region)
    return timescales.describe_due(due, svc.today(), wd)


# -- queues ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    """One record waiting for a countersign or for management oversight."""

    visit_id: int
    child_id: int
    child_name: str
    child_reference: str
    author_id: int
    author_name: str
    author_needs_countersign: bool  # show COUNTERSIGN_BADGE beside the name
    visit_at: datetime | None
    visit_type: str
    submitted_at: datetime | None
    due: date | None
    due_words: str  # "due in 3 working days", "overdue by 1 working day"
    overdue: bool
    flags: tuple[Flag, ...] = ()  # oversight queue only
    can_act: bool = True  # may this reader countersign / sign off this one?
    why_not: str = ""  # if not, why (e.g. "You countersigned this record ...")
    team_name: str = ""  # the record's team
    escalated: bool = False  # oversight overdue past the escalation point (policy)
    #: a manager's own record, for the service manager above the team to sign off
    manager_record: bool = False
    #: what a manager above the team needs to know, in words ("" when nothing)
    note: str = ""
    #: a statutory visit made after its due date: "made 3 working days late" (issue 12)
    made_late: str = ""
    #: the child not seen on their latest visits (issue 13, oversight queue only), in two
    #: short lines for the row ("not seen on 2 visits", "last seen 40 days ago"; "" when seen)
    not_seen: tuple[str, str] = ("", "")

    @property
    def due_said(self) -> str:
        """ "overdue by 3 working days, escalated": the due words, and the escalation."""
        return self.due_words + (", escalated" if self.escalated else "")


ESCALATED = "Oversight is overdue and has been escalated to the service manager."
MANAGER_RECORD = (
    "{name} is a team manager: their own record is signed off by the service manager "
    "(or another team manager of the team)."
)


def _row(
    s: Session,
    svc: Services,
    v: Visit,
    due: date | None,
    names: dict[int, Worker],
    teams: dict[int, str],
    *,
    flags: tuple[Flag, ...] = (),
    decision: Decision,
    facts: VisitFacts,
    batch: VisitBatch | None = None,
) -> QueueRow:
    child = stored(s, Child, v.child_id)
    author = names[v.author_id]
    today = svc.today()
    oversight = v.state == VisitState.AWAITING_OVERSIGHT.value
    escalated = oversight and is_escalated(due, today, svc.policy)
    manager_record = oversight and needs_service_manager(facts)
    drifted = None  # "made 3 working days late"
    if oversight:
        drifted = batch.drifts[v.id] if batch is not None else drift(svc, s, v)
    note = " ".join(
        n
        for n in (
            ESCALATED if escalated else "",
            MANAGER_RECORD.format(name=author.full_name) if manager_record else "",
        )
        if n
    )
    return QueueRow(
        v.id,
        v.child_id,
        child.full_name,
        child.reference,
        v.author_id,
        author.full_name,
        actor_of(author).needs_countersign,
        v.visit_at,
        _label(v.visit_type),
        v.submitted_at,
        due,
        _due_words(svc, due),
        due is not None and due < today,
        flags,
        bool(decision),
        decision.reason if not decision else "",
        teams.get(v.team_id or 0, ""),
        escalated,
        manager_record,
        note,
        drifted[0] if drifted else "",
    )


def _queue(svc: Services, op: Op, actor: Actor, state: VisitState) -> list[QueueRow]:
    """The records in ``state`` in every team whose queue ``actor`` sees (their own team and
    the teams they manage), with what they may do on each; soonest due first, and for a
    service manager the escalated and the team managers' own records before the rest."""
    from recorder.store.models import Team

    s = op.session
    team_ids = sorted(queue_team_ids(actor))
    op.entity_id = actor.team_id if actor.team_id is not None else team_ids[0]
    teams: dict[int, str] = dict(
        s.exec(select(Team.id, Team.name).where(col(Team.id).in_(team_ids))).all()
    )
    names = {w.id: w for w in s.exec(select(Worker).where(col(Worker.team_id).in_(team_ids)))}
    countersign = state is VisitState.AWAITING_COUNTERSIGN
    query = select(Visit).where(col(Visit.team_id).in_(team_ids), Visit.state == state.value)
    if countersign:
        query = query.where(Visit.author_id != actor.id)
    rows = []
    visits = s.exec(query).all()
    # the records' children, authors, countersigns, sections and drift in a few queries
    from recorder.domain.flags import FLAG_SECTIONS

    # the flags read two sections of each record: only those are read
    batch = visit_batch(
        svc, s, visits, content=not countersign, only=[k.value for k in FLAG_SECTIONS]
    )
    for v in visits:
        if v.author_id not in names:
            names[v.author_id] = stored(s, Worker, v.author_id)
        facts = visit_facts(s, v, batch)
        rows.append(
            _row(
                s,
                svc,
                v,
                v.countersign_due if countersign else v.oversight_due,
                names,
                teams,
                flags=() if countersign else tuple(flags_for(s, svc, v, batch)),
                decision=decide(
                    Action.COUNTERSIGN if countersign else Action.SIGN_OFF, actor, facts
                ),
                facts=facts,
                batch=batch,
            )
        )
    if not countersign:  # the child not seen on their latest visits (issue 13)
        from dataclasses import replace

        from recorder.domain.progress import not_seen_lines
        from recorder.services.not_seen import not_seen_of

        missed = not_seen_of(s, [r.child_id for r in rows])
        today = svc.today()
        rows = [
            replace(r, not_seen=not_seen_lines(missed[r.child_id], today))
            if r.child_id in missed
            else r
            for r in rows
        ]
    above = actor.role is Role.SERVICE_MANAGER
    rows.sort(
        key=lambda r: (
            above and not (r.escalated or r.manager_record),
            r.due is None,
            r.due or date.max,
            r.submitted_at or datetime.max,
            r.visit_id,
        )
    )
    op.detail = f"rows={len(rows)}"
    return rows


def countersign_queue(svc: Services, actor_id: int) -> list[QueueRow]:
    """The team's records awaiting a qualified countersign, soonest due first.

    Only registered social workers and managers see it, and never their own records; a
    service manager sees every team's they manage.
    """

    def run(op: Op) -> list[QueueRow]:
        actor = svc.actor(op.session, actor_id)
        require(may_countersign_for_team(actor))
        return _queue(svc, op, actor, VisitState.AWAITING_COUNTERSIGN)

    return svc.change(actor_id, "view_countersign_queue", "team", None, run)


def oversight_queue(svc: Services, actor_id: int) -> list[QueueRow]:
    """The records awaiting management oversight in the teams the reader manages, soonest due
    first, with their flags; escalated ones and team managers' own say so in words.

    A record this manager wrote or countersigned is listed with the reason they cannot sign
    it off (another manager must), so nothing waits unseen.
    """

    def run(op: Op) -> list[QueueRow]:
        actor = svc.actor(op.session, actor_id)
        require(may_oversee_team(actor))
        return _queue(svc, op, actor, VisitState.AWAITING_OVERSIGHT)

    return svc.change(actor_id, "view_oversight_queue", "team", None, run)


# -- one record under review -------------------------------------------------------------


@dataclass(frozen=True)
class CountersignView:
    signer_name: str
    signer_role: str
    signer_needs_countersign: bool
    comment: str
    at: datetime


@dataclass(frozen=True)
class Review:
    """What a countersigner or manager needs beside the record itself (``visits.load_visit``)."""

    visit_id: int
    state: VisitState
    version: int
    child_name: str
    child_reference: str
    author_name: str
    author_role: str
    author_needs_countersign: bool
    visit_type: str
    statutory_type: bool
    counts_as_statutory: bool
    joint_worker: str  # "Sam Social, social worker (SW200001)" or ""
    statutory_note: str  # the words the screen shows about statutory status, or ""
    due: date | None
    due_words: str
    flags: tuple[Flag, ...]
    countersigns: tuple[CountersignView, ...]
    may_countersign: Decision
    may_sign_off: Decision
    may_return: Decision
    comment_min_words: int
    analysis_min_words: int


NON_STATUTORY_NOTE = (
    "No registered social worker attended jointly: this visit will be saved as non-statutory; "
    "the child's statutory visit stays due."
)


def review(svc: Services, actor_id: int, visit_id: int) -> Review:
    """The facts a countersigner or manager reviews, and what this reader may do (audited)."""

    def run(op: Op) -> Review:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id)
        op.entity_id = v.id
        facts = visit_facts(s, v)
        require(decide(Action.VIEW, actor, facts))
        child = stored(s, Child, v.child_id)
        author = actor_of(stored(s, Worker, v.author_id))
        statutory = _is_statutory(v.visit_type)
        joint = ""
        if v.joint_worker_id:
            j = actor_of(stored(s, Worker, v.joint_worker_id))
            joint = f"{j.name}, {j.role_label.lower()}" + (
                f" ({j.registration_number})" if j.registration_number else ""
            )
        note = ""
        if statutory and author.needs_countersign:
            if v.counts_as_statutory:
                note = (
                    f"A registered social worker attended jointly ({joint}), confirmed with "
                    "their signature: this visit counts as statutory."
                )
            elif v.joint_worker_id and v.visit_type and not joint_confirmed(s, v):
                name = stored(s, Worker, v.joint_worker_id).full_name
                note = (
                    f"Attended jointly by {joint}: awaiting confirmation by {name}. Until "
                    "they confirm it with their signature this visit does not count as "
                    "statutory."
                )
            else:
                note = NON_STATUTORY_NOTE
        if statutory and v.visit_at is not None:
            plan_list, _ = plan_records(s, [child])[child.id]
            plan = plans.in_force(plan_list, v.visit_at.date())
            other = plans.mismatch_note(plan, v.visit_type, _label(v.visit_type))
            note = f"{note} {other}".strip()
        cs = []
        for c in s.exec(
            select(Countersign).where(Countersign.visit_id == v.id).order_by(col(Countersign.id))
        ):
            w = actor_of(stored(s, Worker, c.worker_id))
            cs.append(
                CountersignView(w.name, w.role_label, w.needs_countersign, c.comment, c.created_at)
            )
        state = VisitState(v.state)
        due = v.countersign_due if state is VisitState.AWAITING_COUNTERSIGN else v.oversight_due
        flags = tuple(flags_for(s, svc, v)) if state is not VisitState.DRAFT else ()
        return Review(
            v.id,
            state,
            v.version,
            child.full_name,
            child.reference,
            author.name,
            author.role_label,
            author.needs_countersign,
            _label(v.visit_type),
            statutory,
            v.counts_as_statutory,
            joint,
            note,
            due,
            _due_words(svc, due)
            if state in (VisitState.AWAITING_COUNTERSIGN, VisitState.AWAITING_OVERSIGHT)
            else "",
            flags,
            tuple(cs),
            decide(Action.COUNTERSIGN, actor, facts),
            decide(Action.SIGN_OFF, actor, facts),
            decide(Action.RETURN, actor, facts),
            svc.policy.countersign_comment_min_words,
            svc.policy.oversight_analysis_min_words,
        )

    return svc.change(actor_id, "view_review", "visit", visit_id, run)


def _is_statutory(visit_type: str | None) -> bool:
    if not visit_type:
        return False
    try:
        return VisitType(visit_type) in STATUTORY_VISIT_TYPES
    except ValueError:
        return False


# -- case-level oversight notes ----------------------------------------------------------------


def add_case_note(
    svc: Services, actor_id: int, child_id: int, note: OversightInput, password: str
) -> int:
    """A manager's oversight note on a child's case, between supervisions: the same headings
    and a signature over exactly the note (``visit_id`` empty). Returns the note's id."""

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        child = s.get(Child, child_id)
        if child is None or not actor.reads_cases:
            raise NotAllowed(NOT_ON_CASELOAD, audit_detail="denied")
        op.entity_id = child.id
        require(may_add_case_note(actor, child.team_id))
        cleaned = clean_note(note, svc)
        # every open alert on the child this manager may answer is answered in the note
        alerts = alerts_to_answer(s, actor, child)
        codes = [alert_code(a.id) for a in alerts]
        cleaned = replace(
            cleaned,
            flag_responses={k: v for k, v in cleaned.flag_responses.items() if k in codes},
        )
        problems = validate_oversight(cleaned, codes, svc.policy.oversight_analysis_min_words)
        if problems:
            labels = dict(_heading_labels())
            labels.update((f"flag:{alert_code(a.id)}", AlertKind(a.kind).label) for a in alerts)
            lines = [f"{labels.get(p.heading, p.heading)}: {p.message}" for p in problems]
            raise InvalidInput(
                "The oversight note is not complete:\n" + "\n".join(lines),
                audit_detail="oversight_incomplete",
            )
        check_password(svc, s, actor_id, password)
        signer = stored(s, Worker, actor_id)
        sig = sign(
            svc,
            s,
            signer,
            None,
            child.id,
            OVERSIGHT_MEANING,
            case_note_payload(child.id, oversight_of(cleaned)),
        )
        row = note_row(cleaned, child.id, None, actor_id, sig.id, svc.now())
        s.add(row)
        remove_in(s, actor_id, (DraftKind.CASE_NOTE,), child.id)
        s.flush()
        answer_alerts(svc, s, alerts, row.id)
        record_actions(
            svc,
            s,
            kind=SourceKind.OVERSIGHT,
            source_id=row.id,
            created_by=actor_id,
            child=child,
            actions=cleaned.actions,
        )
        return row.id

    return svc.change(actor_id, "add_case_note", "child", child_id, run)


def _heading_labels():
    from recorder.domain.oversight import HEADINGS

    return HEADINGS


def case_notes(
    svc: Services, actor_id: int, child_id: int, *, visit_id: int | None = None
) -> list[NoteView]:
    """A child's oversight notes (or one visit's), for anyone who may read the child (audited)."""

    def run(op: Op) -> list[NoteView]:
        s = op.session
        c = readable_child(s, svc.actor(s, actor_id), child_id)
        op.entity_id = c.id
        return notes_for_child(s, c.id, visit_id=visit_id)

    return svc.change(actor_id, "view_oversight_notes", "child", child_id, run)
