"""The bulk loader's prototypes: a few records composed per class of visit, as templates
its rows are filled in from (``recorder.demo.bulk_rows``).

Composing and serialising every bulk record would cost about half a millisecond each. So a
few records are composed per class of visit (plan, age band, sex, interpreter, what
happened) for a child made of tokens and serialised once, as ``str.format_map`` templates;
each real record takes each of its sections from one of its class's prototypes (analysis
and oversight note from the same one) and fills in names, dates, and the child's own
identity, present and absent JSON. The joint worker, "nobody absent" and the answers to the
record's flags are added per record. Bulk text is therefore less tailored to a child's
particular risks than the demo's; every record still passes validation and every
signature holds the SHA-256 of exactly what was signed.
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta

from recorder.demo.caseload import Kid
from recorder.demo.phrases import FAILED, TOOLS_BY_AGE
from recorder.demo.record import Spec, compose, oversight_note
from recorder.demo.writer import T1, T2, Writer
from recorder.domain import signing
from recorder.domain.flags import visit_flags
from recorder.domain.signing import canonical
from recorder.domain.timescales import working_days_for


def _scenario_spec(
    rng: random.Random, scenario: tuple[str, str, str, str], kid: Kid, years: int, joint: str
) -> Spec:
    """The spec of a bulk visit for ``kid`` (tokens in a prototype, or a real child)."""
    seen, why, bedroom, interpreter = scenario
    spec = Spec(kid.ref, 0, "signed", joint=joint)
    if seen == "not_seen":
        spec.seen = "not_seen"
        spec.announced = "unannounced"
        spec.failed = {
            "what": rng.choice(FAILED),
            "next_days": 1,
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
        spec.reasons = {
            "identity.interpreter_not_professional": "The booked interpreter did not come; a family member interpreted "
            "practical arrangements only. Professional interpreter rebooked."
        }
    if years >= 4:
        spec.tool = rng.choice(
            ("", "", "", *TOOLS_BY_AGE["young" if years < 8 else "child" if years < 13 else "teen"])
        )
    spec.trend = rng.choice(("", "", "reduced", "unchanged"))
    spec.announced = rng.choice(("announced", "announced", "unannounced"))
    return spec


_SENTINEL_DAY = date(2000, 1, 3)  # a prototype's visit day (a Monday)
_BAND_AGE = {
    "infant": (1, 0),
    "toddler": (3, 0),
    "young": (6, 0),
    "child": (10, 0),
    "teen": (15, 0),
}
PROTOTYPES_PER_CLASS = 4
PROTOTYPES: dict[tuple, list[Prototype]] = {}  # per process: (seed, class) -> prototypes
_TOKEN = re.compile(r'"\\u0002(\w+)\\u0002"|\\u0001(\w+)\\u0001|2000-01-(?P<d>\d\d)')
_RAW_TOKEN = re.compile("\x01(\\w+)\x01|2000-01-(?P<d>\\d\\d)")
#: the oversight note's texts, stored as they are (its actions and flag answers are JSON)
_NOTE_TEXTS = ("decision", "analysis", "risk", "timeframe", "child_voice")
NOTE_SEP = "\x00"  # between them in one template: no name or phrase holds it


@dataclass(frozen=True)
class Prototype:
    """One prototype record of a class, as templates (:func:`_template`)."""

    sections: dict[str, str]  # section key -> its canonical JSON
    per_child: frozenset[str]  # the sections whose fields are all the child's (_CHILD_FIELDS)
    details_none_absent: str  # details when nobody expected was absent
    note_json: str  # the oversight note's canonical JSON ({flags}: its answers)
    note_texts: str  # _NOTE_TEXTS as stored, joined by NOTE_SEP
    reasons: dict[str, str]  # query reasons
    visit_type: str
    flags: dict[bool, tuple[str, ...]]  # flag codes, by whether the author is unqualified
    visit_time: str  # "HH:MM": the visit's time on its day


def _tok(name: str) -> str:
    return T1 + name + T1


def prototypes(seed: int, key: tuple, region: str) -> list[Prototype]:
    """The prototypes of one class of visit, (plan, age band, sex, interpreter, scenario)."""
    cached = PROTOTYPES.get((seed, key))
    if cached is not None:
        return cached
    plan, band, sex, interpreter_for, scenario = key
    rng = random.Random(f"{seed}|prototype|{key}")
    years = _BAND_AGE[band][0]
    dob = _SENTINEL_DAY - relativedelta(years=years, months=2)
    kid = Kid(
        ref="",
        name=_tok("child"),
        known_as=_tok("name"),
        sex=sex,
        age=(years, 0),
        ethnicity="",
        religion="",
        language="",
        plan=plan,
        plan_start=0,
        risks=(_tok("R1"), _tok("R2")),
        worker="",
        household=((_tok("carer"), "carer"),),
        absent=((_tok("child"), "absent"),),
        carer=_tok("carer"),
        interpreter_for=interpreter_for,
        interpreter_language="Polish" if interpreter_for else "",
        school=_tok("school"),
    )
    w = Writer(rng, long=True, pool=8, pool_seed=str(seed))
    wd = working_days_for(region)
    out = []
    for _ in range(PROTOTYPES_PER_CLASS):
        spec = _scenario_spec(rng, scenario, kid, years, "")
        at = datetime.combine(
            _SENTINEL_DAY, time(rng.choice((9, 10, 11, 13, 14, 15)), rng.choice((0, 15, 30, 45)))
        )
        content = compose(w, kid, dob, spec, at, _tok("author"), rng)
        flags = {
            unq: tuple(
                f.code
                for f in visit_flags(
                    content,
                    author_needs_countersign=unq,
                    query_reasons=spec.reasons,
                    recorded_late=False,
                )
            )
            for unq in (False, True)
        }
        note = signing.oversight_of(
            oversight_note(
                rng,
                kid,
                spec,
                (),
                content["analysis"]["risks"],
                _SENTINEL_DAY,
                _tok("author"),
                "",
                wd,
                review_tokens=True,
            )
        )
        note["flag_responses"] = T2 + "flags" + T2
        visit_at = content["details"]["visit_at"]
        if not visit_at.startswith(_SENTINEL_DAY.isoformat() + "T"):
            raise ValueError(f"a bulk prototype's visit is at {visit_at}")
        content["details"]["present"] = T2 + "present" + T2
        content["details"]["absent"] = T2 + "absent" + T2
        content["identity"] = T2 + "identity" + T2
        sections = {k: _template(canonical(v)) for k, v in content.items()}
        details = sections["details"]
        # nobody expected was absent: "none_absent" instead (keys are sorted, absent first)
        none_absent = details.replace('"absent":{absent},', "", 1).replace(
            ',"present":', ',"none_absent":"yes","present":', 1
        )
        out.append(
            Prototype(
                sections=sections,
                details_none_absent=none_absent,
                per_child=frozenset(k for k, t in sections.items() if _fields(t) <= _CHILD_FIELDS),
                note_json=_template(canonical(note)),
                note_texts=NOTE_SEP.join(_raw_template(note[k]) for k in _NOTE_TEXTS),
                reasons=spec.reasons,
                visit_type=content["details"]["visit_type"],
                flags=flags,
                visit_time=visit_at[11:16],
            )
        )
    PROTOTYPES[(seed, key)] = out
    return out


#: the fields that stay the same for all of a child's visits
_CHILD_FIELDS = frozenset(
    ("name", "child", "carer", "school", "author", "joint", "R1", "R2", "lower_R1", "lower_R2")
)


def _fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _template(json_text: str) -> str:
    """A prototype's JSON as a ``str.format_map`` template: its literal braces doubled, each
    token a field, each date a field ``d<days after the visit>``."""
    return _TOKEN.sub(_field, json_text.replace("{", "{{").replace("}", "}}"))


def _raw_template(text: str) -> str:
    """A prototype's text (not JSON) as a ``str.format_map`` template, as :func:`_template`."""
    return _RAW_TOKEN.sub(_field, text.replace("{", "{{").replace("}", "}}"))


def _field(m: re.Match) -> str:
    if m["d"]:
        days = int(m["d"]) - _SENTINEL_DAY.day
        if days not in DATE_FIELDS:  # a phrase list was given a longer deadline
            raise ValueError(f"a bulk prototype's date is {days} days after its visit")
        return "{d%d}" % days
    return "{" + m.group(m.lastindex) + "}"


DATE_FIELDS = range(0, 16)  # prototypes' dates fall within a fortnight of the visit


def json_text(value: str) -> str:
    """``value`` as it appears inside a JSON string."""
    return canonical(value)[1:-1]
