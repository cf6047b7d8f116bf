"""Working days, statutory visit due dates and the words used for them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recorder.domain.policy import Policy
from recorder.domain.timescales import (
    WorkingDays,
    countersign_due,
    describe_due,
    next_statutory_visit_due,
    oversight_due,
    recording_due,
    working_days_for,
)

ENG = WorkingDays("ENG")
POLICY = Policy()

# England and Wales bank holidays in 2026, as the holidays package gives them.
ENG_2026_WEEKDAY_BANK_HOLIDAYS = [
    date(2026, 1, 1),  # New Year's Day (Thursday)
    date(2026, 4, 3),  # Good Friday
    date(2026, 4, 6),  # Easter Monday
    date(2026, 5, 4),  # Early May bank holiday
    date(2026, 5, 25),  # Spring bank holiday
    date(2026, 8, 31),  # Summer bank holiday
    date(2026, 12, 25),  # Christmas Day (Friday)
    date(2026, 12, 28),  # Boxing Day (Saturday 26th) observed on Monday 28th
]


# -- working days ---------------------------------------------------------------------------


@pytest.mark.parametrize("d", ENG_2026_WEEKDAY_BANK_HOLIDAYS)
def test_bank_holidays_are_not_working_days(d: date) -> None:
    assert d.weekday() < 5
    assert not ENG.is_working_day(d)


def test_weekends_are_not_working_days_and_ordinary_weekdays_are() -> None:
    assert not ENG.is_working_day(date(2026, 12, 26))  # Saturday (Boxing Day itself)
    assert not ENG.is_working_day(date(2026, 3, 8))  # Sunday
    assert ENG.is_working_day(date(2026, 12, 24))  # Christmas Eve, a Thursday
    assert ENG.is_working_day(date(2026, 12, 29))


def test_region_changes_the_calendar() -> None:
    # 2 January is a bank holiday in Scotland only.
    assert ENG.is_working_day(date(2026, 1, 2))
    assert not WorkingDays("SCT").is_working_day(date(2026, 1, 2))


def test_one_off_bank_holidays_are_known() -> None:
    assert not ENG.is_working_day(date(2022, 9, 19))  # State funeral of Queen Elizabeth II
    assert not ENG.is_working_day(date(2023, 5, 8))  # Coronation of King Charles III


def test_counting_starts_the_day_after() -> None:
    monday = date(2026, 3, 2)
    assert ENG.add_working_days(monday, 1) == date(2026, 3, 3)
    assert ENG.add_working_days(monday, 5) == date(2026, 3, 9)  # next Monday
    assert ENG.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday -> Monday
    assert ENG.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Saturday -> Monday
    assert ENG.add_working_days(monday, 0) == monday


def test_add_working_days_skips_bank_holidays() -> None:
    assert ENG.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)  # Christmas
    assert ENG.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)  # summer bank holiday
    assert ENG.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Easter
    assert ENG.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # New Year 2027


def test_add_working_days_backwards() -> None:
    assert ENG.add_working_days(date(2026, 12, 29), -1) == date(2026, 12, 24)


def test_working_days_between() -> None:
    d = date(2026, 12, 24)
    assert ENG.working_days_between(d, d) == 0
    assert ENG.working_days_between(d, date(2026, 12, 31)) == 3  # 29th, 30th, 31st
    assert ENG.working_days_between(date(2026, 12, 31), d) == -3
    assert ENG.working_days_between(date(2026, 12, 25), date(2026, 12, 28)) == 0
    # 2026 has 261 weekdays, 8 of them bank holidays (1 January among them).
    assert ENG.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 261 - 8


def test_working_days_for_shares_one_calendar() -> None:
    assert working_days_for("ENG") is working_days_for("ENG")


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(start=dates, n=st.integers(min_value=1, max_value=300))
def test_add_then_count_round_trips(start: date, n: int) -> None:
    end = ENG.add_working_days(start, n)
    assert ENG.is_working_day(end)
    assert ENG.working_days_between(start, end) == n
    assert ENG.working_days_between(start, end - timedelta(days=1)) == n - 1


@settings(max_examples=50)
@given(a=dates, span=st.integers(min_value=-400, max_value=400))
def test_working_days_between_matches_counting_day_by_day(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    lo, hi = min(a, b), max(a, b)
    by_hand = sum(ENG.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert ENG.working_days_between(a, b) == (by_hand if b >= a else -by_hand)


# -- statutory visits -----------------------------------------------------------------------


def test_child_protection_first_visit_counts_from_plan_start() -> None:
    # Plan starts Monday 2 March 2026: 10 working days later is Monday 16 March.
    assert next_statutory_visit_due("child_protection", date(2026, 3, 2), None, POLICY) == date(
        2026, 3, 16
    )


def test_child_protection_visit_over_christmas() -> None:
    # Thursday 17 Dec 2026 + 10 working days, skipping 25, 28 Dec and 1 Jan: Tuesday 5 Jan 2027.
    due = next_statutory_visit_due(
        "child_protection", date(2026, 12, 1), date(2026, 12, 17), POLICY
    )
    assert due == date(2027, 1, 5)


def test_child_in_need_every_20_working_days() -> None:
    # Monday 3 Aug 2026 + 20 working days, skipping the summer bank holiday: Tuesday 1 Sept.
    due = next_statutory_visit_due("child_in_need", date(2026, 8, 1), date(2026, 8, 3), POLICY)
    assert due == date(2026, 9, 1)


def test_a_visit_before_the_plan_started_does_not_count() -> None:
    due = next_statutory_visit_due("child_protection", date(2026, 3, 2), date(2026, 2, 20), POLICY)
    assert due == date(2026, 3, 16)


def test_visit_interval_follows_policy() -> None:
    policy = Policy(cp_visit_working_days=5)
    assert next_statutory_visit_due("child_protection", date(2026, 3, 2), None, policy) == date(
        2026, 3, 9
    )


PLACEMENT = date(2026, 3, 2)


def test_looked_after_first_visit_within_a_week_of_placement() -> None:
    assert next_statutory_visit_due("looked_after", PLACEMENT, None, POLICY) == date(2026, 3, 9)


def test_looked_after_first_year_every_six_weeks() -> None:
    assert next_statutory_visit_due("looked_after", PLACEMENT, date(2026, 6, 1), POLICY) == date(
        2026, 7, 13
    )
    # The day before the first anniversary is still the first year, even in a long-term placement.
    due = next_statutory_visit_due(
        "looked_after", PLACEMENT, date(2027, 3, 1), POLICY, placement_long_term=True
    )
    assert due == date(2027, 4, 12)


def test_looked_after_after_first_year_long_term_placement_three_months() -> None:
    due = next_statutory_visit_due(
        "looked_after", PLACEMENT, date(2027, 3, 2), POLICY, placement_long_term=True
    )
    # three calendar months, not 13 weeks (13 weeks gave 1 June: the defect of issue 12)
    assert due == date(2027, 6, 2)


def test_looked_after_after_first_year_other_placement_six_weeks() -> None:
    due = next_statutory_visit_due("looked_after", PLACEMENT, date(2027, 3, 2), POLICY)
    assert due == date(2027, 4, 13)


def test_private_fostering() -> None:
    start = date(2026, 3, 2)
    # 7 working days from notification (reg 7), not 7 calendar days (issue 12, defect 4)
    assert next_statutory_visit_due("private_fostering", start, None, POLICY) == date(2026, 3, 11)
    assert next_statutory_visit_due("private_fostering", start, date(2026, 6, 1), POLICY) == date(
        2026, 7, 13
    )
    assert next_statutory_visit_due("private_fostering", start, date(2027, 3, 2), POLICY) == date(
        2027, 5, 25
    )


def test_no_plan_means_no_statutory_visit() -> None:
    assert next_statutory_visit_due("none", date(2026, 3, 2), None, POLICY) is None


def test_unknown_plan_type_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown plan type 'cp'"):
        next_statutory_visit_due("cp", date(2026, 3, 2), None, POLICY)


# -- recording, countersign, oversight ------------------------------------------------------


def test_recording_countersign_and_oversight_deadlines() -> None:
    visit = date(2026, 12, 24)  # Thursday before Christmas
    assert recording_due(visit, POLICY) == date(2026, 12, 30)
    assert countersign_due(visit, POLICY) == date(2026, 12, 30)
    assert oversight_due(visit, POLICY) == date(2027, 1, 5)
    assert recording_due(visit, Policy(record_within_working_days=1)) == date(2026, 12, 29)


# -- describing a due date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "words"),
    [
        (date(2026, 3, 4), date(2026, 3, 4), "due today"),
        (date(2026, 3, 9), date(2026, 3, 6), "due in 1 working day"),  # Friday -> Monday
        (date(2026, 3, 9), date(2026, 3, 4), "due in 3 working days"),
        (date(2026, 3, 9), date(2026, 3, 10), "overdue by 1 working day"),
        (date(2026, 3, 4), date(2026, 3, 9), "overdue by 3 working days"),
        (date(2026, 12, 24), date(2026, 12, 29), "overdue by 1 working day"),  # across Christmas
        (date(2026, 3, 7), date(2026, 3, 9), "overdue by 1 working day"),  # due on a Saturday
        (date(2026, 3, 7), date(2026, 3, 8), "overdue by 1 day"),  # no working day yet
        (date(2026, 12, 26), date(2026, 12, 28), "overdue by 2 days"),  # Sat due, bank-holiday Mon
        (date(2026, 3, 7), date(2026, 3, 6), "due in 1 day"),  # Saturday, seen on Friday
    ],
)
def test_describe_due(due: date, today: date, words: str) -> None:
    assert describe_due(due, today, ENG) == words


@given(due=dates, offset=st.integers(min_value=-60, max_value=60))
def test_describe_due_never_says_zero(due: date, offset: int) -> None:
    words = describe_due(due, due + timedelta(days=offset), ENG)
    assert " 0 " not in words
    assert words.startswith(("due today", "due in ", "overdue by "))
