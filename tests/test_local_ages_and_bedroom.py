"""Local ages and the bedroom expectation are policy, not constants (issue 12, defect 10;
DOMAIN.md, "Seen" and "Timescales": "Local ages are policy too").

Source: local practice (the policy file's ``[record]`` table): the age under which an infant
must be seen awake (default 2), the age from which the child's own words are expected in
quotation marks (default 4), and the visit types on which the bedroom is expected to be seen.
"""

from __future__ import annotations

from datetime import date

from recorder.domain.policy import Policy
from recorder.domain.relevance import field_applies
from recorder.domain.validation import validate
from tests.support.factories import complete_content, visit_context

VISIT_DAY = date(2025, 3, 12)  # the day of complete_content()'s visit


def born_years_before(years: int, months: int = 0) -> date:
    from dateutil.relativedelta import relativedelta

    return VISIT_DAY - relativedelta(years=years, months=months)


def codes(content: dict, **ctx) -> list[str]:
    return [f.code for f in validate(content, visit_context(**ctx))]


def test_defect_10_the_age_under_which_an_infant_is_seen_awake_is_policy() -> None:
    """Issue 12, defect 10: "infant under 2" was a constant. With
    ``infant_seen_awake_under_years = 3`` a child of 2 years 6 months is asked about, and
    the form shows the question; with the default (2) they are not."""
    from recorder.domain.validation import infant_at_visit

    content = complete_content()
    content["seen"].update(seen_alone="no", not_alone_reason="inappropriate")
    content["voice"]["said"] = 'She said "teddy".'
    dob = born_years_before(2, 6)
    council = Policy(infant_seen_awake_under_years=3)
    assert "seen.infant_awake_missing" in codes(content, child_dob=dob, policy=council)
    assert "seen.infant_awake_missing" not in codes(content, child_dob=dob)
    assert infant_at_visit(content, visit_context(child_dob=dob, policy=council))
    assert not infant_at_visit(content, visit_context(child_dob=dob))
    ctx = visit_context(child_dob=dob, policy=council)
    assert field_applies("seen", "infant_awake", content, under_two=infant_at_visit(content, ctx))
    message = next(
        f.message for f in validate(content, ctx) if f.code == "seen.infant_awake_missing"
    )
    assert "is under 3 years old" in message


def test_defect_10_the_age_from_which_words_are_quoted_is_policy() -> None:
    """Issue 12, defect 10: "quoted words from 4" was a constant. With
    ``quoted_words_from_years = 5`` a four-year-old's record without quotation marks is no
    query; with 3, a three-year-old's is, and the query says the age."""
    content = complete_content()
    content["voice"]["said"] = "She talked about her nursery and her new shoes."
    four = born_years_before(4, 1)
    assert "voice.no_quoted_words" in codes(content, child_dob=four)
    assert "voice.no_quoted_words" not in codes(
        content, child_dob=four, policy=Policy(quoted_words_from_years=5)
    )
    three = born_years_before(3, 1)
    assert "voice.no_quoted_words" not in codes(content, child_dob=three)
    ctx = visit_context(child_dob=three, policy=Policy(quoted_words_from_years=3))
    (query,) = [f for f in validate(content, ctx) if f.code == "voice.no_quoted_words"]
    assert "is 3 or over" in query.message


def test_the_bedroom_is_expected_on_a_statutory_visit_at_home_or_the_placement() -> None:
    """Policy ``bedroom_expected`` (default: the four statutory visit types): at home or at
    the placement "Not applicable" is refused; "No" with a reason is still a true answer."""
    content = complete_content()  # a child-protection statutory visit at home
    content["seen"]["bedroom_seen"] = "na"
    (finding,) = [f for f in validate(content, visit_context()) if f.field == "bedroom_seen"]
    assert finding.code == "seen.bedroom_expected"
    assert finding.message == (
        "On a child protection statutory visit at home Amira's bedroom is expected to be "
        "seen: say Yes, or No with the reason."
    )
    content["details"]["location"] = "placement"
    assert "seen.bedroom_expected" in codes(content)
    content["seen"].update(bedroom_seen="no", bedroom_reason="Her sister was asleep in it.")
    assert codes(content) == []


def test_the_bedroom_may_not_apply_away_from_home_or_on_other_visits() -> None:
    """At school, or on a visit type the policy does not list, "Not applicable" stands."""
    content = complete_content()
    content["seen"]["bedroom_seen"] = "na"
    content["details"]["location"] = "school"
    assert codes(content) == []
    content["details"]["location"] = "home"
    content["details"]["visit_type"] = "other"
    assert codes(content) == []


def test_a_council_decides_which_visit_types_expect_the_bedroom() -> None:
    """``bedroom_expected = []`` expects it nowhere; ``["other"]`` on an "other" visit too."""
    content = complete_content()
    content["seen"]["bedroom_seen"] = "na"
    assert codes(content, policy=Policy(bedroom_expected=())) == []
    content["details"]["visit_type"] = "other"
    assert "seen.bedroom_expected" in codes(content, policy=Policy(bedroom_expected=("other",)))
