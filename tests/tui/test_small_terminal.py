"""Every screen at 80x24 (issue 15, item 4): panes fold away, dialogs fit, nothing is cut.

Before: the visit form's middle column was 9 characters wide ("1." / "Visit" / "detail" / "s")
with the guidance beside it, the submit dialog was 96 columns wide and the sign-in box lost
its bottom edge. Under 100 columns the form now takes the room and F7 swaps the sections list
for the guidance; under 30 rows the sign-in box and the submit dialog drop their spare lines.
Snapshots at 80x24 beside the 120x40 ones."""

from __future__ import annotations

from textual.widgets import OptionList

from recorder.services import visits
from tests.support.factories import complete_content
from tests.support.pilot import drawn, home_loaded, sign_in, store_open, visit_drawn, wait_until
from tests.support.world import PASSWORD
from tests.tui.test_visit import open_visit

SMALL = (80, 24)


def draft(world_svc) -> int:
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    for key in ("details", "seen"):
        visits.save_section(svc, world.sw, vid, key, content[key])
    return vid


def inside(widget, screen) -> bool:
    """``widget`` is drawn whole inside the screen."""
    r, area = widget.region, screen.region
    return (
        r.width > 0 and r.x >= 0 and r.y >= 0 and r.right <= area.right and r.bottom <= area.bottom
    )


async def test_the_visit_form_has_room_and_f7_swaps_in_the_guidance(make_app, world_svc):
    vid = draft(world_svc)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await visit_drawn(pilot, screen)
        form, side = screen.query_one("#form"), screen.query_one("#side")
        sections = screen.query_one("#sections", OptionList)
        assert form.region.width >= 50, form.region
        assert not side.display and sections.display
        await pilot.press("f7")
        await wait_until(pilot, lambda: side.display and not sections.display)
        await pilot.pause()
        assert form.region.width >= 44 and inside(side, screen)
        assert "What good looks like" in str(screen.query_one("#guidance").render())
        await pilot.press("ctrl+l")  # the sections come back where they are wanted
        await wait_until(pilot, lambda: sections.display and app.focused is sections)
        assert not side.display


async def test_the_guidance_stays_beside_the_form_at_120_columns(make_app, world_svc):
    vid = draft(world_svc)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await visit_drawn(pilot, screen)
        side = screen.query_one("#side")
        assert side.display and screen.query_one("#sections").display
        await pilot.press("f7")  # wide, F7 hides it for more room
        await wait_until(pilot, lambda: not side.display)


async def test_the_submit_dialog_and_sign_in_fit(make_app, world_svc):
    from recorder.tui.dialogs.submit import SubmitDialog

    vid = draft(world_svc)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await store_open(pilot)
        await drawn(pilot)
        assert inside(app.screen.query_one("#signin-form"), app.screen)
        screen = await open_visit(pilot, "sw", vid)
        await visit_drawn(pilot, screen)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitDialog))
        await drawn(pilot)
        dialog = app.screen
        assert inside(dialog.query_one("#dialog"), dialog)
        assert all(inside(b, dialog) for b in dialog.query("#buttons Button"))


class TestSmallSnapshots:
    def test_sign_in_80x24(self, snap_compare, make_app):
        async def run_before(pilot):
            await store_open(pilot)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)

    def test_home_80x24(self, snap_compare, make_app):
        async def run_before(pilot):
            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)

    def test_child_80x24(self, snap_compare, make_app):
        async def run_before(pilot):
            from recorder.tui.screens.child import ChildScreen

            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChildScreen))
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)

    def test_visit_form_80x24(self, snap_compare, make_app, world_svc):
        vid = draft(world_svc)

        async def run_before(pilot):
            screen = await open_visit(pilot, "sw", vid)
            await visit_drawn(pilot, screen)

        assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)

    def test_submit_dialog_80x24(self, snap_compare, make_app, world_svc):
        from recorder.tui.dialogs.submit import SubmitDialog

        vid = draft(world_svc)

        async def run_before(pilot):
            await open_visit(pilot, "sw", vid)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, SubmitDialog))
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)


async def test_under_100_columns_the_next_visit_comes_after_the_name(make_app):
    """At 80 columns the caseload's next statutory visit (due or overdue) is the third column,
    on screen without scrolling sideways; resizing across 100 columns reorders the columns and
    keeps the rows."""
    from textual.widgets import DataTable

    from tests.support.tui import SIZE

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        table = app.screen.query_one("#children", DataTable)

        def order():
            return [c.value for c in table.columns][:3]

        rows = table.row_count
        assert order() == ["reference", "name", "age"]
        await pilot.resize_terminal(*SMALL)
        await wait_until(pilot, lambda: order() == ["reference", "name", "next_due"])
        assert table.row_count == rows
        due = table.get_row_at(0)[2].plain
        assert "overdue" in due or "due" in due or "no statutory" in due, due
        await pilot.resize_terminal(*SIZE)
        await wait_until(pilot, lambda: order() == ["reference", "name", "age"])
        assert table.row_count == rows
