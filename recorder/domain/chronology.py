"""The child's chronology (DOMAIN.md "Contacts, referrals and the chronology"): the kinds of
entry, how a visit's seen answers read in words, who may add a significant event by hand and
what one must hold. Pure: no SQL, no Textual."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recorder.domain.roles import Actor
from recorder.domain.workflow import ALLOW, Decision, deny, in_reach

__all__ = [
    "KINDS",
    "SignificantEventInput",
    "event_problem",
    "may_add_significant_event",
    "parse_day",
    "seen_words",
    "WHAT_MAX_CHARS",
    "SOURCE_MAX_CHARS",
]

#: every kind of entry and its words, in the order a filter offers them. A source of entries
#: for a new kind (contacts, tracked actions) adds its key here and registers its reader in
#: ``services.chronology.SOURCES``.
KINDS: dict[str, str] = {
    "visit": "Visit",
    "oversight": "Oversight decision",
    "case_note": "Case note",
    "supervision": "Supervision discussion",
    "plan": "Plan",
    "placement": "Placement",
    "allocation": "Allocation",
    "addendum": "Addendum",
    "event": "Significant event",
    "contact": "Contact",
    "action": "Action",
}

WHAT_MAX_CHARS = 500  # what happened, in a line (the impact is the long text)
SOURCE_MAX_CHARS = 200


def seen_words(child_seen: str | None, seen_alone: str | None) -> str:
    """A signed-off visit's seen answers in words: "Child seen alone", "Child seen, not
    alone", "Child not seen" (or "Child seen" when whether alone was not recorded)."""
    if child_seen == "no":
        return "Child not seen"
    if child_seen != "yes":
        return "Whether the child was seen is not recorded"
    if seen_alone == "yes":
        return "Child seen alone"
    if seen_alone == "no":
        return "Child seen, not alone"
    return "Child seen"


@dataclass(frozen=True)
class SignificantEventInput:
    """A significant event added by hand: when it happened, what happened (a line), where
    the information came from, and its impact on the child (required)."""

    occurred_on: date
    what: str
    source: str
    impact: str


def event_problem(e: SignificantEventInput, today: date, born: date, impact_limit: int) -> str:
    """Why ``e`` (already cleaned) cannot be recorded, in words; "" when it can."""
    if e.occurred_on > today:
        return "A significant event cannot be in the future."
    if e.occurred_on < born:
        return "A significant event cannot be before the child was born."
    if not e.what:
        return "Say what happened."
    if len(e.what) > WHAT_MAX_CHARS:
        return f"What happened is over {WHAT_MAX_CHARS} characters; put the detail in the impact."
    if not e.source:
        return "Say where the information came from (for example: the school, the police)."
    if len(e.source) > SOURCE_MAX_CHARS:
        return f"The source is over {SOURCE_MAX_CHARS} characters."
    if not e.impact:
        return "Say what the impact on the child was: it is required for every significant event."
    if len(e.impact) > impact_limit:
        return f"The impact on the child is over the {impact_limit:,} character limit."
    return ""


def may_add_significant_event(
    actor: Actor, child_team_id: int | None, allocated_worker_id: int | None
) -> Decision:
    """Anyone who may read the child's record (the allocated worker, the child's team, the
    managers above it) may add a significant event to its chronology; never an
    administrator."""
    if not actor.reads_cases:
        return deny("Administrators manage accounts and cannot write case records.")
    if in_reach(actor, child_team_id, allocated_worker_id):
        return ALLOW
    return deny("You can add significant events only for children of your team.")


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}


def parse_day(text: str) -> date | None:
    """A date as a person types it: 2026-11-20, 20/11/2026 or 20 Nov 2026 (None when it is
    none of these, or not a real day)."""
    t = " ".join((text or "").replace(",", " ").split())
    try:
        if len(t) == 10 and t[4] == "-" and t[7] == "-":
            return date.fromisoformat(t)
        if "/" in t:
            d, m, y = (int(p) for p in t.split("/"))
            return date(y, m, d)
        parts = t.split(" ")
        if len(parts) == 3 and parts[1][:3].lower() in _MONTHS:
            return date(int(parts[2]), _MONTHS[parts[1][:3].lower()], int(parts[0]))
    except ValueError:
        return None
    return None
