"""Test data shared by the test modules: a complete, valid visit record and its context.

``complete_content()`` is a realistic child-protection statutory visit that passes every
rule of ``recorder.domain.validation`` for ``visit_context()``: Amira (9) seen alone, her
bedroom seen, her words quoted, a professional Arabic interpreter for her mother, every
plan risk rated, SMART actions. It is already clean: ``clean_content`` returns it unchanged.
Each call returns a fresh copy, so tests may change it freely.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from recorder.domain.validation import VisitContext

CHILD_NAME = "Amira"
CHILD_DOB = date(2015, 6, 2)
VISIT_AT = "2025-03-12T16:30"
NOW = datetime(2025, 3, 13, 9, 0)
PLAN_RISKS = ("Neglect of basic care", "Exposure to domestic abuse")

_COMPLETE: dict[str, dict[str, Any]] = {
    "details": {
        "visit_at": VISIT_AT,
        "visit_type": "cp_statutory",
        "announced": "unannounced",
        "location": "home",
        "purpose": (
            "Statutory child protection visit under the plan agreed at the initial child "
            "protection conference. To see Amira alone, see her bedroom and the home "
            "conditions, and review progress on the actions about food in the house and "
            "school attendance."
        ),
        "present": [
            {"name": "Amira Haddad", "role": "child"},
            {"name": "Layla Haddad", "role": "mother"},
            {"name": "Yusuf Haddad", "role": "brother, aged 6"},
            {"name": "Mariam Saleh", "role": "interpreter (Arabic), Language Line"},
        ],
        "absent": [
            {"name": "Karim Haddad", "role": "father (lives separately; expected, did not attend)"},
        ],
    },
    "seen": {
        "child_seen": "yes",
        "seen_alone": "yes",
        "bedroom_seen": "yes",
    },
    "voice": {
        "methods": ["own_words", "tool"],
        "tool": "signs_of_safety",
        "scale": 6,
        "said": (
            "Amira showed me her room and said “I like it when Mum makes breakfast before "
            'school.” When I asked about the shouting she told me "it is quieter now that '
            'Dad doesn\'t come round". She put herself at 6 on the scale: "more good days '
            'than bad ones".'
        ),
        "wishes": (
            "Amira wants to stay at home with her mum and brother. She would like to see "
            "her dad at her nan's house, not at home, and wants to go to the after-school "
            "art club again."
        ),
        "shapes_plan": (
            "Contact with her father to be arranged at her paternal grandmother's house, as "
            "she asked. Referral to the after-school club to be funded through early help."
        ),
    },
    "identity": {
        "ethnicity": "Arab (Syrian)",
        "religion": "Muslim",
        "first_language": "Arabic (also fluent in English)",
        "disability": "None known",
        "profile_confirmed": "yes",
        "needs_considered": (
            "Amira attends Saturday Arabic and Qur'an classes at the mosque and this matters "
            "to her. Halal food at school and at the after-school club."
        ),
        "how_met": (
            "Mother takes her to classes each Saturday; school confirmed halal meals. The "
            "club has been told and will provide a halal snack."
        ),
        "carers_different_ethnicity": "na",
        "interpreter_needed": "yes",
        "interpreter_for": "parent",
        "interpreter_used": "yes",
        "interpreter_language": "Arabic (Levantine)",
        "interpreter_name": "Mariam Saleh",
        "interpreter_agency": "Language Line, ID 40417",
        "interpreter_mode": "in_person",
        "interpreter_relationship": "professional",
    },
    "observations": {
        "seen": (
            "The kitchen was clean; the fridge held milk, bread, eggs, vegetables and cooked "
            "rice. Amira's room had a made bed, clean bedding and her school uniform on a "
            "hanger. Amira sat close to her mother and laughed with her brother."
        ),
        "opinion": (
            "Home conditions have improved since my visit on 26 February. The warmth between "
            "Amira and her mother appeared genuine."
        ),
        "sources": (
            "Mother said the father has not visited since the conference. The school "
            "(Ms Nowak, designated safeguarding lead) reported attendance of 94% this half "
            "term, by phone on 11 March."
        ),
    },
    "analysis": {
        "analysis": (
            "Amira's basic care is being met consistently and she describes feeling safer at "
            "home. The risk from domestic abuse is reduced while the father stays away, but "
            "it depends on that continuing and on contact being supervised."
        ),
        "risks": [
            {"risk": "Neglect of basic care", "change": "reduced"},
            {"risk": "Exposure to domestic abuse", "change": "unchanged"},
        ],
    },
    "actions": {
        "actions": [
            {
                "what": "Arrange supervised contact with father at paternal grandmother's house",
                "who": "Social worker (J. Okafor)",
                "by_when": "2025-03-21",
            },
            {
                "what": "Refer Amira to the after-school art club through early help",
                "who": "Social worker (J. Okafor)",
                "by_when": "2025-03-19",
            },
            {
                "what": "Send updated attendance figures",
                "who": "School DSL (Ms Nowak)",
                "by_when": "2025-03-28",
            },
        ],
    },
}


def complete_content() -> dict[str, dict[str, Any]]:
    """A fresh copy of a complete, valid visit record (see the module docstring)."""
    return copy.deepcopy(_COMPLETE)


def visit_context(**overrides: Any) -> VisitContext:
    """The context ``complete_content()`` is valid in; override any field."""
    values: dict[str, Any] = {
        "child_name": CHILD_NAME,
        "child_dob": CHILD_DOB,
        "now": NOW,
        "plan_risks": PLAN_RISKS,
    }
    values.update(overrides)
    return VisitContext(**values)
