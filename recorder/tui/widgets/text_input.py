"""Text fields that take their keys in the order they were typed.

Textual (8.2.8) inserts a typed character in the field's own turn, but runs the field's key
bindings (Backspace, Delete, the arrows, Home, End, Ctrl+W ...) only once the key has bubbled
up through every container to the app. When keys arrive together (a fast typist, a slow
machine, a session over SSH or in the browser), the characters typed after a Backspace are
put in before the Backspace is run, so the wrong character goes: "osh", Backspace, "z" was
left as "osh" instead of "osz", and Left, Left, "z" gave "oshz" instead of "ozsh". Nothing
says so; the record is just wrong.

These fields run their own bindings in their own turn, like the characters, so every key
takes effect in the order it came. A key the field has no binding for (Tab, Escape, F-keys,
a screen's keys) goes on up as before, and the app's priority keys are still taken first.
Every text field in the app is one of these (a test holds every module to it).

``TextArea`` is made on first use (``from recorder.tui.widgets.text_input import TextArea``
works as ever): Textual's TextArea and its document modules cost about 5 ms of CPU to import,
and the sign-in screen, painted first, has only Inputs (issue 15).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input as TextualInput


class KeysInOrder:
    """Run the widget's own binding for a key when the key reaches it, not after it has
    bubbled up to the app (which lets later keys overtake it)."""

    async def _on_key(self, event: events.Key) -> None:
        widget = self  # a Widget: the mixin is only used with Input and TextArea below
        bindings = widget._bindings  # type: ignore[attr-defined]
        keymap = widget.app._keymap  # type: ignore[attr-defined]
        if keymap:  # a [keys] table in user.toml may have moved a binding (tui/keymap)
            bindings = bindings.copy()
            bindings.apply_keymap(keymap)
        for binding in bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue  # the app ran those before the key came here
            if await widget.app.run_action(binding.action, widget):  # type: ignore[attr-defined]
                event.stop()
                event.prevent_default()  # not again by Textual's own handling
                return


class Input(KeysInOrder, TextualInput):
    """Textual's Input, taking Backspace, Delete and the arrows in the order typed."""


def __getattr__(name: str) -> Any:
    if name == "TextArea":
        from recorder.tui.widgets.text_area import TextArea

        globals()["TextArea"] = TextArea
        return TextArea
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
