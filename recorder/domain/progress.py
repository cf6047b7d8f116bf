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
    "NotSeen",
    "not_seen_run",
    "not_seen_words",
    "not_seen_lines",
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


@dataclass(frozen=True)
class NotSeen:
    """A child not seen (DOMAIN.md "A child not seen"), from their visits: how many of the
    latest visits in a row did not see the child, and the day they were last seen."""

    run: int = 0  # consecutive visits, newest first, where the child was not seen
    last_seen: date | None = None  # the last visit that saw them (None: none did)
    first_missed: date | None = None  # the oldest visit of the run

    @property
    def since(self) -> date | None:
        """Not seen since this day: the last visit that saw them, else the run's first."""
        return self.last_seen or self.first_missed

    def days(self, today: date) -> int | None:
        """Days since the child was last seen (None: never seen on a visit)."""
        return (today - self.last_seen).days if self.last_seen else None


def not_seen_run(visits: list[tuple[date, bool]]) -> NotSeen:
    """From the visits as (day, child seen), in any order."""
    ordered = sorted(visits, reverse=True)
    run = 0
    for _day, seen in ordered:
        if seen:
            break
        run += 1
    if not run:
        return NotSeen()
    last = next((d for d, seen in ordered if seen), None)
    return NotSeen(run, last, ordered[run - 1][0])


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''} ago"


def not_seen_words(visits: list[tuple[date, bool]], today: date) -> str:
    """A child not seen (DOMAIN.md "A child not seen"), from the signed-off visits as (day,
    child seen), in any order: "Not seen on the last 2 visits; last seen 40 days ago, on 23
    Oct 2026" ("" when the last visit saw the child, or there is none)."""
    ns = not_seen_run(visits)
    if not ns.run:
        return ""
    run = ns.run
    words = f"Not seen on the last {run} visits" if run > 1 else "Not seen on the last visit"
    last = ns.last_seen
    if last is None:
        return words + "; not seen on any signed-off visit"
    return f"{words}; last seen {_days((today - last).days)}, on {last.day} {last:%b %Y}"


def not_seen_lines(ns: NotSeen, today: date) -> tuple[str, str]:
    """The same in two short lines for a queue's row: ("not seen on 2 visits", "last seen
    40 days ago"); ("", "") when the child was seen on their last visit."""
    if not ns.run:
        return "", ""
    first = "not seen on the last visit" if ns.run == 1 else f"not seen on {ns.run} visits"
    last = ns.last_seen
    return first, (f"last seen {_days((today - last).days)}" if last else "never seen on a visit")
