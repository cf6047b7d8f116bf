"""Visits taken through the workflow by the services, for the hardening tests."""

from __future__ import annotations

from recorder.domain.oversight import OversightInput
from recorder.services import visits
from recorder.store.models import Visit
from tests.support.factories import complete_content
from tests.support.world import PASSWORD

COUNTERSIGN_COMMENT = (
    "I checked every section and the child's words are quoted; "
    "agreed with the plan and the actions."
)


def oversight_note(flags=()) -> OversightInput:
    words = ("I have read the whole record and the child's own words. " * 6).strip()
    return OversightInput(
        decision="Continue the child protection plan; no change to the plan this month.",
        analysis=words,
        risk="Neglect reduced; domestic abuse unchanged while father is away.",
        actions=({"what": "Review contact plan", "who": "Sam Social", "by_when": "2026-12-10"},),
        timeframe="Next supervision on 10 December.",
        child_voice="Her wish to see her father at her nan's house is now the contact plan.",
        flag_responses={code: "Discussed in supervision and acceptable." for code in flags},
    )


def answer_progress(svc, visit_id, content):
    """``content`` with a progress answer for each of the child's open actions (issue 13),
    unless it says progress already: a record made before actions were tracked did not."""
    from recorder.demo.progress import answer_open_actions

    if "progress" not in (content.get("actions") or {}):
        content = {k: dict(v) if isinstance(v, dict) else v for k, v in content.items()}
        answer_open_actions(svc, visit_id, content)
    return content


def fill(svc, author, visit_id, content=None):
    """Save every section of ``content`` (a complete record by default); the last version."""
    content = answer_progress(svc, visit_id, content or complete_content())
    version = None
    for section, data in content.items():
        version = visits.save_section(svc, author, visit_id, section, data, version)
    return version


def flag_codes(svc, vid):
    with svc.reading() as s:
        return [f.code for f in visits.flags_for(s, svc, s.get(Visit, vid))]


good_note = oversight_note  # the name the service tests know it by


def draft(svc, author: int, child: int, *, complete: bool = True) -> int:
    vid = visits.start_visit(svc, author, child)
    if complete:
        for section, data in answer_progress(svc, vid, complete_content()).items():
            visits.save_section(svc, author, vid, section, data)
    return vid


def submitted(svc, author: int, child: int) -> int:
    vid = draft(svc, author, child)
    visits.submit(svc, author, vid)
    return vid


def countersigned(svc, author: int, child: int, countersigner: int) -> int:
    vid = submitted(svc, author, child)
    visits.countersign(svc, countersigner, vid, COUNTERSIGN_COMMENT, PASSWORD)
    return vid


def note_for(svc, vid: int) -> OversightInput:
    with svc.reading() as s:
        codes = [f.code for f in visits.flags_for(s, svc, s.get(Visit, vid))]
    return oversight_note(codes)


def signed_off(svc, author: int, child: int, manager: int, countersigner: int | None = None) -> int:
    vid = (
        countersigned(svc, author, child, countersigner)
        if countersigner
        else submitted(svc, author, child)
    )
    visits.sign_off(svc, manager, vid, note_for(svc, vid), PASSWORD)
    return vid


def insert_signed_off(s, visit, signer_id: int) -> int:
    """Write ``visit`` (an ORM row) into the store as a signed-off visit, in session ``s``'s
    transaction, the way the triggers allow (migration 0012): inserted awaiting oversight,
    then its sign-off signature and oversight note, then marked signed off. The signature's
    hash is a placeholder: for tests of the clocks and queues, not of ``recorder check``."""
    from recorder.domain.signing import OVERSIGHT_MEANING
    from recorder.store.models import OversightNote, Signature

    visit.state = "awaiting_oversight"
    s.add(visit)
    s.flush()
    sig = Signature(
        visit_id=visit.id,
        child_id=visit.child_id,
        signer_id=signer_id,
        signer_name="Test Manager",
        signer_role="Team manager",
        signed_at=visit.updated_at,
        meaning=OVERSIGHT_MEANING,
        content_sha256="0" * 64,
    )
    s.add(sig)
    s.flush()
    s.add(
        OversightNote(
            child_id=visit.child_id,
            visit_id=visit.id,
            manager_id=signer_id,
            decision="Agreed.",
            analysis="Agreed.",
            risk="None.",
            timeframe="Now.",
            child_voice="Heard.",
            signature_id=sig.id,
            created_at=visit.updated_at,
        )
    )
    s.flush()
    visit.state = "signed_off"
    visit.signed_off_at = visit.updated_at
    s.add(visit)
    s.flush()
    return visit.id
