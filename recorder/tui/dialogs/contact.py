"""A manager's decision on a contact: exactly one outcome, the reason, and the password asked
again, in the one signing dialog (a wrong password keeps it open with what was chosen)."""

from __future__ import annotations

from typing import Any, Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Select, Static

from recorder.domain.contacts import Outcome
from recorder.domain.signing import CONTACT_ADDENDUM_MEANING, CONTACT_DECISION_MEANING
from recorder.tui.dialogs.addendum import AddendumDialog
from recorder.tui.dialogs.signing import SigningDialog
from recorder.tui.format import line
from recorder.tui.widgets.text_input import TextArea

OUTCOME_CHOICES = [(o.label, o.value) for o in Outcome]


class ContactDecisionDialog(SigningDialog):
    """Runs ``sign(password, outcome=..., reason=...)``; returns its result, or None."""

    HELP_TITLE = "Decide a contact"
    NOT_DONE = "Not decided."

    def __init__(self, about: str, sign: Callable[..., Any]) -> None:
        super().__init__(
            CONTACT_DECISION_MEANING,
            "Choose the contact's one outcome and say why. Once signed the decision never "
            "changes; a correction is an addendum.",
            sign,
        )
        self.about = about

    def title_content(self) -> Content:
        return line(f"Decide: {self.about}", "bold")

    def compose_fields(self) -> ComposeResult:
        yield Static(line("Outcome (exactly one)"), classes="label")
        yield Select(OUTCOME_CHOICES, id="outcome", prompt="Choose the outcome", compact=True)
        yield Static(line("Reason for the decision"), classes="label")
        yield TextArea(id="reason")
        yield Static(line("Your password, to sign"), classes="label")

    def fields(self) -> dict[str, str]:
        chosen = self.query_one("#outcome", Select).value
        return {
            "outcome": "" if chosen is Select.NULL else str(chosen),
            "reason": self.query_one("#reason", TextArea).text,
        }

    def first_field(self):
        return self.query_one("#outcome", Select)


class ContactAddendumDialog(AddendumDialog):
    """A correction or addition to a decided contact: the reason, the text and the password
    again; the contact stays as it was decided (``services.contacts.add_contact_addendum``)."""

    HELP_TITLE = "Add an addendum to a contact"

    def __init__(self, about: str, sign: Callable[..., Any]) -> None:
        super().__init__(about, sign, None)
        self.meaning = CONTACT_ADDENDUM_MEANING
        self.what = (
            "The contact stays as it was decided. The addendum shows beneath it with your "
            "name and your signature."
        )
        self.about = about

    def title_content(self) -> Content:
        return line(f"Addendum to the contact: {self.about}", "bold")
