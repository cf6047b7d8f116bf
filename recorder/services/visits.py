"""Visit records: drafts, autosave, submit, countersign, return for changes, sign-off.

Every rule comes from ``recorder.domain``; this module loads the facts, asks the domain,
and writes the result with its audit event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from sqlmodel import Session, col, select

from recorder.domain import identity, timescales
from recorder.domain.actions import SourceKind
from recorder.domain.content import ContentError, clean_content
from recorder.domain.drafts import DraftKind
from recorder.domain.flags import visit_flags
from recorder.domain.oversight import OversightInput, validate_oversight
from recorder.domain.progress import OpenAction
from recorder.domain.sections import SECTION_BY_KEY, SECTIONS, SectionKey
from recorder.domain.signing import (
    AUTHOR_MEANING,
    COUNTERSIGN_MEANING,
    OVERSIGHT_MEANING,
    content_json,
    countersign_payload,
    oversight_of,
    sign_off_payload,
    submission_payload,
)
from recorder.domain.text import TextTooLong, clean, clean_line
from recorder.domain.validation import Finding, blocking, validate
from recorder.domain.workflow import (
    Action,
    Decision,
    VisitState,
    counts_as_statutory,
    decide,
    deny,
    may_add_addendum,
    may_start_visit,
    submitted_state,
)
from recorder.services.accounts import check_password
from recorder.services.action_progress import at_sign_off
from recorder.services.action_progress import visit_context as _context
from recorder.services.addenda import AddendumView, addenda_for_visit
from recorder.services.alerts import child_not_seen_alert
from recorder.services.core import Op, Services, actor_of, as_utc, require
from recorder.services.directions import (
    DirectionView,
    direct_author,
    directions_for_visit,
    record_actions,
)
from recorder.services.drafts import remove_in
from recorder.services.errors import (
    Conflict,
    Incomplete,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from recorder.services.joint import (
    joint_confirmed,
    joint_name,
    joint_words,
    joint_worker_of,
)
from recorder.services.not_seen import not_seen_ladder
from recorder.services.notes import clean_note, note_row
from recorder.services.queries import (
    VisitBatch,
    get_visit,
    stored,
    visit_content,
    visit_facts,
)
from recorder.services.signatures import SignatureView, sign, signature_view
from recorder.store.models import (
    Child,
    Countersign,
    ReturnComment,
    Signature,
    Visit,
    VisitSection,
    Worker,
)


@dataclass(frozen=True)
class ReturnView:
    """A record sent back for changes: by whom, from which state, when (UTC), and why."""

    id: int
    visit_id: int
    worker_id: int
    from_state: str
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class VisitView:
    id: int
    child_id: int
    child_name: str
    author_id: int
    author_name: str
    state: VisitState
    version: int
    content: dict[str, dict[str, Any]]
    query_reasons: dict[str, str]
    findings: list[Finding]
    returns: list[ReturnView] = field(default_factory=list)
    returned_by: dict[int, str] = field(default_factory=dict)  # worker id -> "Name, role"
    signatures: list[SignatureView] = field(default_factory=list)
    child_dob: date | None = None
    plan_risks: tuple[str, ...] = ()
    author_needs_countersign: bool = False
    addenda: list[AddendumView] = field(default_factory=list)  # oldest first
    #: may the reader add an addendum (``domain.workflow.may_add_addendum``)
    may_add_addendum: Decision = deny("")
    #: may the reader change and submit it (``decide(Action.EDIT)``: their own draft)
    may_edit: Decision = deny("")
    #: directions given on this record (countersign and return comments, oversight actions)
    directions: list[DirectionView] = field(default_factory=list)
    #: whom the author may name as attending jointly: (worker id, "Name, role (SW...)")
    joint_workers: tuple[tuple[int, str], ...] = ()
    #: the joint worker in words, with whether they confirmed (``joint.joint_words``)
    joint_worker_text: str = ""
    #: the child's open actions its Actions section asks progress on (``domain.progress``)
    open_actions: tuple[OpenAction, ...] = ()


# -- loading ---------------------------------------------------------------------

def _check_version(v: Visit, expected: int | None) -> None:
    if expected is not None and v.version != expected:
        raise Conflict(
            "This record was changed somewhere else (another window or another worker) since "
            "you opened it. Your text has not been lost: reopen the record to see the latest "
            "version.", audit_detail="stale_version")


def load_visit(svc: Services, actor_id: int, visit_id: int) -> VisitView:
    """Read a visit (audited as a view)."""

    def run(op: Op) -> VisitView:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id)
        op.entity_id = v.id
        facts = visit_facts(s, v)
        require(decide(Action.VIEW, actor, facts))
        child = stored(s, Child, v.child_id)
        content = visit_content(s, v.id)
        ctx = _context(s, child, svc, v)
        findings = validate(content, ctx)
        returns = s.exec(select(ReturnComment).where(ReturnComment.visit_id == v.id)
                         .order_by(col(ReturnComment.id))).all()
        sigs = s.exec(select(Signature).where(Signature.visit_id == v.id)
                      .order_by(col(Signature.id))).all()
        author = stored(s, Worker, v.author_id)
        returned_by = {}
        for r in returns:
            if r.worker_id not in returned_by:
                w = actor_of(stored(s, Worker, r.worker_id))
                returned_by[r.worker_id] = f"{w.name}, {w.role_label.lower()}"
        return VisitView(v.id, v.child_id, child.full_name, v.author_id, author.full_name,
                         VisitState(v.state), v.version, content, dict(v.query_reasons),
                         findings,
                         returns=[ReturnView(r.id, r.visit_id, r.worker_id, r.from_state,
                                             r.comment, r.created_at) for r in returns],
                         signatures=[signature_view(g) for g in sigs],
                         returned_by=returned_by, child_dob=child.date_of_birth,
                         plan_risks=tuple(child.plan_risks or ()),
                         author_needs_countersign=actor_of(author).needs_countersign,
                         addenda=addenda_for_visit(s, v.id),
                         may_add_addendum=may_add_addendum(actor, facts),
                         may_edit=decide(Action.EDIT, actor, facts),
                         directions=directions_for_visit(svc, s, actor, v.id),
                         joint_workers=tuple((ctx.joint_workers or {}).items()),
                         joint_worker_text=joint_words(s, v), open_actions=ctx.open_actions)

    return svc.change(actor_id, "view_visit", "visit", visit_id, run)


# -- drafting ----------------------------------------------------------------------

def start_visit(svc: Services, actor_id: int, child_id: int) -> int:
    """Open a new draft for a child, identity prefilled from the child's profile."""

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        child = s.get(Child, child_id)
        if child is None:
            raise NotFound("That child does not exist.")
        require(may_start_visit(actor, child.team_id, child.allocated_worker_id))
        now = svc.now()
        v = Visit(child_id=child.id, author_id=actor.id, team_id=child.team_id or actor.team_id,
                  state=VisitState.DRAFT.value, created_at=now, updated_at=now)
        s.add(v)
        s.flush()
        prefill = {k: val for k, val in {
            "ethnicity": identity.ethnicity_name(child.ethnicity) or child.ethnicity_note,
            "religion": child.religion, "first_language": child.first_language,
            "disability": "; ".join(t for t in (identity.disability_names(
                identity.split_codes(child.disability)), child.disability_note) if t),
            "interpreter_needed": "yes" if child.interpreter_needed else None,
        }.items() if val}
        for sec in SECTIONS:
            data = prefill if sec.key is SectionKey.IDENTITY else {}
            s.add(VisitSection(visit_id=v.id, section=sec.key.value, data=data, updated_at=now))
        op.entity_id = v.id
        return v.id

    return svc.change(actor_id, "start_visit", "visit", None, run)


class DraftConflict(Conflict):
    """A save refused because the draft changed elsewhere; the refused text was kept as a
    separate draft, ``copy_visit_id`` (at ``copy_version``), by the same author."""

    def __init__(self, message: str, copy_visit_id: int, copy_version: int, **kw) -> None:
        super().__init__(message, **kw)
        self.copy_visit_id = copy_visit_id
        self.copy_version = copy_version


def save_section(svc: Services, actor_id: int, visit_id: int, section: str,
                 data: Mapping[str, Any], expected_version: int | None = None) -> int:
    """Autosave one section of a draft; returns the new version.

    With ``expected_version`` a save made from a stale copy of the record (another window
    or terminal saved, submitted or returned it since) is refused, and the refused text is
    not lost: it is kept as a separate draft for the same child by the same author (a
    "conflict copy": the record as last saved, with this section as the worker typed it).
    The :class:`DraftConflict` raised says where the text went.
    """

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id, lock=True)
        stale = expected_version is not None and v.version != expected_version
        if v.author_id == actor.id and stale:
            # checked before the state: a record submitted from the other window is stale too
            _clean_section(section, data, svc)  # text that could not be saved anyway is refused
            raise Conflict("stale", audit_detail="stale_version")
        require(decide(Action.EDIT, actor, visit_facts(s, v)))
        _check_version(v, expected_version)
        cleaned = _clean_section(section, data, svc)
        row = s.exec(select(VisitSection).where(VisitSection.visit_id == v.id,
                                                VisitSection.section == section)).one()
        row.data = cleaned.get(section, {})
        row.updated_at = svc.now()
        if section == SectionKey.DETAILS.value:
            _denormalise_details(v, row.data)
        v.version += 1
        v.updated_at = row.updated_at
        s.add(row)
        s.add(v)
        op.detail = f"section={section}"
        return v.version

    try:
        return svc.change(actor_id, "save_section", "visit", visit_id, run)
    except Conflict as e:
        if e.audit_detail != "stale_version":
            raise
    copy_id, copy_version = _keep_conflict_copy(svc, actor_id, visit_id, section, data)
    title = _section_title(section)
    raise DraftConflict(
        f"This record was changed somewhere else (another window or terminal) after you "
        f"opened it, so your changes to '{title}' were not written over it. Nothing is lost: "
        f"they were kept as a separate draft, visit record {copy_id}, listed with this "
        "child's drafts. Open both and keep what you need.",
        copy_id, copy_version, audit_detail="stale_version_copied")


def _clean_section(section: str, data: Mapping[str, Any], svc: Services) -> dict[str, Any]:
    try:
        return clean_content({section: dict(data)}, svc.policy)
    except (ContentError, TextTooLong, ValueError, TypeError) as e:
        raise InvalidInput(str(e), audit_detail="invalid_content") from None


def _section_title(section: str) -> str:
    try:
        return SECTION_BY_KEY[SectionKey(section)].title
    except (KeyError, ValueError):
        return str(section)


def _keep_conflict_copy(svc: Services, actor_id: int, visit_id: int, section: str,
                        data: Mapping[str, Any]) -> tuple[int, int]:
    """A new draft by the same author for the same child: the original's sections as last
    saved, with ``section`` replaced by the refused text. One transaction, audited."""

    def run(op: Op) -> tuple[int, int]:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id)
        child = stored(s, Child, v.child_id)
        if v.author_id != actor.id:
            raise NotAllowed("Only the worker who wrote this record can keep a copy of it.",
                             audit_detail="denied")
        require(may_start_visit(actor, child.team_id, child.allocated_worker_id))
        cleaned = _clean_section(section, data, svc)
        content = visit_content(s, v.id)
        content[section] = cleaned.get(section, {})
        now = svc.now()
        copy = Visit(child_id=v.child_id, author_id=actor.id, team_id=v.team_id,
                     state=VisitState.DRAFT.value, query_reasons=dict(v.query_reasons),
                     created_at=now, updated_at=now)
        _denormalise_details(copy, content.get(SectionKey.DETAILS.value, {}))
        s.add(copy)
        s.flush()
        for key, sec_data in content.items():
            s.add(VisitSection(visit_id=copy.id, section=key, data=sec_data, updated_at=now))
        op.entity_id = copy.id
        op.detail = f"conflict_copy_of={v.id};section={section}"
        return copy.id, copy.version

    return svc.change(actor_id, "keep_conflict_copy", "visit", None, run)


def _denormalise_details(v: Visit, details: Mapping[str, Any]) -> None:
    v.visit_type = details.get("visit_type")
    at = details.get("visit_at")
    v.visit_at = datetime.fromisoformat(at) if at else None


# -- submit ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Submitted:
    state: VisitState
    due: date
    counts_as_statutory: bool


def submit(svc: Services, actor_id: int, visit_id: int,
           query_reasons: Mapping[str, str] | None = None,
           expected_version: int | None = None) -> Submitted:
    """Submit a complete draft: every error fixed, every query given a reason."""

    def run(op: Op) -> Submitted:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id, lock=True)
        facts = visit_facts(s, v)
        require(decide(Action.SUBMIT, actor, facts))
        _check_version(v, expected_version)
        child = stored(s, Child, v.child_id)
        content = visit_content(s, v.id)
        reasons = {k: clean(r).strip() for k, r in {**v.query_reasons, **(query_reasons or {})}.items()
                   if clean(r or "").strip()}
        findings = validate(content, _context(s, child, svc, v))
        if any(len(r) > svc.policy.long_text_max_chars for r in reasons.values()):
            raise InvalidInput("A query reason is too long.")
        open_ = blocking(findings, reasons)
        if open_:
            raise Incomplete(
                f"This record is not ready to submit: {len(open_)} thing(s) need attention.",
                open_, audit_detail="incomplete:" + ",".join(sorted({f.code for f in open_}))[:400])
        live_codes = {f.code for f in findings}
        v.query_reasons = {k: r for k, r in reasons.items() if k in live_codes}
        joint = joint_worker_of(s, v, svc) if actor.needs_countersign else None
        v.joint_worker_id = joint.id if joint else None
        seen = content.get(SectionKey.SEEN.value, {}).get("child_seen") == "yes"
        # a joint worker's visit counts once they confirm it (joint.confirm_joint_attendance)
        v.counts_as_statutory = counts_as_statutory(v.visit_type, actor, joint, child_seen=seen)
        now = svc.now()
        today = svc.today()
        v.state = submitted_state(actor.needs_countersign).value
        v.submitted_at = now
        v.first_submitted_at = v.first_submitted_at or now
        v.countersign_due = (timescales.countersign_due(today, svc.policy)
                             if actor.needs_countersign else None)
        v.oversight_due = timescales.oversight_due(today, svc.policy)
        v.version += 1
        v.updated_at = now
        s.add(v)
        # the author's own signature: what they submitted, exactly (the first of the
        # record's signatures; countersign and oversight sign on top of it)
        sign(svc, s, stored(s, Worker, actor_id), v.id, v.child_id, AUTHOR_MEANING,
             submission_payload(v.id, v.author_id, content_json(content), v.query_reasons))
        op.entity_id = v.id
        op.detail = f"to={v.state}"
        due = v.countersign_due if actor.needs_countersign else v.oversight_due
        assert due is not None  # set just above
        if child_not_seen_alert(svc, s, v, content):  # the ladder's first step (issue 13)
            not_seen_ladder(svc, s, child_ids=[v.child_id])  # the service manager's, if due
        return Submitted(VisitState(v.state), due, v.counts_as_statutory)

    return svc.change(actor_id, "submit", "visit", visit_id, run)


def save_query_reasons(svc: Services, actor_id: int, visit_id: int,
                       reasons: Mapping[str, str], expected_version: int | None = None) -> int:
    """Keep the reasons typed for queries on a draft (before it is submitted), so none is
    lost when the worker closes the submit dialog or goes to fix something. Returns the new
    version. Blank reasons are dropped; the reasons replace those kept before."""

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id, lock=True)
        require(decide(Action.EDIT, actor, visit_facts(s, v)))
        _check_version(v, expected_version)
        kept: dict[str, str] = {}
        for code, reason in reasons.items():
            text = clean(reason if isinstance(reason, str) else "").strip()
            if not text:
                continue
            if len(text) > svc.policy.long_text_max_chars:
                raise InvalidInput("A query reason is too long.", audit_detail="too_long")
            kept[clean_line(str(code))[:100]] = text
        if kept == dict(v.query_reasons):
            return v.version
        v.query_reasons = kept
        v.version += 1
        v.updated_at = svc.now()
        s.add(v)
        op.detail = f"reasons={len(kept)}"
        return v.version

    return svc.change(actor_id, "save_query_reasons", "visit", visit_id, run)


# -- countersign, return, sign-off -----------------------------------------------------

def _comment(comment: str, svc: Services) -> str:
    text = clean(comment or "").strip()
    limit = svc.policy.long_text_max_chars
    if len(text) > limit:
        raise InvalidInput(f"The comment is {len(text):,} characters long; the limit is {limit:,}.",
                           audit_detail="too_long")
    return text


def _min_words(text: str, n: int, what: str) -> None:
    from recorder.domain.oversight import word_count

    words = word_count(text)
    if words < n:
        raise InvalidInput(f"{what} has {words} words; at least {n} are needed. Say what you "
                           "checked and any direction you are giving.", audit_detail="too_short")


def countersign(svc: Services, actor_id: int, visit_id: int, comment: str, password: str) -> None:
    def run(op: Op) -> None:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id, lock=True)
        op.entity_id = v.id
        require(decide(Action.COUNTERSIGN, actor, visit_facts(s, v)))
        text = _comment(comment, svc)
        _min_words(text, svc.policy.countersign_comment_min_words, "The countersign comment")
        check_password(svc, s, actor_id, password)
        signer = stored(s, Worker, actor_id)
        content = visit_content(s, v.id)
        sig = sign(svc, s, signer, v.id, v.child_id, COUNTERSIGN_MEANING,
                    countersign_payload(v.id, v.version, content_json(content),
                                        v.query_reasons, text))
        cs = Countersign(visit_id=v.id, worker_id=actor_id, comment=text, signature_id=sig.id,
                         created_at=svc.now())
        s.add(cs)
        s.flush()
        direct_author(svc, s, SourceKind.COUNTERSIGN, cs.id, v, actor_id, text)
        remove_in(s, actor_id, (DraftKind.COUNTERSIGN, DraftKind.RETURN), v.id)
        v.state = VisitState.AWAITING_OVERSIGHT.value
        v.version += 1
        v.updated_at = svc.now()
        s.add(v)

    svc.change(actor_id, "countersign", "visit", visit_id, run)


def return_for_changes(svc: Services, actor_id: int, visit_id: int, comment: str) -> None:
    def run(op: Op) -> None:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id, lock=True)
        op.entity_id = v.id
        require(decide(Action.RETURN, actor, visit_facts(s, v)))
        text = _comment(comment, svc)
        if not text:
            raise InvalidInput("Say what needs to change: the comments go to the worker.",
                               audit_detail="empty_comment")
        rc = ReturnComment(visit_id=v.id, worker_id=actor_id, from_state=v.state, comment=text,
                           created_at=svc.now())
        s.add(rc)
        s.flush()
        direct_author(svc, s, SourceKind.RETURN, rc.id, v, actor_id, text)
        remove_in(s, actor_id, (DraftKind.RETURN, DraftKind.COUNTERSIGN), v.id)
        op.detail = f"from={v.state}"
        v.state = VisitState.DRAFT.value
        v.submitted_at = v.countersign_due = v.oversight_due = None
        v.version += 1
        v.updated_at = svc.now()
        s.add(v)

    svc.change(actor_id, "return_for_changes", "visit", visit_id, run)


def flags_for(s: Session, svc: Services, v: Visit, batch: VisitBatch | None = None) -> list:
    author = actor_of(stored(s, Worker, v.author_id))
    content = visit_content(s, v.id, batch)
    late = False
    first = v.first_submitted_at or v.submitted_at
    if v.visit_at and first:
        # lateness is the first submission's: a record returned for changes is not "late"
        # because the manager asked for more. Dates compared in England's calendar.
        late = svc.local_date(first) > timescales.recording_due(v.visit_at.date(), svc.policy)
    from recorder.services.queries import drift

    # a statutory visit made after its due date (issue 12)
    drifted = batch.drifts[v.id] if batch is not None and v.id in batch.drifts else drift(svc, s, v)
    return visit_flags(content, author_needs_countersign=author.needs_countersign,
                       query_reasons=v.query_reasons, recorded_late=late,
                       made_late=drifted[0] if drifted else "",
                       was_due=f"{drifted[1].day} {drifted[1]:%b %Y}" if drifted else "",
                       joint_worker=joint_name(s, v), joint_confirmed=joint_confirmed(s, v))


def sign_off(svc: Services, actor_id: int, visit_id: int, note: OversightInput,
             password: str) -> None:
    """Management oversight sign-off: the only way a visit reaches the child's record."""

    def run(op: Op) -> None:
        s = op.session
        actor = svc.actor(s, actor_id)
        v = get_visit(s, visit_id, lock=True)
        op.entity_id = v.id
        facts = visit_facts(s, v)
        require(decide(Action.SIGN_OFF, actor, facts))
        # the gate, checked again at the last moment: nothing incomplete is ever signed off
        child = stored(s, Child, v.child_id)
        content = visit_content(s, v.id)
        if blocking(validate(content, _context(s, child, svc, v, joint=False)),
                    v.query_reasons):
            raise NotAllowed("This record is not complete, so it cannot be signed off. "
                             "Return it to the worker for changes.", audit_detail="incomplete")
        if facts.author_needs_countersign and not _countersigned_since_submission(s, v):
            raise NotAllowed("This record needs a qualified countersign before oversight.",
                             audit_detail="no_countersign")
        cleaned = clean_note(note, svc)
        flags = flags_for(s, svc, v)
        problems = validate_oversight(cleaned, [f.code for f in flags],
                                      svc.policy.oversight_analysis_min_words)
        if problems:
            labels = {f"flag:{f.code}": f.label for f in flags}
            lines = [f"{labels.get(p.heading, p.heading)}: {p.message}" for p in problems]
            raise InvalidInput("The oversight note is not complete:\n" + "\n".join(lines),
                               audit_detail="oversight_incomplete")
        check_password(svc, s, actor_id, password)
        signer = stored(s, Worker, actor_id)
        countersigns = s.exec(select(Countersign).where(Countersign.visit_id == v.id)
                              .order_by(col(Countersign.id))).all()
        payload = sign_off_payload(v.id, v.version, content_json(content), v.query_reasons,
                                   [(c.worker_id, c.comment) for c in countersigns],
                                   oversight_of(cleaned))
        sig = sign(svc, s, signer, v.id, v.child_id, OVERSIGHT_MEANING, payload)
        row = note_row(cleaned, v.child_id, v.id, actor_id, sig.id, svc.now())
        s.add(row)
        s.flush()
        record_actions(svc, s, kind=SourceKind.OVERSIGHT, source_id=row.id, created_by=actor_id,
                       child=child, actions=cleaned.actions, visit_id=v.id)
        remove_in(s, actor_id, (DraftKind.OVERSIGHT, DraftKind.RETURN), v.id)
        from recorder.services.profile import apply_confirmed_identity

        apply_confirmed_identity(svc, s, child, content, actor_id, v.id)  # audited
        at_sign_off(svc, s, v, child, content, actor_id)  # progress on actions; its own
        v.state = VisitState.SIGNED_OFF.value
        v.signed_off_at = svc.now()
        v.version += 1
        v.updated_at = svc.now()
        s.add(v)

    svc.change(actor_id, "sign_off", "visit", visit_id, run)


def _countersigned_since_submission(s: Session, v: Visit) -> bool:
    """A countersign of this round: one made after the record was last submitted."""
    latest = s.exec(select(Countersign).where(Countersign.visit_id == v.id)
                    .order_by(col(Countersign.id).desc())).first()
    return latest is not None and v.submitted_at is not None and \
        as_utc(latest.created_at) >= as_utc(v.submitted_at)


