"""The service manager in the app (issue 11, part 3): their home says what waits for them
(escalated oversight, team managers' own records) in words; their oversight queue covers
every team they manage; they sign off a team manager's own visit."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import DataTable, Static

from recorder.domain.workflow import VisitState
from recorder.services import accounts
from tests.support.pilot import drawn, home_loaded, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_oversight_screens import (
    fill_note,
    open_first,
    open_queue,
    sign_with,
    state_of,
    submit_record,
)


def add_head(svc, world) -> int:
    return accounts.add_user(
        svc,
        world.admin,
        username="head",
        full_name="Rosa Head",
        role="service_manager",
        password=PASSWORD,
        registration_number="SW400001",
        registration_checked_on=date(2026, 10, 1),
        manages=("North", "South"),
    )


def escalated_and_managers_records(svc, world) -> tuple[int, int]:
    """Sam's record submitted 12 days ago (oversight overdue, escalated) and the team
    manager's own record submitted today."""
    now = svc.clock.current
    svc.clock.current = now - timedelta(days=12)
    try:
        late = submit_record(svc, world.sw, world.child)
    finally:
        svc.clock.current = now
    own = submit_record(svc, world.manager, world.child)
    return late, own


async def test_the_service_manager_signs_off_the_team_managers_own_visit(make_app, world_svc):
    from recorder.tui.screens.review.oversight import OversightScreen

    svc, world = world_svc
    add_head(svc, world)
    late, own = escalated_and_managers_records(svc, world)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "head", PASSWORD)
        await home_loaded(pilot)
        waiting = str(app.screen.query_one("#attention", Static).visual)
        assert "1 record overdue by 4 working days, escalated" in waiting
        assert "1 team manager's own record to sign off" in waiting
        queue = await open_queue(pilot, "f3")
        table = queue.query_one("#queue", DataTable)
        keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert keys == [str(late), str(own)]  # escalated and managers' own first
        assert str(table.get_row_at(0)[0]) == "20 Nov 2026, escalated\noverdue by 4 working days"
        table.move_cursor(row=1)
        await wait_until(
            pilot,
            lambda: (
                "Maya Manager is a team manager"
                in str(queue.query_one("#queue-detail", Static).visual)
            ),
        )
        screen = await open_first(pilot, OversightScreen)
        assert screen.review.may_sign_off
        fill_note(screen)
        await pilot.press("ctrl+s")
        await sign_with(pilot, PASSWORD)
        await wait_until(pilot, lambda: state_of(svc, own) == VisitState.SIGNED_OFF)
    assert state_of(svc, late) == VisitState.AWAITING_OVERSIGHT


async def test_the_team_manager_is_told_their_own_goes_to_the_service_manager(make_app, world_svc):
    svc, world = world_svc
    add_head(svc, world)
    _late, own = escalated_and_managers_records(svc, world)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        assert "1 record overdue by 4 working days, escalated" in str(
            app.screen.query_one("#attention", Static).visual
        )
        queue = await open_queue(pilot, "f3")
        table = queue.query_one("#queue", DataTable)
        keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        table.move_cursor(row=keys.index(str(own)))
        await wait_until(
            pilot,
            lambda: (
                "the service manager (or another team manager) must"
                in str(queue.query_one("#queue-detail", Static).visual)
            ),
        )


class TestServiceManagerSnapshots:
    def test_the_service_managers_oversight_queue(self, snap_compare, make_app, world_svc):
        svc, world = world_svc
        add_head(svc, world)
        escalated_and_managers_records(svc, world)

        async def run_before(pilot):
            await sign_in(pilot, "head", PASSWORD)
            await home_loaded(pilot)
            await open_queue(pilot, "f3")
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
