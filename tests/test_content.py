"""Cleaning visit content on its way in, and the digest that signatures record."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recorder.domain.content import ContentError, clean_content, content_digest
from recorder.domain.policy import Policy
from recorder.domain.sections import SECTIONS
from tests.support.factories import complete_content

POLICY = Policy()

ESC = "\x1b"
# Everything the text module promises to strip: C0 but tab/newline, DEL, C1, bidi controls.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")

NAMES = {
    "arabic": "أميرة حداد",
    "urdu": "عائشہ خان",
    "polish": "Zofia Łukasiewicz-Wróbel, żółć",
    "romanian": "Ștefan Țăranu, București",
    "chinese": "王小明",
    # Zero-width non-joiner (U+200C) is part of Urdu and Persian spelling: it must stay.
    "urdu_zwnj": "می\u200cخواہم",
}


def one(section: str, **fields: Any) -> dict[str, dict[str, Any]]:
    return {section: fields}


# --- shape ------------------------------------------------------------------------------


def test_result_has_every_section_and_drops_empty_values() -> None:
    raw = {
        "details": {
            "purpose": "",
            "location_other": "   ",
            "present": [],
            "absent": None,
            "visit_type": "cp_statutory",
        },
        "voice": {"methods": [], "scale": ""},
    }
    out = clean_content(raw, POLICY)
    assert list(out) == [s.key.value for s in SECTIONS]
    assert out["details"] == {"visit_type": "cp_statutory"}
    assert out["voice"] == {}


def test_input_is_not_changed() -> None:
    raw = complete_content()
    raw["details"]["purpose"] = f"{ESC}[31mred"
    clean_content(raw, POLICY)
    assert raw["details"]["purpose"] == f"{ESC}[31mred"


def test_unknown_section_is_an_error() -> None:
    with pytest.raises(ContentError, match="'wellbeing' is not a section"):
        clean_content({"wellbeing": {}}, POLICY)


def test_unknown_field_is_an_error() -> None:
    with pytest.raises(ContentError, match="'mood' is not a field of the section 'Seen'"):
        clean_content(one("seen", mood="happy"), POLICY)


@pytest.mark.parametrize("raw", [None, [], "details"])
def test_content_must_be_a_mapping(raw: Any) -> None:
    with pytest.raises(ContentError):
        clean_content(raw, POLICY)  # type: ignore[arg-type]


def test_section_must_be_a_mapping() -> None:
    with pytest.raises(ContentError, match="'Seen' must be a set of fields"):
        clean_content({"seen": ["yes"]}, POLICY)


# --- text hygiene -----------------------------------------------------------------------


def test_strips_escape_c1_and_bidi_controls() -> None:
    raw = one(
        "observations",
        seen=f"Kitchen clean.{ESC}]0;pwned\x07\n\tFridge full.\x9b31m\u202eevil\u2066x\u2069\x00",
        opinion="Line one\r\nLine two\rLine three",
    )
    out = clean_content(raw, POLICY)["observations"]
    assert out["seen"] == "Kitchen clean.]0;pwned\n\tFridge full.31mevilx"
    assert out["opinion"] == "Line one\nLine two\nLine three"


def test_one_line_fields_lose_newlines_and_tabs() -> None:
    out = clean_content(one("identity", ethnicity="  White\n\tPolish \x1b[2J "), POLICY)
    assert out["identity"]["ethnicity"] == "White  Polish [2J"


@pytest.mark.parametrize("script", sorted(NAMES))
def test_every_script_is_kept_byte_for_byte(script: str) -> None:
    name = NAMES[script]
    raw = {
        "details": {"present": [{"name": name, "role": name}], "location_other": name},
        "voice": {"said": f"“{name}”\n{name}", "advocate": name},
        "identity": {"first_language": name},
        "analysis": {"risks": [{"risk": name, "change": "unchanged"}]},
        "actions": {"actions": [{"what": name, "who": name, "by_when": "2025-03-20"}]},
    }
    out = {k: v for k, v in clean_content(raw, POLICY).items() if v}
    assert out == raw
    assert (
        json.dumps(out, ensure_ascii=False, sort_keys=True).encode()
        == json.dumps(raw, ensure_ascii=False, sort_keys=True).encode()
    )
    assert out["voice"]["said"].encode("utf-8") == f"“{name}”\n{name}".encode("utf-8")


def test_names_in_lists_are_cleaned() -> None:
    raw = one("details", present=[{"name": f"Sally{ESC}[5m\n", "role": "maternal\tgrandmother"}])
    assert clean_content(raw, POLICY)["details"]["present"] == [
        {"name": "Sally[5m", "role": "maternal grandmother"}
    ]


# --- lengths ----------------------------------------------------------------------------


def test_long_field_over_the_limit_names_the_field() -> None:
    policy = Policy(long_text_max_chars=1000, short_text_max_chars=100)
    with pytest.raises(ContentError) as info:
        clean_content(one("observations", seen="x" * 1001), policy)
    assert str(info.value) == (
        "What I saw (facts) is 1,001 characters long; the limit is 1,000. "
        "Shorten it or split it into another section."
    )
    assert clean_content(one("observations", seen="x" * 1000), policy)


def test_short_field_uses_the_short_limit() -> None:
    policy = Policy(long_text_max_chars=1000, short_text_max_chars=100)
    with pytest.raises(ContentError, match="^Ethnicity is 101 characters long; the limit is 100"):
        clean_content(one("identity", ethnicity="x" * 101), policy)


def test_names_in_lists_use_the_short_limit() -> None:
    policy = Policy(long_text_max_chars=1000, short_text_max_chars=100)
    with pytest.raises(ContentError, match=r"Everyone present \(entry 2, name\) is 101"):
        clean_content(one("details", present=[{"name": "Sally"}, {"name": "y" * 101}]), policy)


def test_length_is_counted_after_cleaning() -> None:
    policy = Policy(long_text_max_chars=1000, short_text_max_chars=10)
    out = clean_content(one("identity", religion="Muslim" + ESC * 50), policy)
    assert out["identity"]["religion"] == "Muslim"


# --- choices, numbers, dates -----------------------------------------------------------


def test_bad_choice_names_the_field() -> None:
    with pytest.raises(ContentError) as info:
        clean_content(one("details", visit_type="social"), POLICY)
    message = str(info.value)
    assert message.startswith("Visit type: 'social' is not one of the choices")
    assert "Child protection statutory" in message


def test_choice_values_are_cleaned() -> None:
    out = clean_content(one("seen", child_seen=" yes\x1b"), POLICY)
    assert out["seen"] == {"child_seen": "yes"}


def test_bad_multi_value_names_the_field() -> None:
    with pytest.raises(ContentError, match="^Attempts made to see the child: 'knocked'"):
        clean_content(one("seen", failed_attempts=["phone", "knocked"]), POLICY)


def test_multi_must_be_a_list_and_is_deduplicated() -> None:
    with pytest.raises(ContentError, match="must be a list"):
        clean_content(one("seen", failed_attempts="phone"), POLICY)
    out = clean_content(one("seen", failed_attempts=["phone", "school", "phone", ""]), POLICY)
    assert out["seen"]["failed_attempts"] == ["phone", "school"]


@pytest.mark.parametrize(("value", "expected"), [(7, 7), ("7", 7), (" 10 ", 10), (0, 0)])
def test_int_accepts_ints_and_digit_strings(value: Any, expected: int) -> None:
    assert clean_content(one("voice", scale=value), POLICY)["voice"]["scale"] == expected


@pytest.mark.parametrize("value", ["seven", "7.5", "-1", True, 7.0, "٣"])
def test_int_rejects_other_values(value: Any) -> None:
    with pytest.raises(ContentError, match="^Signs of Safety scale"):
        clean_content(one("voice", scale=value), POLICY)


def test_dates_must_parse_or_be_empty() -> None:
    out = clean_content(one("seen", failed_next_seen="2025-03-20"), POLICY)
    assert out["seen"]["failed_next_seen"] == "2025-03-20"
    assert clean_content(one("seen", failed_next_seen=date(2025, 3, 20)), POLICY) == out
    assert clean_content(one("seen", failed_next_seen=""), POLICY)["seen"] == {}
    with pytest.raises(
        ContentError, match="^When the child will be seen: 'next week' is not a date"
    ):
        clean_content(one("seen", failed_next_seen="next week"), POLICY)
    with pytest.raises(ContentError, match="is not a date"):
        clean_content(one("seen", failed_next_seen="2025-02-30"), POLICY)


def test_datetimes_must_parse_and_are_normalised() -> None:
    def at(value: Any) -> Any:
        return clean_content(one("details", visit_at=value), POLICY)["details"].get("visit_at")

    assert at("2025-03-12T16:30") == "2025-03-12T16:30"
    assert at("2025-03-12 16:30:00") == "2025-03-12T16:30"
    assert at(datetime(2025, 3, 12, 16, 30, 15)) == "2025-03-12T16:30:15"
    assert at("") is None
    with pytest.raises(ContentError, match="^Date and time of the visit: 'yesterday'"):
        at("yesterday")
    with pytest.raises(ContentError, match="without a time zone"):
        at("2025-03-12T16:30+01:00")


# --- list kinds -------------------------------------------------------------------------


def test_people_must_be_a_list_of_dicts_with_known_keys() -> None:
    with pytest.raises(ContentError, match="Everyone present must be a list"):
        clean_content(one("details", present={"name": "Sally"}), POLICY)
    with pytest.raises(ContentError, match="Everyone present: entry 1 must be"):
        clean_content(one("details", present=["Sally"]), POLICY)
    with pytest.raises(ContentError, match="entry 1 has unknown part 'age'"):
        clean_content(one("details", present=[{"name": "Sally", "age": "70"}]), POLICY)


def test_empty_list_entries_are_dropped_partial_ones_kept() -> None:
    raw = one("details", present=[{"name": " ", "role": ""}, {"name": "Sally"}, {}])
    assert clean_content(raw, POLICY)["details"]["present"] == [{"name": "Sally"}]
    assert clean_content(one("details", present=[{"name": ""}]), POLICY)["details"] == {}


def test_actions_dates_are_checked() -> None:
    with pytest.raises(ContentError, match=r"^Actions \(entry 1, by when\): 'soon' is not a date"):
        clean_content(one("actions", actions=[{"what": "Visit", "by_when": "soon"}]), POLICY)


def test_risk_change_must_be_a_known_change() -> None:
    with pytest.raises(ContentError, match=r"Risks in the plan \(entry 1, change\): 'worse'"):
        clean_content(one("analysis", risks=[{"risk": "Neglect", "change": "worse"}]), POLICY)


def test_wrong_types_are_errors() -> None:
    with pytest.raises(ContentError, match="^Purpose of the visit must be text"):
        clean_content(one("details", purpose=42), POLICY)
    with pytest.raises(ContentError, match="^Everyone present \\(entry 1, name\\) must be text"):
        clean_content(one("details", present=[{"name": ["Sally"]}]), POLICY)


# --- digest -----------------------------------------------------------------------------


def test_digest_is_sha256_of_canonical_json() -> None:
    import hashlib

    content = {"b": {"x": "Łódź"}, "a": {}}
    expected = hashlib.sha256('{"a":{},"b":{"x":"Łódź"}}'.encode()).hexdigest()
    assert content_digest(content) == expected


def test_digest_ignores_key_order_but_not_values() -> None:
    a = complete_content()
    b = {k: dict(reversed(list(v.items()))) for k, v in reversed(list(a.items()))}
    assert content_digest(a) == content_digest(b)
    b["voice"]["said"] += " "
    assert content_digest(a) != content_digest(b)


# --- properties -------------------------------------------------------------------------

LONG_FIELDS = [(s.key.value, f.key) for s in SECTIONS for f in s.fields if f.kind == "long"]
SHORT_FIELDS = [(s.key.value, f.key) for s in SECTIONS for f in s.fields if f.kind == "text"]


@settings(max_examples=300)
@given(st.sampled_from(LONG_FIELDS), st.text(max_size=300))
def test_long_field_never_raises_and_has_no_controls(where: tuple[str, str], text: str) -> None:
    section, key = where
    out = clean_content({section: {key: text}}, POLICY)
    value = out[section].get(key, "")
    assert not FORBIDDEN.search(value)
    assert "\r" not in value
    # Every letter of every script survives.
    assert [c for c in value if c.isalpha()] == [c for c in text if c.isalpha()]
    # Cleaning is idempotent: cleaned content is stored and signed as it is.
    assert clean_content(out, POLICY) == out


@settings(max_examples=200)
@given(st.sampled_from(SHORT_FIELDS), st.text(max_size=200))
def test_short_field_is_one_clean_line(where: tuple[str, str], text: str) -> None:
    section, key = where
    value = clean_content({section: {key: text}}, POLICY)[section].get(key, "")
    assert not FORBIDDEN.search(value)
    assert "\n" not in value and "\t" not in value
    assert value == value.strip()


@settings(max_examples=100)
@given(
    st.lists(
        st.fixed_dictionaries(
            {}, optional={"name": st.text(max_size=30), "role": st.text(max_size=30)}
        ),
        max_size=5,
    )
)
def test_people_lists_never_hold_controls_or_empties(people: list[dict[str, str]]) -> None:
    out = clean_content({"details": {"present": people}}, POLICY)["details"].get("present", [])
    for person in out:
        assert person and set(person) <= {"name", "role"}
        for value in person.values():
            assert value.strip() and not FORBIDDEN.search(value) and "\n" not in value
