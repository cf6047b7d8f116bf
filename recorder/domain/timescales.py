"""When things are due: statutory visits, recording, countersigning and management oversight.

Working days are Monday to Friday except the bank holidays of the policy's region
(England by default, from the ``holidays`` package). A period of N working days is counted
from the day after the event: a visit on Friday 2 January 2026 with "record within 2
working days" is due on Tuesday 6 January.

Every length of time comes from ``Policy``; nothing here is a number of its own.
Pure: no I/O, no clock (callers pass ``today``), no Textual or SQL.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from recorder.domain.policy import Policy

__all__ = [
    "PLAN_TYPES",
    "WorkingDays",
    "working_days_for",
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


def next_statutory_visit_due(
    plan_type: str,
    plan_start: date,
    last_visit: date | None,
    policy: Policy,
    *,
    placement_long_term: bool = False,
) -> date | None:
    """The latest date by which the child must next be seen, or None when no plan needs visits.

    ``plan_start`` is the start of the plan (for a looked-after child, of the placement; for
    private fostering, of the arrangement). A visit before ``plan_start`` does not count for
    this plan. The rules (defaults from ``Policy``):

    - child_protection: every 10 working days, counted from the day after the last visit
      (or after the plan started, before the first visit);
    - child_in_need: the same, every 20 working days;
    - looked_after (Care Planning regulation 28): first visit within 7 days of the placement
      starting; then every 6 weeks while the last visit falls in the placement's first year;
      after that every 13 weeks (about 3 months) if the placement is meant to last until the
      child is 18 (``placement_long_term``), otherwise still every 6 weeks;
    - private_fostering: first visit within 7 days (``lac_first_visit_days``), then every
      6 weeks in the first year and every 12 weeks after;
    - none: no statutory visits (None).
    """
    if plan_type not in PLAN_TYPES:
        raise ValueError(
            f"unknown plan type {plan_type!r}; expected one of {', '.join(PLAN_TYPES)}"
        )
    if plan_type == "none":
        return None
    if last_visit is not None and last_visit < plan_start:
        last_visit = None

    if plan_type in ("child_protection", "child_in_need"):
        every = (
            policy.cp_visit_working_days
            if plan_type == "child_protection"
            else policy.cin_visit_working_days
        )
        wd = working_days_for(policy.bank_holiday_region)
        return wd.add_working_days(last_visit or plan_start, every)

    if last_visit is None:
        return plan_start + timedelta(days=policy.lac_first_visit_days)
    in_first_year = last_visit < plan_start + relativedelta(years=1)
    if plan_type == "looked_after":
        if in_first_year:
            weeks = policy.lac_first_year_weeks
        elif placement_long_term:
            weeks = policy.lac_after_first_year_long_term_weeks
        else:
            weeks = policy.lac_after_first_year_weeks
    else:  # private_fostering
        weeks = policy.pf_first_year_weeks if in_first_year else policy.pf_after_first_year_weeks
    return last_visit + timedelta(weeks=weeks)


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
