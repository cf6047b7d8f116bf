"""Screens that stay fresh: read again by themselves when another terminal changes the store.

The app polls the store's change watcher (``recorder.services.changes``) about twice a
second and counts the changes it sees (``app.store_generation``). A screen that reads the
store says so with :func:`reading` when it starts a read; from then on it is *stale* when a
change has been counted since, and :func:`tick` (the app calls it after every poll) reloads
it through its own ``action_reload`` once it is

- the screen in front (no dialog, help or command palette over it; a screen under a dialog
  is read again once the dialog closes),
- not already reading or doing something else in a worker (reloads are coalesced: many
  changes while one read runs give one more read), and
- not being typed in (a key pressed in a field of that screen within :data:`TYPING_PAUSE`).

:func:`place` keeps the person's place in a table across the reload: the cursor on the
same row, found by its key (or on the same line if that row has gone), and that row where it
was on the screen.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import DataTable

    from recorder.tui.calls import Outcome

#: A screen whose field had a key pressed less than this many seconds ago is being typed in.
TYPING_PAUSE = 1.5
#: A read that failed (the database was gone) is tried again at most this often.
RETRY_SECONDS = 5.0

_SEEN = "_fresh_seen"
_FAILED_AT = "_fresh_failed_at"


def generation(app: App) -> int:
    return getattr(app, "store_generation", 0)


def reading(screen: Screen, as_of: int | None = None) -> None:
    """``screen`` starts reading the store: what it shows is fresh as of now (or as of the
    change count ``as_of``, when its read began earlier, elsewhere)."""
    setattr(screen, _SEEN, generation(screen.app) if as_of is None else as_of)
    setattr(screen, _FAILED_AT, None)


def forget(screen: Screen) -> None:
    """``screen`` no longer reads again by itself (a form, once open, holds the typing)."""
    setattr(screen, _SEEN, None)
    setattr(screen, _FAILED_AT, None)


def read_failed(screen: Screen, outcome: Outcome) -> None:
    """The read did not work because of a failure (not a refusal): it is read again at the
    next change, or after :data:`RETRY_SECONDS`, and its error line clears once that works."""
    if outcome.failed:
        setattr(screen, _FAILED_AT, time.monotonic())


def stale(screen: Screen) -> bool:
    seen = getattr(screen, _SEEN, None)
    if seen is None:  # never read: not a screen that stays fresh (or not yet shown)
        return False
    if seen < generation(screen.app):
        return True
    failed_at = getattr(screen, _FAILED_AT, None)
    return failed_at is not None and time.monotonic() - failed_at >= RETRY_SECONDS


def busy(screen: Screen) -> bool:
    """Is the person in the middle of something on ``screen``, or is it already reading?"""
    from textual.widgets import Input, TextArea

    app = screen.app
    if app.screen is not screen:
        return True  # a dialog, help or the command palette is open over it
    if any(w.node is screen and not w.is_finished for w in app.workers):
        return True
    focused = screen.focused
    if isinstance(focused, (Input, TextArea)):
        last_key = getattr(app, "last_key_at", 0.0)
        if time.monotonic() - last_key < TYPING_PAUSE:
            return True
    return False


def tick(app: App) -> bool:
    """Reload the screen in front if it is stale and free; True when it did."""
    screen = app.screen
    if not stale(screen) or busy(screen):
        return False
    reload = getattr(screen, "action_reload", None)
    if reload is None:
        return False
    reload()
    return True


def place(table: DataTable) -> Callable[[], None]:
    """Before clearing and refilling ``table``: returns what puts the person back, called
    once the rows are in. The cursor goes back on the row with the same key (or the same
    line when that row has gone), and that row stays where it was on the screen: rows added
    or removed above it scroll the table by as much."""
    key = current_key(table)
    row = table.cursor_row
    x, y = table.scroll_x, table.scroll_y
    top = _top(table, row)

    def restore() -> None:
        if not table.row_count:
            return
        index = None
        if key is not None:
            try:
                index = table.get_row_index(key)
            except Exception:  # noqa: BLE001 - the row has gone (signed off elsewhere)
                index = None
        if index is None:
            index = min(max(row, 0), table.row_count - 1)
        target = max(0.0, y + _top(table, index) - top)
        table.move_cursor(row=index, animate=False, scroll=False)
        # the table's new size is measured when it is next idle; until then the old one
        # holds, so scroll now as far as it allows (nothing jumps) and again once measured
        table.scroll_to(x, target, animate=False, immediate=True)
        if target != table.scroll_y:
            table.call_after_refresh(table.scroll_to, x, target, animate=False, immediate=True)

    return restore


def _top(table: DataTable, index: int) -> int:
    """How many lines down the table row ``index`` starts."""
    return sum(r.height for r in table.ordered_rows[: max(index, 0)])


def current_key(table: DataTable) -> str | None:
    """The key of the row under the cursor, or None."""
    if not table.row_count or table.cursor_row < 0:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except Exception:  # noqa: BLE001 - the cursor is past the rows
        return None
