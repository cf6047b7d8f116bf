"""The bulk loader's rows: one job's children and visits, already in storage form.

Each record's text comes from per-class prototypes (see "bulk prototypes" below); each
signature is built with ``recorder.domain.signing``, the payload functions the services
sign with and ``recorder check`` verifies with.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Any

from dateutil.relativedelta import relativedelta

from recorder.demo import census
from recorder.demo.caseload import INTERPRETERS, Kid
from recorder.demo.common import utc
from recorder.demo.people import BACKGROUNDS, BG_WEIGHTS
from recorder.demo.phrases import (
    BULK_DISABILITY,
    BULK_RISKS,
    COUNTERSIGN_COMMENTS,
    FAILED,
    FAITH_NEEDS,
    RETURN_COMMENTS,
    TOOLS_BY_AGE,
)
from recorder.demo.record import (
    Spec,
    compose,
    flag_response,
    identity_section,
    oversight_note,
    present_and_absent,
    review_day,
)
from recorder.demo.writer import T1, T2, Writer, age_band, lower_first, pronouns
from recorder.domain import signing
from recorder.domain.flags import visit_flags
from recorder.domain.plans import VISIT_TYPE_FOR_PLAN
from recorder.domain.roles import Role
from recorder.domain.sections import not_alone_reasons
from recorder.domain.signing import canonical
from recorder.domain.timescales import working_days_for
from recorder.domain.validation import age_on
from recorder.store.models import (
    Child,
    ChildCoWorker,
    Countersign,
    OversightNote,
    ReturnComment,
    Signature,
    Visit,
    VisitSection,
)

CADENCE = {"child_protection": 9, "child_in_need": 18, "looked_after": 28,
           "private_fostering": 28}   # working days between bulk visits
_HISTORY_WORKING_DAYS = 2_500   # about ten years


def _bulk_kid(rng: random.Random, ref: str, plan: str, dob: date, today: date,
              worker: str) -> Kid:
    bg = rng.choices(BACKGROUNDS, weights=BG_WEIGHTS)[0]
    _, ethnicity, religions, language, interp_lang, girls, boys, surnames = bg
    sex = rng.choice("fm")
    first = rng.choice((girls if sex == "f" else boys).split())
    surname = rng.choice(surnames.split())
    religion = rng.choice(religions)
    years = age_on(dob, today)
    mother = f"{rng.choice(girls.split())} {surname}"
    interp = "parent" if interp_lang and rng.random() < 0.4 else ""
    if plan in ("looked_after", "private_fostering"):
        fc_bg = rng.choices(BACKGROUNDS, weights=BG_WEIGHTS)[0]
        fc_surname = rng.choice(fc_bg[7].split())
        role = "foster carer" if plan == "looked_after" else "private foster carer (family friend)"
        household = ((f"{rng.choice(fc_bg[5].split())} {fc_surname}", role),)
        carer = f"Mrs {fc_surname}"
        different = "yes" if fc_bg[1] != ethnicity else "no"
        if interp and plan == "looked_after":
            interp = "child" if years >= 8 else ""
    else:
        household = ((mother, "mother"),)
        carer = f"Ms {surname}"
        different = "na"
    absent = ((f"{rng.choice(boys.split())} {surname}", "father (expected)"),) \
        if rng.random() < 0.4 else ()
    faith = FAITH_NEEDS.get(religion.split(" (")[0])
    lang_note = (f" {{His}} family speak {language.split(' and ')[-1]} at home."
                 if language != "English" else "")
    needs = (faith[0] if faith else
             "{name}'s friendships and hobbies matter most to {him}.") + lang_note
    how_met = faith[1] if faith else "{carer} supports {his} clubs and friendships."
    years_band = "school" if years >= 11 else ("primary" if years >= 4 else "nursery")
    school = {"school": "Northgate High School", "primary": "Riverside Primary School",
              "nursery": "Little Acorns Nursery"}[years_band]
    kid = Kid(ref=ref, name=f"{first} {surname}", known_as=first, sex=sex, age=(years, 0),
               ethnicity=ethnicity, religion=religion, language=language, plan=plan,
               plan_start=0, risks=tuple(rng.sample(BULK_RISKS[plan], 2)),
               worker=worker, household=household, absent=absent, carer=carer,
               interpreter_for=interp, interpreter_language=interp_lang if interp else "",
               disability=rng.choice(BULK_DISABILITY), carers_different=different,
               carers_meet_needs="The carers have asked the family about food, faith and hair "
                                 "and skin care, and keep up {name}'s links with {his} community.",
               school=school)
    fill = dict(pronouns(sex), name=first, carer=carer)
    return replace(kid, needs=needs.format_map(fill), how_met=how_met.format_map(fill),
                   carers_meet_needs=kid.carers_meet_needs.format_map(fill))


def _bulk_scenario(rng: random.Random, kid: Kid, years: int) -> tuple[str, str, str, str]:
    """What happened on a bulk visit: (seen, why not alone, bedroom, interpreter)."""
    r = rng.random()
    if r < 0.03:
        return ("not_seen", "", "", "")
    seen, why = "alone", ""
    if years < 4:
        seen, why = "not_alone", "inappropriate"
    elif r < 0.12:
        seen, why = "not_alone", "refused" if years >= 12 else "other"
    if why and why not in dict(not_alone_reasons(VISIT_TYPE_FOR_PLAN.get(kid.plan))):
        why = "inappropriate"  # private fostering (reg 8(3)); a looked-after child (reg 29)
    bedroom = "no" if r > 0.96 else ""
    interpreter = "family" if kid.interpreter_for and rng.random() < 0.03 else ""
    return (seen, why, bedroom, interpreter)


def _scenario_spec(rng: random.Random, scenario: tuple[str, str, str, str], kid: Kid,
                   years: int, joint: str) -> Spec:
    """The spec of a bulk visit for ``kid`` (tokens in a prototype, or a real child)."""
    seen, why, bedroom, interpreter = scenario
    spec = Spec(kid.ref, 0, "signed", joint=joint)
    if seen == "not_seen":
        spec.seen = "not_seen"
        spec.announced = "unannounced"
        spec.failed = {
            "what": rng.choice(FAILED), "next_days": 1,
            "attempts": ["phone", "neighbours", "school"],
            "action": ["manager_informed", "revisit_booked"],
            "views": f"School said {kid.known_as} has seemed settled in class this week; "
                     "nobody has reported any new worries.",
            "observed": "I could not get into the house. From the street it looked lived in; "
                        "the bins had been put out.",
        }
        return spec
    spec.seen, spec.not_alone = seen, why or "inappropriate"
    if why in ("refused", "other"):
        spec.not_alone_detail = f"{kid.known_as} wanted {kid.carer} to stay in the room."
    if bedroom == "no":
        spec.bedroom, spec.bedroom_reason = "no", "The family said the room was being decorated."
    if interpreter == "family":
        spec.interpreter = "family"
        spec.family_interpreter = kid.household[0][0].split()[0] + " (older cousin)"
        spec.reasons = {"identity.interpreter_not_professional":
                        "The booked interpreter did not come; a family member interpreted "
                        "practical arrangements only. Professional interpreter rebooked."}
    if years >= 4:
        spec.tool = rng.choice(("", "", "", *TOOLS_BY_AGE["young" if years < 8 else
                                                        "child" if years < 13 else "teen"]))
    spec.trend = rng.choice(("", "", "reduced", "unchanged"))
    spec.announced = rng.choice(("announced", "announced", "unannounced"))
    return spec


# -- bulk prototypes ------------------------------------------------------------------------
#
# Composing and serialising every bulk record would cost about half a millisecond each. So a
# few records are composed per class of visit (plan, age band, sex, interpreter, what
# happened) for a child made of tokens and serialised once, as ``str.format_map`` templates;
# each real record takes each of its sections from one of its class's prototypes (analysis
# and oversight note from the same one) and fills in names, dates, and the child's own
# identity, present and absent JSON. The joint worker, "nobody absent" and the answers to the
# record's flags are added per record. Bulk text is therefore less tailored to a child's
# particular risks than the demo's; every record still passes validation and every
# signature holds the SHA-256 of exactly what was signed.

_SENTINEL_DAY = date(2000, 1, 3)                # a prototype's visit day (a Monday)
_BAND_AGE = {"infant": (1, 0), "toddler": (3, 0), "young": (6, 0), "child": (10, 0),
             "teen": (15, 0)}
_PROTOTYPES_PER_CLASS = 4
PROTOTYPES: dict[tuple, list[tuple]] = {}      # per process: (seed, class) -> prototypes
_TOKEN = re.compile(r'"\\u0002(\w+)\\u0002"|\\u0001(\w+)\\u0001|2000-01-(\d\d)')


def _tok(name: str) -> str:
    return T1 + name + T1


def _prototypes(seed: int, key: tuple, region: str) -> list[tuple]:
    """The prototypes of one class of visit, (plan, age band, sex, interpreter, scenario):
    [(section JSON by key, note JSON, reasons, visit type, flag codes by unqualified author)].
    """
    cached = PROTOTYPES.get((seed, key))
    if cached is not None:
        return cached
    plan, band, sex, interpreter_for, scenario = key
    rng = random.Random(f"{seed}|prototype|{key}")
    years = _BAND_AGE[band][0]
    dob = _SENTINEL_DAY - relativedelta(years=years, months=2)
    kid = Kid(ref="", name=_tok("child"), known_as=_tok("name"), sex=sex, age=(years, 0),
               ethnicity="", religion="", language="", plan=plan, plan_start=0,
               risks=(_tok("R1"), _tok("R2")), worker="",
               household=((_tok("carer"), "carer"),), absent=((_tok("child"), "absent"),),
               carer=_tok("carer"), interpreter_for=interpreter_for,
               interpreter_language="Polish" if interpreter_for else "", school=_tok("school"))
    w = Writer(rng, long=True, pool=8, pool_seed=str(seed))
    wd = working_days_for(region)
    out = []
    for _ in range(_PROTOTYPES_PER_CLASS):
        spec = _scenario_spec(rng, scenario, kid, years, "")
        at = datetime.combine(_SENTINEL_DAY, time(rng.choice((9, 10, 11, 13, 14, 15)),
                                                  rng.choice((0, 15, 30, 45))))
        content = compose(w, kid, dob, spec, at, _tok("author"), rng)
        flags = {unq: tuple(f.code for f in visit_flags(
                     content, author_needs_countersign=unq, query_reasons=spec.reasons,
                     recorded_late=False)) for unq in (False, True)}
        note = signing.oversight_of(oversight_note(rng, kid, spec, (), content["analysis"]["risks"],
                                       _SENTINEL_DAY, _tok("author"), "", wd,
                                       review_tokens=True))
        content["details"]["present"] = T2 + "present" + T2
        content["details"]["absent"] = T2 + "absent" + T2
        content["identity"] = T2 + "identity" + T2
        out.append(({k: _template(canonical(v)) for k, v in content.items()},
                    _template(canonical(note)), spec.reasons, content["details"]["visit_type"],
                    flags))
    PROTOTYPES[(seed, key)] = out
    return out


def _template(json_text: str) -> str:
    """A prototype's JSON as a ``str.format_map`` template: its literal braces doubled, each
    token a field, each date a field ``d<days after the visit>``."""
    def field(m: re.Match) -> str:
        if m.group(3):
            days = int(m.group(3)) - _SENTINEL_DAY.day
            if days not in _DATE_FIELDS:  # a phrase list was given a longer deadline
                raise ValueError(f"a bulk prototype's date is {days} days after its visit")
            return "{d%d}" % days
        return "{" + (m.group(1) or m.group(2)) + "}"
    return _TOKEN.sub(field, json_text.replace("{", "{{").replace("}", "}}"))


_DATE_FIELDS = range(0, 16)   # prototypes' dates fall within a fortnight of the visit


def _json_text(value: str) -> str:
    """``value`` as it appears inside a JSON string."""
    return canonical(value)[1:-1]


@dataclass(frozen=True)
class Job:
    """A run of children and all their visits, made in one piece (perhaps in a worker)."""

    index: int
    first_child: int         # the id of its first child; visit and section ids follow from it
    children: int
    visits_per_child: int
    seed: int
    staff: tuple
    policy: Any
    wdays: tuple[date, ...]  # wdays[n]: n working days before today
    sqlite: bool
    created: datetime
    first_visit_id: int | None = None  # ids follow this one (default: from first_child)
    case_note_every: int = 0           # a case-level oversight note after every Nth visit
    case_note_base: int = 0            # their ids follow this one (their signatures 2x it)


_SECTION_KEYS = ("details", "seen", "voice", "identity", "observations", "analysis", "actions")


def make_job(job: Job) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """The rows of one job's children and visits, already in storage form."""
    from recorder.domain import timescales

    rng = random.Random(f"{job.seed}|job|{job.index}")
    policy, wdays, sqlite = job.policy, job.wdays, job.sqlite
    region = policy.bank_holiday_region
    today = wdays[0]
    span = len(wdays) - 1
    moments: dict[tuple[date, int, int], Any] = {}
    due: dict[date, tuple[Any, Any]] = {}
    date_fields: dict[date, dict[str, str]] = {}
    reviews: dict[tuple[date, int], tuple[str, str]] = {}
    json_texts: dict[str, str] = {}
    reasons_json: dict[tuple, str] = {}
    # rng.randrange(n) is rng._randbelow(n) for n > 0 (the same draws), without its checks
    below = rng._randbelow

    def ts(value: datetime | None):
        if value is None or not sqlite:
            return value
        return value.isoformat(" ", "microseconds")[:26]  # SQLAlchemy's SQLite format

    def day(value: date | None):
        return value.isoformat() if (value is not None and sqlite) else value

    def at(d: date, hh: int, mm: int):
        key = (d, hh, mm)
        if key not in moments:
            moments[key] = ts(utc(datetime.combine(d, time(hh, mm))))
        return moments[key]

    first_visit = job.first_visit_id
    # a visit's rows take ids from its own: countersign, oversight note and return comment
    # the visit's id, its signatures 2 * id - 1 (countersign) and 2 * id (sign-off)
    ids = {"visit": (job.first_child - 1) * job.visits_per_child if first_visit is None
           else first_visit, "signature": 0, "case_note": 0,
           "countersign": 0, "note": 0, "return": 0}
    rows: dict[str, list[Any]] = {k: [] for k in (
        "child", "co_worker", "visit", "section", "signature", "countersign", "note", "return")}
    plans = ("child_protection", "child_in_need", "looked_after", "private_fostering")
    created = ts(job.created)
    for c in range(job.first_child, job.first_child + job.children):
        # -- the child
        members = job.staff[(c - 1) % len(job.staff)]
        plan = rng.choices(plans, weights=(35, 35, 25, 5))[0]
        # at most ten years of visits: many visits come more often than the plan's minimum
        every = min(CADENCE[plan], max(1, _HISTORY_WORKING_DAYS // max(job.visits_per_child, 1)))
        overdue = 15 if rng.random() < 0.05 else 0
        first_wd = min(every * job.visits_per_child + rng.randint(1, every) + overdue, span)
        plan_start = wdays[min(first_wd + rng.randint(1, 10), span)]
        latest_dob = min(wdays[first_wd] - timedelta(days=30), today - timedelta(days=40))
        dob = max(latest_dob - timedelta(days=rng.randint(0, 17 * 365)),
                  today - timedelta(days=17 * 365 + 300))
        dob = min(dob, latest_dob)
        plan_start = max(plan_start, dob)
        holder = members["manager"] if rng.random() < 0.03 else rng.choice(
            members["registered"] + members["unqualified"])
        kid = _bulk_kid(rng, f"BK-{c:07d}", plan, dob, today, holder["username"])
        long_term = plan == "looked_after" and rng.random() < 0.5
        author = holder if holder is not members["manager"] else rng.choice(members["registered"])
        # an unqualified worker never holds a case: a registered colleague holds it and they
        # are its named co-worker (issue 12); no draw from rng, so the rest stays as it was
        keeper = holder
        if holder["role"] == Role.UNQUALIFIED.value:
            keeper = members["registered"][c % len(members["registered"])]
            rows["co_worker"].append(dict(
                id=c, child_id=c, worker_id=holder["id"], start_on=day(plan_start), end_on=None,
                added_by_id=None, ended_by_id=None, created_at=created))
        rows["child"].append(dict(
            id=c, reference=kid.ref, full_name=kid.name, date_of_birth=day(dob),
            ethnicity=census.ethnicity(kid.ethnicity), religion=kid.religion,
            first_language=kid.language, interpreter_needed=kid.interpreter_for in ("child", "both"),
            disability=census.disability(kid.disability), ethnicity_note="", disability_note="",
            communication_needs=census.communication_needs(kid.disability),
            sex=census.sex(kid.sex), gender_identity="",
            plan_type=plan, plan_start=day(plan_start), placement_long_term=long_term,
            plan_risks=canonical(list(kid.risks)), team_id=members["manager"]["team_id"],
            allocated_worker_id=keeper["id"], created_at=created))
        unqualified = author["role"] == Role.UNQUALIFIED.value
        manager = members["manager"]
        kid_values = {"name": _json_text(kid.known_as), "child": _json_text(kid.name),
                      "carer": _json_text(kid.carer), "school": _json_text(kid.school),
                      "author": _json_text(author["full_name"])}
        for i, risk in enumerate(kid.risks, start=1):
            kid_values[f"R{i}"] = _json_text(risk)
            kid_values[f"lower_R{i}"] = _json_text(lower_first(risk))
        people: dict[tuple, str] = {}   # this child's identity/present/absent JSON
        # -- its visits, oldest first
        for n in range(job.visits_per_child):
            last = n == job.visits_per_child - 1
            wd_ago = max(first_wd - n * every - rng.randint(0, 2), 1)
            end = "signed"
            if last:
                r = rng.random()
                end = ("signed" if r < 0.72 else "oversight" if r < 0.82 else
                       ("countersign" if unqualified else "oversight") if r < 0.87 else
                       "draft" if r < 0.92 else "partial" if r < 0.95 else "returned")
            if end in ("signed", "returned", "oversight") and wd_ago < 4:
                wd_ago = 4
            countersigner = rng.choice(members["registered"]) if unqualified else None
            if unqualified:  # (was: a joint worker for half, drawn here): bulk records carry
                rng.random()  # no author's submission signature for one to confirm, so none
            joint = ""
            visit_day = wdays[wd_ago]
            years = age_on(dob, visit_day)
            scenario = _bulk_scenario(rng, kid, years)
            key = (kid.plan, age_band(years), kid.sex, kid.interpreter_for, scenario)
            protos = _prototypes(job.seed, key, region)
            # the child's own parts of the record
            pkey = (scenario, joint)
            if pkey not in people:
                spec = Spec(kid.ref, 0, "signed", seen=scenario[0], joint=joint,
                             interpreter=scenario[3],
                             family_interpreter=kid.household[0][0].split()[0] + " (older cousin)")
                interp = spec.interpreter or ("pro" if kid.interpreter_for else "")
                lang = kid.interpreter_language
                present, absent = present_and_absent(kid, spec, interp)
                people[pkey] = (canonical(present), canonical(absent), canonical(identity_section(
                    kid, spec, interp, lang, *INTERPRETERS.get(lang, ("", "")))))
            present_json, absent_json, identity_json = people[pkey]
            review_key = (visit_day, rng.choice((8, 10, 12)))
            if review_key not in reviews:
                review = review_day(region, *review_key)
                reviews[review_key] = (review.isoformat(), f"{review.day} {review:%B %Y}")
            review_iso, review_text = reviews[review_key]
            cs_name = countersigner["full_name"] if countersigner else ""
            for name in (joint, cs_name):
                if name not in json_texts:
                    json_texts[name] = _json_text(name)
            if visit_day not in date_fields:
                date_fields[visit_day] = {f"d{k}": (visit_day + timedelta(days=k)).isoformat()
                                          for k in _DATE_FIELDS}
            values = {**kid_values, **date_fields[visit_day],
                      "present": present_json, "absent": absent_json,
                      "identity": identity_json, "joint": json_texts[joint],
                      "cs": json_texts[cs_name], "review_iso": review_iso,
                      "review_text": review_text}
            # each section from one of the class's prototypes (analysis and note together)
            n_protos = len(protos)
            picks = [below(n_protos) for _ in _SECTION_KEYS]
            section_json = {k: protos[i][0][k].format_map(values)
                            for k, i in zip(_SECTION_KEYS, picks)}
            note_proto = protos[picks[5]][1]
            reasons, visit_type, flag_codes = protos[0][2], protos[0][3], protos[0][4][unqualified]
            if key not in reasons_json:
                reasons_json[key] = canonical(reasons)
            details = section_json["details"]
            if absent_json == "[]":  # nobody expected was absent: say so instead
                details = details.replace('"absent":[],', "", 1).replace(
                    ',"present":', ',"none_absent":"yes","present":', 1)
            if joint:  # keys are sorted: joint_worker comes before location
                details = details.replace(',"location":',
                                          f',"joint_worker":"{values["joint"]}","location":', 1)
            section_json["details"] = details
            visit_at = datetime.fromisoformat(details[details.index('"visit_at":"') + 12:][:16])
            ids["visit"] += 1
            vid = ids["visit"]
            saved = at(visit_day, visit_at.hour + 2, 0)
            visit = dict(id=vid, child_id=c, author_id=author["id"], team_id=author["team_id"],
                         state="draft", version=8, visit_type=visit_type,
                         visit_at=ts(visit_at), joint_worker_id=None, counts_as_statutory=False,
                         query_reasons="{}", created_at=at(visit_day, visit_at.hour + 1, 30),
                         updated_at=saved, submitted_at=None, first_submitted_at=None,
                         countersign_due=None, oversight_due=None, signed_off_at=None)
            rows["visit"].append(visit)
            keep = ("details", "seen", "identity") if end == "partial" else _SECTION_KEYS
            first_section = (vid - 1) * 7
            rows["section"].extend([  # a tuple in column order (_SECTION_COLUMNS)
                (first_section + i, vid, section, section_json[section] if section in keep
                 else "{}", saved) for i, section in enumerate(_SECTION_KEYS, start=1)])
            if end in ("draft", "partial"):
                continue
            # -- submitted
            content_json = signing.sections_json(section_json)
            submit_day = wdays[wd_ago - 1]
            if submit_day not in due:
                due[submit_day] = (day(timescales.countersign_due(submit_day, policy)),
                                   day(timescales.oversight_due(submit_day, policy)))
            submitted = at(submit_day, 10, 5)
            visit.update(state="awaiting_oversight", version=9, submitted_at=submitted,
                         first_submitted_at=submitted,
                         oversight_due=due[submit_day][1], query_reasons=reasons_json[key],
                         updated_at=submitted, counts_as_statutory=not unqualified or bool(joint),
                         joint_worker_id=countersigner["id"] if joint else None)
            countersigns = []
            if unqualified:
                visit.update(state="awaiting_countersign", countersign_due=due[submit_day][0])
                if end == "countersign":
                    continue
                when = at(wdays[max(wd_ago - 2, 1)], 11, 20)
                comment = rng.choice(COUNTERSIGN_COMMENTS).replace("{name}", kid.known_as)
                sig = _signature(2 * vid - 1, rows, vid, c, countersigner, "Social worker", when,
                                 signing.COUNTERSIGN_MEANING, signing.countersign_payload(
                                     vid, 9, content_json, reasons, comment))
                rows["countersign"].append(dict(
                    id=vid, visit_id=vid, worker_id=countersigner["id"],
                    comment=comment, signature_id=sig, created_at=when))
                countersigns = [(countersigner["id"], comment)]
                visit.update(state="awaiting_oversight", version=10, updated_at=when)
            if end == "oversight":
                continue
            when = at(wdays[max(wd_ago - 3, 1)], 15, 0)
            if end == "returned":
                rows["return"].append(dict(
                    id=vid, visit_id=vid, worker_id=manager["id"],
                    from_state="awaiting_oversight", comment=rng.choice(RETURN_COMMENTS),
                    created_at=when))
                visit.update(state="draft", version=visit["version"] + 1, updated_at=when,
                             submitted_at=None, countersign_due=None, oversight_due=None)
                continue
            # -- signed off
            note = json.loads(note_proto.format_map(values))
            note["flag_responses"] = {code: flag_response(
                code, kid, Spec(kid.ref, 0, end, not_alone=scenario[1] or "inappropriate",
                                 joint=joint), author["full_name"],
                countersigner["full_name"] if countersigner else "") for code in flag_codes}
            note = signing.oversight(**note)
            version = visit["version"]
            sig = _signature(2 * vid, rows, vid, c, manager, "Team manager", when,
                             signing.OVERSIGHT_MEANING, signing.sign_off_payload(
                                 vid, version, content_json, reasons, countersigns, note))
            rows["note"].append(dict(
                id=vid, child_id=c, visit_id=vid, manager_id=manager["id"],
                signature_id=sig, created_at=when, decision=note["decision"],
                analysis=note["analysis"], risk=note["risk"], actions=canonical(note["actions"]),
                timeframe=note["timeframe"], child_voice=note["child_voice"],
                flag_responses=canonical(note["flag_responses"])))
            visit.update(state="signed_off", version=version + 1, signed_off_at=when,
                         updated_at=when)
            if job.case_note_every and n % job.case_note_every == job.case_note_every - 1:
                # a case-level oversight note between supervisions (as add_case_note signs it)
                ids["case_note"] += 1
                case = signing.oversight(**{**note, "flag_responses": {}})
                case_when = at(wdays[max(wd_ago - 5, 1)], 16, 30)
                nid = job.case_note_base + ids["case_note"]
                sig = _signature(job.case_note_base * 2 + ids["case_note"], rows, None, c,
                                 manager, "Team manager", case_when, signing.OVERSIGHT_MEANING,
                                 signing.case_note_payload(c, case))
                rows["note"].append(dict(
                    id=nid, child_id=c, visit_id=None, manager_id=manager["id"],
                    signature_id=sig, created_at=case_when, decision=case["decision"],
                    analysis=case["analysis"], risk=case["risk"],
                    actions=canonical(case["actions"]), timeframe=case["timeframe"],
                    child_voice=case["child_voice"], flag_responses="{}"))
    # as tuples in column order: less to send back from a worker, nothing to do in the loader
    return ({key: rows[key] if key == "section" else list(map(_columns(model), rows[key]))
             for key, model in FLUSH_ORDER}, job.children * job.visits_per_child)


def _signature(sig_id: int, rows, visit_id: int, child_id: int, signer: dict, role_label: str,
               when, meaning: str, payload: signing.Payload) -> int:
    """A signature row: ``payload`` signed by ``signer`` (built by ``domain.signing``, as the
    services' signatures are)."""
    rows["signature"].append(dict(
        id=sig_id, visit_id=visit_id, child_id=child_id, signer_id=signer["id"],
        signer_name=signer["full_name"], signer_role=role_label,
        registration_number=signer["registration_number"], signed_at=when, meaning=meaning,
        content_sha256=payload.digest()))
    return sig_id


FLUSH_ORDER = (("child", Child), ("co_worker", ChildCoWorker), ("visit", Visit), ("section", VisitSection),
                ("signature", Signature), ("countersign", Countersign), ("note", OversightNote),
                ("return", ReturnComment))


_SECTION_COLUMNS = ("id", "visit_id", "section", "data", "updated_at")
assert tuple(c.name for c in VisitSection.__table__.columns) == _SECTION_COLUMNS


def _columns(model):
    """A row dict -> a tuple of the table's columns, in order."""
    return itemgetter(*(c.name for c in model.__table__.columns))
