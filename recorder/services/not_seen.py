"""A child not seen (DOMAIN.md "A child not seen"), read inside another use case's
transaction: for some children, how many of their latest visits did not see them and when
they were last seen (``domain.progress.NotSeen``), from each visit's Seen section.

The visits counted are the records submitted: waiting for a countersign or for oversight,
and signed off (a draft or a record returned for changes says nothing yet). One query for
all the children asked about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from recorder.domain.progress import NotSeen, not_seen_run
from recorder.domain.workflow import VisitState
from recorder.store.models import Visit, VisitSection

__all__ = ["SUBMITTED", "not_seen_of"]

#: the visit states whose Seen section counts
SUBMITTED = (
    VisitState.AWAITING_COUNTERSIGN.value,
    VisitState.AWAITING_OVERSIGHT.value,
    VisitState.SIGNED_OFF.value,
)


def not_seen_of(
    s: Session, child_ids: Iterable[int], states: tuple[str, ...] = SUBMITTED
) -> dict[int, NotSeen]:
    """Each child's :class:`NotSeen` (a child seen on their last visit, or with none, is
    left out)."""
    ids = sorted(set(child_ids))
    if not ids:
        return {}
    rows = s.exec(
        select(Visit.child_id, Visit.visit_at, VisitSection.data)
        .join(VisitSection, col(VisitSection.visit_id) == Visit.id)
        .where(
            col(Visit.child_id).in_(ids),
            col(Visit.state).in_(states),
            VisitSection.section == "seen",
        )
    ).all()
    visits: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for child_id, at, data in rows:
        if at is not None:
            visits[child_id].append((at.date(), (data or {}).get("child_seen") != "no"))
    out = {}
    for child_id, seen in visits.items():
        ns = not_seen_run(seen)
        if ns.run:
            out[child_id] = ns
    return out
