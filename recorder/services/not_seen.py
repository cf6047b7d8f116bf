"""A child not seen (DOMAIN.md "A child not seen"), read inside another use case's
transaction: for some children, how many of their latest visits did not see them and when
they were last seen (``domain.progress.NotSeen``), from each visit's Seen section.

The visits counted are the records submitted: waiting for a countersign or for oversight,
and signed off (a draft or a record returned for changes says nothing yet). One query for
all the children asked about.

:func:`not_seen_ladder` is the escalation ladder's service-manager step (the first step is
``alerts.child_not_seen_alert``), run inside a write transaction: at the next failed visit's
submission, and by ``escalation.attention`` when a manager's home is read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlmodel import Session, col, select

from recorder.domain.progress import NotSeen, not_seen_run
from recorder.domain.workflow import VisitState
from recorder.services.core import Services
from recorder.store.models import Visit, VisitSection

__all__ = ["SUBMITTED", "not_seen_of", "not_seen_due", "not_seen_ladder"]

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


def not_seen_due(
    svc: Services, s: Session, team_ids: Iterable[int] = (), child_ids: Iterable[int] = ()
) -> list[tuple[int, str, str]]:
    """(child, key, details) of each service-manager alert due and not yet raised: a child
    of ``team_ids`` (or one of ``child_ids``) already alerted for a visit where they were not
    seen, and not seen on their latest visits since ``not_seen_service_manager_weeks`` ago."""
    from recorder.domain.alerts import AlertKind
    from recorder.store.models import Child, ChildAlert

    teams, kids = list(team_ids), list(child_ids)
    if not teams and not kids:
        return []
    q = select(ChildAlert.child_id).where(ChildAlert.kind == AlertKind.CHILD_NOT_SEEN.value)
    if teams:
        q = q.join(Child, col(Child.id) == ChildAlert.child_id).where(col(Child.team_id).in_(teams))
    if kids:
        q = q.where(col(ChildAlert.child_id).in_(kids))
    candidates = set(s.exec(q.distinct()).all())
    today = svc.today()
    weeks = svc.policy.not_seen_service_manager_weeks
    out = []
    for child_id, ns in sorted(not_seen_of(s, candidates).items()):
        since = ns.since
        if since is None or since > today - timedelta(weeks=weeks):
            continue
        key = f"since:{since.isoformat()}"
        before = s.exec(
            select(ChildAlert.id).where(
                ChildAlert.child_id == child_id,
                ChildAlert.kind == AlertKind.NOT_SEEN_FOR_WEEKS.value,
                ChildAlert.key == key,
            )
        ).first()
        if before is not None:
            continue
        visits = "the last visit" if ns.run == 1 else f"the last {ns.run} visits"
        seen = (
            f"last seen on {since.day} {since:%b %Y}"
            if ns.last_seen
            else f"not seen on any visit since {since.day} {since:%b %Y}"
        )
        details = (
            f"Not seen by their social worker for {weeks} weeks or more: not seen on "
            f"{visits}, {seen}."
        )
        out.append((child_id, key, details))
    return out


def not_seen_ladder(
    svc: Services, s: Session, team_ids: Iterable[int] = (), child_ids: Iterable[int] = ()
) -> int:
    """The ladder's service-manager step inside the caller's write transaction: each alert
    :func:`not_seen_due` finds, raised. How many."""
    from recorder.domain.alerts import AlertKind
    from recorder.services.alerts import raise_alert

    due = not_seen_due(svc, s, team_ids, child_ids)
    for child_id, key, details in due:
        raise_alert(
            svc, s, child_id=child_id, kind=AlertKind.NOT_SEEN_FOR_WEEKS, key=key, details=details
        )
    return len(due)
