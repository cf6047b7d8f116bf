"""Registration currency (issue 12, defect 7; DOMAIN.md "Who uses it"): Social Work England's
renewal window closes on 30 November and anyone who has not renewed is removed from the
register, so a registration not checked since the last renewal deadline (or longer ago than
the re-check interval) is unverified: that worker's records need a qualified countersign,
and they may not countersign, sign off or hold cases until an administrator records a check."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from recorder.domain.policy import Policy, PolicyError
from recorder.domain.roles import Role, last_renewal_deadline, registration_problem
from recorder.services import accounts, children, visits
from recorder.services.errors import InvalidInput, NotAllowed
from tests.support.records import COUNTERSIGN_COMMENT, note_for, submitted
from tests.support.world import PASSWORD, build_world

DEC_1 = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(svc):
    return build_world(svc)


def test_a_check_before_the_last_renewal_deadline_is_unverified():
    """Social Work England: the renewal window closes on 30 November; the deadline's own day
    is still inside it. Policy sets the month, the day and the re-check interval."""
    sw = Role.SOCIAL_WORKER
    assert last_renewal_deadline(date(2026, 12, 1), 11, 30) == date(2026, 11, 30)
    assert last_renewal_deadline(date(2026, 11, 30), 11, 30) == date(2025, 11, 30)
    assert "before Social Work England's renewal deadline of 30 Nov 2026" in registration_problem(
        sw, "SW1", date(2026, 8, 18), date(2026, 12, 1)
    )
    assert registration_problem(sw, "SW1", date(2026, 8, 18), date(2026, 11, 30)) == ""
    assert registration_problem(sw, "SW1", date(2026, 12, 1), date(2026, 12, 1)) == ""
    assert registration_problem(sw, "SW1", None, date(2026, 12, 1)) == (
        "the register has never been checked"
    )
    # the re-check interval: 12 calendar months by default
    assert registration_problem(sw, "SW1", date(2025, 12, 2), date(2026, 11, 2)) == ""
    assert "more than 3 months ago" in registration_problem(
        sw, "SW1", date(2026, 1, 5), date(2026, 6, 1), recheck_months=3
    )
    # a deadline on another day
    assert registration_problem(
        sw, "SW1", date(2026, 3, 1), date(2026, 4, 2), renewal_month=3, renewal_day=31
    )
    # only a qualified role with a number has a registration to be current
    assert registration_problem(Role.UNQUALIFIED, None, None, date(2026, 12, 1)) == ""
    assert registration_problem(Role.ADMINISTRATOR, None, None, date(2026, 12, 1)) == ""


def test_the_renewal_deadline_and_interval_are_policy_with_ranges():
    p = Policy(registration_renewal_month=3, registration_renewal_day=31)
    assert (p.registration_renewal_month, p.registration_renewal_day) == (3, 31)
    with pytest.raises(PolicyError, match="registration_renewal_day"):
        Policy(registration_renewal_month=2, registration_renewal_day=30)
    with pytest.raises(PolicyError, match="from 1 to 24"):
        Policy(registration_recheck_months=25)
    assert Policy().registration_recheck_months == 12


def test_an_account_checked_on_18_august_cannot_countersign_on_1_december(svc, world, clock):
    """Issue 12, defect 7: on e26c997 a registered worker whose register check was dated
    18 Aug 2026 could still countersign on 1 Dec 2026, after Social Work England's renewal
    deadline of 30 Nov. Now the countersign is refused with words naming the fix; after an
    administrator records a new check it goes through."""
    accounts.set_registration(svc, world.admin, "sw", "SW200001", date(2026, 8, 18))
    vid = submitted(svc, world.student, world.child)
    clock.current = DEC_1
    with pytest.raises(NotAllowed) as refused:
        visits.countersign(svc, world.sw, vid, COUNTERSIGN_COMMENT, PASSWORD)
    assert refused.value.message == (
        "You cannot countersign: your Social Work England registration is unverified (last "
        "checked on 18 Aug 2026, before Social Work England's renewal deadline of 30 Nov 2026). "
        "An administrator records a new check with: recorder user check-registration sw "
        "--on DATE"
    )
    accounts.check_registration(svc, world.admin, "sw", date(2026, 12, 1))
    visits.countersign(svc, world.sw, vid, COUNTERSIGN_COMMENT, PASSWORD)


def test_an_unverified_worker_needs_countersign_and_may_not_sign_off_or_hold_cases(
    svc, world, clock
):
    """DOMAIN.md "Who uses it": an unverified registration's records need a qualified
    countersign; the worker may not sign off or hold cases; sign-in and the account list say
    so with the command that fixes it."""
    clock.current = DEC_1  # every world check (1 Oct 2026) is now before the deadline
    for who in ("sw2", "manager2"):
        accounts.check_registration(svc, world.admin, who, date(2026, 12, 1))
    me = accounts.sign_in(svc, "sw", PASSWORD)
    assert me.needs_countersign and not me.is_registered
    assert "30 Nov 2026" in me.registration_problem
    users = {u.username: u for u in accounts.list_users(svc, world.admin)}
    assert users["sw"].registration_problem and not users["sw2"].registration_problem
    # records need countersign
    vid = submitted(svc, world.sw, world.child)
    with svc.reading() as s:
        from recorder.store.models import Visit

        v = s.get(Visit, vid)
        assert v is not None and v.state == "awaiting_countersign"
    # may not hold cases
    with pytest.raises(InvalidInput, match="recorder user check-registration sw --on DATE"):
        children.allocate(svc, world.admin, "C0001", "sw")
    children.allocate(svc, world.admin, "C0001", "sw2")
    # an unverified manager reads their team but may not sign off
    visits.countersign(svc, world.sw2, vid, COUNTERSIGN_COMMENT, PASSWORD)
    with pytest.raises(NotAllowed, match="cannot sign off management oversight: your Social"):
        visits.sign_off(svc, world.manager, vid, note_for(svc, vid), PASSWORD)
    visits.sign_off(svc, world.manager2, vid, note_for(svc, vid), PASSWORD)
    with pytest.raises(InvalidInput, match="already checked on 2026-12-01"):
        accounts.check_registration(svc, world.admin, "sw2", date(2026, 11, 30))
    with pytest.raises(InvalidInput, match="no Social Work England number"):
        accounts.check_registration(svc, world.admin, "student", date(2026, 12, 1))
