"""PlainTable (recorder/tui/widgets/plain_table.py) draws exactly what Textual's DataTable
draws: the same segments in the same styles, line by line, with the cursor on each row, with
zebra stripes, in a dark and a light theme, for plain, styled, empty, cut, wide-letter and
markup-looking cells, styled spans, and cells it leaves to DataTable (two lines in a
one-line row); in two-line rows too (one line, two, three, too wide, empty lines), and in a
four-line row of cells with styled spans as the queues draw them."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from recorder.tui.format import badge_cell, two_lines
from recorder.tui.widgets.plain_table import PlainTable
from recorder.tui.widgets.tables import steady_headers
from tests.support.pilot import wait_until

CELLS = [
    ("12 Mar 2026", "Visit", "Statutory visit", "Sam Social", "Child seen alone"),
    ("1 Sep 2026", "Plan", "Child protection plan started", "", ""),
    ("3 Oct 2026", "Oversight decision", "x" * 60, "Łucja Wójcik-Ștefănescu", "y" * 120),
    (
        "4 Oct 2026",
        "Contact",
        "Contact from 中文学校 中文学校 中文学校 中文学校",
        "李小龍",
        "[/] [bold]x",
    ),
    ("5 Oct 2026", "Event", "Father arrested", "Ana", "tab\there"),
]


def cells(row: tuple[str, ...], n: int) -> list[Text]:
    out = [Text(c, end="") for c in row]
    if n == 1:
        out[0] = Text(row[0], style="bold", end="")  # a style on the whole cell
    if n == 2:
        out[4] = Text.assemble(("styled ", "italic"), "spans", end="")  # DataTable's own
    if n == 3:
        out[3] = Text("two\nlines", end="")  # DataTable's own
    return out


class Both(App):
    def compose(self) -> ComposeResult:
        yield PlainTable(id="plain", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="stock", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for t in self.query(DataTable):
            for label, width in (("Date", 11), ("Kind", 22), ("Entry", 34), ("By", 16)):
                t.add_column(label, width=width)
            t.add_column("Detail")
            for n, row in enumerate(CELLS):
                t.add_row(*cells(row, n), key=str(n))


def lines(t: DataTable) -> list[list]:
    return [list(t.render_line(y)) for y in range(t.size.height)]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_plain_table_draws_what_datatable_draws(theme):
    steady_headers()
    app = Both()
    async with app.run_test(size=(200, 20)) as pilot:
        app.theme = theme
        plain = app.query_one("#plain", PlainTable)
        stock = app.query_one("#stock", DataTable)
        await wait_until(pilot, lambda: plain.row_count == stock.row_count == len(CELLS))
        await pilot.pause()
        assert plain.size == stock.size
        fast = []
        plain_cell = plain._plain_cell

        def counted(*args):
            lines = plain_cell(*args)
            fast.append(lines is not None)
            return lines

        plain._plain_cell = counted  # type: ignore[method-assign]
        for row in range(len(CELLS)):
            drawn = []
            for t in (plain, stock):  # each with the focus, as the screen has it
                t.move_cursor(row=row)
                t.focus()
                await pilot.pause()
                drawn.append(lines(t))
            assert drawn[0] == drawn[1], f"cursor on row {row}"
        # most cells took the direct path (and are what was compared); a few DataTable's
        assert sum(fast) > 20 and not all(fast)


TALL = [
    ("12 Mar 2026\noverdue by 3 working days", "Amira Khan\nC0001", "x", "Sam", "1"),
    ("1 Sep 2026", "one line\n", "three\nlines\nhere", "Łucja Wójcik\n李小龍", "y" * 40),
    ("no due date", "\nC0002", "a\n" + "w" * 40, "z", "tab\tthere\nx"),
]


class Tall(App):
    def compose(self) -> ComposeResult:
        yield PlainTable(id="plain", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="stock", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for t in self.query(DataTable):
            for label, width in (("Due", 28), ("Child", 14), ("Visit", 12), ("By", 16)):
                t.add_column(label, width=width)
            t.add_column("Flags")
            for n, row in enumerate(TALL):
                texts = [Text(c, end="") for c in row]
                if n == 1:
                    texts[0] = Text(row[0], style="bold", end="")
                t.add_row(*texts, key=str(n), height=2)
            t.add_row(*SPANS, key="spans", height=4)


#: a row of cells with styled spans, as the queues draw them: an overdue date in bold on
#: two lines, a name with the countersign badge in bold under it, a child with a bold line
#: added (not seen), spans crossing a line's end, a span in the middle of a line; and one
#: with a span over a line too wide for its column (DataTable's own)
SPANS = [
    two_lines("12 Mar 2026, escalated", "overdue by 3 working days", "bold"),
    Text.assemble(two_lines("Amira Khan", "C0001"), "\n", ("not seen on 2", "bold"), end=""),
    Text.assemble("a ", ("mid", "italic"), " b\nc", ("d\ne", "underline"), end=""),
    badge_cell("Sam Social", True),
    Text.assemble(("w" * 50, "bold"), "\nx", end=""),
]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_plain_table_draws_two_line_rows_as_datatable_does(theme):
    steady_headers()
    app = Tall()
    async with app.run_test(size=(200, 20)) as pilot:
        app.theme = theme
        plain = app.query_one("#plain", PlainTable)
        stock = app.query_one("#stock", DataTable)
        await wait_until(pilot, lambda: plain.row_count == stock.row_count == len(TALL) + 1)
        await pilot.pause()
        assert plain.size == stock.size
        fast = []
        plain_cell = plain._plain_cell

        def counted(*args):
            lines = plain_cell(*args)
            fast.append(lines is not None)
            return lines

        plain._plain_cell = counted  # type: ignore[method-assign]
        for row in range(len(TALL) + 1):
            drawn = []
            for t in (plain, stock):
                t.move_cursor(row=row)
                t.focus()
                await pilot.pause()
                drawn.append(lines(t))
            assert drawn[0] == drawn[1], f"cursor on row {row}"
        assert sum(fast) > 10 and not all(fast)
