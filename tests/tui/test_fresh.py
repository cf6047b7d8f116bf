"""Screens stay fresh (issue 11, item 6): a change made in another terminal (a second
Services on the same store, with an engine of its own) reaches the screen in front within
2 s with no key pressed, the cursor staying on the row it was on, on SQLite and PostgreSQL;
a database that goes away while the app watches it is said once, in words, and the app
carries on and catches up when it answers again."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Input, Static

from recorder.tui import refresh
from tests.support.clock import FROZEN_NOW, FrozenClock
from tests.support.outage import Outage
from tests.support.pilot import home_loaded, notices, settled, sign_in, wait_until
from tests.support.records import fill
from tests.support.stores import fresh_pg_schema, make_services, open_services
from tests.support.tui import SIZE
from tests.support.world import PASSWORD, build_world

#: the issue's limit: a change shows within this many seconds, wall-clock
FRESH_WITHIN = 2.0


def submit(svc, author, child) -> int:
    from recorder.services import visits

    vid = visits.start_visit(svc, author, child)
    fill(svc, author, vid)
    visits.submit(svc, author, vid)
    return vid


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, world_svc):
    """(the app's Services, the World, the store's URL) on each backend."""
    if request.param == "sqlite":
        svc, world = world_svc
        yield svc, world, svc.engine.url.render_as_string(hide_password=False)
        return
    url = fresh_pg_schema(request.getfixturevalue("pg_server_url"))
    svc = make_services(url)
    try:
        yield svc, build_world(svc), url
    finally:
        svc.engine.dispose()


@pytest.fixture
def other_terminal(store):
    """Another terminal's services on the same store. Its clock is two days behind, so what
    it submits is due sooner and lists above the rows already there."""
    _svc, _world, url = store
    other = open_services(url, clock=FrozenClock(FROZEN_NOW - timedelta(days=2)))
    yield other
    other.engine.dispose()


@pytest.fixture
def other(world_svc):
    """Another terminal's services on the SQLite store the app uses."""
    svc, _world = world_svc
    another = open_services(svc.engine.url.render_as_string(hide_password=False))
    yield another
    another.engine.dispose()


async def within(pilot, condition, seconds: float = FRESH_WITHIN) -> float:
    """Run the app until ``condition()`` holds; fail after ``seconds`` of wall-clock time.
    The seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not on screen within {seconds} s")
        await pilot.pause(0.02)
    return time.monotonic() - start


def cursor_key(table: DataTable) -> str:
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def says(app, words: str) -> bool:
    return any(words in n.message for n in notices(app))


async def oversight_queue(pilot):
    from recorder.tui.screens.queues import QueueScreen

    await sign_in(pilot, "manager", PASSWORD)
    await home_loaded(pilot)
    await pilot.press("f3")
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, QueueScreen) and pilot.app.screen.loaded
    )
    await settled(pilot)
    return pilot.app.screen


async def test_a_change_in_the_first_half_second_is_heard(world_svc, other, make_app):
    """The watcher notes where the store is when the app opens it, not at its first poll
    half a second on: a change another terminal made in between was never heard (home
    missed a new draft made right after signing in, about one run in two). On SQLite it is
    noted at once; on PostgreSQL the first poll starts at once, in its thread."""
    svc, world = world_svc
    app = make_app(svc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: app._watcher is not None)
        before = refresh.generation(app)
        submit(other, world.sw, world.child)
        await within(pilot, lambda: refresh.generation(app) > before)


async def test_another_terminals_submission_reaches_the_oversight_queue(
    store, other_terminal, make_app
):
    svc, world, _url = store
    first, second = submit(svc, world.sw, world.child), submit(svc, world.sw, world.child)
    app = make_app(svc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        queue = await oversight_queue(pilot)
        table = queue.query_one("#queue", DataTable)
        assert [r.visit_id for r in queue.rows] == [first, second]
        await pilot.press("down")
        assert cursor_key(table) == str(second)

        new = submit(other_terminal, world.sw, world.child)  # no key is pressed after this
        took = await within(pilot, lambda: table.row_count == 3)
        assert [r.visit_id for r in queue.rows] == [new, first, second]
        assert cursor_key(table) == str(second)  # the same row, now one line down
        assert table.cursor_row == 2
        status = str(queue.query_one("#queue-status", Static).visual)
        assert status.startswith("3 records waiting")  # the count follows the rows
        assert took < FRESH_WITHIN


async def test_no_reload_under_a_dialog_or_while_typing_then_it_catches_up(
    world_svc, make_app, other
):
    from recorder.tui.dialogs.help import HelpScreen
    from recorder.tui.screens.home import HomeScreen

    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        queue = await oversight_queue(pilot)
        table = queue.query_one("#queue", DataTable)
        generation = app.store_generation
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        submit(other, world.sw, world.child)
        await within(pilot, lambda: app.store_generation > generation)
        await settled(pilot)
        assert table.row_count == 0  # nothing moves under the open dialog
        await pilot.press("escape")
        await within(pilot, lambda: table.row_count == 1)  # caught up once it closed

        # home: typing in the find field holds the reload until the typing stops
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await settled(pilot)
        home = app.screen
        home.query_one("#find", Input).focus()
        reads = []
        original = home.action_reload
        home.action_reload = lambda: (reads.append(time.monotonic()), original())[-1]
        await pilot.press("x")
        typed = app.last_key_at  # when the app took the key (press returns later under load)
        assert typed > 0
        submit(other, world.sw, world.child)
        await within(pilot, lambda: bool(reads), seconds=5.0)
        # not while a key was pressed a moment ago
        assert reads[0] - typed >= refresh.TYPING_PAUSE
        assert home.query_one("#find", Input).value == "x"


# -- the database goes away while the app watches it -------------------------------------
async def test_the_database_going_away_is_said_once_and_the_app_catches_up(
    store, other_terminal, make_app, monkeypatch
):
    import recorder.tui.app

    monkeypatch.setattr(recorder.tui.app, "GONE_RETRY_SECONDS", 0.5)  # a quicker test
    svc, world, url = store
    submit(svc, world.sw, world.child)
    outage = Outage(url)
    app = make_app(svc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        queue = await oversight_queue(pilot)
        table = queue.query_one("#queue", DataTable)
        outage.begin(app._watcher)
        try:
            await within(pilot, lambda: app.store_gone, seconds=5.0)
            await within(pilot, lambda: says(app, "Screens are not updating"), seconds=1.0)
            assert says(app, "the database cannot be reached")
            gone_since = app._poll_again_at
            await within(pilot, lambda: app._poll_again_at > gone_since, seconds=5.0)
            # tried again, and still said only once
            assert sum("not updating" in n.message for n in notices(app)) == 1
            assert app.screen is queue and table.row_count == 1  # still up, rows still shown
        finally:
            outage.end()
        submit(other_terminal, world.sw, world.child)
        await within(pilot, lambda: says(app, "The database answers again"), seconds=5.0)
        assert not app.store_gone
        await within(pilot, lambda: table.row_count == 2)


async def test_home_and_the_child_screen_follow_another_terminal(world_svc, make_app, other):
    from recorder.services import visits
    from recorder.tui.screens.child import ChildScreen

    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        home = app.screen
        assert [r.drafts for r in home.rows] == [0]
        visits.start_visit(other, world.sw, world.child)
        await within(pilot, lambda: [r.drafts for r in home.rows] == [1])

        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ChildScreen) and app.screen.child_view
        )
        await settled(pilot)
        child = app.screen
        table = child.query_one("#visits", DataTable)
        await pilot.press("down")
        kept, before = cursor_key(table), table.row_count
        visits.start_visit(other, world.sw, world.child)
        await within(pilot, lambda: table.row_count == before + 1)
        assert cursor_key(table) == kept


async def test_the_team_view_and_a_workers_caseload_follow_another_terminal(
    world_svc, make_app, other
):
    from recorder.services import children
    from recorder.tui.screens.team import TeamScreen

    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, TeamScreen) and app.screen.team)
        await settled(pilot)
        team = app.screen
        table = team.query_one("#team-table", DataTable)
        table.move_cursor(row=table.get_row_index(str(world.sw)))

        def waiting() -> int:
            return next(w.awaiting_oversight for w in team.team.workers if w.id == world.sw)

        assert waiting() == 0
        submit(other, world.sw, world.child)
        await within(pilot, lambda: waiting() == 1)
        assert cursor_key(table) == str(world.sw)

        # Enter on the worker: their caseload, which follows too (a child allocated to
        # them in another terminal)
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False))
        await settled(pilot)
        caseload = app.screen
        before = len(caseload.rows)
        children.add_child(
            other,
            world.admin,
            children.ChildInput(
                reference="C0100",
                full_name="Ola Nowak",
                date_of_birth=date(2015, 1, 2),
                plan_type="none",
                team="North",
                allocated_worker="sw",
            ),
        )
        await within(pilot, lambda: len(caseload.rows) == before + 1)


async def test_a_could_not_read_line_clears_at_the_next_good_read(
    world_svc, make_app, other, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from recorder.services import oversight

    svc, world = world_svc
    real = oversight.oversight_queue
    calls = []

    def first_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))
        return real(*args, **kwargs)

    monkeypatch.setattr(oversight, "oversight_queue", first_fails)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        from recorder.tui.screens.queues import QueueScreen

        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("f3")
        status = None

        def error_shown() -> bool:
            nonlocal status
            if not isinstance(app.screen, QueueScreen):
                return False
            status = app.screen.query_one("#queue-status", Static)
            return status.has_class("-error")

        await wait_until(pilot, error_shown)
        assert "did not work: the database cannot be reached" in str(status.visual)
        submit(other, world.sw, world.child)
        await within(pilot, lambda: not status.has_class("-error"))
        assert str(status.visual).startswith("1 record waiting")
