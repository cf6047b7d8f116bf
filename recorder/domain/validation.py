"""Is a visit record complete? Errors and queries (DOMAIN.md, "The visit record: sections").

``validate`` reads cleaned content (``content.clean_content``) and returns one
:class:`Finding` per problem, in section order. An **error** blocks submission. A **query**
allows submission once the worker has typed a reason; the manager sees the reason and the
oversight note must answer it (``flags.visit_flags``).

Reasons for queries are keyed by finding code (``query_reasons[finding.code]``): one reason
answers every finding with that code.

Messages are plain words that say what to do. The child's name is data: callers show
messages as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from recorder.domain.sections import SECTIONS, Content, SectionKey

__all__ = [
    "Severity",
    "Finding",
    "VisitContext",
    "SectionState",
    "QUERY_TITLES",
    "FINDING_CODES",
    "validate",
    "validate_section",
    "section_states",
    "blocking",
    "overridden_queries",
    "has_quoted_words",
    "age_on",
    "under_two_at_visit",
]


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
        "visit_at_missing", "visit_at_invalid", "visit_at_future", "visit_at_before_birth",
        "visit_type_missing", "announced_missing", "location_missing", "location_other_missing",
        "purpose_missing", "present_missing", "present_name_missing", "present_role_missing",
        "absent_missing", "absent_contradiction", "absent_name_missing", "absent_role_missing",
    ),
    SectionKey.SEEN: (
        "child_seen_missing", "failed_what_happened_missing", "failed_attempts_missing",
        "failed_attempts_calling_card_only", "failed_attempts_detail_missing",
        "failed_action_missing", "failed_action_detail_missing", "failed_next_seen_missing",
        "failed_next_seen_invalid", "seen_alone_missing", "not_alone_reason_missing",
        "not_alone_detail_missing", "bedroom_seen_missing", "bedroom_reason_missing",
        "infant_awake_missing",
    ),
    SectionKey.VOICE: (
        "child_seen_first", "views_from_others_missing", "methods_missing", "tool_missing",
        "scale_missing", "scale_out_of_range", "advocate_missing", "said_missing",
        "wishes_missing", "shapes_plan_missing",
    ),
    SectionKey.IDENTITY: (
        "ethnicity_missing", "religion_missing", "first_language_missing", "disability_missing",
        "profile_confirmed_missing", "needs_considered_missing", "how_met_missing",
        "carers_different_ethnicity_missing", "carers_meet_needs_missing",
        "interpreter_needed_missing", "interpreter_for_missing", "interpreter_used_missing",
        "interpreter_not_used_why_missing", "interpreter_language_missing",
        "interpreter_relationship_missing", "interpreter_mode_missing",
        "interpreter_name_missing", "interpreter_agency_missing",
    ),
    SectionKey.OBSERVATIONS: ("seen_missing", "opinion_missing", "sources_missing"),
    SectionKey.ANALYSIS: (
        "analysis_missing", "risk_name_missing", "risk_change_missing", "risk_not_rated",
    ),
    SectionKey.ACTIONS: (
        "actions_missing", "no_new_actions_contradiction", "no_actions_why_missing",
        "action_what_missing", "action_who_missing", "action_by_when_missing",
        "action_by_when_invalid",
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


# --- helpers -----------------------------------------------------------------------------


def _has(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict)):
        return bool(value)
    return True


def _name(ctx: VisitContext) -> str:
    return ctx.child_name.strip() or "the child"


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _parse_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _section(content: Content, key: SectionKey) -> Mapping[str, Any]:
    values = content.get(key.value) if isinstance(content, Mapping) else None
    return values if isinstance(values, Mapping) else {}


def _visit_day(content: Content, ctx: VisitContext) -> date:
    """The day of the visit, or today when it is not (yet) a valid date and time."""
    at = _parse_datetime(_section(content, SectionKey.DETAILS).get("visit_at"))
    if at is not None and at.tzinfo is None:
        return at.date()
    return ctx.now.date()


def under_two_at_visit(content: Content, ctx: VisitContext) -> bool:
    """Whether the child was under 2 on the day of the visit (today until a date is given)."""
    day = _visit_day(content, ctx)
    return ctx.child_dob <= day and age_on(ctx.child_dob, day) < 2


def _items(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, (list, tuple)):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    if _has(value):
        return [value]
    return []


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Collector:
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


# --- the sections ------------------------------------------------------------------------


def _details(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: _Collector) -> None:
    name = _name(ctx)
    raw_at = v.get("visit_at")
    if not _has(raw_at):
        out.error("visit_at", "visit_at_missing", "Enter the date and time of the visit.")
    else:
        at = _parse_datetime(raw_at)
        if at is None or at.tzinfo is not None:
            out.error(
                "visit_at", "visit_at_invalid",
                "Enter the date and time of the visit as a local date and time, "
                "for example 2025-03-14 15:30.",
            )
        elif at > ctx.now:
            out.error(
                "visit_at", "visit_at_future",
                "The visit date and time is in the future. Record a visit after it has "
                "happened, and check the date and time.",
            )
        elif at.date() < ctx.child_dob:
            out.error(
                "visit_at", "visit_at_before_birth",
                f"The visit date is before {name} was born "
                f"({ctx.child_dob.isoformat()}). Check the date.",
            )
    if not _has(v.get("visit_type")):
        out.error("visit_type", "visit_type_missing", "Choose the type of visit.")
    if not _has(v.get("announced")):
        out.error("announced", "announced_missing", "Say whether the visit was announced or unannounced.")
    if not _has(v.get("location")):
        out.error("location", "location_missing", f"Say where you saw {name}.")
    elif v.get("location") == "other" and not _has(v.get("location_other")):
        out.error("location_other", "location_other_missing", "Say where the visit took place.")
    if not _has(v.get("purpose")):
        out.error("purpose", "purpose_missing", "Say what the purpose of the visit was.")

    present = [p for p in _items(v.get("present")) if _has(p.get("name")) or _has(p.get("role"))]
    if not present:
        out.error(
            "present", "present_missing",
            "Name everyone who was present, with their role, for example "
            "\"Sally, maternal grandmother\".",
        )
    for n, person in enumerate(present, start=1):
        if not _has(person.get("name")):
            out.error(
                "present", "present_name_missing",
                f"Give the name of person {n} present (role: {str(person.get('role', '')).strip()}).",
            )
        if not _has(person.get("role")):
            out.error(
                "present", "present_role_missing",
                f"Give the role of {str(person.get('name', '')).strip()}, who was present, "
                "for example \"maternal grandmother\".",
            )

    absent = [p for p in _items(v.get("absent")) if _has(p.get("name")) or _has(p.get("role"))]
    none_absent = v.get("none_absent") == "yes"
    if not absent and not none_absent:
        out.error(
            "absent", "absent_missing",
            "Name who was expected but absent, with their role, or confirm that nobody expected "
            "was absent. Think of fathers and mothers' partners: they are the people most "
            "often missed.",
        )
    elif absent and none_absent:
        out.error(
            "none_absent", "absent_contradiction",
            "You listed people who were expected but absent and also said nobody expected was "
            "absent. Untick \"Nobody expected was absent\" or remove the people listed.",
        )
    for n, person in enumerate(absent, start=1):
        if not _has(person.get("name")):
            out.error(
                "absent", "absent_name_missing",
                f"Give the name of absent person {n} (role: {str(person.get('role', '')).strip()}).",
            )
        if not _has(person.get("role")):
            out.error(
                "absent", "absent_role_missing",
                f"Give the role of {str(person.get('name', '')).strip()}, who was expected but "
                "absent, for example \"father\".",
            )


def _seen(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: _Collector) -> None:
    name = _name(ctx)
    seen = v.get("child_seen")
    if not _has(seen):
        out.error("child_seen", "child_seen_missing", f"Say whether {name} was seen.")
        return
    if seen == "no":
        if not _has(v.get("failed_what_happened")):
            out.error(
                "failed_what_happened", "failed_what_happened_missing",
                f"Say what happened when you could not see {name}.",
            )
        attempts = _as_list(v.get("failed_attempts"))
        if not attempts:
            out.error(
                "failed_attempts", "failed_attempts_missing",
                f"Record every attempt you made to see {name}: for example phoning, asking "
                "neighbours, contacting the school.",
            )
        elif all(a == "calling_card" for a in attempts):
            out.error(
                "failed_attempts", "failed_attempts_calling_card_only",
                f"A calling card alone is not acceptable. Record the other attempts you made to "
                f"see {name}, such as phoning, asking neighbours or contacting the school.",
            )
        if "other" in attempts and not _has(v.get("failed_attempts_detail")):
            out.error(
                "failed_attempts_detail", "failed_attempts_detail_missing",
                "You ticked \"Other\" attempts: describe them.",
            )
        actions = _as_list(v.get("failed_action"))
        if not actions:
            out.error(
                "failed_action", "failed_action_missing",
                f"Record the action you took because {name} was not seen: for example "
                "informing your manager or asking the police for a welfare check.",
            )
        if "other" in actions and not _has(v.get("failed_action_detail")):
            out.error(
                "failed_action_detail", "failed_action_detail_missing",
                "You ticked \"Other\" action: describe what you did.",
            )
        raw_next = v.get("failed_next_seen")
        if not _has(raw_next):
            out.error(
                "failed_next_seen", "failed_next_seen_missing",
                f"Give the date when {name} will be seen.",
            )
        else:
            nxt = _parse_date(raw_next)
            if nxt is None:
                out.error(
                    "failed_next_seen", "failed_next_seen_invalid",
                    f"The date when {name} will be seen is not a date: write it as YYYY-MM-DD.",
                )
            elif nxt < _visit_day(content, ctx):
                out.query(
                    "failed_next_seen", "failed_next_seen_before_visit",
                    f"The date when {name} will be seen is before this visit. Check the date, "
                    "or give a reason.",
                )
        return

    # The child was seen.
    alone = v.get("seen_alone")
    if not _has(alone):
        out.error("seen_alone", "seen_alone_missing", f"Say whether {name} was seen alone.")
    elif alone == "no":
        reason = v.get("not_alone_reason")
        if not _has(reason):
            out.error(
                "not_alone_reason", "not_alone_reason_missing",
                f"Say why {name} was not seen alone.",
            )
        elif reason == "unable":
            out.query(
                "not_alone_reason", "not_alone_unable",
                f"You were unable to see {name} alone. Your manager will be alerted. Say what "
                "stopped you and what you will do to see them alone next time.",
            )
        elif reason == "other" and not _has(v.get("not_alone_detail")):
            out.error(
                "not_alone_detail", "not_alone_detail_missing",
                f"Say more about why {name} was not seen alone.",
            )
    bedroom = v.get("bedroom_seen")
    if not _has(bedroom):
        out.error(
            "bedroom_seen", "bedroom_seen_missing",
            f"Say whether you saw {name}'s bedroom, or that it does not apply.",
        )
    elif bedroom == "no" and not _has(v.get("bedroom_reason")):
        out.error(
            "bedroom_reason", "bedroom_reason_missing",
            f"Say why {name}'s bedroom was not seen.",
        )
    if under_two_at_visit(content, ctx):
        awake = v.get("infant_awake")
        if not _has(awake):
            out.error(
                "infant_awake", "infant_awake_missing",
                f"{name} is under 2: say whether they were seen awake.",
            )
        elif awake == "no":
            out.query(
                "infant_awake", "infant_not_awake",
                f"Infants should be seen awake. Say why {name} was not seen awake and when "
                "you will see them awake.",
            )


def _voice(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: _Collector) -> None:
    name = _name(ctx)
    seen = _section(content, SectionKey.SEEN).get("child_seen")
    if not _has(seen):
        out.error(
            "methods", "child_seen_first",
            f"First answer \"Child seen\" in the Seen section: what to record here depends "
            f"on whether {name} was seen.",
        )
        return
    if seen == "no":
        if not _has(v.get("views_from_others")):
            out.error(
                "views_from_others", "views_from_others_missing",
                f"{name} was not seen: record what others say of their views and wishes, "
                "and who said it.",
            )
        return

    methods = _as_list(v.get("methods"))
    if not methods:
        out.error(
            "methods", "methods_missing",
            f"Say how you gathered {name}'s views: in conversation, by observation, with a "
            "tool or through an advocate.",
        )
    if "tool" in methods:
        tool = v.get("tool")
        if not _has(tool):
            out.error("tool", "tool_missing", "Say which tool you used.")
        elif tool == "signs_of_safety":
            scale = v.get("scale")
            if scale is None or scale == "":
                out.error(
                    "scale", "scale_missing",
                    f"Give the Signs of Safety scale {name} chose, from 0 to 10.",
                )
            elif isinstance(scale, bool) or not isinstance(scale, int) or not 0 <= scale <= 10:
                out.error(
                    "scale", "scale_out_of_range",
                    "The Signs of Safety scale runs from 0 to 10: give a number in that range.",
                )
    if "advocate" in methods and not _has(v.get("advocate")):
        out.error(
            "advocate", "advocate_missing", "Give the advocate's name and organisation.",
        )
    said = v.get("said")
    if not _has(said):
        out.error(
            "said", "said_missing",
            f"Record what {name} said or showed, in their own words where you can, "
            "in quotation marks.",
        )
    elif age_on(ctx.child_dob, _visit_day(content, ctx)) >= 4 and not has_quoted_words(str(said)):
        out.query(
            "said", "no_quoted_words",
            f"{name} is 4 or over but no words of theirs are quoted. Quote what they said in "
            "quotation marks, or give a reason (for example, they do not speak).",
        )
    if not _has(v.get("wishes")):
        out.error("wishes", "wishes_missing", f"Record {name}'s wishes and feelings.")
    if not _has(v.get("shapes_plan")):
        out.error(
            "shapes_plan", "shapes_plan_missing",
            f"Say how {name}'s views will shape the plan.",
        )


def _identity(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: _Collector) -> None:
    name = _name(ctx)
    required = (
        ("ethnicity", f"Record {name}'s ethnicity, as confirmed or updated on this visit."),
        ("religion", f"Record {name}'s religion (or \"None\")."),
        ("first_language", f"Record {name}'s first language."),
        ("disability", f"Record {name}'s disability and communication needs, or \"None known\"."),
        ("profile_confirmed", f"Say whether you confirmed or updated {name}'s profile on this visit."),
        ("needs_considered", "Say which cultural and identity needs you considered on this visit."),
        ("how_met", "Say how those cultural and identity needs are being met."),
        ("carers_different_ethnicity",
         f"Say whether {name} is placed with carers of a different ethnicity, or that it does "
         "not apply."),
    )
    for key, message in required:
        if not _has(v.get(key)):
            out.error(key, f"{key}_missing", message)
    if v.get("carers_different_ethnicity") == "yes" and not _has(v.get("carers_meet_needs")):
        out.error(
            "carers_meet_needs", "carers_meet_needs_missing",
            f"Say how the carers meet {name}'s cultural and identity needs.",
        )

    needed = v.get("interpreter_needed")
    if not _has(needed):
        out.error(
            "interpreter_needed", "interpreter_needed_missing",
            f"Say whether an interpreter was needed for {name} or a parent.",
        )
        return
    if needed != "yes":
        return
    if not _has(v.get("interpreter_for")):
        out.error(
            "interpreter_for", "interpreter_for_missing",
            "Say who needed the interpreter: the child, a parent or carer, or both.",
        )
    used = v.get("interpreter_used")
    if not _has(used):
        out.error(
            "interpreter_used", "interpreter_used_missing", "Say whether an interpreter was used.",
        )
    elif used == "no":
        out.query(
            "interpreter_used", "interpreter_not_used",
            "An interpreter was needed but not used. Your manager's oversight must address it.",
        )
        if not _has(v.get("interpreter_not_used_why")):
            out.error(
                "interpreter_not_used_why", "interpreter_not_used_why_missing",
                "Say why no interpreter was used when one was needed.",
            )
    elif used == "yes":
        if not _has(v.get("interpreter_language")):
            out.error(
                "interpreter_language", "interpreter_language_missing",
                "Give the language interpreted.",
            )
        relationship = v.get("interpreter_relationship")
        if not _has(relationship):
            out.error(
                "interpreter_relationship", "interpreter_relationship_missing",
                "Say who interpreted: a professional interpreter, a family member, a friend "
                "or a child.",
            )
        if not _has(v.get("interpreter_mode")):
            out.error(
                "interpreter_mode", "interpreter_mode_missing",
                "Say how they interpreted: in person, by phone or by video.",
            )
        if not _has(v.get("interpreter_name")):
            out.error(
                "interpreter_name", "interpreter_name_missing",
                "Give the name of the person who interpreted.",
            )
        if relationship == "professional" and not _has(v.get("interpreter_agency")):
            out.error(
                "interpreter_agency", "interpreter_agency_missing",
                "Give the interpreter's agency or ID number.",
            )
        if relationship in ("family", "friend", "child"):
            out.query(
                "interpreter_relationship", "interpreter_not_professional",
                "Family members, friends and children must never be used as interpreters. "
                "Record what happened truthfully and say why no professional interpreter was "
                "used; your manager's oversight must address it.",
            )


def _observations(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: _Collector) -> None:
    if not _has(v.get("seen")):
        out.error(
            "seen", "seen_missing",
            "Record what you saw: home conditions, the care the child receives, how the child "
            "and adults interact.",
        )
    if not _has(v.get("opinion")):
        out.error(
            "opinion", "opinion_missing",
            "Give your professional opinion, kept apart from what you saw.",
        )
    if not _has(v.get("sources")):
        out.error(
            "sources", "sources_missing",
            "Name the source of each piece of information you were told, for example "
            "\"Mother said...\", \"School reported...\".",
        )


def _analysis(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: _Collector) -> None:
    name = _name(ctx)
    if not _has(v.get("analysis")):
        out.error(
            "analysis", "analysis_missing",
            f"Say what this visit means for {name}'s safety and wellbeing.",
        )
    listed: set[str] = set()  # a listed risk without a change gets one finding, not two
    for n, item in enumerate(_items(v.get("risks")), start=1):
        risk = str(item.get("risk") or "").strip()
        if not risk:
            if _has(item.get("change")):
                out.error("risks", "risk_name_missing", f"Name risk {n} in the list.")
            continue
        listed.add(_norm(risk))
        if not _has(item.get("change")):
            out.error(
                "risks", "risk_change_missing",
                f"Say whether the risk \"{risk}\" has increased, reduced or is unchanged since "
                "the last visit.",
            )
    for risk in ctx.plan_risks:
        if _has(risk) and _norm(risk) not in listed:
            out.error(
                "risks", "risk_not_rated",
                f"The plan lists the risk \"{risk.strip()}\": say whether it has increased, "
                "reduced or is unchanged since the last visit.",
            )


def _actions(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: _Collector) -> None:
    actions = [
        a for a in _items(v.get("actions"))
        if _has(a.get("what")) or _has(a.get("who")) or _has(a.get("by_when"))
    ]
    no_new = v.get("no_new_actions") == "yes"
    if not actions and not no_new:
        out.error(
            "actions", "actions_missing",
            "Add each action (what, who, by when), or say there are no new actions and why.",
        )
    elif actions and no_new:
        out.error(
            "no_new_actions", "no_new_actions_contradiction",
            "You listed actions and also said there are no new actions. Untick \"No new "
            "actions\" or remove the actions.",
        )
    if no_new and not actions and not _has(v.get("no_actions_why")):
        out.error("no_actions_why", "no_actions_why_missing", "Say why there are no new actions.")
    visit_day = _visit_day(content, ctx)
    for n, action in enumerate(actions, start=1):
        what = str(action.get("what") or "").strip()
        called = f"\"{what}\"" if what else f"action {n}"
        if not what:
            out.error("actions", "action_what_missing", f"Say what action {n} is.")
        if not _has(action.get("who")):
            out.error("actions", "action_who_missing", f"Say who will do {called}.")
        raw = action.get("by_when")
        if not _has(raw):
            out.error("actions", "action_by_when_missing", f"Say by when {called} will be done.")
            continue
        by_when = _parse_date(raw)
        if by_when is None:
            out.error(
                "actions", "action_by_when_invalid",
                f"The date for {called} is not a date: write it as YYYY-MM-DD.",
            )
        elif by_when < visit_day:
            out.query(
                "actions", "by_when_before_visit",
                f"The date for {called} is before the visit. Check the date, or give a reason.",
            )


_RULES = {
    SectionKey.DETAILS: _details,
    SectionKey.SEEN: _seen,
    SectionKey.VOICE: _voice,
    SectionKey.IDENTITY: _identity,
    SectionKey.OBSERVATIONS: _observations,
    SectionKey.ANALYSIS: _analysis,
    SectionKey.ACTIONS: _actions,
}


def validate_section(section: SectionKey | str, content: Content, ctx: VisitContext) -> list[Finding]:
    """The findings for one section (some rules read other sections, e.g. child seen)."""
    key = SectionKey(section)
    out = _Collector(key)
    _RULES[key](_section(content, key), content, ctx, out)
    return out.findings


def validate(content: Content, ctx: VisitContext) -> list[Finding]:
    """Every finding for a visit record, in section order."""
    findings: list[Finding] = []
    for spec in SECTIONS:
        findings.extend(validate_section(spec.key, content, ctx))
    return findings


def _answered(finding: Finding, query_reasons: Mapping[str, str]) -> bool:
    reason = query_reasons.get(finding.code)
    return isinstance(reason, str) and bool(reason.strip())


def blocking(findings: Iterable[Finding], query_reasons: Mapping[str, str]) -> list[Finding]:
    """Findings that stop submission: every error and every query without a reason."""
    return [
        f for f in findings
        if f.severity is Severity.ERROR or not _answered(f, query_reasons)
    ]


def overridden_queries(findings: Iterable[Finding], query_reasons: Mapping[str, str]) -> dict[str, str]:
    """The queries that still apply and have a reason: {code: reason}, in finding order.

    Pass this (not the raw reasons, which may be stale) to ``flags.visit_flags``.
    """
    out: dict[str, str] = {}
    for f in findings:
        if f.severity is Severity.QUERY and _answered(f, query_reasons):
            out.setdefault(f.code, query_reasons[f.code].strip())
    return out


def section_states(
    findings: Iterable[Finding], query_reasons: Mapping[str, str]
) -> dict[SectionKey, SectionState]:
    """Each section's state: MISSING (an error), QUERY (a query without reason), or COMPLETE."""
    states = {spec.key: SectionState.COMPLETE for spec in SECTIONS}
    for f in findings:
        if f.severity is Severity.ERROR:
            states[f.section] = SectionState.MISSING
        elif not _answered(f, query_reasons) and states[f.section] is SectionState.COMPLETE:
            states[f.section] = SectionState.QUERY
    return states

