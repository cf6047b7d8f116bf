"""The rules of a complete visit record (DOMAIN.md, "The visit record: sections")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recorder.domain.content import clean_content
from recorder.domain.flags import visit_flags
from recorder.domain.policy import Policy
from recorder.domain.progress import OpenAction
from recorder.domain.sections import SECTIONS, SectionKey
from recorder.domain.validation import (
    FINDING_CODES,
    QUERY_TITLES,
    Finding,
    SectionState,
    Severity,
    age_on,
    blocking,
    has_quoted_words,
    overridden_queries,
    section_states,
    validate,
    validate_section,
)
from tests.support.factories import CHILD_NAME, complete_content, visit_context

Content = dict[str, dict[str, Any]]


# --- small helpers to change the complete fixture --------------------------------------


def drop(section: str, *keys: str) -> Callable[[Content], None]:
    def change(c: Content) -> None:
        for key in keys:
            c[section].pop(key, None)

    return change


OPEN_ACTION = OpenAction(7, "Book a joint visit", "Sam Social", "Oversight action from Maya")


def test_progress_answered_for_each_open_action_is_complete() -> None:
    content = complete_content()
    content["actions"]["progress"] = {
        "7": {"what": "Book a joint visit", "status": "in_progress", "note": "Booked for 9 Dec."}
    }
    assert validate(content, visit_context(open_actions=(OPEN_ACTION,))) == []
    assert clean_content(content, Policy()) == content


def put(section: str, **values: Any) -> Callable[[Content], None]:
    def change(c: Content) -> None:
        c[section].update(values)

    return change


def both(*changes: Callable[[Content], None]) -> Callable[[Content], None]:
    def change(c: Content) -> None:
        for ch in changes:
            ch(c)

    return change


NOT_SEEN = {
    "child_seen": "no",
    "failed_what_happened": "No answer at the door at 16:30; curtains drawn, lights on upstairs.",
    "failed_attempts": ["phone", "neighbours", "school"],
    "failed_action": ["manager_informed", "revisit_booked"],
    "failed_next_seen": "2025-03-14",
}


def not_seen(**extra: Any) -> Callable[[Content], None]:
    def change(c: Content) -> None:
        c["seen"] = {**NOT_SEEN, **extra}
        c["seen"] = {k: v for k, v in c["seen"].items() if v is not None}
        c["voice"] = {"views_from_others": "School say Amira has told her teacher she is happy."}

    return change


INFANT = {"child_dob": date(2024, 1, 10)}
TODDLER = {"child_dob": date(2022, 1, 10)}  # 3 on the visit date
NOT_SEEN_ALONE = {"seen_alone": "no", "not_alone_reason": "inappropriate"}
FAMILY_INTERPRETER = {
    "interpreter_relationship": "family",
    "interpreter_name": "Yusuf Haddad",
    "interpreter_agency": None,
}


# code -> (change to the complete record, context overrides)
CASES: dict[str, tuple[Callable[[Content], None], dict[str, Any]]] = {
    # 1. Visit details
    "details.visit_at_missing": (drop("details", "visit_at"), {}),
    "details.visit_at_invalid": (put("details", visit_at="12th March"), {}),
    "details.visit_at_future": (put("details", visit_at="2025-03-13T09:01"), {}),
    "details.visit_at_before_birth": (put("details", visit_at="2015-06-01T10:00"), {}),
    "details.visit_type_missing": (drop("details", "visit_type"), {}),
    "details.announced_missing": (drop("details", "announced"), {}),
    "details.location_missing": (drop("details", "location"), {}),
    "details.location_other_missing": (put("details", location="other"), {}),
    "details.purpose_missing": (put("details", purpose="  \n "), {}),
    "details.present_missing": (drop("details", "present"), {}),
    "details.present_name_missing": (put("details", present=[{"role": "mother"}]), {}),
    "details.present_role_missing": (put("details", present=[{"name": "Layla Haddad"}]), {}),
    "details.absent_missing": (drop("details", "absent"), {}),
    "details.absent_contradiction": (put("details", none_absent="yes"), {}),
    "details.absent_name_missing": (put("details", absent=[{"role": "father"}]), {}),
    "details.absent_role_missing": (put("details", absent=[{"name": "Karim Haddad"}]), {}),
    "details.joint_worker_unknown": (
        put("details", joint_worker=99),
        {"joint_workers": {7: "Sam"}},
    ),
    # 2. Seen
    "seen.child_seen_missing": (drop("seen", "child_seen"), {}),
    "seen.failed_what_happened_missing": (not_seen(failed_what_happened=None), {}),
    "seen.failed_attempts_missing": (not_seen(failed_attempts=[]), {}),
    "seen.failed_attempts_calling_card_only": (not_seen(failed_attempts=["calling_card"]), {}),
    "seen.failed_attempts_detail_missing": (not_seen(failed_attempts=["phone", "other"]), {}),
    "seen.failed_action_missing": (not_seen(failed_action=None), {}),
    "seen.failed_action_detail_missing": (not_seen(failed_action=["other"]), {}),
    "seen.failed_next_seen_missing": (not_seen(failed_next_seen=None), {}),
    "seen.failed_next_seen_invalid": (not_seen(failed_next_seen="next week"), {}),
    "seen.failed_next_seen_before_visit": (not_seen(failed_next_seen="2025-03-11"), {}),
    "seen.seen_alone_missing": (drop("seen", "seen_alone"), {}),
    "seen.not_alone_reason_missing": (put("seen", seen_alone="no"), {}),
    "seen.not_alone_unable": (put("seen", seen_alone="no", not_alone_reason="unable"), {}),
    "seen.not_alone_detail_missing": (put("seen", seen_alone="no", not_alone_reason="other"), {}),
    "seen.not_alone_reason_not_allowed": (
        both(
            put("details", visit_type="private_fostering"),
            put("seen", seen_alone="no", not_alone_reason="refused"),
        ),
        {},
    ),
    "seen.bedroom_seen_missing": (drop("seen", "bedroom_seen"), {}),
    "seen.bedroom_reason_missing": (put("seen", bedroom_seen="no"), {}),
    "seen.bedroom_expected": (put("seen", bedroom_seen="na"), {}),
    "seen.infant_awake_missing": (put("seen", **NOT_SEEN_ALONE), INFANT),
    "seen.infant_not_awake": (put("seen", infant_awake="no", **NOT_SEEN_ALONE), INFANT),
    # 3. The child's voice
    "voice.child_seen_first": (drop("seen", "child_seen"), {}),
    "voice.views_from_others_missing": (both(not_seen(), drop("voice", "views_from_others")), {}),
    "voice.methods_missing": (drop("voice", "methods"), {}),
    "voice.tool_missing": (drop("voice", "tool"), {}),
    "voice.scale_missing": (drop("voice", "scale"), {}),
    "voice.scale_out_of_range": (put("voice", scale=11), {}),
    "voice.advocate_missing": (put("voice", methods=["own_words", "advocate"]), {}),
    "voice.said_missing": (drop("voice", "said"), {}),
    "voice.no_quoted_words": (put("voice", said="Amira said she likes school."), {}),
    "voice.wishes_missing": (drop("voice", "wishes"), {}),
    "voice.shapes_plan_missing": (drop("voice", "shapes_plan"), {}),
    # 4. Identity, culture and communication
    "identity.ethnicity_missing": (drop("identity", "ethnicity"), {}),
    "identity.religion_missing": (drop("identity", "religion"), {}),
    "identity.first_language_missing": (drop("identity", "first_language"), {}),
    "identity.disability_missing": (drop("identity", "disability"), {}),
    "identity.profile_confirmed_missing": (drop("identity", "profile_confirmed"), {}),
    "identity.needs_considered_missing": (drop("identity", "needs_considered"), {}),
    "identity.how_met_missing": (drop("identity", "how_met"), {}),
    "identity.carers_different_ethnicity_missing": (
        drop("identity", "carers_different_ethnicity"),
        {},
    ),
    "identity.carers_meet_needs_missing": (put("identity", carers_different_ethnicity="yes"), {}),
    "identity.interpreter_needed_missing": (drop("identity", "interpreter_needed"), {}),
    "identity.interpreter_for_missing": (drop("identity", "interpreter_for"), {}),
    "identity.interpreter_used_missing": (drop("identity", "interpreter_used"), {}),
    "identity.interpreter_not_used": (
        put(
            "identity",
            interpreter_used="no",
            interpreter_not_used_why="The booked interpreter did not arrive.",
        ),
        {},
    ),
    "identity.interpreter_not_used_why_missing": (put("identity", interpreter_used="no"), {}),
    "identity.interpreter_language_missing": (drop("identity", "interpreter_language"), {}),
    "identity.interpreter_relationship_missing": (drop("identity", "interpreter_relationship"), {}),
    "identity.interpreter_mode_missing": (drop("identity", "interpreter_mode"), {}),
    "identity.interpreter_name_missing": (drop("identity", "interpreter_name"), {}),
    "identity.interpreter_agency_missing": (drop("identity", "interpreter_agency"), {}),
    "identity.interpreter_not_professional": (put("identity", **FAMILY_INTERPRETER), {}),
    # 5. Observations
    "observations.seen_missing": (drop("observations", "seen"), {}),
    "observations.opinion_missing": (drop("observations", "opinion"), {}),
    "observations.sources_missing": (drop("observations", "sources"), {}),
    # 6. Analysis
    "analysis.analysis_missing": (drop("analysis", "analysis"), {}),
    "analysis.risk_name_missing": (
        lambda c: c["analysis"]["risks"].append({"change": "increased"}),
        {},
    ),
    "analysis.risk_change_missing": (lambda c: c["analysis"]["risks"][0].pop("change"), {}),
    "analysis.risk_not_rated": (lambda c: c["analysis"]["risks"].pop(), {}),
    # 7. Actions
    "actions.actions_missing": (drop("actions", "actions"), {}),
    "actions.no_new_actions_contradiction": (
        put("actions", no_new_actions="yes", no_actions_why="Plan unchanged."),
        {},
    ),
    "actions.no_actions_why_missing": (
        both(drop("actions", "actions"), put("actions", no_new_actions="yes")),
        {},
    ),
    "actions.action_what_missing": (lambda c: c["actions"]["actions"][0].pop("what"), {}),
    "actions.action_who_missing": (lambda c: c["actions"]["actions"][0].pop("who"), {}),
    "actions.action_by_when_missing": (lambda c: c["actions"]["actions"][0].pop("by_when"), {}),
    "actions.action_by_when_invalid": (
        lambda c: c["actions"]["actions"][0].update(by_when="Friday"),
        {},
    ),
    "actions.by_when_before_visit": (
        lambda c: c["actions"]["actions"][0].update(by_when="2025-03-01"),
        {},
    ),
    # the child's open actions (issue 13): each needs a status and a note
    "actions.progress_missing": (lambda c: None, {"open_actions": (OPEN_ACTION,)}),
    "actions.progress_note_missing": (
        put("actions", progress={"7": {"what": "Book a joint visit", "status": "done"}}),
        {"open_actions": (OPEN_ACTION,)},
    ),
}


def findings_for(code: str) -> tuple[list[Finding], Content]:
    change, ctx_overrides = CASES[code]
    content = complete_content()
    change(content)
    return validate(content, visit_context(**ctx_overrides)), content


# --- the complete record ---------------------------------------------------------------


def test_complete_record_has_no_findings() -> None:
    assert validate(complete_content(), visit_context()) == []


def test_complete_record_is_already_clean() -> None:
    assert clean_content(complete_content(), Policy()) == complete_content()


def test_complete_record_states_and_blocking() -> None:
    states = section_states(validate(complete_content(), visit_context()), {})
    assert states == {s.key: SectionState.COMPLETE for s in SECTIONS}
    assert blocking([], {}) == []


def test_empty_record_is_missing_everywhere() -> None:
    findings = validate({}, visit_context())
    states = section_states(findings, {})
    assert set(states.values()) == {SectionState.MISSING}
    assert [f.section for f in findings] == sorted(
        (f.section for f in findings), key=[s.key for s in SECTIONS].index
    )


# --- one test per finding code ---------------------------------------------------------


def test_every_code_has_a_case() -> None:
    assert set(CASES) == set(FINDING_CODES)
    assert {c for c, s in FINDING_CODES.items() if s is Severity.QUERY} == set(QUERY_TITLES)


@pytest.mark.parametrize("code", sorted(FINDING_CODES))
def test_rule_fires(code: str) -> None:
    findings, _ = findings_for(code)
    hits = [f for f in findings if f.code == code]
    assert hits, f"{code} did not fire; got {[f.code for f in findings]}"
    for f in hits:
        assert f.severity is FINDING_CODES[code]
        assert f.section.value == code.split(".")[0]
        assert f.field, "each finding names its field"
        assert f.message.strip().endswith((".", ")")), f.message
    # The change provokes only the intended problem (plus the query's own companion).
    others = {f.code for f in findings} - {code}
    allowed = {
        "seen.child_seen_missing": {"voice.child_seen_first"},
        "voice.child_seen_first": {"seen.child_seen_missing"},
        "identity.interpreter_not_used_why_missing": {"identity.interpreter_not_used"},
    }.get(code, set())
    assert others <= allowed, others


@pytest.mark.parametrize("code", sorted(FINDING_CODES))
def test_validate_section_returns_only_that_section(code: str) -> None:
    change, ctx_overrides = CASES[code]
    content = complete_content()
    change(content)
    section = SectionKey(code.split(".")[0])
    found = validate_section(section, content, visit_context(**ctx_overrides))
    assert code in {f.code for f in found}
    assert {f.section for f in found} == {section}


def test_field_named_for_each_finding() -> None:
    findings, _ = findings_for("seen.not_alone_unable")
    (f,) = findings
    assert (f.section, f.field) == (SectionKey.SEEN, "not_alone_reason")


# --- messages --------------------------------------------------------------------------


def test_messages_use_the_childs_name() -> None:
    findings, _ = findings_for("seen.not_alone_reason_missing")
    assert findings[0].message == f"Say why {CHILD_NAME} was not seen alone."


def test_absent_message_mentions_fathers_and_partners() -> None:
    findings, _ = findings_for("details.absent_missing")
    assert "fathers and mothers' partners" in findings[0].message


def test_calling_card_message() -> None:
    findings, _ = findings_for("seen.failed_attempts_calling_card_only")
    assert findings[0].message.startswith("A calling card alone is not acceptable")


def test_family_interpreter_message() -> None:
    findings, _ = findings_for("identity.interpreter_not_professional")
    assert "must never be used" in findings[0].message
    assert "manager's oversight must address it" in findings[0].message


def test_risk_not_rated_names_the_risk() -> None:
    findings, _ = findings_for("analysis.risk_not_rated")
    assert '"Exposure to domestic abuse"' in findings[0].message


def test_blank_child_name_reads_naturally() -> None:
    content = complete_content()
    content["seen"].update(seen_alone="no")
    (f,) = validate(content, visit_context(child_name="  "))
    assert f.message == "Say why the child was not seen alone."


# --- rule details ----------------------------------------------------------------------


def test_child_not_seen_skips_seen_alone_and_bedroom() -> None:
    content = complete_content()
    not_seen()(content)
    assert validate(content, visit_context(**INFANT)) == []


def test_calling_card_with_other_attempts_is_fine() -> None:
    content = complete_content()
    not_seen(failed_attempts=["calling_card", "phone"])(content)
    assert validate(content, visit_context()) == []


def test_seen_alone_reasons_refused_and_inappropriate_need_nothing_more() -> None:
    for reason in ("refused", "inappropriate"):
        content = complete_content()
        content["seen"].update(seen_alone="no", not_alone_reason=reason)
        assert validate(content, visit_context()) == []


def test_other_reason_with_detail_is_fine() -> None:
    content = complete_content()
    content["seen"].update(
        seen_alone="no",
        not_alone_reason="other",
        not_alone_detail="Amira asked for her brother to stay.",
    )
    assert validate(content, visit_context()) == []


def test_bedroom_not_applicable_needs_no_reason() -> None:
    content = complete_content()
    content["details"]["location"] = "school"  # at home it is expected (policy bedroom_expected)
    content["seen"]["bedroom_seen"] = "na"
    assert validate(content, visit_context()) == []


def test_infant_seen_awake_is_fine() -> None:
    content = complete_content()
    content["seen"].update(infant_awake="yes", **NOT_SEEN_ALONE)
    content["voice"]["said"] = "Smiled and reached for her mother; babbled when spoken to."
    assert validate(content, visit_context(**INFANT)) == []


def test_infant_question_stops_at_second_birthday() -> None:
    content = complete_content()
    dob = date(2023, 3, 12)  # 2 on the visit date
    assert validate(content, visit_context(child_dob=dob)) == []
    assert "seen.infant_awake_missing" in {
        f.code for f in validate(content, visit_context(child_dob=date(2023, 3, 13)))
    }


def test_no_quote_query_only_from_age_four() -> None:
    content = complete_content()
    content["voice"]["said"] = "Played with blocks and smiled at his mother."
    assert validate(content, visit_context(**TODDLER)) == []
    codes = {f.code for f in validate(content, visit_context(child_dob=date(2021, 3, 12)))}
    assert codes == {"voice.no_quoted_words"}


def test_no_quote_query_not_asked_when_child_not_seen() -> None:
    content = complete_content()
    not_seen()(content)
    content["voice"]["said"] = "Nothing quoted."
    assert validate(content, visit_context()) == []


def test_scale_must_be_between_0_and_10() -> None:
    for scale, ok in ((0, True), (10, True), (-1, False), (11, False)):
        content = complete_content()
        content["voice"]["scale"] = scale
        assert (validate(content, visit_context()) == []) is ok


def test_other_tools_need_no_scale() -> None:
    content = complete_content()
    content["voice"].update(tool="three_houses")
    del content["voice"]["scale"]
    assert validate(content, visit_context()) == []


def test_future_is_compared_to_the_minute() -> None:
    content = complete_content()
    content["details"]["visit_at"] = "2025-03-13T09:00"
    assert validate(content, visit_context()) == []


def test_visit_on_birthday_is_fine() -> None:
    content = complete_content()
    content["details"]["visit_at"] = "2015-06-02T12:00"
    for a in content["actions"]["actions"]:
        a["by_when"] = "2015-06-09"
    codes = {f.code for f in validate(content, visit_context())}
    assert "details.visit_at_before_birth" not in codes


def test_family_interpreter_needs_no_agency() -> None:
    content = complete_content()
    content["identity"].update(FAMILY_INTERPRETER)
    content["identity"].pop("interpreter_agency")
    codes = [f.code for f in validate(content, visit_context())]
    assert codes == ["identity.interpreter_not_professional"]  # no agency asked of family


def test_interpreter_not_needed_asks_nothing_more() -> None:
    content = complete_content()
    for key in list(content["identity"]):
        if key.startswith("interpreter_"):
            del content["identity"][key]
    content["identity"]["interpreter_needed"] = "no"
    assert validate(content, visit_context()) == []


def test_every_plan_risk_must_be_rated_each_named() -> None:
    content = complete_content()
    content["analysis"]["risks"] = []
    ctx = visit_context(plan_risks=("Neglect", "Domestic abuse", "Missing from home"))
    found = [f for f in validate(content, ctx) if f.code == "analysis.risk_not_rated"]
    assert len(found) == 3
    assert ['"Missing from home"' in f.message for f in found] == [False, False, True]


def test_plan_risks_match_regardless_of_case_and_spaces() -> None:
    content = complete_content()
    content["analysis"]["risks"][0]["risk"] = "  neglect OF  basic care "
    assert validate(content, visit_context()) == []


def test_new_risks_beyond_the_plan_are_allowed() -> None:
    content = complete_content()
    content["analysis"]["risks"].append({"risk": "School exclusion", "change": "increased"})
    assert validate(content, visit_context()) == []


def test_no_new_actions_with_reason_is_fine() -> None:
    content = complete_content()
    content["actions"] = {
        "no_new_actions": "yes",
        "no_actions_why": "All actions from the plan are on track.",
    }
    assert validate(content, visit_context()) == []


def test_one_finding_per_incomplete_action() -> None:
    content = complete_content()
    for a in content["actions"]["actions"]:
        a.pop("who")
    found = [f for f in validate(content, visit_context())]
    assert [f.code for f in found] == ["actions.action_who_missing"] * 3
    assert 'Say who will do "Send updated attendance figures".' in [f.message for f in found]


def test_action_due_on_the_visit_day_is_fine() -> None:
    content = complete_content()
    content["actions"]["actions"][0]["by_when"] = "2025-03-12"
    assert validate(content, visit_context()) == []


# --- states, blocking and overridden queries -------------------------------------------


def test_section_states_and_blocking_with_query_reasons() -> None:
    content = complete_content()
    content["seen"].update(seen_alone="no", not_alone_reason="unable")
    content["voice"].pop("wishes")
    findings = validate(content, visit_context())
    states = section_states(findings, {})
    assert states[SectionKey.SEEN] is SectionState.QUERY
    assert states[SectionKey.VOICE] is SectionState.MISSING
    assert states[SectionKey.DETAILS] is SectionState.COMPLETE
    assert {f.code for f in blocking(findings, {})} == {
        "seen.not_alone_unable",
        "voice.wishes_missing",
    }

    for blank in ("", "   \n"):
        assert (
            section_states(findings, {"seen.not_alone_unable": blank})[SectionKey.SEEN]
            is SectionState.QUERY
        )
    reasons = {"seen.not_alone_unable": "Father stood in the doorway and refused to leave."}
    assert section_states(findings, reasons)[SectionKey.SEEN] is SectionState.COMPLETE
    assert [f.code for f in blocking(findings, reasons)] == ["voice.wishes_missing"]
    # A reason never answers an error.
    assert blocking(findings, {"voice.wishes_missing": "later"})[-1].code == "voice.wishes_missing"


def test_error_outranks_query_in_a_section() -> None:
    content = complete_content()
    content["seen"].update(seen_alone="no", not_alone_reason="unable")
    content["seen"].pop("bedroom_seen")
    states = section_states(validate(content, visit_context()), {})
    assert states[SectionKey.SEEN] is SectionState.MISSING


def test_overridden_queries_keeps_only_current_queries_with_reasons() -> None:
    content = complete_content()
    content["seen"].update(seen_alone="no", not_alone_reason="unable")
    findings = validate(content, visit_context())
    reasons = {
        "seen.not_alone_unable": "  Father refused to leave the room. ",
        "voice.no_quoted_words": "stale reason: the query no longer applies",
        "details.visit_at_missing": "errors cannot be overridden",
    }
    assert overridden_queries(findings, reasons) == {
        "seen.not_alone_unable": "Father refused to leave the room."
    }


# --- quoted words and age ---------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        'She said "no".',
        "She said “I want to stay”.",
        "He said ‘yes’.",
        "He said 'I don't know'.",
        "Powiedziała „chcę zostać w domu”.",
        "A spus „vreau acasă”.",
        "قالت «أريد أن أبقى مع أمي»",
        "اس نے کہا “میں گھر جانا چاہتا ہوں”",
        "她说「我想回家」",
        "Il a dit « non ».",
        'She scored it "6" and said "good days".',
    ],
)
def test_quoted_words_are_recognised(said: str) -> None:
    assert has_quoted_words(said)


@pytest.mark.parametrize(
    "said",
    [
        "She said she wants to stay.",
        "He didn't like Mum's friend.",
        "He didn’t like Mum’s friend.",
        "The kids' toys were tidy.",
        'Two empty marks "" and "42" have no letters.',
        "An opening mark only: “no end",
        "",
    ],
)
def test_unquoted_text_is_not_a_quotation(said: str) -> None:
    assert not has_quoted_words(said)


@pytest.mark.parametrize(
    ("dob", "day", "age"),
    [
        (date(2015, 6, 2), date(2025, 6, 1), 9),
        (date(2015, 6, 2), date(2025, 6, 2), 10),
        (date(2020, 2, 29), date(2021, 2, 28), 0),
        (date(2020, 2, 29), date(2021, 3, 1), 1),
        (date(2025, 1, 1), date(2025, 1, 1), 0),
    ],
)
def test_age_on(dob: date, day: date, age: int) -> None:
    assert age_on(dob, day) == age


# --- property: validate copes with anything clean_content lets through -------------------

_VALUE = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(["yes", "no", "na", "other", "unable"]),
    st.integers(-3, 20),
    st.lists(
        st.sampled_from(["calling_card", "phone", "other", "tool", "advocate", "own_words"]),
        max_size=3,
    ),
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "name": st.text(max_size=5),
                "role": st.text(max_size=5),
                "what": st.text(max_size=5),
                "who": st.text(max_size=5),
                "by_when": st.sampled_from(["2025-01-01", "2025-12-31"]),
                "risk": st.sampled_from(["Neglect of basic care", "x"]),
                "change": st.sampled_from(["increased", "reduced"]),
            },
        ),
        max_size=3,
    ),
    st.sampled_from(["2025-03-01T10:00", "2030-01-01T00:00", "2000-01-01T00:00", "nonsense"]),
)


@st.composite
def mutated_content(draw: st.DrawFn) -> Content:
    content: Any = complete_content()
    if draw(st.booleans()):
        content["seen"] = {"child_seen": "no"}
    for _ in range(draw(st.integers(0, 8))):
        section = draw(st.sampled_from(SECTIONS))
        spec = draw(st.sampled_from(section.fields))
        content[section.key.value][spec.key] = draw(_VALUE)
    if draw(st.integers(0, 9)) == 0:  # now and then a whole section is not a mapping
        content[draw(st.sampled_from(SECTIONS)).key.value] = draw(_VALUE)
    return content


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_content(), st.dates(date(2000, 1, 1), date(2025, 3, 13)))
def test_validate_never_raises_and_uses_known_codes(content: Content, dob: date) -> None:
    ctx = visit_context(child_dob=dob, now=datetime(2025, 3, 13, 9, 0))
    findings = validate(content, ctx)
    for f in findings:
        assert FINDING_CODES.get(f.code) is f.severity, f.code
        assert f.code.startswith(f.section.value + ".")
    states = section_states(findings, {})
    assert all(states[f.section] is not SectionState.COMPLETE for f in findings)
    assert (blocking(findings, {}) == []) == (findings == [])
    # The flags for the same content never fail either, and their codes are unique.
    reasons = {f.code: "A reason." for f in findings if f.severity is Severity.QUERY}
    flags = visit_flags(
        content,
        author_needs_countersign=True,
        recorded_late=True,
        query_reasons=overridden_queries(findings, reasons),
    )
    assert len({f.code for f in flags}) == len(flags)
    assert {f.code for f in flags} >= {"query:" + code for code in reasons}
