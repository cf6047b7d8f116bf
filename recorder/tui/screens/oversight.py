"""Management oversight: the note on a visit (sign off or return) and the case-level note on
a child between supervisions (DOMAIN.md, "Management oversight").

The note has the headings of ``recorder.domain.oversight.HEADINGS``; a visit's note has one
answer box per flag on the record. "Still to do" is worked out live by the same domain
function the service checks with (``validate_oversight``); the service checks again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static, TextArea

from recorder.domain.flags import Flag
from recorder.domain.oversight import HEADINGS, OversightInput, validate_oversight
from recorder.tui.screens.review import ReviewScreen, line_text, signed_in
from recorder.tui.screens.signing import steady_cursors
from recorder.tui.text import line

if TYPE_CHECKING:
    from recorder.domain.roles import Actor

HINTS = {
    "decision": "What you decided, including a decision not to act.",
    "analysis": "The analysis and reflection behind it.",
    "risk": "The risk to the child now.",
    "timeframe": "When this is reviewed next.",
    "child_voice": "How the child's wishes and feelings informed your decision.",
}
ACTION_ROWS = 3


class OversightForm(VerticalScroll):
    """The oversight note's headings, actions (what, who, by when) and one box per flag."""

    DEFAULT_CSS = """
    OversightForm { height: 1fr; }
    OversightForm TextArea { height: 5; }
    OversightForm .form-label { margin-top: 1; text-style: bold; }
    OversightForm .form-hint { color: $text-muted; }
    OversightForm .action-row { height: auto; }
    OversightForm .action-row Input { width: 1fr; }
    OversightForm .action-row .action-what { width: 2fr; }
    OversightForm .flag-detail { color: $text-warning; }
    """

    def __init__(self, flags: Sequence[Flag] = (), min_words: int = 0, **kw) -> None:
        super().__init__(**kw)
        self.flags = list(flags)
        self.min_words = min_words
        self.actions = ACTION_ROWS

    def compose(self) -> ComposeResult:
        for key, label in HEADINGS:
            if key == "actions":
                yield Static(line("Actions"), classes="form-label")
                yield Static(line("Each action: what, who, and by when (it may be to review). "
                                  "Ctrl+N adds a row."), classes="form-hint")
                for i in range(self.actions):
                    yield self._action_row(i)
                continue
            yield Static(line(label), classes="form-label", id=f"label-{key}")
            hint = HINTS.get(key, "")
            if key == "analysis" and self.min_words:
                hint += f" At least {self.min_words} words."
            yield Static(line(hint), classes="form-hint")
            yield TextArea(id=f"note-{key}", soft_wrap=True)
        if self.flags:
            yield Static(line("Flags on this record: answer each one"), classes="form-label")
        for i, f in enumerate(self.flags):
            yield Static(line(f.label), classes="form-label")
            if f.detail:
                yield Static(line_text(f.detail), classes="flag-detail")
            yield TextArea(id=f"flag-{i}", soft_wrap=True)

    def on_mount(self) -> None:
        steady_cursors(self)

    def _action_row(self, i: int) -> Horizontal:
        return Horizontal(
            Input(id=f"action-{i}-what", placeholder="What", classes="action-what", compact=True),
            Input(id=f"action-{i}-who", placeholder="Who", compact=True),
            Input(id=f"action-{i}-by_when", placeholder="By when", compact=True),
            classes="action-row", id=f"action-{i}")

    async def add_action(self) -> None:
        row = self._action_row(self.actions)
        last = self.query_one(f"#action-{self.actions - 1}")
        self.actions += 1
        await self.mount(row, after=last)  # its boxes exist only once it is mounted
        steady_cursors(row)
        row.query_one(Input).focus()

    def note(self) -> OversightInput:
        def text(key: str) -> str:
            return self.query_one(f"#note-{key}", TextArea).text

        actions = []
        for i in range(self.actions):
            a = {k: self.query_one(f"#action-{i}-{k}", Input).value
                 for k in ("what", "who", "by_when")}
            if any(v.strip() for v in a.values()):
                actions.append(a)
        return OversightInput(
            decision=text("decision"), analysis=text("analysis"), risk=text("risk"),
            actions=tuple(actions), timeframe=text("timeframe"), child_voice=text("child_voice"),
            flag_responses={f.code: self.query_one(f"#flag-{i}", TextArea).text
                            for i, f in enumerate(self.flags)})

    def still_to_do(self) -> list[str]:
        labels = {f"flag:{f.code}": f.label for f in self.flags}
        problems = validate_oversight(self.note(), [f.code for f in self.flags], self.min_words)
        # a heading's message names it already; a flag's needs its label
        return [f"{labels[p.heading]}: {p.message}" if p.heading in labels else p.message
                for p in problems]


def todo_content(items: list[str], done: str = "Nothing left to do: sign off with Ctrl+S."
                 ) -> Content:
    if not items:
        return line(done, "bold")
    shown = items[:5]
    more = [line(f"... and {len(items) - len(shown)} more")] if len(items) > len(shown) else []
    return Content("\n").join([line(f"Still to do ({len(items)}):", "bold")]
                              + [line(f"- {t}") for t in shown] + more)


class OversightScreen(ReviewScreen):
    """A record awaiting management oversight: the note, then sign off or return."""

    KIND = "oversight"
    HELP_TITLE = "Management oversight"
    BINDINGS = [
        Binding("ctrl+s", "sign", "Sign off", id="oversight.sign",
                tooltip="Sign off management oversight: your password is asked again."),
        *ReviewScreen.COMMON_BINDINGS,
        Binding("ctrl+n", "add_action", "Add an action", id="oversight.add_action",
                tooltip="Add another action row (what, who, by when)."),
    ]
    DEFAULT_CSS = """
    OversightScreen #todo { height: auto; max-height: 11; padding: 0 1;
                            border: round $warning; }
    OversightScreen #todo.-done { border: round $success; }
    OversightScreen #form-slot { height: 1fr; }
    """

    def compose_panel(self) -> ComposeResult:
        yield Static(line("Reading the record..."), id="todo")
        yield Vertical(id="form-slot")

    def loaded(self, view, facts) -> None:
        form = OversightForm(facts.flags, facts.analysis_min_words, id="note-form")
        self.query_one("#form-slot", Vertical).mount(form)
        self.call_after_refresh(self._todo)
        if facts.may_sign_off:
            # focus without scrolling, so the "Decision" heading above the box stays in view
            self.call_after_refresh(
                lambda: self.query_one("#note-decision", TextArea).focus(scroll_visible=False))

    def may_sign(self):
        return self.review.may_sign_off

    def ready_words(self) -> str:
        n = len(self.review.flags) if self.review else 0
        flags = f" and answer each of the {n} flags" if n > 1 else (
            " and answer the flag" if n == 1 else "")
        return f"Read the record, write your note under every heading{flags}, then sign off."

    @property
    def form(self) -> OversightForm | None:
        found = self.query("#note-form")
        return found.first(OversightForm) if found else None

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _todo(self) -> None:
        if self.form is None:
            return
        items = self.form.still_to_do()
        todo = self.query_one("#todo", Static)
        todo.update(todo_content(items))
        todo.set_class(not items, "-done")

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
            self.show_error("The oversight note is not complete:\n" + "\n".join(items),
                            title="Not signed off")
            return
        note = self.form.note()

        def sign(password: str) -> None:
            from recorder.services.visits import sign_off

            self.run_service(
                "sign",
                lambda svc, actor_id: sign_off(svc, actor_id, self.visit_id, note, password),
                f"Signed off. The visit is saved to {r.child_name}'s record.")

        self.ask_password("Management oversight",
                          f"Sign off the record of the visit to {r.child_name}: it is saved to "
                          "the child's record and never changes. Type your password again.", sign)


class CaseNoteScreen(Screen[None]):
    """A manager's oversight note on a child's case, between supervisions."""

    HELP_TITLE = "Case oversight note"
    BINDINGS = [
        Binding("ctrl+s", "sign", "Sign", id="case_note.sign",
                tooltip="Sign the note: your password is asked again."),
        Binding("escape", "back", "Back", id="case_note.back",
                tooltip="Go back to the child; an unsigned note is not kept."),
        Binding("ctrl+n", "add_action", "Add an action", id="case_note.add_action",
                tooltip="Add another action row (what, who, by when)."),
    ]
    DEFAULT_CSS = """
    CaseNoteScreen #note-head { height: auto; padding: 0 1; background: $panel; }
    CaseNoteScreen #todo { height: auto; max-height: 11; padding: 0 1; border: round $warning; }
    CaseNoteScreen #todo.-done { border: round $success; }
    CaseNoteScreen #note-form { padding: 0 1; }
    CaseNoteScreen #note-status { height: auto; max-height: 6; padding: 0 1; }
    CaseNoteScreen #note-status.-error { color: $text-error; background: $error-muted; }
    """

    def __init__(self, child_id: int, child_name: str, child_reference: str = "",
                 actor: "Actor | None" = None) -> None:
        super().__init__()
        self.child_id = child_id
        self.child_name = child_name
        self.child_reference = child_reference
        self._actor = actor
        self.busy = False
        self.done = False

    @property
    def actor(self) -> "Actor | None":
        if self._actor is None:
            self._actor = signed_in(self)
        return self._actor

    def compose(self) -> ComposeResult:
        _line = line
        yield Header(show_clock=False)
        ref = f" ({self.child_reference})" if self.child_reference else ""
        yield Static(Content("\n").join([
            Content.assemble("Management oversight note on the case of ",
                             _line(f"{self.child_name}{ref}", "bold")),
            _line("Between supervisions: the same headings as a visit's oversight, signed with "
                  "your password.")]), id="note-head")
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
        note = form.note()

        def answered(password: str | None) -> None:
            if not password:
                self._status("Not signed: you cancelled.")
                return
            self.busy = True
            self._status("Checking your password and signing...")
            self._sign(self.actor.id, note, password)

        from recorder.tui.screens.signing import PasswordDialog

        self.app.push_screen(PasswordDialog(
            "Management oversight",
            f"Sign this oversight note on {self.child_name}'s case. Type your password again."),
            answered)

    @work(thread=True, exclusive=True, group="case-note", exit_on_error=False)
    def _sign(self, actor_id: int, note: OversightInput, password: str) -> None:
        from recorder.services.errors import ServiceError
        from recorder.services.oversight import add_case_note

        try:
            add_case_note(self.app.services, actor_id, self.child_id, note, password)
        except ServiceError as e:
            self.app.call_from_thread(self._refused, e.message)
        except Exception as e:  # noqa: BLE001 - words, never a traceback
            self.app.call_from_thread(
                self._refused, f"The note was not signed ({type(e).__name__}). Try again.")
        else:
            self.app.call_from_thread(self._signed)

    def _refused(self, message: str) -> None:
        self.busy = False
        self._status(message, error=True)

    def _signed(self) -> None:
        self.busy = False
        self.done = True
        self.notify(f"Oversight note signed on {self.child_name}'s case.", title="Signed",
                    markup=False)
        self.dismiss()
