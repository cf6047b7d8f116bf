"""The rules of each section of a visit record: what is an error, what is a query
(DOMAIN.md, "The visit record: sections"). Called through ``recorder.domain.validation``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from recorder.domain.findings import Collector, Finding, VisitContext, age_on, has_quoted_words
from recorder.domain.progress import progress_problems
from recorder.domain.sections import Content, SectionKey
from recorder.domain.visit_type_rules import age_words, bedroom_expected_on, reason_not_allowed


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


def infant_at_visit(content: Content, ctx: VisitContext) -> bool:
    """Whether the child was an infant who should be seen awake on the day of the visit
    (today until a date is given): under the policy's ``infant_seen_awake_under_years``."""
    day = _visit_day(content, ctx)
    return ctx.child_dob <= day and age_on(ctx.child_dob, day) < ctx.policy.infant_seen_awake_under_years


#: the older name (the age was 2 in code before it was policy)
under_two_at_visit = infant_at_visit


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


# --- the sections ------------------------------------------------------------------------


def _details(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: Collector) -> None:
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


    joint = v.get("joint_worker")
    if ctx.joint_workers is not None and _has(joint) and joint not in ctx.joint_workers:
        out.error(
            "joint_worker", "joint_worker_unknown",
            "Choose the registered social worker who attended jointly from the list of your "
            "team's registered social workers (a name typed in, or someone not on that list, "
            "cannot make the visit count).",
        )


def _seen(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: Collector) -> None:
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
        elif wrong := reason_not_allowed(name, _section(content, SectionKey.DETAILS).get("visit_type"), reason):
            out.error("not_alone_reason", "not_alone_reason_not_allowed", wrong)
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
    expected = bedroom_expected_on(_section(content, SectionKey.DETAILS), ctx.policy)
    if not _has(bedroom):
        out.error(
            "bedroom_seen", "bedroom_seen_missing",
            f"Say whether you saw {name}'s bedroom" + ("." if expected else ", or that it does not apply."),
        )
    elif bedroom == "na" and expected:
        out.error(
            "bedroom_seen", "bedroom_expected",
            f"On {expected} {name}'s bedroom is expected to be seen: say Yes, or No with the reason.",
        )
    elif bedroom == "no" and not _has(v.get("bedroom_reason")):
        out.error(
            "bedroom_reason", "bedroom_reason_missing",
            f"Say why {name}'s bedroom was not seen.",
        )
    if infant_at_visit(content, ctx):
        awake = v.get("infant_awake")
        if not _has(awake):
            out.error(
                "infant_awake", "infant_awake_missing",
                f"{name} is under {age_words(ctx.policy.infant_seen_awake_under_years)}: say "
                "whether they were seen awake.",
            )
        elif awake == "no":
            out.query(
                "infant_awake", "infant_not_awake",
                f"Infants should be seen awake. Say why {name} was not seen awake and when "
                "you will see them awake.",
            )


def _voice(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: Collector) -> None:
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
    elif (
        age_on(ctx.child_dob, _visit_day(content, ctx)) >= (words_from := ctx.policy.quoted_words_from_years)
        and not has_quoted_words(str(said))
    ):
        out.query(
            "said", "no_quoted_words",
            f"{name} is {words_from} or over but no words of theirs are quoted. Quote what they "
            "said in quotation marks, or give a reason (for example, they do not speak).",
        )
    if not _has(v.get("wishes")):
        out.error("wishes", "wishes_missing", f"Record {name}'s wishes and feelings.")
    if not _has(v.get("shapes_plan")):
        out.error(
            "shapes_plan", "shapes_plan_missing",
            f"Say how {name}'s views will shape the plan.",
        )


def _identity(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: Collector) -> None:
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


def _observations(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: Collector) -> None:
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


def _analysis(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: Collector) -> None:
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


def _actions(v: Mapping[str, Any], content: Content, ctx: VisitContext, out: Collector) -> None:
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
    for code, message in progress_problems(v, ctx.open_actions):
        out.error("progress", code, message)
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


def check_section(key: SectionKey, content: Content, ctx: VisitContext) -> list[Finding]:
    """The findings of section ``key`` (some rules read other sections, e.g. child seen)."""
    out = Collector(key)
    _RULES[key](_section(content, key), content, ctx, out)
    return out.findings
