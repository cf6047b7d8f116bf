"""The pure rules of contacts (recorder.domain.contacts): one outcome, what a contact needs,
who may record and decide, and the domestic-abuse alert's count (issue 13 items 1-2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from recorder.domain import contacts as C
from recorder.domain.policy import Policy, PolicyError
from recorder.domain.roles import Actor, Role

NOW = datetime(2026, 12, 2, 12, 0)


def actor(role: Role, team: int | None = 1, reg: str | None = "SW1", problem: str = "") -> Actor:
    return Actor(
        id=7,
        name="A",
        role=role,
        team_id=team,
        registration_number=reg if role is not Role.ADMINISTRATOR else None,
        registration_problem=problem,
    )


def test_there_are_exactly_six_outcomes_each_named():
    assert [o.label for o in C.Outcome] == [
        "No further action",
        "Advice or information given",
        "Step down to early help",
        "Referral for assessment",
        "Strategy discussion / section 47 enquiry",
        "Already open",
    ]
    assert C.SEEN_AFTER == {C.Outcome.REFERRAL, C.Outcome.SECTION_47}


def test_several_outcomes_are_never_one_decision():
    assert C.validate_decision(["nfa", "early_help"], "r") == [
        "A contact has exactly one outcome; choose one."
    ]
    assert C.validate_decision("nfa", "Police dealt with it.") == []
    assert C.validate_decision("", "r") and C.validate_decision("nfa", "")


def test_census_sources_are_coded_and_named():
    assert C.source_name("2A") == "Schools" and C.source_name("6") == "Police"
    assert C.source_name("99") == ""
    assert len(C.SOURCES) == 22


def test_a_domestic_abuse_notification_needs_its_incident_risk_and_children_present():
    ci = C.cleaned(
        C.ContactInput(NOW, "6", "PC Jones", "argument", "records", C.ContactKind.DOMESTIC_ABUSE)
    )
    problems = " ".join(C.validate_contact(ci, NOW))
    assert "date of the incident" in problems and "risk level" in problems
    assert "children were present" in problems
    plain = C.cleaned(C.ContactInput(NOW, "2a", "Hill Primary", "c", "k", risk_level="high"))
    assert plain.source_code == "2A"
    assert C.validate_contact(plain, NOW) == [
        "Only a domestic-abuse notification has an incident date, a risk level and the "
        "children present."
    ]


def test_text_is_cleaned_of_escape_sequences():
    ci = C.cleaned(C.ContactInput(NOW, "6", "PC\x1b]0;x\x07 Jones", "a\x1b[31mb", "c\u202e"))
    assert ci.referrer == "PC]0;x Jones" and ci.concern == "a[31mb" and ci.checked == "c"


def test_who_may_record_and_decide():
    sw, tm, sm = actor(Role.SOCIAL_WORKER), actor(Role.TEAM_MANAGER), actor(Role.SERVICE_MANAGER)
    sm = Actor(**{**sm.__dict__, "team_id": None, "service_team_ids": frozenset({1})})
    admin, student = actor(Role.ADMINISTRATOR, team=None), actor(Role.UNQUALIFIED, reg=None)
    assert C.may_record_contact(sw, 1) and C.may_record_contact(tm, 1)
    assert C.may_record_contact(sm, 1)
    assert not C.may_record_contact(sw, 2) and not C.may_record_contact(admin, 1)
    assert not C.may_record_contact(student, 1)
    assert C.may_decide_contact(tm, 1, False) and C.may_decide_contact(sm, 1, False)
    for who in (sw, admin, student):
        assert not C.may_decide_contact(who, 1, False)
    assert not C.may_decide_contact(tm, 2, False)
    assert C.may_decide_contact(tm, 1, True).code == "decided"
    unverified = actor(Role.TEAM_MANAGER, problem="not checked since 30 Nov 2026")
    assert C.may_decide_contact(unverified, 1, False).code == "unverified"


def test_the_window_is_m_calendar_months_ending_on_the_day():
    assert C.da_window_start(date(2026, 12, 2), 12) == date(2025, 12, 3)
    assert C.da_window_start(date(2026, 2, 28), 3) == date(2025, 11, 29)
    two_earlier = [date(2026, 2, 10), date(2026, 7, 1)]
    assert C.da_alert_due(date(2026, 12, 2), two_earlier, 3, 12)
    assert not C.da_alert_due(date(2026, 12, 2), [date(2025, 12, 2), date(2026, 7, 1)], 3, 12)


@given(
    st.dates(date(2024, 1, 1), date(2028, 12, 31)),
    st.lists(st.integers(-800, 800), max_size=8),
    st.integers(2, 6),
    st.integers(1, 24),
)
def test_the_alert_counts_exactly_the_notifications_inside_the_window(day, offsets, n, months):
    """The alert is due exactly when the notifications received inside the M months ending on
    this one's day, this one included, number N or more; any outside never count."""
    others = [day + timedelta(days=o) for o in offsets]
    start = C.da_window_start(day, months)
    inside = [d for d in others if start <= d <= day]
    assert C.da_alert_due(day, others, n, months) == (len(inside) + 1 >= n)
    # moving every notification outside the window never raises it (N >= 2)
    outside = [d for d in others if d < start or d > day]
    assert not C.da_alert_due(day, outside, n, months)


def test_contact_policy_keys_have_ranges():
    p = Policy()
    assert (p.da_alert_notifications, p.da_alert_months) == (3, 12)
    assert p.referrer_told_within_working_days == 3
    assert p.referral_seen_within_working_days == 5
    for bad in ({"da_alert_notifications": 1}, {"da_alert_months": 37}):
        try:
            Policy(**bad)
        except PolicyError as e:
            assert "[contacts]" in str(e)
        else:  # pragma: no cover
            raise AssertionError(bad)
