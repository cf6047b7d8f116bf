"""The reasons for not seeing a child alone depend on the visit type (issue 12, defect 2;
DOMAIN.md, "Seen"). The form offers only the allowed reasons and validation refuses the rest.

Sources: the Care Planning, Placement and Case Review (England) Regulations 2010, reg 29 (a
looked-after child); the Children (Private Arrangements for Fostering) Regulations 2005,
reg 8(3) (private fostering); local procedures for child protection and child in need.
"""

from __future__ import annotations

import pytest

from recorder.domain.validation import Severity, validate
from tests.support.factories import complete_content, visit_context

ALL = ["refused", "inappropriate", "unable", "other"]


def not_alone(visit_type: str, reason: str) -> dict:
    content = complete_content()
    content["details"]["visit_type"] = visit_type
    content["seen"].update(seen_alone="no", not_alone_reason=reason)
    if reason == "other":
        content["seen"]["not_alone_detail"] = "Amira asked for her brother to stay."
    return content


def reason_findings(content: dict) -> list:
    return [f for f in validate(content, visit_context()) if f.field == "not_alone_reason"]


def offered(visit_type: str | None) -> list[str]:
    from recorder.domain.relevance import field_choices

    content = complete_content()
    content["details"]["visit_type"] = visit_type
    return [key for key, _ in field_choices("seen", "not_alone_reason", content)]


def test_a_looked_after_childs_visit_offers_only_reg_29s_three_reasons() -> None:
    """Reg 29 of the 2010 Regulations: the child, of sufficient age and understanding,
    refused; the worker considered it inappropriate having regard to the child's age and
    understanding; the worker was unable to. No "other"."""
    assert offered("lac_statutory") == ["refused", "inappropriate", "unable"]


@pytest.mark.parametrize("reason", ["refused", "inappropriate"])
def test_a_looked_after_childs_visit_accepts_reg_29s_reasons(reason: str) -> None:
    """Reg 29 of the 2010 Regulations allows refused and inappropriate as they are."""
    assert reason_findings(not_alone("lac_statutory", reason)) == []


def test_a_looked_after_child_the_worker_was_unable_to_see_alone_is_a_query() -> None:
    """Reg 29(c) of the 2010 Regulations: "unable" is allowed, and the manager is alerted."""
    (finding,) = reason_findings(not_alone("lac_statutory", "unable"))
    assert (finding.code, finding.severity) == ("seen.not_alone_unable", Severity.QUERY)


def test_defect_2_a_looked_after_childs_visit_refuses_other_as_a_reason() -> None:
    """Issue 12, defect 2: on e26c997 "other" was accepted for a looked-after child's visit;
    reg 29 of the 2010 Regulations lists three reasons only. The error names the regulation
    and the reasons it allows."""
    (finding,) = reason_findings(not_alone("lac_statutory", "other"))
    assert finding.code == "seen.not_alone_reason_not_allowed"
    assert finding.severity is Severity.ERROR
    assert "reg 29" in finding.message and '"Other" is not a reason allowed' in finding.message
    assert "Exception" not in finding.message and "Error" not in finding.message


def test_private_fostering_offers_only_inappropriate() -> None:
    """Reg 8(3) of the 2005 Regulations: the officer speaks to the child alone unless they
    consider it inappropriate; no other reason."""
    assert offered("private_fostering") == ["inappropriate"]
    assert reason_findings(not_alone("private_fostering", "inappropriate")) == []


@pytest.mark.parametrize("reason", ["refused", "unable", "other"])
def test_defect_2_private_fostering_refuses_every_reason_but_inappropriate(reason: str) -> None:
    """Issue 12, defect 2: on e26c997 every reason was accepted for a private fostering visit;
    reg 8(3) of the 2005 Regulations allows only "inappropriate"."""
    (finding,) = reason_findings(not_alone("private_fostering", reason))
    assert finding.code == "seen.not_alone_reason_not_allowed"
    assert "reg 8(3)" in finding.message and "only one reason" in finding.message


@pytest.mark.parametrize("visit_type", ["cp_statutory", "child_in_need", "other"])
def test_child_protection_child_in_need_and_other_visits_offer_the_three_and_other(
    visit_type: str,
) -> None:
    """Local procedures (DOMAIN.md, "Seen"): the same three reasons plus "other" (with its
    detail); "unable" stays a query."""
    assert offered(visit_type) == ALL
    for reason in ("refused", "inappropriate", "other"):
        assert reason_findings(not_alone(visit_type, reason)) == []
    assert [f.code for f in reason_findings(not_alone(visit_type, "unable"))] == [
        "seen.not_alone_unable"
    ]


def test_a_visit_with_no_type_yet_offers_every_reason() -> None:
    """Until the visit type is chosen (itself an error) every reason is offered."""
    assert offered(None) == ALL
