"""A screen's first frame drawn with its data (issue 15, item 1).

The child, queue and team screens start their read as they are built, so the store's work
overlaps their mounting. Textual draws a new screen as soon as it is laid out, and again for
each change before the answer comes (its title, its key bar, its size): two or three frames
of "Reading..." that nobody reads when the answer follows a moment later, each drawn on the
UI thread while the read waits for it. A :class:`DrawnWithData` screen lays itself out as
before but does not draw until :meth:`~DrawnWithData.draw_now` (called when its data or its
failure is shown) or until :data:`HOLD_SECONDS` have passed, so a slow read still shows
"Reading..." and the previous screen never stays up for long. The first frame drawn is a
whole one (every cell of the terminal), as Textual draws any new screen.

Textual's first layout of a new screen also sends it a Resize to the size it was just laid
out at, and that lays it out again (and every screen under it) and draws it once more. These
screens, given their size classes before they were styled (``app._sized``), skip that first
Resize when it is for the terminal's size and the size they are laid out at; any later
Resize is Textual's. (Done for every screen, a form whose first layout came before its
fields were measured, the contact form, kept a wrong scroll position: only these screens,
measured and tested, skip it.)
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import events
from textual.screen import Screen

#: the longest a screen waits for its data before drawing what it has ("Reading...")
HOLD_SECONDS = 0.3

R = TypeVar("R")


class DrawnWithData(Screen[R], Generic[R]):
    """A screen that can hold its frames until its data is shown (see the module)."""

    _holding = False
    _resized = False

    def hold_frames(self) -> None:
        """Draw nothing until :meth:`draw_now`, or :data:`HOLD_SECONDS` from now."""
        self._holding = True
        self.set_timer(HOLD_SECONDS, self.draw_now, name="first frame")

    def draw_now(self) -> None:
        """Draw from now on (the whole screen at the next refresh)."""
        if self._holding:
            self._holding = False
            self.refresh()

    def _compositor_refresh(self) -> None:
        # Textual's one place where a screen's frame is made (and sent to the terminal);
        # held, what changed stays marked and is drawn by the refresh in draw_now
        if self._holding:
            return
        super()._compositor_refresh()

    async def _on_resize(self, event: events.Resize) -> None:
        first, self._resized = not self._resized, True
        if first and event.size == self.app.size == self._compositor.size:
            event.prevent_default()  # not Textual's Screen._on_resize: laid out at it already
            event.stop()
