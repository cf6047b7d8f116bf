"""A child's identity as the Children in Need census codes it (DOMAIN.md, "Identity").

Source: the Department for Education's *Children in need census: guide* (the CIN census guide,
DfE), whose code sets local authorities return for every child in need: ethnicity (the DfE's
ethnicity codes, the same as the school census's main codes), disability (one or more of the
disability codes, or ``NONE``) and sex (``M``, ``F``, ``U``). Nothing can be counted by
ethnicity or disability while they are free text (issue 12, defect 9), so the profile holds the
codes and shows them by name; a value that matches no code or name is refused with the list.

Religion, first language, gender identity (the child's own words) and communication needs stay
free text: the census has no code list for them. The Children Act 1989 s22(5)(c) asks for due
regard to religious persuasion, racial origin and cultural and linguistic background.

Lookups accept a code in any case, a name, or one of a few plain names the names are commonly
written as ("Black African", "Mixed White and Asian"), ignoring case, spaces and punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "ETHNICITY",
    "DISABILITY",
    "SEX",
    "CARER_RELATIONSHIPS",
    "IdentityError",
    "ethnicity_code",
    "disability_codes",
    "sex_code",
    "ethnicity_name",
    "disability_names",
    "sex_name",
    "ethnicity_shown",
    "disability_shown",
    "join_codes",
    "split_codes",
    "best_ethnicity",
    "best_disability",
]

#: The DfE ethnicity codes (CIN census guide), in the census's order, with their names.
ETHNICITY: dict[str, str] = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background",
    "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean",
    "BAFR": "Black African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

#: The CIN census disability codes, with their names. A child may have several; ``NONE``
#: (no disability) stands alone.
DISABILITY: dict[str, str] = {
    "NONE": "No disability",
    "MOB": "Mobility",
    "HAND": "Hand function",
    "PC": "Personal care",
    "INC": "Incontinence",
    "COMM": "Communication",
    "LD": "Learning",
    "HEAR": "Hearing",
    "VIS": "Vision",
    "BEH": "Behaviour",
    "CON": "Consciousness",
    "AUT": "Autism or Asperger syndrome",
    "DDA": "Other disability (Equality Act)",
}

#: The CIN census's sex codes.
SEX: dict[str, str] = {"M": "Male", "F": "Female", "U": "Unknown"}

#: Who a parent or carer is to the child (the child's record; free text is kept for the rest).
CARER_RELATIONSHIPS: tuple[str, ...] = (
    "mother",
    "father",
    "step-parent",
    "parent's partner",
    "grandparent",
    "aunt or uncle",
    "sibling",
    "foster carer",
    "kinship carer",
    "special guardian",
    "residential worker",
    "other",
)

# other ways the names are written ("White - British", "Mixed: White and Asian", "None known")
_ALIASES: dict[str, tuple[str, ...]] = {
    "WBRI": ("White - British", "White English", "British"),
    "WIRI": ("White - Irish", "Irish"),
    "WIRT": ("Irish Traveller", "White - Irish Traveller", "Traveller"),
    "WOTH": ("White other", "White - other"),
    "WROM": ("Gypsy", "Roma", "Gypsy Roma", "Romany"),
    "MWBC": ("Mixed White and Black Caribbean", "Mixed - White and Black Caribbean"),
    "MWBA": ("Mixed White and Black African", "Mixed - White and Black African"),
    "MWAS": ("Mixed White and Asian", "Mixed - White and Asian"),
    "MOTH": ("Mixed other", "Any other mixed", "Mixed"),
    "AIND": ("Asian Indian", "Asian British - Indian", "Asian or Asian British Indian"),
    "APKN": ("Asian Pakistani", "Asian British - Pakistani", "Asian or Asian British Pakistani"),
    "ABAN": (
        "Asian Bangladeshi",
        "Asian British - Bangladeshi",
        "Asian or Asian British Bangladeshi",
    ),
    "AOTH": ("Asian other", "Any other Asian"),
    "BCRB": ("Caribbean", "Black British - Caribbean", "Black or Black British Caribbean"),
    "BAFR": ("African", "Black British - African", "Black or Black British African"),
    "BOTH": ("Black other", "Any other Black"),
    "CHNE": ("Chinese British",),
    "OOTH": ("Other", "Other ethnic group", "Any other"),
    "REFU": ("Declined", "Refused to say"),
    "NOBT": ("Not yet obtained", "Not known", "Unknown", "Not obtained"),
}
_DISABILITY_ALIASES: dict[str, tuple[str, ...]] = {
    "NONE": ("None", "None known", "No disability known", "No"),
    "MOB": ("Mobility (getting about)", "Getting about"),
    "HAND": ("Hand function (dexterity)",),
    "PC": ("Personal care (dressing, eating, washing)",),
    "INC": ("Incontinence or bladder or bowel control", "Continence"),
    "COMM": ("Communication (speech)", "Speech"),
    "LD": ("Learning difficulty", "Learning disability"),
    "HEAR": ("Hearing impairment", "Deaf"),
    "VIS": ("Vision impairment", "Visual impairment", "Sight", "Blind"),
    "BEH": ("Behaviour (challenging behaviour)",),
    "CON": ("Consciousness (seizures)", "Seizures", "Epilepsy"),
    "AUT": ("Autism", "Asperger syndrome", "Autism spectrum condition", "ASD", "ASC"),
    "DDA": ("Other DDA", "Other disability"),
}
_SEX_ALIASES: dict[str, tuple[str, ...]] = {
    "M": ("Boy", "Man"),
    "F": ("Girl", "Woman"),
    "U": ("Not known", "Unborn", "Indeterminate"),
}


class IdentityError(ValueError):
    """A value that is not one of the census codes or names: the message says which are."""


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _index(names: dict[str, str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, name in names.items():
        out[_norm(code)] = code
        out[_norm(name)] = code
        for alias in aliases.get(code, ()):
            out.setdefault(_norm(alias), code)
    return out


_ETHNICITY_INDEX = _index(ETHNICITY, _ALIASES)
_DISABILITY_INDEX = _index(DISABILITY, _DISABILITY_ALIASES)
_SEX_INDEX = _index(SEX, _SEX_ALIASES)


def _listing(names: dict[str, str]) -> str:
    return ", ".join(f"{code} ({name})" for code, name in names.items())


def ethnicity_code(text: str) -> str:
    """The ethnicity code that ``text`` names (a code or a name); "" for nothing.

    Raises :class:`IdentityError` with the list of codes for anything else."""
    if not text.strip():
        return ""
    code = _ETHNICITY_INDEX.get(_norm(text))
    if code is None:
        raise IdentityError(
            f"'{text.strip()}' is not an ethnicity in the CIN census. Use a code or its name: "
            + _listing(ETHNICITY)
            + "."
        )
    return code


def disability_codes(text: str | Iterable[str]) -> tuple[str, ...]:
    """The disability codes that ``text`` names: codes or names separated by commas or
    semicolons (or a list of them); () for nothing. ``NONE`` cannot be given with another.

    Raises :class:`IdentityError` naming the value that matches no code."""
    parts = re.split(r"[;,]", text) if isinstance(text, str) else list(text)
    out: list[str] = []
    for part in parts:
        if not part.strip():
            continue
        code = _DISABILITY_INDEX.get(_norm(part))
        if code is None:
            raise IdentityError(
                f"'{part.strip()}' is not a disability in the CIN census. Use codes or names, "
                "separated by commas: " + _listing(DISABILITY) + "."
            )
        if code not in out:
            out.append(code)
    if "NONE" in out and len(out) > 1:
        raise IdentityError(
            "NONE (no disability) cannot be recorded together with a disability: choose one."
        )
    return tuple(c for c in DISABILITY if c in out)


def sex_code(text: str) -> str:
    """The census sex code (M, F, U) that ``text`` names; "" for nothing."""
    if not text.strip():
        return ""
    code = _SEX_INDEX.get(_norm(text))
    if code is None:
        raise IdentityError(
            f"'{text.strip()}' is not a sex in the CIN census. Use one of: " + _listing(SEX) + "."
        )
    return code


def ethnicity_name(code: str) -> str:
    """The name of an ethnicity code; anything else (a value written into the store by
    something other than the services) is shown as it is."""
    return ETHNICITY.get(code, code)


def split_codes(stored: str) -> tuple[str, ...]:
    """The disability codes kept in one column ("MOB,COMM")."""
    return tuple(p.strip() for p in stored.split(",") if p.strip())


def join_codes(codes: Iterable[str]) -> str:
    return ",".join(codes)


def disability_names(codes: Iterable[str]) -> str:
    return "; ".join(DISABILITY.get(c, c) for c in codes)


def sex_name(code: str) -> str:
    return SEX.get(code, code)


def ethnicity_shown(code: str, note: str = "") -> str:
    """What the profile shows: the name, or the old free text "not yet coded", or ""."""
    if code:
        return ethnicity_name(code)
    return f"not yet coded: {note}" if note else ""


def disability_shown(stored: str, note: str = "") -> str:
    shown = disability_names(split_codes(stored))
    if note:
        return f"{shown}; not yet coded: {note}" if shown else f"not yet coded: {note}"
    return shown


def best_ethnicity(text: str) -> str | None:
    """The code free text matches (a code, a name or a plain alias), or None: the migration's
    and the demo's conversion of the old free-text values."""
    return _ETHNICITY_INDEX.get(_norm(text)) if text.strip() else None


def best_disability(text: str) -> tuple[str, ...] | None:
    """The codes free text matches, every part of it, or None when any part matches none."""
    try:
        return disability_codes(text) or None
    except IdentityError:
        return None
