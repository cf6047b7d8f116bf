"""Progress on the child's open actions, asked on the next visit (DOMAIN.md "Actions": "The
child's open actions ... are shown here, and the worker says what progress was made on
each").

A visit's Actions section holds ``progress``: for each open action (by its id, as a string
key) a status and a note in words. Each open action needs both before the record can be
submitted; one answered "done" is marked done when the visit is signed off (who: the
worker who reported it; when: the sign-off; the note: the worker's words). Pure: the open
actions come in the :class:`OpenAction` shape from the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "PROGRESS_STATUSES",
    "OpenAction",
    "progress_answers",
    "progress_problems",
    "reported_done",
    "overdue_words",
]

PROGRESS_STATUSES: tuple[tuple[str, str], ...] = (
    ("done", "Done"),
    ("in_progress", "In progress"),
    ("not_started", "Not started"),
)
_STATUS = dict(PROGRESS_STATUSES)


@dataclass(frozen=True)
class OpenAction:
    """An open action on the child, as the visit's Actions section lists it."""

    id: int
    what: str
    who: str  # the assignee's name, or the "who" as written
    source: str  # "Oversight action from Maya Manager, 1 Dec 2026"
    due_on: date | None = None
    due_words: str = ""  # "due in 3 days", "overdue by 2 days", "no due date"

    @property
    def key(self) -> str:
        return str(self.id)


def progress_answers(actions_section: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """The section's ``progress`` answers, keyed by action id (strings), as typed."""
    raw = (actions_section or {}).get("progress")
    if not isinstance(raw, Mapping):
        return {}
    out: dict[str, dict[str, str]] = {}
    for key, answer in raw.items():
        if isinstance(answer, Mapping):
            status = answer.get("status")
            note = answer.get("note")
            out[str(key)] = {
                "status": status if isinstance(status, str) else "",
                "note": note if isinstance(note, str) else "",
            }
    return out


def progress_problems(
    actions_section: Mapping[str, Any] | None, open_actions: tuple[OpenAction, ...]
) -> list[tuple[str, str]]:
    """(code, message) for each open action without a status, or without a note."""
    answers = progress_answers(actions_section)
    out = []
    for a in open_actions:
        answer = answers.get(a.key, {})
        status = answer.get("status", "")
        if status not in _STATUS:
            out.append(
                ("progress_missing", f'Say what progress was made on the open action "{a.what}".')
            )
        elif not answer.get("note", "").strip():
            out.append(
                (
                    "progress_note_missing",
                    f'Say in a few words what was done on "{a.what}" ({_STATUS[status].lower()}).',
                )
            )
    return out


def reported_done(actions_section: Mapping[str, Any] | None, open_ids: set[int]) -> dict[int, str]:
    """The open actions (of ``open_ids``) the visit reports done, with the worker's note."""
    out = {}
    for key, answer in progress_answers(actions_section).items():
        if key.isdigit() and int(key) in open_ids and answer["status"] == "done":
            note = answer["note"].strip()
            if note:
                out[int(key)] = note
    return out


def status_label(status: str) -> str:
    return _STATUS.get(status, "")


def overdue_words(n: int) -> str:
    """ "1 action overdue", "2 actions overdue" ("" for none)."""
    if n <= 0:
        return ""
    return f"{n} action{'s' if n != 1 else ''} overdue"


def not_seen_words(visits: list[tuple[date, bool]], today: date) -> str:
    """A child not seen (DOMAIN.md "A child not seen"), from the signed-off visits as (day,
    child seen), in any order: "Not seen on the last 2 visits; last seen 40 days ago, on 23
    Oct 2026" ("" when the last visit saw the child, or there is none)."""
    ordered = sorted(visits, reverse=True)
    run = 0
    for _day, seen in ordered:
        if seen:
            break
        run += 1
    if not run:
        return ""
    last = next((d for d, seen in ordered if seen), None)
    words = f"Not seen on the last {run} visits" if run > 1 else "Not seen on the last visit"
    if last is None:
        return words + "; not seen on any signed-off visit"
    n = (today - last).days
    return f"{words}; last seen {n} day{'s' if n != 1 else ''} ago, on {last.day} {last:%b %Y}"
