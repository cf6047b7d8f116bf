"""Locking an unattended session (issue 14): no key or click for ``idle_lock_minutes``
(policy) and the screen locks until its owner's password is given again.

The app tells :class:`IdleLock` of every key, click, scroll and paste (``touch``) and asks it
once a second (``tick``). The clock is injectable, so a test moves time on instead of
waiting. Locking pushes :class:`~recorder.tui.dialogs.lock.LockScreen` over everything: the
screens under it keep what was typed in them. Locking and unlocking are audited
(``accounts.lock_session`` / ``resume_session``); the lock holds even when the audit cannot
be written (the database gone): the screen is hidden first.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from textual.app import App

#: How often the app asks whether the session has been idle long enough.
CHECK_SECONDS = 1.0


class IdleLock:
    def __init__(self, app: App, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.clock = clock
        self.last_activity = clock()
        #: True while the lock screen is up
        self.locked = False
        #: screens opened while locked, shown once unlocked (``hold``)
        self._held: list[tuple[object, object]] = []

    def touch(self) -> None:
        if not self.locked:
            self.last_activity = self.clock()

    def idle_limit_seconds(self) -> float | None:
        svc = getattr(self.app, "services", None)
        if svc is None:
            return None
        return svc.policy.idle_lock_minutes * 60.0

    def tick(self) -> None:
        actor = getattr(self.app, "actor", None)
        limit = self.idle_limit_seconds()
        if self.locked or actor is None or limit is None:
            return
        if self.clock() - self.last_activity >= limit:
            self.lock()

    def lock(self) -> None:
        from recorder.services import accounts
        from recorder.tui.calls import run_call
        from recorder.tui.dialogs.lock import LockScreen

        app = self.app
        actor = getattr(app, "actor", None)
        svc = getattr(app, "services", None)
        if self.locked or actor is None or svc is None:
            return
        self.locked = True
        # toasts name children and workers; the lock hides them too (and app.notify holds
        # new ones back while locked: the screens under the lock say their own state)
        app.clear_notifications()
        minutes = svc.policy.idle_lock_minutes
        app.push_screen(
            LockScreen(actor, minutes, lambda pw: accounts.resume_session(svc, actor.id, pw)),
            self._unlocked,
        )
        # audited behind the lock: if it cannot be written the screen is locked all the same
        run_call(
            app,
            "Recording the lock",
            lambda: accounts.lock_session(svc, actor.id, minutes),
            lambda _: None,
            lambda _outcome: None,
            group="idle-lock",
        )

    def hold(self, screen, callback) -> bool:
        """True when ``screen`` must wait for the unlock: while locked, everything but the
        lock screen itself and its help."""
        from recorder.tui.dialogs.help import HelpScreen
        from recorder.tui.dialogs.lock import LockScreen

        if not self.locked or isinstance(screen, (LockScreen, HelpScreen)):
            return False
        self._held.append((screen, callback))
        return True

    def _unlocked(self, _result: bool | None) -> None:
        self.locked = False
        self.last_activity = self.clock()
        held, self._held = self._held, []
        for screen, callback in held:
            self.app.push_screen(screen, callback)
