"""Sign-in checks the password with no write transaction open (issue 15, item 1), on SQLite
and PostgreSQL.

The argon2 check takes a tenth of a second or more. It ran inside the sign-in's write
transaction, so on SQLite (``BEGIN IMMEDIATE``) every sign-in held the store's only write
lock for that long and another terminal's autosave waited for it. The account is now read,
the password checked, and the failure count and audit event written in a short transaction
of their own, on the account as it is then."""

from __future__ import annotations

import threading
import time

import pytest

from recorder.services import accounts, visits
from recorder.services.errors import AccountLocked
from recorder.store.models import Worker
from tests.support.stores import audit_events, open_services
from tests.support.world import PASSWORD, build_world


class HeldHasher:
    """The store's hasher, but each check waits until the test lets it go."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.inside, self.release = threading.Event(), threading.Event()
        self.during = None  # run once, while the first check is held

    def verify(self, hashed: str, password: str) -> bool:
        if self.during is not None:
            during, self.during = self.during, None
            self.inside.set()
            during()
            self.release.wait(20)
        return self.inner.verify(hashed, password)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_an_autosave_is_not_held_up_by_a_sign_in_checking_its_password(svc, clock, monkeypatch):
    world = build_world(svc)
    monkeypatch.setenv("RECORDER_DB_LOCK_TIMEOUT", "1")  # a blocked save fails in 1 s
    other = open_services(svc.engine.url.render_as_string(hide_password=False), clock)
    try:
        vid = visits.start_visit(other, world.sw, world.child)
        held = svc.hasher = HeldHasher(svc.hasher)
        waited: list[float] = []

        def save_meanwhile() -> None:
            started = time.monotonic()
            visits.save_section(other, world.sw, vid, "observations", {"seen": "Mid sign-in."})
            waited.append(time.monotonic() - started)
            held.release.set()

        held.during = save_meanwhile
        actor = accounts.sign_in(svc, "manager", PASSWORD)
        assert actor.id == world.manager
        assert waited and waited[0] < 1, f"the autosave waited {waited} s for the sign-in"
        saved = visits.load_visit(other, world.sw, vid).content["observations"]
        assert saved == {"seen": "Mid sign-in."}
        (event,) = [e for e in audit_events(svc, "sign_in") if e.actor_id == world.manager]
        assert (event.entity_id, event.outcome) == (world.manager, "ok")
    finally:
        other.engine.dispose()


def test_an_account_locked_while_its_password_is_checked_stays_out(svc, clock):
    world = build_world(svc)
    held = svc.hasher = HeldHasher(svc.hasher)

    def lock_meanwhile() -> None:
        with svc.writing() as s:
            w = s.get(Worker, world.sw)
            w.locked = True
            s.add(w)
        held.release.set()

    held.during = lock_meanwhile
    with pytest.raises(AccountLocked):
        accounts.sign_in(svc, "sw", PASSWORD)
    with svc.reading() as s:
        assert s.get(Worker, world.sw).failed_signins == 0  # refused, not counted as wrong
    (event,) = [e for e in audit_events(svc, "sign_in") if e.entity_id == world.sw]
    assert (event.outcome, event.detail) == ("refused", "locked")


def test_a_password_changed_while_the_old_one_is_checked_is_checked_again(svc, clock):
    world = build_world(svc)
    held = svc.hasher = HeldHasher(svc.hasher)
    new_password = "a whole new passphrase 42"

    def reset_meanwhile() -> None:
        accounts.reset_password(svc, world.admin, "sw", new_password)
        held.release.set()

    held.during = reset_meanwhile
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(svc, "sw", PASSWORD)  # right when read, wrong when it is decided
    assert accounts.sign_in(svc, "sw", new_password).id == world.sw
