"""A screen that reads as it is built draws its first frame with its data (issue 15 item 1):
no frame of "Reading..." before a quick answer, "Reading..." drawn all the same when the
answer is slow, and a new screen not laid out again for the size it was just laid out at."""

from __future__ import annotations

import threading

from textual.widgets import Static

from recorder.tui import first_frame
from recorder.tui.screens.child import ChildScreen
from recorder.tui.screens.queues import QueueScreen
from recorder.tui.screens.team import TeamScreen
from tests.support.pilot import home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD


def frames_of(app) -> list:
    """The screen of every frame the app composes from now on."""
    frames: list = []
    display = app._display

    def counted(screen, renderable):
        display(screen, renderable)
        if renderable is not None:
            frames.append(screen)

    app._display = counted
    return frames


async def test_the_child_screen_is_first_drawn_with_the_child(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        frames = frames_of(app)
        drawn_before_data: list[int] = []
        screen = ChildScreen(app.screen.rows[0].id)
        show = screen._show

        def shown(v):
            drawn_before_data.append(sum(1 for s in frames if s is screen))
            show(v)

        screen._show = shown
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.child_view is not None)
        await wait_until(pilot, lambda: any(s is screen for s in frames))
        assert drawn_before_data == [0]
        assert "Amira Khan" in screen.query_one("#child-title", Static).render().plain


async def test_a_slow_read_still_shows_reading(make_app, monkeypatch):
    """Held no longer than HOLD_SECONDS: the person sees the screen and "Reading..."."""
    from recorder.services import caseloads

    go = threading.Event()
    read = caseloads.child_view

    def slow(*args, **kw):
        go.wait(10)
        return read(*args, **kw)

    monkeypatch.setattr(caseloads, "child_view", slow)
    monkeypatch.setattr(first_frame, "HOLD_SECONDS", 0.05)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        frames = frames_of(app)
        screen = ChildScreen(app.screen.rows[0].id)
        app.push_screen(screen)
        try:
            await wait_until(pilot, lambda: any(s is screen for s in frames))
            assert screen.child_view is None
            title = screen.query_one("#child-title", Static).render().plain
            assert title == "Reading the child's record..."
        finally:
            go.set()
        await wait_until(pilot, lambda: screen.child_view is not None)
        await settled(pilot)
        assert "Amira Khan" in screen.query_one("#child-title", Static).render().plain


async def test_the_queue_and_team_view_are_first_drawn_with_their_rows(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        frames = frames_of(app)
        for screen in (QueueScreen("oversight"), TeamScreen()):
            before: list[int] = []
            show = screen._show

            def shown(*args, screen=screen, show=show, before=before):
                before.append(sum(1 for s in frames if s is screen))
                show(*args)

            screen._show = shown
            app.push_screen(screen)
            await wait_until(pilot, lambda screen=screen: any(s is screen for s in frames))
            assert before[:1] == [0], type(screen).__name__
            await settled(pilot)
            app.pop_screen()
            await pilot.pause()


async def test_a_new_screen_is_laid_out_once_for_its_size(make_app):
    """Its first layout's Resize (to the size just laid out at) is not laid out again; a
    real resize afterwards still is, with the size classes of the new size."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        screen = ChildScreen(app.screen.rows[0].id)
        layouts: list = []
        lay_out = screen._refresh_layout

        def counted(size=None, scroll=False):
            layouts.append(("resize" if size is not None else "timer", size))
            return lay_out(size, scroll)

        screen._refresh_layout = counted
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.child_view is not None)
        await settled(pilot)
        sized = [x for x in layouts if x[0] == "resize"]
        assert len(sized) == 1, layouts  # the first showing only, not its Resize again
        assert not screen.has_class("-narrow")
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: screen.has_class("-narrow"))
        assert screen.size.width == 80
        await pilot.resize_terminal(*SIZE)
        await wait_until(pilot, lambda: not screen.has_class("-narrow"))
