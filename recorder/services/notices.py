"""What an upgrade changed, told once (issue 12): migration 0010 writes a notice for each
child it moved from an unqualified holder to the team manager; ``recorder`` prints each
notice the first time it opens the store after the upgrade, and never again."""

from __future__ import annotations

from sqlmodel import col, select

from recorder.services.core import Op, Services
from recorder.store.models import UpgradeNotice

__all__ = ["take_upgrade_notices"]


def take_upgrade_notices(svc: Services) -> list[str]:
    """The notices not yet shown, oldest first, marked shown as they are handed back (so a
    second call returns none). Audited when there were any; no one is signed in yet."""
    with svc.reading() as s:
        waiting = s.exec(
            select(UpgradeNotice.id).where(UpgradeNotice.shown_at == None)  # noqa: E711
        ).first()
    if waiting is None:
        return []

    def run(op: Op) -> list[str]:
        rows = op.session.exec(
            select(UpgradeNotice)
            .where(UpgradeNotice.shown_at == None)  # noqa: E711
            .order_by(col(UpgradeNotice.id))
        ).all()
        for r in rows:
            r.shown_at = svc.now()
            op.session.add(r)
        op.detail = f"rows={len(rows)}"
        return [r.message for r in rows]

    return svc.change(None, "show_upgrade_notices", "upgrade_notice", None, run)
