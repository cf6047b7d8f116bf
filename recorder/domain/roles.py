"""Who uses recorder and what their qualification allows (DOMAIN.md, "Who uses it")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

SWE_NUMBER = re.compile(r"^SW\d{1,10}$")


class Role(StrEnum):
    SOCIAL_WORKER = "social_worker"
    UNQUALIFIED = "unqualified"
    TEAM_MANAGER = "team_manager"
    SERVICE_MANAGER = "service_manager"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SOCIAL_WORKER: "Social worker",
    Role.UNQUALIFIED: "Unqualified worker",
    Role.TEAM_MANAGER: "Team manager",
    Role.SERVICE_MANAGER: "Service manager",
    Role.ADMINISTRATOR: "Administrator",
}


class UnqualifiedKind(StrEnum):
    STUDENT = "student"
    APPRENTICE = "apprentice"
    TRAINEE = "trainee"
    AWAITING_REGISTRATION = "awaiting_registration"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


#: Roles that need a Social Work England registration (qualified social work roles).
REGISTERED_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER})
#: Managers: a team manager manages their team; a service manager the teams above which they
#: stand (``team.service_manager_id``).
MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER})

COUNTERSIGN_BADGE = "Needs qualified countersign"


class InvalidRegistration(ValueError):
    pass


def normalise_swe_number(number: str | None) -> str | None:
    """Return a Social Work England number as ``SW`` + digits, or raise."""
    if number is None or not number.strip():
        return None
    value = number.strip().upper().replace(" ", "")
    if not SWE_NUMBER.match(value):
        raise InvalidRegistration(
            f"'{number.strip()}' is not a Social Work England number: it is SW followed by digits, "
            "for example SW123456."
        )
    return value


@dataclass(frozen=True)
class Actor:
    """The person acting, as the rules need to see them."""

    id: int
    name: str
    role: Role
    team_id: int | None = None
    registration_number: str | None = None
    registration_checked_on: date | None = None
    unqualified_kind: UnqualifiedKind | None = None
    #: the teams a service manager stands above (empty for everyone else)
    service_team_ids: frozenset[int] = frozenset()
    username: str = ""
    #: why the registration is unverified ("" while it is current): see
    #: :func:`registration_problem`, set by the services from the policy and today
    registration_problem: str = ""

    @property
    def is_registered(self) -> bool:
        """A registered social worker: a qualified role with an SWE number on file, checked
        since the last renewal deadline (:func:`registration_problem`)."""
        return (
            self.role in REGISTERED_ROLES
            and bool(self.registration_number)
            and not self.registration_problem
        )

    @property
    def needs_countersign(self) -> bool:
        """Unqualified, or a qualified role whose registration is missing or unverified."""
        return self.role is Role.UNQUALIFIED or (
            self.role in REGISTERED_ROLES and not self.is_registered
        )

    @property
    def is_manager(self) -> bool:
        """A team manager or service manager with an SWE number: they manage (read) their
        teams even while the registration check is overdue; what they may sign is
        :func:`unverified_refusal`'s to refuse."""
        return self.role in MANAGER_ROLES and bool(self.registration_number)

    @property
    def managed_team_ids(self) -> frozenset[int]:
        """The teams this person manages: a registered team manager their own team; a
        registered service manager every team they stand above; anyone else none."""
        if not self.is_manager:
            return frozenset()
        if self.role is Role.SERVICE_MANAGER:
            return self.service_team_ids
        return frozenset({self.team_id}) if self.team_id is not None else frozenset()

    def manages(self, team_id: int | None) -> bool:
        return team_id is not None and team_id in self.managed_team_ids

    @property
    def reads_cases(self) -> bool:
        """Administrators manage accounts but never read case content (least privilege)."""
        return self.role is not Role.ADMINISTRATOR

    @property
    def role_label(self) -> str:
        if self.role is Role.UNQUALIFIED and self.unqualified_kind:
            return f"{self.role.label} ({self.unqualified_kind.label.lower()})"
        return self.role.label


def check_role_registration(role: Role, number: str | None, kind: UnqualifiedKind | None) -> None:
    """Raise ValueError when a role and its registration do not fit together."""
    if role in REGISTERED_ROLES and not number:
        raise InvalidRegistration(
            f"A {role.label.lower()} must have a Social Work England registration number. "
            "Someone awaiting registration is an unqualified worker (awaiting registration)."
        )
    if role is Role.UNQUALIFIED and kind is None:
        raise InvalidRegistration(
            "Say which kind of unqualified worker: student, apprentice, trainee or awaiting_registration."
        )
    if role is not Role.UNQUALIFIED and kind is not None:
        raise InvalidRegistration("Only an unqualified worker has a kind (student, trainee ...).")


def last_renewal_deadline(today: date, month: int, day: int) -> date:
    """The last renewal deadline already passed on ``today`` (the deadline's own day is still
    within the window: it is passed from the day after)."""
    this_year = date(today.year, month, day)
    return this_year if this_year < today else date(today.year - 1, month, day)


def registration_problem(
    role: Role,
    number: str | None,
    checked_on: date | None,
    today: date,
    *,
    renewal_month: int = 11,
    renewal_day: int = 30,
    recheck_months: int = 12,
) -> str:
    """Why a qualified account's registration is unverified on ``today`` ("" while it is
    current, and for roles that need none). Social Work England's renewal window closes on
    30 November (policy: the month and day) and anyone who has not renewed is removed from
    the register, so a check made on or before the last deadline no longer shows registration;
    a check older than the re-check interval (policy) neither (DOMAIN.md, "Who uses it")."""
    if role not in REGISTERED_ROLES or not number:
        return ""
    deadline = last_renewal_deadline(today, renewal_month, renewal_day)
    if checked_on is None:
        return "the register has never been checked"
    if checked_on <= deadline:
        return (
            f"last checked on {_day(checked_on)}, before Social Work England's renewal "
            f"deadline of {_day(deadline)}"
        )
    months = (today.year - checked_on.year) * 12 + today.month - checked_on.month
    if months > recheck_months or (months == recheck_months and today.day > checked_on.day):
        return f"last checked on {_day(checked_on)}, more than {recheck_months} months ago"
    return ""


def unverified_refusal(actor: Actor, what: str) -> str:
    """The refusal for an unverified registration: why, and the command that fixes it."""
    who = actor.username or "USERNAME"
    return (
        f"You cannot {what}: your Social Work England registration is unverified "
        f"({actor.registration_problem}). An administrator records a new check with: "
        f"recorder user check-registration {who} --on DATE"
    )


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%b %Y')}"
