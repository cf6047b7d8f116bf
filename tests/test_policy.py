"""The local-practice policy: defaults, policy.toml overrides and clear errors."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from recorder.config import config_dir, load_policy
from recorder.domain.policy import TABLES, Policy, PolicyError


def write_policy(directory: Path, text: str | bytes) -> Path:
    path = directory / "policy.toml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


# -- defaults -------------------------------------------------------------------------------


def test_defaults() -> None:
    p = Policy()
    assert (p.cp_visit_working_days, p.cin_visit_working_days) == (10, 20)
    assert (p.lac_first_visit_days, p.lac_first_year_weeks) == (7, 6)
    assert (p.lac_after_first_year_long_term_months, p.lac_after_first_year_weeks) == (3, 6)
    assert (p.pf_first_year_weeks, p.pf_after_first_year_weeks) == (6, 12)
    assert (
        p.record_within_working_days,
        p.countersign_within_working_days,
        p.oversight_within_working_days,
    ) == (2, 2, 5)
    assert (p.oversight_analysis_min_words, p.countersign_comment_min_words) == (30, 10)
    assert (p.long_text_max_chars, p.short_text_max_chars) == (100_000, 500)
    assert (p.failed_signins_before_delay, p.failed_signins_before_lock) == (5, 10)
    assert p.signin_delay_base_seconds == 2.0
    assert p.bank_holiday_region == "ENG"
    assert (p.infant_seen_awake_under_years, p.quoted_words_from_years) == (2, 4)
    assert p.bedroom_expected == (
        "cp_statutory",
        "child_in_need",
        "lac_statutory",
        "private_fostering",
    )


def test_policy_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Policy().cp_visit_working_days = 5  # type: ignore[misc]


def test_signin_delay_doubles_from_the_fifth_failure() -> None:
    p = Policy()
    assert [p.signin_delay_seconds(n) for n in (0, 4, 5, 6, 7, 9)] == [0, 0, 2, 4, 8, 32]


def test_direct_construction_is_checked_too() -> None:
    with pytest.raises(
        PolicyError,
        match=r"\[visits\] cp_visit_working_days must be a whole number from 1 to 20, got 0",
    ):
        Policy(cp_visit_working_days=0)


# -- as_toml --------------------------------------------------------------------------------


def test_as_toml_round_trips_and_comments_every_key() -> None:
    text = Policy().as_toml()
    data = tomllib.loads(text)
    assert (
        list(data)
        == list(TABLES)
        == [
            "visits",
            "deadlines",
            "oversight",
            "text",
            "supervision",
            "signin",
            "record",
            "registration",
            "contacts",
            "escalation",
        ]
    )
    assert Policy.from_mapping(data) == Policy()
    lines = text.splitlines()
    keys = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
    assert len(keys) == len(dataclasses.fields(Policy))
    assert all(lines[i - 1].startswith("# ") for i in keys)


def test_as_toml_shows_overridden_values() -> None:
    p = Policy(cp_visit_working_days=7, bank_holiday_region="WLS")
    assert Policy.from_mapping(tomllib.loads(p.as_toml())) == p


# -- loading policy.toml --------------------------------------------------------------------


def test_no_file_means_defaults(tmp_path: Path) -> None:
    assert load_policy(tmp_path) == Policy()


def test_overrides_from_file(tmp_path: Path) -> None:
    write_policy(
        tmp_path,
        """
        [visits]
        cp_visit_working_days = 5
        lac_after_first_year_long_term_months = 2

        [signin]
        signin_delay_base_seconds = 3   # a whole number is accepted for seconds
        """,
    )
    p = load_policy(tmp_path)
    assert p.cp_visit_working_days == 5
    assert p.lac_after_first_year_long_term_months == 2
    assert p.signin_delay_base_seconds == 3.0 and isinstance(p.signin_delay_base_seconds, float)
    assert p.cin_visit_working_days == 20  # untouched keys keep their defaults


def test_config_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECORDER_CONFIG_DIR", str(tmp_path))
    assert config_dir() == tmp_path
    write_policy(tmp_path, "[deadlines]\noversight_within_working_days = 3\n")
    assert load_policy().oversight_within_working_days == 3


def test_config_dir_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("RECORDER_CONFIG_DIR", raising=False)
    assert config_dir() == platformdirs.user_config_path("recorder")


# -- errors ---------------------------------------------------------------------------------


def test_wrong_type_names_table_and_key(tmp_path: Path) -> None:
    path = write_policy(tmp_path, '[visits]\ncp_visit_working_days = "ten"\n')
    with pytest.raises(PolicyError) as err:
        load_policy(tmp_path)
    assert str(err.value) == (
        f"{path}: [visits] cp_visit_working_days must be a whole number from 1 to 20, got 'ten'"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"visits": {"cp_visit_working_days": 2.5}},
            r"\[visits\] cp_visit_working_days must be a whole number from 1 to 20, got 2.5",
        ),
        (
            {"visits": {"cp_visit_working_days": True}},
            r"\[visits\] cp_visit_working_days must be a whole number",
        ),
        (
            {"deadlines": {"record_within_working_days": -1}},
            r"\[deadlines\] record_within_working_days must be a whole number from 0 to 10",
        ),
        (
            {"deadlines": {"bank_holiday_region": "England"}},
            r"\[deadlines\] bank_holiday_region must be one of ENG, WLS, SCT, NIR, got 'England'",
        ),
        (
            {"signin": {"signin_delay_base_seconds": "2"}},
            r"\[signin\] signin_delay_base_seconds must be a number from 0 to 60",
        ),
        (
            {"signin": {"signin_delay_base_seconds": float("inf")}},
            r"\[signin\] signin_delay_base_seconds must be a number",
        ),
        ({"visits": 5}, r"\[visits\] must be a table"),
    ],
)
def test_bad_values(data: dict, message: str) -> None:
    with pytest.raises(PolicyError, match=rf"^policy\.toml: {message}"):
        Policy.from_mapping(data)


def test_unknown_key_names_it_and_suggests(tmp_path: Path) -> None:
    write_policy(tmp_path, "[visits]\ncp_visit_days = 5\n")
    with pytest.raises(
        PolicyError,
        match=r"\[visits\] cp_visit_days is not a known setting \(did you mean cp_visit_working_days\?\)",
    ):
        load_policy(tmp_path)


def test_unknown_table() -> None:
    with pytest.raises(PolicyError, match=r"unknown table \[visit\] \(did you mean \[visits\]\?\)"):
        Policy.from_mapping({"visit": {"cp_visit_working_days": 5}})


def test_key_outside_its_table() -> None:
    with pytest.raises(
        PolicyError, match=r"cp_visit_working_days must be inside the \[visits\] table"
    ):
        Policy.from_mapping({"cp_visit_working_days": 5})
    with pytest.raises(
        PolicyError, match=r"\[deadlines\] cp_visit_working_days belongs in the \[visits\] table"
    ):
        Policy.from_mapping({"deadlines": {"cp_visit_working_days": 5}})


def test_settings_that_contradict_each_other() -> None:
    with pytest.raises(
        PolicyError,
        match=r"^policy\.toml: \[text\] short_text_max_chars must not exceed long_text_max_chars",
    ):
        Policy.from_mapping({"text": {"short_text_max_chars": 2000, "long_text_max_chars": 1000}})
    with pytest.raises(
        PolicyError,
        match=r"\[signin\] failed_signins_before_delay must not exceed failed_signins_before_lock",
    ):
        Policy.from_mapping({"signin": {"failed_signins_before_delay": 11}})


def test_bad_toml_gives_file_and_line(tmp_path: Path) -> None:
    path = write_policy(tmp_path, "[visits]\ncp_visit_working_days = \n")
    with pytest.raises(PolicyError) as err:
        load_policy(tmp_path)
    message = str(err.value)
    assert message.startswith(f"{path}: is not valid TOML")
    assert "line 2" in message


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    write_policy(tmp_path, b"# caf\xe9\n")
    with pytest.raises(PolicyError, match="is not UTF-8"):
        load_policy(tmp_path)


def test_policy_error_is_a_value_error() -> None:
    assert issubclass(PolicyError, ValueError)


# -- ranges: every number has a minimum and a maximum (issue 12, defect 12) ----------------

#: The numeric keys, walked by the tests below (every field that is not text).
NUMERIC_KEYS = [f.name for f in dataclasses.fields(Policy) if isinstance(f.default, (int, float))]

#: Where the law sets the limit, the policy's maximum is that limit: a council may be
#: stricter, never laxer (Care Planning, Placement and Case Review (England) Regulations
#: 2010, regs 28 and 48; Children (Private Arrangements for Fostering) Regulations 2005,
#: regs 7 and 8).
STATUTORY_MAXIMA = {
    "lac_first_visit_days": 7,  # reg 28(2)(a), (5): within one week
    "lac_first_year_weeks": 6,  # reg 28(2)(b)
    "lac_after_first_year_long_term_months": 3,  # reg 28(2)(c)(i)
    "lac_after_first_year_weeks": 6,  # reg 28(2)(c)(ii)
    "lac_until_first_review_days": 7,  # reg 28(3), (4): at least once a week
    "lac_reg19_after_review_weeks": 6,  # reg 28(3)
    "lac_reg24_after_review_weeks": 4,  # reg 28(4)
    "lac_care_order_at_home_weeks": 6,  # reg 28(5)
    "short_breaks_first_visit_months": 3,  # reg 48
    "short_breaks_every_months": 6,  # reg 48
    "pf_first_visit_working_days": 7,  # 2005 Regulations, reg 7
    "pf_first_year_weeks": 6,  # 2005 Regulations, reg 8(1)(a)
    "pf_after_first_year_weeks": 12,  # 2005 Regulations, reg 8(1)(b)
}


def test_every_numeric_policy_key_has_a_maximum() -> None:
    """Issue 12, defect 12: a policy number without a ceiling let 100000000000 through and
    broke the caseload; every numeric key (a new one too) must say how high it may go."""
    from recorder.domain.policy import _SPECS

    missing = [k for k in NUMERIC_KEYS if _SPECS[k].maximum is None]
    assert not missing, f"policy keys without a maximum: {missing}"
    assert all(_SPECS[k].minimum <= _SPECS[k].maximum for k in NUMERIC_KEYS)


@pytest.mark.parametrize("key", NUMERIC_KEYS)
def test_a_value_above_its_maximum_is_refused_in_one_line_naming_key_and_range(key: str) -> None:
    """Every numeric key refuses its maximum plus one, in one line naming the table, the key
    and the allowed range; its maximum and minimum themselves pass the range check."""
    from recorder.domain.policy import _SPECS

    spec = _SPECS[key]
    with pytest.raises(PolicyError) as err:
        Policy.from_mapping({spec.table: {key: int(spec.maximum) + 1}})
    message = str(err.value)
    assert "\n" not in message
    assert (
        message.startswith(f"policy.toml: [{spec.table}] {key} must be a ")
        and f"from {spec.minimum:g} to {spec.maximum:g}" in message
    )
    for edge in (spec.minimum, spec.maximum):
        try:
            Policy.from_mapping({spec.table: {key: edge}})
        except PolicyError as exc:  # only a cross-field rule may object at the edge
            assert "must not exceed" in str(exc), exc


def test_statutory_maxima_are_the_laws_limits() -> None:
    """Where a regulation sets the interval (2010 Regulations regs 28 and 48; 2005
    Regulations regs 7 and 8), the policy's maximum is that interval and the refusal names
    the regulation: a council may visit more often, never less."""
    from recorder.domain.policy import _SPECS

    assert {k: _SPECS[k].maximum for k in STATUTORY_MAXIMA} == STATUTORY_MAXIMA
    assert {k for k in NUMERIC_KEYS if _SPECS[k].law} == set(STATUTORY_MAXIMA)
    with pytest.raises(
        PolicyError,
        match=r"^policy\.toml: \[visits\] lac_first_year_weeks must be a whole number from 1 to 6 "
        r"\(the law's limit: reg 28\(2\)\(b\) of the 2010 Regulations\), got 7$",
    ):
        Policy.from_mapping({"visits": {"lac_first_year_weeks": 7}})


def test_defect_12_a_huge_policy_number_is_refused_at_load_in_one_line(tmp_path: Path) -> None:
    """Issue 12, defect 12: ``cp_visit_working_days = 100000000000`` was accepted (e26c997)
    and then broke the caseload with OverflowError; it is refused when the file is read."""
    path = write_policy(tmp_path, "[visits]\ncp_visit_working_days = 100000000000\n")
    with pytest.raises(PolicyError) as err:
        load_policy(tmp_path)
    assert str(err.value) == (
        f"{path}: [visits] cp_visit_working_days must be a whole number from 1 to 20, "
        "got 100000000000"
    )


def test_as_toml_says_what_each_key_allows() -> None:
    """``recorder policy show`` prints, under each key, the values it accepts."""
    lines = Policy().as_toml().splitlines()
    keys = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
    assert all(lines[i + 1].startswith("# Allowed: ") for i in keys)
    assert "# Allowed: 1 to 20." in lines
    assert "# Allowed: 1 to 7. The law's limit: reg 7 of the 2005 Regulations." in lines
    assert "# Allowed: ENG, WLS, SCT, NIR." in lines


def test_bedroom_expected_is_a_list_of_visit_types(tmp_path: Path) -> None:
    """``bedroom_expected`` names visit types (``sections.VisitType``), each once."""
    from recorder.domain.policy import VISIT_TYPES
    from recorder.domain.sections import VisitType

    assert VISIT_TYPES == tuple(VisitType)
    write_policy(tmp_path, '[record]\nbedroom_expected = ["cp_statutory"]\n')
    assert load_policy(tmp_path).bedroom_expected == ("cp_statutory",)
    write_policy(tmp_path, "[record]\nbedroom_expected = []\n")
    assert load_policy(tmp_path).bedroom_expected == ()
    for bad in ('["cp"]', '"cp_statutory"', '["other", "other"]'):
        path = write_policy(tmp_path, f"[record]\nbedroom_expected = {bad}\n")
        with pytest.raises(PolicyError) as err:
            load_policy(tmp_path)
        assert str(err.value).startswith(
            f"{path}: [record] bedroom_expected must be a list of visit types, each once, from "
            "cp_statutory, child_in_need"
        )


# -- import hygiene -------------------------------------------------------------------------


def test_policy_and_config_stay_light() -> None:
    code = (
        "import sys, recorder.config, recorder.domain.timescales\n"
        "heavy = {'textual', 'sqlalchemy', 'sqlmodel', 'platformdirs', 'holidays'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
