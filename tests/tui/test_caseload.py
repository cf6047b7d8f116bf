"""The caseload on the home screen: due dates in words, sorted, filtered as you type, and
the command palette finding a child."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, Static

from recorder.tui.screens.child import ChildScreen
from recorder.tui.screens.home import HomeScreen, day
from tests.support.pilot import drawn, home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD

HOSTILE = ["[@click=app.quit]x[/]", "[/"]


def rows_of(table: DataTable) -> list[list[str]]:
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(widget: Static) -> str:
    return widget.render().plain


def add_children(svc, world, kids) -> None:
    from recorder.services import children

    for ref, name, dob, plan, start in kids:
        children.add_child(
            svc,
            world.admin,
            children.ChildInput(
                reference=ref,
                full_name=name,
                date_of_birth=dob,
                plan_type=plan,
                plan_start=start,
                team="North",
                allocated_worker="sw",
            ),
        )


MORE = [
    ("C0101", "Bea Brown", date(2015, 3, 2), "looked_after", date(2026, 11, 20)),
    ("C0102", "Cal Carter", date(2020, 7, 9), "child_in_need", date(2026, 11, 2)),
    ("C0103", "Dee Dunn", date(2011, 1, 15), "none", None),
]


async def signed_in_as_sw(pilot) -> HomeScreen:
    await sign_in(pilot, "sw", PASSWORD)
    await home_loaded(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    return pilot.app.screen


async def test_caseload_shows_due_dates_in_words_sorted_by_due_date(make_app, world_svc):
    from recorder.services.caseloads import caseload

    svc, world = world_svc
    add_children(svc, world, MORE)
    expected = caseload(svc, world.sw)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await signed_in_as_sw(pilot)
        table = screen.query_one("#children", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Ref",
            "Name",
            "Age",
            "Plan",
            "Last visit",
            "Next statutory visit",
            "Drafts",
            "Returned",
        ]
        rows = rows_of(table)
        assert [r[0] for r in rows] == [e.reference for e in expected]
        dues = [e.next_due for e in expected if e.next_due]
        assert dues == sorted(dues) and len(dues) == 3
        assert rows[-1][0] == "C0103" and rows[-1][5] == "no statutory visits"
        for r, e in zip(rows, expected):
            if e.next_due:
                assert r[5] == f"{day(e.next_due)}\n{e.due_words}"  # date, words under it
                assert e.due_words.startswith(("due in", "overdue by", "due today"))
        amira = next(r for r in rows if r[0] == "C0001")
        assert amira[4] == "none"  # no signed-off statutory visit yet
        assert "overdue by" in amira[5]  # the frozen clock is long past the first visit
        assert text_of(screen.query_one("#caseload-status", Static)).startswith(
            "4 children are allocated to you."
        )


async def test_a_caseload_longer_than_the_screen_scrolls_above_its_status_line(make_app, world_svc):
    """Regression: the table was "height: auto; max-height: 1fr", and 1fr there is the whole
    container: 54 children ran on under the footer, their last rows and the status line off
    the screen, where no key could bring them. Now the table ends above the status line and
    scrolls, at 80x24 and at 120x40."""
    svc, world = world_svc
    add_children(
        svc,
        world,
        [(f"C{200 + i}", f"Child {i:02d}", date(2014, 1, 1), "none", None) for i in range(30)],
    )
    for size in ((80, 24), (120, 40)):
        app = make_app()
        async with app.run_test(size=size, notifications=True) as pilot:
            screen = await signed_in_as_sw(pilot)
            table = screen.query_one("#children", DataTable)
            status = screen.query_one("#caseload-status", Static)
            footer = screen.query_one("Footer")
            await drawn(pilot)
            assert table.row_count == 31
            assert status.region.bottom <= footer.region.y, (size, status.region)
            assert table.region.bottom <= status.region.y, (size, table.region)
            assert "31 children are allocated to you" in text_of(status)
            table.focus()
            await pilot.press("ctrl+end")  # to the last row, scrolled into the table's view
            await drawn(pilot)
            assert table.scroll_y > 0 and table.cursor_row == table.row_count - 1
            assert table.scroll_y + table.scrollable_content_region.height >= (
                table.virtual_size.height
            )


async def test_the_caseload_has_the_focus_from_the_first_frame(make_app):
    """The table is focused as the home screen is built, not a frame later: every frame of
    home shows the caseload focused, so none is drawn twice (issue 15, sign-in to caseload)."""
    app = make_app()
    focused_at_frames: list[str | None] = []
    compose_frame = app._display

    def display(screen, renderable):
        compose_frame(screen, renderable)
        if renderable is not None and isinstance(screen, HomeScreen):
            focused_at_frames.append(getattr(screen.focused, "id", None))

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await drawn(pilot)
    assert focused_at_frames and set(focused_at_frames) == {"children"}


async def test_drafts_and_returned_counts_show(make_app, world_svc):
    from recorder.services.visits import start_visit

    svc, world = world_svc
    start_visit(svc, world.sw, world.child)
    start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await signed_in_as_sw(pilot)
        assert rows_of(screen.query_one("#children", DataTable))[0][6:] == ["2", "-"]


async def test_typing_filters_the_rows_already_read(make_app, world_svc):
    svc, world = world_svc
    add_children(svc, world, MORE)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await signed_in_as_sw(pilot)
        table = screen.query_one("#children", DataTable)
        reads = []
        screen._read_children = lambda: reads.append(1)  # typing must not read the store
        await pilot.press("ctrl+f")
        find = screen.query_one("#find", Input)
        assert screen.focused is find
        await pilot.press(*"bea")
        assert [r[1] for r in rows_of(table)] == ["Bea Brown"]
        find.value = "c010"  # by reference, any case
        await pilot.pause()
        assert sorted(r[0] for r in rows_of(table)) == ["C0101", "C0102", "C0103"]
        assert text_of(screen.query_one("#caseload-status", Static)).startswith(
            "Showing 3 of 4 children"
        )
        find.value = "nobody"
        await pilot.pause()
        assert table.row_count == 0
        assert "nobody" in text_of(screen.query_one("#caseload-status", Static))
        find.value = ""
        await pilot.pause()
        assert table.row_count == 4
        assert reads == []
        # Enter in the find field opens the highlighted (first) match
        find.value = "dee"
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        assert app.screen.child_id != world.child


async def test_enter_on_a_row_opens_the_child(make_app, world_svc):
    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await signed_in_as_sw(pilot)
        assert screen.focused is screen.query_one("#children", DataTable)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        assert app.screen.child_id == world.child
        await settled(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_down_in_the_find_field_goes_to_the_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await signed_in_as_sw(pilot)
        await pilot.press("ctrl+f", "down")
        assert screen.focused is screen.query_one("#children", DataTable)


async def test_children_named_like_markup_show_literally_on_the_caseload(make_app, world_svc):
    svc, world = world_svc
    add_children(
        svc,
        world,
        [
            (f"R[/{i}", name, date(2020, 1, 1), "child_in_need", date(2026, 11, 2))
            for i, name in enumerate(HOSTILE)
        ],
    )
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await signed_in_as_sw(pilot)
        table = screen.query_one("#children", DataTable)
        names = [r[1] for r in rows_of(table)]
        assert set(HOSTILE) <= set(names)
        find = screen.query_one("#find", Input)
        find.value = "[/"
        await pilot.pause()
        assert sorted(r[1] for r in rows_of(table)) == sorted(HOSTILE)  # refs hold "[/" too
        find.value = "[@click"
        await pilot.pause()
        assert [r[1] for r in rows_of(table)] == [HOSTILE[0]]
        await pilot.press("ctrl+f", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        await settled(pilot)
        assert app.is_running


async def test_the_palette_finds_a_child_and_opens_them(make_app, world_svc):
    from textual.command import CommandPalette

    svc, world = world_svc
    add_children(svc, world, MORE)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await signed_in_as_sw(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"amira")
        palette = app.screen
        await wait_until(
            pilot,
            lambda: any(
                "Amira Khan (C0001)" == str(o.prompt).split("\n")[0]
                for o in palette.query_one("CommandList").options
            ),
        )
        await choose(pilot, palette, "Amira Khan (C0001)")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        assert app.screen.child_id == world.child


async def test_the_palette_starts_a_visit_record(make_app, world_svc, monkeypatch):
    from textual.command import CommandPalette

    from recorder.store.models import Visit
    from recorder.tui import navigation

    opened = []
    monkeypatch.setattr(navigation, "visit", lambda app, vid: opened.append(vid))
    svc, world = world_svc
    add_children(
        svc,
        world,
        [
            (f"R[/{i}", name, date(2020, 1, 1), "child_in_need", date(2026, 11, 2))
            for i, name in enumerate(HOSTILE)
        ],
    )
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await signed_in_as_sw(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"new visit record for [@click")
        want = f"New visit record for {HOSTILE[0]} (R[/0)"
        await wait_until(
            pilot,
            lambda: any(
                str(o.prompt).split("\n")[0] == want
                for o in palette.query_one("CommandList").options
            ),
        )
        await choose(pilot, palette, want)
        await wait_until(pilot, lambda: bool(opened))
        await settled(pilot)
    with svc.reading() as s:
        from sqlmodel import select

        v = s.get(Visit, opened[0])
        assert v.state == "draft" and v.author_id == world.sw
        assert len(s.exec(select(Visit)).all()) == 1


async def choose(pilot, palette, title: str) -> None:
    """Highlight the palette's option titled ``title`` (shown as typed) and press Enter."""
    options = palette.query_one("CommandList")
    titles = [str(o.prompt).split("\n")[0] for o in options.options]
    options.highlighted = titles.index(title)
    await pilot.pause()
    await pilot.press("enter")


class TestCaseloadSnapshots:
    def test_caseload(self, snap_compare, make_app, world_svc):
        from recorder.services.visits import start_visit

        svc, world = world_svc
        add_children(svc, world, MORE)
        start_visit(svc, world.sw, world.child)

        async def run_before(pilot):
            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_caseload_filtered(self, snap_compare, make_app, world_svc):
        svc, world = world_svc
        add_children(svc, world, MORE)

        async def run_before(pilot):
            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            await pilot.press("ctrl+f", *"c01")
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
