"""Alerts on a child: something a manager must answer in an oversight note (DOMAIN.md, "A
child not seen", "Contacts, referrals and the chronology").

An alert is raised by a rule (a failed visit, a child not seen for weeks, the third
domestic-abuse notification in twelve months), once per child, kind and key (the key makes
raising it again a no-op: the visit's id, the notification's id, the week it was crossed). It
is for a team manager (of the child's team) or a service manager (above it), and it stays open
until that person answers it in a case-level oversight note: the note's still-to-do list asks
one answer per open alert, as a visit's note asks one per flag (``domain.flags``). The answer
is in the signed note; the alert then records which note answered it and when.

This module is pure: the kinds and their words, who an alert is for and who may answer it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from recorder.domain.roles import Actor, Role, unverified_refusal
from recorder.domain.workflow import ALLOW, Decision, deny

__all__ = [
    "AlertKind",
    "ForRole",
    "Alert",
    "ALERT_CODE_PREFIX",
    "alert_code",
    "alert_id_of",
    "may_answer_alert",
    "may_see_alerts",
    "answerable",
]


class ForRole(StrEnum):
    """Who answers an alert."""

    TEAM_MANAGER = "team_manager"
    SERVICE_MANAGER = "service_manager"

    @property
    def label(self) -> str:
        return {
            ForRole.TEAM_MANAGER: "the team manager",
            ForRole.SERVICE_MANAGER: "the service manager",
        }[self]


class AlertKind(StrEnum):
    #: a visit where the child was not seen (the first step of the ladder)
    CHILD_NOT_SEEN = "child_not_seen"
    #: the child has not been seen by their social worker for N weeks (policy)
    NOT_SEEN_FOR_WEEKS = "not_seen_for_weeks"
    #: N domestic-abuse notifications in M months, even when each was NFA (policy)
    DOMESTIC_ABUSE = "domestic_abuse"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def for_role(self) -> ForRole:
        """Who answers it unless the rule that raises it says otherwise."""
        return DEFAULT_FOR[self]


LABELS = {
    AlertKind.CHILD_NOT_SEEN: "Child not seen on a visit",
    AlertKind.NOT_SEEN_FOR_WEEKS: "Child not seen by their social worker for weeks",
    AlertKind.DOMESTIC_ABUSE: "Repeated domestic-abuse notifications",
}
DEFAULT_FOR = {
    AlertKind.CHILD_NOT_SEEN: ForRole.TEAM_MANAGER,
    AlertKind.NOT_SEEN_FOR_WEEKS: ForRole.SERVICE_MANAGER,
    AlertKind.DOMESTIC_ABUSE: ForRole.TEAM_MANAGER,
}

#: an alert's answer in an oversight note's ``flag_responses``: "alert:<id>"
ALERT_CODE_PREFIX = "alert:"


def alert_code(alert_id: int) -> str:
    return f"{ALERT_CODE_PREFIX}{alert_id}"


def alert_id_of(code: str) -> int | None:
    """The alert a note's answer key names, or None for a visit flag's code."""
    if not code.startswith(ALERT_CODE_PREFIX):
        return None
    rest = code[len(ALERT_CODE_PREFIX) :]
    return int(rest) if rest.isdigit() else None


@dataclass(frozen=True)
class Alert:
    """An alert as the rules see it."""

    id: int
    child_id: int
    child_team_id: int | None
    kind: AlertKind
    for_role: ForRole
    raised_on: date
    details: str
    answered: bool = False

    @property
    def label(self) -> str:
        return self.kind.label

    def heading(self) -> str:
        """ "Child not seen on a visit (raised 2 Dec 2026, for the team manager)" """
        return (
            f"{self.label} (raised {self.raised_on.day} {self.raised_on:%b %Y}, "
            f"for {self.for_role.label})"
        )


def may_see_alerts(actor: Actor) -> Decision:
    """The alerts list: a registered manager (team or service manager)."""
    if not actor.reads_cases:
        return deny("Administrators cannot read case records.")
    if not actor.is_manager:
        return deny("Only a team manager or service manager has alerts to answer.")
    return ALLOW


def may_answer_alert(actor: Actor, for_role: ForRole, child_team_id: int | None) -> Decision:
    """An alert for the team manager: a registered manager of the child's team (its team
    manager, or the service manager above it, who may answer for them). An alert for the
    service manager: only the service manager above the child's team."""
    if not actor.reads_cases:
        return deny("Administrators cannot read case records.")
    if not actor.is_manager or not actor.manages(child_team_id):
        return deny("Only a manager of the child's team can answer this alert.")
    if actor.registration_problem:
        return deny(unverified_refusal(actor, "answer an alert"), "unverified")
    if for_role is ForRole.SERVICE_MANAGER and actor.role is not Role.SERVICE_MANAGER:
        return deny("This alert is for the service manager to answer.", "service_manager")
    return ALLOW


def answerable(actor: Actor, alerts: list[Alert]) -> list[Alert]:
    """The open alerts among ``alerts`` that ``actor`` may (and so must) answer."""
    return [
        a for a in alerts if not a.answered and may_answer_alert(actor, a.for_role, a.child_team_id)
    ]
