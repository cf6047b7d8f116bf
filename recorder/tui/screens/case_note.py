"""A manager's oversight note on a child's case, between supervisions (DOMAIN.md,
"Management oversight"): the same headings as a visit's oversight, signed with the password
asked again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from recorder.domain.drafts import DraftKind
from recorder.domain.signing import OVERSIGHT_MEANING
from recorder.tui.autosave import FormDraft
from recorder.tui.dialogs.signing import SigningDialog
from recorder.tui.format import line
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.oversight_form import OversightForm, incomplete_words, show_todo
from recorder.tui.widgets.text_input import Input, TextArea

if TYPE_CHECKING:
    from recorder.domain.flags import Flag
    from recorder.domain.roles import Actor


class CaseNoteScreen(FormDraft, Screen[None]):
    """A manager's oversight note on a child's case, between supervisions. What they type
    is their private draft: saved as they type, there again when they come back, removed
    when they sign."""

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
            tooltip="Go back to the child; the note is kept as your draft.",
        ),
        Binding(
            "ctrl+n",
            "add_action",
            "Add an action",
            id="case_note.add_action",
            tooltip="Add another action row (what, who, by when).",
        ),
        Binding(
            "f8",
            "discard_draft",
            "Discard draft",
            id="case_note.discard_draft",
            tooltip="Throw away this note (you are asked to confirm).",
        ),
    ]
    DEFAULT_CSS = """
    CaseNoteScreen #note-head { height: auto; padding: 0 1; background: $panel; }
    CaseNoteScreen #todo { height: auto; max-height: 11; padding: 0 1; border: round $warning; }
    CaseNoteScreen #todo.-done { border: round $success; }
    CaseNoteScreen #note-form { padding: 0 1; }
    CaseNoteScreen #note-status { height: auto; max-height: 6; padding: 0 1; }
    CaseNoteScreen #note-status.-error { color: $text-error; background: $error-muted; }
    CaseNoteScreen #draft-status { height: auto; padding: 0 1; color: $text-muted; }
    CaseNoteScreen #draft-status.-error { color: $text-error; }
    """

    def __init__(
        self,
        child_id: int,
        child_name: str,
        child_reference: str = "",
        alerts: Sequence[Flag] = (),
    ) -> None:
        super().__init__()
        #: the open alerts on the child this manager must answer, as still-to-do items
        self.alerts = tuple(alerts)
        self.form: OversightForm  # made in compose
        self.child_id = child_id
        self.child_name = child_name
        self.child_reference = child_reference
        self.busy = False
        self.done = False
        #: the refusal on the status line lasts while the note is incomplete
        self.incomplete_shown = False
        self.init_form_draft()

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
        self.form = OversightForm(  # kept: a query for it walks the screen, on every key
            self.alerts,
            min_words,
            id="note-form",
            flags_title="Alerts on this child: answer each one",
        )
        yield self.form
        yield Static("", id="draft-status")
        yield Static("", id="note-status")
        yield Footer()

    def on_mount(self) -> None:
        self._todo()
        self.query_one("#note-decision", TextArea).focus()
        self._set_status("Reading your draft...")
        self.start_draft(DraftKind.CASE_NOTE, self.child_id)

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        if not self.form.whole:  # the screen is closing: its boxes are going
            return
        self._todo()
        self.form_changed()

    def _todo(self) -> None:
        items = self.form.still_to_do()
        show_todo(self.query_one("#todo", Static), items, "Nothing left to do: sign with Ctrl+S.")
        if self.incomplete_shown:  # the refusal follows the boxes as they fill
            if items:
                self.query_one("#note-status", Static).update(Content(incomplete_words(items)))
            else:
                self._status("")

    # -- the draft ----------------------------------------------------------------------
    def draft_content(self) -> dict:
        return self.form.content()

    def fill_draft(self, content: dict) -> None:
        self.form.fill(content)

    def draft_ready(self, view) -> None:
        if view is None:
            self._set_status("Changes are saved as you type, as your own draft.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "discard_draft":
            return True if self.editable and not self.busy and not self.done else None
        return True

    def action_discard_draft(self) -> None:
        self.discard_draft()

    def action_back(self) -> None:
        if not self.busy and self.may_leave():
            self.dismiss()

    async def action_add_action(self) -> None:
        await self.form.add_action()

    def _status(self, text: str, error: bool = False) -> None:
        self.incomplete_shown = False
        status = self.query_one("#note-status", Static)
        status.set_class(error, "-error")
        status.update(Content(text))
        if error:
            self.notify(text, title="Not signed", severity="error", markup=False)

    def action_sign(self) -> None:
        if self.busy or self.done or self.actor is None:
            return
        items = self.form.still_to_do()
        if items:
            self._status(incomplete_words(items), error=True)
            self.incomplete_shown = True
            return
        from recorder.services.oversight import add_case_note

        note, svc, child_id, actor = self.form.note(), self.app.services, self.child_id, self.actor
        self.busy = True
        self.refresh_bindings()
        # what is typed is saved first, and not while the dialog is open (signing removes it)
        was = self.editable
        if was:
            self.save_all_now()
            self.editable = False

        def answered(result) -> None:
            self.busy = False
            self.refresh_bindings()
            if result is None:
                self.editable = was
                self._status("Not signed: you cancelled.")
                return
            self.done = True
            self.draft_signed()
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
