"""Tables. Timestamps are timezone-aware UTC; a visit's own date and time is local wall-clock time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Team(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    name: str = Field(index=True, unique=True, max_length=200)
    created_at: datetime
    # the service manager above the team (migration 0006); a team has at most one, and one
    # service manager may stand above several teams. use_alter: team and worker point at
    # each other, so the constraint is made after both tables.
    service_manager_id: Optional[int] = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("worker.id", use_alter=True, name="fk_team_service_manager_id"),
            index=True,
            nullable=True,
        ),
    )


class Worker(SQLModel, table=True):
    """An account: social worker, unqualified worker, team manager or administrator."""

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    username: str = Field(index=True, unique=True, max_length=100)
    full_name: str = Field(max_length=200)
    role: str = Field(max_length=30)
    unqualified_kind: Optional[str] = Field(default=None, max_length=30)
    registration_number: Optional[str] = Field(default=None, max_length=20)
    registration_checked_on: Optional[date] = None
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)
    password_hash: str = Field(max_length=200)
    failed_signins: int = 0
    signin_blocked_until: Optional[datetime] = None
    locked: bool = False
    active: bool = True
    created_at: datetime
    # in the Assessed and Supported Year in Employment: sets the supervision frequency
    asye: bool = False
    asye_start: Optional[date] = None


class Child(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    reference: str = Field(index=True, unique=True, max_length=50)
    full_name: str = Field(index=True, max_length=200)
    date_of_birth: date
    ethnicity: str = Field(default="", max_length=200)
    religion: str = Field(default="", max_length=200)
    first_language: str = Field(default="", max_length=200)
    interpreter_needed: bool = False
    # the CIN census codes (recorder.domain.identity, migration 0011): ethnicity one code,
    # disability codes separated by commas; "" when not recorded. The *_note columns keep
    # free text from before the codes that matched none ("not yet coded": no data lost).
    disability: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    ethnicity_note: str = Field(default="", max_length=200)
    disability_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    sex: str = Field(default="", max_length=1)
    gender_identity: str = Field(default="", max_length=200)
    communication_needs: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    plan_type: str = Field(default="none", max_length=30)
    plan_start: Optional[date] = None
    placement_long_term: bool = False
    plan_risks: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)
    allocated_worker_id: Optional[int] = Field(default=None, foreign_key="worker.id", index=True)
    created_at: datetime


class Carer(SQLModel, table=True):
    """A parent or carer on a child's record, with the language they speak and whether they
    need an interpreter (DOMAIN.md "Identity": "a mother who does not speak English")."""

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    child_id: int = Field(foreign_key="child.id", index=True)
    full_name: str = Field(max_length=200)
    relationship: str = Field(max_length=100)
    first_language: str = Field(default="", max_length=200)
    interpreter_needed: bool = False
    recorded_by_id: Optional[int] = Field(default=None, foreign_key="worker.id")
    created_at: datetime


class Visit(SQLModel, table=True):
    __table_args__ = (Index("ix_visit_child_state", "child_id", "state"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    child_id: int = Field(foreign_key="child.id", index=True)
    author_id: int = Field(foreign_key="worker.id", index=True)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)
    state: str = Field(default="draft", max_length=30, index=True)
    version: int = 1
    visit_type: Optional[str] = Field(default=None, max_length=30)
    # the visit's local wall-clock date and time, as the worker entered it
    visit_at: Optional[datetime] = Field(default=None, sa_column=Column(DateTime(timezone=False)))
    joint_worker_id: Optional[int] = Field(default=None, foreign_key="worker.id")
    counts_as_statutory: bool = False
    query_reasons: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime
    updated_at: datetime
    submitted_at: Optional[datetime] = None
    first_submitted_at: Optional[datetime] = None
    countersign_due: Optional[date] = None
    oversight_due: Optional[date] = None
    signed_off_at: Optional[datetime] = None


class VisitSection(SQLModel, table=True):
    __tablename__ = "visit_section"
    __table_args__ = (UniqueConstraint("visit_id", "section"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    visit_id: int = Field(foreign_key="visit.id", index=True)
    section: str = Field(max_length=30)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime


class Signature(SQLModel, table=True):
    """A signature: who, in what capacity, when, what it means and a hash of what was signed."""

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    visit_id: Optional[int] = Field(default=None, foreign_key="visit.id", index=True)
    child_id: Optional[int] = Field(default=None, foreign_key="child.id", index=True)
    signer_id: int = Field(foreign_key="worker.id")
    signer_name: str = Field(max_length=200)
    signer_role: str = Field(max_length=60)
    registration_number: Optional[str] = Field(default=None, max_length=20)
    signed_at: datetime
    meaning: str = Field(max_length=60)
    content_sha256: str = Field(max_length=64)


class Countersign(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    visit_id: int = Field(foreign_key="visit.id", index=True)
    worker_id: int = Field(foreign_key="worker.id")
    comment: str = Field(sa_column=Column(Text, nullable=False))
    signature_id: int = Field(foreign_key="signature.id")
    created_at: datetime


class OversightNote(SQLModel, table=True):
    """Management oversight: on a visit, or on a child's case between supervisions."""

    __tablename__ = "oversight_note"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    child_id: int = Field(foreign_key="child.id", index=True)
    visit_id: Optional[int] = Field(default=None, foreign_key="visit.id", index=True)
    manager_id: int = Field(foreign_key="worker.id")
    decision: str = Field(sa_column=Column(Text, nullable=False))
    analysis: str = Field(sa_column=Column(Text, nullable=False))
    risk: str = Field(sa_column=Column(Text, nullable=False))
    actions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    timeframe: str = Field(sa_column=Column(Text, nullable=False))
    child_voice: str = Field(sa_column=Column(Text, nullable=False))
    flag_responses: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    signature_id: int = Field(foreign_key="signature.id")
    created_at: datetime


class ReturnComment(SQLModel, table=True):
    """A record sent back for changes by a countersigner or manager."""

    __tablename__ = "return_comment"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    visit_id: int = Field(foreign_key="visit.id", index=True)
    worker_id: int = Field(foreign_key="worker.id")
    from_state: str = Field(max_length=30)
    comment: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime


class AuditEvent(SQLModel, table=True):
    """Who did what to which record, when, and whether it was allowed. Never case text.

    Append-only (database triggers refuse UPDATE and DELETE) and hash-chained: write it
    only through ``recorder.store.audit_chain.append`` (``Services.audit`` does).
    """

    __tablename__ = "audit_event"
    # a record's events (the chronology reads a child's allocation changes; migration 0014)
    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_id"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    at: datetime = Field(index=True)
    actor_id: Optional[int] = Field(default=None, foreign_key="worker.id", index=True)
    action: str = Field(max_length=60)
    entity: str = Field(max_length=30)
    entity_id: Optional[int] = None
    outcome: str = Field(max_length=10)
    detail: str = Field(default="", max_length=500)
    # the hash chain (see recorder.store.audit_chain): the previous event's hash and this one's
    # (prev_sha256 is unique: two events can never follow the same one, so the chain cannot fork)
    prev_sha256: str = Field(max_length=64, unique=True)
    sha256: str = Field(max_length=64)


class Addendum(SQLModel, table=True):
    """A correction or addition to a signed-off visit, signed by its author; the original is
    never changed. Rows are never updated: acknowledgement is a row of its own."""

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    visit_id: int = Field(foreign_key="visit.id", index=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)
    author_id: int = Field(foreign_key="worker.id")
    reason: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    signature_id: int = Field(foreign_key="signature.id")
    created_at: datetime


class AddendumAck(SQLModel, table=True):
    """A team manager's signed acknowledgement of an addendum (one per addendum)."""

    __tablename__ = "addendum_ack"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    addendum_id: int = Field(foreign_key="addendum.id", unique=True)
    manager_id: int = Field(foreign_key="worker.id")
    signature_id: int = Field(foreign_key="signature.id")
    created_at: datetime


class FormDraft(SQLModel, table=True):
    """What someone has typed into a form that is not signed yet (an oversight note, a
    countersign comment, return comments, an addendum): saved as they type, private to its
    writer, removed when the form is signed. Not a signed record: rows change and go."""

    __tablename__ = "form_draft"
    __table_args__ = (UniqueConstraint("kind", "writer_id", "subject"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    kind: str = Field(max_length=30)
    writer_id: int = Field(foreign_key="worker.id", index=True)
    # what the form is about, as one key ("visit:12", "child:3"), and the same as columns
    subject: str = Field(max_length=60)
    visit_id: Optional[int] = Field(default=None, foreign_key="visit.id", index=True)
    child_id: Optional[int] = Field(default=None, foreign_key="child.id", index=True)
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = 1
    updated_at: datetime


class TrackedAction(SQLModel, table=True):
    """A direction or action given to someone (DOMAIN.md "Actions"): from a countersign, a
    return for changes, an oversight note or a supervision case discussion. Written when its
    source is signed; open until marked done (who, when, a note). Only the done columns ever
    change, once; rows are never deleted (triggers on both backends)."""

    __tablename__ = "tracked_action"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    source_kind: str = Field(max_length=30)  # countersign | return | oversight | supervision
    source_id: Optional[int] = None  # the countersign, return, note or case discussion row
    child_id: Optional[int] = Field(default=None, foreign_key="child.id", index=True)
    visit_id: Optional[int] = Field(default=None, foreign_key="visit.id", index=True)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)
    assignee_id: Optional[int] = Field(default=None, foreign_key="worker.id", index=True)
    assignee_text: str = Field(default="", max_length=200)  # "who", as written
    what: str = Field(sa_column=Column(Text, nullable=False))
    due_text: str = Field(default="", max_length=200)  # "by when", as written
    due_on: Optional[date] = None
    created_by_id: int = Field(foreign_key="worker.id")
    created_at: datetime
    done_by_id: Optional[int] = Field(default=None, foreign_key="worker.id")
    done_at: Optional[datetime] = None
    done_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Supervision(SQLModel, table=True):
    """A signed supervision record (DOMAIN.md "Supervision"): the manager's and the worker's.
    Append-only: it never changes once signed."""

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    worker_id: int = Field(foreign_key="worker.id", index=True)  # the worker supervised
    manager_id: int = Field(foreign_key="worker.id")
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)
    held_on: date
    attended: str = Field(sa_column=Column(Text, nullable=False))
    wellbeing: str = Field(sa_column=Column(Text, nullable=False))
    workload: str = Field(sa_column=Column(Text, nullable=False))
    learning: str = Field(sa_column=Column(Text, nullable=False))
    signature_id: int = Field(foreign_key="signature.id")
    created_at: datetime


class SupervisionCase(SQLModel, table=True):
    """One child discussed in a supervision: the decision, the actions (what, who, by when)
    and how the child's voice was considered. Append-only."""

    __tablename__ = "supervision_case"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    supervision_id: int = Field(foreign_key="supervision.id", index=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    decision: str = Field(sa_column=Column(Text, nullable=False))
    actions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    child_voice: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime


class ChildPlan(SQLModel, table=True):
    """A child's plan (DOMAIN.md "Plans and placements"): child protection, child in need,
    looked after or private fostering, in force from ``start_on`` to ``end_on`` (inclusive;
    None while open). History is kept: a new plan ends the one before it, nothing is deleted.
    ``child.plan_type`` and ``child.plan_start`` repeat the plan in force (kept in step)."""

    __tablename__ = "child_plan"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    child_id: int = Field(foreign_key="child.id", index=True)
    plan_type: str = Field(max_length=30)
    start_on: date
    end_on: Optional[date] = None
    # private fostering: the day the council was notified of (became aware of) the arrangement
    notified_on: Optional[date] = None
    recorded_by_id: Optional[int] = Field(default=None, foreign_key="worker.id")
    created_at: datetime


class PlanFrequency(SQLModel, table=True):
    """What a conference or review set for a plan, from ``set_on``: visit every N working days
    and seen alone every N (None: the policy's default), and who set it. Append-only: a later
    conference adds a row."""

    __tablename__ = "plan_frequency"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    plan_id: int = Field(foreign_key="child_plan.id", index=True)
    set_on: date
    visit_every_working_days: Optional[int] = None
    seen_alone_every_working_days: Optional[int] = None
    set_by: str = Field(default="", max_length=200)
    recorded_by_id: Optional[int] = Field(default=None, foreign_key="worker.id")
    created_at: datetime


class Placement(SQLModel, table=True):
    """A looked-after child's placement: its type (``domain.plans.PLACEMENT_TYPES``), start
    and end (inclusive; None while open) and the first review after it began. Each start
    restarts reg 28's first-week rule. History is kept."""

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    child_id: int = Field(foreign_key="child.id", index=True)
    plan_id: int = Field(foreign_key="child_plan.id", index=True)
    placement_type: str = Field(max_length=40)
    start_on: date
    end_on: Optional[date] = None
    first_review_on: Optional[date] = None
    recorded_by_id: Optional[int] = Field(default=None, foreign_key="worker.id")
    created_at: datetime


class ChildCoWorker(SQLModel, table=True):
    """A named co-worker on a child (DOMAIN.md "Case holding"): a student, trainee or worker
    awaiting registration works on the child with a registered case holder. In force from
    ``start_on`` to ``end_on`` (inclusive; None while open). History is kept: ending sets
    ``end_on`` once, rows are never deleted (triggers on both backends)."""

    __tablename__ = "child_co_worker"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    child_id: int = Field(foreign_key="child.id", index=True)
    worker_id: int = Field(foreign_key="worker.id", index=True)
    start_on: date
    end_on: Optional[date] = None
    added_by_id: Optional[int] = Field(default=None, foreign_key="worker.id")
    ended_by_id: Optional[int] = Field(default=None, foreign_key="worker.id")
    created_at: datetime


class SignificantEvent(SQLModel, table=True):
    """A significant event added by hand to a child's chronology (DOMAIN.md "Contacts,
    referrals and the chronology"): when it happened, what happened, where the information
    came from and its impact on the child, signed by its author. Append-only (migration
    0014's triggers): a correction is a new event."""

    __tablename__ = "significant_event"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    child_id: int = Field(foreign_key="child.id", index=True)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)
    occurred_on: date
    what: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(max_length=200)
    impact: str = Field(sa_column=Column(Text, nullable=False))
    author_id: int = Field(foreign_key="worker.id")
    signature_id: int = Field(foreign_key="signature.id")
    created_at: datetime


class UpgradeNotice(SQLModel, table=True):
    """Something an upgrade changed that a person must be told once (migration 0010: each
    child moved from an unqualified holder to the team manager). ``shown_at`` is set when
    ``recorder`` has printed it; it is then never printed again."""

    __tablename__ = "upgrade_notice"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    revision: str = Field(max_length=20)
    message: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    shown_at: Optional[datetime] = None


class Contact(SQLModel, table=True):
    """A contact about a child (DOMAIN.md "Contacts, referrals and the chronology"), a police
    domestic-abuse notification among them: recorded by a worker, then decided by a manager
    with exactly one outcome and the reason, signed. Once decided only ``referrer_told_on``
    is ever set, once; rows are never deleted (triggers on both backends, migration 0013)."""

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    child_id: int = Field(foreign_key="child.id", index=True)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)
    kind: str = Field(default="contact", max_length=20)  # contact | domestic_abuse
    # local wall-clock time, as a visit's time is entered
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=False), nullable=False))
    source_code: str = Field(max_length=4)  # the CIN census referral source code
    referrer: str = Field(max_length=200)
    concern: str = Field(sa_column=Column(Text, nullable=False))
    checked: str = Field(sa_column=Column(Text, nullable=False))
    # one notification about a household: every child's contact carries the first one's id
    household_id: Optional[int] = Field(default=None, index=True)
    incident_date: Optional[date] = None
    risk_level: str = Field(default="", max_length=20)
    children_present: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    recorded_by_id: int = Field(foreign_key="worker.id")
    created_at: datetime
    outcome: Optional[str] = Field(default=None, max_length=20)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    decided_by_id: Optional[int] = Field(default=None, foreign_key="worker.id")
    decided_at: Optional[datetime] = None
    signature_id: Optional[int] = Field(default=None, foreign_key="signature.id")
    referrer_told_on: Optional[date] = None


class ContactAddendum(SQLModel, table=True):
    """A correction or addition to a decided contact, signed by its author; the contact is
    never changed. Append-only."""

    __tablename__ = "contact_addendum"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    contact_id: int = Field(foreign_key="contact.id", index=True)
    author_id: int = Field(foreign_key="worker.id")
    reason: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    signature_id: int = Field(foreign_key="signature.id")
    created_at: datetime


class ChildAlert(SQLModel, table=True):
    """An alert on a child for a manager to answer in a case-level oversight note
    (``recorder.domain.alerts``). Raised once per child, kind and key; never deleted; only
    ``answered_by_note_id`` and ``answered_at`` change, once (triggers on both backends)."""

    __tablename__ = "child_alert"
    __table_args__ = (UniqueConstraint("child_id", "kind", "key"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    child_id: int = Field(foreign_key="child.id", index=True)
    kind: str = Field(max_length=40)
    key: str = Field(max_length=100)  # what makes raising it again a no-op
    raised_on: date
    raised_at: datetime
    for_role: str = Field(max_length=30)  # team_manager | service_manager
    details: str = Field(sa_column=Column(Text, nullable=False))  # in words, no case text
    answered_by_note_id: Optional[int] = Field(
        default=None, foreign_key="oversight_note.id", index=True
    )
    answered_at: Optional[datetime] = None


ALL_TABLES = (
    Team,
    Worker,
    Child,
    Visit,
    VisitSection,
    Signature,
    Countersign,
    OversightNote,
    ReturnComment,
    AuditEvent,
    Addendum,
    AddendumAck,
    FormDraft,
    TrackedAction,
    Supervision,
    SupervisionCase,
    ChildPlan,
    PlanFrequency,
    Placement,
    ChildCoWorker,
    SignificantEvent,
    UpgradeNotice,
    Contact,
    ContactAddendum,
    ChildAlert,
)
