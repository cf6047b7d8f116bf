"""A long list in a DataTable, a page at a time (issue 15, item 1).

Textual's DataTable measures every cell of every new row before it draws them
(``_update_dimensions``): a child with 500 visits and 50 notes took about 150 ms to draw.
:class:`PagedTable` holds the whole list but puts only the first :attr:`PagedTable.PAGE`
rows in the table; the next page goes in when the cursor reaches the last row shown (Down,
Page Down, End) or the table is scrolled to its end, so reading on down the list is as it
was. Each row is made only when it is put in. A refill (the screen read again) shows at
least as many rows as were shown before, so the cursor can go back to its row. Its one-line
plain-text cells are drawn by :class:`~recorder.tui.widgets.plain_table.PlainTable` (a tenth
of the UI thread's time opening that child).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from recorder.tui.widgets.plain_table import PlainTable

T = TypeVar("T")
#: a row as :meth:`PagedTable.show` makes it: its cells, its key and its height
Row = tuple[Iterable[Any], str, int]


class PagedTable(PlainTable, Generic[T]):
    """A DataTable of ``entries``, filled a page at a time as the cursor moves down (its
    one-line plain cells drawn as :class:`PlainTable` draws them)."""

    #: rows put in the table at a time (a screenful or two at 120x40)
    PAGE = 50

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._entries: Sequence[T] = ()
        self._make: Callable[[T], Row] | None = None
        self._filling = False  # adding rows moves the cursor too: no page while filling

    @property
    def total(self) -> int:
        """How many rows the list has (shown or not)."""
        return len(self._entries)

    @property
    def hidden(self) -> int:
        """How many rows of the list are not in the table yet."""
        return len(self._entries) - self.row_count

    def show(self, entries: Sequence[T], make_row: Callable[[T], Row]) -> None:
        """Clear the table and put in the first page of ``entries`` (or as many rows as it
        showed before, if more); ``make_row`` makes one entry's row."""
        keep = max(self.PAGE, self.row_count)
        self._filling = True
        try:
            self.clear()
        finally:
            self._filling = False
        self._entries, self._make = entries, make_row
        self._add(keep)

    def show_more(self) -> bool:
        """Put the next page in; False when every row is in already."""
        if not self.hidden:
            return False
        self._add(self.PAGE)
        return True

    def _add(self, n: int) -> None:
        make = self._make
        assert make is not None
        start = self.row_count
        self._filling = True
        try:
            for entry in self._entries[start : start + n]:
                cells, key, height = make(entry)
                self.add_row(*cells, key=key, height=height)
        finally:
            self._filling = False

    def watch_cursor_coordinate(self, old_coordinate: Any, new_coordinate: Any) -> None:
        # before the highlight reaches the screen, so it finds the next rows there
        if not self._filling and self.hidden and new_coordinate.row >= self.row_count - 1:
            self.show_more()
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if (
            not self._filling
            and self.hidden
            and self.max_scroll_y
            and new_value >= self.max_scroll_y
        ):
            self.call_after_refresh(self.show_more)
