"""What a manager's oversight must answer (DOMAIN.md, "Management oversight")."""

from __future__ import annotations

from typing import Any

import pytest

from recorder.domain.flags import Flag, visit_flags
from recorder.domain.validation import QUERY_TITLES, overridden_queries, validate
from tests.support.factories import complete_content, visit_context


def flags_for(content: dict[str, Any], **kwargs: Any) -> list[Flag]:
    options: dict[str, Any] = {
        "author_needs_countersign": False,
        "query_reasons": {},
        "recorded_late": False,
    }
    options.update(kwargs)
    return visit_flags(content, **options)


def codes(flags: list[Flag]) -> list[str]:
    return [f.code for f in flags]


def test_complete_record_by_a_qualified_worker_has_no_flags() -> None:
    assert flags_for(complete_content()) == []


def test_child_not_seen() -> None:
    content = complete_content()
    content["seen"] = {
        "child_seen": "no",
        "failed_what_happened": "No answer; curtains drawn.",
        # Left over from an earlier draft: not asked when the child was not seen.
        "seen_alone": "no",
        "bedroom_seen": "no",
    }
    (flag,) = flags_for(content)
    assert flag == Flag("child_not_seen", "Child not seen", "No answer; curtains drawn.")


@pytest.mark.parametrize(
    ("reason", "detail", "expected"),
    [
        ("unable", None, "I was unable to (for example a parent prevented it)."),
        ("refused", None, "The child refused (of sufficient age and understanding)."),
        ("other", "Asked for her brother to stay.", "Other. Asked for her brother to stay."),
    ],
)
def test_not_seen_alone_with_the_reason_label(
    reason: str, detail: str | None, expected: str
) -> None:
    content = complete_content()
    content["seen"].update(seen_alone="no", not_alone_reason=reason)
    if detail:
        content["seen"]["not_alone_detail"] = detail
    (flag,) = flags_for(content)
    assert (flag.code, flag.label, flag.detail) == (
        "not_seen_alone",
        "Child not seen alone",
        expected,
    )


def test_bedroom_not_seen() -> None:
    content = complete_content()
    content["seen"].update(
        bedroom_seen="no", bedroom_reason="Mother said the room was being painted."
    )
    assert flags_for(content) == [
        Flag("bedroom_not_seen", "Bedroom not seen", "Mother said the room was being painted.")
    ]


def test_bedroom_not_applicable_is_not_a_flag() -> None:
    content = complete_content()
    content["seen"]["bedroom_seen"] = "na"
    assert flags_for(content) == []


@pytest.mark.parametrize(
    ("relationship", "who"),
    [
        ("family", "A family member"),
        ("friend", "A friend"),
        ("child", "A child"),
    ],
)
def test_family_friend_or_child_interpreting(relationship: str, who: str) -> None:
    content = complete_content()
    content["identity"].update(
        interpreter_relationship=relationship, interpreter_name="Yusuf Haddad"
    )
    (flag,) = flags_for(content)
    assert flag.code == "informal_interpreter"
    assert flag.detail == f"{who} interpreted: Yusuf Haddad."


def test_each_overridden_query_with_the_workers_reason() -> None:
    content = complete_content()
    content["seen"].update(seen_alone="no", not_alone_reason="unable")
    content["voice"]["said"] = "She nodded and smiled."
    findings = validate(content, visit_context())
    reasons = overridden_queries(
        findings,
        {
            "seen.not_alone_unable": "Father would not leave the room.",
            "voice.no_quoted_words": "Amira chose not to speak; she drew a picture instead.",
        },
    )
    flags = flags_for(content, query_reasons=reasons)
    assert codes(flags) == [
        "not_seen_alone",
        "query:seen.not_alone_unable",
        "query:voice.no_quoted_words",
    ]
    assert flags[1].label == f"Query overridden: {QUERY_TITLES['seen.not_alone_unable']}"
    assert flags[1].detail == "Father would not leave the room."
    assert flags[2].detail == "Amira chose not to speak; she drew a picture instead."


def test_blank_query_reasons_are_not_flags() -> None:
    assert flags_for(complete_content(), query_reasons={"seen.not_alone_unable": "  "}) == []


def test_unknown_query_code_still_shows() -> None:
    (flag,) = flags_for(complete_content(), query_reasons={"custom.rule": "Because."})
    assert flag == Flag("query:custom.rule", "Query overridden: custom.rule", "Because.")


def test_unqualified_author() -> None:
    content = complete_content()
    (flag,) = flags_for(content, author_needs_countersign=True)
    assert (flag.code, flag.label) == ("unqualified_author", "Written by an unqualified worker")
    assert flag.detail == "No registered social worker attended jointly."
    content["details"]["joint_worker"] = 7  # chosen from the list: the name comes from the store
    (flag,) = flags_for(content, author_needs_countersign=True, joint_worker="Grace Mensah")
    assert flag.detail == (
        "Registered social worker who attended jointly: Grace Mensah, awaiting confirmation by "
        "Grace Mensah; until then the visit does not count as statutory."
    )
    (flag,) = flags_for(
        content, author_needs_countersign=True, joint_worker="Grace Mensah", joint_confirmed=True
    )
    assert flag.detail == (
        "Registered social worker who attended jointly: Grace Mensah (confirmed, signed)."
    )


def test_recorded_late() -> None:
    (flag,) = flags_for(complete_content(), recorded_late=True)
    assert (flag.code, flag.label) == ("recorded_late", "Recorded late")


def test_everything_at_once_in_a_fixed_order() -> None:
    content = complete_content()
    content["seen"].update(
        seen_alone="no",
        not_alone_reason="inappropriate",
        bedroom_seen="no",
        bedroom_reason="Locked.",
    )
    content["identity"].update(interpreter_relationship="friend")
    flags = flags_for(
        content,
        author_needs_countersign=True,
        recorded_late=True,
        query_reasons={"identity.interpreter_not_professional": "No interpreter could come."},
    )
    assert codes(flags) == [
        "not_seen_alone",
        "bedroom_not_seen",
        "informal_interpreter",
        "query:identity.interpreter_not_professional",
        "unqualified_author",
        "recorded_late",
    ]
    assert len(set(codes(flags))) == len(flags)


def test_empty_content_has_no_content_flags() -> None:
    assert flags_for({}) == []
