"""Adding an addendum to a signed-off visit: a reason, the text, and the password asked again.

The record itself never changes; the addendum shows beneath it with its author, time and
signature, and waits for a team manager's acknowledgement. It signs through the one signing
dialog, so whatever the worker typed stays until it is signed: a wrong password or a missing
reason loses nothing.
"""

from __future__ import annotations

from typing import Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, Static, TextArea

from recorder.domain.signing import ADDENDUM_MEANING
from recorder.tui.dialogs.signing import SigningDialog
from recorder.tui.format import line


class AddendumDialog(SigningDialog):
    HELP_TITLE = "Add an addendum"
    NOT_DONE = "Not added."
    BUSY_WORDS = "Signing..."
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="addendum.cancel",
            tooltip="Close without adding anything; the record is unchanged.",
        ),
    ]

    def __init__(self, child_name: str, sign: Callable[..., Any]) -> None:
        super().__init__(
            ADDENDUM_MEANING,
            "The record stays as it was signed. The addendum shows beneath it "
            "with your name, the time and your signature, and your team manager "
            "is asked to acknowledge it.",
            sign,
        )
        self.child_name = child_name

    def title_content(self) -> Content:
        return Content.assemble(
            line("Addendum to ", "bold"), line(f"{self.child_name}'s signed-off visit", "bold")
        )

    def compose_fields(self) -> ComposeResult:
        yield Static(line("Why an addendum is needed"), classes="label")
        yield Input(
            id="reason", max_length=500, placeholder="For example: the date of the visit was wrong"
        )
        yield Static(line("The addendum"), classes="label")
        yield TextArea(id="text")
        yield Static(line("Your password, to sign"), classes="label")

    def fields(self) -> dict[str, str]:
        return {
            "reason": self.query_one("#reason", Input).value,
            "text": self.query_one("#text", TextArea).text,
        }

    def first_field(self):
        return self.query_one("#reason", Input)
