"""Tracked actions: directions given to a worker (DOMAIN.md, "Actions").

Every action written in an oversight note or a supervision case discussion (what, who, by
when), and every countersign or return comment (a direction to the record's author), is one
tracked action: open until it is marked done, with who, when and a note. This module holds
the pure rules: who an action's "who" names, what date its "by when" gives, who may mark it
done, and how its due date reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Iterable

from recorder.domain.roles import Actor, Role
from recorder.domain.workflow import ALLOW, Decision, deny


class SourceKind(StrEnum):
    COUNTERSIGN = "countersign"
    RETURN = "return"
    OVERSIGHT = "oversight"
    SUPERVISION = "supervision"
    VISIT = "visit"  # an action in a signed-off visit's Actions section
    PLAN = "plan"  # an action set with the child's plan

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    SourceKind.COUNTERSIGN: "Countersign comment",
    SourceKind.RETURN: "Returned for changes",
    SourceKind.OVERSIGHT: "Oversight action",
    SourceKind.SUPERVISION: "Supervision action",
    SourceKind.VISIT: "Visit action",
    SourceKind.PLAN: "Plan action",
}


@dataclass(frozen=True)
class Person:
    """Someone an action's "who" may name: a worker of the child's team."""

    id: int
    full_name: str
    username: str


# words that name the child's allocated worker, or the person writing the note
_ALLOCATED = {"sw", "social worker", "allocated worker", "allocated sw", "case holder", "worker"}
_WRITER = {"me", "myself", "tm", "manager", "team manager", "i"}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s'-]", " ", text.casefold()).split())


def resolve_assignee(
    who: str,
    people: Iterable[Person],
    *,
    allocated_id: int | None = None,
    writer_id: int | None = None,
) -> int | None:
    """The worker an action's "who" names, or None when it names no one of the team (a
    parent, a health visitor, "all"): full name, username or first name (when only one
    person has it), "social worker" for the child's allocated worker, "me" for the writer."""
    w = _norm(who)
    if not w:
        return None
    if w in _ALLOCATED:
        return allocated_id
    if w in _WRITER:
        return writer_id
    people = list(people)
    for p in people:
        if w in (_norm(p.full_name), _norm(p.username)):
            return p.id
    first = [p for p in people if _norm(p.full_name).split()[:1] == [w]]
    if len(first) == 1:
        return first[0].id
    return None


_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DMY = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b")
_D_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:\s+(\d{4}))?\b")


def parse_due(text: str, today: date) -> date | None:
    """The date a "by when" names, if it names one: 2026-12-10, 10/12/2026, 10/12/26,
    10 December 2026, or 10 Dec (the next 10 December from ``today``). Words such as "next
    supervision" give None: the action is then open with no due date."""
    t = (text or "").casefold()
    try:
        if m := _ISO.search(t):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.search(t):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, int(m[2]), int(m[1]))
        for m in _D_MONTH.finditer(t):
            month = _MONTHS.get(m[2])
            if month is None:
                continue
            if m[3]:
                return date(int(m[3]), month, int(m[1]))
            d = date(today.year, month, int(m[1]))
            return d if d >= today else date(today.year + 1, month, int(m[1]))
    except ValueError:  # 31/02/2026: not a date
        return None
    return None


def due_words(due_on: date | None, today: date, done: bool = False) -> str:
    """ "due in 3 days", "due today", "overdue by 2 days", or "no due date"."""
    if due_on is None:
        return "no due date"
    n = (due_on - today).days
    if done:
        return f"was due {due_on.day} {due_on:%b %Y}"
    if n == 0:
        return "due today"
    if n > 0:
        return f"due in {n} day{'s' if n != 1 else ''}"
    return f"overdue by {-n} day{'s' if n != -1 else ''}"


def may_mark_done(actor: Actor, assignee_id: int | None, assignee_team_id: int | None) -> Decision:
    """Marking an action done: the person it is for, or a registered team manager of their
    team. Never an administrator."""
    if not actor.reads_cases:
        return deny("Administrators cannot read or change case records.")
    if assignee_id is not None and actor.id == assignee_id:
        return ALLOW
    if (
        actor.role is Role.TEAM_MANAGER
        and actor.is_registered
        and actor.team_id is not None
        and actor.team_id == assignee_team_id
    ):
        return ALLOW
    return deny(
        "Only the person this action is for, or their team manager, can mark it done.",
        "not_assignee",
    )


def is_open(done_at: datetime | None) -> bool:
    return done_at is None
