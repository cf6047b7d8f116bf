"""The demo's answers on the child's open actions (``domain.progress``): a visit says what
progress was made on each, as a worker would."""

from __future__ import annotations

from typing import Any

from recorder.services.action_progress import open_actions_for
from recorder.services.core import Services
from recorder.store.models import Visit

NOTE = "Reviewed with the family on this visit; still in hand."


def answer_open_actions(svc: Services, visit_id: int, content: dict[str, Any]) -> bool:
    """Put a progress answer for each of the child's open actions into ``content``; True
    when there were any."""
    with svc.reading() as s:
        v = s.get(Visit, visit_id)
        opens = open_actions_for(s, svc, v) if v is not None else ()
    if opens:
        section = dict(content.get("actions") or {})
        section["progress"] = {
            a.key: {"what": a.what, "status": "in_progress", "note": NOTE} for a in opens
        }
        content["actions"] = section
    return bool(opens)


def answer_and_save(svc: Services, author_id: int, visit_id: int, content: dict[str, Any]) -> None:
    """Just before submitting: answer the open actions as they are now, and save them."""
    from recorder.services import visits

    if answer_open_actions(svc, visit_id, content):
        visits.save_section(svc, author_id, visit_id, "actions", content["actions"])
