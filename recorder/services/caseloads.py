"""What a worker reads of their children: the caseload, the team's children and one child's
record (the profile, the plan in force, visits, notes and case discussions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from recorder.domain import identity, plans, timescales
from recorder.domain.contacts import may_record_contact
from recorder.domain.workflow import (
    Decision,
    deny,
    finds_whole_team,
    may_add_case_note,
    may_see_caseload_of,
)
from recorder.services.access import readable_child
from recorder.services.carers import CarerView, carers_of
from recorder.services.children import PLAN_TYPES
from recorder.services.core import Op, Services, require
from recorder.services.directions import DiscussionView, discussions_for_child
from recorder.services.errors import NotAllowed
from recorder.services.notes import NoteView, notes_for_child
from recorder.services.queries import (
    conflict_copies,
    plan_records,
    statutory_clocks,
)
from recorder.store.models import Child, Worker


@dataclass(frozen=True)
class CaseloadRow:
    """One allocated child as the caseload shows them."""

    id: int
    reference: str
    name: str
    age: int
    plan: str
    last_visit: date | None = None  # last signed-off visit that counted as statutory
    next_due: date | None = None  # next statutory visit due
    due_words: str = ""  # "due in 3 working days", "overdue by 2 working days"
    drafts: int = 0  # the reader's drafts in progress for the child
    returned: int = 0  # of those, returned for changes
    worker: str = ""  # who holds the case ("" when nobody does)
    allocated_to_reader: bool = True  # on the reader's own caseload
    co_worker: bool = False  # the reader is a named co-worker on the child (not its holder)
    #: a referred child not yet seen, and seen alone: "Referred on 26 Nov 2026: to be seen,
    #: and seen alone, due in 3 working days" ("" when none is due; issue 13 item 3)
    referral: str = ""
    referral_due: str = ""  # the same, short: "due in 3 working days"


def _refuse_administrator(svc: Services, actor_id: int, action: str) -> None:
    # a refusal is audited, like every other (issue 5, part 8)
    error = NotAllowed("Administrators manage accounts and cannot read case records.")
    with svc.writing() as w:
        svc.audit(w, actor_id, action, "worker", actor_id, "refused", error.audit_detail)
    raise error


def caseload(svc: Services, actor_id: int, worker_id: int | None = None) -> list[CaseloadRow]:
    """The children allocated to a worker (the reader, or ``worker_id`` for a manager of
    that worker's team), soonest statutory visit first.

    Administrators read no case records. Due dates come from the last signed-off visit that
    counted as statutory (a failed-access visit, or an unqualified worker's visit without a
    registered colleague, leaves the visit due).
    """
    whose = actor_id if worker_id is None else worker_id
    if whose != actor_id:
        return _worker_caseload(svc, actor_id, whose)
    with svc.reading() as s:
        actor = svc.actor(s, actor_id)
        if not actor.reads_cases:
            _refuse_administrator(svc, actor_id, "caseload")
        return _rows(svc, s, actor_id, _held_or_co_worked(svc, s, actor_id))


def _worker_caseload(svc: Services, actor_id: int, worker_id: int) -> list[CaseloadRow]:
    """A colleague's caseload, for a manager of their team (audited as a view)."""

    def run(op: Op) -> list[CaseloadRow]:
        s = op.session
        actor = svc.actor(s, actor_id)
        w = s.get(Worker, worker_id)
        require(may_see_caseload_of(actor, worker_id, w.team_id if w else None))
        assert w is not None  # the rule refuses a worker who is not there
        kids = _held_or_co_worked(svc, s, w.id)
        op.detail = f"rows={len(kids)}"
        return _rows(svc, s, actor_id, kids, w.id)

    return svc.change(actor_id, "view_caseload", "worker", worker_id, run)


def _held_or_co_worked(svc: Services, s: Session, worker_id: int) -> list[Child]:
    """The children a worker holds, and those they are a co-worker on today."""
    from recorder.services.coworkers import co_worker_child_ids

    co = co_worker_child_ids(s, worker_id, svc.today())
    mine = col(Child.allocated_worker_id) == worker_id
    where = mine | col(Child.id).in_(co) if co else mine
    return list(s.exec(select(Child).where(where).order_by(col(Child.full_name), col(Child.id))))


def team_children(svc: Services, actor_id: int) -> list[CaseloadRow]:
    """Every child of the teams the reader manages, whoever holds them (what a manager's
    find and command palette search). Anyone else gets their own caseload: a worker's reach
    is the children allocated to them (``domain.workflow.finds_whole_team``)."""
    with svc.reading() as s:
        actor = svc.actor(s, actor_id)
        if not actor.reads_cases:
            _refuse_administrator(svc, actor_id, "team_children")
        from sqlalchemy import or_

        from recorder.services.coworkers import co_worker_child_ids

        co = co_worker_child_ids(s, actor_id, svc.today())
        mine = col(Child.allocated_worker_id) == actor_id
        if co:
            mine = mine | col(Child.id).in_(co)
        teams = sorted(actor.managed_team_ids) if finds_whole_team(actor) else []
        where = or_(mine, col(Child.team_id).in_(teams)) if teams else mine
        kids = s.exec(select(Child).where(where).order_by(col(Child.full_name), col(Child.id)))
        return _rows(svc, s, actor_id, list(kids))


def _rows(
    svc: Services, s: Session, reader_id: int, kids: list[Child], whose: int | None = None
) -> list[CaseloadRow]:
    """Caseload rows for ``reader_id``; co-workers marked for ``whose`` (default the reader)."""
    from sqlalchemy import func as sa_func

    from recorder.domain.validation import age_on
    from recorder.store.models import ReturnComment, Visit

    today = svc.today()
    ids = [c.id for c in kids]
    clocks = statutory_clocks(svc, s, kids)
    mine = (col(Visit.child_id).in_(ids), Visit.author_id == reader_id, Visit.state == "draft")
    drafts = (
        dict(
            s.exec(
                select(Visit.child_id, sa_func.count(col(Visit.id)))
                .where(*mine)
                .group_by(col(Visit.child_id))
            ).all()
        )
        if ids
        else {}
    )
    returned = (
        dict(
            s.exec(
                select(Visit.child_id, sa_func.count(sa_func.distinct(col(Visit.id))))
                .join(ReturnComment, col(ReturnComment.visit_id) == Visit.id)
                .where(*mine)
                .group_by(col(Visit.child_id))
            ).all()
        )
        if ids
        else {}
    )
    holders = {c.allocated_worker_id for c in kids if c.allocated_worker_id}
    names: dict[int, str] = (
        dict(s.exec(select(Worker.id, Worker.full_name).where(col(Worker.id).in_(holders))).all())
        if holders
        else {}
    )
    from recorder.services.coworkers import co_worker_child_ids

    holder = reader_id if whose is None else whose
    co_worked = set(co_worker_child_ids(s, holder, today))
    from recorder.services.contact_reads import referrals_to_see

    referrals = referrals_to_see(svc, s, ids)
    rows = []
    for c in kids:
        clock = clocks[c.id]
        kind = clock.plan.kind if clock.plan is not None else "none"
        rows.append(
            CaseloadRow(
                c.id,
                c.reference,
                c.full_name,
                age_on(c.date_of_birth, today),
                PLAN_TYPES.get(kind, kind),
                clock.last_visit,
                clock.due,
                clock.words,
                drafts.get(c.id, 0),
                returned.get(c.id, 0),
                names.get(c.allocated_worker_id or 0, ""),
                c.allocated_worker_id == reader_id,
                c.allocated_worker_id != holder and c.id in co_worked,
                referrals[c.id].words if c.id in referrals else "",
                referrals[c.id].due_words if c.id in referrals else "",
            )
        )
    rows.sort(key=lambda r: (r.next_due is None, r.next_due or date.max, r.name))
    return rows


@dataclass(frozen=True)
class VisitSummary:
    id: int
    visit_at: datetime | None
    visit_type: str | None
    state: str
    state_label: str
    author_id: int
    author_name: str
    returned: bool
    counts_as_statutory: bool
    #: "Meaning: name, role" for each signature on the visit, in the order they were made
    signatures: tuple[str, ...] = ()
    #: the author is an unqualified worker (show the countersign badge beside their name)
    author_needs_countersign: bool = False
    #: a draft kept after a conflict (another window's text): when it was kept, UTC
    copy_kept_at: datetime | None = None


@dataclass(frozen=True)
class ChildView:
    id: int
    reference: str
    name: str
    date_of_birth: date
    age: int
    ethnicity: str
    religion: str
    first_language: str
    interpreter_needed: bool
    disability: str
    plan_type: str
    plan: str
    plan_start: date | None
    plan_risks: tuple[str, ...]
    allocated_worker: str | None
    last_visit: date | None
    next_due: date | None
    due_words: str
    visits: tuple[VisitSummary, ...]
    #: case-level management oversight notes (not on a visit), oldest first
    notes: tuple[NoteView, ...] = ()
    #: may the reader add a case-level oversight note (``domain.workflow.may_add_case_note``)
    may_add_case_note: Decision = deny("")
    #: supervision case discussions about this child, oldest first
    discussions: tuple[DiscussionView, ...] = ()
    #: the rule that set the next statutory visit's date ("reg 28(2)(a): within 7 days ...")
    due_rule: str = ""
    #: private fostering: the day the council was notified
    notified_on: date | None = None
    #: what the conference or review set for the plan in force (None: the policy's default)
    visit_every_working_days: int | None = None
    seen_alone_every_working_days: int | None = None
    frequency_set_by: str = ""
    frequency_set_on: date | None = None
    #: a looked-after child's placement in force: its type in words and its start
    placement: str = ""
    placement_start: date | None = None
    #: when the plan sets how often the child is seen alone: when next, in words
    seen_alone_due: date | None = None
    seen_alone_words: str = ""
    #: named co-workers in force (students, trainees ...; DOMAIN.md "Case holding")
    co_workers: tuple[str, ...] = ()
    #: ``ethnicity`` and ``disability`` above are shown by name (``domain.identity``); these
    #: are the census codes themselves, and sex (a code), gender identity and communication
    #: needs
    ethnicity_code: str = ""
    disability_codes: tuple[str, ...] = ()
    sex: str = ""
    gender_identity: str = ""
    communication_needs: str = ""
    #: the child's parents and carers, with their language and interpreter need
    carers: tuple[CarerView, ...] = ()
    #: may the reader record a contact about this child (``domain.contacts``)
    may_record_contact: Decision = deny("")
    #: "Not seen on the last 2 visits; last seen 40 days ago, on ..." ("" when seen)
    not_seen: str = ""


def describe_due(due: date, today: date, policy) -> str:
    from recorder.domain import timescales

    return timescales.describe_due(
        due, today, timescales.working_days_for(policy.bank_holiday_region)
    )


#: what the child's record reads of a visit's "seen" section (not seen; seen alone)
_SEEN_KEYS = ("child_seen", "seen_alone")


def _seen_sections(s: Session, child_id: int) -> dict[int, dict]:
    """The "seen" section of each of the child's signed-off visits, by visit id: the answers
    in ``_SEEN_KEYS``, taken out of the JSON by the database (SQLite ``json_extract``,
    PostgreSQL ``->>``), not each section parsed whole (500 visits: most of the read)."""
    from recorder.store.models import Visit, VisitSection

    data = col(VisitSection.data)
    rows = s.execute(
        sa_select(col(VisitSection.visit_id), *(data[k].as_string() for k in _SEEN_KEYS))
        .join(Visit, col(Visit.id) == VisitSection.visit_id)
        .where(
            col(Visit.child_id) == child_id,
            col(Visit.state) == "signed_off",
            col(VisitSection.section) == "seen",
        )
    ).all()
    return {
        vid: {k: v for k, v in zip(_SEEN_KEYS, answers) if v is not None} for vid, *answers in rows
    }


def _seen_alone_due(
    svc: Services, c: Child, visits, seen: dict[int, dict], records
) -> timescales.Due | None:
    """When the child must next be seen alone, if the plan in force sets how often
    (``records``: the child's :func:`plan_records`)."""
    alone = [
        (v.visit_at.date(), v.visit_type)
        for v in visits
        if v.state == "signed_off"
        and v.counts_as_statutory
        and v.visit_at is not None
        and seen.get(v.id, {}).get("seen_alone") == "yes"
    ]
    return timescales.seen_alone_due(records[0], records[1], alone, svc.today(), svc.policy)


def child_view(svc: Services, actor_id: int, child_id: int) -> ChildView:
    """A child's profile and visits, newest first. Opening a child's record is audited.

    Drafts are the worker's own work in progress: a worker sees their own drafts, never a
    colleague's, and no draft is part of the child's record.
    """
    from recorder.domain.validation import age_on
    from recorder.domain.workflow import VisitState
    from recorder.store.models import ReturnComment, Signature, Visit, Worker

    def run(op: Op) -> ChildView:
        s = op.session
        actor = svc.actor(s, actor_id)
        c = readable_child(s, actor, child_id)
        op.entity_id = c.id
        from recorder.services.core import actor_of

        # the columns shown, as plain rows: not whole rows (500 visits, each with its JSON,
        # were most of it), nor ORM objects (made and tracked one by one, 5 ms for 500)
        vs = s.execute(
            sa_select(
                col(Visit.id),
                col(Visit.visit_at),
                col(Visit.visit_type),
                col(Visit.state),
                col(Visit.author_id),
                col(Visit.counts_as_statutory),
            )
            .where(col(Visit.child_id) == c.id)
            .order_by(col(Visit.visit_at).desc(), col(Visit.id).desc())
        ).all()
        # only the people named here: the visits' authors and the allocated worker
        people = {v.author_id for v in vs} | {c.allocated_worker_id}
        staff = s.exec(select(Worker).where(col(Worker.id).in_(people - {None}))).all()
        names: dict[int | None, str] = {w.id: w.full_name for w in staff}
        unqualified = {w.id for w in staff if actor_of(w).needs_countersign}
        returned_ids = set(
            s.exec(
                select(ReturnComment.visit_id)
                .join(Visit, col(Visit.id) == ReturnComment.visit_id)
                .where(Visit.child_id == c.id)
            ).all()
        )
        sigs: dict[int | None, list[str]] = {}
        for visit_id, meaning, signer, role in s.exec(
            select(
                Signature.visit_id, Signature.meaning, Signature.signer_name, Signature.signer_role
            )
            .where(Signature.child_id == c.id, Signature.visit_id != None)  # noqa: E711
            .order_by(col(Signature.id))
        ):
            sigs.setdefault(visit_id, []).append(f"{meaning}: {signer}, {role}")
        copies = conflict_copies(s, [v.id for v in vs if v.state == "draft"])
        summaries = tuple(
            VisitSummary(
                v.id,
                v.visit_at,
                v.visit_type,
                v.state,
                VisitState(v.state).label,
                v.author_id,
                names.get(v.author_id, ""),
                v.state == "draft" and v.id in returned_ids,
                v.counts_as_statutory,
                tuple(sigs.get(v.id, ())),
                v.author_id in unqualified,
                copies.get(v.id),
            )
            for v in vs
            if v.state != "draft" or v.author_id == actor.id
        )
        notes = tuple(notes_for_child(s, c.id, case_level_only=True))
        records = plan_records(s, [c])  # read once, for both clocks
        clock = statutory_clocks(svc, s, [c], records)[c.id]
        plan, placement = clock.plan, clock.placement
        kind = plan.kind if plan is not None else "none"
        freq = plans.frequency_in_force(plan, svc.today()) if plan is not None else None
        seen = _seen_sections(s, c.id)
        alone = _seen_alone_due(svc, c, vs, seen, records[c.id])
        from recorder.services.coworkers import co_worker_names

        return ChildView(
            c.id,
            c.reference,
            c.full_name,
            c.date_of_birth,
            age_on(c.date_of_birth, svc.today()),
            identity.ethnicity_shown(c.ethnicity, c.ethnicity_note),
            c.religion,
            c.first_language,
            c.interpreter_needed,
            identity.disability_shown(c.disability, c.disability_note),
            kind,
            PLAN_TYPES.get(kind, kind),
            plan.start if plan is not None else None,
            tuple(c.plan_risks or ()),
            names.get(c.allocated_worker_id),
            clock.last_visit,
            clock.due,
            clock.words,
            summaries,
            notes,
            may_add_case_note(actor, c.team_id),
            tuple(discussions_for_child(s, c.id)),
            due_rule=clock.rule,
            may_record_contact=may_record_contact(actor, c.team_id),
            notified_on=plan.notified_on if plan is not None else None,
            visit_every_working_days=freq.visit_every_working_days if freq else None,
            seen_alone_every_working_days=freq.seen_alone_every_working_days if freq else None,
            frequency_set_by=freq.set_by if freq else "",
            frequency_set_on=freq.set_on if freq else None,
            placement=plans.PLACEMENT_TYPES.get(placement.kind, placement.kind)
            if placement is not None
            else "",
            placement_start=placement.start if placement is not None else None,
            seen_alone_due=alone.on if alone is not None else None,
            seen_alone_words=describe_due(alone.on, svc.today(), svc.policy)
            if alone is not None
            else "",
            co_workers=tuple(co_worker_names(s, [c.id], svc.today()).get(c.id, ())),
            ethnicity_code=c.ethnicity,
            disability_codes=identity.split_codes(c.disability),
            sex=c.sex,
            gender_identity=c.gender_identity,
            communication_needs=c.communication_needs,
            carers=carers_of(s, c.id),
            not_seen=_not_seen(svc, vs, seen),
        )

    return svc.change(actor_id, "view_child", "child", child_id, run)


def _not_seen(svc: Services, visits, seen: dict[int, dict]) -> str:
    """Consecutive signed-off visits where the child was not seen, and since when (issue 13)."""
    from recorder.domain.progress import not_seen_words

    return not_seen_words(
        [
            (v.visit_at.date(), seen[v.id].get("child_seen") != "no")
            for v in visits
            if v.id in seen and v.visit_at is not None
        ],
        svc.today(),
    )
