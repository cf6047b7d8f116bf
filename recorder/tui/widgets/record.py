"""A visit record shown read-only: every section, the worker's query reasons and the
signatures. Used by the visit screen for records the reader may not change, and by the
countersign and oversight screens, which show the whole record before anyone signs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from recorder.domain.policy import Policy
from recorder.domain.relevance import field_applies
from recorder.domain.sections import RISK_CHANGES, SECTIONS
from recorder.domain.signing import ACK_MEANING, ADDENDUM_MEANING
from recorder.domain.text import clean
from recorder.domain.validation import QUERY_TITLES, VisitContext, infant_at_visit
from recorder.domain.workflow import VisitState
from recorder.tui.format import line, signature_words, utc_stamp

# signatures on an addendum show with the addendum, not among the record's own
ADDENDUM_MEANINGS = frozenset({ADDENDUM_MEANING, ACK_MEANING})

if TYPE_CHECKING:
    from recorder.services.visits import VisitView


def record_parts(
    view: "VisitView",
    *,
    note_other_draft: bool = True,
    signatures: bool = True,
    policy: Policy | None = None,
) -> list[Widget]:
    """The widgets that show ``view`` read-only, in order (headings carry class ``heading``).

    ``policy`` (the policy in force) sets the age under which "infant seen awake" is shown."""
    parts: list[Widget] = []
    if note_other_draft and view.state is VisitState.DRAFT:
        parts.append(
            Static(line("This draft belongs to another worker: you can read it but not change it."))
        )
    under_two = False
    if view.child_dob is not None:
        ctx = VisitContext(
            child_name=view.child_name,
            child_dob=view.child_dob,
            now=datetime.now(),
            plan_risks=view.plan_risks,
            policy=policy or Policy(),
        )
        under_two = infant_at_visit(view.content, ctx)
    for spec in SECTIONS:
        parts.append(Static(line(f"{spec.number}. {spec.title}"), classes="heading"))
        values = view.content.get(spec.key.value, {})
        shown = False
        for f in spec.fields:
            if f.key not in values or not field_applies(
                spec.key,
                f.key,
                view.content,
                under_two=under_two,
                author_needs_countersign=view.author_needs_countersign,
            ):
                continue  # not answered, or kept from a path the record did not take
            shown = True
            text = (
                line(view.joint_worker_text) if f.kind == "worker" else field_text(f, values[f.key])
            )
            parts.append(Static(Content.assemble(line(f.label, "bold"), ": ", text)))
        if not shown:
            parts.append(Static(line("(nothing recorded)")))
    reasons = {k: v for k, v in view.query_reasons.items() if v}
    if reasons:
        parts.append(Static(line("Queries and the worker's reasons"), classes="heading"))
        for code, reason in reasons.items():
            title = QUERY_TITLES.get(code, code)
            parts.append(
                Static(Content.assemble(line(title, "bold"), ": ", Content(clean(str(reason)))))
            )
    directions = list(getattr(view, "directions", []) or [])
    if directions:
        parts.extend(direction_parts(directions))
    if signatures:
        parts.extend(
            signature_parts([s for s in view.signatures if s.meaning not in ADDENDUM_MEANINGS])
        )
    addenda = list(getattr(view, "addenda", []) or [])
    if addenda:
        parts.extend(addendum_parts(addenda))
    return parts


def direction_parts(directions) -> list[Widget]:
    """The directions given on the record (countersign and return comments, oversight
    actions): what, from whom, for whom, by when, and open or done (who, when, the note)."""
    parts: list[Widget] = [Static(line("Directions on this record"), classes="heading")]
    for d in directions:
        due = d.due_words if d.due_on is not None or not d.due_text else f"by {d.due_text}"
        parts.append(Static(Content(clean(d.what))))
        parts.append(
            Static(
                line(
                    f"{d.kind_label} from {d.from_name}, for {d.assignee or 'no one named'}; {due}"
                )
            )
        )
        if d.done:
            parts.append(
                Static(
                    Content.assemble(
                        line(f"Done: {d.done_by}, {utc_stamp(d.done_at)}", "bold"),
                        ": ",
                        Content(clean(d.done_note)),
                    )
                )
            )
        else:
            parts.append(Static(line("Open" + (" - OVERDUE" if d.overdue else ""), "bold")))
    return parts


def addendum_parts(addenda) -> list[Widget]:
    """Each addendum beneath the record: reason, text, who signed it and when, and whether a
    manager has acknowledged it."""
    parts: list[Widget] = [
        Static(line("Addenda (the record above is unchanged)"), classes="heading")
    ]
    for n, a in enumerate(addenda, start=1):
        parts.append(
            Static(
                Content.assemble(
                    line(f"Addendum {n}", "bold"),
                    line(f" by {a.author_name}, {utc_stamp(a.created_at)}"),
                )
            )
        )
        parts.append(Static(Content.assemble(line("Why", "bold"), ": ", line(a.reason))))
        parts.append(Static(Content(clean(a.text))))
        parts.append(Static(line(signature_words(a.signature))))
        if a.acknowledged_by:
            parts.append(
                Static(line(f"Acknowledged by {a.acknowledged_by}, {utc_stamp(a.acknowledged_at)}"))
            )
        else:
            parts.append(Static(line("Not yet acknowledged by a team manager.")))
    return parts


def signature_parts(signatures) -> list[Widget]:
    """A "Signatures" heading and one line per signature: signer, role, registration, UTC time,
    meaning."""
    parts: list[Widget] = [Static(line("Signatures"), classes="heading")]
    if not signatures:
        parts.append(Static(line("Not signed yet.")))
    for s in signatures:
        parts.append(Static(line(signature_words(s))))
    return parts


def field_text(spec, value: Any) -> Content:
    """One stored field value as text, by the field's kind."""
    kind = spec.kind
    if kind == "choice":
        return line(spec.choice_label(value))
    if kind == "multi":
        return line(", ".join(spec.choice_label(v) for v in value))
    if kind == "datetime":
        return line(str(value).replace("T", " "))
    if kind == "people":
        return line("; ".join(f"{p.get('name', '')} ({p.get('role', '')})" for p in value))
    if kind == "actions":
        return line(
            "; ".join(
                f"{a.get('what', '')} - {a.get('who', '')} by {a.get('by_when', '')}" for a in value
            )
        )
    if kind == "progress" and isinstance(value, dict):
        from recorder.domain.progress import status_label

        return line(
            "; ".join(
                f"{a.get('what', '')}: {status_label(a.get('status', '')) or 'no answer'}"
                + (f" - {a.get('note')}" if a.get("note") else "")
                for a in value.values()
                if isinstance(a, dict)
            )
        )
    if kind == "risks":
        labels = dict(RISK_CHANGES)
        return line(
            "; ".join(
                f"{r.get('risk', '')}: {labels.get(r.get('change', ''), 'not rated')}"
                for r in value
            )
        )
    if kind == "long":
        return Content(clean(str(value)))
    return line(value)
