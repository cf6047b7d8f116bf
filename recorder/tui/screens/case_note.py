"""A manager's oversight note on a child's case, between supervisions (DOMAIN.md,
"Management oversight"): the same headings as a visit's oversight, signed with the password
asked again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static, TextArea

from recorder.domain.signing import OVERSIGHT_MEANING
from recorder.tui.dialogs.signing import SigningDialog
from recorder.tui.format import line
from recorder.tui.session import signed_in
from recorder.tui.widgets.oversight_form import OversightForm, todo_content

if TYPE_CHECKING:
    from recorder.domain.roles import Actor


class CaseNoteScreen(Screen[None]):
    """A manager's oversight note on a child's case, between supervisions."""

    HELP_TITLE = "Case oversight note"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "sign",
            "Sign",
            id="case_note.sign",
            tooltip="Sign the note: your password is asked again.",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="case_note.back",
            tooltip="Go back to the child; an unsigned note is not kept.",
        ),
        Binding(
            "ctrl+n",
            "add_action",
            "Add an action",
            id="case_note.add_action",
            tooltip="Add another action row (what, who, by when).",
        ),
    ]
    DEFAULT_CSS = """
    CaseNoteScreen #note-head { height: auto; padding: 0 1; background: $panel; }
    CaseNoteScreen #todo { height: auto; max-height: 11; padding: 0 1; border: round $warning; }
    CaseNoteScreen #todo.-done { border: round $success; }
    CaseNoteScreen #note-form { padding: 0 1; }
    CaseNoteScreen #note-status { height: auto; max-height: 6; padding: 0 1; }
    CaseNoteScreen #note-status.-error { color: $text-error; background: $error-muted; }
    """

    def __init__(self, child_id: int, child_name: str, child_reference: str = "") -> None:
        super().__init__()
        self.child_id = child_id
        self.child_name = child_name
        self.child_reference = child_reference
        self.busy = False
        self.done = False

    @property
    def actor(self) -> "Actor | None":
        return signed_in(self)

    def compose(self) -> ComposeResult:
        _line = line
        yield Header(show_clock=False)
        ref = f" ({self.child_reference})" if self.child_reference else ""
        yield Static(
            Content("\n").join(
                [
                    Content.assemble(
                        "Management oversight note on the case of ",
                        _line(f"{self.child_name}{ref}", "bold"),
                    ),
                    _line(
                        "Between supervisions: the same headings as a visit's oversight, signed with "
                        "your password."
                    ),
                ]
            ),
            id="note-head",
        )
        yield Static("", id="todo")
        min_words = self.app.services.policy.oversight_analysis_min_words
        yield OversightForm((), min_words, id="note-form")
        yield Static("", id="note-status")
        yield Footer()

    def on_mount(self) -> None:
        self._todo()
        self.query_one("#note-decision", TextArea).focus()

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _todo(self) -> None:
        items = self.query_one(OversightForm).still_to_do()
        todo = self.query_one("#todo", Static)
        todo.update(todo_content(items, "Nothing left to do: sign with Ctrl+S."))
        todo.set_class(not items, "-done")

    def action_back(self) -> None:
        self.dismiss()

    async def action_add_action(self) -> None:
        await self.query_one(OversightForm).add_action()

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#note-status", Static)
        status.set_class(error, "-error")
        status.update(Content(text))
        if error:
            self.notify(text, title="Not signed", severity="error", markup=False)

    def action_sign(self) -> None:
        if self.busy or self.done or self.actor is None:
            return
        form = self.query_one(OversightForm)
        items = form.still_to_do()
        if items:
            self._status("The oversight note is not complete:\n" + "\n".join(items), error=True)
            return
        from recorder.services.oversight import add_case_note

        note, svc, child_id, actor = form.note(), self.app.services, self.child_id, self.actor
        self.busy = True

        def answered(result) -> None:
            self.busy = False
            if result is None:
                self._status("Not signed: you cancelled.")
                return
            self.done = True
            self.notify(
                f"Oversight note signed on {self.child_name}'s case.", title="Signed", markup=False
            )
            self.dismiss()

        self.app.push_screen(
            SigningDialog(
                OVERSIGHT_MEANING,
                f"Sign this oversight note on {self.child_name}'s case. Type your password again.",
                lambda password: add_case_note(svc, actor.id, child_id, note, password),
            ),
            answered,
        )
