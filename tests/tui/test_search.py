"""Search across the authority in the TUI (issue 15 item 3): the find field shows, below the
caseload's own matches, every other child the person may open whose name or reference
matches (accents and case folded), each labelled; the command palette finds them too and
opens the child through the navigation module."""

from __future__ import annotations

from datetime import date

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static

from recorder.services import children
from tests.support.pilot import drawn, home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_caseload import choose, rows_of, text_of
from tests.tui.test_reach import open_child_screen, south_child


def add(svc, world, ref, name, team="North", worker=None) -> int:
    return children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference=ref,
            full_name=name,
            date_of_birth=date(2014, 6, 1),
            team=team,
            allocated_worker=worker,
        ),
    )


async def test_find_shows_the_teams_children_beyond_the_caseload(make_app, world_svc):
    svc, world = world_svc
    lucja = add(svc, world, "N100", "Łucja Wójcik", worker="sw2")
    own = add(svc, world, "N101", "Lucjan Own", worker="sw")
    south_child(svc, world)
    add(svc, world, "S100", "Łucja South", team="South", worker="southsw")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        home = app.screen
        table = home.query_one("#children", DataTable)
        await pilot.press("ctrl+f", *"lucja")
        await wait_until(pilot, lambda: home.found_for == "lucja" and table.row_count == 2)
        rows = rows_of(table)
        # their own child first (matched in memory, accents folded), then the colleague's
        assert [r[0] for r in rows] == ["N101", "N100"]
        assert rows[1][1] == "Łucja Wójcik\nheld by Sol Social, North"
        assert rows[1][3:] == ["not on caseload", "", "", "", ""]
        status = text_of(home.query_one("#caseload-status", Static))
        assert "Below them, 1 child you may open, not on your caseload." in status
        home.query_one("#find", Input).value = "woj"
        await wait_until(pilot, lambda: home.found_for == "woj")
        assert [r[0] for r in rows_of(table)] == ["N100"]
        assert "1 child you may open match 'woj', none on your caseload" in text_of(
            home.query_one("#caseload-status", Static)
        )
        await pilot.press("enter")  # Enter in the field opens the first match
        await open_child_screen(pilot, lucja)
        assert app.screen.child_view.name == "Łucja Wójcik"
    assert own


async def test_the_palette_finds_and_opens_a_child_beyond_the_caseload(make_app, world_svc):
    svc, world = world_svc
    lucja = add(svc, world, "N100", "Łucja Wójcik", worker="sw2")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"lucja")

        def prompts():
            return [str(o.prompt) for o in palette.query_one("CommandList").options]

        await wait_until(pilot, lambda: any(p.startswith("Łucja Wójcik (N100)") for p in prompts()))
        prompt = next(p for p in prompts() if p.startswith("Łucja Wójcik (N100)"))
        assert "not on your caseload: held by Sol Social, North" in prompt
        await choose(pilot, palette, "Łucja Wójcik (N100)")
        await open_child_screen(pilot, lucja)
        await settled(pilot)


class TestSearchSnapshots:
    """The find field with the caseload's own match and, under it, a child of the team found
    by the search, labelled (accents folded: "lucja"), at both sizes."""

    @pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x40"])
    def test_find_beyond_the_caseload(self, snap_compare, make_app, world_svc, size):
        svc, world = world_svc
        add(svc, world, "N100", "Łucja Wójcik", worker="sw2")
        add(svc, world, "N101", "Lucjan Own", worker="sw")

        async def run_before(pilot):
            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            await pilot.press("ctrl+f", *"lucja")
            home = pilot.app.screen
            await wait_until(pilot, lambda: home.found_for == "lucja")
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
