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


def fill(svc, author, visit_id, content=None):
    """Save every section of ``content`` (a complete record by default); the last version."""
    content = content or complete_content()
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
        for section, data in complete_content().items():
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
