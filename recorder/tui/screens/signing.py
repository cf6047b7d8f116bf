"""Dialogs for signing and returning: the signer's password asked again, and the comments
that go back to the worker with a returned record. Neither changes anything itself: each
returns what was typed, and the screen underneath calls the service."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from recorder.tui.text import line


def steady_cursors(node) -> None:
    """Cursors blink unless the app says not to (tests and screenshots turn it off)."""
    blink = getattr(node.app, "cursor_blink", True)
    for w in node.query("Input, TextArea"):
        w.cursor_blink = blink


class PasswordDialog(ModalScreen[str | None]):
    """"Type your password again to sign": returns the password, or None when cancelled."""

    HELP_TITLE = "Sign with your password"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="password.cancel",
                tooltip="Close without signing; nothing is signed."),
    ]
    DEFAULT_CSS = """
    PasswordDialog { align: center middle; }
    PasswordDialog > #dialog { width: 72; height: auto; border: thick $primary;
                               background: $surface; padding: 1 2; }
    PasswordDialog #pw-title { text-style: bold; }
    PasswordDialog #pw-explain { margin: 1 0; }
    PasswordDialog #pw-buttons { height: auto; margin-top: 1; }
    PasswordDialog #pw-buttons Button { margin-right: 2; }
    """

    def __init__(self, meaning: str, what: str) -> None:
        super().__init__()
        self.meaning = meaning
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(line(f"Sign: {self.meaning}"), id="pw-title")
            yield Static(line(self.what), id="pw-explain")
            yield Input(password=True, id="sign-password", placeholder="Your password",
                        compact=True)
            with Horizontal(id="pw-buttons"):
                yield Button(Content("Sign"), id="pw-sign", variant="primary")
                yield Button(Content("Cancel"), id="pw-cancel")

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one("#sign-password", Input).focus()

    @on(Input.Submitted, "#sign-password")
    @on(Button.Pressed, "#pw-sign")
    def _sign(self) -> None:
        value = self.query_one("#sign-password", Input).value
        if not value:
            self.notify("Type your password to sign, or press Escape to cancel.",
                        title="Password needed", severity="warning", markup=False)
            return
        self.dismiss(value)

    @on(Button.Pressed, "#pw-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReturnDialog(ModalScreen[str | None]):
    """Comments for a record returned for changes; returns them, or None when cancelled."""

    HELP_TITLE = "Return for changes"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="return.cancel",
                tooltip="Close without returning the record."),
        Binding("ctrl+s", "send", "Return it", id="return.send",
                tooltip="Send the record back to the worker with these comments."),
    ]
    DEFAULT_CSS = """
    ReturnDialog { align: center middle; }
    ReturnDialog > #dialog { width: 88; height: auto; border: thick $warning;
                             background: $surface; padding: 1 2; }
    ReturnDialog #return-title { text-style: bold; }
    ReturnDialog #return-explain { margin: 1 0; }
    ReturnDialog #return-comments { height: 8; }
    ReturnDialog #return-buttons { height: auto; margin-top: 1; }
    ReturnDialog #return-buttons Button { margin-right: 2; }
    """

    def __init__(self, author: str, text: str = "") -> None:
        super().__init__()
        self.author = author
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(line("Return for changes"), id="return-title")
            yield Static(line(f"Say what needs to change. {self.author} reads these comments "
                              "and the record goes back to their drafts; its history is kept."),
                         id="return-explain")
            yield TextArea(self.text, id="return-comments", soft_wrap=True)
            with Horizontal(id="return-buttons"):
                yield Button(Content("Return it (Ctrl+S)"), id="return-send", variant="warning")
                yield Button(Content("Cancel"), id="return-cancel")

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one("#return-comments", TextArea).focus()

    @on(Button.Pressed, "#return-send")
    def action_send(self) -> None:
        text = self.query_one("#return-comments", TextArea).text
        if not text.strip():
            self.notify("Say what needs to change: the comments go to the worker.",
                        title="Comments needed", severity="warning", markup=False)
            return
        self.dismiss(text)

    @on(Button.Pressed, "#return-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
