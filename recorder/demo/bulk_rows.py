"""The bulk loader's rows: one job's children and visits, already in storage form.

Each record's text comes from per-class prototypes (``recorder.demo.bulk_protos``); each
signature is built with ``recorder.domain.signing``, the payload functions the services
sign with and ``recorder check`` verifies with.
"""

from __future__ import annotations

import functools
import json
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import repeat
from typing import Any

from recorder.demo import census
from recorder.demo.bulk_protos import (
    DATE_FIELDS,
    NOTE_SEP,
    PROTOTYPES_PER_CLASS,
    json_text,
    prototypes,
)
from recorder.demo.caseload import INTERPRETERS, Kid
from recorder.demo.common import utc
from recorder.demo.people import BACKGROUNDS, BG_WEIGHTS
from recorder.demo.phrases import (
    BULK_DISABILITY,
    BULK_RISKS,
    COUNTERSIGN_COMMENTS,
    FAITH_NEEDS,
    RETURN_COMMENTS,
)
from recorder.demo.record import (
    Spec,
    flag_response,
    identity_section,
    present_and_absent,
    review_day,
)
from recorder.demo.writer import age_band, lower_first, pronouns
from recorder.domain import signing
from recorder.domain.plans import VISIT_TYPE_FOR_PLAN
from recorder.domain.roles import Role
from recorder.domain.sections import not_alone_reasons
from recorder.domain.signing import canonical
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


@functools.cache
def _allowed_reasons(plan: str) -> frozenset[str]:
    return frozenset(dict(not_alone_reasons(VISIT_TYPE_FOR_PLAN.get(plan))))


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
    if why and why not in _allowed_reasons(kid.plan):
        why = "inappropriate"  # private fostering (reg 8(3)); a looked-after child (reg 29)
    bedroom = "no" if r > 0.96 else ""
    interpreter = "family" if kid.interpreter_for and rng.random() < 0.03 else ""
    return (seen, why, bedroom, interpreter)


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
_PARTIAL_KEEPS = ("details", "seen", "identity")  # a partial draft's sections with content
_PLANS = ("child_protection", "child_in_need", "looked_after", "private_fostering")
# which prototype each section of a record comes from: one draw of 2 bits a section
_PICK_BITS = 2 * len(_SECTION_KEYS)
assert PROTOTYPES_PER_CLASS == 4
_PICKS = [tuple((r >> (2 * i)) & 3 for i in range(len(_SECTION_KEYS))) for r in range(1 << _PICK_BITS)]


def make_job(job: Job) -> tuple[dict[str, list[tuple]], int]:
    """The rows of one job's children and visits, already in storage form: per table, tuples
    in its column order (FLUSH_ORDER)."""
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
    # rng.randrange(n) is rng._randbelow(n) for n > 0 (the same draws), without its checks
    below = rng._randbelow
    bits = rng.getrandbits
    rand = rng.random

    def ts(value: datetime | None):
        if value is None or not sqlite:
            return value
        return value.isoformat(" ", "microseconds")[:26]  # SQLAlchemy's SQLite format

    def day(value: date | None):
        return value.isoformat() if (value is not None and sqlite) else value

    def at(d: date, hh: int, mm: int):
        key = (d, hh, mm)
        value = moments.get(key)
        if value is None:
            value = moments[key] = ts(utc(datetime.combine(d, time(hh, mm))))
        return value

    first_visit = job.first_visit_id
    # a visit's rows take ids from its own: countersign, oversight note and return comment
    # the visit's id, its signatures 2 * id - 1 (countersign) and 2 * id (sign-off)
    vid = (job.first_child - 1) * job.visits_per_child if first_visit is None else first_visit
    case_notes = 0
    child_rows: list[tuple] = []
    co_worker_rows: list[tuple] = []
    visit_rows: list[tuple] = []
    section_rows: list[tuple] = []
    signature_rows: list[tuple] = []
    countersign_rows: list[tuple] = []
    note_rows: list[tuple] = []
    return_rows: list[tuple] = []
    created = ts(job.created)
    vpc = job.visits_per_child
    for c in range(job.first_child, job.first_child + job.children):
        # -- the child
        members = job.staff[(c - 1) % len(job.staff)]
        registered = members["registered"]
        n_registered = len(registered)
        plan = rng.choices(_PLANS, weights=(35, 35, 25, 5))[0]
        # at most ten years of visits: many visits come more often than the plan's minimum
        every = min(CADENCE[plan], max(1, _HISTORY_WORKING_DAYS // max(vpc, 1)))
        overdue = 15 if rand() < 0.05 else 0
        first_wd = min(every * vpc + rng.randint(1, every) + overdue, span)
        plan_start = wdays[min(first_wd + rng.randint(1, 10), span)]
        latest_dob = min(wdays[first_wd] - timedelta(days=30), today - timedelta(days=40))
        dob = max(latest_dob - timedelta(days=rng.randint(0, 17 * 365)),
                  today - timedelta(days=17 * 365 + 300))
        dob = min(dob, latest_dob)
        plan_start = max(plan_start, dob)
        manager = members["manager"]
        holder = manager if rand() < 0.03 else rng.choice(registered + members["unqualified"])
        kid = _bulk_kid(rng, f"BK-{c:07d}", plan, dob, today, holder["username"])
        long_term = plan == "looked_after" and rand() < 0.5
        author = holder if holder is not manager else rng.choice(registered)
        # an unqualified worker never holds a case: a registered colleague holds it and they
        # are its named co-worker (issue 12); no draw from rng, so the rest stays as it was
        keeper = holder
        if holder["role"] == Role.UNQUALIFIED.value:
            keeper = registered[c % len(registered)]
            co_worker_rows.append((c, c, holder["id"], day(plan_start), None, None, None,
                                   created))
        child_rows.append((
            c, kid.ref, kid.name, day(dob), census.ethnicity(kid.ethnicity), kid.religion,
            kid.language, kid.interpreter_for in ("child", "both"),
            census.disability(kid.disability), "", "", census.sex(kid.sex), "",
            census.communication_needs(kid.disability), plan, day(plan_start), long_term,
            canonical(list(kid.risks)), manager["team_id"], keeper["id"], created))
        unqualified = author["role"] == Role.UNQUALIFIED.value
        author_id, author_team, author_name = author["id"], author["team_id"], author["full_name"]
        # the values a prototype's fields are filled with: JSON text, and plain text (raw)
        raw = {"name": kid.known_as, "child": kid.name, "carer": kid.carer,
               "school": kid.school, "author": author_name, "joint": ""}
        for i, risk in enumerate(kid.risks, start=1):
            raw[f"R{i}"] = risk
            raw[f"lower_R{i}"] = lower_first(risk)
        values = {k: json_text(v) for k, v in raw.items()}
        people: dict[tuple, tuple[str, str, str]] = {}  # this child's identity/present/absent
        filled: dict[tuple[int, str], str] = {}  # a prototype's section filled for this child
        answers: dict[tuple, str] = {}  # this child's flag responses (JSON), by what they answer
        classes: dict[tuple, tuple] = {}  # its classes' prototypes and query reasons (JSON)
        # -- its visits, oldest first
        for n in range(vpc):
            last = n == vpc - 1
            wd_ago = max(first_wd - n * every - below(3), 1)
            end = "signed"
            if last:
                r = rand()
                end = ("signed" if r < 0.72 else "oversight" if r < 0.82 else
                       ("countersign" if unqualified else "oversight") if r < 0.87 else
                       "draft" if r < 0.92 else "partial" if r < 0.95 else "returned")
            if wd_ago < 4 and end in ("signed", "returned", "oversight"):
                wd_ago = 4
            countersigner = registered[below(n_registered)] if unqualified else None
            if unqualified:  # (was: a joint worker for half, drawn here): bulk records carry
                rand()  # no author's submission signature for one to confirm, so none
            joint = ""
            visit_day = wdays[wd_ago]
            years = age_on(dob, visit_day)
            scenario = _bulk_scenario(rng, kid, years)
            band = age_band(years)
            known = classes.get((band, scenario))
            if known is None:
                key = (plan, band, kid.sex, kid.interpreter_for, scenario)
                protos = prototypes(job.seed, key, region)
                known = classes[band, scenario] = (protos, canonical(protos[0].reasons))
            protos, reasons_json = known
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
            review_key = (visit_day, (8, 10, 12)[below(3)])
            review = reviews.get(review_key)
            if review is None:
                on = review_day(region, *review_key)
                review = reviews[review_key] = (on.isoformat(), f"{on.day} {on:%B %Y}")
            cs_name = countersigner["full_name"] if countersigner else ""
            dates = date_fields.get(visit_day)
            if dates is None:
                dates = date_fields[visit_day] = {
                    f"d{k}": (visit_day + timedelta(days=k)).isoformat() for k in DATE_FIELDS}
            values.update(dates)
            values["present"], values["absent"], values["identity"] = (
                present_json, absent_json, identity_json)
            values["review_iso"], values["review_text"] = review
            # each section from one of the class's prototypes (analysis and note together)
            picks = [protos[i] for i in _PICKS[bits(_PICK_BITS)]]
            keep = _PARTIAL_KEEPS if end == "partial" else _SECTION_KEYS
            section_json = {}
            texts = []  # in _SECTION_KEYS order, "{}" for a section left empty
            for k, p in zip(_SECTION_KEYS, picks):
                if k not in keep:
                    texts.append("{}")
                    continue
                if k in p.per_child:
                    text = filled.get((id(p), k))
                    if text is None:
                        text = filled[id(p), k] = p.sections[k].format_map(values)
                elif k == "details" and absent_json == "[]":  # nobody expected was absent
                    text = p.details_none_absent.format_map(values)
                else:
                    text = p.sections[k].format_map(values)
                section_json[k] = text
                texts.append(text)
            proto = protos[0]
            reasons, visit_type, flag_codes = proto.reasons, proto.visit_type, proto.flags[unqualified]
            visit_time = picks[0].visit_time
            hour = int(visit_time[:2])
            vid += 1
            saved = at(visit_day, hour + 2, 0)
            visit_at = (visit_day.isoformat() + " " + visit_time + ":00.000000" if sqlite else
                        datetime.combine(visit_day, time(hour, int(visit_time[3:]))))
            first_section = (vid - 1) * 7
            section_rows.extend(zip(range(first_section + 1, first_section + 8), repeat(vid),
                                    _SECTION_KEYS, texts, repeat(saved)))
            state, version, updated = "draft", 8, saved
            submitted = first_submitted = countersign_due = oversight_due = signed_at = None
            query_reasons, counts, joint_worker_id = "{}", False, None
            if end not in ("draft", "partial"):
                # -- submitted
                content_json = signing.sections_json(section_json)
                submit_day = wdays[wd_ago - 1]
                if submit_day not in due:
                    due[submit_day] = (day(timescales.countersign_due(submit_day, policy)),
                                       day(timescales.oversight_due(submit_day, policy)))
                submitted = first_submitted = updated = at(submit_day, 10, 5)
                state, version, oversight_due = "awaiting_oversight", 9, due[submit_day][1]
                query_reasons = reasons_json
                counts = not unqualified or bool(joint)
                joint_worker_id = countersigner["id"] if joint else None
                countersigns = []
                if unqualified:
                    state, countersign_due = "awaiting_countersign", due[submit_day][0]
                    if end != "countersign":
                        when = at(wdays[max(wd_ago - 2, 1)], 11, 20)
                        comment = rng.choice(COUNTERSIGN_COMMENTS).replace("{name}", kid.known_as)
                        sig = _signature(signature_rows, 2 * vid - 1, vid, c, countersigner,
                                         "Social worker", when, signing.COUNTERSIGN_MEANING,
                                         signing.countersign_payload(
                                             vid, 9, content_json, reasons, comment))
                        countersign_rows.append((vid, vid, countersigner["id"], comment, sig,
                                                 when))
                        countersigns = [(countersigner["id"], comment)]
                        state, version, updated = "awaiting_oversight", 10, when
                if end in ("signed", "returned"):
                    when = at(wdays[max(wd_ago - 3, 1)], 15, 0)
                    if end == "returned":
                        return_rows.append((vid, vid, manager["id"], "awaiting_oversight",
                                            rng.choice(RETURN_COMMENTS), when))
                        state, version, updated = "draft", version + 1, when
                        submitted = countersign_due = oversight_due = None
                    else:
                        # -- signed off: the note answers the record's flags
                        akey = (flag_codes, scenario[1], cs_name)
                        flags_json = answers.get(akey)
                        if flags_json is None:
                            spec = Spec(kid.ref, 0, end, not_alone=scenario[1] or "inappropriate",
                                        joint=joint)
                            flags_json = answers[akey] = canonical({code: flag_response(
                                code, kid, spec, author_name, cs_name) for code in flag_codes})
                        values["flags"] = flags_json
                        raw["review_iso"], raw["review_text"] = review
                        raw.update(dates)
                        note_proto = picks[5]
                        note_json = note_proto.note_json.format_map(values)
                        decision, analysis, risk, timeframe, child_voice = (
                            note_proto.note_texts.format_map(raw).split(NOTE_SEP))
                        actions_json = note_json[11:note_json.index(',"analysis":')]
                        sig = _signature(signature_rows, 2 * vid, vid, c, manager, "Team manager",
                                         when, signing.OVERSIGHT_MEANING, signing.sign_off_payload(
                                             vid, version, content_json, reasons, countersigns,
                                             note_json))
                        note_rows.append((vid, c, vid, manager["id"], decision, analysis, risk,
                                          actions_json, timeframe, child_voice, flags_json, sig,
                                          when))
                        state, version, signed_at, updated = "signed_off", version + 1, when, when
                        if job.case_note_every and n % job.case_note_every == job.case_note_every - 1:
                            # a case-level oversight note between supervisions (as add_case_note
                            # signs it)
                            case_notes += 1
                            case = signing.oversight(**{**json.loads(note_json),
                                                        "flag_responses": {}})
                            case_when = at(wdays[max(wd_ago - 5, 1)], 16, 30)
                            nid = job.case_note_base + case_notes
                            sig = _signature(signature_rows, job.case_note_base * 2 + case_notes,
                                             None, c, manager, "Team manager", case_when,
                                             signing.OVERSIGHT_MEANING,
                                             signing.case_note_payload(c, case))
                            note_rows.append((nid, c, None, manager["id"], case["decision"],
                                              case["analysis"], case["risk"],
                                              canonical(case["actions"]), case["timeframe"],
                                              case["child_voice"], "{}", sig, case_when))
            visit_rows.append((
                vid, c, author_id, author_team, state, version, visit_type, visit_at,
                joint_worker_id, counts, query_reasons, at(visit_day, hour + 1, 30), updated,
                submitted, first_submitted, countersign_due, oversight_due, signed_at))
    rows = {"child": child_rows, "co_worker": co_worker_rows, "visit": visit_rows,
            "section": section_rows, "signature": signature_rows,
            "countersign": countersign_rows, "note": note_rows, "return": return_rows}
    return rows, job.children * vpc


def _signature(rows: list[tuple], sig_id: int, visit_id: int | None, child_id: int,
               signer: dict, role_label: str, when, meaning: str,
               payload: signing.Payload) -> int:
    """A signature row: ``payload`` signed by ``signer`` (built by ``domain.signing``, as the
    services' signatures are)."""
    rows.append((sig_id, visit_id, child_id, signer["id"], signer["full_name"], role_label,
                 signer["registration_number"], when, meaning, payload.digest()))
    return sig_id


FLUSH_ORDER = (("child", Child), ("co_worker", ChildCoWorker), ("visit", Visit), ("section", VisitSection),
                ("signature", Signature), ("countersign", Countersign), ("note", OversightNote),
                ("return", ReturnComment))
#: the columns each row's tuple holds, in order
_COLUMNS = {
    "child": ("id", "reference", "full_name", "date_of_birth", "ethnicity", "religion",
              "first_language", "interpreter_needed", "disability", "ethnicity_note",
              "disability_note", "sex", "gender_identity", "communication_needs", "plan_type",
              "plan_start", "placement_long_term", "plan_risks", "team_id",
              "allocated_worker_id", "created_at"),
    "co_worker": ("id", "child_id", "worker_id", "start_on", "end_on", "added_by_id",
                  "ended_by_id", "created_at"),
    "visit": ("id", "child_id", "author_id", "team_id", "state", "version", "visit_type",
              "visit_at", "joint_worker_id", "counts_as_statutory", "query_reasons",
              "created_at", "updated_at", "submitted_at", "first_submitted_at",
              "countersign_due", "oversight_due", "signed_off_at"),
    "section": ("id", "visit_id", "section", "data", "updated_at"),
    "signature": ("id", "visit_id", "child_id", "signer_id", "signer_name", "signer_role",
                  "registration_number", "signed_at", "meaning", "content_sha256"),
    "countersign": ("id", "visit_id", "worker_id", "comment", "signature_id", "created_at"),
    "note": ("id", "child_id", "visit_id", "manager_id", "decision", "analysis", "risk",
             "actions", "timeframe", "child_voice", "flag_responses", "signature_id",
             "created_at"),
    "return": ("id", "visit_id", "worker_id", "from_state", "comment", "created_at"),
}
for _key, _model in FLUSH_ORDER:  # the tables as the models have them (a test runs this)
    assert tuple(c.name for c in _model.__table__.columns) == _COLUMNS[_key], _key
