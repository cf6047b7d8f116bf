"""The statutory visit clock over plans and placements as records (issue 12).

Each test is named after the rule it enforces; its docstring gives the rule's source.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from recorder.domain import plans
from recorder.domain.plans import Frequency, Placement, Plan
from recorder.domain.policy import Policy
from recorder.domain.timescales import seen_alone_due, statutory_visit_due

POLICY = Policy()
CP, CIN, LAC, PF = "cp_statutory", "child_in_need", "lac_statutory", "private_fostering"


def due(plan_list, visits=(), on=date(2026, 11, 26), placements=(), **kw):
    d = statutory_visit_due(plan_list, placements, visits, on, POLICY, **kw)
    return d.on if d is not None else None


def lac(start, kind="foster_care", *, first_review=None, plan_start=None):
    return [Plan("looked_after", plan_start or start)], [
        Placement(kind, start, first_review_on=first_review)
    ]


# -- the plan in force and the visit types that count ----------------------------------------


def test_child_in_need_visit_never_resets_a_child_protection_clock() -> None:
    """A visit counts only when its type matches the plan in force (DOMAIN.md "Plans and
    placements"; issue 12, defect 1: any statutory type reset any child's clock)."""
    cp = [Plan("child_protection", date(2026, 11, 2))]
    # plan started Monday 2 Nov: 10 working days later is Monday 16 Nov
    assert due(cp, [(date(2026, 11, 12), CIN)]) == date(2026, 11, 16)
    assert due(cp, [(date(2026, 11, 12), PF)]) == date(2026, 11, 16)
    assert due(cp, [(date(2026, 11, 12), LAC)]) == date(2026, 11, 16)
    assert due(cp, [(date(2026, 11, 12), CP)]) == date(2026, 11, 26)


def test_a_visit_counts_for_the_plan_in_force_on_its_day() -> None:
    """A child stepped up from child in need to child protection: the new plan's clock starts
    at its own start; earlier visits, even of the matching type, belong to the old plan
    (DOMAIN.md "Plans and placements")."""
    history = [
        Plan("child_in_need", date(2026, 6, 1), end=date(2026, 11, 1)),
        Plan("child_protection", date(2026, 11, 2)),
    ]
    visits = [(date(2026, 10, 30), CIN), (date(2026, 10, 29), CP)]
    assert due(history, visits) == date(2026, 11, 16)
    # and on a day of the old plan, the old plan's clock (20 working days after 30 Oct)
    assert due(history, visits, on=date(2026, 10, 30)) == date(2026, 11, 27)


def test_no_plan_in_force_means_no_statutory_visit_due() -> None:
    """A plan that has ended sets no visits (DOMAIN.md "Plans and placements")."""
    ended = [Plan("child_in_need", date(2026, 6, 1), end=date(2026, 10, 31))]
    assert due(ended) is None
    assert due([]) is None


def test_due_as_of_a_day_leaves_out_that_days_visits() -> None:
    """What was due when a visit was made is measured without that visit (for "made N
    working days late", DOMAIN.md "Timescales")."""
    cp = [Plan("child_protection", date(2026, 11, 2))]
    visits = [(date(2026, 11, 18), CP)]
    assert due(cp, visits, on=date(2026, 11, 18), before=True) == date(2026, 11, 16)
    assert due(cp, visits, on=date(2026, 11, 18)) == date(2026, 12, 2)


# -- what the conference or review set --------------------------------------------------------


def test_conference_frequency_replaces_the_policy_default() -> None:
    """The child protection plan sets "when and in what situations the child will be seen"
    (Working Together to Safeguard Children 2023; issue 12, defect 5): a conference that set
    visits every 5 working days beats the policy's 10, from the day it set it."""
    conference = Frequency(date(2026, 11, 9), 5, None, "Initial child protection conference")
    cp = [Plan("child_protection", date(2026, 11, 2), frequencies=(conference,))]
    visits = [(date(2026, 11, 20), CP)]
    assert due(cp, visits) == date(2026, 11, 27)  # Fri 20 Nov + 5 working days
    assert due(cp, on=date(2026, 11, 6)) == date(2026, 11, 16)  # before the conference: policy
    cin = [Plan("child_in_need", date(2026, 11, 2), frequencies=(conference,))]
    assert due(cin, [(date(2026, 11, 20), CIN)]) == date(2026, 11, 27)


def test_a_conference_frequency_counts_from_the_conference_when_it_sat_after_the_visit() -> None:
    """Local practice: a frequency the conference sets applies from the day it sat; a child
    last seen the week before is due 5 working days after the conference, not overdue for
    the days before it."""
    conference = Frequency(date(2026, 11, 16), 5, None, "Review child protection conference")
    cp = [Plan("child_protection", date(2026, 9, 1), frequencies=(conference,))]
    assert due(cp, [(date(2026, 11, 9), CP)]) == date(2026, 11, 23)


def test_review_frequency_only_brings_a_looked_after_visit_forward() -> None:
    """Reg 28's intervals are the longest allowed (Care Planning, Placement and Case Review
    (England) Regulations 2010, reg 28): a review may ask for more visits, never fewer."""
    often = Frequency(date(2026, 9, 1), 10, None, "Looked-after review")
    rarely = Frequency(date(2026, 9, 1), 60, None, "Looked-after review")
    placement = [Placement("foster_care", date(2026, 9, 1))]
    last = [(date(2026, 11, 2), LAC)]
    plan = Plan("looked_after", date(2026, 9, 1), frequencies=(often,))
    assert due([plan], last, placements=placement) == date(2026, 11, 16)
    plan = Plan("looked_after", date(2026, 9, 1), frequencies=(rarely,))
    assert due([plan], last, placements=placement) == date(2026, 12, 14)  # six weeks


def test_plan_sets_how_often_the_child_is_seen_alone() -> None:
    """The plan says how often the child is seen alone (local practice, after Working
    Together 2023: the plan sets when the child is seen, alone and with others)."""
    f = Frequency(date(2026, 11, 2), 5, 10, "Initial child protection conference")
    cp = [Plan("child_protection", date(2026, 11, 2), frequencies=(f,))]
    alone = [(date(2026, 11, 12), CP), (date(2026, 11, 20), CIN)]
    d = seen_alone_due(cp, [], alone, date(2026, 11, 26), POLICY)
    assert d is not None and d.on == date(2026, 11, 26)
    plain = [Plan("child_protection", date(2026, 11, 2))]
    assert seen_alone_due(plain, [], alone, date(2026, 11, 26), POLICY) is None


# -- looked-after children: every case of reg 28 ---------------------------------------------


def test_looked_after_first_visit_within_one_week_of_any_placement() -> None:
    """Reg 28(2)(a) of the Care Planning, Placement and Case Review (England) Regulations
    2010: within one week of the start of any placement."""
    plan, placement = lac(date(2026, 11, 23))
    assert due(plan, placements=placement) == date(2026, 11, 30)


def test_a_placement_move_restarts_the_first_week_rule() -> None:
    """Reg 28(2)(a): "within one week of the start of ANY placement": a visit in the old
    placement does not count for the new one (issue 12, defect 3)."""
    plan = [Plan("looked_after", date(2026, 3, 2))]
    moves = [
        Placement("foster_care", date(2026, 3, 2), end=date(2026, 11, 19)),
        Placement("residential", date(2026, 11, 20)),
    ]
    visits = [(date(2026, 11, 18), LAC)]
    assert due(plan, visits, placements=moves) == date(2026, 11, 27)
    assert due(plan, visits, placements=moves, on=date(2026, 11, 19)) == date(2026, 12, 30)


def test_looked_after_every_six_weeks_in_the_first_year_of_a_placement() -> None:
    """Reg 28(2)(b): at intervals of not more than six weeks for the first year of any
    placement."""
    plan, placement = lac(date(2026, 3, 2), "long_term")
    assert due(plan, [(date(2027, 3, 1), LAC)], placements=placement, on=date(2027, 3, 1)) == (
        date(2027, 4, 12)
    )


def test_long_term_placement_after_first_year_every_three_calendar_months() -> None:
    """Reg 28(2)(c)(i): where the placement is intended to last until C is 18, at intervals
    of not more than three months; months are calendar months (DOMAIN.md "Timescales": three
    months after 30 November is 28 February, not 13 weeks; issue 12, defect 3)."""
    plan, placement = lac(date(2025, 10, 1), "long_term")
    visits = [(date(2026, 11, 30), LAC)]
    assert due(plan, visits, placements=placement, on=date(2026, 11, 30)) == date(2027, 2, 28)


def test_other_placement_after_first_year_every_six_weeks() -> None:
    """Reg 28(2)(c)(ii): in any other case, at intervals of not more than six weeks."""
    plan, placement = lac(date(2025, 10, 1), "residential")
    visits = [(date(2026, 11, 30), LAC)]
    assert due(plan, visits, placements=placement, on=date(2026, 11, 30)) == date(2027, 1, 11)


def test_placed_with_parent_reg19_weekly_until_first_review_then_six_weeks() -> None:
    """Reg 28(3): where reg 19 applies (placed with a parent before the assessment is
    complete), at least once a week until the first review, then at most every six weeks."""
    plan, placement = lac(date(2026, 11, 2), "placed_with_parent_reg19")
    assert due(plan, placements=placement, on=date(2026, 11, 2)) == date(2026, 11, 9)
    assert due(plan, [(date(2026, 11, 16), LAC)], placements=placement) == date(2026, 11, 23)
    plan, placement = lac(
        date(2026, 11, 2), "placed_with_parent_reg19", first_review=date(2026, 11, 20)
    )
    assert due(plan, [(date(2026, 11, 23), LAC)], placements=placement) == date(2027, 1, 4)


def test_connected_person_reg24_weekly_until_first_review_then_four_weeks() -> None:
    """Reg 28(4): where reg 24 applies (temporary approval of a relative, friend or other
    connected person), at least once a week until the first review, then every four weeks."""
    plan, placement = lac(date(2026, 11, 2), "connected_person_reg24")
    assert due(plan, [(date(2026, 11, 23), LAC)], placements=placement) == date(2026, 11, 30)
    plan, placement = lac(
        date(2026, 11, 2), "connected_person_reg24", first_review=date(2026, 11, 20)
    )
    assert due(plan, [(date(2026, 11, 23), LAC)], placements=placement) == date(2026, 12, 21)


def test_interim_care_order_at_home_weekly_until_first_review_then_four_weeks() -> None:
    """Reg 28(4): an interim care order (s38 Children Act 1989) while C lives with a parent:
    weekly until the first review, then at most every four weeks."""
    plan, placement = lac(
        date(2026, 11, 2), "interim_care_order_at_home", first_review=date(2026, 11, 25)
    )
    on = date(2026, 11, 17)
    assert due(plan, [(on, LAC)], placements=placement, on=on) == date(2026, 11, 24)
    # the review falls within the week after this visit: four weeks from it
    on = date(2026, 11, 20)
    assert due(plan, [(on, LAC)], placements=placement, on=on) == date(2026, 12, 18)


def test_care_order_at_home_within_a_week_of_the_order_then_six_weeks() -> None:
    """Reg 28(5): a care order (s31) while C lives with a parent: within one week of the
    order, then at most every six weeks, in the first year and after."""
    plan, placement = lac(date(2025, 6, 2), "care_order_at_home")
    assert due(plan, placements=placement, on=date(2025, 6, 3)) == date(2025, 6, 9)
    assert due(plan, [(date(2026, 11, 2), LAC)], placements=placement) == date(2026, 12, 14)


def test_short_breaks_first_within_three_months_then_every_six_calendar_months() -> None:
    """Reg 48(3)(c) of the 2010 Regulations (short breaks): the first visit within three
    months of the first placement, then at intervals of not more than six months."""
    plan, placement = lac(date(2026, 8, 31), "short_breaks_reg48")
    assert due(plan, placements=placement) == date(2026, 11, 30)
    assert due(plan, [(date(2026, 11, 25), LAC)], placements=placement) == date(2027, 5, 25)


# -- private fostering ------------------------------------------------------------------------


def test_private_fostering_first_visit_within_seven_working_days_of_notification() -> None:
    """Reg 7 of the Children (Private Arrangements for Fostering) Regulations 2005: a visit
    within 7 working days of notification. Notified on Friday 18 Dec 2026, it is due on
    Thursday 31 Dec: not Christmas Day or Boxing Day (issue 12, defect 4)."""
    pf = [Plan("private_fostering", date(2026, 12, 18), notified_on=date(2026, 12, 18))]
    d = due(pf, on=date(2026, 12, 18))
    assert d == date(2026, 12, 31)
    assert d not in (date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 28))


def test_private_fostering_is_counted_from_when_the_council_was_notified() -> None:
    """Reg 8(6) of the 2005 Regulations: the arrangement is deemed to begin when the local
    authority become aware of it, not when the child moved in."""
    pf = [Plan("private_fostering", date(2026, 9, 1), notified_on=date(2026, 11, 20))]
    assert due(pf, [(date(2026, 11, 2), PF)]) == date(2026, 12, 1)


def test_private_fostering_every_six_weeks_in_the_first_year_then_twelve() -> None:
    """Reg 8(1) of the 2005 Regulations: at intervals of not more than six weeks in the first
    year of the arrangement, then not more than 12 weeks."""
    pf = [Plan("private_fostering", date(2025, 10, 1), notified_on=date(2025, 10, 1))]
    assert due(pf, [(date(2026, 9, 1), PF)], on=date(2026, 9, 1)) == date(2026, 10, 13)
    assert due(pf, [(date(2026, 11, 2), PF)]) == date(2027, 1, 25)


# -- what may be recorded -----------------------------------------------------------------------


def test_private_fostering_plan_needs_its_notification_date() -> None:
    """Reg 8(6) of the 2005 Regulations counts the arrangement from notification, so the
    record needs that date."""
    kw = dict(date_of_birth=date(2015, 1, 1), today=date(2026, 11, 26))
    assert "notified" in (plans.plan_problem("private_fostering", date(2026, 11, 2), **kw) or "")
    ok = plans.plan_problem(
        "private_fostering", date(2026, 11, 2), notified_on=date(2026, 11, 3), **kw
    )
    assert ok is None
    assert plans.plan_problem("looked_after", date(2026, 11, 30), **kw) is not None  # future


def test_only_a_looked_after_child_has_placements() -> None:
    """Placements are the looked-after child's (reg 28 of the 2010 Regulations)."""
    today = date(2026, 11, 26)
    cp = Plan("child_protection", date(2026, 11, 2))
    assert plans.placement_problem("foster_care", today, plan=cp, today=today) is not None
    la = Plan("looked_after", date(2026, 11, 2))
    assert plans.placement_problem("foster_care", today, plan=la, today=today) is None
    assert plans.placement_problem("kennel", today, plan=la, today=today) is not None


def test_a_conference_frequency_is_bounded_by_policy() -> None:
    """A frequency must be a number of working days from 1 to the policy's maximum (a huge
    value would overflow the calendar: issue 12, defect 12)."""
    plan = Plan("child_protection", date(2026, 11, 2))
    kw = dict(plan=plan, today=date(2026, 11, 26), policy=POLICY)
    assert plans.frequency_problem(5, 10, date(2026, 11, 9), **kw) is None
    assert plans.frequency_problem(0, None, date(2026, 11, 9), **kw) is not None
    assert plans.frequency_problem(None, 100_000_000_000, date(2026, 11, 9), **kw) is not None


# -- property: a visit of another type never moves the clock ----------------------------------

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
kinds = st.sampled_from(list(plans.PLAN_KINDS))
visit_types = st.sampled_from([CP, CIN, LAC, PF, "other", None])
placement_kinds = st.sampled_from(list(plans.PLACEMENT_TYPES))


@st.composite
def histories(draw):
    """A child's plans (consecutive, each ending the day before the next starts) and, for
    a looked-after plan, consecutive placements inside it."""
    start = draw(days)
    plan_list, placement_list = [], []
    for i in range(draw(st.integers(1, 3))):
        length = draw(st.integers(1, 400))
        end = start + timedelta(days=length)
        kind = draw(kinds)
        freq = ()
        if draw(st.booleans()):
            freq = (Frequency(start, draw(st.integers(1, 65)), None, "conference"),)
        plan_list.append(
            Plan(kind, start, end, start if kind == "private_fostering" else None, freq, i)
        )
        if kind == "looked_after":
            p_start = start
            while p_start <= end:
                p_end = min(end, p_start + timedelta(days=draw(st.integers(0, 200))))
                review = p_start + timedelta(days=draw(st.integers(0, 60)))
                placement_list.append(Placement(draw(placement_kinds), p_start, p_end, review))
                p_start = p_end + timedelta(days=1)
        start = end + timedelta(days=1)
    return plan_list, placement_list


@settings(max_examples=300, deadline=None)
@given(
    history=histories(),
    visits=st.lists(st.tuples(days, visit_types), max_size=8),
    stray=st.tuples(days, visit_types),
    on=days,
)
def test_a_visit_whose_type_does_not_match_the_plan_in_force_never_moves_its_clock(
    history, visits, stray, on
) -> None:
    """DOMAIN.md "Plans and placements": a visit counts towards the clock of the plan in
    force on the day of the visit, and only when its type matches that plan."""
    plan_list, placement_list = history
    plan = plans.in_force(plan_list, stray[0])
    if plan is not None and stray[1] == plans.VISIT_TYPE_FOR_PLAN[plan.kind]:
        stray = (stray[0], "other")  # make it a visit that does not match its day's plan
    now = plans.in_force(plan_list, on)
    if now is not None and stray[1] == plans.VISIT_TYPE_FOR_PLAN[now.kind]:
        # it matched today's plan but not its own day's: then it predates today's plan
        assert plan is not now
    without = statutory_visit_due(plan_list, placement_list, visits, on, POLICY)
    with_it = statutory_visit_due(plan_list, placement_list, [*visits, stray], on, POLICY)
    assert with_it == without


# -- the defects measured on main, through the function main had (issue 12) --------------------


def test_defect_3_three_months_are_calendar_months_not_13_weeks() -> None:
    """Reg 28(2)(c)(i) of the 2010 Regulations: "three months"; DOMAIN.md "Timescales": a
    last visit on 30 Nov 2026 gives 28 Feb 2027 (13 weeks gave 1 Mar)."""
    from recorder.domain.timescales import next_statutory_visit_due

    due = next_statutory_visit_due(
        "looked_after", date(2025, 10, 1), date(2026, 11, 30), POLICY, placement_long_term=True
    )
    assert due == date(2027, 2, 28)


def test_defect_4_private_fostering_notified_before_christmas_is_not_due_on_christmas_day() -> None:
    """Reg 7 of the Children (Private Arrangements for Fostering) Regulations 2005: within 7
    working days of notification; an arrangement from Friday 18 Dec 2026 fell due on
    Christmas Day (7 calendar days)."""
    from recorder.domain.timescales import next_statutory_visit_due

    due = next_statutory_visit_due("private_fostering", date(2026, 12, 18), None, POLICY)
    assert due == date(2026, 12, 31)
