"""The life of a visit record and who may move it (DOMAIN.md, "The life of a visit record").

draft -> submitted -> [awaiting countersign -> countersigned] -> awaiting oversight -> signed off

"Submitted" and "countersigned" are moments, not places a record rests: submitting moves a
draft straight to awaiting countersign (unqualified author) or awaiting oversight, and a
countersign moves it on to awaiting oversight. A countersigner or manager may instead return
the record for changes: it goes back to draft with their comments, history kept.

Everything is denied unless a rule below allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from recorder.domain.policy import Policy
from recorder.domain.roles import MANAGER_ROLES, Actor, Role, unverified_refusal
from recorder.domain.sections import STATUTORY_VISIT_TYPES, VisitType


class VisitState(StrEnum):
    DRAFT = "draft"
    AWAITING_COUNTERSIGN = "awaiting_countersign"
    AWAITING_OVERSIGHT = "awaiting_oversight"
    SIGNED_OFF = "signed_off"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    VisitState.DRAFT: "Draft - not yet saved to the child's record",
    VisitState.AWAITING_COUNTERSIGN: "Awaiting qualified countersign",
    VisitState.AWAITING_OVERSIGHT: "Awaiting management oversight",
    VisitState.SIGNED_OFF: "Signed off - saved to the child's record",
}


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    COUNTERSIGN = "countersign"
    RETURN = "return"
    SIGN_OFF = "sign_off"
    VIEW = "view"


@dataclass(frozen=True)
class VisitFacts:
    """What the rules need to know about a visit and the people on it."""

    state: VisitState
    author_id: int
    author_role: Role
    author_needs_countersign: bool
    team_id: int | None
    countersigner_ids: frozenset[int] = frozenset()  # everyone who countersigned any round
    allocated_worker_id: int | None = None


@dataclass(frozen=True)
class Decision:
    """A rule's answer: allowed or not, the reason to show when not, and a short code for the
    audit trail (personal-data-free)."""

    allowed: bool
    reason: str = ""
    code: str = "denied"

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str, code: str = "denied") -> Decision:
    return Decision(False, reason, code)


def submitted_state(author_needs_countersign: bool) -> VisitState:
    """Where a complete record goes when its author submits it."""
    return (
        VisitState.AWAITING_COUNTERSIGN
        if author_needs_countersign
        else VisitState.AWAITING_OVERSIGHT
    )


NOT_ON_CASELOAD = "This child is not on your team's caseload."


def _on_caseload(actor: Actor, child_team_id: int | None, allocated_worker_id: int | None) -> bool:
    """The child is allocated to the actor, or belongs to the actor's team."""
    return actor.id == allocated_worker_id or (
        actor.team_id is not None and actor.team_id == child_team_id
    )


def in_reach(actor: Actor, child_team_id: int | None, allocated_worker_id: int | None) -> bool:
    """The one answer to "is this child within this person's reach": allocated to them, a
    child of their own team, or a child of a team they manage (a service manager's teams)."""
    if not actor.reads_cases:
        return False
    return _on_caseload(actor, child_team_id, allocated_worker_id) or actor.manages(child_team_id)


def may_read_child(
    actor: Actor, child_team_id: int | None, allocated_worker_id: int | None
) -> Decision:
    """May ``actor`` read a child's record (profile, visits, case notes)? The child's
    allocated worker, their team and the managers above it; never an administrator. The
    refusal is the same whether the child exists or not (ids are not a way to probe)."""
    if not actor.reads_cases:
        return deny("Administrators manage accounts and cannot read case records.")
    if in_reach(actor, child_team_id, allocated_worker_id):
        return ALLOW
    return deny(NOT_ON_CASELOAD)


@dataclass(frozen=True)
class Reach:
    """:func:`in_reach` as a set a query can use: the children allocated to ``worker_id``
    and every child of ``team_ids``. Nobody's (no worker, no team) for an administrator."""

    worker_id: int | None
    team_ids: frozenset[int]

    def covers(self, child_team_id: int | None, allocated_worker_id: int | None) -> bool:
        return (self.worker_id is not None and allocated_worker_id == self.worker_id) or (
            child_team_id is not None and child_team_id in self.team_ids
        )


def reach_of(actor: Actor) -> Reach:
    """Every child ``actor`` may read (:func:`may_read_child`), as search looks for them:
    ``reach_of(a).covers(t, w) == in_reach(a, t, w)`` for every team and worker."""
    if not actor.reads_cases:
        return Reach(None, frozenset())
    own = {actor.team_id} if actor.team_id is not None else set()
    return Reach(actor.id, frozenset(own | set(actor.managed_team_ids)))


def finds_whole_team(actor: Actor) -> bool:
    """Does find (and the command palette) look beyond the caseload to every child of the
    teams this person manages? Managers only: a worker finds the children allocated to them."""
    return bool(actor.managed_team_ids)


def may_see_caseload_of(actor: Actor, worker_id: int, worker_team_id: int | None) -> Decision:
    """A worker's caseload: their own, or a manager's for a worker of a team they manage."""
    if not actor.reads_cases:
        return deny("Administrators manage accounts and cannot read case records.")
    if actor.id == worker_id or actor.manages(worker_team_id):
        return ALLOW
    return deny("Only a manager of this worker's team can see their caseload.")


def may_start_visit(
    actor: Actor, child_team_id: int | None, allocated_worker_id: int | None
) -> Decision:
    if not actor.reads_cases:
        return deny("Administrators manage accounts and cannot read or write case records.")
    if _on_caseload(actor, child_team_id, allocated_worker_id):
        return ALLOW
    return deny("You can record visits only for children allocated to you or your team.")


def decide(action: Action, actor: Actor, visit: VisitFacts) -> Decision:
    """May ``actor`` take ``action`` on ``visit``? Deny by default, with a reason to show."""
    if not actor.reads_cases:
        return deny("Administrators manage accounts and cannot read or change case records.")
    same_team = actor.team_id is not None and actor.team_id == visit.team_id

    if action is Action.VIEW:
        if (
            actor.id == visit.author_id
            or same_team
            or actor.id == visit.allocated_worker_id
            or actor.manages(visit.team_id)
        ):
            return ALLOW
        return deny("This record belongs to another team.")

    if action in (Action.EDIT, Action.SUBMIT):
        if actor.id != visit.author_id:
            return deny("Only the worker who wrote this record can change or submit it.")
        if visit.state is not VisitState.DRAFT:
            return deny(f"This record is {visit.state.label.lower()}; only a draft can be changed.")
        return ALLOW

    if action is Action.COUNTERSIGN:
        if visit.state is not VisitState.AWAITING_COUNTERSIGN:
            return deny("This record is not waiting for a countersign.")
        return _may_countersign(actor, visit, same_team)

    if action is Action.SIGN_OFF:
        if visit.state is not VisitState.AWAITING_OVERSIGHT:
            return deny("This record is not waiting for management oversight.")
        return _may_sign_off(actor, visit, same_team)

    if action is Action.RETURN:
        if visit.state is VisitState.AWAITING_COUNTERSIGN:
            return _may_countersign(actor, visit, same_team)
        if visit.state is VisitState.AWAITING_OVERSIGHT:
            return _may_sign_off(actor, visit, same_team)
        return deny(
            "Only a record waiting for countersign or oversight can be returned for changes."
        )

    return deny("That action is not allowed.")


def _may_countersign(actor: Actor, visit: VisitFacts, same_team: bool) -> Decision:
    if actor.id == visit.author_id:
        return deny(
            "You cannot countersign your own record: another registered social worker must."
        )
    if actor.registration_problem:
        return deny(unverified_refusal(actor, "countersign"), "unverified")
    if not actor.is_registered:
        return deny(
            "Only a registered social worker or team manager can countersign. "
            "Students, trainees and staff awaiting registration cannot."
        )
    if not same_team and not actor.manages(visit.team_id):
        return deny("Only a registered worker in the author's team can countersign this record.")
    return ALLOW


def _may_sign_off(actor: Actor, visit: VisitFacts, same_team: bool) -> Decision:
    """A registered manager of the record's team (its team manager, or the service manager
    above the team), never on a record they wrote or countersigned. A team manager's own
    record goes to the service manager (or another team manager of the team, if there is
    one), so even a one-manager team's manager has someone to sign theirs off."""
    if not actor.is_manager:
        return deny("Only a registered team manager can sign off management oversight.")
    if actor.registration_problem:
        return deny(unverified_refusal(actor, "sign off management oversight"), "unverified")
    above = actor.role is Role.SERVICE_MANAGER
    if actor.id == visit.author_id:
        return deny(
            "You cannot sign off your own record: "
            + (
                "another service manager must."
                if above
                else "the service manager (or another team manager) must."
            )
        )
    if actor.id in visit.countersigner_ids:
        return deny("You countersigned this record, so another manager must sign it off.")
    if not actor.manages(visit.team_id):
        return deny("Only a manager of the author's team can sign off this record.")
    return ALLOW


def needs_service_manager(visit: VisitFacts) -> bool:
    """Is this a manager's own record, for the service manager above the team to sign off?"""
    return visit.author_role in MANAGER_ROLES


def escalation_due(oversight_due: date, policy: Policy) -> date:
    """The last day oversight may wait before it is escalated to the service manager: N
    working days (policy) after the oversight due date."""
    from recorder.domain.timescales import working_days_for

    wd = working_days_for(policy.bank_holiday_region)
    return wd.add_working_days(oversight_due, policy.oversight_escalate_after_working_days)


def is_escalated(oversight_due: date | None, today: date, policy: Policy) -> bool:
    """Overdue oversight is escalated once it is past :func:`escalation_due`."""
    return oversight_due is not None and today > escalation_due(oversight_due, policy)


def counts_as_statutory(
    visit_type: VisitType | str | None,
    author: Actor,
    joint_worker: Actor | None,
    *,
    child_seen: bool = True,
    joint_confirmed: bool = False,
) -> bool:
    """Does this visit count for the child's statutory visit timescale?

    A visit where the child was not seen never counts: the child's statutory visit stays
    due. A statutory visit by an unqualified worker counts only if a named registered
    social worker attended it jointly and confirmed that with their own signature
    ("Attended jointly", ``joint_confirmed``); otherwise it is recorded as non-statutory and
    the child's statutory visit stays due.
    """
    if not child_seen:
        return False
    if visit_type is None or VisitType(visit_type) not in STATUTORY_VISIT_TYPES:
        return False
    if not author.needs_countersign:
        return True
    return (
        joint_confirmed
        and joint_worker is not None
        and joint_worker.is_registered
        and joint_worker.id != author.id
    )


def may_confirm_joint_attendance(
    actor: Actor, joint_worker_id: int | None, state: VisitState, confirmed: bool
) -> Decision:
    """Only the worker named as the joint worker confirms, with their own signature, that
    they attended, while the record is with the countersigner or the manager (DOMAIN.md,
    "Who uses it": a statutory visit by an unqualified worker)."""
    if joint_worker_id is None or actor.id != joint_worker_id:
        return deny("Only the registered social worker named as attending jointly can confirm it.")
    if not actor.is_registered:
        return deny("Only a registered social worker can confirm attending a visit jointly.")
    if confirmed:
        return deny("You have already confirmed that you attended this visit.")
    if state not in (VisitState.AWAITING_COUNTERSIGN, VisitState.AWAITING_OVERSIGHT):
        return deny(
            "Attending jointly is confirmed while the record is awaiting countersign or "
            "oversight; this one is not."
        )
    return ALLOW


def queue_team_ids(actor: Actor) -> frozenset[int]:
    """The teams whose countersign and oversight queues this person sees: their own team,
    and every team they manage."""
    own = frozenset({actor.team_id}) if actor.team_id is not None else frozenset()
    return own | actor.managed_team_ids


def may_countersign_for_team(actor: Actor) -> Decision:
    """May ``actor`` see their team's countersign queue? Registered workers and managers."""
    if not actor.reads_cases:
        return deny("Administrators manage accounts and cannot read case records.")
    if not actor.is_registered and not actor.registration_problem:
        # (an unverified worker sees the queue; the countersign itself says what to fix)
        return deny(
            "Only a registered social worker or team manager can countersign. "
            "Students, trainees and staff awaiting registration cannot."
        )
    if not queue_team_ids(actor):
        return deny("You are not in a team, so there is no team queue to show.")
    return ALLOW


def may_oversee_team(actor: Actor) -> Decision:
    """May ``actor`` see the oversight queue and team view of the teams they manage?
    Registered team managers (their team) and service managers (the teams above which they
    stand)."""
    if not actor.reads_cases:
        return deny("Administrators manage accounts and cannot read case records.")
    if not actor.is_manager:
        return deny("Only a registered team manager can see the oversight queue and team view.")
    if not actor.managed_team_ids:
        return deny("You are not in a team, so there is no team to oversee.")
    return ALLOW


def may_add_case_note(actor: Actor, child_team_id: int | None) -> Decision:
    """A case-level oversight note: a registered manager of the child's team (its team
    manager or the service manager above it)."""
    if not actor.is_manager:
        return deny("Only a registered team manager can add a management oversight note.")
    if actor.registration_problem:
        return deny(unverified_refusal(actor, "add a management oversight note"), "unverified")
    if not actor.manages(child_team_id):
        return deny("Only a manager of the child's team can add an oversight note on this case.")
    return ALLOW


def may_add_addendum(actor: Actor, visit: VisitFacts) -> Decision:
    """An addendum to a signed-off record: its author, or a registered team manager of its
    team (DOMAIN.md: "Corrections are addenda")."""
    if not actor.reads_cases:
        return deny("Administrators cannot read or add to case records.")
    if visit.state is not VisitState.SIGNED_OFF:
        return deny(
            "Only a signed-off record takes an addendum; a record still in progress "
            "is changed in the draft, or returned for changes.",
            "not_signed_off",
        )
    if actor.id == visit.author_id:
        return ALLOW
    if actor.manages(visit.team_id):
        return ALLOW
    return deny(
        "Only the worker who wrote this record, or a manager of their team, can "
        "add an addendum to it."
    )


def may_see_addenda_queue(actor: Actor) -> Decision:
    """The addenda waiting for acknowledgement in the teams a registered manager manages."""
    if not actor.managed_team_ids:
        return deny("Only a registered team manager has addenda to acknowledge.")
    return ALLOW


def may_acknowledge_addendum(actor: Actor, team_id: int | None, author_id: int) -> Decision:
    """A registered manager of the record's team, never for their own addendum."""
    if not actor.is_manager:
        return deny("Only a registered team manager can acknowledge an addendum.")
    if actor.registration_problem:
        return deny(unverified_refusal(actor, "acknowledge an addendum"), "unverified")
    if not actor.manages(team_id):
        return deny("Only a manager of the record's team can acknowledge this addendum.")
    if actor.id == author_id:
        return deny(
            "You wrote this addendum, so another team manager must acknowledge it.", "own_addendum"
        )
    return ALLOW


def may_record_plan(actor: Actor, team_id: int | None) -> Decision:
    """Plans, placements and frequencies are recorded by an administrator or by a manager
    of the child's team (local practice: the business support or the manager who chaired or
    attended the conference enters what it decided)."""
    if actor.role is Role.ADMINISTRATOR or actor.manages(team_id):
        return ALLOW
    return deny(
        "Only an administrator or the child's team manager can record plans and placements."
    )


def may_hold_cases(actor: Actor, username: str, child_reference: str = "CHILD") -> Decision:
    """May ``actor`` hold a case (be the child's allocated worker)? Only a registered social
    worker or a manager (DOMAIN.md "Case holding"; the review: students and staff awaiting
    registration "cannot be holding the role of qualified social worker"). An unqualified
    worker is a named co-worker on a child whose holder is registered; the refusal says how."""
    if actor.role is Role.ADMINISTRATOR:
        return deny(f"'{username}' is an administrator and cannot hold cases.", "administrator")
    if actor.registration_problem:
        return deny(
            f"{actor.name}'s Social Work England registration is unverified "
            f"({actor.registration_problem}), so they cannot hold a case until an "
            f"administrator records a new check: recorder user check-registration {username} "
            "--on DATE",
            "unverified",
        )
    if not actor.is_registered:
        return deny(
            f"{actor.name} ({actor.role_label.lower()}) cannot hold a case: only a registered "
            "social worker or a manager can. Allocate the child to a registered worker "
            f"(recorder allocate {child_reference} USERNAME) and add {actor.name} as co-worker "
            f"(recorder child co-worker add {child_reference} {username}).",
            "unqualified_holder",
        )
    return ALLOW


def may_name_co_worker(actor: Actor, team_id: int | None) -> Decision:
    """Co-workers on a child are named and ended by an administrator or a manager of the
    child's team (as allocation is an administrator's, and the team manager answers for who
    works with the team's children)."""
    if actor.role is Role.ADMINISTRATOR or actor.manages(team_id):
        return ALLOW
    return deny("Only an administrator or the child's team manager can name or end co-workers.")


def may_record_carer(actor: Actor, team_id: int | None) -> Decision:
    """Parents and carers are recorded on the child's record like its other details: by an
    administrator or by a manager of the child's team."""
    if actor.role is Role.ADMINISTRATOR or actor.manages(team_id):
        return ALLOW
    return deny("Only an administrator or the child's team manager can record parents and carers.")


def may_discard_draft(actor: Actor, visit: VisitFacts, ever_submitted: bool) -> Decision:
    """May ``actor`` discard this draft (delete it, having been asked)? Only its author, only
    a draft, and only one never submitted: a record returned for changes has been read and
    signed by others, so it stays on the child's file to be corrected and submitted again."""
    edit = decide(Action.EDIT, actor, visit)
    if not edit:
        return edit
    if ever_submitted:
        return deny(
            "This record was submitted and returned for changes, so it is part of the child's "
            "file and cannot be discarded: change it and submit it again.",
            code="was_submitted",
        )
    return ALLOW
