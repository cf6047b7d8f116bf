"""Sign-in hardening (issue 5, part 9), on both backends: the lockout rules to the attempt,
administrator unlock, and argon2id hashes rehashed at sign-in when the parameters rise."""

from __future__ import annotations

import pytest
from sqlmodel import select

from recorder.domain.policy import Policy
from recorder.services import accounts
from recorder.services.accounts import Hasher
from recorder.services.core import Services
from recorder.services.errors import AccountLocked, NotAllowed, SignInDelayed, SignInFailed
from recorder.store.models import Worker
from tests.support.stores import audit_events
from tests.support.world import PASSWORD, build_world


@pytest.fixture
def world(svc):
    return build_world(svc)


def worker(svc, username) -> Worker:
    with svc.reading() as s:
        return s.exec(select(Worker).where(Worker.username == username)).one()


def fail(svc, n, username="sw"):
    """n wrong passwords; returns the errors raised."""
    out = []
    for i in range(n):
        with pytest.raises(SignInFailed) as e:
            accounts.sign_in(svc, username, f"not the password {i}")
        out.append(e.value)
    return out


# -- lockout ------------------------------------------------------------------------


def test_four_failures_no_delay_fifth_delays_by_the_policy_base(svc, world, clock):
    errors = fail(svc, 5)
    assert [type(e) for e in errors[:4]] == [SignInFailed] * 4
    assert isinstance(errors[4], SignInDelayed)
    assert errors[4].seconds == svc.policy.signin_delay_base_seconds  # 2 s * 2 ** 0
    assert "Wait 2 seconds" in errors[4].message
    # during the delay even the right password is refused, and the refusal does not count
    with pytest.raises(SignInDelayed):
        accounts.sign_in(svc, "sw", PASSWORD)
    assert worker(svc, "sw").failed_signins == 5
    clock.advance(seconds=2)  # the delay over exactly: the right password works, count reset
    assert accounts.sign_in(svc, "sw", PASSWORD).id == world.sw
    w = worker(svc, "sw")
    assert (w.failed_signins, w.signin_blocked_until, w.locked) == (0, None, False)


def test_a_good_sign_in_resets_the_count(svc, world, clock):
    fail(svc, 4)
    accounts.sign_in(svc, "sw", PASSWORD)
    errors = fail(svc, 4)  # four more: still no delay, the earlier four were forgiven
    assert not any(isinstance(e, SignInDelayed) for e in errors)


def test_ninth_failure_is_not_locked_tenth_is(svc, world, clock):
    for i in range(9):
        with pytest.raises(SignInFailed) as e:
            accounts.sign_in(svc, "sw", f"wrong {i}")
        assert not isinstance(e.value, AccountLocked)
        clock.advance(seconds=10_000)  # wait out every delay
    assert not worker(svc, "sw").locked
    with pytest.raises(AccountLocked) as e:
        accounts.sign_in(svc, "sw", "wrong 9")
    assert "locked" in e.value.message and "administrator" in e.value.message
    assert worker(svc, "sw").locked
    clock.advance(days=30)  # a lock does not time out
    with pytest.raises(AccountLocked):
        accounts.sign_in(svc, "sw", PASSWORD)


def test_a_locked_account_cannot_sign_records_either(svc, world, clock):
    for i in range(10):
        clock.advance(seconds=10_000)
        with pytest.raises(SignInFailed):
            accounts.sign_in(svc, "manager", f"wrong {i}")
    with svc.reading() as s, pytest.raises(NotAllowed):
        accounts.check_password(svc, s, world.manager, PASSWORD)


def test_only_an_administrator_unlocks_and_every_attempt_is_audited(svc, world, clock):
    for i in range(10):
        clock.advance(seconds=10_000)
        with pytest.raises(SignInFailed):
            accounts.sign_in(svc, "sw", f"wrong {i}")
    for who in (world.manager, world.sw2, world.student):
        with pytest.raises(NotAllowed):
            accounts.unlock(svc, who, "sw")
    assert worker(svc, "sw").locked
    accounts.unlock(svc, world.admin, "sw")
    unlocks = audit_events(svc, "unlock")
    assert [(e.actor_id, e.outcome) for e in unlocks] == [
        (world.manager, "refused"),
        (world.sw2, "refused"),
        (world.student, "refused"),
        (world.admin, "ok"),
    ]
    assert unlocks[-1].entity_id == world.sw
    w = worker(svc, "sw")
    assert (w.locked, w.failed_signins, w.signin_blocked_until) == (False, 0, None)
    assert accounts.sign_in(svc, "sw", PASSWORD).id == world.sw


def test_thresholds_come_from_policy(db_url, clock):
    from tests.support.stores import make_services

    svc = make_services(
        db_url,
        clock,
        Policy(
            failed_signins_before_delay=2,
            failed_signins_before_lock=3,
            signin_delay_base_seconds=1.0,
        ),
    )
    try:
        build_world(svc)
        errors = fail(svc, 2)
        assert type(errors[0]) is SignInFailed and isinstance(errors[1], SignInDelayed)
        assert errors[1].seconds == 1.0
        clock.advance(seconds=2)
        with pytest.raises(AccountLocked):
            accounts.sign_in(svc, "sw", "wrong again")
    finally:
        svc.engine.dispose()


# -- argon2id and rehash on sign-in -------------------------------------------------


def stronger(svc, **params) -> Services:
    """The same store, after the administrator raised the argon2 parameters."""
    p = dict(time_cost=2, memory_cost=16, parallelism=1) | params
    return Services(engine=svc.engine, policy=svc.policy, clock=svc.clock, hasher=Hasher(**p))


def test_hash_is_rehashed_in_the_sign_in_when_parameters_rise(svc, world):
    old = worker(svc, "sw").password_hash
    assert old.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    svc2 = stronger(svc)
    assert accounts.sign_in(svc2, "sw", PASSWORD).id == world.sw
    new = worker(svc, "sw").password_hash
    assert new != old and new.startswith("$argon2id$v=19$m=16,t=2,p=1$")
    assert PASSWORD not in new
    last = audit_events(svc, "sign_in")[-1]
    assert (last.actor_id, last.outcome, last.detail) == (world.sw, "ok", "rehashed")
    # the new hash still takes the same password, and is not rehashed a second time
    assert accounts.sign_in(svc2, "sw", PASSWORD).id == world.sw
    assert worker(svc, "sw").password_hash == new
    assert audit_events(svc, "sign_in")[-1].detail == ""


def test_a_wrong_password_never_rehashes(svc, world):
    old = worker(svc, "sw").password_hash
    with pytest.raises(SignInFailed):
        accounts.sign_in(stronger(svc), "sw", "not the password")
    assert worker(svc, "sw").password_hash == old


def test_unchanged_parameters_do_not_rehash(svc, world):
    old = worker(svc, "sw").password_hash
    accounts.sign_in(svc, "sw", PASSWORD)
    assert worker(svc, "sw").password_hash == old


def test_an_older_argon2_type_becomes_argon2id(svc, world):
    from argon2 import PasswordHasher, Type

    argon2i = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.I)
    with svc.writing() as s:
        w = s.exec(select(Worker).where(Worker.username == "sw2")).one()
        w.password_hash = argon2i.hash(PASSWORD)
        s.add(w)
    assert worker(svc, "sw2").password_hash.startswith("$argon2i$")
    accounts.sign_in(svc, "sw2", PASSWORD)
    assert worker(svc, "sw2").password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")


def test_rehash_and_its_audit_event_are_one_transaction(svc, world, monkeypatch):
    """If the sign-in's transaction fails, neither the new hash nor the event is written."""
    old = worker(svc, "sw").password_hash
    before = len(audit_events(svc, "sign_in"))
    svc2 = stronger(svc)

    def broken_audit(*a, **kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(svc2, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        accounts.sign_in(svc2, "sw", PASSWORD)
    assert worker(svc, "sw").password_hash == old
    assert len(audit_events(svc, "sign_in")) == before
