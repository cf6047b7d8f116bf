"""SVG snapshots of the whole team (issue 11): a worker's caseload and a team child opened by
the manager from the team view (120x40, frozen clock)."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.support.pilot import drawn, home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_oversight_screens import submit_record


async def _worker_caseload(pilot, worker_id: int) -> None:
    from recorder.tui.screens.caseload import WorkerCaseloadScreen
    from recorder.tui.screens.team import TeamScreen

    app = pilot.app
    await sign_in(pilot, "manager", PASSWORD)
    await home_loaded(pilot)
    await pilot.press("f4")
    await wait_until(
        pilot, lambda: isinstance(app.screen, TeamScreen) and app.screen.team is not None
    )
    await settled(pilot)
    table = app.screen.query_one("#team-table", DataTable)
    keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
    table.move_cursor(row=keys.index(str(worker_id)))
    await pilot.press("enter")
    await wait_until(
        pilot, lambda: isinstance(app.screen, WorkerCaseloadScreen) and app.screen.loaded
    )
    await drawn(pilot)


class TestReachSnapshots:
    def test_a_workers_caseload_from_the_team_view(self, snap_compare, make_app, world_svc):
        _svc, world = world_svc

        async def run_before(pilot):
            await _worker_caseload(pilot, world.student)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_a_team_child_opened_by_the_manager(self, snap_compare, make_app, world_svc):
        from recorder.tui.screens.child import ChildScreen

        svc, world = world_svc
        submit_record(svc, world.sw, world.child)

        async def run_before(pilot):
            await _worker_caseload(pilot, world.sw)
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: (
                    isinstance(pilot.app.screen, ChildScreen)
                    and pilot.app.screen.child_view is not None
                ),
            )
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
