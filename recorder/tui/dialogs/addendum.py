"""Adding an addendum to a signed-off visit: a reason, the text, and the password asked again.

The record itself never changes; the addendum shows beneath it with its author, time and
signature, and waits for a team manager's acknowledgement. It signs through the one signing
dialog, so whatever the worker typed stays until it is signed: a wrong password or a missing
reason loses nothing.
"""

from __future__ import annotations

from typing import Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from recorder.domain.signing import ADDENDUM_MEANING
from recorder.tui.dialogs.signing import DraftDialog, SigningDialog
from recorder.tui.format import line
from recorder.tui.widgets.text_input import Input, TextArea


class AddendumDialog(DraftDialog, SigningDialog):
    """Given the ``visit_id``, the reason and the text are kept as the writer's draft while
    they type: Escape keeps them, and they are there when the dialog is opened again."""

    HELP_TITLE = "Add an addendum"
    NOT_DONE = "Not added."
    BUSY_WORDS = "Signing..."
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="addendum.cancel",
            tooltip="Close without adding anything; what you typed is kept as your draft.",
        ),
        Binding(
            "f8",
            "discard_draft",
            "Discard draft",
            id="addendum.discard_draft",
            tooltip="Throw away this addendum (you are asked to confirm).",
        ),
    ]
    DEFAULT_CSS = """
    AddendumDialog .draft-status { height: auto; color: $text-muted; }
    AddendumDialog .draft-status.-error { color: $text-error; }
    """

    def __init__(
        self, child_name: str, sign: Callable[..., Any], visit_id: int | None = None
    ) -> None:
        super().__init__(
            ADDENDUM_MEANING,
            "The record stays as it was signed. The addendum shows beneath it "
            "with your name, the time and your signature, and your team manager "
            "is asked to acknowledge it.",
            sign,
        )
        self.child_name = child_name
        self.visit_id = visit_id
        self.init_form_draft()

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
        yield Static("", classes="draft-status")
        yield Static(line("Your password, to sign"), classes="label")

    def fields(self) -> dict[str, str]:
        return {
            "reason": self.query_one("#reason", Input).value,
            "text": self.query_one("#text", TextArea).text,
        }

    def first_field(self):
        return self.query_one("#reason", Input)

    def on_mount(self) -> None:  # SigningDialog's runs as well (Textual calls each class's)
        if self.visit_id is not None:
            from recorder.domain.drafts import DraftKind

            self.start_draft(DraftKind.ADDENDUM, self.visit_id)

    # -- the draft ----------------------------------------------------------------------
    def draft_content(self) -> dict:
        return self.fields()

    def fill_draft(self, content: dict) -> None:
        reason, text = content.get("reason", ""), content.get("text", "")
        self.query_one("#reason", Input).value = reason if isinstance(reason, str) else ""
        self.query_one("#text", TextArea).text = text if isinstance(text, str) else ""

    @on(Input.Changed, "#reason")
    @on(TextArea.Changed, "#text")
    def _changed(self) -> None:
        if self.visit_id is not None:
            self.form_changed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "discard_draft":
            return True if self.editable and not self.busy else None
        return True

    def action_discard_draft(self) -> None:
        self.discard_draft()
