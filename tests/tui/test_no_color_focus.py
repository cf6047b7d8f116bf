"""With NO_COLOR, Textual draws in greys: where the focus is must not be a shade only. The field
with the focus has a double border, a table's cursor row is drawn in reverse and a list's
highlighted option is underlined; with colour the theme's own style is left as it is."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from tests.support.pilot import home_loaded, sign_in, store_open
from tests.support.tui import SIZE
from tests.support.world import PASSWORD


@pytest.mark.parametrize("no_color", [True, False], ids=["NO_COLOR", "colour"])
async def test_the_focused_field_and_the_cursor_row_are_marked_without_colour(
    make_app, monkeypatch, no_color
):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app()
    assert app.no_color is no_color
    async with app.run_test(size=SIZE) as pilot:
        await store_open(pilot)
        username = app.screen.query_one("#username", Input)
        password = app.screen.query_one("#password", Input)
        username.focus()
        await pilot.pause()
        focused, other = username.styles.border_top[0], password.styles.border_top[0]
        assert other == "tall"
        assert focused == ("double" if no_color else "tall")

        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        table = app.screen.query_one(DataTable)
        table.focus()
        await pilot.pause()
        cursor = table.get_component_styles("datatable--cursor").text_style
        assert bool(cursor.reverse) is no_color


@pytest.mark.parametrize("no_color", [True, False], ids=["NO_COLOR", "colour"])
async def test_the_highlighted_section_is_underlined_without_colour(
    make_app, world_svc, monkeypatch, no_color
):
    """The visit form's section list: the highlighted section is drawn underlined on a light
    bar under NO_COLOR, with the focus in the list and away from it (Textual's own style is
    a shade of grey, and its option lists drop ``reverse``)."""
    from textual.widgets import OptionList

    from recorder.services import visits
    from tests.tui.test_visit import open_visit

    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        sections = screen.query_one("#sections", OptionList)
        for focused in (True, False):
            screen.set_focus(sections if focused else None)
            await pilot.pause()
            highlighted = [s for s in sections.render_line(0) if s.text.strip()]
            plain = [s for s in sections.render_line(2) if s.text.strip()]
            assert highlighted[0].text.startswith("1. Visit details")
            assert bool(highlighted[0].style.underline) is no_color, focused
            assert not plain[0].style.underline


@pytest.mark.parametrize("no_color", [True, False], ids=["NO_COLOR", "colour"])
async def test_a_compact_field_keeps_its_line_for_the_text(make_app, monkeypatch, no_color):
    """The caseload's find field is one line high: under NO_COLOR its focus is underlined text,
    not a border (a double border took its only line: at 80x24 in tmux it showed two edges and
    none of what was typed)."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("ctrl+f", *"leo")
        await pilot.pause()
        find = app.screen.query_one("#find", Input)
        assert find.has_focus and find.content_size.height == 1
        typed = [s for s in find.render_line(0) if s.text.strip()]
        assert typed[0].text.startswith("leo")
        assert bool(typed[0].style.underline) is no_color
