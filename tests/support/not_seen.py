"""Visits on given days where the child was seen or not (issue 13's "a child not seen")."""

from __future__ import annotations

from datetime import date, timedelta

from recorder.services import visits
from tests.support.factories import complete_content
from tests.support.records import fill, note_for
from tests.support.world import PASSWORD


def content_on(day: date, seen: bool = True) -> dict:
    """A complete record of a visit on ``day`` at 10:00, the child seen or not."""
    content = complete_content()
    content["details"]["visit_at"] = f"{day.isoformat()}T10:00"
    if not seen:
        content["seen"] = {
            "child_seen": "no",
            "failed_what_happened": "No answer at the door; curtains drawn.",
            "failed_attempts": ["phone", "neighbours"],
            "failed_attempts_detail": "Rang mother twice; neighbour had not seen the family.",
            "failed_action": ["manager_informed"],
            "failed_action_detail": "Told Maya Manager at 16:00.",
            "failed_next_seen": (day + timedelta(days=2)).isoformat(),
        }
        content["voice"] = {"views_from_others": "School says she is quiet; seen on Friday."}
    return content


def visit_on(svc, world, day: date, seen: bool = True, sign: bool = True) -> int:
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid, content_on(day, seen))
    visits.submit(svc, world.sw, vid, query_reasons=_reasons(svc, world, vid))
    if sign:
        visits.sign_off(svc, world.manager, vid, note_for(svc, vid), PASSWORD)
    return vid


def _reasons(svc, world, vid) -> dict[str, str]:
    return {
        f.code: "Recorded as soon as I was back; the manager knows."
        for f in visits.load_visit(svc, world.sw, vid).findings
        if f.severity == "query"
    }
