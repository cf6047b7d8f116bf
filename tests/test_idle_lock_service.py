"""The idle lock's two services (issue 14), on both backends: locking is audited, and
unlocking checks the password exactly as sign-in does (counted, delayed, locked), so a
locked screen is no way round the sign-in limits."""

from __future__ import annotations

import pytest
from sqlmodel import select

from recorder.services import accounts
from recorder.services.errors import AccountLocked, SignInDelayed, SignInFailed
from recorder.store.models import AuditEvent, Worker
from tests.support.world import PASSWORD, build_world


@pytest.fixture
def world(svc):
    return build_world(svc)


def events(svc, action):
    with svc.reading() as s:
        return [
            (e.actor_id, e.outcome, e.detail)
            for e in s.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).all()
        ]


def test_locking_is_audited(svc, world):
    accounts.lock_session(svc, world.sw, 10)
    assert events(svc, "lock_session") == [(world.sw, "ok", "idle:10")]


def test_the_right_password_unlocks_and_a_wrong_one_does_not(svc, world):
    with pytest.raises(SignInFailed) as e:
        accounts.resume_session(svc, world.sw, "not it")
    assert "the screen stays locked" in e.value.message
    actor = accounts.resume_session(svc, world.sw, PASSWORD)
    assert actor.id == world.sw
    assert events(svc, "resume_session") == [
        (world.sw, "refused", "bad_password:1"),
        (world.sw, "ok", ""),
    ]
    assert events(svc, "sign_in") == []  # an unlock is not a sign-in


def test_wrong_passwords_at_the_lock_count_as_at_sign_in(svc, world, clock):
    p = svc.policy
    for i in range(p.failed_signins_before_delay):
        with pytest.raises(SignInFailed):
            accounts.resume_session(svc, world.sw, f"guess {i}")
    with pytest.raises(SignInDelayed):  # the right one too, during the delay
        accounts.resume_session(svc, world.sw, PASSWORD)
    for i in range(p.failed_signins_before_delay, p.failed_signins_before_lock):
        clock.advance(seconds=3600)
        with pytest.raises(SignInFailed):
            accounts.resume_session(svc, world.sw, f"guess {i}")
    clock.advance(seconds=3600)
    with pytest.raises(AccountLocked):
        accounts.resume_session(svc, world.sw, PASSWORD)
    with svc.reading() as s:
        assert s.get(Worker, world.sw).locked


def test_an_account_made_inactive_meanwhile_stays_out(svc, world):
    with svc.writing() as s:
        w = s.get(Worker, world.sw)
        w.active = False
        s.add(w)
    with pytest.raises(SignInFailed):
        accounts.resume_session(svc, world.sw, PASSWORD)
