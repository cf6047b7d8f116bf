"""What each signature signs: every payload, built once, and its SHA-256.

A signature's ``content_sha256`` is the SHA-256 of the canonical JSON (sorted keys, no
spaces, UTF-8, :func:`recorder.domain.content.canonical_json`) of a payload. The payload of
each kind of signature is built here and nowhere else: the services sign with these
functions, ``recorder check`` recomputes with them, and the demo's bulk loader, which writes
its rows directly, signs with them too.

Pure functions over plain values (ids, texts, mappings): no ORM row, no session, so the
rule of what is signed sits in the domain with the other rules, and a second front end or a
loader gets it for free.

A record's content is given as its canonical JSON text (:func:`content_json` makes it from
the content; a loader that already holds each section's JSON joins them with
:func:`sections_json`), so a payload holding a record of many kilobytes is serialised once
and the same code path serves the app and the loader. :meth:`Payload.digest` is
byte-for-byte ``content_digest`` of the whole payload as a dict (tests/test_signing.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

__all__ = [
    "AUTHOR_MEANING",
    "COUNTERSIGN_MEANING",
    "OVERSIGHT_MEANING",
    "ADDENDUM_MEANING",
    "ACK_MEANING",
    "Payload",
    "canonical",
    "content_json",
    "sections_json",
    "oversight",
    "submission_payload",
    "countersign_payload",
    "sign_off_payload",
    "case_note_payload",
    "addendum_payload",
    "ack_payload",
    "SUPERVISION_MEANING",
    "supervision_payload",
    "JOINT_MEANING",
    "joint_attendance_payload",
    "CONTACT_DECISION_MEANING",
    "CONTACT_ADDENDUM_MEANING",
    "contact_decision_payload",
    "contact_addendum_payload",
    "SIGNIFICANT_EVENT_MEANING",
    "significant_event_payload",
]

# what a signature means (stored with it, shown beside the signer's name)
AUTHOR_MEANING = "Recorded and submitted"
COUNTERSIGN_MEANING = "Qualified countersign"
OVERSIGHT_MEANING = "Management oversight"
ADDENDUM_MEANING = "Addendum"
ACK_MEANING = "Addendum acknowledged"
SUPERVISION_MEANING = "Supervision"
JOINT_MEANING = "Attended jointly"
CONTACT_DECISION_MEANING = "Contact decision"
CONTACT_ADDENDUM_MEANING = "Contact addendum"
SIGNIFICANT_EVENT_MEANING = "Significant event"

_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, check_circular=False
)


def _canonical_encoder() -> Callable[[Any], str]:
    """``_ENCODER.encode``, with the C encoder it makes on every call made once.

    ``JSONEncoder.encode`` builds the standard library's C encoder (``c_make_encoder``) with
    the same arguments each time it is called, about 2 microseconds, more than encoding a
    small value takes: the bulk loader encodes several values a record. This calls the one
    encoder with the arguments ``encode`` gives it, so the text is the same
    (tests/test_signing.py compares them); without the C encoder, ``encode`` itself.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has it
        return _ENCODER.encode
    e = _ENCODER
    quote = json.encoder.encode_basestring  # ensure_ascii=False
    encode = make(
        None, e.default, quote, e.indent, e.key_separator, e.item_separator, e.sort_keys,
        e.skipkeys, e.allow_nan,
    )  # fmt: skip

    def canonical(value: Any) -> str:
        if isinstance(value, str):
            return quote(value)
        return "".join(encode(value, 0))

    return canonical


canonical = _canonical_encoder()
"""A value's canonical JSON as text (``content.canonical_json`` without the UTF-8 step)."""

_CONTENT = "content"
_CONTENT_KEY = canonical(_CONTENT)


@dataclass(frozen=True)
class Payload:
    """What one signature signs: ``fields``, and the record's content as canonical JSON
    text when the payload holds one (under the key ``"content"``). ``encoded`` holds other
    fields given as their canonical JSON text already (a loader that made a note's JSON
    from its own text need not parse it to have it encoded again)."""

    fields: Mapping[str, Any]
    content_json: str | None = None
    encoded: Mapping[str, str] | None = None

    def text(self) -> str:
        """The canonical JSON of the whole payload: what the SHA-256 is taken of.

        Text given already encoded (the content, ``encoded``) goes in as it is, at its
        place among the sorted keys: the same text as encoding the whole payload as one
        dict in one go.
        """
        encoded = self.encoded
        if self.content_json is not None:
            encoded = {**encoded, _CONTENT: self.content_json} if encoded else None
            if encoded is None:  # the usual case: only the content
                return self._with_content()
        if not encoded:
            return canonical(self.fields)
        fields = self.fields
        parts: list[str] = []
        run: dict[str, Any] = {}  # fields between two encoded ones, in key order
        for k in sorted({**fields, **encoded}):
            if k in encoded:
                if k in fields:
                    raise ValueError(f"{k!r} given twice")
                if run:
                    parts.append(canonical(run)[1:-1])
                    run = {}
                parts.append((_SECTION_KEYS_JSON.get(k) or _key_json(k)) + encoded[k])
            else:
                run[k] = fields[k]
        if run:
            parts.append(canonical(run)[1:-1])
        return "{" + ",".join(parts) + "}"

    def _with_content(self) -> str:
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for k, v in self.fields.items():
            (before if k < _CONTENT else after)[k] = v
        text = self.content_json or ""  # called only when the payload has its content
        if after:
            text += "," + canonical(after)[1:]
        else:
            text += "}"
        if before:
            return canonical(before)[:-1] + "," + _CONTENT_KEY + ":" + text
        return "{" + _CONTENT_KEY + ":" + text

    def digest(self) -> str:
        """SHA-256 (hex) of :meth:`text` in UTF-8: a signature's ``content_sha256``."""
        return hashlib.sha256(self.text().encode("utf-8")).hexdigest()


def sections_json(sections: Mapping[str, str]) -> str:
    """A record's content as canonical JSON, from each section's canonical JSON text."""
    keys = _SECTION_KEYS_JSON
    return (
        "{"
        + ",".join([(keys.get(k) or _key_json(k)) + sections[k] for k in sorted(sections)])
        + "}"
    )


_SECTION_KEYS_JSON: dict[str, str] = {}  # a section key -> '"key":' (a few keys, made once)


def _key_json(key: str) -> str:
    text = canonical(key) + ":"
    if len(_SECTION_KEYS_JSON) < 64:
        _SECTION_KEYS_JSON[key] = text
    return text


def content_json(content: Mapping[str, Mapping[str, Any]]) -> str:
    """A record's content (section key -> that section's data) as canonical JSON."""
    return sections_json({k: canonical(v) for k, v in content.items()})


def oversight(
    *,
    decision: str,
    analysis: str,
    risk: str,
    actions: Iterable[Mapping[str, Any]],
    timeframe: str,
    child_voice: str,
    flag_responses: Mapping[str, str],
) -> dict[str, Any]:
    """A management oversight note as it is signed (and stored)."""
    return {
        "decision": decision,
        "analysis": analysis,
        "risk": risk,
        "actions": [dict(a) for a in actions],
        "timeframe": timeframe,
        "child_voice": child_voice,
        "flag_responses": dict(flag_responses),
    }


def oversight_of(note: Any) -> dict[str, Any]:
    """:func:`oversight` of anything with the note's attributes (the domain's
    ``OversightInput``, or a stored note)."""
    return oversight(
        decision=note.decision,
        analysis=note.analysis,
        risk=note.risk,
        actions=note.actions,
        timeframe=note.timeframe,
        child_voice=note.child_voice,
        flag_responses=note.flag_responses,
    )


def submission_payload(
    visit_id: int, author_id: int, content: str, query_reasons: Mapping[str, str]
) -> Payload:
    """What the author signs on submitting. The content and query reasons do not change
    until the record is returned, so the latest submission of a record that is not a draft
    can be checked."""
    return Payload(
        {"visit_id": visit_id, "author_id": author_id, "query_reasons": query_reasons}, content
    )


def countersign_payload(
    visit_id: int, version: int, content: str, query_reasons: Mapping[str, str], comment: str
) -> Payload:
    """What a qualified countersign signs: the record at ``version`` and the comment."""
    return Payload(
        {
            "visit_id": visit_id,
            "version": version,
            "query_reasons": query_reasons,
            "comment": comment,
        },
        content,
    )


def sign_off_payload(
    visit_id: int,
    version: int,
    content: str,
    query_reasons: Mapping[str, str],
    countersigns: Iterable[tuple[int, str]],
    note: Mapping[str, Any] | str,
) -> Payload:
    """What a manager's sign-off signs: the frozen record at ``version``, its countersigns
    (signer id, comment; oldest first) and the oversight note (:func:`oversight`, or its
    canonical JSON text: the same payload)."""
    fields = {
        "visit_id": visit_id,
        "version": version,
        "query_reasons": query_reasons,
        "countersigns": [{"by": by, "comment": comment} for by, comment in countersigns],
    }
    if isinstance(note, str):
        return Payload(fields, content, {"oversight": note})
    return Payload({**fields, "oversight": note}, content)


def case_note_payload(child_id: int, note: Mapping[str, Any]) -> Payload:
    """What a case-level oversight note (one not about a visit) signs."""
    return Payload({"child_id": child_id, "oversight": note})


def addendum_payload(
    visit_id: int, reason: str, text: str, author_id: int, signed_off_sha256: str | None
) -> Payload:
    """What an addendum's signature signs: its text, and the sign-off it adds to."""
    return Payload(
        {
            "visit_id": visit_id,
            "reason": reason,
            "text": text,
            "author_id": author_id,
            "signed_off_sha256": signed_off_sha256,
        }
    )


def ack_payload(addendum_id: int, visit_id: int, addendum_sha256: str) -> Payload:
    """What a manager's acknowledgement of an addendum signs."""
    return Payload(
        {"addendum_id": addendum_id, "visit_id": visit_id, "addendum_sha256": addendum_sha256}
    )


def supervision_payload(
    worker_id: int,
    manager_id: int,
    held_on: str,
    personal: Mapping[str, str],
    cases: Iterable[Mapping[str, Any]],
) -> Payload:
    """What a manager's signature on a supervision record signs: whose supervision, by whom,
    the date (ISO), who attended and the personal items (``personal``: attended, wellbeing,
    workload, learning) and each case discussion in order (child_id, decision, actions,
    child_voice)."""
    return Payload(
        {
            "worker_id": worker_id,
            "manager_id": manager_id,
            "held_on": held_on,
            **{k: personal[k] for k in ("attended", "wellbeing", "workload", "learning")},
            "cases": [
                {
                    "child_id": c["child_id"],
                    "decision": c["decision"],
                    "actions": [dict(a) for a in c["actions"]],
                    "child_voice": c["child_voice"],
                }
                for c in cases
            ],
        }
    )


def joint_attendance_payload(
    visit_id: int, joint_worker_id: int, submission_sha256: str
) -> Payload:
    """What the registered social worker who attended jointly signs ("Attended jointly"):
    that they were at this visit as its author recorded and submitted it (the SHA-256 of the
    author's submission signature). A record returned and submitted again needs a new one."""
    return Payload(
        {
            "visit_id": visit_id,
            "joint_worker_id": joint_worker_id,
            "submission_sha256": submission_sha256,
        }
    )


def contact_decision_payload(contact: Mapping[str, Any], outcome: str, reason: str) -> Payload:
    """What a manager's decision on a contact signs: the contact as recorded (``contact``:
    id, child_id, kind, received_at (ISO), source_code, referrer, concern, checked,
    household_id, incident_date (ISO or None), risk_level, children_present,
    recorded_by_id), its one outcome and the reason."""
    keys = (
        "id",
        "child_id",
        "kind",
        "received_at",
        "source_code",
        "referrer",
        "concern",
        "checked",
        "household_id",
        "incident_date",
        "risk_level",
        "children_present",
        "recorded_by_id",
    )
    return Payload({"contact": {k: contact[k] for k in keys}, "outcome": outcome, "reason": reason})


def contact_addendum_payload(
    contact_id: int, reason: str, text: str, author_id: int, decision_sha256: str | None
) -> Payload:
    """What an addendum to a decided contact signs: its text, and the decision it adds to."""
    return Payload(
        {
            "contact_id": contact_id,
            "reason": reason,
            "text": text,
            "author_id": author_id,
            "decision_sha256": decision_sha256,
        }
    )


def significant_event_payload(
    child_id: int, author_id: int, occurred_on: str, what: str, source: str, impact: str
) -> Payload:
    """What the author of a significant event added by hand to a child's chronology signs:
    the child, the author, the day it happened (ISO), what happened, where the information
    came from and the impact on the child."""
    return Payload(
        {
            "child_id": child_id,
            "author_id": author_id,
            "occurred_on": occurred_on,
            "what": what,
            "source": source,
            "impact": impact,
        }
    )
