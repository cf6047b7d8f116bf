"""Contacts as the screens read them (audited reads), and ``recorder check``'s verification
of their signatures. What is recorded and decided is ``services.contacts``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Sequence

from sqlmodel import Session, col, select

from recorder.domain import contacts as C
from recorder.domain.timescales import describe_due, working_days_for
from recorder.services.core import Op, Services, require
from recorder.services.errors import NotAllowed
from recorder.store.models import Child, Contact, ContactAddendum, Worker

__all__ = [
    "ContactView",
    "contacts_for_child",
    "contacts_awaiting_decision",
    "contacts_awaiting_referrer",
]


@dataclass(frozen=True)
class ContactView:
    """A contact as the screens show it (plain values)."""

    id: int
    child_id: int
    child_name: str
    child_reference: str
    kind: C.ContactKind
    received_at: datetime
    source_code: str
    source_name: str
    referrer: str
    concern: str
    checked: str
    household_id: int | None
    incident_date: date | None
    risk_level: str
    children_present: str
    recorded_by: str
    outcome: C.Outcome | None
    reason: str
    decided_by: str
    decided_at: datetime | None
    referrer_told_on: date | None
    addenda: tuple[tuple[str, str, str], ...] = ()  # (author, reason, text)
    #: "Referrer not told: 2 working days overdue" and the like ("" when nothing is due)
    referrer_due: str = ""

    @property
    def outcome_label(self) -> str:
        return self.outcome.label if self.outcome else "Awaiting a manager's decision"


# -- reads (audited) -------------------------------------------------------------------------


def _names(s: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {w.id: w.full_name for w in s.exec(select(Worker).where(col(Worker.id).in_(wanted)))}


def _referrer_due(svc: Services, row: Contact) -> tuple[date | None, str]:
    """When the referrer must be told by, and that in words while they are not told."""
    if row.decided_at is None or row.referrer_told_on is not None:
        return None, ""
    wd = working_days_for(svc.policy.bank_holiday_region)
    due = wd.add_working_days(
        svc.local_date(row.decided_at), svc.policy.referrer_told_within_working_days
    )
    return due, f"Referrer not told: {describe_due(due, svc.today(), wd)}"


def _views(svc: Services, s: Session, rows: Sequence[Contact]) -> list[ContactView]:
    kids = (
        {
            c.id: c
            for c in s.exec(select(Child).where(col(Child.id).in_({r.child_id for r in rows})))
        }
        if rows
        else {}
    )
    people: set[int | None] = {r.recorded_by_id for r in rows}
    names = _names(s, people | {r.decided_by_id for r in rows})
    addenda: dict[int, list[ContactAddendum]] = {}
    if rows:
        for a in s.exec(
            select(ContactAddendum)
            .where(col(ContactAddendum.contact_id).in_([r.id for r in rows]))
            .order_by(col(ContactAddendum.id))
        ):
            addenda.setdefault(a.contact_id, []).append(a)
    authors = _names(s, {a.author_id for v in addenda.values() for a in v})
    out = []
    for r in rows:
        child = kids[r.child_id]
        out.append(
            ContactView(
                id=r.id,
                child_id=r.child_id,
                child_name=child.full_name,
                child_reference=child.reference,
                kind=C.ContactKind(r.kind),
                received_at=r.received_at,
                source_code=r.source_code,
                source_name=C.source_name(r.source_code),
                referrer=r.referrer,
                concern=r.concern,
                checked=r.checked,
                household_id=r.household_id,
                incident_date=r.incident_date,
                risk_level=r.risk_level,
                children_present=r.children_present,
                recorded_by=names.get(r.recorded_by_id, ""),
                outcome=C.Outcome(r.outcome) if r.outcome else None,
                reason=r.reason,
                decided_by=names.get(r.decided_by_id, "") if r.decided_by_id else "",
                decided_at=r.decided_at,
                referrer_told_on=r.referrer_told_on,
                addenda=tuple(
                    (authors.get(a.author_id, ""), a.reason, a.text) for a in addenda.get(r.id, [])
                ),
                referrer_due=_referrer_due(svc, r)[1],
            )
        )
    return out


def contacts_for_child(svc: Services, actor_id: int, child_id: int) -> list[ContactView]:
    """A child's contacts, newest received first (audited read: whoever may read the child)."""

    def run(op: Op) -> list[ContactView]:
        s = op.session
        c = s.get(Child, child_id)
        actor = svc.actor(s, actor_id)
        require(
            C.may_read_contacts(
                actor, c.team_id if c else None, c.allocated_worker_id if c else None
            )
        )
        assert c is not None  # may_read_contacts refuses an unknown child
        rows = s.exec(
            select(Contact)
            .where(Contact.child_id == child_id)
            .order_by(col(Contact.received_at).desc(), col(Contact.id).desc())
        ).all()
        op.detail = f"rows={len(rows)}"
        return _views(svc, s, rows)

    return svc.change(actor_id, "view_contacts", "child", child_id, run)


def _manager_rows(svc: Services, s: Session, actor_id: int, *conditions: Any) -> list[Contact]:
    actor = svc.actor(s, actor_id)
    if not actor.reads_cases or not actor.managed_team_ids:
        raise NotAllowed(
            "Only a team manager or service manager has contacts to decide and follow up.",
            audit_detail="not_manager",
        )
    return list(
        s.exec(
            select(Contact)
            .where(col(Contact.team_id).in_(actor.managed_team_ids), *conditions)
            .order_by(col(Contact.received_at), col(Contact.id))
        ).all()
    )


def contacts_awaiting_decision(svc: Services, actor_id: int) -> list[ContactView]:
    """The contacts of the teams a manager manages that wait for their decision, oldest
    received first (audited read)."""

    def run(op: Op) -> list[ContactView]:
        s = op.session
        rows = _manager_rows(svc, s, actor_id, col(Contact.decided_at).is_(None))
        op.detail = f"rows={len(rows)}"
        return _views(svc, s, rows)

    return svc.change(actor_id, "view_contacts_to_decide", "worker", actor_id, run)


def contacts_awaiting_referrer(svc: Services, actor_id: int) -> list[ContactView]:
    """Decided contacts of the manager's teams whose referrer has not been told within the
    policy's working days of the decision (``referrer_told_within_working_days``), the
    longest overdue first (audited read)."""

    def run(op: Op) -> list[ContactView]:
        s = op.session
        rows = _manager_rows(
            svc,
            s,
            actor_id,
            col(Contact.decided_at).is_not(None),
            col(Contact.referrer_told_on).is_(None),
        )
        today = svc.today()
        late = []
        for r in rows:
            due, _words = _referrer_due(svc, r)
            if due is not None and today > due:
                late.append((due, r.id, r))
        late.sort(key=lambda t: (t[0], t[1]))
        op.detail = f"rows={len(late)}"
        return _views(svc, s, [r for _d, _i, r in late])

    return svc.change(actor_id, "view_referrers_not_told", "worker", actor_id, run)


def contact_signature_payload(s: Session, sig: Any):
    """What a contact's signature (a decision, or an addendum to one) should have signed, and
    which record it is, for ``recorder check``; (None, problem) when its record is missing."""
    from recorder.domain import signing as S
    from recorder.services.contacts import decision_payload_of
    from recorder.store.models import Signature

    if sig.meaning == S.CONTACT_DECISION_MEANING:
        row = s.exec(select(Contact).where(Contact.signature_id == sig.id)).first()
        if row is None or row.outcome is None:
            return None, f"signature {sig.id} (contact decision): its contact is missing"
        return decision_payload_of(row, row.outcome, row.reason), f"decision on contact {row.id}"
    a = s.exec(select(ContactAddendum).where(ContactAddendum.signature_id == sig.id)).first()
    row = s.get(Contact, a.contact_id) if a else None
    if a is None or row is None:
        return None, f"signature {sig.id} (contact addendum): its addendum is missing"
    decision = s.get(Signature, row.signature_id) if row.signature_id else None
    payload = S.contact_addendum_payload(
        row.id, a.reason, a.text, a.author_id, decision.content_sha256 if decision else None
    )
    return payload, f"addendum {a.id} to contact {row.id}"


@dataclass(frozen=True)
class ReferralSeen:
    """A referred child not yet seen, and seen alone, since the referral."""

    child_id: int
    referred_on: date
    due: date
    words: str  # "Referred on 26 Nov 2026: to be seen, and seen alone, due in 3 working days"
    due_words: str = ""  # "due in 3 working days"

    @property
    def overdue(self) -> bool:
        return "overdue" in self.words


def referrals_to_see(
    svc: Services, s: Session, child_ids: Sequence[int]
) -> dict[int, ReferralSeen]:
    """Per child of ``child_ids`` whose latest decided contact was a referral for assessment
    or a section 47 enquiry, and who has not been seen, and seen alone, on a recorded visit
    (any but a draft) since the day of the decision: when they must be, in words. The caller
    has checked who may read these children."""
    from recorder.store.models import Visit, VisitSection

    if not child_ids:
        return {}
    latest: dict[int, Contact] = {}
    for r in s.exec(
        select(Contact)
        .where(col(Contact.child_id).in_(list(child_ids)), col(Contact.decided_at).is_not(None))
        .order_by(col(Contact.decided_at), col(Contact.id))
    ):
        latest[r.child_id] = r
    referred = {
        cid: svc.local_date(r.decided_at)
        for cid, r in latest.items()
        if r.decided_at is not None and r.outcome in {o.value for o in C.SEEN_AFTER}
    }
    if not referred:
        return {}
    alone: dict[int, list[date]] = {}
    rows = s.exec(
        select(Visit.child_id, Visit.visit_at, VisitSection.data)
        .join(VisitSection, col(VisitSection.visit_id) == Visit.id)
        .where(
            col(Visit.child_id).in_(list(referred)),
            Visit.state != "draft",
            VisitSection.section == "seen",
        )
    ).all()
    for cid, at, data in rows:
        data = data or {}
        if at is not None and data.get("child_seen") == "yes" and data.get("seen_alone") == "yes":
            alone.setdefault(cid, []).append(at.date())
    wd = working_days_for(svc.policy.bank_holiday_region)
    n = svc.policy.referral_seen_within_working_days
    today = svc.today()
    out: dict[int, ReferralSeen] = {}
    for cid, day in referred.items():
        due = C.referral_seen_due(day, alone.get(cid, []), wd.add_working_days(day, n))
        if due is not None:
            words = C.referral_seen_words(day, describe_due(due, today, wd))
            out[cid] = ReferralSeen(cid, day, due, words, describe_due(due, today, wd))
    return out


def contact_counts(s: Session, svc: Services, team_ids: Sequence[int]) -> tuple[int, int]:
    """For a manager's home: the contacts of ``team_ids`` waiting for a decision, and the
    decided ones whose referrer has not been told within the policy's working days. Counts
    only (the caller has checked the reader manages these teams)."""
    if not team_ids:
        return 0, 0
    rows = s.exec(
        select(Contact).where(
            col(Contact.team_id).in_(list(team_ids)), col(Contact.referrer_told_on).is_(None)
        )
    ).all()
    waiting = sum(1 for r in rows if r.decided_at is None)
    today = svc.today()
    late = 0
    for r in rows:
        due, _words = _referrer_due(svc, r)
        if due is not None and today > due:
            late += 1
    return waiting, late
