"""Supervision frequency (DOMAIN.md "Timescales": ASYE weekly for the first 6 weeks,
fortnightly to 6 months, then monthly; everyone else at least monthly, calendar months) and
the rules of tracked actions: who an action's "who" names, the date its "by when" gives."""

from __future__ import annotations

from datetime import date

import pytest

from recorder.domain.actions import Person, due_words, may_mark_done, parse_due, resolve_assignee
from recorder.domain.roles import Actor, Role, UnqualifiedKind
from recorder.domain.supervision import (
    CaseDiscussionInput,
    Frequency,
    SupervisionInput,
    case_is_blank,
    may_supervise,
    supervision_due,
    validate_supervision,
)

TODAY = date(2026, 11, 26)
START = date(2026, 9, 1)  # an ASYE that started on 1 September


@pytest.mark.parametrize(
    "last, due, band",
    [
        (date(2026, 9, 1), date(2026, 9, 8), "weekly"),  # week 1
        (date(2026, 10, 12), date(2026, 10, 19), "weekly"),  # the last day of week 6
        (date(2026, 10, 13), date(2026, 10, 27), "fortnightly"),  # the first day after 6 weeks
        (date(2027, 2, 28), date(2027, 3, 14), "fortnightly"),  # still inside 6 months
        (date(2027, 3, 1), date(2027, 4, 1), "monthly"),  # 6 calendar months: monthly
    ],
)
def test_asye_bands(last, due, band):
    d = supervision_due(last, TODAY, asye=True, asye_start=START)
    assert d.due == due and d.band.startswith(band)


def test_months_are_calendar_months():
    assert supervision_due(date(2026, 1, 31), TODAY).due == date(2026, 2, 28)
    assert supervision_due(date(2026, 11, 30), TODAY).due == date(2026, 12, 30)
    every_three = Frequency(every_months=3)
    assert supervision_due(date(2026, 11, 30), TODAY, frequency=every_three).due == date(
        2027, 2, 28
    )
    # an ASYE that started on 31 August: six calendar months end on 28 February
    d = supervision_due(date(2027, 2, 27), TODAY, asye=True, asye_start=date(2026, 8, 31))
    assert d.band.startswith("fortnightly")
    d = supervision_due(date(2027, 2, 28), TODAY, asye=True, asye_start=date(2026, 8, 31))
    assert d.band.startswith("monthly")


def test_words_say_due_or_overdue_with_a_count():
    assert supervision_due(date(2026, 10, 20), TODAY).words == "supervision overdue by 6 days"
    assert supervision_due(date(2026, 10, 25), TODAY).words == "supervision overdue by 1 day"
    assert supervision_due(date(2026, 10, 26), TODAY).words == "supervision due today"
    assert supervision_due(date(2026, 11, 20), TODAY).words == "supervision due in 24 days"
    assert supervision_due(date(2026, 10, 20), TODAY).overdue
    # none yet: counted from the start of the ASYE, or from when the account was made
    d = supervision_due(None, TODAY, asye=True, asye_start=date(2026, 11, 16))
    assert d.due == date(2026, 11, 23) and d.words.endswith("(none recorded yet)")
    assert supervision_due(None, TODAY, since=date(2026, 11, 1)).due == date(2026, 12, 1)
    # a worker flagged ASYE before it started is supervised monthly until it does
    assert (
        supervision_due(date(2026, 11, 1), TODAY, asye=True, asye_start=date(2027, 1, 4)).band
        == "monthly"
    )


def _actor(id_, role=Role.TEAM_MANAGER, team=1, reg="SW1", kind=None):
    return Actor(id_, "x", role, team, reg, None, kind)


def test_who_may_supervise_and_mark_done():
    manager = _actor(1)
    assert may_supervise(manager, 2, 1)
    assert not may_supervise(manager, 1, 1)  # not their own
    assert not may_supervise(manager, 2, 7)  # another team's worker
    assert not may_supervise(_actor(3, Role.SOCIAL_WORKER), 2, 1)
    student = _actor(4, Role.UNQUALIFIED, reg=None, kind=UnqualifiedKind.STUDENT)
    assert may_mark_done(student, 4, 1)
    assert not may_mark_done(student, 2, 1)
    assert may_mark_done(manager, 4, 1) and not may_mark_done(manager, 4, 2)
    assert not may_mark_done(_actor(5, Role.ADMINISTRATOR, reg=None), 5, 1)


def test_validation_names_what_is_missing():
    ok = SupervisionInput(TODAY, "Maya, Sam", "well", "heavy", "ASYE portfolio")
    assert validate_supervision(ok, TODAY) == []
    case = CaseDiscussionInput(9, "", ({"what": "visit", "who": "", "by_when": ""},), "")
    problems = validate_supervision(
        SupervisionInput(date(2026, 12, 1), "", "", "w", "l", (case, case)), TODAY, {9: "Amira"}
    )
    assert problems == [
        "The supervision date cannot be in the future.",
        "Who attended may not be empty.",
        "Wellbeing may not be empty.",
        "Amira: the decision may not be empty.",
        "Amira: say how the child's voice was considered.",
        "Amira: action 1 needs who, by when.",
        "Amira is discussed twice: one case discussion per child.",
        "Amira: the decision may not be empty.",
        "Amira: say how the child's voice was considered.",
        "Amira: action 1 needs who, by when.",
    ]
    assert case_is_blank(CaseDiscussionInput(9, " ", ({"what": "", "who": ""},), ""))
    assert not case_is_blank(case)


def test_an_actions_who_and_by_when():
    people = [
        Person(1, "Sam Social", "sw"),
        Person(2, "Stu Student", "student"),
        Person(3, "Sam Other", "so"),
    ]
    assert resolve_assignee("Stu Student", people) == 2
    assert resolve_assignee("student", people) == 2
    assert resolve_assignee("stu", people) == 2
    assert resolve_assignee("Sam", people) is None  # two Sams: nobody guessed
    assert resolve_assignee("social worker", people, allocated_id=1) == 1
    assert resolve_assignee("me", people, writer_id=7) == 7
    assert resolve_assignee("Mum", people) is None
    assert parse_due("2026-12-10", TODAY) == date(2026, 12, 10)
    assert parse_due("by 4/12/26", TODAY) == date(2026, 12, 4)
    assert parse_due("Friday 4th Dec", TODAY) == date(2026, 12, 4)
    assert parse_due("1 January", TODAY) == date(2027, 1, 1)
    assert parse_due("next supervision", TODAY) is None
    assert parse_due("31/02/2026", TODAY) is None
    assert due_words(date(2026, 11, 24), TODAY) == "overdue by 2 days"
    assert due_words(date(2026, 11, 27), TODAY) == "due in 1 day"
    assert due_words(None, TODAY) == "no due date"
