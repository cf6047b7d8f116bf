"""What the home screen says about case holding and registration (issue 12): a co-worker's
child is on their caseload marked as such; an unverified registration is said on sign-in with
the command that fixes it (DOMAIN.md "Who uses it")."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from recorder.services import accounts, coworkers
from tests.support.pilot import home_loaded, sign_in
from tests.support.world import PASSWORD


async def test_a_co_workers_child_is_on_their_home_marked_co_worker(make_app, world_svc):
    svc, world = world_svc
    coworkers.add_co_worker(svc, world.admin, "C0001", "student")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "student", PASSWORD)
        await home_loaded(pilot)
        table = app.screen.query_one("#children", DataTable)
        names = [str(table.get_row(key)[1]) for key in table.rows]
        assert any(
            "Amira Khan" in n and "you are co-worker; held by Sam Social" in n for n in names
        ), names
        # (the fixture's student still holds two, as stores before issue 12 did)
        status = str(app.screen.query_one("#caseload-status", Static).visual)
        assert "2 children allocated to you, and 1 you work on as co-worker" in status


async def test_an_unverified_registration_is_said_on_sign_in_with_the_fix(make_app, world_svc):
    svc, world = world_svc
    # checked before the renewal deadline of 30 Nov 2025 (the clock says 26 Nov 2026)
    accounts.set_registration(svc, world.admin, "sw", "SW200001", date(2025, 8, 18))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        said = str(app.screen.query_one("#unverified", Static).visual)
        assert "registration is unverified (last checked on 18 Aug 2025" in said
        assert "recorder user check-registration sw --on DATE" in said
        assert "cannot countersign, sign off or hold cases" in said
