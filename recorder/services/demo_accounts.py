"""The demo accounts, importable before the first paint (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


# username, full name, role, kind, SWE number, password, description
_ACCOUNTS: tuple[tuple[str, str, str, str | None, str | None, str, str], ...] = (
    ("admin", "Helen Clarke", "administrator", None, None, "demo-admin-1",
     "Administrator - accounts, teams and children (cannot read case records)"),
    ("manager", "Grace Adeyemi", "team_manager", None, "SW104387", "demo-manager-1",
     "Team manager (SW104387) - oversight and sign-off"),
    ("sam", "Sam Whitfield", "social_worker", None, "SW081246", "demo-sam-1",
     "Social worker (SW081246)"),
    ("priya", "Priya Raman", "social_worker", None, "SW093318", "demo-priya-1",
     "Social worker (SW093318)"),
    ("tom", "Tom Okafor", "social_worker", None, "SW110752", "demo-tom-1",
     "Social worker (SW110752)"),
    ("student", "Chloe Bennett", "unqualified", "student", None, "demo-student-1",
     "Student social worker - needs qualified countersign"),
    ("awaiting", "Daniel Mensah", "unqualified", "awaiting_registration", None, "demo-awaiting-1",
     "Newly qualified, awaiting registration - needs qualified countersign"),
)


def demo_accounts() -> list[DemoAccount]:
    """The accounts ``demo.populate`` makes, known before it runs (to show them at once)."""
    return [DemoAccount(a[0], a[5], a[6]) for a in _ACCOUNTS]
