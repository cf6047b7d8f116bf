"""The identity code lists (issue 12, defect 9; DOMAIN.md "Identity"): ethnicity, disability
and sex as the Children in Need census codes, shown by name, refused when they are neither a
code nor a name. Source: the DfE's Children in need census guide."""

from __future__ import annotations

import pytest

from recorder.domain import identity


def test_every_ethnicity_code_of_the_cin_census_is_listed_in_its_order():
    """The DfE ethnicity codes the CIN census guide lists, no more and no fewer."""
    assert (
        list(identity.ETHNICITY)
        == (
            "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE "
            "OOTH REFU NOBT"
        ).split()
    )


def test_every_disability_code_of_the_cin_census_is_listed():
    assert list(identity.DISABILITY) == (
        "NONE MOB HAND PC INC COMM LD HEAR VIS BEH CON AUT DDA".split()
    )
    assert list(identity.SEX) == ["M", "F", "U"]


@pytest.mark.parametrize("code", list(identity.ETHNICITY))
def test_an_ethnicity_code_and_its_name_look_each_other_up(code):
    name = identity.ethnicity_name(code)
    assert name and name != code
    assert identity.ethnicity_code(code) == code
    assert identity.ethnicity_code(code.lower()) == code
    assert identity.ethnicity_code(name) == code
    assert identity.ethnicity_code(f"  {name.upper()} ") == code


@pytest.mark.parametrize("code", list(identity.DISABILITY))
def test_a_disability_code_and_its_name_look_each_other_up(code):
    name = identity.DISABILITY[code]
    assert identity.disability_codes(code) == (code,)
    assert identity.disability_codes(name.lower()) == (code,)
    assert identity.disability_names([code]) == name


def test_several_disabilities_are_kept_in_the_census_order_once_each():
    assert identity.disability_codes("Communication; mob, AUT, communication") == (
        "MOB",
        "COMM",
        "AUT",
    )
    assert identity.join_codes(("MOB", "COMM")) == "MOB,COMM"
    assert identity.split_codes("MOB,COMM") == ("MOB", "COMM")
    assert identity.disability_shown("MOB,COMM") == "Mobility; Communication"


def test_no_disability_cannot_be_recorded_with_a_disability():
    with pytest.raises(identity.IdentityError, match="NONE .no disability. cannot"):
        identity.disability_codes("NONE, AUT")


def test_plain_names_match_the_codes():
    """The ways the names are written in records ("White - British", "None known")."""
    assert identity.ethnicity_code("White - British") == "WBRI"
    assert identity.ethnicity_code("Asian British - Pakistani") == "APKN"
    assert identity.ethnicity_code("Mixed - White and Black Caribbean") == "MWBC"
    assert identity.disability_codes("None known") == ("NONE",)
    assert identity.sex_code("female") == "F" and identity.sex_code("u") == "U"


def test_a_value_that_is_no_code_or_name_is_refused_with_the_list():
    with pytest.raises(identity.IdentityError) as e:
        identity.ethnicity_code("Martian")
    message = str(e.value)
    assert message.startswith("'Martian' is not an ethnicity in the CIN census.")
    assert "WBRI (White British)" in message and "NOBT (Information not yet obtained)" in message
    with pytest.raises(identity.IdentityError, match="'Bad knee' is not a disability"):
        identity.disability_codes("MOB; Bad knee")
    with pytest.raises(identity.IdentityError, match="'X' is not a sex"):
        identity.sex_code("X")


def test_empty_means_not_recorded():
    assert identity.ethnicity_code("  ") == ""
    assert identity.disability_codes("") == ()
    assert identity.sex_code("") == ""
    assert identity.ethnicity_shown("") == ""


def test_free_text_that_matches_no_code_is_shown_not_yet_coded():
    """What the migration leaves for a worker to code: the old text, kept and marked."""
    assert identity.best_ethnicity("White - Polish") is None
    assert identity.ethnicity_shown("", "White - Polish") == "not yet coded: White - Polish"
    assert identity.best_disability("Autism; sensitive to noise") is None
    assert identity.best_disability("Autism") == ("AUT",)
    assert identity.disability_shown("", "ADHD") == "not yet coded: ADHD"
    assert (
        identity.disability_shown("AUT", "ADHD")
        == "Autism or Asperger syndrome; not yet coded: ADHD"
    )
    assert identity.ethnicity_name("ZZZZ") == "ZZZZ"  # written by something else: shown as is
