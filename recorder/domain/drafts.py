"""Drafts of forms that are not visit records (DOMAIN.md: nothing typed is lost): which forms
keep one, what each is about, and the shape of what is kept.

A draft belongs to the person who typed it: only they read, save or discard it, and only
while the form's own rule lets them fill that form in (a manager may keep a draft oversight
note only on a record they may sign off). It is not a signed record: it changes as they type
and goes when the form is signed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class DraftKind(StrEnum):
    OVERSIGHT = "oversight"  # the sign-off note on a visit
    CASE_NOTE = "case_note"  # an oversight note on a child's case
    COUNTERSIGN = "countersign"  # a countersign comment on a visit
    RETURN = "return"  # the comments of a record returned for changes
    ADDENDUM = "addendum"  # an addendum to a signed-off visit

    @property
    def on_child(self) -> bool:
        """About a child's case (its subject is a child id), not about one visit."""
        return self is DraftKind.CASE_NOTE


def subject_key(kind: DraftKind, about: int) -> str:
    """What a draft is about, as one key: "visit:12" or "child:3"."""
    return f"{'child' if kind.on_child else 'visit'}:{about}"


#: the most text fields one draft holds (a note has six headings, action rows and flags)
MAX_FIELDS = 400


class DraftShapeError(ValueError):
    """What a form sent is not text fields (a bug in the form, or a hostile caller)."""


def draft_strings(content: Any, depth: int = 0) -> list[str]:
    """Every string of a draft's content, checking its shape: a mapping of names to text,
    lists of such mappings (action rows) or mappings of text (flag answers), nothing else."""
    if depth > 3:
        raise DraftShapeError("A draft is nested too deeply.")
    if isinstance(content, str):
        return [content]
    if isinstance(content, dict):
        out: list[str] = []
        for k, v in content.items():
            if not isinstance(k, str):
                raise DraftShapeError("A draft's field names are text.")
            out += draft_strings(v, depth + 1)
        return out
    if isinstance(content, (list, tuple)):
        return [t for v in content for t in draft_strings(v, depth + 1)]
    raise DraftShapeError("A draft holds only text.")


def is_empty(content: Any) -> bool:
    """Nothing but white space typed: there is no draft to keep."""
    return not any(t.strip() for t in draft_strings(content))
