"""The whole team (issue 11, part 2): a team manager opens any child of their team from the
team view (a worker, their caseload, a child), from find and from the command palette, reads
the record and adds a case note there. A social worker's reach stays their own caseload, and
another team's child is beyond everyone's find."""

from __future__ import annotations

from datetime import date

from sqlmodel import select
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static

from recorder.services import caseloads, children
from recorder.store.models import OversightNote
from tests.support.pilot import home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_caseload import choose
from tests.tui.test_oversight_screens import fill_note, sign_with


def south_child(svc, world) -> int:
    """A child of the other team (South), allocated to its social worker."""
    return children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference="S0001",
            full_name="Samira South",
            date_of_birth=date(2015, 3, 3),
            team="South",
            allocated_worker="southsw",
        ),
    )


def table_keys(table: DataTable) -> list[str]:
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]


async def open_child_screen(pilot, child_id):
    from recorder.tui.screens.child import ChildScreen

    app = pilot.app
    await wait_until(
        pilot,
        lambda: (
            isinstance(app.screen, ChildScreen)
            and app.screen.child_id == child_id
            and app.screen.child_view is not None
        ),
    )
    await settled(pilot)


async def test_team_view_worker_then_child_then_case_note(make_app, world_svc):
    from recorder.tui.screens.case_note import CaseNoteScreen
    from recorder.tui.screens.caseload import WorkerCaseloadScreen
    from recorder.tui.screens.child import ChildScreen
    from recorder.tui.screens.team import TeamScreen

    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        assert not app.screen.rows  # the manager holds no child of their own
        await pilot.press("f4")
        await wait_until(
            pilot, lambda: isinstance(app.screen, TeamScreen) and app.screen.team is not None
        )
        await settled(pilot)
        table = app.screen.query_one("#team-table", DataTable)
        table.move_cursor(row=table_keys(table).index(str(world.sw)))
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, WorkerCaseloadScreen) and app.screen.loaded
        )
        await settled(pilot)
        assert "Children allocated to Sam Social" in str(
            app.screen.query_one("#worker-title", Static).visual
        )
        assert table_keys(app.screen.query_one("#worker-children", DataTable)) == [str(world.child)]
        await pilot.press("enter")
        await open_child_screen(pilot, world.child)
        view = app.screen.child_view
        assert view.allocated_worker == "Sam Social" and view.may_add_case_note
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseNoteScreen))
        fill_note(app.screen)
        await pilot.press("ctrl+s")
        await sign_with(pilot, PASSWORD)
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        await settled(pilot)
        keys = table_keys(app.screen.query_one("#visits", DataTable))
        assert any(k.startswith("note-") for k in keys)
        await pilot.press("escape")  # back to the worker's caseload, then the team view
        await wait_until(pilot, lambda: isinstance(app.screen, WorkerCaseloadScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, TeamScreen))
    with svc.reading() as s:
        notes = s.exec(select(OversightNote)).all()
    assert [(n.child_id, n.visit_id, n.manager_id) for n in notes] == [
        (world.child, None, world.manager)
    ]


async def test_a_managers_find_reaches_every_team_child_and_no_other(make_app, world_svc):
    svc, world = world_svc
    south = south_child(svc, world)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        home = app.screen
        table = home.query_one("#children", DataTable)
        assert table.row_count == 0
        await pilot.press("ctrl+f", *"zofia")
        await wait_until(pilot, lambda: table.row_count == 1)
        status = str(home.query_one("#caseload-status", Static).visual)
        assert "of your team's 3 children matching 'zofia'" in status
        assert "held by Stu Student" in str(table.get_row_at(0)[1])
        home.query_one("#find", Input).value = "S0001"  # another team's child: not found
        await wait_until(pilot, lambda: table.row_count == 0)
        assert "No child of your team" in str(home.query_one("#caseload-status", Static).visual)
        home.query_one("#find", Input).value = "amira"
        await wait_until(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")
        await open_child_screen(pilot, world.child)
    assert south  # made, and out of reach above


async def test_the_palette_finds_a_team_child_the_manager_does_not_hold(make_app, world_svc):
    svc, world = world_svc
    south_child(svc, world)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"C0003")

        def titles():
            return [str(o.prompt).split("\n")[0] for o in palette.query_one("CommandList").options]

        await wait_until(pilot, lambda: "Leo Ahmed (C0003)" in titles())
        prompt = next(
            str(o.prompt)
            for o in palette.query_one("CommandList").options
            if str(o.prompt).startswith("Leo Ahmed (C0003)")
        )
        assert "held by Stu Student" in prompt
        await choose(pilot, palette, "Leo Ahmed (C0003)")
        await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette))
        child_id = palette_child_id(svc, "C0003")
        await open_child_screen(pilot, child_id)
        # another team's child is not offered
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"samira")
        await settled(pilot)
        assert not any("Samira" in t for t in titles())


def palette_child_id(svc, ref: str) -> int:
    from recorder.store.models import Child

    with svc.reading() as s:
        return s.exec(select(Child.id).where(Child.reference == ref)).one()


async def test_a_social_worker_finds_their_teams_children_and_no_other_teams(make_app, world_svc):
    """The read rule lets a social worker open any child of their team (may_read_child):
    find and the palette find them too (issue 15 item 3), labelled as not theirs; another
    team's child is found by no one outside it."""
    svc, world = world_svc
    south_child(svc, world)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        home = app.screen
        assert home.team_rows is None
        table = home.query_one("#children", DataTable)
        assert table_keys(table) == [str(world.child)]
        home.query_one("#find", Input).value = "zofia"  # a colleague's child: found, labelled
        # the caseload's own row is one row too, until the find field's change is handled
        await wait_until(pilot, lambda: home.found_for == "zofia" and table.row_count == 1)
        assert "held by Stu Student" in str(table.get_row_at(0)[1])
        assert str(table.get_row_at(0)[3]) == "not on caseload"
        home.query_one("#find", Input).value = "S0001"  # another team's child: not found
        await wait_until(pilot, lambda: home.found_for == "S0001" and table.row_count == 0)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"samira")
        await settled(pilot)
        titles = [str(o.prompt) for o in palette.query_one("CommandList").options]
        assert not any("Samira" in t for t in titles)
    # and the store refuses the other team's child whichever way it is asked for
    import pytest

    from recorder.services.errors import NotAllowed

    with pytest.raises(NotAllowed):
        caseloads.child_view(svc, world.sw, palette_child_id(svc, "S0001"))
    assert [r.reference for r in caseloads.team_children(svc, world.sw)] == ["C0001"]
