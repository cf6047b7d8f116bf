"""The child screen: profile, visits, drafts in progress, and "new visit record"."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Static

from recorder.tui import navigation
from recorder.tui.dialogs.help import HelpScreen
from recorder.tui.screens.child import ChildScreen
from recorder.tui.screens.home import HomeScreen
from tests.support.factories import PLAN_RISKS
from tests.support.pilot import drawn, home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD

HOSTILE = ["[@click=app.quit]x[/]", "[/"]
DRAFT = "Draft - not yet saved to the child's record"


def rows_of(table: DataTable) -> list[list[str]]:
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(widget: Static) -> str:
    return widget.render().plain


async def open_child(pilot, username: str = "sw") -> ChildScreen:
    """Sign in and press Enter on the first child of the caseload."""
    app = pilot.app
    await sign_in(pilot, username, PASSWORD)
    await home_loaded(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
    screen = app.screen
    await settled(pilot)
    await wait_until(pilot, lambda: screen.child_view is not None)
    return screen


async def test_the_child_screen_shows_the_profile(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_child(pilot)
        assert text_of(screen.query_one("#child-title", Static)) == "Amira Khan (C0001)"
        profile = text_of(screen.query_one("#profile-fields", Static)).splitlines()
        assert profile[:7] == [
            "Date of birth: 4 May 2016 (age 10)",
            "Ethnicity: Pakistani",
            "Religion: Muslim",
            "First language: Urdu",
            "Interpreter needed: Yes",
            "Disability and communication needs: none recorded",
            "Plan: Child protection, started 1 Sep 2026",
        ]
        assert profile[7] == "Plan risks: " + "; ".join(PLAN_RISKS)
        assert profile[8] == "Allocated worker: Sam Social"
        assert profile[10].startswith("Next statutory visit: 15 Sep 2026 (overdue by ")
        assert screen.query_one("#visits", DataTable).row_count == 0
        assert "No visits are recorded yet" in text_of(screen.query_one("#child-status", Static))
        assert not screen.query_one("#drafts-note").display


async def test_visits_show_with_their_state_in_words(make_app, world_svc):
    from recorder.services.visits import start_visit

    svc, world = world_svc
    start_visit(svc, world.sw, world.child)
    start_visit(svc, world.sw2, world.child)  # a colleague's draft is not shown
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_child(pilot)
        rows = rows_of(screen.query_one("#visits", DataTable))
        assert rows == [["no date yet", "not chosen yet", DRAFT, "Sam Social"]]
        note = screen.query_one("#drafts-note", Static)
        assert note.display
        assert text_of(note) == "You have 1 draft in progress: select it to continue."


async def test_n_starts_a_draft_and_opens_it(make_app, world_svc, monkeypatch):
    from sqlmodel import select

    from recorder.store.models import Visit

    opened = []
    monkeypatch.setattr(navigation, "visit", lambda app, vid: opened.append(vid))
    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_child(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: bool(opened))
        await settled(pilot)
        with svc.reading() as s:
            visits = s.exec(select(Visit)).all()
        assert [(v.id, v.child_id, v.author_id, v.state) for v in visits] == [
            (opened[0], world.child, world.sw, "draft")
        ]
        # the screen lists the new draft (the visit screen was not pushed in this test)
        await wait_until(pilot, lambda: screen.query_one("#visits", DataTable).row_count == 1)
        assert rows_of(screen.query_one("#visits", DataTable))[0][2] == DRAFT
        # Enter on the visit opens it through the same function
        screen.query_one("#visits", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert opened == [opened[0], opened[0]]


async def test_escape_goes_back_and_the_caseload_counts_the_new_draft(make_app, monkeypatch):
    monkeypatch.setattr(navigation, "visit", lambda app, vid: None)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_child(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.query_one("#visits", DataTable).row_count == 1)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        home = app.screen
        await settled(pilot)
        await wait_until(pilot, lambda: not home._reading)
        assert rows_of(home.query_one("#children", DataTable))[0][6] == "1"


async def test_a_child_of_another_team_is_not_shown(make_app, world_svc):
    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "southsw", PASSWORD)
        await home_loaded(pilot)
        app.push_screen(ChildScreen(world.child))
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        await settled(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: not screen._reading)
        assert text_of(screen.query_one("#child-status", Static)) == (
            "This child is not on your team's caseload."
        )
        assert "Amira" not in text_of(screen.query_one("#child-title", Static))


async def test_help_lists_the_child_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_child(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        ours = {k.description: k.where for k in app.screen.keys}
        assert {
            "New visit record": "This screen",
            "Back": "This screen",
            "Refresh": "This screen",
        }.items() <= ours.items()


def test_every_child_binding_has_an_id_and_a_description():
    ids = [b.id for b in ChildScreen.BINDINGS]
    assert all(ids) and len(set(ids)) == len(ids)
    assert all(b.description for b in ChildScreen.BINDINGS)
    assert all(b.show for b in ChildScreen.BINDINGS)


async def test_children_named_like_markup_show_literally_on_the_child_screen(make_app, world_svc):
    from recorder.services import children
    from recorder.services.visits import start_visit

    svc, world = world_svc
    cid = children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference="[/",
            full_name=HOSTILE[0],
            date_of_birth=date(2020, 1, 1),
            religion="[bold]x[/]",  # ethnicity and disability are census codes (issue 12)
            first_language=HOSTILE[0],
            plan_type="child_in_need",
            plan_start=date(2026, 11, 2),
            plan_risks=("[/", HOSTILE[0]),
            team="North",
            allocated_worker="sw2",
        ),
    )
    start_visit(svc, world.sw2, cid)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_child(pilot, "sw2")
        assert text_of(screen.query_one("#child-title", Static)) == f"{HOSTILE[0]} ([/)"
        profile = text_of(screen.query_one("#profile-fields", Static))
        for expected in [
            "Religion: [bold]x[/]",
            f"First language: {HOSTILE[0]}",
            f"Plan risks: [/; {HOSTILE[0]}",
        ]:
            assert expected in profile
        title = screen.query_one("#child-title", Static)
        await pilot.click(title, offset=(2, 0))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ChildScreen)


class TestChildSnapshots:
    def test_child(self, snap_compare, make_app, world_svc):
        from recorder.services.visits import start_visit

        svc, world = world_svc
        start_visit(svc, world.sw, world.child)

        async def run_before(pilot):
            screen = await open_child(pilot)
            await wait_until(pilot, lambda: screen.query_one("#visits", DataTable).row_count)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_child_help(self, snap_compare, make_app):
        async def run_before(pilot):
            await open_child(pilot)
            await pilot.press("f1")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


async def test_the_child_is_read_again_only_after_a_screen_that_may_change_it(make_app, world_svc):
    """Each read is audited as a view: closing help does not read again; a visit screen does."""
    from textual.screen import Screen

    from recorder.services.accounts import audit_count

    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_child(pilot)
        before = audit_count(svc)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await settled(pilot)
        assert audit_count(svc) == before
        await app.push_screen(Screen())  # stands in for the visit record screen
        await pilot.pause()
        app.pop_screen()
        await wait_until(pilot, lambda: app.screen is screen)
        await settled(pilot)
        assert audit_count(svc) == before + 1


async def test_a_long_list_comes_a_page_at_a_time(make_app, world_svc, monkeypatch):
    """Issue 15 item 1: only a page of the child's records is put in the table (DataTable
    measures every row before it paints); moving down to the last row shown brings the
    next page, and a reload keeps as many rows as were shown."""
    from recorder.services.visits import start_visit
    from recorder.tui.widgets.paged import PagedTable

    monkeypatch.setattr(PagedTable, "PAGE", 3)
    svc, world = world_svc
    for _ in range(7):
        start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_child(pilot)
        table = screen.query_one("#visits", PagedTable)
        status = screen.query_one("#child-status", Static)
        assert table.row_count == 3 and table.total == 7
        assert "The newest 3 of 7 are listed: move down for more." in text_of(status)
        table.focus()
        await pilot.press("down")  # row 2: not the last yet
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("down")  # the last row shown: the next page goes in
        await wait_until(pilot, lambda: table.row_count == 6)
        assert "The newest 6 of 7 are listed" in text_of(status)
        await pilot.press("ctrl+end")  # the last of those: the rest
        await wait_until(pilot, lambda: table.row_count == 7)
        await wait_until(pilot, lambda: "move down for more" not in text_of(status))
        assert table.cursor_row == 5
        screen.action_reload()  # read again: every row still there, the cursor on its row
        await wait_until(pilot, lambda: not screen._reading)
        await settled(pilot)
        assert table.row_count == 7 and table.cursor_row == 5


@pytest.mark.parametrize(
    "size, signed, draft",
    [
        ((80, 24), "Signed off", "Draft"),
        (
            SIZE,
            "Signed off - saved to the child's record",
            "Draft - not yet saved to the child's record",
        ),
    ],
    ids=["80x24", "120x40"],
)
async def test_visit_states_fit_the_column_at_80_columns(make_app, world_svc, size, signed, draft):
    """Under 100 columns a visit's state is its first words ("Signed off"); at 80 columns the
    whole label was cut ("Signed off - saved to the ch")."""
    from recorder.services import visits
    from tests.tui.test_visit import fill, sign_off_visit

    svc, world = world_svc
    done = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, done)
    sign_off_visit(svc, world, done)
    visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await open_child(pilot)
        await wait_until(pilot, lambda: len(rows_of(screen.query_one("#visits", DataTable))) >= 2)
        states = [r[2] for r in rows_of(screen.query_one("#visits", DataTable))]
        assert signed in states and draft in states
