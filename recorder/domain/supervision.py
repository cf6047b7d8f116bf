"""Supervision (DOMAIN.md, "Supervision" and "Timescales").

A supervision record is the manager's and the worker's: the date, who attended, personal
items (wellbeing, workload, learning) and a case discussion for each child discussed
(decision, actions with who and by when, how the child's voice was considered). It is
signed by the worker's team manager and never changes.

How often: a worker in their Assessed and Supported Year in Employment (ASYE) weekly for
the first 6 weeks, fortnightly to 6 months, then monthly; everyone else at least monthly
(LGA Standards for Employers). Every number is policy; months are calendar months.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Mapping, Sequence

from dateutil.relativedelta import relativedelta

from recorder.domain.roles import Actor, Role
from recorder.domain.workflow import ALLOW, Decision, deny

PERSONAL_ITEMS: tuple[tuple[str, str], ...] = (
    ("wellbeing", "Wellbeing"),
    ("workload", "Workload"),
    ("learning", "Learning and development"),
)
CASE_ITEMS: tuple[tuple[str, str], ...] = (
    ("decision", "Decision"),
    ("actions", "Actions"),
    ("child_voice", "How the child's voice was considered"),
)


@dataclass(frozen=True)
class CaseDiscussionInput:
    child_id: int
    decision: str = ""
    actions: Sequence[Mapping[str, Any]] = ()
    child_voice: str = ""


@dataclass(frozen=True)
class SupervisionInput:
    held_on: date
    attended: str = ""
    wellbeing: str = ""
    workload: str = ""
    learning: str = ""
    cases: Sequence[CaseDiscussionInput] = field(default_factory=tuple)


def validate_supervision(
    sup: SupervisionInput, today: date, child_names: Mapping[int, str] | None = None
) -> list[str]:
    """What is missing, in words (empty when the record may be signed)."""
    names = child_names or {}
    problems: list[str] = []
    if sup.held_on > today:
        problems.append("The supervision date cannot be in the future.")
    if not sup.attended.strip():
        problems.append("Who attended may not be empty.")
    for key, label in PERSONAL_ITEMS:
        if not str(getattr(sup, key) or "").strip():
            problems.append(f"{label} may not be empty.")
    seen: set[int] = set()
    for c in sup.cases:
        who = names.get(c.child_id, f"child {c.child_id}")
        if c.child_id in seen:
            problems.append(f"{who} is discussed twice: one case discussion per child.")
        seen.add(c.child_id)
        if not c.decision.strip():
            problems.append(f"{who}: the decision may not be empty.")
        if not c.child_voice.strip():
            problems.append(f"{who}: say how the child's voice was considered.")
        if not c.actions:
            problems.append(f"{who}: list at least one action with who and by when.")
        for i, a in enumerate(c.actions, 1):
            missing = [k for k in ("what", "who", "by_when") if not str(a.get(k) or "").strip()]
            if missing:
                what = ", ".join(m.replace("by_when", "by when") for m in missing)
                problems.append(f"{who}: action {i} needs {what}.")
    return problems


def case_is_blank(c: CaseDiscussionInput) -> bool:
    """Nothing typed for this child: not discussed."""
    return not (
        c.decision.strip()
        or c.child_voice.strip()
        or any(str(v or "").strip() for a in c.actions for v in a.values())
    )


# -- who may ---------------------------------------------------------------------------


def may_supervise(actor: Actor, worker_id: int, worker_team_id: int | None) -> Decision:
    """Recording a worker's supervision: a registered team manager of the worker's team,
    never their own."""
    if actor.role is not Role.TEAM_MANAGER or not actor.is_registered:
        return deny("Only a registered team manager can record supervision.", "not_manager")
    if actor.id == worker_id:
        return deny(
            "You cannot record your own supervision: your own manager does.", "own_supervision"
        )
    if actor.team_id is None or actor.team_id != worker_team_id:
        return deny("Only a manager of the worker's team can record their supervision.")
    return ALLOW


def may_read_supervision(actor: Actor, worker_id: int, worker_team_id: int | None) -> Decision:
    """Reading a worker's supervision records: the worker, or a registered manager of their
    team."""
    if not actor.reads_cases:
        return deny("Administrators cannot read supervision records.")
    if actor.id == worker_id:
        return ALLOW
    if (
        actor.role is Role.TEAM_MANAGER
        and actor.is_registered
        and actor.team_id is not None
        and actor.team_id == worker_team_id
    ):
        return ALLOW
    return deny("Only the worker and their team manager can read this supervision record.")


# -- how often ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Frequency:
    """The policy's supervision frequencies (DOMAIN.md, "Timescales")."""

    asye_weekly_weeks: int = 6
    asye_fortnightly_until_months: int = 6
    every_months: int = 1


@dataclass(frozen=True)
class SupervisionDue:
    due: date
    band: str  # "weekly (ASYE, first 6 weeks)"
    days: int  # days until due (negative: overdue)
    words: str  # "supervision overdue by 3 days"

    @property
    def overdue(self) -> bool:
        return self.days < 0


def band_at(on: date, asye: bool, asye_start: date | None, f: Frequency) -> tuple[str, Any]:
    """The frequency in force on ``on``: its words and the step to the next supervision."""
    if asye and asye_start is not None and on >= asye_start:
        if on < asye_start + timedelta(weeks=f.asye_weekly_weeks):
            return f"weekly (ASYE, first {f.asye_weekly_weeks} weeks)", timedelta(weeks=1)
        if on < asye_start + relativedelta(months=f.asye_fortnightly_until_months):
            return (
                f"fortnightly (ASYE, to {f.asye_fortnightly_until_months} months)",
                timedelta(weeks=2),
            )
    months = f.every_months
    words = "monthly" if months == 1 else f"every {months} months"
    if asye and asye_start is not None and on >= asye_start:
        words += f" (ASYE, after {f.asye_fortnightly_until_months} months)"
    return words, relativedelta(months=months)


def supervision_due(
    last: date | None,
    today: date,
    *,
    asye: bool = False,
    asye_start: date | None = None,
    since: date | None = None,
    frequency: Frequency = Frequency(),
) -> SupervisionDue:
    """When this worker's next supervision is due, and how that reads.

    Counted from the last supervision; with none yet, from the start of the ASYE (or
    ``since``, e.g. when the account was made; today when neither is known). The step is the
    frequency in force on the day counted from: an ASYE worker's first supervision is due a
    week after the start, and so on."""
    base = last or (asye_start if asye and asye_start else None) or since or today
    band, step = band_at(base, asye, asye_start, frequency)
    due = base + step
    n = (due - today).days
    if n == 0:
        words = "supervision due today"
    elif n > 0:
        words = f"supervision due in {n} day{'s' if n != 1 else ''}"
    else:
        words = f"supervision overdue by {-n} day{'s' if n != -1 else ''}"
    if last is None:
        words += " (none recorded yet)"
    return SupervisionDue(due, band, n, words)
