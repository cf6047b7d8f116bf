"""The child screen's list in date order: visits as the service ordered them, with case notes
and supervision case discussions placed among them by date."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any


def in_date_order(visits, notes, local, discussions=()) -> list[tuple[str, Any]]:
    """Visits as the service ordered them (newest first), with case notes and supervision
    case discussions placed by date.

    A note goes before the first dated visit older than it (or as old); undated drafts keep
    their place; notes before the same visit, newest first. A case discussion is dated by the
    day of the supervision. Notes older than every visit go last (undated ones first).
    Linear in the visits (a bisection per note): 500 visits and 50 notes took 5 ms placing
    each note by a scan of the list.
    """

    def moment(kind: str, item: Any) -> datetime | None:
        if kind == "visit":
            return item.visit_at
        if kind == "discussion":
            return datetime.combine(item.held_on, time(23, 59))
        return local(item.created_at)

    # the oldest dated visit so far, down the list: the first visit as old as a note is
    # where this (never rising) running minimum first reaches the note's date
    lows: list[datetime] = []
    where: list[int] = []
    for i, v in enumerate(visits):
        at = v.visit_at
        if at is not None and (not lows or at < lows[-1]):
            lows.append(at)
            where.append(i)
    before: dict[int, list[tuple[str, Any]]] = {}
    undated: list[tuple[str, Any]] = []
    last: list[tuple[str, Any]] = []
    extra = [("note", n) for n in notes] + [("discussion", d) for d in discussions]
    for kind, n in sorted(extra, key=lambda e: moment(*e) or datetime.min):
        at = moment(kind, n)
        if at is None:
            undated.append((kind, n))
            continue
        lo, hi = 0, len(lows)  # the first of lows (falling) that is <= at
        while lo < hi:
            mid = (lo + hi) // 2
            if lows[mid] <= at:
                hi = mid
            else:
                lo = mid + 1
        if lo == len(lows):
            last.append((kind, n))
        else:
            before.setdefault(where[lo], []).append((kind, n))
    out: list[tuple[str, Any]] = []
    for i, v in enumerate(visits):
        out.extend(reversed(before.get(i, ())))
        out.append(("visit", v))
    return out + undated + last[::-1]
