"""The child screen shows the plan in force, what the review set, and a looked-after child's
placement (issue 12)."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from tests.support.tui import SIZE
from tests.tui.test_child import open_child, text_of


async def test_the_child_screen_shows_the_plan_and_the_placement_in_force(make_app, world_svc):
    from recorder.services import plans

    svc, world = world_svc
    plans.record_plan(svc, world.admin, "C0001", plans.PlanInput("looked_after", date(2026, 10, 1)))
    plans.record_placement(svc, world.manager, "C0001", "residential", date(2026, 11, 20))
    plans.record_frequency(
        svc,
        world.manager,
        "C0001",
        visit_every_working_days=10,
        seen_alone_every_working_days=10,
        set_by="Looked-after review [/]",
        set_on=date(2026, 11, 20),
    )
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_child(pilot)
        profile = text_of(screen.query_one("#profile-fields", Static)).splitlines()
        assert (
            "Plan: Looked after, started 1 Oct 2026; visits every 10 working days, seen alone "
            "every 10 (set by Looked-after review [/], 20 Nov 2026)"
        ) in profile
        assert "Placement: Residential, since 20 Nov 2026" in profile
        # the move restarted the first-week rule: within 7 days of 20 Nov
        due = next(line for line in profile if line.startswith("Next statutory visit:"))
        assert due.startswith("Next statutory visit: 27 Nov 2026 (due in 1 working day)")
        assert any(line.startswith("Next seen alone: 4 Dec 2026") for line in profile)
