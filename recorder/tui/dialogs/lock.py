"""The locked screen: after ``idle_lock_minutes`` without a key, the password is asked again.

It is a whole screen (not a dialog over the last one): nothing of the record that was open
shows through. The screens under it stay as they were, with what was typed in them
(autosave has saved the drafts already, and saves again as usual), and come back unchanged
when the right password is given (``accounts.resume_session``: counted, delayed and locked
exactly like sign-in). A wrong password keeps it locked; Ctrl+Q still quits (saving first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from recorder.tui.calls import Outcome, run_call
from recorder.tui.format import line
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.text_input import Input

if TYPE_CHECKING:
    from recorder.domain.roles import Actor


class LockScreen(Screen[bool]):
    """Locked: ``unlock(password)`` runs in a worker; the screen closes with True when it
    returned, and stays (saying why) when it refused or failed."""

    HELP_TITLE = "Locked"
    AUTO_FOCUS = "#lock-password"
    DEFAULT_CSS = """
    LockScreen { align: center middle; background: $background; }
    LockScreen #lock-form { width: 70; max-width: 100%; height: auto; border: thick $primary;
                            background: $surface; padding: 0 1; }
    LockScreen #lock-title { text-style: bold; margin-top: 1; }
    LockScreen #lock-explain { margin: 1 0; }
    LockScreen #lock-status { height: auto; margin: 1 0; }
    LockScreen #lock-status.-error { color: $text-error; }
    LockScreen #lock-go { margin-bottom: 1; }
    """

    def __init__(self, actor: Actor, minutes: int, unlock: Callable[[str], object]) -> None:
        super().__init__()
        self.actor = actor
        self.minutes = minutes
        self.unlock = unlock
        self.busy = False

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="lock-form"):
            yield Static(Content("Locked"), id="lock-title")
            after = "1 minute" if self.minutes == 1 else f"{self.minutes} minutes"
            yield Static(
                line(
                    f"recorder locked itself after {after} without use. Your drafts are kept. "
                    f"{self.actor.name} ({self.actor.username}): type your password to "
                    "go on, or press Ctrl+Q to quit."
                ),
                id="lock-explain",
            )
            field = Input(password=True, id="lock-password", placeholder="Your password")
            field.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield field
            yield Static("", id="lock-status")
            yield Button(Content("Unlock"), id="lock-go", variant="primary")
        yield Footer()

    def say(self, text: str, *, error: bool = True) -> None:
        status = self.query_one("#lock-status", Static)
        status.update(line(text))
        status.set_class(error, "-error")

    @on(Input.Submitted, "#lock-password")
    @on(Button.Pressed, "#lock-go")
    def _unlock(self) -> None:
        if self.busy:
            return
        field = self.query_one("#lock-password", Input)
        password = field.value
        field.value = ""  # never kept on screen
        if not password:
            self.say("Type your password to unlock.")
            return
        self.busy = True
        self.say("Checking your password...", error=False)
        unlock = self.unlock
        run_call(self, "Unlocking", lambda: unlock(password), self._unlocked, self._refused)

    def _unlocked(self, _value: object) -> None:
        self.busy = False
        self.dismiss(True)

    def _refused(self, outcome: Outcome) -> None:
        self.busy = False
        self.say(outcome.message)
        self.query_one("#lock-password", Input).focus()
