"""One visit record's content, and the management oversight note that signs it off.

``compose`` makes the seven sections of a complete record for a child and a ``Spec`` (what
happened on the visit); ``oversight_note`` makes a note that answers every flag. Both the
scripted team and the bulk loader's prototypes are made here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Callable

from dateutil.relativedelta import relativedelta

from recorder.demo.caseload import INTERPRETERS, Kid
from recorder.demo.phrases import (
    ACTION_POOL,
    ANALYSIS_CLOSE,
    ANALYSIS_OPEN,
    BEDROOM,
    HOME_TOPICS,
    NOTE_ACTIONS,
    NOTE_ANALYSIS,
    NOTE_DECISIONS,
    NOTE_PLANS,
    OPINION,
    PLACEMENT_TOPICS,
    PURPOSE,
    PURPOSE_MORE,
    QUOTES,
    RISK_SENTENCES,
    SCHOOL_TOPICS,
    SHAPES,
    SOURCES,
    WISHES,
)
from recorder.demo.writer import (
    POOL_WORDS,
    T1,
    Writer,
    age_band,
    choose,
    context_words,
    fits,
    fmt,
    join_chosen,
    lower_first,
    pronouns,
    topics_text,
)
from recorder.domain.oversight import OversightInput
from recorder.domain.timescales import working_days_for
from recorder.domain.validation import age_on

_VISIT_TYPE = {
    "child_protection": "cp_statutory",
    "child_in_need": "child_in_need",
    "looked_after": "lac_statutory",
    "private_fostering": "private_fostering",
    "none": "other",
}


@dataclass
class Spec:
    """What happened on one visit, and where its record ends up."""

    kid: str
    wd_ago: int  # the visit was N working days before today
    end: str  # draft | partial | countersign | oversight | returned |
    #                              returned_cs | signed | resubmitted
    author: str = ""  # default: the allocated worker
    seen: str = "alone"  # alone | not_alone | not_seen
    not_alone: str = "inappropriate"  # refused | inappropriate | unable | other
    not_alone_detail: str = ""
    bedroom: str = ""  # yes | no | na (default from location)
    bedroom_reason: str = ""
    awake: str = "yes"
    interpreter: str = ""  # pro | family | not_used (default pro when needed)
    interpreter_mode: str = "in_person"
    location: str = ""  # default: home, or placement for a looked-after child
    announced: str = "announced"
    visit_type: str = ""
    tool: str = ""  # a tool used to hear the child's views
    advocate: str = ""
    joint: str = ""  # registered worker's full name, for an unqualified author
    countersigner: str = ""
    countersign_comment: str = ""  # the countersigner's words (default: a stock comment)
    late: bool = False  # recorded outside the timescale (a flag to answer)
    trend: str = ""  # reduced | unchanged | increased (default: a mix)
    reasons: dict[str, str] = field(default_factory=dict)  # query code -> reason
    returned: str = ""  # the return-for-changes comment
    fix: str = ""  # added to the analysis before resubmitting (resubmitted)
    failed: dict[str, Any] = field(default_factory=dict)  # child-not-seen details
    family_interpreter: str = ""  # who interpreted, when interpreter == "family"
    why_not_used: str = ""  # why no interpreter, when interpreter == "not_used"
    partial: tuple[str, ...] = ("details", "seen", "identity")
    hour: int = 0  # visit time (0: chosen at random)


def date_of_birth(kid: Kid, today: date) -> date:
    """Date of birth from the age given in the table."""
    years, months = kid.age
    return today - relativedelta(years=years, months=months) - timedelta(days=kid.days_old)


def compose(
    w: Writer,
    kid: Kid,
    dob: date,
    spec: Spec,
    visit_at: datetime,
    author_name: str,
    rng: random.Random,
) -> dict[str, dict[str, Any]]:
    """The content of a complete visit record for this kid and this spec."""
    sex = kid.sex
    day = visit_at.date()
    years = age_on(dob, day)
    band = age_band(years)
    location = spec.location or ("placement" if kid.plan == "looked_after" else "home")
    seen = spec.seen != "not_seen"
    vtype = spec.visit_type or _VISIT_TYPE[kid.plan]
    ctx = w.cached(
        ("ctx", kid.ref, band, location, spec.announced),
        lambda: context_words(kid, years, location, spec.announced),
    )
    p = pronouns(sex)
    carer = kid.carer or (kid.household[0][0] if kid.household else "the carer")
    cp = pronouns("m" if carer.startswith("Mr ") else "f")
    fill = {
        "name": kid.known_as,
        "carer": carer,
        "school": kid.school or "school",
        "attendance": str(rng.choice((82, 86, 88, 91, 93, 95, 97))),
        "him_carer": cp["him"],
        "his_carer": cp["his"],
        "risk": "{risk}",
        "alone": "" if band in ("infant", "toddler") else " alone",
    }

    def T(key: str, build: Callable[[random.Random], str]) -> str:
        return w.text((key, sex, ctx & POOL_WORDS[key.split(":")[0]]), build, fill)

    # 1 details ---------------------------------------------------------------------
    interp = spec.interpreter or ("pro" if kid.interpreter_for else "")
    lang = kid.interpreter_language
    i_name, i_agency = INTERPRETERS.get(lang, ("", ""))
    present, absent = present_and_absent(kid, spec, interp)
    details: dict[str, Any] = {
        "visit_at": visit_at.isoformat(timespec="minutes"),
        "visit_type": vtype,
        "announced": spec.announced,
        "location": location,
        "purpose": T(
            f"purpose:{vtype}",
            lambda r: " ".join(
                [fmt(PURPOSE[vtype], sex)]
                + [fmt(s, sex) for s in choose(r, PURPOSE_MORE, w.n((0, 1), (2, 3)), ctx)]
            ),
        ),
        "present": present,
    }
    if absent:
        details["absent"] = absent
    else:
        details["none_absent"] = "yes"
    if location == "other":
        details["location_other"] = "Family centre"
    # the joint worker is chosen by id (demo.team does it: the form's picker lists ids)

    # 2 seen -------------------------------------------------------------------------
    if not seen:
        f = spec.failed
        seen_s: dict[str, Any] = {
            "child_seen": "no",
            "failed_what_happened": f["what"],
            "failed_attempts": f.get("attempts", ["phone", "neighbours", "school"]),
            "failed_attempts_detail": f.get("attempts_detail", ""),
            "failed_action": f.get("action", ["manager_informed", "revisit_booked"]),
            "failed_action_detail": f.get("action_detail", ""),
            "failed_next_seen": (day + timedelta(days=f.get("next_days", 1))).isoformat(),
        }
    else:
        bedroom = spec.bedroom or ("na" if location in ("school", "other") else "yes")
        seen_s = {"child_seen": "yes", "bedroom_seen": bedroom}
        if spec.seen == "alone":
            seen_s["seen_alone"] = "yes"
        else:
            seen_s["seen_alone"] = "no"
            seen_s["not_alone_reason"] = spec.not_alone
            if spec.not_alone_detail:
                seen_s["not_alone_detail"] = spec.not_alone_detail
        if bedroom == "no":
            seen_s["bedroom_reason"] = spec.bedroom_reason
        if years < 2:
            seen_s["infant_awake"] = spec.awake

    # 3 voice -------------------------------------------------------------------------
    if not seen:
        voice: dict[str, Any] = {"views_from_others": spec.failed["views"]}
    else:
        voice = {}
        if band in ("infant", "toddler"):
            voice["methods"] = ["observation"] if band == "infant" else ["observation", "own_words"]
            if band == "infant":
                voice["said"] = (
                    f"{kid.known_as} was awake for most of the visit. {p['He']} fixed on faces, "
                    f"smiled when {carer} spoke to {p['him']} and fed well from a bottle. "
                    f"{p['His']} nappy was clean and {p['his']} skin clear; I saw no marks when "
                    f"{carer} changed {p['him']} at my request."
                    if spec.awake == "yes"
                    else f"{kid.known_as} was asleep in {p['his']} cot throughout the visit. {p['He']} "
                    f"was breathing easily, looked well-nourished and was warm but not hot."
                )
            else:
                voice["said"] = (
                    f"{kid.known_as} played with the toy cars, brought me a book and said "
                    f"“car” and “Mummy” when pointing at the pictures. {p['He']} went to {carer} "
                    f"when {p['he']} bumped {p['his']} knee and was soothed quickly."
                )
        elif kid.nonverbal:
            voice["methods"] = ["observation", "tool"]
            voice["tool"] = "other"
            voice["said"] = (
                f"{kid.known_as} did not use words. {p['He']} led me by the hand to the "
                f"trampoline, flapped {p['his']} hands and smiled when {carer} counted "
                f"{p['his']} jumps. With {p['his']} PECS book {p['he']} chose the pictures of "
                f"the trampoline, a smiling face and {p['his']} mum, and pushed away the "
                f"picture of the school bus."
            )
        else:
            tool = spec.tool
            voice["methods"] = (
                ["own_words"] + (["tool"] if tool else []) + (["advocate"] if spec.advocate else [])
            )
            if tool:
                voice["tool"] = tool
                if tool == "signs_of_safety":
                    voice["scale"] = rng.choice((5, 6, 7, 8))
            if spec.advocate:
                voice["advocate"] = spec.advocate
            quotes = w.cached(
                ("quotes", band, ctx), lambda: [q for q in QUOTES[band] if fits(("", q[2]), ctx)]
            )
            picked = rng.sample(quotes, min(w.n((2, 3), (3, 5)), len(quotes)))
            lines = []
            for lead, quote, _ in picked:
                lead = fmt(lead, sex)
                if not lines and kid.interpreter_for in ("child", "both") and interp == "pro":
                    lead = ("In BSL, " if "Sign" in lang else "Through the interpreter, ") + (
                        lead if lead.startswith("{name}") else lower_first(lead)
                    )
                lines.append(
                    lead.replace("{name}", kid.known_as).replace("{carer}", carer) + " " + quote
                )
            if tool == "signs_of_safety":
                lines.append(
                    f"On the Signs of Safety scale {p['he']} put {p['him']}self at "
                    f"{voice['scale']}: “more good days than bad ones”."
                )
            voice["said"] = " ".join(lines)
        wish_band = "nonverbal" if kid.nonverbal and band not in ("infant", "toddler") else band
        voice["wishes"] = T(
            f"wishes:{wish_band}",
            lambda r: " ".join(fmt(s, sex) for s in choose(r, WISHES[wish_band], 1, ctx)),
        )
        voice["shapes_plan"] = T(
            "shapes", lambda r: join_chosen(r, SHAPES, w.n((1, 2), (2, 3)), ctx, sex)
        )

    # 4 identity ----------------------------------------------------------------------
    identity_key = (
        "identity",
        kid.ref,
        interp,
        spec.interpreter_mode,
        spec.family_interpreter,
        spec.why_not_used,
    )
    identity = w.memo.get(identity_key) if w.pool else None
    if identity is None:
        identity = identity_section(kid, spec, interp, lang, i_name, i_agency)
        if w.pool:  # shared between a child's records: never changed after this
            w.memo[identity_key] = identity

    # 5 observations ------------------------------------------------------------------
    worry = {"increased": 2, "unchanged": 1, "reduced": 0}.get(spec.trend, rng.choice((0, 0, 1)))
    topics = {"placement": PLACEMENT_TOPICS, "school": SCHOOL_TOPICS}.get(location, HOME_TOPICS)
    if seen:
        bed = seen_s.get("bedroom_seen") == "yes"
        bed_kind = "infant" if years < 2 else ("placement" if location == "placement" else "home")

        def seen_text(r: random.Random) -> str:
            s = topics_text(r, topics, w.n((3, 4), (5, 7)), worry, sex, ctx)
            return s + (" " + fmt(r.choice(BEDROOM[bed_kind]), sex) if bed else "")

        obs_seen = T(f"seen:{worry}:{bed}", seen_text)
    else:
        obs_seen = spec.failed["observed"]
    observations = {
        "seen": obs_seen,
        "opinion": T("opinion", lambda r: join_chosen(r, OPINION, w.n((1, 2), (2, 3)), ctx, sex)),
        "sources": T("sources", lambda r: join_chosen(r, SOURCES, w.n((2, 3), (3, 4)), ctx, sex)),
    }

    # 6 analysis -----------------------------------------------------------------------
    risks = []
    risk_text = []
    for risk in kid.risks:
        change = spec.trend or rng.choice(
            ("reduced", "unchanged", "unchanged", "reduced", "increased")
        )
        risks.append({"risk": risk, "change": change})
        risk_text.append(rng.choice(RISK_SENTENCES[change]).replace("{risk}", lower_first(risk)))
    opening = T("analysis", lambda r: join_chosen(r, ANALYSIS_OPEN, w.n((1, 2), (2, 4)), ctx, sex))
    closing = T("analysis_close", lambda r: join_chosen(r, ANALYSIS_CLOSE, 1, ctx, sex))
    analysis = {"analysis": " ".join([opening, *risk_text, closing]), "risks": risks}

    # 7 actions --------------------------------------------------------------------------
    actions = actions_section(rng, kid, spec, ctx, day, author_name, carer, seen)
    return {
        "details": details,
        "seen": seen_s,
        "voice": voice,
        "identity": identity,
        "observations": observations,
        "analysis": analysis,
        "actions": actions,
    }


def present_and_absent(kid: Kid, spec: Spec, interp: str) -> tuple[list[dict], list[dict]]:
    """Who was present and who was expected but absent."""
    lang = kid.interpreter_language
    i_name, i_agency = INTERPRETERS.get(lang, ("", ""))
    seen = spec.seen != "not_seen"
    present = [{"name": kid.name, "role": "child"}] if seen else []
    present += [{"name": n, "role": r} for n, r in spec.failed.get("present", kid.household)]
    if interp == "pro" and spec.interpreter_mode == "in_person":
        present.append({"name": i_name, "role": f"interpreter ({lang}), {i_agency.split(',')[0]}"})
    if spec.joint:
        present.append({"name": spec.joint, "role": "registered social worker (joint visit)"})
    absent = ([] if seen else [(kid.name, "child (not seen)")]) + list(kid.absent)
    return present, [{"name": n, "role": r} for n, r in absent]


def identity_section(
    kid: Kid, spec: Spec, interp: str, lang: str, i_name: str, i_agency: str
) -> dict[str, Any]:
    identity: dict[str, Any] = {
        "ethnicity": kid.ethnicity,
        "religion": kid.religion or "None",
        "first_language": kid.language,
        "disability": kid.disability or "None known",
        "profile_confirmed": "yes",
        "needs_considered": (
            kid.needs or f"{kid.known_as}'s cultural and identity needs were discussed."
        ),
        "how_met": kid.how_met or "Met through the plan.",
        "carers_different_ethnicity": kid.carers_different,
        "interpreter_needed": "yes" if kid.interpreter_for else "no",
    }
    if kid.carers_different == "yes":
        identity["carers_meet_needs"] = kid.carers_meet_needs
    if kid.interpreter_for:
        identity["interpreter_for"] = kid.interpreter_for
        if interp == "not_used":
            identity["interpreter_used"] = "no"
            identity["interpreter_not_used_why"] = spec.why_not_used or (
                "The telephone interpreter line dropped twice and could not reconnect; I kept "
                "to simple practical arrangements and will book an interpreter in person."
            )
        else:
            identity["interpreter_used"] = "yes"
            identity["interpreter_language"] = lang
            if interp == "family":
                identity["interpreter_name"] = spec.family_interpreter
                identity["interpreter_relationship"] = "family"
                identity["interpreter_mode"] = "in_person"
            else:
                identity["interpreter_name"] = i_name
                identity["interpreter_agency"] = i_agency
                identity["interpreter_relationship"] = "professional"
                identity["interpreter_mode"] = spec.interpreter_mode
    return identity


@lru_cache(maxsize=4096)
def _fitting_actions(ctx: frozenset[str]) -> tuple[tuple[str, str, int, str], ...]:
    return tuple(a for a in ACTION_POOL if fits(("", a[3]), ctx))


def actions_section(
    rng,
    kid: Kid,
    spec: Spec,
    ctx: frozenset[str],
    day: date,
    author_name: str,
    carer: str,
    seen: bool,
) -> dict[str, Any]:
    if seen and rng.random() < 0.12:
        return {
            "no_new_actions": "yes",
            "no_actions_why": "The actions agreed at the last meeting about the plan are "
            "still in date and on track; nothing new arose on this visit.",
        }
    out = []
    if not seen:
        out.append(
            {
                "what": f"See {kid.known_as} (revisit booked; police welfare check if not seen)",
                "who": author_name,
                "by_when": (day + timedelta(days=spec.failed.get("next_days", 1))).isoformat(),
            }
        )
    fitting = _fitting_actions(ctx)
    for what, who, days, _ in rng.sample(fitting, min(len(fitting), rng.randint(1, 3))):
        out.append(
            {
                "what": what.replace("{name}", kid.known_as).replace("{carer}", carer),
                "who": who.replace("{worker}", author_name).replace("{carer}", carer),
                "by_when": (day + timedelta(days=days)).isoformat(),
            }
        )
    return {"actions": out}


@lru_cache(maxsize=4096)
def review_day(region: str, visit_day: date, working_days: int) -> date:
    return working_days_for(region).add_working_days(visit_day, working_days)


def oversight_note(
    rng: random.Random,
    kid: Kid,
    spec: Spec,
    flags,
    risks,
    visit_day: date,
    author_name: str,
    countersigner: str,
    wd,
    *,
    review_tokens: bool = False,
) -> OversightInput:
    """A management oversight note that answers every flag on the visit."""
    fill = {"name": kid.known_as, "author": author_name, "plan": NOTE_PLANS[kid.plan]}
    review = review_day(wd.region, visit_day, rng.choice((8, 10, 12)))
    review_iso, review_text = review.isoformat(), f"{review.day} {review:%B %Y}"
    if review_tokens:  # a bulk prototype: the review date is filled in per record
        review_iso, review_text = T1 + "review_iso" + T1, T1 + "review_text" + T1
    ratings = "; ".join(f"{r['risk']}: {r['change']}" for r in risks) or "see the record"
    preverbal = kid.age[0] < 4 or kid.nonverbal
    how = "observed" if preverbal else f"in {pronouns(kid.sex)['his']} own words"
    return OversightInput(
        decision=rng.choice(NOTE_DECISIONS).format_map(fill),
        analysis=" ".join(rng.sample(NOTE_ANALYSIS, 4)).format_map(fill),
        risk=f"As rated in the record ({ratings}). I agree with these ratings on the evidence "
        "given.",
        actions=(
            {
                "what": rng.choice(NOTE_ACTIONS).format_map(fill),
                "who": author_name,
                "by_when": review_iso,
            },
        ),
        timeframe=f"Review in supervision by {review_text}.",
        child_voice=f"{kid.known_as}'s wishes as recorded ({how}) are reflected in the decision "
        "and will be shared at the next review.",
        flag_responses={
            f.code: flag_response(f.code, kid, spec, author_name, countersigner) for f in flags
        },
    )


def flag_response(code: str, kid: Kid, spec: Spec, author: str, countersigner: str) -> str:
    name = kid.known_as
    p = pronouns(kid.sex)
    if code == "child_not_seen":
        return (
            f"The attempts to see {name} were proportionate and the police were told the "
            f"same day. {author} must see {name} within 24 hours and tell me the outcome; "
            "if not, I will convene a strategy discussion."
        )
    if code == "not_seen_alone":
        return {
            "inappropriate": f"Agreed: seeing {name} alone was not appropriate for {p['his']} "
            "age and needs; the observation recorded gives a good account.",
            "refused": f"{name}'s choice is respected. Offer again at every visit and arrange "
            f"to see {p['him']} at school; if refused twice more, discuss with me.",
            "unable": f"Not acceptable to continue: {name} must be seen alone at school within "
            "5 working days. I have told the conference chair.",
        }.get(spec.not_alone, f"Noted; {name} to be seen alone at the next visit.")
    if code == "bedroom_not_seen":
        return (
            "The reason is understood. The bedroom must be seen at the next visit, "
            "unannounced if needed."
        )
    if code == "informal_interpreter":
        return (
            "Using a family member to interpret is against our procedure, even at short "
            "notice. I accept nothing sensitive was discussed through him. A professional "
            "interpreter is booked for the next visit; discussed in supervision."
        )
    if code.startswith("query:"):
        return {
            "query:seen.not_alone_unable": f"I accept the reason; see my response above on "
            f"seeing {name} alone at school.",
            "query:voice.no_quoted_words": f"Agreed: {name} is non-verbal, and the PECS and "
            "observation record is a good account of "
            f"{p['his']} views.",
            "query:seen.infant_not_awake": f"Accepted this once: {name} must be seen awake at "
            "the next visit, which is booked.",
            "query:identity.interpreter_not_professional": "See my response on the family "
            "interpreter above.",
            "query:identity.interpreter_not_used": "Not acceptable to leave it there: an "
            "interpreter in person is to be booked.",
        }.get(code, "I have read the worker's reason and accept it.")
    if code == "unqualified_author":
        if spec.joint:
            return (
                f"Joint visit with {spec.joint} (registered), so it counts as statutory. "
                f"Countersigned by {countersigner}."
            )
        return (
            f"Countersigned by {countersigner}. No registered social worker attended, so "
            f"this is not a statutory visit: {name}'s statutory visit is still due and a "
            "joint visit is to be booked now."
        )
    if code == "made_late":
        return (
            f"{name} was seen after the statutory visit was due. I have discussed the delay "
            f"with {author}; the next visit is booked inside the timescale and I will check "
            "it at supervision."
        )
    if code == "recorded_late":
        return (
            f"Recorded outside the timescale. I have discussed {author}'s workload in "
            "supervision and moved one case to free time for recording."
        )
    return "Read and considered; no further action needed on this point."
