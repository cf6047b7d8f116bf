"""Identity confirmed on a signed-off visit updates the child's profile (DOMAIN.md "Identity";
issue 12, defect 9).

A worker confirms or updates the child's identity on each visit ("Profile confirmed or updated
on this visit"); once a manager signs the visit off, what it recorded becomes the profile: the
census codes for ethnicity, disability and sex, and religion, first language, gender identity
and communication needs. Only what the visit answered and what differs is changed, in the
sign-off's own transaction, with one audit event naming the fields (never their values: the
audit trail holds no case text). A draft never changes the profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from recorder.domain import identity
from recorder.domain.sections import SectionKey
from recorder.domain.text import clean, clean_line
from recorder.services.core import Services
from recorder.store.models import Child

__all__ = ["confirmed_identity", "apply_confirmed_identity"]

#: the visit's identity fields and the profile's columns they update
_TEXT = {
    "religion": "religion",
    "first_language": "first_language",
    "gender_identity": "gender_identity",
    "communication_needs": "communication_needs",
}


def confirmed_identity(content: Mapping[str, Any]) -> dict[str, str]:
    """The profile's columns as the visit's identity section confirmed them ({} when the
    worker did not confirm the profile). Values the census does not know are left out."""
    v = content.get(SectionKey.IDENTITY.value) or {}
    if v.get("profile_confirmed") != "yes":
        return {}
    out: dict[str, str] = {}
    code = identity.best_ethnicity(str(v.get("ethnicity") or ""))
    if code:
        out["ethnicity"] = code
        out["ethnicity_note"] = ""
    disability = v.get("disability")
    if isinstance(disability, (list, tuple)) and disability:
        try:
            codes: tuple[str, ...] | None = identity.disability_codes([str(d) for d in disability])
        except identity.IdentityError:
            codes = None
    else:  # the visit's free text, where every part of it names a code ("None known")
        codes = identity.best_disability(str(disability or ""))
    if codes:
        out["disability"] = identity.join_codes(codes)
        out["disability_note"] = ""
    sex = str(v.get("sex") or "")
    if sex in identity.SEX:
        out["sex"] = sex
    for key, column in _TEXT.items():
        value = v.get(key)
        if isinstance(value, str) and value.strip():
            out[column] = clean(value) if column == "communication_needs" else clean_line(value)
    return out


def apply_confirmed_identity(
    svc: Services,
    s: Session,
    child: Child,
    content: Mapping[str, Any],
    actor_id: int,
    visit_id: int,
) -> list[str]:
    """Update ``child`` from a visit being signed off; returns the fields changed (audited as
    ``update_profile`` when any did)."""
    changed = [
        column
        for column, value in confirmed_identity(content).items()
        if getattr(child, column) != value
    ]
    if not changed:
        return []
    for column, value in confirmed_identity(content).items():
        setattr(child, column, value)  # the *_note columns cleared with their coded value
    s.add(child)
    shown = [c for c in changed if not c.endswith("_note")] or changed
    svc.audit(
        s,
        actor_id,
        "update_profile",
        "child",
        child.id,
        "ok",
        f"visit={visit_id};fields={','.join(shown)}",
    )
    return changed
