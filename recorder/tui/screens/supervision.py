"""Supervision (DOMAIN.md, "Supervision"): a team manager records a worker's supervision and
signs it with the password asked again; a signed record is read here too.

:class:`SupervisionScreen` is the form: the date, who attended, the personal items
(wellbeing, workload, learning) and a case discussion for each of the worker's children
(decision, two actions with who and by when, how the child's voice was considered; a child
left blank was not discussed). Esc keeps what was typed for this worker until the app
closes, and it is offered again when the form is reopened. :class:`SupervisionRecordScreen`
shows a signed record, which never changes.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from recorder.domain.signing import SUPERVISION_MEANING
from recorder.domain.supervision import (
    CASE_ITEMS,
    PERSONAL_ITEMS,
    CaseDiscussionInput,
    SupervisionInput,
    case_is_blank,
    validate_supervision,
)
from recorder.tui.calls import Outcome, run_call
from recorder.tui.dialogs.signing import SigningDialog, steady_cursors
from recorder.tui.format import day, line, long_text, signature_words
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.oversight_form import show_todo
from recorder.tui.widgets.text_input import Input, TextArea

if TYPE_CHECKING:
    from recorder.services.supervision import SupervisionForm, SupervisionView

ACTIONS_PER_CHILD = 2
HINTS = {
    "wellbeing": "How the worker is: stress, time off, support they need.",
    "workload": "Their caseload and what is on it; anything to take off them.",
    "learning": "Training, reflection, the ASYE or placement portfolio.",
}
_FIELDS = ("decision", "child_voice")


def kept(app) -> dict[tuple[int, int], dict[str, str]]:
    """Supervision forms left with Esc, by (manager, worker): kept while the app runs."""
    store = getattr(app, "supervision_kept", None)
    if store is None:
        store = {}
        app.supervision_kept = store
    return store


class SupervisionScreen(Screen[None]):
    """A team manager's supervision record of one worker, signed with the password."""

    HELP_TITLE = "Supervision"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "sign",
            "Sign",
            id="supervision.sign",
            tooltip="Sign the supervision record: your password is asked again.",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="supervision.back",
            tooltip="Go back; what you typed is kept for when you open this form again.",
        ),
    ]
    DEFAULT_CSS = """
    SupervisionScreen #sup-head { height: auto; padding: 0 1; background: $panel; }
    SupervisionScreen #sup-todo { height: auto; max-height: 9; padding: 0 1;
                                  border: round $warning; }
    SupervisionScreen #sup-todo.-done { border: round $success; }
    SupervisionScreen #sup-form { padding: 0 1; height: 1fr; }
    SupervisionScreen #sup-form TextArea { height: 4; }
    SupervisionScreen .form-label { margin-top: 1; text-style: bold; }
    SupervisionScreen .form-hint { color: $text-muted; }
    SupervisionScreen .child-title { margin-top: 1; text-style: bold; background: $boost; }
    SupervisionScreen .action-row { height: auto; }
    SupervisionScreen .action-row Input { width: 1fr; }
    SupervisionScreen .action-row .action-what { width: 2fr; }
    SupervisionScreen #sup-status { height: auto; max-height: 6; padding: 0 1; }
    SupervisionScreen #sup-status.-error { color: $text-error; background: $error-muted; }
    """

    def __init__(self, worker_id: int, worker_name: str = "") -> None:
        super().__init__()
        self.worker_id = worker_id
        self.worker_name = worker_name
        self.form: SupervisionForm | None = None
        #: the form is built and any kept text is back
        self.loaded = False
        self.busy = False
        self.done = False

    @property
    def actor(self):
        return signed_in(self)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(line(f"Supervision of {self.worker_name}..."), id="sup-head")
        yield Static("", id="sup-todo")
        yield VerticalScroll(id="sup-form")
        yield Static(line("Reading the worker's supervision..."), id="sup-status")
        yield Footer()

    def on_mount(self) -> None:
        from recorder.services.supervision import supervision_form

        if self.actor is None:
            return
        svc, actor_id, worker_id = self.app.services, self.actor.id, self.worker_id
        run_call(
            self,
            "Reading the worker's supervision",
            lambda: supervision_form(svc, actor_id, worker_id),
            lambda f: self.call_later(self._loaded, f),
            self._not_loaded,
            group="supervision-form",
        )

    def _not_loaded(self, outcome: Outcome) -> None:
        self._status(outcome.message, error=True)

    async def _loaded(self, f: "SupervisionForm") -> None:
        self.form = f
        asye = f" · ASYE since {day(f.asye_start)}" if f.asye and f.asye_start else ""
        last = f"last on {day(f.last_held_on)}" if f.last_held_on else "none recorded yet"
        words = f.due.words.replace(" (none recorded yet)", "")
        history = "; ".join(
            f"{day(h.held_on)} ({h.children} {'child' if h.children == 1 else 'children'})"
            for h in f.history[:4]
        )
        self.query_one("#sup-head", Static).update(
            Content("\n").join(
                [
                    Content.assemble(
                        "Supervision of ",
                        line(f.worker_name, "bold"),
                        line(f", {f.worker_role}{asye}"),
                    ),
                    line(
                        f"Frequency: {f.due.band}. {words[0].upper()}{words[1:]} "
                        f"({day(f.due.due)}); {last}."
                    ),
                    line(f"Earlier: {history}" if history else "No earlier supervision recorded."),
                ]
            )
        )
        form = self.query_one("#sup-form", VerticalScroll)
        old = kept(self.app).get((self.actor.id, self.worker_id), {}) if self.actor else {}

        def inp(value: str = "", *, id: str, **kw) -> Input:
            return Input(old.get(id, value), id=id, **kw)  # the text kept on Esc, if any

        def area(*, id: str, **kw) -> TextArea:
            return TextArea(old.get(id, ""), id=id, **kw)

        widgets: list[Any] = [
            Static(line("Date of the supervision"), classes="form-label"),
            inp(f.today.isoformat(), id="sup-held_on", placeholder="YYYY-MM-DD", compact=True),
            Static(line("Who attended"), classes="form-label"),
            inp(f"{f.manager_name}, {f.worker_name}", id="sup-attended", compact=True),
        ]
        for key, label in PERSONAL_ITEMS:
            widgets += [
                Static(line(label), classes="form-label"),
                Static(line(HINTS[key]), classes="form-hint"),
                area(id=f"sup-{key}", soft_wrap=True),
            ]
        widgets.append(Static(line("Case discussions"), classes="form-label"))
        if f.children:
            widgets.append(
                Static(
                    line(
                        "Fill in each child you discussed: the decision, actions (what, who, by "
                        "when) and how the child's voice was considered. Leave the others blank."
                    ),
                    classes="form-hint",
                )
            )
        else:
            widgets.append(
                Static(line("This worker has no children to discuss."), classes="form-hint")
            )
        labels = dict(CASE_ITEMS)
        for c in f.children:
            widgets += [
                Static(line(f"{c.name} ({c.reference})"), classes="child-title"),
                Static(line(labels["decision"]), classes="form-label"),
                area(id=f"case-{c.id}-decision", soft_wrap=True),
                Static(line("Actions: what, who, by when"), classes="form-label"),
            ]
            for i in range(ACTIONS_PER_CHILD):
                widgets.append(
                    Horizontal(
                        inp(
                            id=f"case-{c.id}-a{i}-what",
                            placeholder="What",
                            classes="action-what",
                            compact=True,
                        ),
                        inp(id=f"case-{c.id}-a{i}-who", placeholder="Who", compact=True),
                        inp(id=f"case-{c.id}-a{i}-by_when", placeholder="By when", compact=True),
                        classes="action-row",
                    )
                )
            widgets += [
                Static(line(labels["child_voice"]), classes="form-label"),
                area(id=f"case-{c.id}-child_voice", soft_wrap=True),
            ]
        await form.mount_all(widgets)
        steady_cursors(self)
        restored = bool(old)
        self.loaded = True
        self._todo()
        self.query_one("#sup-wellbeing", TextArea).focus()
        self._status(
            "Your text from before is back: nothing was signed."
            if restored
            else "Ctrl+S signs (your password is asked again). Esc keeps your text for later."
        )

    # -- the text, kept on Esc -----------------------------------------------------------
    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for w in self.query("#sup-form Input, #sup-form TextArea"):
            if w.id:
                out[w.id] = w.value if isinstance(w, Input) else w.text  # type: ignore[union-attr]
        return out

    def _keep(self) -> None:
        if self.actor is not None and self.form is not None and not self.done:
            kept(self.app)[(self.actor.id, self.worker_id)] = self.values()

    # -- what is still to do ---------------------------------------------------------------
    def supervision(self) -> SupervisionInput | None:
        """What the form says, or None while the date is not a date."""
        f = self.form
        if f is None:
            return None
        v = self.values()
        try:
            held_on = date.fromisoformat(v.get("sup-held_on", "").strip())
        except ValueError:
            return None
        cases = []
        for c in f.children:
            actions = []
            for i in range(ACTIONS_PER_CHILD):
                a = {k: v.get(f"case-{c.id}-a{i}-{k}", "") for k in ("what", "who", "by_when")}
                if any(x.strip() for x in a.values()):
                    actions.append(a)
            case = CaseDiscussionInput(
                c.id,
                v.get(f"case-{c.id}-decision", ""),
                tuple(actions),
                v.get(f"case-{c.id}-child_voice", ""),
            )
            if not case_is_blank(case):
                cases.append(case)
        return SupervisionInput(
            held_on,
            v.get("sup-attended", ""),
            v.get("sup-wellbeing", ""),
            v.get("sup-workload", ""),
            v.get("sup-learning", ""),
            tuple(cases),
        )

    def still_to_do(self) -> list[str]:
        f = self.form
        if f is None:
            return []
        sup = self.supervision()
        if sup is None:
            return ["The date is written as YYYY-MM-DD, for example 2026-11-26."]
        return validate_supervision(sup, f.today, {c.id: c.name for c in f.children})

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _todo(self) -> None:
        if self.form is None:
            return
        items = self.still_to_do()
        sup = self.supervision()
        n = len(sup.cases) if sup else 0
        done = f"Nothing left to do: sign with Ctrl+S ({n} {'child' if n == 1 else 'children'} discussed)."
        show_todo(self.query_one("#sup-todo", Static), items, done)

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#sup-status", Static)
        status.set_class(error, "-error")
        status.update(long_text(text))

    # -- leaving and signing -------------------------------------------------------------
    def action_back(self) -> None:
        if self.busy:
            return
        self._keep()
        self.dismiss()

    def action_sign(self) -> None:
        if self.busy or self.done or self.actor is None or self.form is None:
            return
        items = self.still_to_do()
        sup = self.supervision()
        if items or sup is None:
            self._status("The supervision record is not complete:\n" + "\n".join(items), error=True)
            return
        from recorder.services.supervision import record_supervision

        svc, actor, worker_id, name = (
            self.app.services,
            self.actor,
            self.worker_id,
            self.form.worker_name,
        )
        self._keep()  # kept until it is signed, whatever happens next
        self.busy = True

        def answered(result) -> None:
            self.busy = False
            if result is None:
                self._status("Not signed: you cancelled. Your text is still here.")
                return
            self.done = True
            kept(self.app).pop((actor.id, worker_id), None)
            self.notify(f"Supervision of {name} signed.", title="Signed", markup=False)
            self.dismiss()

        n = len(sup.cases)
        self.app.push_screen(
            SigningDialog(
                SUPERVISION_MEANING,
                f"Sign this supervision record of {name} ({day(sup.held_on)}, {n} "
                f"{'child' if n == 1 else 'children'} discussed). Type your password again. "
                "A signed record never changes.",
                lambda password: record_supervision(svc, actor.id, worker_id, sup, password),
            ),
            answered,
        )


class SupervisionRecordScreen(Screen[None]):
    """A signed supervision record, read-only (it never changes)."""

    HELP_TITLE = "Supervision record"
    BINDINGS = [
        Binding("escape", "back", "Back", id="supervision_record.back", tooltip="Go back."),
    ]
    DEFAULT_CSS = """
    SupervisionRecordScreen #supr-body { padding: 0 2; height: 1fr; }
    SupervisionRecordScreen .heading { text-style: bold; margin-top: 1; }
    SupervisionRecordScreen #supr-status { height: auto; padding: 0 1; background: $panel; }
    """

    def __init__(self, supervision_id: int, discussion: Any = None, child_name: str = "") -> None:
        super().__init__()
        self.supervision_id = supervision_id
        self.record: SupervisionView | None = None
        #: one child's case discussion only (from the child's record), already read
        self.discussion = discussion
        self.child_name = child_name

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VerticalScroll(id="supr-body", can_focus=True)
        yield Static(line("Reading the supervision record..."), id="supr-status")
        yield Footer()

    def on_mount(self) -> None:
        from recorder.services.supervision import supervision_view

        actor = signed_in(self)
        if actor is None:
            return
        if self.discussion is not None:
            self.call_later(self._show_discussion)
            return
        svc, sid = self.app.services, self.supervision_id
        run_call(
            self,
            "Reading the supervision record",
            lambda: supervision_view(svc, actor.id, sid),
            lambda r: self.call_later(self._show, r),
            lambda o: self.query_one("#supr-status", Static).update(line(o.message)),
            group="supervision-record",
        )

    async def _show(self, r: "SupervisionView") -> None:
        self.record = r
        self.sub_title = f"Supervision of {r.worker_name}"
        parts: list[Static] = [
            Static(
                Content.assemble(
                    line(f"Supervision of {r.worker_name}", "bold"),
                    " ",
                    line(f"on {day(r.held_on)}, recorded by {r.manager_name}"),
                ),
                classes="heading",
            ),
            Static(Content.assemble(line("Who attended", "bold"), ": ", line(r.attended))),
        ]
        for key, label in PERSONAL_ITEMS:
            parts += [
                Static(line(label), classes="heading"),
                Static(long_text(getattr(r, key))),
            ]
        parts.append(Static(line(f"Case discussions ({len(r.cases)})"), classes="heading"))
        if not r.cases:
            parts.append(Static(line("No children were discussed.")))
        for c in r.cases:
            parts += case_parts(
                c.child_name, c.child_reference, c.decision, c.actions, c.child_voice
            )
        parts.append(Static(line("Signature"), classes="heading"))
        parts.append(Static(line(signature_words(r.signature) if r.signature else "Not signed.")))
        body = self.query_one("#supr-body", VerticalScroll)
        await body.mount_all(parts)
        body.focus()
        self.query_one("#supr-status", Static).update(
            line("A signed supervision record never changes.")
        )

    async def _show_discussion(self) -> None:
        d = self.discussion
        self.sub_title = f"Supervision case discussion: {self.child_name}"
        parts = [
            Static(
                Content.assemble(
                    line("Supervision case discussion", "bold"),
                    " ",
                    line(f"on {day(d.held_on)}: {d.worker_name}, supervised by {d.manager_name}"),
                ),
                classes="heading",
            ),
            *case_parts(self.child_name, "", d.decision, d.actions, d.child_voice),
        ]
        body = self.query_one("#supr-body", VerticalScroll)
        await body.mount_all(parts)
        body.focus()
        self.query_one("#supr-status", Static).update(
            line(
                "Signed by the manager; it never changes. The worker's personal items are "
                "not part of the child's record."
            )
        )

    def action_back(self) -> None:
        self.dismiss()


def case_parts(name: str, reference: str, decision: str, actions, child_voice: str) -> list[Static]:
    labels = dict(CASE_ITEMS)
    acts = "; ".join(
        f"{a.get('what', '')} - {a.get('who', '')} by {a.get('by_when', '')}" for a in actions
    )
    return [
        Static(
            line(f"{name} ({reference})" if reference else name, "bold underline"),
            classes="heading",
        ),
        Static(Content.assemble(line(labels["decision"], "bold"), ": ", long_text(decision))),
        Static(Content.assemble(line(labels["actions"], "bold"), ": ", line(acts or "none"))),
        Static(Content.assemble(line(labels["child_voice"], "bold"), ": ", long_text(child_voice))),
    ]
