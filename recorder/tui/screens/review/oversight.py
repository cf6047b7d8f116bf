"""Management oversight of a visit: the whole record beside the note, then sign off or
return it (DOMAIN.md, "Management oversight")."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widgets import Static

from recorder.domain.signing import OVERSIGHT_MEANING
from recorder.tui.format import line
from recorder.tui.screens.review.base import ReviewScreen
from recorder.tui.widgets.oversight_form import OversightForm, incomplete_words, show_todo
from recorder.tui.widgets.text_input import Input, TextArea


class OversightScreen(ReviewScreen):
    """A record awaiting management oversight: the note, then sign off or return."""

    KIND = "oversight"
    HELP_TITLE = "Management oversight"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "sign",
            "Sign off",
            id="oversight.sign",
            tooltip="Sign off management oversight: your password is asked again.",
        ),
        *ReviewScreen.COMMON_BINDINGS,
        Binding(
            "ctrl+n",
            "add_action",
            "Add an action",
            id="oversight.add_action",
            tooltip="Add another action row (what, who, by when).",
        ),
    ]
    _form: OversightForm | None = None  # made once the record is read (loaded)
    DEFAULT_CSS = """
    OversightScreen #todo { height: auto; max-height: 11; padding: 0 1;
                            border: round $warning; }
    OversightScreen #todo.-done { border: round $success; }
    OversightScreen #form-slot { height: 1fr; }
    """

    def compose_panel(self) -> ComposeResult:
        yield Static(line("Reading the record..."), id="todo")
        yield Vertical(id="form-slot")
        yield Static("", id="draft-status")

    def loaded(self, view, facts, content) -> None:
        form = OversightForm(facts.flags, facts.analysis_min_words, content, id="note-form")
        self._form = form  # kept: a query for it walks the whole screen, on every key
        self.query_one("#form-slot", Vertical).mount(form)  # its boxes come later: Ready

    @on(OversightForm.Ready)
    def _form_ready(self, event: OversightForm.Ready) -> None:
        event.stop()
        self._todo()
        if self.review is not None and self.review.may_sign_off:
            # focus without scrolling, so the "Decision" heading above the box stays in view
            event.form.query_one("#note-decision", TextArea).focus(scroll_visible=False)

    def may_sign(self):
        return self.review.may_sign_off

    def ready_words(self) -> str:
        n = len(self.review.flags) if self.review else 0
        flags = (
            f" and answer each of the {n} flags"
            if n > 1
            else (" and answer the flag" if n == 1 else "")
        )
        return f"Read the record, write your note under every heading{flags}, then sign off."

    @property
    def form(self) -> OversightForm | None:
        """The note, once every box of it is there (None before it is read, while it is
        being made and while the screen closes)."""
        form = self._form
        return form if form is not None and form.whole else None

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        if self.form is None:
            return
        self._todo()
        self.form_changed()

    def _todo(self) -> None:
        if self.form is None:
            return
        items = self.form.still_to_do()
        show_todo(self.query_one("#todo", Static), items)
        if self.error_cause == "incomplete":  # the refusal follows the boxes as they fill
            self.update_error(incomplete_words(items) if items else None)

    def draft_content(self) -> dict:
        form = self.form
        if form is None:  # the saver keeps what it read last (AutoSave._read_fields)
            raise NoMatches("The note's boxes are not there.")
        return form.content()

    def fill_draft(self, content: dict) -> None:
        if self.form is not None:
            self.form.fill(content)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_action":
            return True if self.form is not None else None
        return super().check_action(action, parameters)

    async def action_add_action(self) -> None:
        if self.form is not None:
            await self.form.add_action()

    def action_sign(self) -> None:
        r = self.review
        if r is None or self.form is None or self.busy or self.done:
            return
        if not r.may_sign_off:
            self.show_error(r.may_sign_off.reason)
            return
        items = self.form.still_to_do()
        if items:
            self.show_error(incomplete_words(items), title="Not signed off", cause="incomplete")
            return
        from recorder.services.visits import sign_off

        note, svc, visit_id, actor = self.form.note(), self.app.services, self.visit_id, self.actor
        if actor is None:
            return
        self.sign(
            OVERSIGHT_MEANING,
            f"Sign off the record of the visit to {r.child_name}: it is saved to the "
            "child's record and never changes. Type your password again.",
            lambda password: sign_off(svc, actor.id, visit_id, note, password),
            f"Signed off. The visit is saved to {r.child_name}'s record.",
        )
