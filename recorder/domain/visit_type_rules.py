"""Rules of the Seen section that depend on the visit type and the local policy (issue 12):
which reasons for not seeing a child alone a visit type allows, where the bedroom is expected
to be seen, and how the local ages read. Called by ``recorder.domain.section_rules``.

Sources: the Care Planning, Placement and Case Review (England) Regulations 2010, reg 29; the
Children (Private Arrangements for Fostering) Regulations 2005, reg 8(3); local practice for
the bedroom and the ages (``[record]`` in policy.toml).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from recorder.domain.policy import Policy
from recorder.domain.sections import NOT_ALONE_SOURCES, SectionKey, field_spec, not_alone_reasons

__all__ = ["reason_not_allowed", "bedroom_expected_on", "age_words"]


def _kind(visit_type: Any) -> str:
    return field_spec(SectionKey.DETAILS.value, "visit_type").choice_label(str(visit_type)).lower()


def reason_not_allowed(name: str, visit_type: Any, reason: Any) -> str | None:
    """What is wrong with ``reason`` for not seeing the child alone on a ``visit_type`` visit
    (None when the visit type allows it)."""
    allowed = not_alone_reasons(visit_type)
    if reason in dict(allowed):
        return None
    said = field_spec(SectionKey.SEEN.value, "not_alone_reason").choice_label(str(reason))
    source = NOT_ALONE_SOURCES.get(str(visit_type), "local procedures")
    quoted = ", ".join(f'"{label}"' for _, label in allowed)
    only = f"only one reason, {quoted}" if len(allowed) == 1 else f"only these: {quoted}"
    return (
        f'"{said}" is not a reason allowed for a {_kind(visit_type)} visit: {source} allows '
        f"{only}. Choose the reason that applies, or talk to your manager about seeing {name} "
        "alone."
    )


def bedroom_expected_on(details: Mapping[str, Any], policy: Policy) -> str | None:
    """Where the bedroom is expected to be seen (policy ``bedroom_expected``: the visit types;
    at home or the placement), the visit in words ("a child protection statutory visit at
    home"); None when it is not expected."""
    visit_type, location = details.get("visit_type"), details.get("location")
    if visit_type not in policy.bedroom_expected or location not in ("home", "placement"):
        return None
    return f"a {_kind(visit_type)} visit at {'home' if location == 'home' else 'the placement'}"


def age_words(years: int) -> str:
    return f"{years} year{'s' if years != 1 else ''} old"
