"""Adding an addendum to a signed-off visit: a reason, the text, and the password asked again.

The record itself never changes; the addendum shows beneath it with its author, time and
signature, and waits for a team manager's acknowledgement. Whatever the worker typed stays in
the dialog until it is signed, so a wrong password or a missing reason loses nothing.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from recorder.tui.text import line


class AddendumDialog(ModalScreen[bool]):
    HELP_TITLE = "Add an addendum"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="addendum.cancel",
                tooltip="Close without adding anything; the record is unchanged."),
    ]
    DEFAULT_CSS = """
    AddendumDialog { align: center middle; }
    AddendumDialog > #dialog { width: 90; height: auto; max-height: 38; border: thick $primary;
                               background: $surface; padding: 0 1; }
    AddendumDialog .label { margin-top: 1; text-style: bold; }
    AddendumDialog TextArea { height: 8; }
    AddendumDialog #status { margin-top: 1; height: auto; }
    AddendumDialog #status.-error { color: $text-error; }
    AddendumDialog #buttons { height: auto; margin-top: 1; }
    AddendumDialog #buttons Button { margin-right: 2; }
    """

    def __init__(self, visit_id: int, actor_id: int, child_name: str) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.actor_id = actor_id
        self.child_name = child_name
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content.assemble(line("Addendum to ", "bold"),
                                          line(f"{self.child_name}'s signed-off visit", "bold")))
            yield Static(line("The record stays as it was signed. The addendum shows beneath "
                              "it with your name, the time and your signature, and your team "
                              "manager is asked to acknowledge it."))
            yield Static(line("Why an addendum is needed"), classes="label")
            yield Input(id="reason", max_length=500,
                        placeholder="For example: the date of the visit was wrong")
            yield Static(line("The addendum"), classes="label")
            yield TextArea(id="text")
            yield Static(line("Your password, to sign"), classes="label")
            yield Input(id="password", password=True, placeholder="Your password")
            yield Static("", id="status")
            with Horizontal(id="buttons"):
                yield Button(Content("Sign and add"), id="sign", variant="primary")
                yield Button(Content("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def _say(self, text: str, error: bool = True) -> None:
        status = self.query_one("#status", Static)
        status.update(line(text))
        status.set_class(error, "-error")

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign")
    def _sign(self) -> None:
        if self._busy:
            return
        reason = self.query_one("#reason", Input).value
        text = self.query_one("#text", TextArea).text
        password_field = self.query_one("#password", Input)
        password = password_field.value
        if not password:
            self._say("Type your password to sign the addendum.")
            password_field.focus()
            return
        password_field.value = ""  # never kept on screen
        self._busy = True
        self.query_one("#sign", Button).disabled = True
        self._say("Signing...", error=False)
        self._add(reason, text, password)

    @work(thread=True, exclusive=True, group="addendum", exit_on_error=False)
    def _add(self, reason: str, text: str, password: str) -> None:
        from recorder.services.addenda import add_addendum
        from recorder.services.errors import ServiceError

        try:
            add_addendum(self.app.services, self.actor_id, self.visit_id, reason, text, password)
        except ServiceError as e:
            self.app.call_from_thread(self._refused, e.message)
        except Exception as e:  # noqa: BLE001 - words, never a traceback
            self.app.call_from_thread(self._refused, f"The addendum was not added "
                                      f"({type(e).__name__}). Nothing was changed; try again.")
        else:
            self.app.call_from_thread(self.dismiss, True)

    def _refused(self, message: str) -> None:
        self._busy = False
        self.query_one("#sign", Button).disabled = False
        self._say(f"Not added. {message}")
        self.query_one("#password", Input).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
