"""The demo children's identity as CIN census codes (``recorder.domain.identity``).

The demo's backgrounds are written the way workers describe them ("White - Polish", "Arab -
Syrian"); the profile holds the DfE codes those fall under, and the words stay in the visit
records. Disabilities are coded the way a council would return them; the detail ("uses a
visual timetable") is the child's communication needs.
"""

from __future__ import annotations

from recorder.domain import identity

_ETHNICITY = {
    "Arab - Moroccan": "OOTH",
    "Arab - Syrian": "OOTH",
    "Kurdish (from Turkey)": "OOTH",
    "Asian - Afghan": "AOTH",
    "Asian - Afghan (Hazara)": "AOTH",
    "Asian - Afghan (Pashtun)": "AOTH",
    "Asian - Vietnamese": "AOTH",
    "Asian - Indian (Tamil)": "AIND",
    "Black African - Eritrean": "BAFR",
    "Black African - Nigerian": "BAFR",
    "Black African - Nigerian (Yoruba)": "BAFR",
    "Black African - Somali": "BAFR",
    "White - Polish": "WOTH",
    "White - Portuguese": "WOTH",
    "White - Romanian": "WOTH",
    "White British - Jewish": "WBRI",
}

# the first words of a demo disability, and the codes it is returned as
_DISABILITY = (
    ("None", "NONE"),
    ("ADHD", "BEH"),
    ("Autism; non-verbal", "COMM,AUT"),
    ("Autism", "AUT"),
    ("Cerebral palsy (spastic", "MOB,HAND,COMM"),
    ("Cerebral palsy", "MOB"),
    ("Deaf", "HEAR"),
    ("Global developmental delay", "COMM,LD"),
    ("Moderate learning", "LD"),
    ("Speech and language", "COMM"),
    ("Type 1 diabetes", "DDA"),
)


def ethnicity(words: str) -> str:
    """The code of a demo background (every one has one)."""
    return _ETHNICITY.get(words) or identity.ethnicity_code(words)


def disability(words: str) -> str:
    """The codes of a demo disability, comma-separated."""
    for start, codes in _DISABILITY:
        if words.startswith(start):
            return codes
    return identity.join_codes(identity.disability_codes(words))


def communication_needs(words: str) -> str:
    """The demo's words about a disability, kept as the child's communication needs."""
    return "" if words.startswith("None") else words


def sex(pronouns: str) -> str:
    return {"f": "F", "m": "M"}.get(pronouns, "U")


def carers(kid) -> list[tuple[str, str, str, bool]]:
    """The parents and carers on a demo child's record: (name, relationship, first language,
    interpreter needed). The main carer is first; a father or stepfather in the household or
    expected at visits is recorded too (fathers are the people most often missed). Where the
    demo's interpreter is for a parent, the main carer needs one in that language: the
    review's "a mother who does not speak English"."""
    parent_needs = kid.interpreter_for in ("parent", "both")
    language = kid.interpreter_language if parent_needs else "English"
    out: list[tuple[str, str, str, bool]] = []
    for i, (name, role) in enumerate(kid.household + kid.absent):
        relationship = role.split(" (")[0]
        if i == 0:
            out.append((name, relationship, language, parent_needs))
        elif relationship in ("father", "stepfather", "mother's partner"):
            out.append((name, relationship, language, False))
    return out


def add_carers(svc, admin_id: int, kids) -> None:
    """Put each demo child's parents and carers on their record (``carers`` above)."""
    from recorder.services import carers as service

    for kid in kids:
        for name, who, language, needs in carers(kid):
            service.add_carer(
                svc, admin_id, kid.ref, service.CarerInput(name, who, language, needs)
            )
