"""The dialogs that do one thing to a record: sign it (password asked again) or return it
with comments.

Each dialog runs its service call itself (through :mod:`recorder.tui.calls`) and closes
only when it is done. A wrong password, any other refusal, or the database going away keeps
the dialog open with what was typed (the password field alone is cleared), and says why in
words. Countersign, sign-off, a case note, acknowledging an addendum and adding one all sign
through :class:`SigningDialog`; an addendum adds its reason and text fields to it.
"""

from __future__ import annotations

from typing import Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from recorder.tui.autosave import FormDraft
from recorder.tui.calls import Outcome, run_call
from recorder.tui.format import line
from recorder.tui.widgets.text_input import Input, TextArea


def steady_cursors(node) -> None:
    """Cursors blink unless the app says not to (tests and screenshots turn it off)."""
    blink = getattr(node.app, "cursor_blink", True)
    for w in node.query("Input, TextArea"):
        w.cursor_blink = blink


class _ActionDialog(ModalScreen[Any]):
    """A dialog that runs one call and closes with its result; stays open when it fails."""

    #: names the work for an unexpected failure ("Signing did not work: ...")
    WHAT = "Signing"
    BUSY_WORDS = "Checking your password and signing..."
    NOT_DONE = "Not signed."

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def say(self, text: str, *, error: bool = True) -> None:
        status = self.query_one(".dialog-status", Static)
        status.update(line(text))
        status.set_class(error, "-error")

    def run(self, call: Callable[[], Any]) -> None:
        self.busy = True
        for b in self.query(".dialog-go").results(Button):
            b.disabled = True
        self.say(self.BUSY_WORDS, error=False)
        run_call(self, self.WHAT, call, self._done, self._refused, group="dialog")

    def _done(self, value: Any) -> None:
        self.busy = False
        self.dismiss(value if value is not None else True)

    def _refused(self, outcome: Outcome) -> None:
        self.busy = False
        for b in self.query(".dialog-go").results(Button):
            b.disabled = False
        self.say(f"{self.NOT_DONE} {outcome.message}")
        self.refused()

    def refused(self) -> None:
        """After a refusal: put the focus where the person fixes it (subclasses)."""


class SigningDialog(_ActionDialog):
    """ "Type your password again to sign": runs ``sign(password, **fields)`` and returns
    what it returned (True when it returned nothing), or None when cancelled."""

    HELP_TITLE = "Sign with your password"
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="signing.cancel",
            tooltip="Close without signing; nothing is signed.",
        ),
    ]
    DEFAULT_CSS = """
    SigningDialog { align: center middle; }
    SigningDialog > #dialog { width: 90; max-width: 100%; height: auto; max-height: 100%;
                              border: thick $primary; background: $surface; padding: 0 1; }
    SigningDialog #sign-title { text-style: bold; margin-top: 1; }
    SigningDialog #sign-explain { margin: 1 0; }
    SigningDialog .label { margin-top: 1; text-style: bold; }
    SigningDialog TextArea { height: 8; }
    SigningDialog .dialog-status { height: auto; margin-top: 1; }
    SigningDialog .dialog-status.-error { color: $text-error; }
    SigningDialog #sign-buttons { height: auto; margin: 1 0; }
    SigningDialog #sign-buttons Button { margin-right: 2; }
    """

    def __init__(self, meaning: str, what: str, sign: Callable[..., Any]) -> None:
        super().__init__()
        self.meaning = meaning
        self.what = what
        self.sign = sign

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_content(), id="sign-title")
            yield Static(line(self.what), id="sign-explain")
            yield from self.compose_fields()
            yield Input(
                password=True, id="sign-password", placeholder="Your password", compact=True
            )
            yield Static("", classes="dialog-status")
            with Horizontal(id="sign-buttons"):
                yield Button(Content("Sign"), id="sign-go", classes="dialog-go", variant="primary")
                yield Button(Content("Cancel"), id="sign-cancel")

    def title_content(self) -> Content:
        return line(f"Sign: {self.meaning}")

    def compose_fields(self) -> ComposeResult:
        """Fields signed with the password (subclasses); their values go to ``sign``."""
        yield from ()

    def fields(self) -> dict[str, str]:
        return {}

    def first_field(self):
        return self.query_one("#sign-password", Input)

    def on_mount(self) -> None:
        steady_cursors(self)
        self.first_field().focus()

    @on(Input.Submitted, "#sign-password")
    @on(Button.Pressed, "#sign-go")
    def _sign(self) -> None:
        if self.busy:
            return
        field = self.query_one("#sign-password", Input)
        password = field.value
        if not password:
            self.say("Type your password to sign, or press Escape to cancel.")
            field.focus()
            return
        field.value = ""  # never kept on screen
        values = self.fields()
        self.run(lambda: self.sign(password, **values))

    def refused(self) -> None:
        self.query_one("#sign-password", Input).focus()

    @on(Button.Pressed, "#sign-cancel")
    def action_cancel(self) -> None:
        self.leave()

    def leave(self) -> None:
        if not self.busy:
            self.dismiss(None)


class DraftDialog(FormDraft):
    """What a dialog that keeps its fields as a draft shares (return comments, an addendum):
    the draft line, leaving with Escape keeps the draft, and nothing is saved while the
    signing call runs (it removes the draft)."""

    draft_status_selector = ".draft-status"

    def draft_ready(self, view: Any) -> None:
        if view is None:
            self._set_status("What you type is kept as your draft until it is sent.")

    def leave(self) -> None:
        if not self.busy and self.may_leave():  # type: ignore[attr-defined]
            self.dismiss(None)  # type: ignore[attr-defined]

    def run(self, call: Callable[[], Any]) -> None:
        self._was_editable = self.editable
        if self.editable:
            self.save_all_now()
            self.editable = False
        super().run(call)  # type: ignore[misc]

    def _done(self, value: Any) -> None:
        self.draft_signed()
        super()._done(value)  # type: ignore[misc]

    def _refused(self, outcome: Outcome) -> None:
        self.editable = getattr(self, "_was_editable", self.editable)
        super()._refused(outcome)  # type: ignore[misc]


class ReturnDialog(DraftDialog, _ActionDialog):
    """Comments for a record returned for changes: runs ``send(comments)``; returns True
    when it is returned, or None when cancelled. Given the ``visit_id``, the comments are
    kept as the writer's draft while they type (Escape keeps them)."""

    HELP_TITLE = "Return for changes"
    WHAT = "Returning the record"
    BUSY_WORDS = "Returning the record..."
    NOT_DONE = "Not returned."
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="return.cancel",
            tooltip="Close without returning the record; the comments are kept as your draft.",
        ),
        Binding(
            "ctrl+s",
            "send",
            "Return it",
            id="return.send",
            tooltip="Send the record back to the worker with these comments.",
        ),
        Binding(
            "f8",
            "discard_draft",
            "Discard draft",
            id="return.discard_draft",
            tooltip="Throw away these comments (you are asked to confirm).",
        ),
    ]
    DEFAULT_CSS = """
    ReturnDialog { align: center middle; }
    ReturnDialog .draft-status { height: auto; color: $text-muted; }
    ReturnDialog .draft-status.-error { color: $text-error; }
    ReturnDialog > #dialog { width: 88; max-width: 100%; height: auto; max-height: 100%;
                             border: thick $warning; background: $surface; padding: 1 2; }
    ReturnDialog #return-title { text-style: bold; }
    ReturnDialog #return-explain { margin: 1 0; }
    ReturnDialog #return-comments { height: 8; }
    ReturnDialog .dialog-status { height: auto; }
    ReturnDialog .dialog-status.-error { color: $text-error; }
    ReturnDialog #return-buttons { height: auto; margin-top: 1; }
    ReturnDialog #return-buttons Button { margin-right: 2; }
    """

    def __init__(
        self, author: str, send: Callable[[str], Any], text: str = "", visit_id: int | None = None
    ) -> None:
        super().__init__()
        self.author = author
        self.send = send
        self.text = text
        self.visit_id = visit_id
        self.init_form_draft()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(line("Return for changes"), id="return-title")
            yield Static(
                line(
                    f"Say what needs to change. {self.author} reads these comments "
                    "and the record goes back to their drafts; its history is kept."
                ),
                id="return-explain",
            )
            yield TextArea(self.text, id="return-comments", soft_wrap=True)
            yield Static("", classes="draft-status")
            yield Static("", classes="dialog-status")
            with Horizontal(id="return-buttons"):
                yield Button(
                    Content("Return it (Ctrl+S)"),
                    id="return-send",
                    classes="dialog-go",
                    variant="warning",
                )
                yield Button(Content("Cancel"), id="return-cancel")

    def on_mount(self) -> None:
        steady_cursors(self)
        comments = self.query_one("#return-comments", TextArea)
        comments.focus()
        comments.move_cursor(comments.document.end)  # to go on from what was carried over
        if self.visit_id is not None:
            from recorder.domain.drafts import DraftKind

            self._known = self.draft_content()  # the comment carried over is not an edit
            self.start_draft(DraftKind.RETURN, self.visit_id)

    # -- the draft ----------------------------------------------------------------------
    def draft_content(self) -> dict:
        return {"comments": self.query_one("#return-comments", TextArea).text}

    def fill_draft(self, content: dict) -> None:
        text = content.get("comments", "")
        comments = self.query_one("#return-comments", TextArea)
        comments.text = text if isinstance(text, str) else ""
        comments.move_cursor(comments.document.end)

    @on(TextArea.Changed, "#return-comments")
    def _changed(self) -> None:
        if self.visit_id is not None:
            self.form_changed()
        if getattr(self, "_empty_said", False) and self.draft_content()["comments"].strip():
            self._empty_said = False
            self.say("", error=False)  # "say what needs to change": it has been said

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "discard_draft":
            return True if self.editable and not self.busy else None
        return True

    def action_discard_draft(self) -> None:
        self.discard_draft()

    @on(Button.Pressed, "#return-send")
    def action_send(self) -> None:
        if self.busy:
            return
        text = self.query_one("#return-comments", TextArea).text
        if not text.strip():
            self.say("Say what needs to change: the comments go to the worker.")
            self._empty_said = True
            return
        self.run(lambda: self.send(text))

    def refused(self) -> None:
        self.query_one("#return-comments", TextArea).focus()

    @on(Button.Pressed, "#return-cancel")
    def action_cancel(self) -> None:
        self.leave()
