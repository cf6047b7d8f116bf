"""Cleaning the content of a visit record before it is stored or signed.

``clean_content`` is the one gate every visit's content passes on its way in: it keeps only
the sections and fields that ``sections.py`` describes, cleans every string (no escape,
control or bidi characters; every letter of every script kept), checks lengths against the
policy, checks choice values, dates and numbers, and drops what is empty, so a field that
was not answered is simply absent from the result.

It does not judge whether a record is complete: that is ``validation``.

``content_digest`` is the SHA-256 of a canonical JSON form of cleaned content; signatures
record it so that what was signed can be proved later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from recorder.domain import text
from recorder.domain.policy import Policy
from recorder.domain.sections import (
    RISK_CHANGES,
    SECTIONS,
    Content,
    FieldSpec,
)

__all__ = [
    "ContentError",
    "clean_content",
    "content_digest",
    "canonical_json",
    "LIST_ITEM_KEYS",
    "is_long",
]


class ContentError(ValueError):
    """Content that cannot be stored: an unknown field, a bad choice, a bad date, too long."""


#: The keys of each item of the list kinds (``sections.py`` module docstring).
LIST_ITEM_KEYS: dict[str, tuple[str, ...]] = {
    "people": ("name", "role"),
    "actions": ("what", "who", "by_when"),
    "risks": ("risk", "change"),
}

_ITEM_LABELS = {
    "name": "name",
    "role": "role",
    "what": "what",
    "who": "who",
    "by_when": "by when",
    "risk": "risk",
    "change": "change",
}

_RISK_CHANGE_KEYS = tuple(k for k, _ in RISK_CHANGES)


def is_long(spec: FieldSpec) -> bool:
    """True for free-text fields that keep their lines (``long`` kind)."""
    return spec.kind == "long" or spec.long


def _show(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    shown = text.clean_line(value if isinstance(value, str) else repr(value))
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _choice_keys(spec: FieldSpec) -> list[str]:
    return [str(k) for k, _ in spec.choices]


def _choice_list(spec: FieldSpec) -> str:
    return ", ".join(label for _, label in spec.choices)


def _text(label: str, value: Any, limit: int, *, long: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ContentError(f"{label} must be text, not {type(value).__name__}.")
    cleaned = text.clean(value) if long else text.clean_line(value)
    if not cleaned.strip():
        return ""
    try:
        text.check_length(label, cleaned, limit)
    except text.TextTooLong as exc:
        raise ContentError(str(exc)) from exc
    return cleaned


def _choice(spec: FieldSpec, value: Any, policy: Policy) -> str:
    cleaned = _text(spec.label, value, policy.short_text_max_chars, long=False)
    if cleaned and cleaned not in _choice_keys(spec):
        raise ContentError(
            f"{spec.label}: '{_show(cleaned)}' is not one of the choices ({_choice_list(spec)})."
        )
    return cleaned


def _multi(spec: FieldSpec, value: Any, policy: Policy) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ContentError(f"{spec.label} must be a list of choices.")
    out: list[str] = []
    for item in value:
        cleaned = _choice(spec, item, policy)
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return out


def _worker(spec: FieldSpec, value: Any) -> int | None:
    """A worker chosen from the list (their id); a typed name is refused (issue 12: "Bob
    Fake" was accepted as the joint worker)."""
    if value is None or (isinstance(value, str) and not text.clean_line(value)):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
        return value
    shown = (
        f" ('{_show(text.clean_line(value))}' is typed, not chosen)"
        if isinstance(value, str)
        else ""
    )
    raise ContentError(
        f"{spec.label}: choose them from the list of your team's registered social workers{shown}."
    )


def _int(spec: FieldSpec, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ContentError(f"{spec.label} must be a whole number.")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        cleaned = text.clean_line(value)
        if not cleaned:
            return None
        if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 9:
            return int(cleaned)
        raise ContentError(f"{spec.label}: '{_show(cleaned)}' is not a whole number.")
    raise ContentError(f"{spec.label} must be a whole number.")


def _date(label: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        raise ContentError(f"{label} must be a date without a time.")
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ContentError(f"{label} must be a date (YYYY-MM-DD).")
    cleaned = text.clean_line(value)
    if not cleaned:
        return ""
    try:
        return date.fromisoformat(cleaned).isoformat()
    except ValueError:
        raise ContentError(
            f"{label}: '{_show(cleaned)}' is not a date. Write it as YYYY-MM-DD, "
            "for example 2025-03-14."
        ) from None


def _datetime(label: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        cleaned = text.clean_line(value)
        if not cleaned:
            return ""
        try:
            parsed = datetime.fromisoformat(cleaned)
        except ValueError:
            raise ContentError(
                f"{label}: '{_show(cleaned)}' is not a date and time. Write it as "
                "YYYY-MM-DDTHH:MM, for example 2025-03-14T15:30."
            ) from None
    else:
        raise ContentError(f"{label} must be a date and time (YYYY-MM-DDTHH:MM).")
    if parsed.tzinfo is not None:
        raise ContentError(f"{label} must be local time, without a time zone.")
    if parsed.second == 0 and parsed.microsecond == 0:
        return parsed.isoformat(timespec="minutes")
    return parsed.isoformat()


def _items(spec: FieldSpec, value: Any, policy: Policy) -> list[dict[str, str]]:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)) or not isinstance(value, (list, tuple)):
        raise ContentError(f"{spec.label} must be a list.")
    keys = LIST_ITEM_KEYS[spec.kind]
    out: list[dict[str, str]] = []
    for n, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            raise ContentError(f"{spec.label}: entry {n} must be a set of named values.")
        unknown = sorted(str(k) for k in item if k not in keys)
        if unknown:
            raise ContentError(
                f"{spec.label}: entry {n} has unknown part '{_show(unknown[0])}'; "
                f"the parts are {', '.join(keys)}."
            )
        cleaned: dict[str, str] = {}
        for key in keys:
            label = f"{spec.label} (entry {n}, {_ITEM_LABELS[key]})"
            raw = item.get(key)
            if key == "by_when":
                v = _date(label, raw)
            else:
                v = _text(label, raw, policy.short_text_max_chars, long=False)
                if key == "change" and v and v not in _RISK_CHANGE_KEYS:
                    raise ContentError(
                        f"{label}: '{_show(v)}' is not one of the choices "
                        f"({', '.join(lbl for _, lbl in RISK_CHANGES)})."
                    )
            if v:
                cleaned[key] = v
        if cleaned:
            out.append(cleaned)
    return out


def _progress(spec: FieldSpec, value: Any, policy: Policy) -> dict[str, dict[str, str]] | None:
    """Progress on the child's open actions: {action id: {what, status, note}}
    (``domain.progress``); answers with nothing in them are dropped."""
    from recorder.domain.progress import PROGRESS_STATUSES

    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ContentError(f"{spec.label} must be a set of answers, one per open action.")
    statuses = {k for k, _ in PROGRESS_STATUSES}
    out: dict[str, dict[str, str]] = {}
    for key, answer in value.items():
        if not str(key).isdigit() or not isinstance(answer, Mapping):
            raise ContentError(f"{spec.label}: each answer is for an open action, by its number.")
        unknown = sorted(str(k) for k in answer if k not in ("what", "status", "note"))
        if unknown:
            raise ContentError(
                f"{spec.label}: an answer has unknown part '{_show(unknown[0])}'; "
                "the parts are what, status, note."
            )
        status = answer.get("status") or ""
        if status and status not in statuses:
            raise ContentError(
                f"{spec.label}: '{_show(str(status))}' is not a choice; the choices are "
                + ", ".join(label for _, label in PROGRESS_STATUSES)
                + "."
            )
        item = {
            "what": _text("The action", answer.get("what"), policy.long_text_max_chars, long=True),
            "status": str(status),
            "note": _text(spec.label, answer.get("note"), policy.long_text_max_chars, long=True),
        }
        if item["status"] or item["note"].strip():
            out[str(int(str(key)))] = {k: v for k, v in item.items() if v}
    return out or None


def _clean_value(spec: FieldSpec, value: Any, policy: Policy) -> Any:
    kind = spec.kind
    if kind in ("text", "long"):
        long = is_long(spec)
        limit = policy.long_text_max_chars if long else policy.short_text_max_chars
        return _text(spec.label, value, limit, long=long)
    if kind == "choice":
        return _choice(spec, value, policy)
    if kind == "multi":
        return _multi(spec, value, policy)
    if kind == "int":
        return _int(spec, value)
    if kind == "worker":
        return _worker(spec, value)
    if kind == "date":
        return _date(spec.label, value)
    if kind == "datetime":
        return _datetime(spec.label, value)
    if kind in LIST_ITEM_KEYS:
        return _items(spec, value, policy)
    if kind == "progress":
        return _progress(spec, value, policy)
    raise ContentError(f"{spec.label}: unknown field kind '{kind}'.")  # pragma: no cover


def clean_content(raw: Mapping[str, Any], policy: Policy) -> Content:
    """Return a new, cleaned copy of ``raw`` or raise :class:`ContentError`.

    The result has every section key (an empty dict for an unanswered section) and, in each
    section, only the fields that hold something: empty strings, empty lists and ``None``
    are dropped. Values are plain JSON types (str, int, list, dict).
    """
    if not isinstance(raw, Mapping):
        raise ContentError("Visit content must be a set of sections.")
    known = {s.key.value for s in SECTIONS}
    for key in raw:
        if key not in known:
            raise ContentError(
                f"'{_show(str(key))}' is not a section of a visit record; the sections are "
                f"{', '.join(s.title for s in SECTIONS)}."
            )
    out: Content = {}
    for section in SECTIONS:
        values = raw.get(section.key.value)
        if values is None:
            values = {}
        if not isinstance(values, Mapping):
            raise ContentError(f"The section '{section.title}' must be a set of fields.")
        field_keys = {f.key for f in section.fields}
        for key in values:
            if key not in field_keys:
                raise ContentError(
                    f"'{_show(str(key))}' is not a field of the section '{section.title}'."
                )
        cleaned: dict[str, Any] = {}
        for spec in section.fields:
            if spec.key not in values:
                continue
            value = _clean_value(spec, values[spec.key], policy)
            if value is None or value == "" or value == []:
                continue
            cleaned[spec.key] = value
        out[section.key.value] = cleaned
    return out


def canonical_json(content: Mapping[str, Any]) -> bytes:
    """The canonical UTF-8 JSON form of ``content`` that ``content_digest`` hashes."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def content_digest(content: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``content`` (sorted keys, no spaces, UTF-8)."""
    return hashlib.sha256(canonical_json(content)).hexdigest()
