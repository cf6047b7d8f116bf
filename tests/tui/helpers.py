"""Driving the app in tests."""

from __future__ import annotations

from typing import Callable

from textual.pilot import Pilot
from textual.widgets import Input


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds (workers answer from threads)."""
    loop_time = 0.0
    while not condition():
        if loop_time > timeout:
            raise AssertionError("the app did not reach the expected state in time")
        await pilot.pause(0.01)
        loop_time += 0.01
    await pilot.pause()


async def store_open(pilot: Pilot) -> None:
    await wait_until(pilot, lambda: pilot.app.store_ready
                     and not pilot.app.screen.query_one("#username", Input).disabled)


async def sign_in(pilot: Pilot, username: str, password: str, *, settle: bool = True) -> None:
    """Fill the form and press Enter in the password field, then wait for the answer."""
    from recorder.tui.screens.home import HomeScreen
    from recorder.tui.screens.signin import SignInScreen

    await store_open(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SignInScreen)
    screen.query_one("#username", Input).value = username
    field = screen.query_one("#password", Input)
    field.value = password
    field.focus()
    await pilot.press("enter")
    if settle:
        await settled(pilot)
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen)
                         or not getattr(pilot.app.screen, "_busy", False))


async def settled(pilot: Pilot) -> None:
    """Wait for every worker, then for the messages they posted."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def home_loaded(pilot: Pilot) -> None:
    from recorder.tui.screens.home import HomeScreen

    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await settled(pilot)
    screen = pilot.app.screen
    if screen.actor.reads_cases:
        await wait_until(pilot, lambda: not screen._reading)
