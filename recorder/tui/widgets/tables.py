"""A fix for Textual 8.2.8's DataTable, applied once when the app is imported.

DataTable measures new rows when it is next idle (``_update_dimensions``) and may change the
columns' widths then, but it keeps the header line it drew before in its row cache (keyed by
an update count that measuring does not move). A frame drawn between adding the rows and
measuring them leaves the header at the labels' widths above rows at their own widths ("Date
Type State Author" squeezed over the visit list), until something else changes the table.
Clearing the table's caches after measuring draws the header again at the new widths. Check
this on every Textual bump (the version is pinned): a newer DataTable may not need it.
"""

from __future__ import annotations

from textual.widgets import DataTable

_PATCHED = "_recorder_steady_header"


def steady_headers() -> None:
    if getattr(DataTable, _PATCHED, False):
        return
    measure = DataTable._update_dimensions

    def update_dimensions(self, new_rows):  # type: ignore[no-untyped-def]
        measure(self, new_rows)
        self._clear_caches()
        self.refresh()

    DataTable._update_dimensions = update_dimensions  # type: ignore[method-assign]
    DataTable._recorder_measure = measure  # type: ignore[attr-defined]  # widgets/plain_table.py
    setattr(DataTable, _PATCHED, True)
