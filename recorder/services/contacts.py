"""Contacts about a child, police domestic-abuse notifications among them (issue 13 items
1-3; DOMAIN.md "Contacts, referrals and the chronology").

A worker records a contact (:func:`record_contact`) for a known child, or for a child not yet
known, who is created with what is known; a police notification about a household records one
contact per child, linked (:func:`record_household_notification`). A manager decides it with
exactly one outcome and the reason, signing with their password (:func:`decide_contact`,
``signing.contact_decision_payload``; ``recorder check`` verifies it). The day the referrer was
told is recorded once (:func:`record_referrer_told`); :func:`contacts_awaiting_referrer` lists
those not told within the policy's working days. A decided contact never changes (triggers,
migration 0013); corrections are addenda (:func:`add_contact_addendum`). Every call is audited
(reads too); no case text goes into an audit event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from sqlmodel import Session, col, select

from recorder.domain import contacts as C
from recorder.domain.signing import (
    CONTACT_ADDENDUM_MEANING,
    CONTACT_DECISION_MEANING,
    contact_addendum_payload,
    contact_decision_payload,
)
from recorder.domain.text import clean, clean_line
from recorder.services.accounts import check_password
from recorder.services.core import Op, Services, require
from recorder.services.errors import InvalidInput, NotAllowed, NotFound
from recorder.services.queries import stored
from recorder.services.signatures import sign
from recorder.store.models import Child, Contact, ContactAddendum, Signature, Team, Worker

__all__ = [
    "NewChild",
    "DecisionResult",
    "record_contact",
    "record_household_notification",
    "decide_contact",
    "record_referrer_told",
    "add_contact_addendum",
    "decision_payload_of",
]


@dataclass(frozen=True)
class NewChild:
    """A child not yet known to the service: what the contact says of them."""

    full_name: str
    date_of_birth: date


@dataclass(frozen=True)
class DecisionResult:
    contact_id: int
    outcome: C.Outcome
    #: the domestic-abuse alert was raised by this decision (N notifications in M months)
    alert_raised: bool = False


# -- helpers -----------------------------------------------------------------------------


def _child(s: Session, reference: str) -> Child:
    ref = clean_line(reference)
    c = s.exec(select(Child).where(Child.reference == ref)).first()
    if c is None:
        raise NotFound(f"There is no child with reference '{ref}'.")
    return c


def _contact(s: Session, contact_id: int, *, lock: bool = False) -> Contact:
    q = select(Contact).where(Contact.id == contact_id)
    if lock:
        q = q.with_for_update()
    row = s.exec(q).first()
    if row is None:
        raise NotFound("That contact does not exist.")
    return row


def _team_for_new_child(s: Session, svc: Services, actor_id: int, team: str | None) -> int:
    actor = svc.actor(s, actor_id)
    if team:
        t = s.exec(select(Team).where(Team.name == clean_line(team))).first()
        if t is None:
            raise NotFound(f"There is no team named '{clean_line(team)}'.")
        return t.id
    if actor.team_id is not None:
        return actor.team_id
    if len(actor.managed_team_ids) == 1:
        return next(iter(actor.managed_team_ids))
    raise InvalidInput("Say which team the new child's contact is for.", audit_detail="no_team")


def _new_child(svc: Services, s: Session, nc: NewChild, team_id: int) -> Child:
    name = clean_line(nc.full_name)
    if not name:
        raise InvalidInput("A new child needs at least a name.")
    if len(name) > 200:
        raise InvalidInput("The child's name holds at most 200 characters.")
    if nc.date_of_birth > svc.today():
        raise InvalidInput("The date of birth cannot be in the future.")
    c = Child(
        reference=f"pending-{uuid.uuid4().hex[:20]}",
        full_name=name,
        date_of_birth=nc.date_of_birth,
        team_id=team_id,
        created_at=svc.now(),
    )
    s.add(c)
    s.flush()
    ref, n = f"C{c.id:06d}", 0
    while s.exec(select(Child.id).where(Child.reference == ref)).first() is not None:
        n += 1
        ref = f"C{c.id:06d}-{n}"
    c.reference = ref
    s.add(c)
    s.flush()
    return c


def _checked_input(svc: Services, ci: C.ContactInput) -> C.ContactInput:
    good = C.cleaned(ci)
    problems = C.validate_contact(good, svc.now_local(), svc.policy.long_text_max_chars)
    if problems:
        raise InvalidInput(
            "The contact is not complete:\n" + "\n".join(problems), audit_detail="incomplete"
        )
    return good


def _insert(svc: Services, s: Session, actor_id: int, child: Child, ci: C.ContactInput) -> Contact:
    row = Contact(
        child_id=child.id,
        team_id=child.team_id,
        kind=ci.kind.value,
        received_at=ci.received_at.replace(tzinfo=None, microsecond=0),
        source_code=ci.source_code,
        referrer=ci.referrer,
        concern=ci.concern,
        checked=ci.checked,
        incident_date=ci.incident_date if ci.kind is C.ContactKind.DOMESTIC_ABUSE else None,
        risk_level=ci.risk_level,
        children_present=ci.children_present,
        recorded_by_id=actor_id,
        created_at=svc.now(),
    )
    s.add(row)
    s.flush()
    return row


def _subject(
    svc: Services, s: Session, actor_id: int, who: str | NewChild, team: str | None
) -> tuple[Child, bool]:
    """The child a contact is about (a reference, or a new child), checked that the actor may
    record contacts for them; and whether it was created."""
    actor = svc.actor(s, actor_id)
    if isinstance(who, NewChild):
        if not actor.reads_cases:
            require(C.may_record_contact(actor, None))
        team_id = _team_for_new_child(s, svc, actor_id, team)
        require(C.may_record_contact(actor, team_id))
        return _new_child(svc, s, who, team_id), True
    c = _child(s, who)
    require(C.may_record_contact(actor, c.team_id))
    return c, False


# -- recording -----------------------------------------------------------------------------


def record_contact(
    svc: Services,
    actor_id: int,
    child: str | NewChild,
    ci: C.ContactInput,
    *,
    team: str | None = None,
) -> int:
    """Record a contact about ``child`` (a reference, or a :class:`NewChild` created with what
    is known, in ``team`` or the actor's). Returns the contact's id."""

    def run(op: Op) -> int:
        s = op.session
        good = _checked_input(svc, ci)
        c, created = _subject(svc, s, actor_id, child, team)
        row = _insert(svc, s, actor_id, c, good)
        op.entity_id = row.id
        op.detail = f"child={c.id} kind={good.kind.value}" + (" new_child" if created else "")
        return row.id

    return svc.change(actor_id, "record_contact", "contact", None, run)


def record_household_notification(
    svc: Services,
    actor_id: int,
    children: Sequence[str | NewChild],
    ci: C.ContactInput,
    *,
    team: str | None = None,
) -> list[int]:
    """One notification about a household (a police notification naming three children):
    one contact per child, linked by ``household_id`` (the first contact's id), in one
    transaction. Returns the contacts' ids in the order of ``children``."""

    def run(op: Op) -> list[int]:
        s = op.session
        if not children:
            raise InvalidInput("Name at least one child the notification is about.")
        refs = [clean_line(c) for c in children if isinstance(c, str)]
        if len(set(refs)) != len(refs):
            raise InvalidInput("A child is named twice in the notification.")
        good = _checked_input(svc, ci)
        ids: list[int] = []
        for who in children:
            c, _created = _subject(svc, s, actor_id, who, team)
            row = _insert(svc, s, actor_id, c, good)
            row.household_id = ids[0] if ids else row.id
            s.add(row)
            ids.append(row.id)
        s.flush()
        op.entity_id = ids[0]
        op.detail = f"household={ids[0]} children={len(ids)} kind={good.kind.value}"
        return ids

    return svc.change(actor_id, "record_household_notification", "contact", None, run)


# -- the decision ----------------------------------------------------------------------------


def decision_payload_of(row: Contact, outcome: str, reason: str):
    """The payload a decision on ``row`` signs (``signing.contact_decision_payload``)."""
    return contact_decision_payload(
        {
            "id": row.id,
            "child_id": row.child_id,
            "kind": row.kind,
            "received_at": row.received_at.replace(tzinfo=None).isoformat(),
            "source_code": row.source_code,
            "referrer": row.referrer,
            "concern": row.concern,
            "checked": row.checked,
            "household_id": row.household_id,
            "incident_date": row.incident_date.isoformat() if row.incident_date else None,
            "risk_level": row.risk_level,
            "children_present": row.children_present,
            "recorded_by_id": row.recorded_by_id,
        },
        outcome,
        reason,
    )


def decide_contact(
    svc: Services,
    actor_id: int,
    contact_id: int,
    outcome: str | C.Outcome,
    reason: str,
    password: str,
) -> DecisionResult:
    """A manager decides a contact: exactly one outcome and the reason, signed (password
    asked again). A domestic-abuse notification that is the Nth for the child inside M months
    (policy) raises the alert for the team manager, whatever each outcome was."""

    def run(op: Op) -> DecisionResult:
        s = op.session
        actor = svc.actor(s, actor_id)
        row = _contact(s, contact_id, lock=True)
        op.entity_id = row.id
        require(C.may_decide_contact(actor, row.team_id, row.decided_at is not None))
        text = clean(reason).strip()
        problems = C.validate_decision(outcome, text)
        if problems:
            raise InvalidInput("\n".join(problems), audit_detail="decision_incomplete")
        chosen = C.Outcome(outcome)
        check_password(svc, s, actor_id, password)
        signer = stored(s, Worker, actor_id)
        sig = sign(
            svc,
            s,
            signer,
            None,
            row.child_id,
            CONTACT_DECISION_MEANING,
            decision_payload_of(row, chosen.value, text),
        )
        row.outcome = chosen.value
        row.reason = text
        row.decided_by_id = actor_id
        row.decided_at = svc.now()
        row.signature_id = sig.id
        s.add(row)
        s.flush()
        alert = False
        if row.kind == C.ContactKind.DOMESTIC_ABUSE.value:
            alert = _domestic_abuse_alert(svc, s, row)
        op.detail = f"outcome={chosen.value}" + (" da_alert" if alert else "")
        return DecisionResult(row.id, chosen, alert)

    return svc.change(actor_id, "decide_contact", "contact", contact_id, run)


def _domestic_abuse_alert(svc: Services, s: Session, row: Contact) -> bool:
    """Raise the alert when ``row`` (just signed) is at least the Nth signed domestic-abuse
    notification for its child received inside M months (``contacts.da_alert_due``)."""
    others = s.exec(
        select(Contact.received_at).where(
            Contact.child_id == row.child_id,
            Contact.kind == C.ContactKind.DOMESTIC_ABUSE.value,
            col(Contact.decided_at).is_not(None),
            Contact.id != row.id,
        )
    ).all()
    p = svc.policy
    day = row.received_at.date()
    if not C.da_alert_due(
        day, [d.date() for d in others], p.da_alert_notifications, p.da_alert_months
    ):
        return False
    _raise_da_alert(svc, s, row)
    return True


def _raise_da_alert(svc: Services, s: Session, row: Contact) -> None:
    """The child alert (``services.alerts``) for the child's team manager, answered in a
    case-level oversight note; keyed by the notification, so each qualifying one raises one."""
    from recorder.domain.alerts import AlertKind
    from recorder.services.alerts import raise_alert

    p = svc.policy
    raise_alert(
        svc,
        s,
        child_id=row.child_id,
        kind=AlertKind.DOMESTIC_ABUSE,
        key=f"contact:{row.id}",
        details=(
            f"{p.da_alert_notifications} or more domestic-abuse notifications within "
            f"{p.da_alert_months} months; the latest received {row.received_at:%-d %b %Y}, "
            "decided today."
        ),
        raised_on=svc.today(),
    )


def record_referrer_told(svc: Services, actor_id: int, contact_id: int, told_on: date) -> None:
    """Record, once, the day the referrer was told the outcome of a decided contact."""

    def run(op: Op) -> None:
        s = op.session
        actor = svc.actor(s, actor_id)
        row = _contact(s, contact_id, lock=True)
        op.entity_id = row.id
        require(
            C.may_record_referrer_told(
                actor, row.team_id, row.decided_at is not None, row.referrer_told_on is not None
            )
        )
        assert row.decided_at is not None
        if told_on > svc.today():
            raise InvalidInput("The day the referrer was told cannot be in the future.")
        if told_on < svc.local_date(row.decided_at):
            raise InvalidInput("The referrer cannot have been told before the decision was made.")
        row.referrer_told_on = told_on
        s.add(row)
        s.flush()

    svc.change(actor_id, "record_referrer_told", "contact", contact_id, run)


def add_contact_addendum(
    svc: Services, actor_id: int, contact_id: int, reason: str, text: str, password: str
) -> int:
    """A correction or addition to a decided contact, signed by its author (password asked
    again): anyone who may record contacts for the child. The contact never changes."""

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        row = _contact(s, contact_id)
        op.entity_id = row.id
        require(C.may_record_contact(actor, row.team_id))
        if row.decided_at is None:
            raise NotAllowed(
                "A contact awaiting its decision is corrected by recording it again; an "
                "addendum is for a decided contact.",
                audit_detail="undecided",
            )
        why, words = clean(reason).strip(), clean(text).strip()
        if not why or not words:
            raise InvalidInput("An addendum needs the reason for it and its text.")
        check_password(svc, s, actor_id, password)
        decision = s.get(Signature, row.signature_id) if row.signature_id else None
        sig = sign(
            svc,
            s,
            stored(s, Worker, actor_id),
            None,
            row.child_id,
            CONTACT_ADDENDUM_MEANING,
            contact_addendum_payload(
                row.id, why, words, actor_id, decision.content_sha256 if decision else None
            ),
        )
        a = ContactAddendum(
            contact_id=row.id,
            author_id=actor_id,
            reason=why,
            text=words,
            signature_id=sig.id,
            created_at=svc.now(),
        )
        s.add(a)
        s.flush()
        op.detail = f"addendum={a.id}"
        return a.id

    return svc.change(actor_id, "add_contact_addendum", "contact", contact_id, run)
