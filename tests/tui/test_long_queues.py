"""A long oversight queue or a big team stays usable: the table takes at most half the
screen and scrolls, and what is under it (the highlighted record's flags, the status line,
the addenda to acknowledge, a worker's children) is on screen or reached by Tab.

Regression: both tables were "height: auto; max-height: 1fr", and 1fr there is the whole
body: with 30 records the queue ran on under the footer, and the record's flags, the
status line and the addenda table were below the screen, where no key could bring them."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Static

from recorder.services import accounts
from tests.support.pilot import drawn, home_loaded, sign_in, wait_until
from tests.support.records import submitted
from tests.support.world import PASSWORD
from tests.tui.test_oversight_screens import open_queue

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def on_screen(widget, footer) -> bool:
    """The widget's first line is drawn above the footer."""
    return widget.region.height > 0 and widget.region.y < footer.region.y


@SIZES
async def test_a_long_oversight_queue_keeps_the_flags_status_and_addenda_in_reach(
    make_app, world_svc, size
):
    svc, world = world_svc
    for _ in range(30):
        submitted(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        screen = await open_queue(pilot, "f3")
        await drawn(pilot)
        table = screen.query_one("#queue", DataTable)
        detail = screen.query_one("#queue-detail", Static)
        footer = screen.query_one("Footer")
        assert table.row_count == 30
        assert table.region.height <= size[1] // 2 + 1, table.region  # half the screen
        assert on_screen(detail, footer), (detail.region, footer.region)
        assert table.region.bottom <= detail.region.y
        if size == (120, 40):
            status = screen.query_one("#queue-status", Static)
            assert status.region.bottom <= footer.region.y, status.region
            assert "30 records waiting" in str(status.visual)
        # the last record is reached in the table, its flags shown under it
        await pilot.press("ctrl+end")
        await drawn(pilot)
        assert table.cursor_row == 29 and on_screen(detail, footer)
        # and the addenda table by Tab, scrolled into view
        await pilot.press("tab")
        addenda = screen.query_one("#addenda", DataTable)
        await wait_until(pilot, lambda: screen.focused is addenda)
        await drawn(pilot)
        assert on_screen(addenda, footer), (addenda.region, footer.region)


@SIZES
async def test_a_big_team_keeps_a_workers_children_and_the_status_in_reach(
    make_app, world_svc, size
):
    svc, world = world_svc
    for i in range(25):
        accounts.add_user(
            svc,
            world.admin,
            username=f"worker{i:02d}",
            full_name=f"Worker {i:02d}",
            role="social_worker",
            password=PASSWORD,
            team="North",
            registration_number=f"SW9{i:05d}",
            registration_checked_on=date(2026, 10, 1),
        )
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("f4")
        from recorder.tui.screens.team import TeamScreen

        await wait_until(
            pilot,
            lambda: isinstance(pilot.app.screen, TeamScreen) and pilot.app.screen.team is not None,
        )
        screen = pilot.app.screen
        await drawn(pilot)
        table = screen.query_one("#team-table", DataTable)
        apart = screen.query_one("#team-apart")
        footer = screen.query_one("Footer")
        assert table.row_count >= 27
        assert table.region.height <= size[1] // 2 + 1, table.region
        assert on_screen(apart, footer), (apart.region, footer.region)
        if size == (120, 40):
            status = screen.query_one("#team-status", Static)
            assert status.region.bottom <= footer.region.y, status.region
