"""Integrity of a store: ``recorder check`` (``recorder backup`` and ``restore``: backup.py).

``check_store`` verifies, read-only:

- the audit trail's hash chain (:mod:`recorder.store.audit_chain`), event by event;
- every signature whose signed content is still in the store, by recomputing its SHA-256
  with the payload functions every signer uses (``recorder.domain.signing``: the services,
  and the demo's bulk loader): a sign-off signs the frozen record, so it is always
  checkable; a countersign is checkable while its round is the visit's current one (a record
  returned for changes after a countersign was legitimately edited, and its older text is
  not kept, so such a countersign is counted as "earlier round", not checked);
- that every signed-off visit has its sign-off signature and oversight note;
- a joint worker's "Attended jointly" (``signing.joint_attendance_payload``), against the
  author's submission signature it confirms, always checkable;
- addenda and their acknowledgements (``signing.addendum_payload`` / ``ack_payload``);
- supervision records with their case discussions (``signing.supervision_payload``);
- contact decisions and addenda to them (``signing.contact_decision_payload``,
  ``contact_addendum_payload``);
- on SQLite, ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``.

Problems name records by id and kind, never by case text.

The check is read-only and for administrators (audited_check); it holds one batch of
signatures in memory at a time (BATCH).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from recorder.domain import signing as S
from recorder.domain.roles import Role
from recorder.services.core import Services
from recorder.services.errors import NotAllowed
from recorder.store.audit_chain import GENESIS, row_digest
from recorder.store.models import (
    AuditEvent,
    Countersign,
    OversightNote,
    Signature,
    Visit,
    Worker,
)

# progress(done, total, what): called now and then during long runs
Progress = Callable[[int, int, str], None]

PG_MESSAGE = (
    "This store is on PostgreSQL: back it up with pg_dump and restore it with "
    "pg_restore (see the README, 'How your records are protected')."
)
MAX_LISTED = 20


@dataclass
class CheckReport:
    events: int = 0
    head_sha256: str = GENESIS
    signatures: int = 0
    signatures_verified: int = 0
    earlier_round_countersigns: int = 0
    earlier_round_submissions: int = 0
    other_signatures: int = 0
    signed_off_visits: int = 0
    sqlite_integrity: str | None = None  # "ok", the first problem, or None (PostgreSQL)
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def problem(self, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(message)

    def summary_lines(self) -> list[str]:
        lines = [
            f"Audit events: {self.events:,} in one hash chain; head {self.head_sha256[:16]}",
            f"Signatures: {self.signatures:,}; content hash verified: {self.signatures_verified:,}; "
            f"countersigns and submissions of an earlier round (text since changed, not "
            f"checkable): {self.earlier_round_countersigns + self.earlier_round_submissions:,}; "
            f"other kinds not checked: {self.other_signatures:,}",
            f"Signed-off visits: {self.signed_off_visits:,}",
        ]
        if self.sqlite_integrity is not None:
            lines.append(f"SQLite integrity_check: {self.sqlite_integrity}")
        return lines


# -- check ------------------------------------------------------------------------------


def check_store(svc: Services, progress: Progress | None = None) -> CheckReport:
    """Verify the store; read-only. Problems are listed in order, the first one first."""
    report = CheckReport()
    if svc.engine.dialect.name == "sqlite":
        _check_sqlite(svc, report)
    _check_chain(svc, report, progress)
    _check_signatures(svc, report, progress)
    return report


def _check_sqlite(svc: Services, report: CheckReport) -> None:
    with svc.engine.connect() as c:
        rows = [r[0] for r in c.exec_driver_sql("PRAGMA integrity_check")]
        report.sqlite_integrity = "ok" if rows == ["ok"] else rows[0]
        if rows != ["ok"]:
            report.problem(f"SQLite integrity_check: {rows[0]}")
        for table, rowid, parent, _fk in c.exec_driver_sql("PRAGMA foreign_key_check"):
            report.problem(f"{table} row {rowid}: refers to a missing {parent} row")


def _check_chain(svc: Services, report: CheckReport, progress: Progress | None) -> None:
    t = AuditEvent.metadata.tables["audit_event"]
    with svc.engine.connect() as c:
        total = c.execute(sa_select(func.count()).select_from(t)).scalar() or 0
        prev = GENESIS
        n = 0
        rows = c.execution_options(yield_per=2000).execute(sa_select(t).order_by(t.c.id))
        for row in rows:
            n += 1
            if row.prev_sha256 != prev:
                report.problem(
                    f"audit event {row.id}: the chain is broken before it (an event "
                    "was removed, reordered or changed)"
                )
            elif row.sha256 != row_digest(row):
                report.problem(
                    f"audit event {row.id}: its content does not match its hash "
                    "(changed after it was written)"
                )
            prev = row.sha256
            if progress and n % 5000 == 0:
                progress(n, total, "audit events")
        report.events = n
        report.head_sha256 = prev


#: signatures read and checked at a time: the check holds one batch (and what it reads for
#: it) in memory, not the whole store (1,224,721 signatures took 6.9 GB when held at once)
BATCH = 1000


class _SignedContent:
    """Each visit's content as its signatures sign it (``signing.content_json``), kept for the
    visit's next signatures: a record's submission, countersign and sign-off sign the same
    content, which the check reads in one transaction, so it is read and encoded once, not
    three times (the most recent visits only, KEEP of them: memory stays bounded)."""

    KEEP = 1_000

    def __init__(self, s) -> None:
        from recorder.services.queries import visit_content  # noqa: PLC0415

        self.s = s
        self._read = visit_content  # imported once a check, not once a signature
        self._kept: OrderedDict[int, str] = OrderedDict()

    def of(self, visit_id: int) -> str:
        kept = self._kept.get(visit_id)
        if kept is not None:
            self._kept.move_to_end(visit_id)
            return kept
        kept = self._kept[visit_id] = S.content_json(self._read(self.s, visit_id))
        if len(self._kept) > self.KEEP:
            self._kept.popitem(last=False)
        return kept


def _check_signatures(svc: Services, report: CheckReport, progress: Progress | None) -> None:
    with svc.reading() as s:
        content = _SignedContent(s)
        total = s.exec(select(func.count()).select_from(Signature)).one()
        signed_off_with_sig: set[int] = set()
        n, last = 0, 0
        while True:
            batch = s.exec(
                select(Signature)
                .where(col(Signature.id) > last)
                .order_by(col(Signature.id))
                .limit(BATCH)
            ).all()
            if not batch:
                break
            last = batch[-1].id
            ids = [sig.id for sig in batch]
            notes = {
                note.signature_id: note
                for note in s.exec(
                    select(OversightNote).where(col(OversightNote.signature_id).in_(ids))
                )
            }
            counters = {
                c.signature_id: c
                for c in s.exec(select(Countersign).where(col(Countersign.signature_id).in_(ids)))
            }
            for sig in batch:
                n += 1
                report.signatures += 1
                if progress and n % 500 == 0:
                    progress(n, total, "signatures")
                _check_signature(s, report, sig, notes, counters, signed_off_with_sig, content)
            s.expunge_all()  # what this batch read goes: memory stays that of one batch
        for vid in s.exec(select(Visit.id).where(Visit.state == "signed_off")):
            report.signed_off_visits += 1
            if vid not in signed_off_with_sig:
                report.problem(f"visit {vid}: signed off, but without a valid sign-off signature")


def _check_signature(
    s,
    report: CheckReport,
    sig: Signature,
    notes: dict,
    counters: dict,
    signed_off_with_sig: set[int],
    content: _SignedContent,
) -> None:
    """One signature against the payload it signed (its note and countersign, if any, are
    in ``notes`` and ``counters`` by signature id)."""
    v = s.get(Visit, sig.visit_id) if sig.visit_id is not None else None
    if sig.meaning == S.OVERSIGHT_MEANING and v is not None:
        note = notes.get(sig.id)
        if note is None:
            report.problem(
                f"signature {sig.id} (sign-off of visit {v.id}): its oversight note is missing"
            )
            return
        if v.state != "signed_off":
            report.problem(
                f"signature {sig.id} (sign-off of visit {v.id}): the visit "
                f"is no longer signed off (state {v.state})"
            )
            return
        signed_off_with_sig.add(v.id)
        cs = s.exec(
            select(Countersign).where(Countersign.visit_id == v.id).order_by(col(Countersign.id))
        ).all()
        payload = S.sign_off_payload(
            v.id,
            v.version - 1,
            content.of(v.id),
            v.query_reasons,
            [(c.worker_id, c.comment) for c in cs],
            S.oversight_of(note),
        )
        _compare(report, sig, payload, f"sign-off of visit {v.id}")
    elif sig.meaning == S.OVERSIGHT_MEANING and sig.visit_id is None:
        note = notes.get(sig.id)
        if note is None or note.child_id != sig.child_id:
            report.problem(f"signature {sig.id} (case oversight note): its note is missing")
            return
        payload = S.case_note_payload(note.child_id, S.oversight_of(note))
        _compare(report, sig, payload, f"case oversight note {note.id}")
    elif sig.meaning == S.COUNTERSIGN_MEANING and v is not None:
        c = counters.get(sig.id)
        if c is None:
            report.problem(
                f"signature {sig.id} (countersign of visit {v.id}): its countersign is missing"
            )
            return
        latest = s.exec(
            select(func.max(col(Countersign.id))).where(Countersign.visit_id == v.id)
        ).one()
        if c.id != latest or v.state not in ("awaiting_oversight", "signed_off"):
            report.earlier_round_countersigns += 1
            return
        version = v.version - (2 if v.state == "signed_off" else 1)
        payload = S.countersign_payload(
            v.id,
            version,
            content.of(v.id),
            v.query_reasons,
            c.comment,
        )
        _compare(report, sig, payload, f"countersign of visit {v.id}")
    elif sig.meaning == S.AUTHOR_MEANING and v is not None:
        latest = s.exec(
            select(func.max(col(Signature.id))).where(
                Signature.visit_id == v.id, Signature.meaning == S.AUTHOR_MEANING
            )
        ).one()
        if sig.id != latest or v.state == "draft":
            report.earlier_round_submissions += 1  # returned and changed since
            return
        payload = S.submission_payload(v.id, v.author_id, content.of(v.id), v.query_reasons)
        _compare(report, sig, payload, f"submission of visit {v.id}")
    elif sig.meaning == S.JOINT_MEANING and v is not None:
        # it signs the author's submission it confirms: the last one before it
        sub = s.exec(
            select(Signature)
            .where(
                Signature.visit_id == v.id,
                Signature.meaning == S.AUTHOR_MEANING,
                col(Signature.id) < sig.id,
            )
            .order_by(col(Signature.id).desc())
        ).first()
        if sub is None:
            report.problem(
                f"signature {sig.id} (joint attendance of visit {v.id}): the "
                "submission it confirms is missing"
            )
            return
        payload = S.joint_attendance_payload(v.id, sig.signer_id, sub.content_sha256)
        _compare(report, sig, payload, f"joint attendance of visit {v.id}")
    elif sig.meaning in (S.ADDENDUM_MEANING, S.ACK_MEANING) and v is not None:
        _check_addendum_signature(s, report, sig, v)
    elif sig.meaning == S.SUPERVISION_MEANING and v is None:
        _check_supervision_signature(s, report, sig)
    elif sig.meaning in (S.CONTACT_DECISION_MEANING, S.CONTACT_ADDENDUM_MEANING):
        from recorder.services.contact_reads import contact_signature_payload

        _compare_found(report, sig, *contact_signature_payload(s, sig))
    elif sig.meaning == S.SIGNIFICANT_EVENT_MEANING and v is None:
        from recorder.services.chronology import event_signature_payload as esp

        _compare_found(report, sig, *esp(s, sig))
    else:
        report.other_signatures += 1


def _compare_found(
    report: CheckReport, sig: Signature, payload: S.Payload | None, what: str
) -> None:
    """A payload rebuilt from the store, compared; or ``what`` is the problem (None: what
    it signed is missing)."""
    if payload is None:
        report.problem(what)
    else:
        _compare(report, sig, payload, what)


def _check_addendum_signature(s, report: CheckReport, sig: Signature, v: Visit) -> None:
    """An addendum signs its own text and the sign-off it adds to; an acknowledgement signs
    the addendum's signature (``signing.addendum_payload`` / ``ack_payload``)."""
    from recorder.store.models import Addendum, AddendumAck

    if sig.meaning == S.ACK_MEANING:
        ack = s.exec(select(AddendumAck).where(AddendumAck.signature_id == sig.id)).first()
        a = s.get(Addendum, ack.addendum_id) if ack else None
        own = s.get(Signature, a.signature_id) if a else None
        if a is None or own is None:
            report.problem(
                f"signature {sig.id} (addendum acknowledgement, visit {v.id}): its "
                "addendum is missing"
            )
            return
        _compare(
            report,
            sig,
            S.ack_payload(a.id, a.visit_id, own.content_sha256),
            f"acknowledgement of addendum {a.id}",
        )
        return
    a = s.exec(select(Addendum).where(Addendum.signature_id == sig.id)).first()
    if a is None:
        report.problem(f"signature {sig.id} (addendum to visit {v.id}): its addendum is missing")
        return
    original = s.exec(
        select(Signature)
        .where(
            Signature.visit_id == v.id,
            Signature.meaning == S.OVERSIGHT_MEANING,
            Signature.id < sig.id,
        )
        .order_by(col(Signature.id).desc())
    ).first()
    payload = S.addendum_payload(
        a.visit_id, a.reason, a.text, a.author_id, original.content_sha256 if original else None
    )
    _compare(report, sig, payload, f"addendum {a.id} to visit {v.id}")


def _check_supervision_signature(s, report: CheckReport, sig: Signature) -> None:
    """A supervision record signs its personal items and every case discussion, in order
    (``signing.supervision_payload``)."""
    from recorder.store.models import Supervision, SupervisionCase

    sup = s.exec(select(Supervision).where(Supervision.signature_id == sig.id)).first()
    if sup is None:
        report.problem(f"signature {sig.id} (supervision): its supervision record is missing")
        return
    cases = s.exec(
        select(SupervisionCase)
        .where(SupervisionCase.supervision_id == sup.id)
        .order_by(col(SupervisionCase.id))
    ).all()
    payload = S.supervision_payload(
        sup.worker_id,
        sup.manager_id,
        sup.held_on.isoformat(),
        {
            "attended": sup.attended,
            "wellbeing": sup.wellbeing,
            "workload": sup.workload,
            "learning": sup.learning,
        },
        [
            {
                "child_id": c.child_id,
                "decision": c.decision,
                "actions": c.actions,
                "child_voice": c.child_voice,
            }
            for c in cases
        ],
    )
    _compare(report, sig, payload, f"supervision {sup.id}")


def _compare(report: CheckReport, sig: Signature, payload: S.Payload, what: str) -> None:
    if payload.digest() == sig.content_sha256:
        report.signatures_verified += 1
    else:
        report.problem(
            f"signature {sig.id} ({what}): the record no longer matches what was "
            "signed (changed after signing)"
        )


# -- who may: administrators, audited ----------------------------------------------------


def authorise_admin(svc: Services, admin_id: int | None, action: str) -> None:
    with svc.reading() as s:
        w = s.get(Worker, admin_id) if admin_id is not None else None
        allowed = w is not None and w.active and w.role == Role.ADMINISTRATOR.value
    if not allowed:
        with svc.writing() as s:
            svc.audit(
                s,
                admin_id if w is not None else None,
                action,
                "store",
                None,
                "refused",
                "not_admin",
            )
        raise NotAllowed("Only an administrator can check, back up or restore the store.")


def audit_store(
    svc: Services, actor_id: int | None, action: str, outcome: str, detail: str
) -> None:
    with svc.writing() as s:
        svc.audit(s, actor_id, action, "store", None, outcome, detail)


def audited_check(svc: Services, admin_id: int, progress: Progress | None = None) -> CheckReport:
    authorise_admin(svc, admin_id, "check")
    report = check_store(svc, progress)
    audit_store(
        svc,
        admin_id,
        "check",
        "ok" if report.ok else "refused",
        f"events={report.events} signatures={report.signatures} problems={report.problem_count}",
    )
    return report
