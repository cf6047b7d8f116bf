"""A visit record opened while the database is away (issue 14, tried in tmux on PostgreSQL):
the screen said "Press Escape and open it again" and stayed empty after the database came
back, while the app said "screens are up to date". Now it opens by itself when the
database answers, and once open it is never read again under the typing."""

from __future__ import annotations

from textual.widgets import Static

from recorder.services import visits
from recorder.tui import refresh
from tests.support.pilot import settled, wait_until
from tests.support.tui import SIZE
from tests.tui.test_fresh import within


async def test_a_visit_that_could_not_be_opened_opens_by_itself(make_app, world_svc, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from recorder.tui.screens.visit import VisitScreen

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    real, calls = visits.load_visit, []

    def gone_then_back(*args, **kwargs):
        calls.append(1)
        if len(calls) <= 2:  # the first read and the first retry: the database is away
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))
        return real(*args, **kwargs)

    monkeypatch.setattr(visits, "load_visit", gone_then_back)
    monkeypatch.setattr(refresh, "RETRY_SECONDS", 0.3)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        with svc.reading() as s:  # signed in as the worker (the password check is slow)
            app.actor = svc.actor(s, world.sw)
        screen = VisitScreen(vid)
        await pilot.app.push_screen(screen)
        await wait_until(pilot, lambda: len(calls) >= 1 and "did not work" in screen.status_text)
        assert "the database cannot be reached" in screen.status_text
        assert "opens by itself when the database answers" in screen.status_text
        banner = screen.query_one("#banner", Static)
        assert "not shown" in str(banner.visual)
        await within(pilot, lambda: screen.loaded, seconds=10.0)  # no key pressed
        assert len(calls) == 3 and app.screen is screen and screen.editable
        assert "DRAFT" in str(banner.visual)
        # once open, it is not read again (it holds what is being typed)
        assert not refresh.stale(screen)
        # what the app's refresh timer does on each tick: it leaves the open record alone
        assert not refresh.tick(app)
        await settled(pilot)
        assert len(calls) == 3
