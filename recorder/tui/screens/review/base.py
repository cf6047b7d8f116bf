"""What the countersign and oversight screens share: reading the record and its review facts
in a thread worker, the heading with the author's badge, the whole record read-only, asking
for the password again, returning for changes, and saying every refusal in words.

The rules are the services' (``recorder.services.visits`` and ``.oversight``); a refusal comes
back as a ServiceError whose message is shown as text on the screen and in a notification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from recorder.tui.autosave import FormDraft
from recorder.tui.calls import Outcome, run_call
from recorder.tui.dialogs.signing import ReturnDialog, SigningDialog
from recorder.tui.format import badge_content, day, line, long_text
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.record import record_parts

if TYPE_CHECKING:
    from recorder.domain.roles import Actor
    from recorder.services.drafts import DraftView
    from recorder.services.oversight import Review
    from recorder.services.visits import VisitView


class ReviewScreen(FormDraft, Screen[None]):
    """Base for the countersign and oversight screens (one visit under review). What the
    reviewer types is their private draft (``FormDraft``): saved as they type, there again
    when they reopen the record, removed when they sign or return it."""

    #: "countersign" or "oversight"
    KIND = ""
    DEFAULT_CSS = """
    ReviewScreen #review-head { height: auto; padding: 0 1; background: $panel; }
    ReviewScreen #statutory-note { height: auto; padding: 0 1; text-style: bold;
                                   color: $text-warning; background: $warning-muted; }
    ReviewScreen #statutory-note.-none { display: none; }
    ReviewScreen #review-body { height: 1fr; }
    ReviewScreen #record { width: 1fr; height: 1fr; padding: 0 1; }
    ReviewScreen #record .heading { text-style: bold; margin-top: 1; }
    ReviewScreen #panel { width: 58; height: 1fr; padding: 0 1; border-left: vkey $primary; }
    /* under 100 columns the record and the note share the width (the record was 18 wide) */
    ReviewScreen.-narrow #panel { width: 1fr; }
    ReviewScreen .panel-label { margin-top: 1; text-style: bold; }
    ReviewScreen .hint { color: $text-muted; }
    ReviewScreen #review-status { height: auto; max-height: 6; padding: 0 1; }
    ReviewScreen #review-status.-error { color: $text-error; background: $error-muted; }
    ReviewScreen #draft-status { height: auto; color: $text-muted; }
    ReviewScreen #draft-status.-error { color: $text-error; }
    """
    COMMON_BINDINGS = [
        Binding(
            "escape",
            "back",
            "Back",
            id="review.back",
            tooltip="Go back to the queue; what you typed is kept as your draft.",
        ),
        Binding(
            "ctrl+t",
            "return_record",
            "Return for changes",
            id="review.return",
            tooltip="Send the record back to the worker with your comments.",
        ),
        Binding(
            "f8",
            "discard_draft",
            "Discard draft",
            id="review.discard_draft",
            tooltip="Throw away what you typed here (you are asked to confirm).",
        ),
    ]

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.view: VisitView | None = None
        self.review: Review | None = None
        self.busy = False
        self.done = False
        #: why the status line shows an error, while that cause lasts ("" for none)
        self.error_cause = ""
        self.init_form_draft()
        self.draft_kind, self.draft_about = self.KIND, visit_id

    @property
    def actor(self) -> "Actor | None":
        return signed_in(self)

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(line("Reading the record..."), id="review-head")
        yield Static("", id="statutory-note", classes="-none")
        with Horizontal(id="review-body"):
            yield VerticalScroll(id="record", can_focus=True)
            with Vertical(id="panel"):
                yield from self.compose_panel()
        yield Static("", id="review-status")
        yield Footer()

    def compose_panel(self) -> ComposeResult:  # pragma: no cover - overridden
        yield from ()

    def on_mount(self) -> None:
        self._load()

    def _load(self) -> None:
        from recorder.services.oversight import review
        from recorder.services.visits import load_visit

        actor = self.actor
        if actor is None:
            self.show_error("Sign in to read a record.")
            return
        svc, visit_id = self.app.services, self.visit_id

        def read() -> tuple[VisitView, Review, DraftView | None]:
            from recorder.services.drafts import load

            return (
                load_visit(svc, actor.id, visit_id),
                review(svc, actor.id, visit_id),
                load(svc, actor.id, self.KIND, visit_id),
            )

        run_call(
            self,
            "Reading the record",
            read,
            lambda got: self._loaded(*got),
            self._not_read,
            group="review",
        )

    def _not_read(self, outcome: Outcome) -> None:
        again = " Go back and open it again." if outcome.failed else ""
        self.show_error(outcome.message + again)

    def _loaded(self, view: "VisitView", facts: "Review", draft: "DraftView | None") -> None:
        self.view, self.review = view, facts
        r = facts
        when = ""
        at = view.content.get("details", {}).get("visit_at")
        if at:
            when = " on " + str(at).replace("T", " ")
        due_what = "Countersign" if self.KIND == "countersign" else "Oversight"
        head = [
            Content.assemble(
                line(f"{r.child_name} ({r.child_reference})", "bold"),
                " · ",
                line(f"{r.visit_type}{when}"),
            ),
            Content.assemble(
                "Recorded by ",
                badge_content(r.author_name, r.author_needs_countersign),
                " · ",
                line(r.author_role),
            ),
            line(
                f"{r.state.label}"
                + (f" · {due_what} due {day(r.due)} ({r.due_words})" if r.due else "")
            ),
        ]
        self.query_one("#review-head", Static).update(Content("\n").join(head))
        note = self.query_one("#statutory-note", Static)
        if r.statutory_note:
            note.update(line(r.statutory_note))
            note.remove_class("-none")
        record = self.query_one("#record", VerticalScroll)
        record.remove_children()
        parts = record_parts(view, note_other_draft=False, policy=self.app.services.policy)
        if r.countersigns:
            parts.append(Static(line("Countersign comments"), classes="heading"))
            for c in r.countersigns:
                parts.append(
                    Static(
                        Content.assemble(
                            badge_content(c.signer_name, c.signer_needs_countersign),
                            ", ",
                            line(c.signer_role.lower(), "bold"),
                            ": ",
                            long_text(c.comment),
                        )
                    )
                )
        record.mount_all(parts)
        allowed = self.may_sign()
        # the panel starts with the reviewer's draft, if they may still write it
        self.loaded(view, facts, draft.content if draft is not None and allowed else {})
        if not allowed:
            self.show_error(allowed.reason)
        else:
            self.set_status(self.ready_words())
            self.draft_read(draft, filled=True)
        self.refresh_bindings()

    def loaded(self, view: "VisitView", facts: "Review", content: dict) -> None:
        """Fill the panel, starting from ``content`` (the draft; subclasses)."""

    def may_sign(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def ready_words(self) -> str:
        return ""

    # -- status ----------------------------------------------------------------------------
    def set_status(self, text: str) -> None:
        self.error_cause = ""
        status = self.query_one("#review-status", Static)
        status.remove_class("-error")
        status.update(line(text))

    def show_error(self, message: str, *, title: str = "Not done", cause: str = "") -> None:
        """Say why something was not done; with a ``cause``, the subclass keeps the words up
        to date as the person types and clears them once the cause has gone."""
        self.error_cause = cause
        status = self.query_one("#review-status", Static)
        status.add_class("-error")
        status.update(Content(message))
        self.notify(message, title=title, severity="error", markup=False)

    def update_error(self, message: str | None) -> None:
        """The error's cause changed as the person typed: new words, or (None) it has gone."""
        if not self.error_cause:
            return
        if message is None:
            self.set_status(self.ready_words())
            return
        self.query_one("#review-status", Static).update(Content(message))

    def draft_ready(self, view: Any) -> None:
        if view is None:
            self._set_status("Kept as you type, as your own draft: only you see it.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "discard_draft":
            return True if self.editable and not self.busy and not self.done else None
        if action in ("sign", "return_record"):
            if self.review is None or self.busy or self.done:
                return None
            if action == "return_record":
                return True if self.review.may_return else None
            return True if self.may_sign() else None
        return True

    # -- actions -----------------------------------------------------------------------------
    def action_back(self) -> None:
        if self.busy:
            return
        if self.may_leave():
            self.dismiss()

    def action_discard_draft(self) -> None:
        self.discard_draft()

    def pause_drafts(self) -> bool:
        """Before signing or returning: everything typed is saved first, and nothing is saved
        while the dialog is open (the signing removes the draft). Returns whether the draft
        was being saved, to give to :meth:`resume_drafts`."""
        was = self.editable
        if was:
            self.save_all_now()
            self.editable = False
        return was

    def resume_drafts(self, was: bool) -> None:
        self.editable = was
        if was:
            self._autosave()

    def sign(self, meaning: str, what: str, call: Callable[[str], Any], success: str) -> None:
        """Ask for the password again and sign with ``call(password)``; the dialog stays
        open on a wrong password or any other refusal, with the reason."""
        self.busy = True
        self.refresh_bindings()
        was = self.pause_drafts()

        def answered(result: Any) -> None:
            self.busy = False
            self.refresh_bindings()
            if result is None:
                self.resume_drafts(was)
                self.set_status("Not signed: you cancelled.")
            else:
                self._succeeded(success)

        self.app.push_screen(SigningDialog(meaning, what, call), answered)

    def action_return_record(self) -> None:
        from recorder.services.visits import return_for_changes

        r = self.review
        if r is None or self.busy:
            return
        if not r.may_return:
            self.show_error(r.may_return.reason)
            return
        svc, actor, visit_id = self.app.services, self.actor, self.visit_id
        if actor is None:
            return

        was = self.pause_drafts()

        def answered(result: Any) -> None:
            if result is not None:
                self._succeeded(f"Returned to {r.author_name} for changes.")
            else:
                self.resume_drafts(was)

        self.app.push_screen(
            ReturnDialog(
                r.author_name,
                lambda comments: return_for_changes(svc, actor.id, visit_id, comments),
                self.return_text(),
                visit_id=visit_id,
            ),
            answered,
        )

    def return_text(self) -> str:
        return ""

    def _succeeded(self, message: str) -> None:
        self.done = True
        self.draft_signed()
        self.notify(message, title="Done", markup=False)
        self.dismiss()
