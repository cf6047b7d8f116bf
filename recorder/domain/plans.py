"""A child's plans and placements as records (DOMAIN.md "Plans and placements").

A plan has a type, a start and an end, and what the conference or review set for this child
(how often they are visited and seen alone, who set it and when); a looked-after child's
placements each have a type, a start and an end, because every new placement restarts the
first-week rule of reg 28 of the Care Planning, Placement and Case Review (England)
Regulations 2010; a private fostering arrangement has the date the council was notified.

These are plain values and the rules about them: which plan and placement are in force on a
date, which visit type counts for which plan, what may be recorded and by whom. The clock
itself is ``recorder.domain.timescales.statutory_visit_due``.

Pure: no I/O, no clock, no SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from recorder.domain.policy import Policy

__all__ = [
    "PLAN_KINDS",
    "PLACEMENT_TYPES",
    "VISIT_TYPE_FOR_PLAN",
    "Frequency",
    "Plan",
    "Placement",
    "in_force",
    "placement_in_force",
    "frequency_in_force",
    "clock_start",
    "mismatch_note",
    "plan_problem",
    "placement_problem",
    "frequency_problem",
]

#: The plans a child can be on, with the words shown for each.
PLAN_KINDS: dict[str, str] = {
    "child_protection": "Child protection",
    "child_in_need": "Child in need",
    "looked_after": "Looked after",
    "private_fostering": "Private fostering",
}

#: A looked-after child's placement types (reg 28 sets a different visiting pattern for some).
PLACEMENT_TYPES: dict[str, str] = {
    "foster_care": "Foster care",
    "connected_person_reg24": "Connected person, temporary approval (reg 24)",
    "placed_with_parent_reg19": "Placed with a parent before assessment (reg 19)",
    "interim_care_order_at_home": "Interim care order, living with a parent",
    "care_order_at_home": "Care order, living with a parent",
    "long_term": "Long-term placement, meant to last until 18",
    "residential": "Residential",
    "short_breaks_reg48": "Short breaks (reg 48)",
}

#: The placement types whose visits are weekly until the first review (reg 28(3), (4)).
WEEKLY_UNTIL_FIRST_REVIEW = frozenset(
    {"connected_person_reg24", "placed_with_parent_reg19", "interim_care_order_at_home"}
)

#: The one visit type that counts towards each plan's clock: a child-in-need or private
#: fostering visit never resets a child-protection clock.
VISIT_TYPE_FOR_PLAN: dict[str, str] = {
    "child_protection": "cp_statutory",
    "child_in_need": "child_in_need",
    "looked_after": "lac_statutory",
    "private_fostering": "private_fostering",
}


@dataclass(frozen=True)
class Frequency:
    """What a conference or review set: visit every N working days, seen alone every N
    (None: the policy's default), who set it and on what day (it applies from that day)."""

    set_on: date
    visit_every_working_days: int | None = None
    seen_alone_every_working_days: int | None = None
    set_by: str = ""


@dataclass(frozen=True)
class Plan:
    """One plan: in force from ``start`` up to and including ``end`` (None: still open)."""

    kind: str
    start: date
    end: date | None = None
    #: private fostering: the day the council was notified of (became aware of) the arrangement
    notified_on: date | None = None
    frequencies: tuple[Frequency, ...] = ()
    id: int | None = None

    def covers(self, d: date) -> bool:
        return self.start <= d and (self.end is None or d <= self.end)


@dataclass(frozen=True)
class Placement:
    """One placement of a looked-after child, in force from ``start`` to ``end``."""

    kind: str
    start: date
    end: date | None = None
    #: the first review after the placement began (reg 28(3), (4): weekly visits until then)
    first_review_on: date | None = None
    id: int | None = field(default=None, compare=False)

    def covers(self, d: date) -> bool:
        return self.start <= d and (self.end is None or d <= self.end)


_T = TypeVar("_T", Plan, Placement)


def _latest_covering(items: Iterable[_T], d: date) -> _T | None:
    best: _T | None = None
    for item in items:
        if item.covers(d) and (best is None or item.start >= best.start):
            best = item
    return best


def in_force(plans: Iterable[Plan], d: date) -> Plan | None:
    """The plan in force on ``d``: the one covering ``d`` that started last (None: no plan)."""
    return _latest_covering(plans, d)


def placement_in_force(placements: Iterable[Placement], d: date) -> Placement | None:
    """The placement in force on ``d`` (the one covering it that started last), or None."""
    return _latest_covering(placements, d)


def frequency_in_force(plan: Plan, d: date) -> Frequency | None:
    """What the latest conference or review on or before ``d`` set for ``plan``."""
    best: Frequency | None = None
    for f in plan.frequencies:
        if f.set_on <= d and (best is None or f.set_on >= best.set_on):
            best = f
    return best


def clock_start(plan: Plan, placement: Placement | None) -> date:
    """The day the plan's visiting clock starts: a looked-after child's placement start (every
    placement restarts it); a private fostering arrangement's notification (reg 8(6) of the
    2005 Regulations: the arrangement is deemed to begin when the council becomes aware of it),
    never before the arrangement began; otherwise the plan's start."""
    if plan.kind == "looked_after" and placement is not None:
        return max(placement.start, plan.start)
    if plan.kind == "private_fostering" and plan.notified_on is not None:
        return max(plan.start, plan.notified_on)
    return plan.start


def mismatch_note(plan: Plan | None, visit_type: str | None, visit_label: str) -> str:
    """What to tell a reviewer when a statutory visit's type is not the one the plan in force
    on its day counts ("" when it matches, when the visit is not a statutory type, or when no
    plan was in force that day)."""
    if plan is None or visit_type not in VISIT_TYPE_FOR_PLAN.values():
        return ""
    if VISIT_TYPE_FOR_PLAN[plan.kind] == visit_type:
        return ""
    return (
        f"This is a {visit_label.lower()} visit but the child was on a "
        f"{PLAN_KINDS[plan.kind].lower()} plan on that day: it does not count towards that "
        "plan's statutory visits."
    )


# -- what may be recorded -------------------------------------------------------------------


def plan_problem(
    kind: str,
    start: date,
    *,
    date_of_birth: date,
    today: date,
    notified_on: date | None = None,
    current: Plan | None = None,
) -> str | None:
    """What is wrong with a new plan (None: nothing), in the user's words."""
    if kind not in PLAN_KINDS:
        return f"'{kind}' is not a plan type. Use one of: " + ", ".join(PLAN_KINDS) + "."
    if start > today:
        return "A plan cannot start in the future."
    if start < date_of_birth:
        return "The plan cannot start before the child was born."
    if kind == "private_fostering":
        if notified_on is None:
            return "A private fostering arrangement needs the date the council was notified of it."
        if notified_on > today:
            return "The notification date cannot be in the future."
        if notified_on < date_of_birth:
            return "The notification date cannot be before the child was born."
    elif notified_on is not None:
        return "Only a private fostering arrangement has a notification date."
    if current is not None and start <= current.start:
        return (
            f"The plan in force started on {current.start.isoformat()}: a new plan must start "
            "after it."
        )
    return None


def placement_problem(
    kind: str, start: date, *, plan: Plan | None, today: date, current: Placement | None = None
) -> str | None:
    """What is wrong with a new placement (None: nothing)."""
    if kind not in PLACEMENT_TYPES:
        return f"'{kind}' is not a placement type. Use one of: " + ", ".join(PLACEMENT_TYPES) + "."
    if start > today:
        return "A placement cannot start in the future."
    if plan is None or plan.kind != "looked_after":
        return "Only a looked-after child has placements: record a looked-after plan first."
    if start < plan.start:
        return (
            f"The looked-after plan started on {plan.start.isoformat()}: a placement cannot "
            "start before it."
        )
    if current is not None and start <= current.start:
        return (
            f"The current placement started on {current.start.isoformat()}: a new placement "
            "must start after it."
        )
    return None


def frequency_problem(
    visit_every: int | None,
    seen_alone_every: int | None,
    set_on: date,
    *,
    plan: Plan | None,
    today: date,
    policy: Policy,
) -> str | None:
    """What is wrong with a frequency set by a conference or review (None: nothing)."""
    if plan is None:
        return "The child has no plan in force on that day to set a frequency for."
    if set_on > today:
        return "A conference or review cannot be in the future."
    most = policy.plan_visit_every_max_working_days
    for what, n in (("visiting", visit_every), ("seen-alone", seen_alone_every)):
        if n is not None and not 1 <= n <= most:
            return (
                f"The {what} frequency must be from 1 to {most} working days "
                "(policy plan_visit_every_max_working_days)."
            )
    return None


def ended_day_before(start: date) -> date:
    """The last day of the plan or placement a new one starting on ``start`` replaces."""
    return start - timedelta(days=1)


def history(items: Sequence[_T]) -> list[_T]:
    """Plans or placements oldest first."""
    return sorted(items, key=lambda i: (i.start, i.id or 0))
