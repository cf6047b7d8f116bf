"""Where a child's chronology comes from (issue 13, item 4): one source for each kind of entry
(a key of ``domain.chronology.KINDS``), registered in ``chronology_base.SOURCES`` with its
keys (the columns a page is cut by, in SQL) and its entries (read for a page's rows only).
A new kind adds its key to ``KINDS`` and a source here."""

from __future__ import annotations

from typing import Any, Sequence

import sqlalchemy as sa
from sqlmodel import col

from recorder.domain import chronology as rules
from recorder.domain.plans import PLACEMENT_TYPES, PLAN_KINDS
from recorder.services.chronology_base import (
    Context,
    Entry,
    Key,
    Keys,
    SqlTime,
    ids_of,
    key_select,
    midnight,
    only,
    source,
)
from recorder.store.models import (
    Addendum,
    AuditEvent,
    ChildCoWorker,
    ChildPlan,
    Contact,
    OversightNote,
    Placement,
    SignificantEvent,
    Supervision,
    SupervisionCase,
    TrackedAction,
    Visit,
    VisitSection,
)

# -- visits -------------------------------------------------------------------------------------


def _visit_keys(child_id: Any, t: SqlTime) -> Sequence[Any]:
    return [
        key_select(t.local(col(Visit.visit_at)), col(Visit.id), col(Visit.id), 0).where(
            col(Visit.child_id) == child_id,
            col(Visit.state) == "signed_off",
            col(Visit.visit_at).is_not(None),
        )
    ]


@source("visit", _visit_keys)
def _visits(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    from recorder.domain.sections import visit_type_words

    ids = ids_of(keys)
    signed = (col(Visit.child_id) == c.child_id, col(Visit.state) == "signed_off")
    seen: dict[int, Any] = dict(
        c.s.execute(
            only(
                sa.select(col(VisitSection.visit_id), col(VisitSection.data))
                .join(Visit, col(Visit.id) == VisitSection.visit_id)
                .where(*signed, col(VisitSection.section) == "seen"),
                col(VisitSection.visit_id),
                ids,
            )
        ).all()
    )
    q = sa.select(
        col(Visit.id), col(Visit.visit_at), col(Visit.visit_type), col(Visit.author_id)
    ).where(*signed)
    rows = c.s.execute(only(q, col(Visit.id), ids)).all()
    c.need(r[3] for r in rows)
    out: dict[Key, Entry] = {}
    for vid, at, kind, author in rows:
        if at is None:  # a signed-off visit always has its date; said for the type checker
            continue
        data = seen.get(vid) or {}
        words = rules.seen_words(data.get("child_seen"), data.get("seen_alone"))
        out[vid, 0] = Entry(
            at, "visit", visit_type_words(kind), words, c.name(author), "visit", vid
        )
    return out


# -- oversight notes: on a visit, and case notes ------------------------------------------------


def _on_visit(on_visit: bool) -> Any:
    v = col(OversightNote.visit_id)
    return v.is_not(None) if on_visit else v.is_(None)


def _note_keys(on_visit: bool) -> Keys:
    def keys(child_id: Any, t: SqlTime) -> Sequence[Any]:
        sid = col(OversightNote.visit_id) if on_visit else col(OversightNote.id)
        return [
            key_select(t.utc(col(OversightNote.created_at)), sid, col(OversightNote.id), 0).where(
                col(OversightNote.child_id) == child_id, _on_visit(on_visit)
            )
        ]

    return keys


def _notes(c: Context, keys: list[Key] | None, on_visit: bool) -> dict[Key, Entry]:
    # the columns an entry shows, not the whole note (a busy child has hundreds)
    q = sa.select(
        col(OversightNote.id),
        col(OversightNote.visit_id),
        col(OversightNote.manager_id),
        col(OversightNote.decision),
        col(OversightNote.created_at),
    ).where(col(OversightNote.child_id) == c.child_id, _on_visit(on_visit))
    rows = c.s.execute(only(q, col(OversightNote.id), ids_of(keys))).all()
    c.need(r[2] for r in rows)
    title = "Management oversight of a visit" if on_visit else "Case note (management oversight)"
    return {
        (nid, 0): Entry(
            c.local(at),
            "oversight" if on_visit else "case_note",
            title,
            decision,
            c.name(manager),
            "visit" if on_visit else "case_note",
            (vid or 0) if on_visit else nid,
        )
        for nid, vid, manager, decision, at in rows
    }


@source("oversight", _note_keys(True))
def _oversight(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    return _notes(c, keys, on_visit=True)


@source("case_note", _note_keys(False))
def _case_notes(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    return _notes(c, keys, on_visit=False)


# -- supervision case discussions ---------------------------------------------------------------


def _supervision_keys(child_id: Any, t: SqlTime) -> Sequence[Any]:
    return [
        key_select(t.day(col(Supervision.held_on)), col(Supervision.id), col(SupervisionCase.id), 0)
        .select_from(SupervisionCase)
        .join(Supervision, col(Supervision.id) == SupervisionCase.supervision_id)
        .where(col(SupervisionCase.child_id) == child_id)
    ]


@source("supervision", _supervision_keys)
def _supervision(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    q = (
        sa.select(
            col(SupervisionCase.id),
            col(SupervisionCase.decision),
            col(Supervision.id),
            col(Supervision.held_on),
            col(Supervision.manager_id),
        )
        .join(Supervision, col(Supervision.id) == SupervisionCase.supervision_id)
        .where(col(SupervisionCase.child_id) == c.child_id)
    )
    rows = c.s.execute(only(q, col(SupervisionCase.id), ids_of(keys))).all()
    c.need(r[4] for r in rows)
    return {
        (case_id, 0): Entry(
            midnight(held_on),
            "supervision",
            "Discussed in supervision",
            decision,
            c.name(manager),
            "supervision",
            sid,
        )
        for case_id, decision, sid, held_on, manager in rows
    }


# -- plans and placements: their starts (part 0) and ends (part 1) ------------------------------


def _span_keys(model: Any) -> Keys:
    def keys(child_id: Any, t: SqlTime) -> Sequence[Any]:
        mine = col(model.child_id) == child_id
        return [
            key_select(t.day(col(model.start_on)), col(model.id), col(model.id), 0).where(mine),
            key_select(t.day(col(model.end_on)), col(model.id), col(model.id), 1).where(
                mine, col(model.end_on).is_not(None)
            ),
        ]

    return keys


def _spans(c: Context, keys: list[Key] | None, model: Any, detail: Any) -> list[Any]:
    q = sa.select(
        col(model.id),
        col(detail),
        col(model.start_on),
        col(model.end_on),
        col(model.recorded_by_id),
    ).where(col(model.child_id) == c.child_id)
    rows = c.s.execute(only(q, col(model.id), ids_of(keys))).all()
    c.need(r[4] for r in rows)
    return list(rows)


@source("plan", _span_keys(ChildPlan))
def _plans(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    out: dict[Key, Entry] = {}
    for pid, kind, start_on, end_on, by in _spans(c, keys, ChildPlan, ChildPlan.plan_type):
        label, who = PLAN_KINDS.get(kind, kind), c.name(by)
        out[pid, 0] = Entry(
            midnight(start_on), "plan", f"{label} plan started", "", who, "plan", pid
        )
        if end_on is not None:
            out[pid, 1] = Entry(
                midnight(end_on), "plan", f"{label} plan ended", "", who, "plan", pid
            )
    return out


@source("placement", _span_keys(Placement))
def _placements(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    out: dict[Key, Entry] = {}
    rows = _spans(c, keys, Placement, Placement.placement_type)
    for pid, kind, start_on, end_on, by in rows:
        label, who = PLACEMENT_TYPES.get(kind, kind), c.name(by)
        out[pid, 0] = Entry(
            midnight(start_on), "placement", "Placement began", label, who, "placement", pid
        )
        if end_on is not None:
            out[pid, 1] = Entry(
                midnight(end_on), "placement", "Placement ended", label, who, "placement", pid
            )
    return out


# -- allocations: the administrator's allocate (part 0), co-workers named (1) and ended (2) -----


def _allocated(child_id: Any) -> tuple[Any, ...]:
    return (
        col(AuditEvent.entity) == "child",
        col(AuditEvent.entity_id) == child_id,
        col(AuditEvent.action) == "allocate",
        col(AuditEvent.outcome) == "ok",
    )


def _allocation_keys(child_id: Any, t: SqlTime) -> Sequence[Any]:
    co = col(ChildCoWorker.child_id) == child_id
    child = sa.cast(child_id, sa.Integer)
    return [
        key_select(t.utc(col(AuditEvent.at)), child, col(AuditEvent.id), 0).where(
            *_allocated(child_id)
        ),
        key_select(t.day(col(ChildCoWorker.start_on)), child, col(ChildCoWorker.id), 1).where(co),
        key_select(t.day(col(ChildCoWorker.end_on)), child, col(ChildCoWorker.id), 2).where(
            co, col(ChildCoWorker.end_on).is_not(None)
        ),
    ]


@source("allocation", _allocation_keys)
def _allocations(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    """Allocation changes (the administrator's ``allocate``, its audit event naming the
    worker) and co-workers named and ended."""
    out: dict[Key, Entry] = {}
    audited = ids_of(keys, 0)
    if audited is None or audited:
        q = sa.select(
            col(AuditEvent.id), col(AuditEvent.at), col(AuditEvent.actor_id), col(AuditEvent.detail)
        ).where(*_allocated(c.child_id))
        rows = c.s.execute(only(q, col(AuditEvent.id), audited)).all()
        c.need([r[2] for r in rows] + [_worker_in(r[3]) for r in rows])
        for aid, at, actor, detail in rows:
            worker = _worker_in(detail)
            title = f"Allocated to {c.name(worker)}" if worker is not None else "Allocation changed"
            out[aid, 0] = Entry(
                c.local(at), "allocation", title, "", c.name(actor), "child", c.child_id
            )
    co_ids = None if keys is None else sorted({rid for rid, p in keys if p in (1, 2)})
    if co_ids is None or co_ids:
        named = sa.select(
            col(ChildCoWorker.id),
            col(ChildCoWorker.worker_id),
            col(ChildCoWorker.start_on),
            col(ChildCoWorker.end_on),
            col(ChildCoWorker.added_by_id),
            col(ChildCoWorker.ended_by_id),
        ).where(col(ChildCoWorker.child_id) == c.child_id)
        co_rows = c.s.execute(only(named, col(ChildCoWorker.id), co_ids)).all()
        c.need(i for r in co_rows for i in (r[1], r[4], r[5]))
        for rid, worker, start_on, end_on, added_by, ended_by in co_rows:
            name = c.name(worker)
            out[rid, 1] = Entry(
                midnight(start_on),
                "allocation",
                f"{name} named co-worker",
                "",
                c.name(added_by),
                "child",
                c.child_id,
            )
            if end_on is not None:
                out[rid, 2] = Entry(
                    midnight(end_on),
                    "allocation",
                    f"{name} no longer co-worker",
                    "",
                    c.name(ended_by),
                    "child",
                    c.child_id,
                )
    return out


def _worker_in(detail: str) -> int | None:
    for part in (detail or "").split():
        if part.startswith("worker=") and part[7:].isdigit():
            return int(part[7:])
    return None


# -- addenda, significant events and contacts ---------------------------------------------------


def _addendum_keys(child_id: Any, t: SqlTime) -> Sequence[Any]:
    return [
        key_select(
            t.utc(col(Addendum.created_at)), col(Addendum.visit_id), col(Addendum.id), 0
        ).where(col(Addendum.child_id) == child_id)
    ]


@source("addendum", _addendum_keys)
def _addenda(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    q = sa.select(
        col(Addendum.id),
        col(Addendum.visit_id),
        col(Addendum.author_id),
        col(Addendum.reason),
        col(Addendum.created_at),
    ).where(col(Addendum.child_id) == c.child_id)
    rows = c.s.execute(only(q, col(Addendum.id), ids_of(keys))).all()
    c.need(r[2] for r in rows)
    return {
        (aid, 0): Entry(
            c.local(at),
            "addendum",
            "Addendum to a visit record",
            reason,
            c.name(author),
            "visit",
            vid,
        )
        for aid, vid, author, reason, at in rows
    }


def _event_keys(child_id: Any, t: SqlTime) -> Sequence[Any]:
    e = SignificantEvent
    return [
        key_select(t.day(col(e.occurred_on)), col(e.id), col(e.id), 0).where(
            col(e.child_id) == child_id
        )
    ]


@source("event", _event_keys)
def _events(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    e = SignificantEvent
    q = sa.select(
        col(e.id), col(e.occurred_on), col(e.what), col(e.source), col(e.impact), col(e.author_id)
    ).where(col(e.child_id) == c.child_id)
    rows = c.s.execute(only(q, col(e.id), ids_of(keys))).all()
    c.need(r[5] for r in rows)
    return {
        (eid, 0): Entry(
            midnight(on),
            "event",
            what,
            f"Source: {source_}. Impact on the child: {impact}",
            c.name(author),
            "event",
            eid,
        )
        for eid, on, what, source_, impact, author in rows
    }


def _decided(child_id: Any) -> tuple[Any, ...]:
    return (col(Contact.child_id) == child_id, col(Contact.decided_at).is_not(None))


def _contact_keys(child_id: Any, t: SqlTime) -> Sequence[Any]:
    return [
        key_select(t.local(col(Contact.received_at)), col(Contact.id), col(Contact.id), 0).where(
            *_decided(child_id)
        )
    ]


@source("contact", _contact_keys)
def _contacts(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    """Decided contacts with their one outcome, NFA and domestic-abuse notifications
    included (DOMAIN.md); one awaiting its decision is not yet part of the record."""
    from recorder.domain.contacts import ContactKind, Outcome, source_name

    # the columns an entry shows, not ORM objects (a busy child has hundreds)
    q = sa.select(
        col(Contact.id),
        col(Contact.kind),
        col(Contact.source_code),
        col(Contact.outcome),
        col(Contact.concern),
        col(Contact.risk_level),
        col(Contact.children_present),
        col(Contact.reason),
        col(Contact.received_at),
        col(Contact.decided_by_id),
    ).where(*_decided(c.child_id))
    rows = c.s.execute(only(q, col(Contact.id), ids_of(keys))).all()
    c.need(r[9] for r in rows)
    da_kind = ContactKind.DOMESTIC_ABUSE.value
    labels = {o.value: o.label for o in Outcome}
    out: dict[Key, Entry] = {}
    for cid, kind, code, outcome, concern, risk, present, reason, at, by in rows:
        da = kind == da_kind
        what = "Domestic-abuse notification" if da else f"Contact from {source_name(code)}"
        summary = concern
        if da:
            summary += f" Risk level: {risk}. Children present: {present}"
        out[cid, 0] = Entry(
            at,
            "contact",
            f"{what}: {labels.get(outcome, '') if outcome else ''}",
            f"{summary} Reason for the decision: {reason}",
            c.name(by),
            "contact",
            cid,
        )
    return out


# -- tracked actions: set (part 0) and done (part 1) --------------------------------------------


def _action_keys(child_id: Any, t: SqlTime) -> Sequence[Any]:
    a = TrackedAction
    mine = col(a.child_id) == child_id
    sid = sa.func.coalesce(col(a.visit_id), col(a.id))
    return [
        key_select(t.utc(col(a.created_at)), sid, col(a.id), 0).where(mine),
        key_select(t.utc(col(a.done_at)), sid, col(a.id), 1).where(
            mine, col(a.done_at).is_not(None)
        ),
    ]


@source("action", _action_keys)
def _actions(c: Context, keys: list[Key] | None) -> dict[Key, Entry]:
    """Tracked actions on the child (issue 13): when each was set, and when it was done."""
    from recorder.domain.actions import SourceKind

    a = TrackedAction
    q = sa.select(
        col(a.id),
        col(a.source_kind),
        col(a.what),
        col(a.assignee_id),
        col(a.assignee_text),
        col(a.due_on),
        col(a.visit_id),
        col(a.created_by_id),
        col(a.created_at),
        col(a.done_at),
        col(a.done_note),
        col(a.done_by_id),
    ).where(col(a.child_id) == c.child_id)
    rows = c.s.execute(only(q, col(a.id), ids_of(keys))).all()
    c.need(i for r in rows for i in (r[3], r[7], r[11]))
    labels = {k.value: k.label for k in SourceKind}
    out: dict[Key, Entry] = {}
    for row in rows:
        aid, source_kind, what, assignee, assignee_text, due_on, visit_id = row[:7]
        created_by, created_at, done_at, done_note, done_by = row[7:]
        who = c.name(assignee) or assignee_text
        due = f", by {due_on.day} {due_on:%b %Y}" if due_on else ""
        opens = ("visit", visit_id) if visit_id is not None else ("action", aid)
        out[aid, 0] = Entry(
            c.local(created_at),
            "action",
            f"{labels.get(source_kind, source_kind)}: {what}",
            f"For {who or 'no one named'}{due}.",
            c.name(created_by),
            *opens,
        )
        if done_at is not None:
            out[aid, 1] = Entry(
                c.local(done_at),
                "action",
                f"Action done: {what}",
                done_note,
                c.name(done_by),
                *opens,
            )
    return out
