"""The sections and fields of a visit record (DOMAIN.md, "The visit record: sections").

This is the one description of a visit record. The recording screens build their
forms from it, validation checks against it, and storage keeps each section's values
as a mapping of field key to value. Values are plain JSON-friendly types:

* ``text``/``long``: str
* ``choice``: one of the field's choice keys (str)
* ``multi``: list of choice keys
* ``date``: ISO date string ``YYYY-MM-DD``; ``datetime``: ISO ``YYYY-MM-DDTHH:MM``
* ``int``: int
* ``worker``: a worker's id (int), chosen from a list the services give (the joint worker)
* ``people``: list of {"name": str, "role": str}
* ``actions``: list of {"what": str, "who": str, "by_when": ISO date}
* ``progress``: {action id: {"what": str, "status": done|in_progress|not_started, "note": str}}
* ``risks``: list of {"risk": str, "change": "increased" | "reduced" | "unchanged"}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class SectionKey(StrEnum):
    DETAILS = "details"
    SEEN = "seen"
    VOICE = "voice"
    IDENTITY = "identity"
    OBSERVATIONS = "observations"
    ANALYSIS = "analysis"
    ACTIONS = "actions"


class VisitType(StrEnum):
    CP_STATUTORY = "cp_statutory"
    CHILD_IN_NEED = "child_in_need"
    LAC_STATUTORY = "lac_statutory"
    PRIVATE_FOSTERING = "private_fostering"
    OTHER = "other"


STATUTORY_VISIT_TYPES = frozenset(
    {
        VisitType.CP_STATUTORY,
        VisitType.LAC_STATUTORY,
        VisitType.PRIVATE_FOSTERING,
        VisitType.CHILD_IN_NEED,
    }
)

YES_NO = (("yes", "Yes"), ("no", "No"))
YES_NO_NA = (("yes", "Yes"), ("no", "No"), ("na", "Not applicable"))


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    long: bool = False

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)


@dataclass(frozen=True)
class SectionSpec:
    key: SectionKey
    number: int
    title: str
    guidance: str
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)

    def field(self, key: str) -> FieldSpec:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


F = FieldSpec

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        SectionKey.DETAILS,
        1,
        "Visit details",
        "When and where you saw the family, what kind of visit it was and why. Name everyone "
        'who was there with their role ("Sally, maternal grandmother") and everyone who was '
        "expected but absent: fathers and mothers' partners are the people most often missed.",
        (
            F(
                "visit_at",
                "Date and time of the visit",
                "datetime",
                "Not in the future and not before the child's birth.",
            ),
            F(
                "visit_type",
                "Visit type",
                "choice",
                choices=(
                    (VisitType.CP_STATUTORY, "Child protection statutory"),
                    (VisitType.CHILD_IN_NEED, "Child in need"),
                    (VisitType.LAC_STATUTORY, "Looked-after child statutory"),
                    (VisitType.PRIVATE_FOSTERING, "Private fostering"),
                    (VisitType.OTHER, "Other"),
                ),
            ),
            F(
                "announced",
                "Announced or unannounced",
                "choice",
                choices=(("announced", "Announced"), ("unannounced", "Unannounced")),
            ),
            F(
                "location",
                "Where",
                "choice",
                choices=(
                    ("home", "Home"),
                    ("school", "School"),
                    ("placement", "Placement"),
                    ("other", "Other"),
                ),
            ),
            F(
                "location_other",
                "Where (other)",
                "text",
                "Say where, when it was not home, school or placement.",
            ),
            F("purpose", "Purpose of the visit", "long"),
            F("present", "Everyone present", "people", "Name and role of each person there."),
            F(
                "absent",
                "Expected but absent",
                "people",
                "Who you expected to see but did not, and their role.",
            ),
            F("none_absent", "Nobody expected was absent", "choice", choices=YES_NO),
            F(
                "joint_worker",
                "Registered social worker who attended jointly",
                "worker",
                "For a statutory visit by a student or unqualified worker: choose the registered "
                "social worker of your team who was there with you; they confirm it with their "
                "own signature. Without one the visit is recorded as non-statutory.",
            ),
        ),
    ),
    SectionSpec(
        SectionKey.SEEN,
        2,
        "Seen",
        "Three plain answers: was the child seen, seen alone, and was their bedroom seen. "
        "If you could not see the child, record what happened, every attempt you made, what "
        "you did about it and when the child will be seen; a calling card alone is not "
        "enough. Babies and infants should be seen awake.",
        (
            F("child_seen", "Child seen", "choice", choices=YES_NO),
            F("failed_what_happened", "What happened (child not seen)", "long"),
            F(
                "failed_attempts",
                "Attempts made to see the child",
                "multi",
                choices=(
                    ("phone", "Phoned"),
                    ("neighbours", "Asked neighbours"),
                    ("school", "Contacted school"),
                    ("other_agency", "Contacted another agency"),
                    ("calling_card", "Left a calling card"),
                    ("other", "Other"),
                ),
            ),
            F("failed_attempts_detail", "Details of the attempts", "long"),
            F(
                "failed_action",
                "Action taken",
                "multi",
                choices=(
                    ("manager_informed", "Manager informed"),
                    ("police_welfare", "Police welfare check"),
                    ("revisit_booked", "Revisit booked"),
                    ("other", "Other"),
                ),
            ),
            F("failed_action_detail", "Details of the action taken", "long"),
            F("failed_next_seen", "When the child will be seen", "date"),
            F("seen_alone", "Seen alone", "choice", choices=YES_NO),
            F(
                "not_alone_reason",
                "Why not seen alone",
                "choice",
                "Only the reasons allowed for this visit type are offered (for a looked-after "
                "child or private fostering the law lists them).",
                choices=(
                    ("refused", "The child refused (of sufficient age and understanding)"),
                    ("inappropriate", "Inappropriate for the child's age or understanding"),
                    ("unable", "I was unable to (for example a parent prevented it)"),
                    ("other", "Other"),
                ),
            ),
            F("not_alone_detail", "More about why the child was not seen alone", "long"),
            F("bedroom_seen", "Bedroom seen", "choice", choices=YES_NO_NA),
            F("bedroom_reason", "Why the bedroom was not seen", "long"),
            F(
                "infant_awake",
                "Infant seen awake",
                "choice",
                choices=YES_NO,
                help="Babies and infants should be seen awake (asked for a child under the "
                "policy's infant age, 2 by default).",
            ),
        ),
    ),
    SectionSpec(
        SectionKey.VOICE,
        3,
        "The child's voice",
        "How you found out what the child thinks and feels, and what they said or showed, in "
        "their own words where you can, in quotation marks. For babies and children who do not "
        "speak, describe what you observed: presentation, behaviour, interaction, development. "
        "Then their wishes and feelings, and how these will shape the plan. If you did not see "
        "the child, record what others say of their views and when you will see them.",
        (
            F(
                "methods",
                "How the child's views were gathered",
                "multi",
                choices=(
                    ("own_words", "In conversation, their own words"),
                    ("observation", "Observation (pre-verbal or non-verbal)"),
                    ("tool", "A tool"),
                    ("advocate", "An advocate"),
                ),
            ),
            F(
                "tool",
                "Tool used",
                "choice",
                choices=(
                    ("three_houses", "Three Houses"),
                    ("signs_of_safety", "Signs of Safety scaling"),
                    ("mind_of_my_own", "Mind Of My Own"),
                    ("my_star", "My Star"),
                    ("other", "Other"),
                ),
            ),
            F("scale", "Signs of Safety scale (0-10)", "int"),
            F("advocate", "Advocate's name and organisation", "text"),
            F(
                "said",
                "What the child said or showed",
                "long",
                "Quote the child's own words in quotation marks.",
            ),
            F("wishes", "The child's wishes and feelings", "long"),
            F("shapes_plan", "How the child's views will shape the plan", "long"),
            F("views_from_others", "What others say of the child's views (child not seen)", "long"),
        ),
    ),
    SectionSpec(
        SectionKey.IDENTITY,
        4,
        "Identity, culture and communication",
        "Confirm or update the child's ethnicity, religion, first language, disability and "
        "communication needs. Say which cultural or identity needs you considered on this "
        "visit and how they are being met. If an interpreter was needed, record who "
        "interpreted and how. Family members, friends and children must never be used as "
        "interpreters: if one was, record it truthfully; your manager must address it.",
        (
            F("ethnicity", "Ethnicity", "text"),
            F("religion", "Religion", "text"),
            F("first_language", "First language", "text"),
            F("disability", "Disability and communication needs", "long"),
            F(
                "profile_confirmed",
                "Profile confirmed or updated on this visit",
                "choice",
                choices=YES_NO,
            ),
            F("needs_considered", "Cultural and identity needs considered", "long"),
            F("how_met", "How those needs are being met", "long"),
            F(
                "carers_different_ethnicity",
                "Placed with carers of a different ethnicity",
                "choice",
                choices=YES_NO_NA,
            ),
            F("carers_meet_needs", "How the carers meet the child's identity needs", "long"),
            F(
                "interpreter_needed",
                "Interpreter needed (child or parent)",
                "choice",
                choices=YES_NO,
            ),
            F(
                "interpreter_for",
                "Interpreter needed for",
                "choice",
                choices=(("child", "The child"), ("parent", "A parent or carer"), ("both", "Both")),
            ),
            F("interpreter_used", "Interpreter used", "choice", choices=YES_NO),
            F("interpreter_language", "Language", "text"),
            F("interpreter_name", "Interpreter's name", "text"),
            F("interpreter_agency", "Interpreter's agency or ID", "text"),
            F(
                "interpreter_mode",
                "How they interpreted",
                "choice",
                choices=(("in_person", "In person"), ("phone", "Phone"), ("video", "Video")),
            ),
            F(
                "interpreter_relationship",
                "Who interpreted",
                "choice",
                choices=(
                    ("professional", "A professional interpreter"),
                    ("family", "A family member"),
                    ("friend", "A friend"),
                    ("child", "A child"),
                ),
            ),
            F("interpreter_not_used_why", "Why no interpreter was used", "long"),
        ),
    ),
    SectionSpec(
        SectionKey.OBSERVATIONS,
        5,
        "Observations",
        "What you saw: home conditions, the care the child receives, how the child and "
        "adults interact. Keep what you saw apart from what you think, and name the source of "
        "each piece of information you were told.",
        (
            F("seen", "What I saw (facts)", "long"),
            F("opinion", "My professional opinion", "long"),
            F(
                "sources",
                "Sources of information",
                "long",
                'Who told you what: "Mother said...", "School reported...".',
            ),
        ),
    ),
    SectionSpec(
        SectionKey.ANALYSIS,
        6,
        "Analysis",
        "What this visit means for the child's safety and wellbeing. For each risk in the "
        "plan, say whether it has increased, reduced or is unchanged since the last visit.",
        (
            F("analysis", "Analysis", "long"),
            F("risks", "Risks in the plan", "risks"),
        ),
    ),
    SectionSpec(
        SectionKey.ACTIONS,
        7,
        "Actions",
        "Each action is SMART: what will be done, who will do it and by when. If there are no "
        "new actions, say so and why.",
        (
            F(
                "progress",
                "Progress on the child's open actions",
                "progress",
                "For each open action (from earlier visits, oversight, supervision and the plan): "
                "done, in progress or not started, and what was done. Done ones are marked done "
                "when the visit is signed off.",
            ),
            F("actions", "Actions", "actions"),
            F("no_new_actions", "No new actions", "choice", choices=YES_NO),
            F("no_actions_why", "Why no new actions", "long"),
        ),
    ),
)

SECTION_BY_KEY: dict[SectionKey, SectionSpec] = {s.key: s for s in SECTIONS}

RISK_CHANGES = (("increased", "Increased"), ("reduced", "Reduced"), ("unchanged", "Unchanged"))

Content = dict[str, dict[str, Any]]


def empty_content() -> Content:
    return {s.key.value: {} for s in SECTIONS}


def field_spec(section: str, key: str) -> FieldSpec:
    return SECTION_BY_KEY[SectionKey(section)].field(key)


#: The reasons for not seeing a child alone that each visit type allows (DOMAIN.md, "Seen").
#: A looked-after child's visit: the Care Planning, Placement and Case Review (England)
#: Regulations 2010, reg 29 (the child, of sufficient age and understanding, refused; the
#: worker considered it inappropriate having regard to the child's age and understanding; the
#: worker was unable to). Private fostering: the Children (Private Arrangements for Fostering)
#: Regulations 2005, reg 8(3) (only "inappropriate"). Child protection, child in need and other
#: visits: local procedures, the same three and "other". A visit with no type yet: all four.
NOT_ALONE_REASONS: dict[str, tuple[str, ...]] = {
    VisitType.LAC_STATUTORY: ("refused", "inappropriate", "unable"),
    VisitType.PRIVATE_FOSTERING: ("inappropriate",),
    VisitType.CP_STATUTORY: ("refused", "inappropriate", "unable", "other"),
    VisitType.CHILD_IN_NEED: ("refused", "inappropriate", "unable", "other"),
    VisitType.OTHER: ("refused", "inappropriate", "unable", "other"),
}

#: Where each visit type's list of reasons comes from, as a worker reads it in a message.
NOT_ALONE_SOURCES: dict[str, str] = {
    VisitType.LAC_STATUTORY: "the Care Planning, Placement and Case Review (England) "
    "Regulations 2010, reg 29",
    VisitType.PRIVATE_FOSTERING: "the Children (Private Arrangements for Fostering) "
    "Regulations 2005, reg 8(3)",
}


def not_alone_reasons(visit_type: Any) -> tuple[tuple[str, str], ...]:
    """The (key, label) reasons for not seeing the child alone that ``visit_type`` allows."""
    spec = field_spec(SectionKey.SEEN.value, "not_alone_reason")
    allowed = NOT_ALONE_REASONS.get(visit_type) if isinstance(visit_type, str) else None
    if allowed is None:
        return spec.choices
    return tuple(c for c in spec.choices if c[0] in allowed)


def visit_type_words(value: str | None) -> str:
    """A visit type's words, from the record's schema ("Visit" when none was chosen)."""
    for section in SECTIONS:
        for f in section.fields:
            if f.key == "visit_type":
                for choice, label in f.choices or ():
                    if choice == value:
                        return label
    return value or "Visit"
