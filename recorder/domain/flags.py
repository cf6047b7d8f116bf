"""What a manager's oversight note must answer (DOMAIN.md, "Management oversight").

"Every flag on the visit (child not seen, not seen alone, family member interpreting,
unqualified author, queries overridden) must be answered in the note." ``visit_flags``
lists them for one visit, in a fixed order, each with a stable code:

=========================  =====================================================
``child_not_seen``         the child was not seen (failed access)
``not_seen_alone``         seen, but not alone (detail: the reason)
``bedroom_not_seen``       the bedroom was not seen (detail: the worker's reason)
``informal_interpreter``   a family member, friend or child interpreted
``query:<finding code>``   a query the worker overrode (detail: their reason)
``unqualified_author``     written by an unqualified worker
``recorded_late``          recorded outside the policy timescale
``made_late``              a statutory visit made after the day it was due (drift)
=========================  =====================================================

Details are the worker's own text (data): show them as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recorder.domain.sections import Content, SectionKey, field_spec
from recorder.domain.validation import QUERY_TITLES

__all__ = ["Flag", "visit_flags", "FLAG_LABELS", "FLAG_SECTIONS"]

#: the sections of a visit's content that :func:`visit_flags` reads (a queue reads only these)
FLAG_SECTIONS = (SectionKey.SEEN, SectionKey.IDENTITY)


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    detail: str = ""


FLAG_LABELS = {
    "child_not_seen": "Child not seen",
    "not_seen_alone": "Child not seen alone",
    "bedroom_not_seen": "Bedroom not seen",
    "informal_interpreter": "A family member, friend or child interpreted",
    "unqualified_author": "Written by an unqualified worker",
    "recorded_late": "Recorded late",
    "made_late": "Statutory visit made late",
}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _choice_label(section: SectionKey, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        return ""
    return field_spec(section.value, key).choice_label(value)


def _section(content: Content, key: SectionKey) -> Mapping[str, Any]:
    values = content.get(key.value)
    return values if isinstance(values, Mapping) else {}


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def visit_flags(
    content: Content,
    *,
    author_needs_countersign: bool,
    query_reasons: Mapping[str, str],
    recorded_late: bool,
    made_late: str = "",
    was_due: str = "",
    joint_worker: str = "",
    joint_confirmed: bool = False,
) -> list[Flag]:
    """The flags on a visit that its management oversight must answer.

    ``query_reasons`` maps a finding code to the worker's reason for overriding it; pass
    only queries that still apply (``validation.overridden_queries``). Blank reasons are
    ignored: a query without a reason blocks submission and is not a flag. ``made_late`` is
    a statutory visit's drift in words ("made 3 working days late", from
    ``timescales.made_late``) and ``was_due`` the day it was due, as shown.
    ``joint_worker`` is the name of the registered social worker chosen as attending
    jointly ("" for none) and ``joint_confirmed`` whether they have signed to confirm it.
    """
    seen = _section(content, SectionKey.SEEN)
    identity = _section(content, SectionKey.IDENTITY)
    flags: list[Flag] = []

    child_seen = seen.get("child_seen")
    if child_seen == "no":
        flags.append(
            Flag(
                "child_not_seen",
                FLAG_LABELS["child_not_seen"],
                _text(seen.get("failed_what_happened")),
            )
        )
    elif child_seen == "yes":
        if seen.get("seen_alone") == "no":
            reason = _choice_label(
                SectionKey.SEEN, "not_alone_reason", seen.get("not_alone_reason")
            )
            detail = _join(f"{reason}." if reason else "", _text(seen.get("not_alone_detail")))
            flags.append(Flag("not_seen_alone", FLAG_LABELS["not_seen_alone"], detail))
        if seen.get("bedroom_seen") == "no":
            flags.append(
                Flag(
                    "bedroom_not_seen",
                    FLAG_LABELS["bedroom_not_seen"],
                    _text(seen.get("bedroom_reason")),
                )
            )

    relationship = identity.get("interpreter_relationship")
    if (
        identity.get("interpreter_needed") == "yes"
        and identity.get("interpreter_used") == "yes"
        and relationship in ("family", "friend", "child")
    ):
        who = _choice_label(SectionKey.IDENTITY, "interpreter_relationship", relationship)
        name = _text(identity.get("interpreter_name"))
        flags.append(
            Flag(
                "informal_interpreter",
                FLAG_LABELS["informal_interpreter"],
                f"{who} interpreted" + (f": {name}." if name else "."),
            )
        )

    for code, reason in query_reasons.items():
        reason = _text(reason)
        if not reason:
            continue
        title = QUERY_TITLES.get(code, code)
        flags.append(Flag(f"query:{code}", f"Query overridden: {title}", reason))

    if author_needs_countersign:
        joint = _text(joint_worker)
        if not joint:
            detail = "No registered social worker attended jointly."
        elif joint_confirmed:
            detail = f"Registered social worker who attended jointly: {joint} (confirmed, signed)."
        else:
            detail = (
                f"Registered social worker who attended jointly: {joint}, awaiting confirmation "
                f"by {joint}; until then the visit does not count as statutory."
            )
        flags.append(Flag("unqualified_author", FLAG_LABELS["unqualified_author"], detail))

    if recorded_late:
        flags.append(
            Flag(
                "recorded_late",
                FLAG_LABELS["recorded_late"],
                "The visit was not recorded within the policy timescale for recording visits.",
            )
        )
    if made_late:
        due = f": the statutory visit was due by {was_due}" if was_due else ""
        flags.append(
            Flag(
                "made_late",
                FLAG_LABELS["made_late"],
                f"{made_late[0].upper()}{made_late[1:]}{due}.",
            )
        )
    return flags
