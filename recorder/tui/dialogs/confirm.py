"""Asking "are you sure?" before something that cannot be undone (discarding a draft)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from recorder.tui.format import line


class ConfirmDialog(ModalScreen[bool]):
    """Returns True when the person confirms, False (or None on Escape) otherwise. The
    safe answer has the focus, so Enter pressed by habit does nothing harmful."""

    HELP_TITLE = "Are you sure?"
    BINDINGS = [
        Binding("escape", "no", "Keep it", id="confirm.no", tooltip="Close; nothing changes."),
    ]
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > #dialog { width: 70; max-width: 100%; height: auto; max-height: 100%;
                              border: thick $error; background: $surface; padding: 1 2; }
    ConfirmDialog #confirm-title { text-style: bold; }
    ConfirmDialog #confirm-explain { margin: 1 0; }
    ConfirmDialog #confirm-buttons { height: auto; }
    ConfirmDialog #confirm-buttons Button { margin-right: 2; }
    """

    def __init__(self, title: str, explain: str, yes: str) -> None:
        super().__init__()
        self.question = title
        self.explain = explain
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(line(self.question), id="confirm-title")
            yield Static(line(self.explain), id="confirm-explain")
            with Horizontal(id="confirm-buttons"):
                yield Button(Content("Keep it"), id="confirm-no", variant="primary")
                yield Button(Content(self.yes), id="confirm-yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_no(self) -> None:
        self.dismiss(False)
