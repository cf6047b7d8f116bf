"""When things are due: statutory visits, recording, countersigning and management oversight.

Months are calendar months (``dateutil``): three months after 30 November is 28 February.
Working days are Monday to Friday except the bank holidays of the policy's region
(England by default, from the ``holidays`` package). A period of N working days is counted
from the day after the event: a visit on Friday 2 January 2026 with "record within 2
working days" is due on Tuesday 6 January.

Every length of time comes from ``Policy``; nothing here is a number of its own.
Pure: no I/O, no clock (callers pass ``today``), no Textual or SQL.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from recorder.domain import plans
from recorder.domain.policy import Policy

__all__ = [
    "PLAN_TYPES",
    "WorkingDays",
    "working_days_for",
    "Due",
    "statutory_visit_due",
    "seen_alone_due",
    "next_statutory_visit_due",
    "recording_due",
    "countersign_due",
    "oversight_due",
    "describe_due",
]

#: Plan types as plain strings (the enum lives with the case model).
PLAN_TYPES = ("child_protection", "child_in_need", "looked_after", "private_fostering", "none")

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=None)
def _weekday_bank_holidays(region: str, year: int) -> tuple[date, ...]:
    """Sorted bank holidays of ``region`` in ``year`` that fall Monday to Friday.

    Includes substitute days ("Boxing Day (observed)") and one-off days the ``holidays``
    package knows. Built once per (region, year) and cached.
    """
    import holidays  # lazy: costs ~100 ms to import, and only timescales need it

    calendar = holidays.country_holidays("GB", subdiv=region, years=year)
    return tuple(sorted(d for d in calendar if d.weekday() < 5))


def _weekdays_up_to(d: date) -> int:
    """Number of Mondays-to-Fridays from 1 January of year 1 (a Monday) to ``d`` inclusive."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class WorkingDays:
    """The working-day calendar of one region (``"ENG"``, ``"WLS"``, ``"SCT"`` or ``"NIR"``).

    Cheap to create; the bank holidays are cached per region and year for the whole process.
    Prefer ``working_days_for(policy.bank_holiday_region)``, which shares one instance.
    """

    __slots__ = ("region",)

    def __init__(self, region: str = "ENG") -> None:
        self.region = region

    def __repr__(self) -> str:
        return f"WorkingDays({self.region!r})"

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday and not a bank holiday."""
        return d.weekday() < 5 and d not in _weekday_bank_holidays(self.region, d.year)

    def add_working_days(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start``, counting from the day after ``start``.

        ``start`` itself never counts, working day or not: 1 working day after Friday is
        Monday (or Tuesday after a bank-holiday Monday). ``n == 0`` gives ``start``;
        a negative ``n`` counts backwards.
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        d = start
        if n > 5:  # jump whole weeks (5 weekdays each), leaving at least one day to step
            d = start + timedelta(weeks=(n - 1) // 5)
            n -= self.working_days_between(start, d)
        for _ in range(abs(n)):
            d += step
            while not self.is_working_day(d):
                d += step
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

        The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n))
        == n``. Computed arithmetically, so long spans cost no more than short ones.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = _weekdays_up_to(b) - _weekdays_up_to(a)
        for year in range(a.year, b.year + 1):
            days = _weekday_bank_holidays(self.region, year)
            count -= bisect_right(days, b) - bisect_right(days, a)
        return count


@lru_cache(maxsize=None)
def working_days_for(region: str) -> WorkingDays:
    """The shared calendar for ``region``."""
    return WorkingDays(region)


@dataclass(frozen=True)
class Due:
    """When the child must next be seen, and the rule that says so (in words)."""

    on: date
    rule: str


def _weeks(n: int) -> str:
    return "1 week" if n == 1 else f"{n} weeks"


def _months(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


def _looked_after_due(
    placement: plans.Placement, start: date, last: date | None, policy: Policy
) -> Due:
    """Reg 28 of the Care Planning, Placement and Case Review (England) Regulations 2010 (and
    reg 48 for short breaks): when a looked-after child must next be visited."""
    kind = placement.kind
    if kind == "short_breaks_reg48":
        if last is None:
            n = policy.short_breaks_first_visit_months
            return Due(start + relativedelta(months=n), f"reg 48: first visit within {_months(n)}")
        n = policy.short_breaks_every_months
        return Due(last + relativedelta(months=n), f"reg 48: at most every {_months(n)}")
    if kind in plans.WEEKLY_UNTIL_FIRST_REVIEW:
        review = placement.first_review_on
        weekly = policy.lac_until_first_review_days
        after = (
            policy.lac_reg19_after_review_weeks
            if kind == "placed_with_parent_reg19"
            else policy.lac_reg24_after_review_weeks
        )
        para = "28(3)" if kind == "placed_with_parent_reg19" else "28(4)"
        if last is None:
            return Due(start + timedelta(days=weekly), f"reg {para}: weekly until the first review")
        if review is None or last + timedelta(days=weekly) <= review:
            return Due(last + timedelta(days=weekly), f"reg {para}: weekly until the first review")
        return Due(
            last + timedelta(weeks=after),
            f"reg {para}: after the first review, every {_weeks(after)}",
        )
    if last is None:
        n = policy.lac_first_visit_days
        what = "of the care order" if kind == "care_order_at_home" else "of the placement"
        para = "28(5)(a)" if kind == "care_order_at_home" else "28(2)(a)"
        return Due(start + timedelta(days=n), f"reg {para}: within {n} days {what}")
    if kind == "care_order_at_home":
        n = policy.lac_care_order_at_home_weeks
        return Due(last + timedelta(weeks=n), f"reg 28(5)(b): at most every {_weeks(n)}")
    if last < start + relativedelta(years=1):
        n = policy.lac_first_year_weeks
        return Due(
            last + timedelta(weeks=n),
            f"reg 28(2)(b): at most every {_weeks(n)} in the placement's first year",
        )
    if kind == "long_term":
        n = policy.lac_after_first_year_long_term_months
        return Due(
            last + relativedelta(months=n),
            f"reg 28(2)(c)(i): at most every {_months(n)} (meant to last until 18)",
        )
    n = policy.lac_after_first_year_weeks
    return Due(last + timedelta(weeks=n), f"reg 28(2)(c)(ii): at most every {_weeks(n)}")


def statutory_visit_due(
    plan_records: Iterable[plans.Plan],
    placement_records: Iterable[plans.Placement],
    visits: Iterable[tuple[date, str | None]],
    on: date,
    policy: Policy,
    *,
    before: bool = False,
) -> Due | None:
    """When the child must next be seen, as it stands on ``on`` (None: no plan in force then,
    so no statutory visit is due).

    ``visits`` are the child's signed-off visits that counted as statutory, as (date, visit
    type). Only the plan in force on ``on`` matters, and only visits whose type matches it
    (``plans.VISIT_TYPE_FOR_PLAN``) made since its clock started (``plans.clock_start``: for
    a looked-after child, the start of the placement in force) and up to ``on`` (``before``:
    only visits before ``on``, to say what was due when a visit on ``on`` was made). The
    rules, each a policy default:

    - child_protection, child_in_need: every N working days (the plan's own frequency when a
      conference or review set one, else ``cp_visit_working_days`` / ``cin_visit_working_days``)
      counted from the day after the last visit, or after the plan started;
    - looked_after: reg 28 for the placement's type (``_looked_after_due``);
    - private_fostering: first visit within 7 working days of notification (reg 7 of the
      Children (Private Arrangements for Fostering) Regulations 2005), then at most every 6
      weeks in the first year and every 12 weeks after (reg 8);
    - for a looked-after child or private fostering, a frequency set on the plan can only
      bring the date forward: the regulations' intervals are the longest allowed;
    - a frequency set on the plan counts from the last visit, or from the day it was set if
      that is later (a conference never makes a child overdue for the days before it sat).
    """
    plan = plans.in_force(plan_records, on)
    if plan is None:
        return None
    placements = [p for p in placement_records if p.covers(on)]
    placement = plans.placement_in_force(placements, on) if plan.kind == "looked_after" else None
    start = plans.clock_start(plan, placement)
    wanted = plans.VISIT_TYPE_FOR_PLAN[plan.kind]
    last: date | None = None
    for day, kind in visits:
        if kind != wanted or day < start or day > on or (before and day == on):
            continue
        if last is None or day > last:
            last = day
    wd = working_days_for(policy.bank_holiday_region)
    freq = plans.frequency_in_force(plan, on)
    set_every = freq.visit_every_working_days if freq is not None else None
    # a frequency counts from the last visit, or from the day it was set when that is later:
    # a conference never makes a child overdue for a visit before it sat
    set_base = max(last or start, freq.set_on) if freq is not None else start
    set_rule = (
        f"every {set_every} working days, set by {freq.set_by or 'the plan'}"
        f" on {freq.set_on.isoformat()}"
        if freq is not None and set_every is not None
        else ""
    )
    if plan.kind in ("child_protection", "child_in_need"):
        if set_every is not None:
            return Due(wd.add_working_days(set_base, set_every), set_rule)
        every = (
            policy.cp_visit_working_days
            if plan.kind == "child_protection"
            else policy.cin_visit_working_days
        )
        return Due(
            wd.add_working_days(last or start, every), f"every {every} working days (policy)"
        )
    if plan.kind == "looked_after":
        due = _looked_after_due(
            placement or plans.Placement("foster_care", plan.start), start, last, policy
        )
    elif last is None:
        n = policy.pf_first_visit_working_days
        due = Due(wd.add_working_days(start, n), f"reg 7: within {n} working days of notification")
    elif last < start + relativedelta(years=1):
        n = policy.pf_first_year_weeks
        due = Due(
            last + timedelta(weeks=n), f"reg 8(1)(a): at most every {_weeks(n)} in the first year"
        )
    else:
        n = policy.pf_after_first_year_weeks
        due = Due(last + timedelta(weeks=n), f"reg 8(1)(b): at most every {_weeks(n)}")
    if set_every is not None:
        sooner = wd.add_working_days(set_base, set_every)
        if sooner < due.on:
            return Due(sooner, set_rule)
    return due


def seen_alone_due(
    plan_records: Iterable[plans.Plan],
    placement_records: Iterable[plans.Placement],
    seen_alone: Iterable[tuple[date, str | None]],
    on: date,
    policy: Policy,
) -> Due | None:
    """When the child must next be seen alone, when the plan in force on ``on`` sets how
    often (None otherwise): every N working days from the last matching visit where the
    child was seen alone (or the clock's start), or from the day it was set if later (local
    practice: the child protection plan says "when and in what situations the child will be
    seen", alone and with others)."""
    plan = plans.in_force(plan_records, on)
    if plan is None:
        return None
    freq = plans.frequency_in_force(plan, on)
    every = freq.seen_alone_every_working_days if freq is not None else None
    if freq is None or every is None:
        return None
    placement = (
        plans.placement_in_force(placement_records, on) if plan.kind == "looked_after" else None
    )
    start = plans.clock_start(plan, placement)
    wanted = plans.VISIT_TYPE_FOR_PLAN[plan.kind]
    days = [d for d, kind in seen_alone if kind == wanted and start <= d <= on]
    wd = working_days_for(policy.bank_holiday_region)
    return Due(
        wd.add_working_days(max(max(days, default=start), freq.set_on), every),
        f"seen alone every {every} working days, set by {freq.set_by or 'the plan'}",
    )


def next_statutory_visit_due(
    plan_type: str,
    plan_start: date,
    last_visit: date | None,
    policy: Policy,
    *,
    placement_long_term: bool = False,
    placement_type: str | None = None,
    notified_on: date | None = None,
    on: date | None = None,
) -> date | None:
    """The next statutory visit due for one plan that started on ``plan_start`` (for a
    looked-after child, also the start of the placement; for private fostering, also the
    notification unless ``notified_on`` says otherwise) with ``last_visit`` the last visit of
    the plan's own type. A shorthand for ``statutory_visit_due`` with a single plan."""
    if plan_type not in PLAN_TYPES:
        raise ValueError(
            f"unknown plan type {plan_type!r}; expected one of {', '.join(PLAN_TYPES)}"
        )
    if plan_type == "none":
        return None
    kind = placement_type or ("long_term" if placement_long_term else "foster_care")
    plan = plans.Plan(
        plan_type,
        plan_start,
        notified_on=(notified_on or plan_start) if plan_type == "private_fostering" else None,
    )
    placement = plans.Placement(kind, plan_start)
    when = on or max(plan_start, last_visit or plan_start)
    visit_type = plans.VISIT_TYPE_FOR_PLAN[plan_type]
    visits = [(last_visit, visit_type)] if last_visit is not None else []
    due = statutory_visit_due([plan], [placement], visits, when, policy)
    return due.on if due is not None else None


def recording_due(visit_day: date, policy: Policy) -> date:
    """The visit record must be submitted within N working days of the visit (default 2)."""
    wd = working_days_for(policy.bank_holiday_region)
    return wd.add_working_days(visit_day, policy.record_within_working_days)


def countersign_due(submitted_day: date, policy: Policy) -> date:
    """A record needing countersignature is countersigned within N working days of
    submission (default 2)."""
    wd = working_days_for(policy.bank_holiday_region)
    return wd.add_working_days(submitted_day, policy.countersign_within_working_days)


def oversight_due(submitted_day: date, policy: Policy) -> date:
    """The manager records oversight within N working days of submission (default 5)."""
    wd = working_days_for(policy.bank_holiday_region)
    return wd.add_working_days(submitted_day, policy.oversight_within_working_days)


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def made_late(due: date, visit_day: date, wd: WorkingDays) -> str:
    """A visit made after the day it was due, in words ("made 3 working days late"); "" when
    it was made on time (DOMAIN.md "Timescales": drift is flagged for the manager to answer).
    When no working day lies between (due Friday, made Saturday) it counts calendar days."""
    if visit_day <= due:
        return ""
    n = wd.working_days_between(due, visit_day)
    return f"made {_count(n, 'working day') if n else _count((visit_day - due).days, 'day')} late"


def describe_due(due: date, today: date, wd: WorkingDays) -> str:
    """How far ``due`` is from ``today``, in words so it never depends on colour.

    "due today", "due in 3 working days", "overdue by 1 working day". Working days are
    counted as elsewhere (after one date, up to and including the other). When no working
    day lies between them (due on a Saturday, seen on the Friday before or the Sunday
    after), the count is in calendar days instead ("due in 1 day", "overdue by 1 day"),
    so it never says "in 0" or "overdue by 0".
    """
    if due == today:
        return "due today"
    if due > today:
        n = wd.working_days_between(today, due)
        return f"due in {_count(n, 'working day') if n else _count((due - today).days, 'day')}"
    n = wd.working_days_between(due, today)
    return f"overdue by {_count(n, 'working day') if n else _count((today - due).days, 'day')}"
