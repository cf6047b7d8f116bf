"""A DataTable that draws its one-line plain-text cells itself (issue 13 speed).

Textual 8.2.8's DataTable draws every cell through Rich's layout (the cell in a Padding in a
Styled, wrapped, cropped and padded line by line): about half the time of painting the
chronology's table of 40 rows, which is drawn again on every filter. A cell that is one
line of text in one style comes out of that as at most four segments (the padding, the
text cropped to the column, the space after it, the padding), and :class:`PlainTable` makes
those four directly, the same segments in the same styles; in a taller row (the queues, the
team view) each line of a cell whose lines all fit its column likewise, and blank lines
under them. Any other cell (a header, a line Rich would wrap, text with styled spans, a
tab) is drawn by DataTable as before.
``tests/tui/test_plain_table.py`` checks that both draw the same; check it on every Textual
bump.

It also draws its rows only once after they are added: the app's steady-header fix
(``widgets/tables.py``) clears the table's caches after each measuring so that a header
drawn before the columns widened is drawn again; here that happens only when a column's
width did change.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable


class PlainTable(DataTable):
    """A DataTable whose one-line plain-text cells are drawn without Rich's layout."""

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> Any:
        lines = self._plain_cell(row_index, column_index, base_style, width, cursor, hover)
        if lines is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        return lines

    def _plain_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool,
        hover: bool,
    ) -> list[list[Segment]] | None:
        """The cell drawn directly, or None when it is not a one-line plain-text cell."""
        if row_index < self.fixed_rows or column_index < self.fixed_columns:
            return None  # the header, row labels and fixed cells: DataTable's own
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return None
        key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        row = self.rows.get(row_key)
        cell = self._data.get(row_key, {}).get(column_key)
        if row is None or row.height < 1 or row.auto_height or type(cell) is not Text:
            return None
        text = cell.plain
        if (
            "\t" in text
            or not text
            or cell.justify not in (None, "default", "left")
            or cell.overflow not in (None, "fold", "crop")
        ):
            return None
        pad = self.cell_padding
        inner = width - 2 * pad
        if inner <= 0:
            return None
        parts = text.split("\n")
        if row.height == 1:
            if len(parts) > 1:
                return None
        elif len(parts) > row.height or any(not p or cell_len(p) > inner for p in parts):
            return None  # wrapped or cut by Rich in a taller row: DataTable's own
        component, post = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component
        console = self.app.console
        styled = pre + console.get_style(cell.style) if cell.style else pre
        if cell.spans:
            if any(cell_len(p) > inner for p in parts):
                return None  # cut through a styled span: DataTable's own
            pieces = _styled_pieces(cell, parts, console, pre, post)
        if post:
            pre, styled = pre + post, styled + post
        if not cell.spans:
            pieces = [[(text, styled)] for text in parts]
        lines = []
        for text, line_pieces in zip(parts, pieces):
            if cell_len(text) > inner:
                text = set_cell_size(text, inner)
                line_pieces = [(text, styled)]
            fill = inner - cell_len(text)
            line = [Segment(piece, style) for piece, style in line_pieces]
            if fill > 0:
                line.append(Segment(" " * fill, pre))
            if pad:
                line = [Segment(" " * pad, pre), *line, Segment(" " * pad, pre)]
            lines.append(line)
        blank = [Segment(" " * pad, pre)] if pad else []
        for _ in range(row.height - len(lines)):  # a row taller than its text
            lines.append([*blank, Segment(" " * inner, pre), *blank])
        self._cell_render_cache[key] = lines
        return lines

    def _update_dimensions(self, new_rows: Any) -> None:
        widths = [c.get_render_width(self) for c in self.ordered_columns]
        measure = getattr(DataTable, "_recorder_measure", None)
        if measure is None:  # the app's fix is not applied: DataTable's own
            super()._update_dimensions(new_rows)
            return
        measure(self, new_rows)
        if widths != [c.get_render_width(self) for c in self.ordered_columns]:
            self._clear_caches()
            self.refresh()


def _styled_pieces(
    cell: Text, parts: list[str], console: Any, pre: Style, post: Style | None
) -> list[list[tuple[str, Style]]]:
    """Each line of a cell with styled spans as its runs of text and their styles, as Rich
    draws them: the cell's style, then each span over the run in the spans' order (Rich's
    ``Text.render``), under the cell's base style (and the cursor's over it)."""
    get = console.get_style
    base = get(cell.style) if cell.style else Style.null()
    spans = [
        (sp.start, sp.end, get(sp.style) if isinstance(sp.style, str) else sp.style)
        for sp in cell.spans
    ]
    out = []
    start = 0
    for part in parts:
        end = start + len(part)
        cuts = {start, end}
        for a, b, _ in spans:
            if start < a < end:
                cuts.add(a)
            if start < b < end:
                cuts.add(b)
        edges = sorted(cuts)
        runs = []
        for a, b in zip(edges, edges[1:]):
            style = Style.combine([base, *(st for x, y, st in spans if x <= a and b <= y)])
            style = pre + style
            runs.append((cell.plain[a:b], style + post if post else style))
        out.append(runs)
        start = end + 1  # past the newline
    return out
