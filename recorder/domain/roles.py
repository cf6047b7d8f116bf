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

    @property
    def is_registered(self) -> bool:
        """A registered social worker: a qualified role with an SWE number on file."""
        return self.role in REGISTERED_ROLES and bool(self.registration_number)

    @property
    def needs_countersign(self) -> bool:
        return self.role is Role.UNQUALIFIED or (
            self.role in REGISTERED_ROLES and not self.registration_number
        )

    @property
    def is_manager(self) -> bool:
        """A registered team manager or service manager."""
        return self.role in MANAGER_ROLES and self.is_registered

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
