"""Integrity of a store: ``recorder check``, ``recorder backup`` and ``recorder restore``.

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

``backup`` and ``restore`` work on SQLite stores only (PostgreSQL: pg_dump / pg_restore).
Both are for administrators and are audited.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from recorder.domain import signing as S
from recorder.domain.roles import Role
from recorder.services.core import Services
from recorder.services.errors import InvalidInput, NotAllowed
from recorder.services.queries import stored
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


def _check_signatures(svc: Services, report: CheckReport, progress: Progress | None) -> None:
    from recorder.services.queries import visit_content  # noqa: PLC0415

    with svc.reading() as s:
        total = s.exec(select(func.count()).select_from(Signature)).one()
        notes = {n.signature_id: n for n in s.exec(select(OversightNote))}
        counters = {c.signature_id: c for c in s.exec(select(Countersign))}
        signed_off_with_sig: set[int] = set()
        n = 0
        for sig in s.exec(select(Signature).order_by(col(Signature.id))):
            n += 1
            report.signatures += 1
            if progress and n % 500 == 0:
                progress(n, total, "signatures")
            v = s.get(Visit, sig.visit_id) if sig.visit_id is not None else None
            if sig.meaning == S.OVERSIGHT_MEANING and v is not None:
                note = notes.get(sig.id)
                if note is None:
                    report.problem(
                        f"signature {sig.id} (sign-off of visit {v.id}): its "
                        "oversight note is missing"
                    )
                    continue
                if v.state != "signed_off":
                    report.problem(
                        f"signature {sig.id} (sign-off of visit {v.id}): the visit "
                        f"is no longer signed off (state {v.state})"
                    )
                    continue
                signed_off_with_sig.add(v.id)
                cs = s.exec(
                    select(Countersign)
                    .where(Countersign.visit_id == v.id)
                    .order_by(col(Countersign.id))
                ).all()
                payload = S.sign_off_payload(
                    v.id,
                    v.version - 1,
                    S.content_json(visit_content(s, v.id)),
                    v.query_reasons,
                    [(c.worker_id, c.comment) for c in cs],
                    S.oversight_of(note),
                )
                _compare(report, sig, payload, f"sign-off of visit {v.id}")
            elif sig.meaning == S.OVERSIGHT_MEANING and sig.visit_id is None:
                note = notes.get(sig.id)
                if note is None or note.child_id != sig.child_id:
                    report.problem(f"signature {sig.id} (case oversight note): its note is missing")
                    continue
                payload = S.case_note_payload(note.child_id, S.oversight_of(note))
                _compare(report, sig, payload, f"case oversight note {note.id}")
            elif sig.meaning == S.COUNTERSIGN_MEANING and v is not None:
                c = counters.get(sig.id)
                if c is None:
                    report.problem(
                        f"signature {sig.id} (countersign of visit {v.id}): its "
                        "countersign is missing"
                    )
                    continue
                latest = s.exec(
                    select(func.max(col(Countersign.id))).where(Countersign.visit_id == v.id)
                ).one()
                if c.id != latest or v.state not in ("awaiting_oversight", "signed_off"):
                    report.earlier_round_countersigns += 1
                    continue
                version = v.version - (2 if v.state == "signed_off" else 1)
                payload = S.countersign_payload(
                    v.id,
                    version,
                    S.content_json(visit_content(s, v.id)),
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
                    continue
                payload = S.submission_payload(
                    v.id, v.author_id, S.content_json(visit_content(s, v.id)), v.query_reasons
                )
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
                    continue
                payload = S.joint_attendance_payload(v.id, sig.signer_id, sub.content_sha256)
                _compare(report, sig, payload, f"joint attendance of visit {v.id}")
            elif sig.meaning in (S.ADDENDUM_MEANING, S.ACK_MEANING) and v is not None:
                _check_addendum_signature(s, report, sig, v)
            elif sig.meaning == S.SUPERVISION_MEANING and v is None:
                _check_supervision_signature(s, report, sig)
            elif sig.meaning in (S.CONTACT_DECISION_MEANING, S.CONTACT_ADDENDUM_MEANING):
                from recorder.services.contact_reads import contact_signature_payload

                payload, what = contact_signature_payload(s, sig)
                if payload is None:
                    report.problem(what)
                else:
                    _compare(report, sig, payload, what)
            elif sig.meaning == S.SIGNIFICANT_EVENT_MEANING and v is None:
                from recorder.services.chronology import event_signature_payload as esp

                payload, what = esp(s, sig)
                if payload is None:
                    report.problem(what)
                else:
                    _compare(report, sig, payload, what)
            else:
                report.other_signatures += 1
        for vid in s.exec(select(Visit.id).where(Visit.state == "signed_off")):
            report.signed_off_visits += 1
            if vid not in signed_off_with_sig:
                report.problem(f"visit {vid}: signed off, but without a valid sign-off signature")


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


def _authorise(svc: Services, admin_id: int | None, action: str) -> None:
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


def _audit(svc: Services, actor_id: int | None, action: str, outcome: str, detail: str) -> None:
    with svc.writing() as s:
        svc.audit(s, actor_id, action, "store", None, outcome, detail)


def audited_check(svc: Services, admin_id: int, progress: Progress | None = None) -> CheckReport:
    _authorise(svc, admin_id, "check")
    report = check_store(svc, progress)
    _audit(
        svc,
        admin_id,
        "check",
        "ok" if report.ok else "refused",
        f"events={report.events} signatures={report.signatures} problems={report.problem_count}",
    )
    return report


# -- backup and restore (SQLite) -------------------------------------------------------


def store_path(svc: Services) -> Path:
    from recorder.store.engine import sqlite_path

    if svc.engine.dialect.name != "sqlite":
        raise InvalidInput(PG_MESSAGE, audit_detail="postgresql")
    path = sqlite_path(str(svc.engine.url))
    if path is None:
        raise InvalidInput("This store is not a file, so it cannot be backed up here.")
    return path


def _new_private_file(dest: Path) -> None:
    try:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise InvalidInput(
            f"{dest} already exists; give a new file name. Nothing was written.",
            audit_detail="dest_exists",
        ) from None
    except OSError as e:
        raise InvalidInput(
            f"Cannot create {dest}: {e.strerror}. Nothing was written.",
            audit_detail="dest_unwritable",
        ) from None
    os.close(fd)
    os.chmod(dest, 0o600)


def _copy(src: Path, dest: Path, progress: Progress | None, what: str) -> int:
    """SQLite's online backup from ``src`` into ``dest``; returns the pages copied."""
    pages = [0]

    def step(_status, remaining, total):
        pages[0] = total
        if progress:
            progress(total - remaining, total, what)

    source = sqlite3.connect(src, timeout=10)
    target = sqlite3.connect(dest)
    try:
        source.backup(target, pages=256, progress=step)
        # the copy is a plain file: no WAL beside it
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    os.chmod(dest, 0o600)
    return pages[0]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    pages: int


def backup(
    svc: Services, admin_id: int, dest: Path, progress: Progress | None = None
) -> BackupResult:
    """Copy the live store to ``dest`` (a new file, 0600) while it is in use."""
    _authorise(svc, admin_id, "backup")
    try:
        src = store_path(svc)
        dest = Path(dest).expanduser()
        _new_private_file(dest)
    except InvalidInput as e:
        _audit(svc, admin_id, "backup", "refused", e.audit_detail)
        raise
    try:
        pages = _copy(src, dest, progress, "pages")
        c = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)
        try:
            quick = c.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            c.close()
        if quick != "ok":
            raise sqlite3.DatabaseError("quick_check")
    except (OSError, sqlite3.Error) as e:
        dest.unlink(missing_ok=True)
        _audit(svc, admin_id, "backup", "refused", f"copy_failed:{type(e).__name__}")
        raise InvalidInput(
            "The backup could not be written completely, so it was removed. "
            "Check the free space and try again."
        ) from None
    size = dest.stat().st_size
    _audit(svc, admin_id, "backup", "ok", f"pages={pages} bytes={size}")
    return BackupResult(dest, size, pages)


@dataclass(frozen=True)
class RestoreResult:
    replaced: Path
    report: CheckReport


def restore(
    svc: Services, admin_id: int, src: Path, progress: Progress | None = None
) -> RestoreResult:
    """Replace the store with the backup ``src``, after checking it as ``check`` does.

    The store's current contents are first copied beside it as
    ``<name>.replaced-<UTC time>`` (0600). The backup is copied into a private temporary
    file, brought to the current schema and checked there; only a clean copy is written
    into the store (with SQLite's backup API, so open connections see it whole).
    """
    from recorder.store.engine import make_engine
    from recorder.store.migrate import upgrade

    _authorise(svc, admin_id, "restore")
    live = store_path(svc)
    src = Path(src).expanduser()
    with svc.reading() as s:
        admin_username = stored(s, Worker, admin_id).username
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    staged = live.with_name(f"{live.name}.restoring-{stamp}")

    def refuse(message: str, detail: str):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)
        _audit(svc, admin_id, "restore", "refused", detail)
        raise InvalidInput(message)

    if not src.is_file():
        refuse(f"{src} is not a file. Nothing was changed.", "no_source")
    _new_private_file(staged)
    try:
        _copy(src, staged, progress, "pages read")
    except (OSError, sqlite3.Error):
        refuse(
            f"{src} is not a recorder backup (not a readable SQLite database). Nothing "
            "was changed.",
            "not_sqlite",
        )
    engine = make_engine(f"sqlite:///{staged}")
    try:
        try:
            upgrade(engine)
        except Exception:  # noqa: BLE001 - an unknown or damaged schema
            engine.dispose()
            refuse(
                f"{src} is not a backup this version of recorder can read. Nothing was changed.",
                "unknown_schema",
            )
        report = check_store(Services(engine=engine, policy=svc.policy), progress)
    finally:
        engine.dispose()
    for old in staged.parent.glob(f"{staged.name}.before-*"):
        old.unlink()  # upgrade's own copy of the staged file
    if not report.ok:
        refuse(
            f"{src} failed the check, so the store was not replaced. First problem: "
            f"{report.problems[0]}",
            "check_failed",
        )
    replaced = live.with_name(f"{live.name}.replaced-{stamp}")
    _new_private_file(replaced)
    _audit(svc, admin_id, "restore", "ok", "store_replaced_by_backup")  # kept in `replaced`
    svc.engine.dispose()
    _copy(live, replaced, progress, "pages kept")
    _copy_into_live(staged, live, progress)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{staged}{suffix}").unlink(missing_ok=True)
    with svc.reading() as s:
        actor = s.exec(select(Worker.id).where(Worker.username == admin_username)).first()
    _audit(svc, actor, "restore", "ok", f"restored events={report.events}")
    return RestoreResult(replaced, report)


def _copy_into_live(staged: Path, live: Path, progress: Progress | None) -> None:
    source = sqlite3.connect(staged)
    target = sqlite3.connect(live, timeout=10)
    try:
        target.execute("PRAGMA journal_mode=WAL")
        source.backup(
            target,
            pages=256,
            progress=(lambda _s, r, t: progress(t - r, t, "pages restored")) if progress else None,
        )
    finally:
        target.close()
        source.close()
    os.chmod(live, 0o600)
