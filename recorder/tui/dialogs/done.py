"""Marking a direction done: what was done, in a short note (who and when are recorded)."""

from __future__ import annotations

from typing import Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from recorder.tui.dialogs.signing import _ActionDialog, steady_cursors
from recorder.tui.format import line
from recorder.tui.widgets.text_input import TextArea


class DoneDialog(_ActionDialog):
    """Runs ``done(note)``; returns True when marked done, None when cancelled."""

    HELP_TITLE = "Mark done"
    WHAT = "Marking it done"
    BUSY_WORDS = "Marking it done..."
    NOT_DONE = "Not marked done."
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="done.cancel",
            tooltip="Close; the direction stays open.",
        ),
        Binding(
            "ctrl+s",
            "send",
            "Mark done",
            id="done.send",
            tooltip="Mark it done with this note (your name and the time are recorded).",
        ),
    ]
    DEFAULT_CSS = """
    DoneDialog { align: center middle; }
    DoneDialog > #dialog { width: 88; max-width: 100%; height: auto; max-height: 100%;
                           border: thick $success; background: $surface; padding: 1 2; }
    DoneDialog #done-title { text-style: bold; }
    DoneDialog #done-what { margin: 1 0; }
    DoneDialog #done-note { height: 6; }
    DoneDialog .dialog-status { height: auto; }
    DoneDialog .dialog-status.-error { color: $text-error; }
    DoneDialog #done-buttons { height: auto; margin-top: 1; }
    DoneDialog #done-buttons Button { margin-right: 2; }
    """

    def __init__(self, what: Content, done: Callable[[str], Any]) -> None:
        super().__init__()
        self.what = what
        self.done = done

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(line("Mark this direction done"), id="done-title")
            yield Static(self.what, id="done-what")
            yield Static(line("What was done (a short note):"))
            yield TextArea(id="done-note", soft_wrap=True)
            yield Static("", classes="dialog-status")
            with Horizontal(id="done-buttons"):
                yield Button(
                    Content("Mark done (Ctrl+S)"),
                    id="done-send",
                    classes="dialog-go",
                    variant="success",
                )
                yield Button(Content("Cancel"), id="done-cancel")

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one("#done-note", TextArea).focus()

    @on(Button.Pressed, "#done-send")
    def action_send(self) -> None:
        if self.busy:
            return
        note = self.query_one("#done-note", TextArea).text
        if not note.strip():
            self.say("Say what was done, then mark it done.")
            return
        self.run(lambda: self.done(note))

    def refused(self) -> None:
        self.query_one("#done-note", TextArea).focus()

    @on(Button.Pressed, "#done-cancel")
    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
