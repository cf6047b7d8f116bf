"""The app's TextArea: Textual's, taking its keys in the order typed (see ``text_input``,
which hands it out; its own module so that the sign-in screen does not import Textual's
TextArea before its first frame)."""

from __future__ import annotations

from textual.widgets import TextArea as TextualTextArea

from recorder.tui.widgets.text_input import KeysInOrder


class TextArea(KeysInOrder, TextualTextArea):
    """Textual's TextArea, taking Backspace, Delete and the arrows in the order typed."""
