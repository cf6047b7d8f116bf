"""Driving the app in tests with Textual's Pilot: every wait is on a condition."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input

#: the longest any one wait for the app may take before the test fails saying what it was
#: waiting for (a CI run once hung for ever in one of these, with nothing to say which)
WAIT_LIMIT = 60.0


def outstanding(app) -> str:
    """What the app is still busy with, in words for a failing test: its workers not
    finished, its animations running or scheduled, and where its other tasks are waiting."""
    lines = [f"screen: {type(app.screen).__name__}"]
    for worker in list(app.workers):
        if not worker.is_finished:
            lines.append(f"worker {worker.name!r} ({worker.group}): {worker.state.name}")
    animator = app.animator
    lines += [f"animation running: {key}" for key in list(animator._animations)]
    lines += [f"animation scheduled: {key}" for key in list(animator._scheduled)]
    current = asyncio.current_task()
    for task in asyncio.all_tasks():
        if task is current or task.done():
            continue
        frames = task.get_stack(limit=3)
        where = " < ".join(f"{f.f_code.co_name}:{f.f_lineno}" for f in frames)
        lines.append(f"task {task.get_name()}: {where}")
    return "\n".join(lines)


def record_notices(app) -> None:
    """Keep every notification the app posts in ``app.notices``. Textual drops a toast from
    ``app._notifications`` when its timeout (5 s) has passed, so a test that reads that list
    on a loaded machine can find it already empty (CI: a submission's "Sent for management
    oversight" was gone by the time the test looked)."""
    app.notices = []
    notify = app.notify

    def keep(message, **kw):
        from textual.notifications import Notification

        app.notices.append(
            Notification(str(message), kw.get("title", ""), kw.get("severity", "information"))
        )
        return notify(message, **kw)

    app.notify = keep


def notices(app) -> list:
    """Every notification posted so far, oldest first (see record_notices)."""
    return list(app.notices)


async def bounded(pilot: Pilot, waiting: Awaitable, what: str, limit: float = WAIT_LIMIT) -> None:
    """Await one of Textual's own waits (which have no limit of their own), failing after
    ``limit`` seconds with what the app was still busy with."""
    try:
        await asyncio.wait_for(waiting, limit)
    except asyncio.TimeoutError:
        raise AssertionError(
            f"waited {limit:.0f} s for {what}; still busy:\n{outstanding(pilot.app)}"
        ) from None


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until ``condition()`` holds (workers answer from threads), then let
    it handle what that set off; fail after ``timeout`` seconds of wall-clock time.

    Between two looks the app runs on its own for a few milliseconds: its own timers lay out
    and draw the screen. Not ``pilot.pause()``, which first waits for a callback through
    every widget of the screen (600 on a visit form, about 20 ms of CPU a look) and then
    draws a frame itself. (The limit was counted in nominal 10 ms steps that took longer
    under load; it is wall time now, with room for a loaded machine.)"""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the app did not reach the expected state in time")
        await asyncio.sleep(0.005)
    await pilot.pause()


async def store_open(pilot: Pilot) -> None:
    """The store is open and the sign-in form takes keys. The sign-in screen is the app's
    first screen, composed in its own turn: a snapshot's pilot may start before it is."""

    def ready() -> bool:
        username = pilot.app.screen.query("#username")
        return pilot.app.store_ready and bool(username) and not username.first(Input).disabled

    await wait_until(pilot, ready)


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
        await wait_until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, HomeScreen)
                or not getattr(pilot.app.screen, "_busy", False)
            ),
        )


async def _workers_done(app) -> None:
    """Every worker of the app finished. A worker the app cancelled (an exclusive one that a
    newer one replaced) is finished too: Textual's ``wait_for_complete`` raised
    WorkerCancelled for it, failing a test whose app had done nothing wrong. A worker that
    failed still fails the test."""
    from textual.worker import WorkerCancelled

    for worker in list(app.workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass


async def settled(pilot: Pilot) -> None:
    """Wait for every worker, then for the messages they posted."""
    for _ in range(2):
        await bounded(pilot, _workers_done(pilot.app), "the workers to finish")
        await pilot.pause()


async def home_loaded(pilot: Pilot) -> None:
    from recorder.tui.screens.home import HomeScreen

    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await settled(pilot)
    screen = pilot.app.screen
    if screen.actor.reads_cases:
        await wait_until(pilot, lambda: not screen._reading)


def _tables_pending(screen) -> bool:
    """A DataTable measures its new rows and cells (column widths, virtual size) when it is
    next idle; until then it draws with the old widths."""
    from textual.widgets import DataTable

    return any(
        t._require_update_dimensions or t._updated_cells or t._new_rows
        for t in screen.query(DataTable)
    )


def _picture(pilot: Pilot) -> tuple:
    """What the snapshot plugin would save, as segments (text and style) line by line: the
    compositor's full render, as ``App.export_screenshot`` takes it, without the SVG."""
    app = pilot.app
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    return tuple(tuple(seg for strip in row for seg in strip) for row in update.strips)


def _layout(screen) -> tuple:
    return tuple(
        (id(w), w.display, w.region, w.virtual_size, w.scroll_offset)
        for w in screen.walk_children(with_self=True)
    )


#: how long the picture must stay the same before it counts as drawn, besides ``frames``
#: frames in a row: a timer the screen set (the next section's form, 50 ms) can fire after
#: three quick frames (5 ms idle slices, tests/conftest.py) have passed. A visit snapshot
#: failed once in five runs at load 4-9 with the three frames alone.
QUIET = 0.25


async def drawn(pilot: Pilot, *, frames: int = 3, timeout: float = WAIT_LIMIT / 2) -> None:
    """Wait until the screen is all drawn, as a screenshot needs it: every worker done and
    its messages handled, no animation running, each DataTable's rows measured, and both the
    place and size of every widget and the picture itself (what a snapshot records) the same
    over ``frames`` frames in a row. A widget's text can change without its place changing (a
    detail line redrawn after a highlight): comparing the picture catches that too. (10 s was
    too short on a machine at load 20: two visit snapshots failed "did not settle"; a longer
    limit only makes a real failure slower to say so.)"""
    import time

    if not getattr(pilot.app, "cursor_blink", True):
        # a blinking text cursor would make the frame depend on the moment it is taken; the
        # app steadies its own sign-in and signing fields, this steadies every other one
        from textual.widgets import Input, TextArea

        for field in pilot.app.screen.query("Input, TextArea").results((Input, TextArea)):
            if isinstance(field, Input) or field.has_focus:  # (an unfocused TextArea that
                field.cursor_blink = False  # does not blink draws its cursor: leave those)
    end = time.monotonic() + timeout
    last, same, since = None, 0, time.monotonic()
    while same < frames or time.monotonic() - since < QUIET:
        if time.monotonic() > end:
            raise AssertionError("the screen did not settle in time")
        await settled(pilot)
        await bounded(pilot, pilot.wait_for_scheduled_animations(), "the animations to end")
        screen = pilot.app.screen
        now = None if _tables_pending(screen) else _layout(screen)
        if now is not None and last is not None and now == last[0]:
            picture = _picture(pilot)  # only once the places hold: the picture costs more
            same = same + 1 if picture == last[1] else 0
            if not same:
                since = time.monotonic()
        else:
            picture, same, since = None, 0, time.monotonic()
        last = None if now is None else (now, picture)
        await pilot.pause()


async def visit_drawn(pilot: Pilot, screen) -> None:
    """The visit screen, all drawn: an editable record mounts the other sections' forms one
    by one on timers after it opens, so wait for all of them and the current one shown."""
    from recorder.domain.sections import SECTIONS

    def ready() -> bool:
        if not screen.loaded:
            return False
        if not screen.editable:
            return True
        forms = {f.id: f for f in screen.query(".section-form")}
        current = forms.get(f"form-{screen.section}")
        return len(forms) == len(SECTIONS) and current is not None and current.display

    await wait_until(pilot, ready)
    await drawn(pilot)
