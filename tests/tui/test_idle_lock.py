"""The idle lock (issue 14): no key for the policy's minutes and the session locks; the
screen hides the record, the password is asked again, drafts are kept. The app's idle clock
is a fake moved on by the test (no waiting ten minutes)."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input, Static, TextArea

from recorder.services import visits
from recorder.store.models import AuditEvent
from recorder.tui.dialogs.lock import LockScreen
from tests.support.pilot import home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_visit import stored

WORDS = "Met Jo at the library"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


def actions(svc, action):
    with svc.reading() as s:
        rows = s.exec(select(AuditEvent).where(AuditEvent.action == action)).all()
        return [(e.outcome, e.detail) for e in rows]


def shown(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def test_an_idle_session_locks_keeps_the_draft_and_wants_the_password(make_app, world_svc):
    from recorder.tui.screens.visit import VisitScreen

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    clock = Clock()
    app = make_app(idle_clock=clock)
    minutes = svc.policy.idle_lock_minutes
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        screen = VisitScreen(vid)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.loaded)
        field = screen.query_one("#input-purpose", TextArea)  # a field shown on a new record
        field.focus()
        await pilot.press(*WORDS)
        await wait_until(pilot, lambda: stored(svc, vid, "details").get("purpose") == WORDS, 30)
        # a minute short: not locked; a key puts the clock back to nought
        clock.advance(minutes - 1)
        app.idle.tick()
        assert not isinstance(app.screen, LockScreen)
        await pilot.press("end")
        clock.advance(minutes - 0.5)
        app.idle.tick()
        assert not isinstance(app.screen, LockScreen)
        app.notify("Kai Robinson: visit due tomorrow", title="Due")
        await pilot.pause()
        assert app._notifications
        clock.advance(1)
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))  # the app's tick
        lock = app.screen
        await settled(pilot)
        assert WORDS not in shown(lock)  # the record is hidden, not dimmed behind a dialog
        assert f"after {minutes} minutes" in shown(lock)
        await wait_until(pilot, lambda: actions(svc, "lock_session") == [("ok", f"idle:{minutes}")])
        # no toast over the lock: those shown are cleared, new ones held back
        assert not app._notifications
        app.notify("Kai Robinson's record was signed off", title="Signed off")
        await pilot.pause()
        assert not app._notifications
        # the command palette (it finds children) does not open over the lock
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen is lock
        # a record a late call opens while locked waits for the unlock (not over the lock)
        from recorder.tui.dialogs.confirm import ConfirmDialog

        late = ConfirmDialog("Kai Robinson", "Open the record?", "Open")
        app.push_screen(late)
        await pilot.pause()
        assert app.screen is lock and not late.is_attached
        # a wrong password: still locked, said in words, the field emptied
        await pilot.press(*"wrong", "enter")
        await wait_until(pilot, lambda: "stays locked" in shown(lock))
        assert app.screen is lock and lock.query_one("#lock-password", Input).value == ""
        # the right one: the held dialog, then under it the record, with what was typed
        await pilot.press(*PASSWORD, "enter")
        await wait_until(pilot, lambda: app.screen is late)
        late.dismiss(False)
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.query_one("#input-purpose", TextArea).text == WORDS
        assert stored(svc, vid, "details")["purpose"] == WORDS
        assert actions(svc, "resume_session") == [("refused", "bad_password:1"), ("ok", "")]
        # and it locks again after the next idle spell
        clock.advance(minutes)
        app.idle.tick()
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))


async def test_nobody_signed_in_nothing_to_lock(make_app):
    clock = Clock()
    app = make_app(idle_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.store_ready)
        clock.advance(24 * 60)
        app.idle.tick()
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen) and not app.idle.locked


async def test_the_lock_at_80x24_and_quitting_from_it(make_app, world_svc):
    clock = Clock()
    app = make_app(idle_clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        clock.advance(60)
        app.idle.tick()
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))
        await settled(pilot)
        field = app.screen.query_one("#lock-password", Input)
        assert field.region.bottom <= 24 and field.has_focus
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None or not app.is_running)


class TestLockSnapshot:
    def test_the_locked_screen(self, snap_compare, make_app):
        from tests.support.pilot import drawn

        async def run_before(pilot):
            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            pilot.app.idle.lock()
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, LockScreen))
            await pilot.press(*"wrong", "enter")
            await wait_until(pilot, lambda: "stays locked" in shown(pilot.app.screen))
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
