"""What waits for a manager above the day-to-day queue, in words for their home screen: the
records whose oversight is overdue past the escalation point (policy
``oversight_escalate_after_working_days``), and, for a service manager, the team managers'
own records waiting for their sign-off. Counts only: the records themselves are read (and
audited) in the oversight queue.

The not-seen ladder's second step lives here too (DOMAIN.md "A child not seen"): the first
step alerts the team manager when a visit is submitted with the child not seen
(``alerts.child_not_seen_alert``); ``not_seen.not_seen_ladder`` alerts the service manager when
such a child has still not been seen by their social worker for the policy's
``not_seen_service_manager_weeks``. Time makes that step, not a write, so it is checked
whenever a manager's home reads what waits (and when the next failed visit is submitted):
once per episode (the alert's key is the day the child was last seen), answered in a
case-level oversight note like the first step's."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from recorder.domain import timescales
from recorder.domain.roles import MANAGER_ROLES, Role
from recorder.domain.workflow import VisitState, is_escalated, may_oversee_team
from recorder.services.core import Op, Services, require
from recorder.services.not_seen import not_seen_due, not_seen_ladder
from recorder.store.models import Visit, Worker


@dataclass(frozen=True)
class Attention:
    escalated: int = 0  # records whose oversight is overdue and escalated
    #: how long the longest-waiting escalated one is overdue ("overdue by 6 working days")
    worst: str = ""
    manager_records: int = 0  # team managers' own records (a service manager's to sign off)
    #: referred children of the teams not yet seen, and seen alone (issue 13 item 3), and
    #: of those, how many are past the policy's working days
    referrals: int = 0
    referrals_overdue: int = 0
    #: contacts waiting for the manager's decision, and referrers not told in time (F7)
    contacts_to_decide: int = 0
    referrers_not_told: int = 0
    #: open alerts on the teams' children this manager must answer in an oversight note
    alerts: int = 0

    @property
    def words(self) -> str:
        """ "Waiting for you: 1 record overdue by 6 working days, escalated; 1 team manager's
        own record to sign off. ..." ("" when nothing waits)."""
        parts = []
        if self.escalated == 1:
            parts.append(f"1 record {self.worst}, escalated")
        elif self.escalated:
            parts.append(f"{self.escalated} records escalated (the oldest {self.worst})")
        if self.manager_records:
            n = self.manager_records
            own = "1 team manager's own record" if n == 1 else f"{n} team managers' own records"
            parts.append(f"{own} to sign off")
        if self.referrals:
            n, late = self.referrals, self.referrals_overdue
            kids = "1 referred child" if n == 1 else f"{n} referred children"
            parts.append(
                f"{kids} to be seen, and seen alone"
                + (f" ({late} overdue)" if late else " (none overdue yet)")
            )
        if self.contacts_to_decide or self.referrers_not_told:
            n, late = self.contacts_to_decide, self.referrers_not_told
            said = []
            if n:
                said.append(f"{n} contact{'s' if n != 1 else ''} to decide")
            if late:
                said.append(f"{late} referrer{'s' if late != 1 else ''} not told in time")
            parts.append(" and ".join(said) + " (F7)")
        if self.alerts:
            n = self.alerts
            parts.append(
                ("1 alert on a child" if n == 1 else f"{n} alerts on children")
                + " to answer in an oversight note (o on the child's record)"
            )
        if not parts:
            return ""
        queue = (
            " Press F3 for the oversight queue." if self.escalated or self.manager_records else ""
        )
        return "Waiting for you: " + "; ".join(parts) + "." + queue


def _escalate_not_seen(svc: Services, actor_id: int) -> int:
    """Before a manager's home says what waits: the service-manager alerts that time alone
    has made due in the teams they manage, raised in a short write of their own (audited as
    ``escalate_not_seen``) only when there is one; a read-only check otherwise."""
    with svc.viewing() as s:
        actor = svc.actor(s, actor_id)
        if not may_oversee_team(actor):
            return 0
        team_ids = sorted(actor.managed_team_ids)
        if not not_seen_due(svc, s, team_ids):
            return 0

    def run(op: Op) -> int:
        n = not_seen_ladder(svc, op.session, team_ids)
        op.detail = f"raised={n}"
        return n

    return svc.change(actor_id, "escalate_not_seen", "team", None, run)


def attention(svc: Services, actor_id: int) -> Attention:
    """For a manager (a team manager or a service manager), what is escalated in the teams
    they manage and, for a service manager, the team managers' own records waiting."""

    def run(op: Op) -> Attention:
        s = op.session
        actor = svc.actor(s, actor_id)
        require(may_oversee_team(actor))
        team_ids = sorted(actor.managed_team_ids)
        rows = s.exec(
            select(Visit, Worker.role)
            .join(Worker, col(Worker.id) == Visit.author_id)
            .where(
                col(Visit.team_id).in_(team_ids),
                Visit.state == VisitState.AWAITING_OVERSIGHT.value,
            )
        ).all()
        today, policy = svc.today(), svc.policy
        late = [v.oversight_due for v, _ in rows if is_escalated(v.oversight_due, today, policy)]
        above = actor.role is Role.SERVICE_MANAGER
        own = sum(
            1 for v, role in rows if above and role in MANAGER_ROLES and v.author_id != actor.id
        )
        worst = ""
        if late:
            wd = timescales.working_days_for(policy.bank_holiday_region)
            oldest = min(d for d in late if d is not None)
            worst = timescales.describe_due(oldest, today, wd)
        from recorder.services.contact_reads import contact_counts, referrals_to_see
        from recorder.store.models import Child

        kids = s.exec(select(Child.id).where(col(Child.team_id).in_(team_ids))).all()
        referred = referrals_to_see(svc, s, list(kids))
        overdue = sum(1 for r in referred.values() if r.overdue)
        to_decide, not_told = contact_counts(s, svc, team_ids)
        from recorder.services.alerts import open_alert_count

        open_alerts = open_alert_count(s, actor, team_ids)
        op.detail = (
            f"escalated={len(late)} manager_records={own} referrals={len(referred)}"
            f" referrals_overdue={overdue} contacts_to_decide={to_decide}"
            f" referrers_not_told={not_told} alerts={open_alerts}"
        )
        return Attention(
            len(late), worst, own, len(referred), overdue, to_decide, not_told, open_alerts
        )

    _escalate_not_seen(svc, actor_id)  # the not-seen ladder's service-manager step, once due
    return svc.change(actor_id, "view_attention", "team", None, run)
