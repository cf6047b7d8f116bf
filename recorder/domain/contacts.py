"""Contacts about a child and their one outcome (DOMAIN.md "Contacts, referrals and the
chronology"; issue 13 items 1-3).

Every contact is recorded, including those that end in no further action and every police
domestic-abuse notification. A contact has the date and time it was received, its source (the
Children in need census referral source codes), the concern in words, what was checked, and,
once a manager decides it, **exactly one** outcome with the reason, signed. The review found an
NFA rate reported as 20% when it was nearer 8%, because several outcomes were entered and NFA
was used for step-down: here an outcome is one value of :class:`Outcome`, never a list.

Pure rules: who may record and decide (``workflow.py`` style: deny by default, a reason in
words), validation, and the counting rules of the domestic-abuse alert and of a referred
child seen. No SQL, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Iterable

from dateutil.relativedelta import relativedelta

from recorder.domain.roles import Actor, Role, unverified_refusal
from recorder.domain.text import clean, clean_line
from recorder.domain.workflow import ALLOW, Decision, deny

__all__ = [
    "Outcome",
    "OUTCOME_LABELS",
    "SEEN_AFTER",
    "ContactKind",
    "RISK_LEVELS",
    "SOURCES",
    "source_name",
    "ContactInput",
    "validate_contact",
    "validate_decision",
    "may_record_contact",
    "may_decide_contact",
    "may_read_contacts",
    "may_record_referrer_told",
    "da_alert_due",
    "da_window_start",
]


class Outcome(StrEnum):
    """The one outcome of a contact (DOMAIN.md)."""

    NFA = "nfa"
    ADVICE = "advice"
    EARLY_HELP = "early_help"
    REFERRAL = "referral"
    SECTION_47 = "section_47"
    ALREADY_OPEN = "already_open"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.NFA: "No further action",
    Outcome.ADVICE: "Advice or information given",
    Outcome.EARLY_HELP: "Step down to early help",
    Outcome.REFERRAL: "Referral for assessment",
    Outcome.SECTION_47: "Strategy discussion / section 47 enquiry",
    Outcome.ALREADY_OPEN: "Already open",
}

#: Outcomes after which the child must be seen, and seen alone, within the policy's working
#: days of the decision (``Policy.referral_seen_within_working_days``).
SEEN_AFTER = frozenset({Outcome.REFERRAL, Outcome.SECTION_47})


class ContactKind(StrEnum):
    CONTACT = "contact"
    DOMESTIC_ABUSE = "domestic_abuse"

    @property
    def label(self) -> str:
        return "Domestic-abuse notification" if self is ContactKind.DOMESTIC_ABUSE else "Contact"


#: The DASH risk levels a police domestic-abuse notification carries.
RISK_LEVELS = {"standard": "Standard", "medium": "Medium", "high": "High"}

#: The Children in need census referral source codes and their names (DfE, "Children in need
#: census: guide", the source of referral list).
SOURCES: dict[str, str] = {
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance (including neighbours and child minders)",
    "1C": "Individual: self",
    "1D": "Individual: other",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health services: GP",
    "3B": "Health services: health visitor",
    "3C": "Health services: school nurse",
    "3D": "Health services: other primary health services",
    "3E": "Health services: A&E (emergency department)",
    "3F": "Health services: other",
    "4": "Housing (local authority housing or housing association)",
    "5A": "Local authority services: social care (for example adult social care)",
    "5B": "Local authority services: other internal",
    "5C": "Local authority services: external (for example another local authority)",
    "5D": "Local authority services: other",
    "6": "Police",
    "7": "Other legal agency (courts, probation, immigration, Cafcass, prison)",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
}
POLICE = "6"


def source_name(code: str) -> str:
    """The census name of a referral source code ("" for an unknown code)."""
    return SOURCES.get(code, "")


@dataclass(frozen=True)
class ContactInput:
    """What a worker records of a contact (one child; a household notification gives one
    per child). ``received_at`` is local wall-clock time, as a visit's time is."""

    received_at: datetime
    source_code: str
    referrer: str  # who made the contact: a name, a role, an agency (the source's words)
    concern: str
    checked: str  # what was checked (records, other agencies) before the decision
    kind: ContactKind = ContactKind.CONTACT
    incident_date: date | None = None
    risk_level: str = ""
    children_present: str = ""  # who was present at the incident, in words


def cleaned(ci: ContactInput) -> ContactInput:
    """``ci`` with its text cleaned of control, escape and bidi characters."""
    return ContactInput(
        received_at=ci.received_at,
        source_code=clean_line(ci.source_code).upper(),
        referrer=clean_line(ci.referrer),
        concern=clean(ci.concern).strip(),
        checked=clean(ci.checked).strip(),
        kind=ContactKind(ci.kind),
        incident_date=ci.incident_date,
        risk_level=clean_line(ci.risk_level).lower(),
        children_present=clean(ci.children_present).strip(),
    )


def validate_contact(ci: ContactInput, now: datetime, max_chars: int = 100_000) -> list[str]:
    """What is wrong with a contact, in words (empty when it may be recorded). ``ci`` is
    :func:`cleaned`; ``now`` is local wall-clock time."""
    problems: list[str] = []
    if ci.received_at > now:
        problems.append("The time the contact was received cannot be in the future.")
    if ci.source_code not in SOURCES:
        problems.append(
            "Choose the source of the contact from the census list (for example 2A Schools, "
            "6 Police)."
        )
    if not ci.referrer:
        problems.append("Say who made the contact (a name, a role or an agency).")
    if not ci.concern:
        problems.append("Write the concern in words: what the referrer said about the child.")
    if not ci.checked:
        problems.append(
            "Say what was checked before the decision (the child's records, other agencies)."
        )
    for label, text in (("The concern", ci.concern), ("What was checked", ci.checked)):
        if len(text) > max_chars:
            problems.append(
                f"{label} is {len(text):,} characters long; the limit is {max_chars:,}."
            )
    if len(ci.referrer) > 200:
        problems.append("Who made the contact holds at most 200 characters.")
    if ci.kind is ContactKind.DOMESTIC_ABUSE:
        if ci.incident_date is None:
            problems.append("A domestic-abuse notification needs the date of the incident.")
        elif ci.incident_date > ci.received_at.date():
            problems.append("The incident cannot be after the notification was received.")
        if ci.risk_level not in RISK_LEVELS:
            problems.append("Give the risk level of the notification: standard, medium or high.")
        if not ci.children_present:
            problems.append("Say which children were present at the incident (or that none were).")
    elif ci.incident_date or ci.risk_level or ci.children_present:
        problems.append(
            "Only a domestic-abuse notification has an incident date, a risk level and the "
            "children present."
        )
    return problems


def validate_decision(outcome: str | Outcome | None, reason: str) -> list[str]:
    """A decision has exactly one outcome and the reason for it."""
    problems: list[str] = []
    if isinstance(outcome, (list, tuple, set, frozenset)):
        problems.append("A contact has exactly one outcome; choose one.")
    elif outcome is None or outcome not in {o.value for o in Outcome}:
        problems.append(
            "Choose the contact's one outcome: " + "; ".join(o.label for o in Outcome) + "."
        )
    if not clean(reason).strip():
        problems.append("Write the reason for the decision.")
    return problems


# -- who may ---------------------------------------------------------------------------


def may_record_contact(actor: Actor, child_team_id: int | None) -> Decision:
    """A registered social worker of the child's team, or a manager of the child's team,
    records a contact (the front door's work: never an administrator, who reads no case
    content, and not an unqualified worker on their own)."""
    if not actor.reads_cases:
        return deny("Administrators manage accounts and cannot read or record contacts.", "admin")
    if actor.manages(child_team_id):
        return ALLOW
    if actor.role is not Role.SOCIAL_WORKER:
        return deny(
            "Only a social worker or a manager of the child's team can record a contact.",
            "not_social_worker",
        )
    if actor.team_id is None or actor.team_id != child_team_id:
        return deny("You can record contacts only for children of your team.", "other_team")
    return ALLOW


def may_read_contacts(
    actor: Actor, child_team_id: int | None, allocated_worker_id: int | None
) -> Decision:
    """A child's contacts are read as the child's record is (``workflow.may_read_child``)."""
    from recorder.domain.workflow import may_read_child

    return may_read_child(actor, child_team_id, allocated_worker_id)


def may_decide_contact(actor: Actor, child_team_id: int | None, decided: bool) -> Decision:
    """The outcome is a manager's decision, signed: the team manager of the child's team or
    the service manager above it, registered and checked; never an administrator. A
    decided contact is never decided again (corrections are addenda)."""
    if not actor.reads_cases:
        return deny("Administrators cannot decide contacts.", "admin")
    if not actor.is_manager:
        return deny("Only a team manager or service manager decides a contact.", "not_manager")
    if actor.registration_problem:
        return deny(unverified_refusal(actor, "decide a contact"), "unverified")
    if not actor.manages(child_team_id):
        return deny("Only a manager of the child's team can decide this contact.", "other_team")
    if decided:
        return deny(
            "This contact is decided and signed; it never changes. Add an addendum to correct it.",
            "decided",
        )
    return ALLOW


def may_record_referrer_told(
    actor: Actor, child_team_id: int | None, decided: bool, told: bool
) -> Decision:
    """The day the referrer was told the outcome: once the contact is decided, recorded
    once, by anyone who may record contacts for the child."""
    who = may_record_contact(actor, child_team_id)
    if not who:
        return who
    if not decided:
        return deny("The referrer is told the outcome once the contact is decided.", "undecided")
    if told:
        return deny("The day the referrer was told is already recorded.", "told")
    return ALLOW


# -- the domestic-abuse alert (issue 13 item 2) ------------------------------------------


def da_window_start(received_on: date, months: int) -> date:
    """The first day of the M-calendar-month window ending on ``received_on`` (inclusive):
    three in twelve months on 2 Dec 2026 counts notifications received from 3 Dec 2025."""
    return received_on - relativedelta(months=months) + relativedelta(days=1)


def da_alert_due(
    received_on: date, signed_before: Iterable[date], notifications: int, months: int
) -> bool:
    """Does signing the domestic-abuse notification received on ``received_on`` raise the
    alert? It does when it is at least the Nth signed notification for the child received
    inside the M months ending on its own day, ``signed_before`` being the days received of
    the child's other signed notifications. Each one was perhaps NFA: the count is of
    notifications, whatever their outcome (DOMAIN.md)."""
    start = da_window_start(received_on, months)
    inside = sum(1 for d in signed_before if start <= d <= received_on)
    return inside + 1 >= notifications


# -- a referred child seen, and seen alone (issue 13 item 3) -----------------------------


def referral_seen_due(referred_on: date, seen_alone_on: Iterable[date], due: date) -> date | None:
    """The day a referred child must be seen, and seen alone, by (``due``: N working days
    after ``referred_on``, the policy's ``referral_seen_within_working_days``), or None once
    they have been: a visit on or after the referral day where the child was seen and seen
    alone (``seen_alone_on``)."""
    if any(d >= referred_on for d in seen_alone_on):
        return None
    return due


def referral_seen_words(referred_on: date, due_words: str) -> str:
    """ "Referred on 26 Nov 2026: to be seen, and seen alone, overdue by 2 working days"."""
    return f"Referred on {referred_on:%-d %b %Y}: to be seen, and seen alone, {due_words}"


# -- what a form's text says ---------------------------------------------------------------


def parse_when(text: str) -> datetime | None:
    """ "2026-12-02 09:15" (or with a T) as a datetime; None when it is not one."""
    try:
        return datetime.fromisoformat(clean_line(text).replace(" ", "T")).replace(
            tzinfo=None, second=0, microsecond=0
        )
    except ValueError:
        return None


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(clean_line(text))
    except ValueError:
        return None


def parse_children(text: str) -> tuple[list[str | tuple[str, date]], list[str]]:
    """The children a contact is about, one a line: a known child's reference ("C0001"), or
    a child not yet known as "name, date of birth" ("Zofia Nowak, 2019-03-02"). Returns the
    children (a reference, or (name, born)) and what is wrong, in words, naming the line."""
    out: list[str | tuple[str, date]] = []
    problems: list[str] = []
    for n, raw in enumerate(clean(text).splitlines(), start=1):
        words = raw.strip()
        if not words:
            continue
        if "," not in words:
            if " " in words:
                problems.append(
                    f"Line {n}: a child not yet known is written 'name, date of birth' "
                    "(for example: Zofia Nowak, 2019-03-02); a known child by their reference."
                )
            else:
                out.append(words)
            continue
        name, _, born = words.rpartition(",")
        day = parse_day(born)
        if not name.strip() or day is None:
            problems.append(
                f"Line {n}: write the new child as 'name, date of birth' with the date as "
                "YYYY-MM-DD (for example: Zofia Nowak, 2019-03-02)."
            )
        else:
            out.append((clean_line(name), day))
    if not out and not problems:
        problems.append(
            "Name the child the contact is about: a reference, or a name and date of birth."
        )
    return out, problems
