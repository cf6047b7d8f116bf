"""What validation finds: the kinds of finding, their stable codes and the context a record
is read in (``recorder.domain.validation`` is the API; the rules of each section are
``recorder.domain.section_rules``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from recorder.domain.policy import Policy
from recorder.domain.progress import OpenAction
from recorder.domain.sections import SectionKey


class Severity(StrEnum):
    ERROR = "error"
    QUERY = "query"


@dataclass(frozen=True)
class Finding:
    section: SectionKey
    field: str
    severity: Severity
    code: str  # stable, e.g. "seen.not_alone_unable"
    message: str  # plain words a social worker understands; says what to do


@dataclass(frozen=True)
class VisitContext:
    child_name: str
    child_dob: date
    now: datetime  # naive local wall-clock time
    plan_risks: tuple[str, ...] = ()
    #: the local ages and the bedroom expectation (``[record]`` in policy.toml)
    policy: Policy = Policy()
    #: who may be named as the joint worker (id -> name: the registered staff of the team),
    #: or None when the author does not need one (a qualified author: nothing is asked)
    joint_workers: Mapping[int, str] | None = None
    #: the child's open actions the Actions section asks progress on (``domain.progress``)
    open_actions: tuple[OpenAction, ...] = ()


class SectionState(StrEnum):
    COMPLETE = "complete"
    MISSING = "missing"
    QUERY = "query"


#: Every query code, with the short title a manager sees when the query was overridden.
QUERY_TITLES: dict[str, str] = {
    "seen.failed_next_seen_before_visit": "Date the child will be seen is before the visit",
    "seen.not_alone_unable": "Worker was unable to see the child alone",
    "seen.infant_not_awake": "Infant not seen awake",
    "voice.no_quoted_words": "No quoted words from the child",
    "identity.interpreter_not_professional": "A family member, friend or child interpreted",
    "identity.interpreter_not_used": "Interpreter needed but not used",
    "actions.by_when_before_visit": "An action's date is before the visit",
}

_ERROR_CODES = {
    SectionKey.DETAILS: (
        "visit_at_missing",
        "visit_at_invalid",
        "visit_at_future",
        "visit_at_before_birth",
        "visit_type_missing",
        "announced_missing",
        "location_missing",
        "location_other_missing",
        "purpose_missing",
        "present_missing",
        "present_name_missing",
        "present_role_missing",
        "absent_missing",
        "absent_contradiction",
        "absent_name_missing",
        "absent_role_missing",
        "joint_worker_unknown",
    ),
    SectionKey.SEEN: (
        "child_seen_missing",
        "failed_what_happened_missing",
        "failed_attempts_missing",
        "failed_attempts_calling_card_only",
        "failed_attempts_detail_missing",
        "failed_action_missing",
        "failed_action_detail_missing",
        "failed_next_seen_missing",
        "failed_next_seen_invalid",
        "seen_alone_missing",
        "not_alone_reason_missing",
        "not_alone_reason_not_allowed",
        "not_alone_detail_missing",
        "bedroom_seen_missing",
        "bedroom_reason_missing",
        "bedroom_expected",
        "infant_awake_missing",
    ),
    SectionKey.VOICE: (
        "child_seen_first",
        "views_from_others_missing",
        "methods_missing",
        "tool_missing",
        "scale_missing",
        "scale_out_of_range",
        "advocate_missing",
        "said_missing",
        "wishes_missing",
        "shapes_plan_missing",
    ),
    SectionKey.IDENTITY: (
        "ethnicity_missing",
        "religion_missing",
        "first_language_missing",
        "disability_missing",
        "profile_confirmed_missing",
        "needs_considered_missing",
        "how_met_missing",
        "carers_different_ethnicity_missing",
        "carers_meet_needs_missing",
        "interpreter_needed_missing",
        "interpreter_for_missing",
        "interpreter_used_missing",
        "interpreter_not_used_why_missing",
        "interpreter_language_missing",
        "interpreter_relationship_missing",
        "interpreter_mode_missing",
        "interpreter_name_missing",
        "interpreter_agency_missing",
    ),
    SectionKey.OBSERVATIONS: ("seen_missing", "opinion_missing", "sources_missing"),
    SectionKey.ANALYSIS: (
        "analysis_missing",
        "risk_name_missing",
        "risk_change_missing",
        "risk_not_rated",
    ),
    SectionKey.ACTIONS: (
        "actions_missing",
        "no_new_actions_contradiction",
        "no_actions_why_missing",
        "action_what_missing",
        "action_who_missing",
        "action_by_when_missing",
        "action_by_when_invalid",
        "progress_missing",
        "progress_note_missing",
    ),
}

#: Every finding code ``validate`` can return, with its severity. Codes are stable: the
#: reasons for queries are stored under them.
FINDING_CODES: dict[str, Severity] = {
    **{f"{s.value}.{c}": Severity.ERROR for s, codes in _ERROR_CODES.items() for c in codes},
    **{code: Severity.QUERY for code in QUERY_TITLES},
}

#: Quotation marks of the usual scripts. ' and ’ are also apostrophes, so they count as
#: quotation marks only at the edge of a word (see ``has_quoted_words``).
QUOTE_MARKS = frozenset("\"“”‘’'«»„「」")
_APOSTROPHES = frozenset("'’")


def age_on(dob: date, day: date) -> int:
    """Age in whole years on ``day`` (a 29 February birthday falls on 1 March)."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def has_quoted_words(text: str) -> bool:
    """True when ``text`` holds a quotation: a pair of quote marks around at least one letter.

    A simple heuristic. Any mark may open and any may close, so „tak”, «oui», 「好」 and
    "no" all count. An apostrophe (' or ’) opens only when not preceded by a letter or
    digit and closes only when not followed by one, so "didn't like Mum's" is not a quote.
    """
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch not in QUOTE_MARKS or (ch in _APOSTROPHES and i > 0 and text[i - 1].isalnum()):
            i += 1
            continue
        letter = False
        for j in range(i + 1, n):
            cj = text[j]
            if cj in QUOTE_MARKS:
                if cj in _APOSTROPHES and j + 1 < n and text[j + 1].isalnum():
                    continue  # an apostrophe inside a word ("don't")
                if letter:
                    return True
                i = j + 1  # an empty pair ("" or "42"): look for the next pair after it
                break
            if cj.isalpha():
                letter = True
        else:
            return False  # an opening mark that is never closed
    return False


class Collector:
    """Gathers one section's findings, each code prefixed with the section's key."""

    def __init__(self, section: SectionKey) -> None:
        self.section = section
        self.findings: list[Finding] = []

    def error(self, field: str, code: str, message: str) -> None:
        self.findings.append(
            Finding(self.section, field, Severity.ERROR, f"{self.section.value}.{code}", message)
        )

    def query(self, field: str, code: str, message: str) -> None:
        self.findings.append(
            Finding(self.section, field, Severity.QUERY, f"{self.section.value}.{code}", message)
        )
