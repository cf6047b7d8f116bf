"""Textual's Footer, rebuilt only when the keys it shows have changed (issue 15, item 1).

Textual 8.2.8's ``Footer`` recomposes (removes and mounts again every key it shows, each
styled anew) after *every* ``refresh_bindings()``, and a screen asks for that whenever its
actions may have changed: when it shows its data, when a table's cursor moves, when focus
moves. Opening a child's record did it about twenty times before the first frame, and each
time the keys were the same. This Footer draws the same keys the same way, but at most once
per refresh and only when what it would show (each key, its label, its tooltip, enabled or
not) differs from what it shows, and styles each key once, not twice.

A key that does not fit wholly in the bar's width is not shown (Textual's cuts it mid-word,
"f8 Dis" at 80 columns); every key is still listed in F1's help.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class Footer(TextualFooter):
    """The key bar: Textual's own, without rebuilding it for nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recompose_pending = False
        self._shown: tuple | None = None
        # the keys go in with the footer's first compose, not in a second one once the
        # screen first says its bindings changed (the same keys, one rebuild and layout less)
        self.set_reactive(TextualFooter._bindings_ready, True)

    def _what_it_shows(self) -> tuple | None:
        """Everything :meth:`compose` draws from, as one comparable value."""
        if not self._bindings_ready:
            return None
        app = self.app
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                palette = (binding.key, binding.description, enabled, binding.tooltip)
        return keys, palette

    def compose(self) -> ComposeResult:
        try:
            self._shown = self._what_it_shows()
            widgets = list(super().compose())
        except Exception:  # noqa: BLE001 - the screen is not ready to say: as Textual does
            self.set_reactive(TextualFooter._bindings_ready, False)
            self._shown = None
            return
        for widget in widgets:
            if isinstance(widget, FooterKey):
                # born in its final style: Textual's key starts compact and is then bound to
                # the footer's (not compact), each a restyle of its own; the command
                # palette's key is not bound and stays compact
                compact = widget.has_class("-command-palette") or self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._recompose_pending = False
        if not self.is_attached:
            return
        now = self._what_it_shows()
        if now == self._shown:
            return
        if not await self._patch(now):
            await self.recompose()
        self._fit()

    async def _patch(self, now: tuple | None) -> bool:
        """Change the keys shown to ``now`` in place: a key that is still shown, drawn the
        same, is kept (its enabled state and tooltip set as a new one would have them), a
        new key is mounted where it goes and a key no longer shown is removed. The child's
        record gains one key when its data is shown: rebuilding every key for it was about a
        third of the screen's drawing. False (nothing changed) when the change is not one of
        these (the command palette's key, grouped keys): Textual's recompose does it."""
        if self._shown is None or now is None or self._shown[1] != now[1]:
            return False
        if any(k[4] is not None for k in (*self._shown[0], *now[0])):
            return False  # grouped keys: Textual's own
        old, new = _first_per_action(self._shown[0]), _first_per_action(now[0])
        widgets = [
            w
            for w in self.children
            if isinstance(w, FooterKey) and not w.has_class("-command-palette")
        ]
        if [w.action for w in widgets] != [k[3] for k in old] or len(self.children) != len(
            widgets
        ) + (1 if now[1] is not None else 0):
            return False
        by_drawing = {k[:4]: w for k, w in zip(old, widgets)}
        kept = [by_drawing[k[:4]] for k in new if k[:4] in by_drawing]
        if kept != [w for w in widgets if w in kept]:
            return False  # the kept keys in another order
        made = {
            w.action: w
            for w in self.compose()  # the keys as a recompose would make them (and _shown)
            if isinstance(w, FooterKey) and not w.has_class("-command-palette")
        }
        if list(made) != [k[3] for k in new]:
            return False
        gone = [w for w in widgets if w not in kept]
        if gone:
            await self.remove_children(gone)
        before: FooterKey | None = None
        for k in reversed(new):  # each new key before the next one shown (or first)
            w = by_drawing.get(k[:4])
            fresh = made[k[3]]
            if w is None:
                if before is not None:
                    await self.mount(fresh, before=before)
                elif kept:  # after the last key kept (the command palette's stays last)
                    await self.mount(fresh, after=kept[-1])
                else:
                    await self.mount(fresh, before=0)
                w = fresh
            else:
                w._disabled = fresh._disabled
                w.set_class(fresh._disabled, "-disabled")
                w.tooltip = fresh.tooltip
            before = w
        self.styles.grid_size_columns = len(new)
        return True

    def on_resize(self) -> None:  # its first layout too: a widget is told its first size
        self._fit()

    def _fit(self) -> None:
        """Show the keys, in their order, that fit wholly in the width; hide the others."""
        width = self.size.width
        if not width:
            return
        keys = [w for w in self.children if isinstance(w, FooterKey)]
        docked = [k for k in keys if k.has_class("-command-palette")]
        used = sum(_cells(k) for k in docked)
        for key in keys:
            if key in docked:
                continue
            cells = _cells(key)
            fits = used + cells <= width
            if key.display != fits:
                key.display = fits
            if fits:
                used += cells


def _first_per_action(keys: tuple) -> list[tuple]:
    """The keys Textual's Footer draws: the first binding of each action, in order."""
    first: dict[str, tuple] = {}
    for k in keys:
        first.setdefault(k[3], k)
    return list(first.values())


def _cells(key: FooterKey) -> int:
    """The columns ``key`` takes in the bar: its text, padding, border and margins."""
    return key.render().cell_len + key.styles.gutter.width + key.styles.margin.width
