"""Local-practice policy: every timescale and limit a local authority may set for itself.

The defaults follow the statutory guidance and common practice in England (see
DOMAIN.md, "Timescales"). A local authority overrides them in ``policy.toml``, laid out
as flat keys under these tables; each key has the same name as the ``Policy`` field::

    [visits]      cp_visit_working_days, cin_visit_working_days, lac_first_visit_days,
                  lac_first_year_weeks, lac_after_first_year_long_term_months,
                  lac_after_first_year_weeks, pf_first_year_weeks, pf_after_first_year_weeks,
                  pf_first_visit_working_days, lac_until_first_review_days,
                  lac_reg19_after_review_weeks, lac_reg24_after_review_weeks,
                  lac_care_order_at_home_weeks, short_breaks_first_visit_months,
                  short_breaks_every_months, plan_visit_every_max_working_days
    [deadlines]   record_within_working_days, countersign_within_working_days,
                  oversight_within_working_days, oversight_escalate_after_working_days,
                  bank_holiday_region
    [oversight]   oversight_analysis_min_words, countersign_comment_min_words
    [text]        long_text_max_chars, short_text_max_chars
    [signin]      failed_signins_before_delay, failed_signins_before_lock,
                  signin_delay_base_seconds, idle_lock_minutes
    [record]      infant_seen_awake_under_years, quoted_words_from_years, bedroom_expected
    [registration] registration_renewal_month, registration_renewal_day,
                  registration_recheck_months
    [contacts]    referrer_told_within_working_days, da_alert_notifications,
                  da_alert_months, referral_seen_within_working_days
    [escalation]  not_seen_service_manager_weeks

Any key may be left out (it keeps its default); an unknown table or key, or a value of the
wrong type or range, is a ``PolicyError`` naming the table and key. ``Policy().as_toml()``
prints a complete commented file to start from.

Pure standard library: no I/O here (reading the file is ``recorder.config``).
"""

from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass, fields
from typing import Any, Mapping, NamedTuple

__all__ = ["Policy", "PolicyError", "TABLES", "BANK_HOLIDAY_REGIONS", "VISIT_TYPES", "allowed"]

#: UK nations whose bank holidays the ``holidays`` package knows (subdivisions of "GB").
BANK_HOLIDAY_REGIONS = ("ENG", "WLS", "SCT", "NIR")

#: The visit types (``sections.VisitType``'s values, kept here so this module stays alone).
VISIT_TYPES = ("cp_statutory", "child_in_need", "lac_statutory", "private_fostering", "other")


#: days in each month of a year that is not a leap year (a deadline is on every year's calendar)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class PolicyError(ValueError):
    """A policy value or policy file is not acceptable; the message names the key or line."""


class _Spec(NamedTuple):
    table: str
    minimum: float | None  # lowest allowed number; None for text
    comment: str
    maximum: float | None = None  # highest allowed number; every number has one (tested)
    law: str = ""  # where the maximum is the law's own limit: which regulation sets it


# One entry per field: the TOML table it lives in, the lowest value that makes sense, the
# comment written beside it by ``Policy.as_toml``, the highest value, and, when that highest
# value is the law's limit (a council may be stricter, never laxer), the regulation setting
# it. Field order matches ``Policy``.
_SPECS: dict[str, _Spec] = {
    "cp_visit_working_days": _Spec(
        "visits",
        1,
        "Child-protection plan: see the child every N working days (counted from the day after the last visit).",
        20,
    ),
    "cin_visit_working_days": _Spec(
        "visits",
        1,
        "Child-in-need plan: see the child every N working days (counted from the day after the last visit).",
        65,
    ),
    "lac_first_visit_days": _Spec(
        "visits",
        1,
        "Looked-after child: first visit within N days of the start of any placement, or of a "
        "care order while living with a parent (reg 28(2)(a), (5)(a): one week).",
        7,
        "reg 28(2)(a) and (5) of the 2010 Regulations",
    ),
    "lac_first_year_weeks": _Spec(
        "visits",
        1,
        "Looked-after child: then at most every N weeks during the first year of the placement.",
        6,
        "reg 28(2)(b) of the 2010 Regulations",
    ),
    "lac_after_first_year_long_term_months": _Spec(
        "visits",
        1,
        "Looked-after child: after the first year, at most every N calendar months if the "
        "placement is meant to last until 18 (reg 28(2)(c)(i): three months).",
        3,
        "reg 28(2)(c)(i) of the 2010 Regulations",
    ),
    "lac_after_first_year_weeks": _Spec(
        "visits",
        1,
        "Looked-after child: after the first year, at most every N weeks in any other placement.",
        6,
        "reg 28(2)(c)(ii) of the 2010 Regulations",
    ),
    "pf_first_year_weeks": _Spec(
        "visits",
        1,
        "Private fostering: at most every N weeks during the first year of the arrangement.",
        6,
        "reg 8(1)(a) of the 2005 Regulations",
    ),
    "pf_after_first_year_weeks": _Spec(
        "visits",
        1,
        "Private fostering: at most every N weeks after the first year.",
        12,
        "reg 8(1)(b) of the 2005 Regulations",
    ),
    "pf_first_visit_working_days": _Spec(
        "visits",
        1,
        "Private fostering: first visit within N working days of the council being notified "
        "(2005 Regulations, reg 7).",
        7,
        "reg 7 of the 2005 Regulations",
    ),
    "lac_until_first_review_days": _Spec(
        "visits",
        1,
        "Looked-after child placed with a parent (reg 19), with a temporarily approved connected "
        "person (reg 24) or at home on an interim care order: at least every N days until the "
        "first review (reg 28(3), (4): once a week).",
        7,
        "reg 28(3) and (4) of the 2010 Regulations",
    ),
    "lac_reg19_after_review_weeks": _Spec(
        "visits",
        1,
        "Placed with a parent before the assessment is complete (reg 19): after the first review, "
        "at most every N weeks.",
        6,
        "reg 28(3) of the 2010 Regulations",
    ),
    "lac_reg24_after_review_weeks": _Spec(
        "visits",
        1,
        "Temporary approval of a connected person (reg 24), or an interim care order while living "
        "with a parent: after the first review, at most every N weeks.",
        4,
        "reg 28(4) of the 2010 Regulations",
    ),
    "lac_care_order_at_home_weeks": _Spec(
        "visits",
        1,
        "Care order, living with a parent (reg 28(5)): after the first visit (within "
        "lac_first_visit_days of the order), at most every N weeks.",
        6,
        "reg 28(5) of the 2010 Regulations",
    ),
    "short_breaks_first_visit_months": _Spec(
        "visits",
        1,
        "Short breaks (reg 48): first visit within N calendar months of the first placement.",
        3,
        "reg 48 of the 2010 Regulations",
    ),
    "short_breaks_every_months": _Spec(
        "visits",
        1,
        "Short breaks (reg 48): then at most every N calendar months.",
        6,
        "reg 48 of the 2010 Regulations",
    ),
    "plan_visit_every_max_working_days": _Spec(
        "visits",
        1,
        "The longest visiting or seen-alone frequency a conference or review may record on a "
        "plan (working days).",
        260,
    ),
    "record_within_working_days": _Spec(
        "deadlines",
        0,
        "A visit record is submitted within N working days of the visit.",
        10,
    ),
    "countersign_within_working_days": _Spec(
        "deadlines",
        0,
        "A record needing a countersignature is countersigned within N working days of submission.",
        10,
    ),
    "oversight_within_working_days": _Spec(
        "deadlines",
        0,
        "A manager records oversight within N working days of submission.",
        20,
    ),
    "oversight_escalate_after_working_days": _Spec(
        "deadlines",
        0,
        "Oversight still not recorded N working days after it was due is escalated to the "
        "service manager.",
        20,
    ),
    "bank_holiday_region": _Spec(
        "deadlines", None, "Whose bank holidays are not working days: ENG, WLS, SCT or NIR."
    ),
    "oversight_analysis_min_words": _Spec(
        "oversight",
        0,
        "Management oversight: the manager's analysis has at least N words (0: no minimum).",
        500,
    ),
    "countersign_comment_min_words": _Spec(
        "oversight",
        0,
        "Countersigning: the countersigner's comment has at least N words (0: no minimum).",
        200,
    ),
    "long_text_max_chars": _Spec(
        "text",
        1,
        "Longest narrative section (characters).",
        1_000_000,
    ),
    "short_text_max_chars": _Spec(
        "text",
        1,
        "Longest one-line field such as a name or a title (characters).",
        10_000,
    ),
    "supervision_asye_weekly_weeks": _Spec(
        "supervision",
        0,
        "ASYE (newly qualified) workers: supervision weekly for the first N weeks.",
        52,
    ),
    "supervision_asye_fortnightly_months": _Spec(
        "supervision",
        0,
        "ASYE workers: then fortnightly until N calendar months after the ASYE started.",
        12,
    ),
    "supervision_every_months": _Spec(
        "supervision",
        1,
        "Everyone else (and ASYE after that): at least every N calendar months.",
        3,
    ),
    "failed_signins_before_delay": _Spec(
        "signin",
        1,
        "After N failed sign-ins in a row, each further attempt waits (see signin_delay_base_seconds).",
        100,
    ),
    "failed_signins_before_lock": _Spec(
        "signin",
        1,
        "After N failed sign-ins in a row the account is locked until an administrator unlocks it.",
        100,
    ),
    "signin_delay_base_seconds": _Spec(
        "signin",
        0,
        "Wait after failure F (F >= failed_signins_before_delay): this * 2 ** (F - that) seconds.",
        60,
    ),
    "idle_lock_minutes": _Spec(
        "signin",
        1,
        "A session (terminal or browser) with no key pressed for N minutes locks: the password "
        "is asked again, and drafts are kept.",
        60,
    ),
    "infant_seen_awake_under_years": _Spec(
        "record",
        0,
        "A child under N years old on the day of the visit is an infant who should be seen "
        "awake: the record asks (0: never asked).",
        5,
    ),
    "quoted_words_from_years": _Spec(
        "record",
        0,
        "A child N years old or over who was seen should have their own words quoted: a record "
        "without quotation marks is a query.",
        18,
    ),
    "bedroom_expected": _Spec(
        "record",
        None,
        "Visit types on which the child's bedroom is expected to be seen when the visit is at "
        "home or at the placement: 'Not applicable' is refused there (a reason is still "
        "enough for 'No').",
    ),
    "registration_renewal_month": _Spec(
        "registration",
        1,
        "Social Work England's renewal deadline, its month (11: November). A registration not "
        "checked since the last deadline is unverified until an administrator records a check.",
        12,
    ),
    "registration_renewal_day": _Spec(
        "registration",
        1,
        "The renewal deadline's day of the month (30: 30 November).",
        31,
    ),
    "registration_recheck_months": _Spec(
        "registration",
        1,
        "A registration checked longer ago than N calendar months is unverified too.",
        24,
    ),
    "referrer_told_within_working_days": _Spec(
        "contacts",
        0,
        "A contact's referrer is told the outcome within N working days of the decision; "
        "contacts whose referrer has not been told by then are listed for the manager.",
        20,
    ),
    "da_alert_notifications": _Spec(
        "contacts",
        2,
        "Domestic-abuse notifications: N notifications for one child within da_alert_months "
        "alert the team manager, even when each was no further action.",
        20,
    ),
    "da_alert_months": _Spec(
        "contacts",
        1,
        "The window of the domestic-abuse alert, in calendar months.",
        36,
    ),
    "referral_seen_within_working_days": _Spec(
        "contacts",
        1,
        "A child referred for assessment (or a section 47 enquiry) is seen, and seen alone, "
        "within N working days of the decision.",
        45,
    ),
    "not_seen_service_manager_weeks": _Spec(
        "escalation",
        1,
        "A child not seen on their latest visits, and not seen by their social worker for N "
        "weeks, alerts the service manager (the team manager is alerted at the first visit "
        "where the child was not seen); the alert is answered in an oversight note.",
        52,
    ),
}

#: Keys no longer read, and what replaced them (said when a policy file still has one).
_RETIRED = {
    "lac_after_first_year_long_term_weeks": "is no longer used: three months are calendar "
    "months now, set lac_after_first_year_long_term_months (default 3) instead",
}

#: The TOML tables, in the order ``as_toml`` writes them.
TABLES: tuple[str, ...] = tuple(dict.fromkeys(spec.table for spec in _SPECS.values()))


def _problem(name: str, value: Any, default: Any) -> str | None:
    """Say what is wrong with ``value`` for field ``name`` (None when it is acceptable)."""
    spec = _SPECS[name]
    if isinstance(default, tuple):
        ok = isinstance(value, (list, tuple)) and all(v in VISIT_TYPES for v in value)
        if not ok or len(set(value)) != len(value):
            return f"must be a list of visit types, each once, from {', '.join(VISIT_TYPES)}"
        return None
    if isinstance(default, str):
        if value not in BANK_HOLIDAY_REGIONS:
            return f"must be one of {', '.join(BANK_HOLIDAY_REGIONS)}"
        return None
    minimum, maximum = spec.minimum, spec.maximum
    assert minimum is not None and maximum is not None  # every number has both; text neither
    if isinstance(default, float):
        ok = (
            isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        )
        kind = "a number"
    else:
        ok = isinstance(value, int) and not isinstance(value, bool)
        kind = "a whole number"
    if ok and minimum <= value <= maximum:
        return None
    limit = f" (the law's limit: {spec.law})" if spec.law else ""
    return f"must be {kind} from {minimum:g} to {maximum:g}{limit}"


def allowed(name: str) -> str:
    """The values policy key ``name`` accepts, as one sentence ("Allowed: 1 to 60.")."""
    spec = _SPECS[name]
    if isinstance(getattr(Policy(), name), tuple):
        return f"Allowed: a list of any of {', '.join(VISIT_TYPES)}."
    if spec.minimum is None:
        return f"Allowed: {', '.join(BANK_HOLIDAY_REGIONS)}."
    assert spec.maximum is not None
    law = f" The law's limit: {spec.law}." if spec.law else ""
    return f"Allowed: {spec.minimum:g} to {spec.maximum:g}.{law}"


@dataclass(frozen=True, slots=True)
class Policy:
    """Every local-practice default, in one immutable value (see the module docstring)."""

    # [visits]: statutory visits to the child
    cp_visit_working_days: int = 10
    cin_visit_working_days: int = 20
    lac_first_visit_days: int = 7
    lac_first_year_weeks: int = 6
    lac_after_first_year_long_term_months: int = 3
    lac_after_first_year_weeks: int = 6
    pf_first_year_weeks: int = 6
    pf_after_first_year_weeks: int = 12
    pf_first_visit_working_days: int = 7
    lac_until_first_review_days: int = 7
    lac_reg19_after_review_weeks: int = 6
    lac_reg24_after_review_weeks: int = 4
    lac_care_order_at_home_weeks: int = 6
    short_breaks_first_visit_months: int = 3
    short_breaks_every_months: int = 6
    plan_visit_every_max_working_days: int = 65
    # [deadlines]: recording and management timescales
    record_within_working_days: int = 2
    countersign_within_working_days: int = 2
    oversight_within_working_days: int = 5
    oversight_escalate_after_working_days: int = 2
    bank_holiday_region: str = "ENG"
    # [oversight]: the least a manager or countersigner must write
    oversight_analysis_min_words: int = 30
    countersign_comment_min_words: int = 10
    # [text]: field lengths
    long_text_max_chars: int = 100_000
    short_text_max_chars: int = 500
    # [supervision]: how often each worker is supervised
    supervision_asye_weekly_weeks: int = 6
    supervision_asye_fortnightly_months: int = 6
    supervision_every_months: int = 1
    # [signin]: throttling repeated failed sign-ins
    failed_signins_before_delay: int = 5
    failed_signins_before_lock: int = 10
    signin_delay_base_seconds: float = 2.0
    idle_lock_minutes: int = 10
    # [record]: what a visit record must hold, by the child's age and the visit type
    infant_seen_awake_under_years: int = 2
    quoted_words_from_years: int = 4
    bedroom_expected: tuple[str, ...] = VISIT_TYPES[:4]
    # [registration]: when a registration check is out of date (domain.roles)
    registration_renewal_month: int = 11
    registration_renewal_day: int = 30
    registration_recheck_months: int = 12
    # [contacts]: contacts, domestic-abuse notifications and referrals (domain.contacts)
    referrer_told_within_working_days: int = 3
    da_alert_notifications: int = 3
    da_alert_months: int = 12
    referral_seen_within_working_days: int = 5
    # [escalation]: the not-seen ladder's service-manager step (services.escalation)
    not_seen_service_manager_weeks: int = 4

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            problem = _problem(f.name, value, f.default)
            if problem:
                raise PolicyError(
                    f"Policy [{_SPECS[f.name].table}] {f.name} {problem}, got {value!r}"
                )
            if isinstance(f.default, float):  # TOML "2" arrives as int: store 2.0
                object.__setattr__(self, f.name, float(value))
            if isinstance(f.default, tuple):  # a TOML array arrives as a list
                object.__setattr__(self, f.name, tuple(value))
        if self.short_text_max_chars > self.long_text_max_chars:
            raise PolicyError(
                "Policy [text] short_text_max_chars must not exceed long_text_max_chars, "
                f"got {self.short_text_max_chars} > {self.long_text_max_chars}"
            )
        if self.registration_renewal_day > _DAYS_IN_MONTH[self.registration_renewal_month - 1]:
            raise PolicyError(
                "Policy [registration] registration_renewal_day must not exceed the days of "
                f"registration_renewal_month, got day {self.registration_renewal_day} of "
                f"month {self.registration_renewal_month}"
            )
        if self.failed_signins_before_delay > self.failed_signins_before_lock:
            raise PolicyError(
                "Policy [signin] failed_signins_before_delay must not exceed failed_signins_before_lock, "
                f"got {self.failed_signins_before_delay} > {self.failed_signins_before_lock}"
            )

    def signin_delay_seconds(self, failures: int) -> float:
        """Seconds to wait before the next sign-in after ``failures`` failures in a row.

        No wait before ``failed_signins_before_delay`` failures; then the base doubles with
        each failure (defaults: 2 s after the 5th, 4 s after the 6th, ... 32 s after the 9th).
        """
        if failures < self.failed_signins_before_delay:
            return 0.0
        return self.signin_delay_base_seconds * 2 ** (failures - self.failed_signins_before_delay)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "policy.toml") -> Policy:
        """Build a Policy from parsed ``policy.toml`` (tables as in the module docstring).

        Missing keys keep their defaults. Raises ``PolicyError`` whose message starts with
        ``source`` and names the table and key at fault.
        """
        defaults = {f.name: f.default for f in fields(cls)}
        values: dict[str, Any] = {}
        for table, content in data.items():
            if table not in TABLES:
                if table in _SPECS:
                    raise PolicyError(
                        f"{source}: {table} must be inside the [{_SPECS[table].table}] table"
                    )
                raise PolicyError(
                    f"{source}: unknown table [{table}]{_suggest(table, TABLES, '[{}]')}; "
                    f"the tables are {', '.join(f'[{t}]' for t in TABLES)}"
                )
            if not isinstance(content, Mapping):
                raise PolicyError(
                    f"{source}: [{table}] must be a table of settings, got {content!r}"
                )
            for key, value in content.items():
                spec = _SPECS.get(key)
                if key in _RETIRED:
                    raise PolicyError(f"{source}: [{table}] {key} {_RETIRED[key]}")
                if spec is None:
                    known = [k for k, s in _SPECS.items() if s.table == table]
                    raise PolicyError(
                        f"{source}: [{table}] {key} is not a known setting{_suggest(key, list(_SPECS))}; "
                        f"[{table}] holds {', '.join(known)}"
                    )
                if spec.table != table:
                    raise PolicyError(
                        f"{source}: [{table}] {key} belongs in the [{spec.table}] table"
                    )
                problem = _problem(key, value, defaults[key])
                if problem:
                    raise PolicyError(f"{source}: [{table}] {key} {problem}, got {value!r}")
                values[key] = value
        try:
            return cls(**values)
        except PolicyError as exc:  # cross-field checks
            raise PolicyError(f"{source}: {str(exc).removeprefix('Policy ')}") from None

    def as_toml(self) -> str:
        """This policy as a complete, commented ``policy.toml`` (the defaults for ``Policy()``)."""
        lines = [
            "# recorder local-practice policy.",
            "# Delete any line to keep its default. Working days are Monday to Friday,",
            "# except the bank holidays of bank_holiday_region.",
        ]
        for table in TABLES:
            lines += ["", f"[{table}]"]
            for name, spec in _SPECS.items():
                if spec.table == table:
                    lines += [
                        f"# {spec.comment}",
                        f"{name} = {_toml_value(getattr(self, name))}",
                        f"# {allowed(name)}",
                    ]
        return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, tuple):
        return json.dumps(list(value))  # a JSON array of strings is a TOML array
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string of these characters is a TOML basic string
    if isinstance(value, int):
        return f"{value:_}" if value >= 10_000 else str(value)
    return repr(float(value))


def _suggest(word: str, choices: Any, form: str = "{}") -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {form.format(close[0])}?)" if close else ""
