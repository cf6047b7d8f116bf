"""What the countersign and oversight screens share: reading the record and its review facts
in a thread worker, the heading with the author's badge, the whole record read-only, asking
for the password again, returning for changes, and saying every refusal in words.

The rules are the services' (``recorder.services.visits`` and ``.oversight``); a refusal comes
back as a ServiceError whose message is shown as text on the screen and in a notification.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from recorder.domain.roles import COUNTERSIGN_BADGE
from recorder.tui.screens.signing import PasswordDialog, ReturnDialog
from recorder.tui.text import cell, line

if TYPE_CHECKING:
    from recorder.domain.roles import Actor
    from recorder.services.oversight import Review
    from recorder.services.visits import VisitView


def day(d: date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else ""


def badge_content(name: str, needs_countersign: bool) -> Content:
    """A name, with the countersign badge beside it for an unqualified worker."""
    if not needs_countersign:
        return line(name)
    return Content.assemble(line(name), "  ", line(f"[{COUNTERSIGN_BADGE}]", "bold"))


def badge_cell(name: str, needs_countersign: bool, two_line: bool = True) -> Text:
    """The same for a DataTable cell (a Rich Text, never markup); the badge under the name
    in a two-line row, beside it otherwise."""
    text = cell(name)
    if needs_countersign:
        text.append(f"\n[{COUNTERSIGN_BADGE}]" if two_line else f"  [{COUNTERSIGN_BADGE}]",
                    style="bold")
    return text


def signed_in(screen: Screen) -> "Actor | None":
    from recorder.tui.screens.child import signed_in_actor

    return signed_in_actor(screen.app)


class ReviewScreen(Screen[None]):
    """Base for the countersign and oversight screens (one visit under review)."""

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
    ReviewScreen .panel-label { margin-top: 1; text-style: bold; }
    ReviewScreen .hint { color: $text-muted; }
    ReviewScreen #review-status { height: auto; max-height: 6; padding: 0 1; }
    ReviewScreen #review-status.-error { color: $text-error; background: $error-muted; }
    """
    COMMON_BINDINGS = [
        Binding("escape", "back", "Back", id="review.back",
                tooltip="Go back to the queue; nothing is signed or returned."),
        Binding("ctrl+t", "return_record", "Return for changes", id="review.return",
                tooltip="Send the record back to the worker with your comments."),
    ]

    def __init__(self, visit_id: int, actor: "Actor | None" = None) -> None:
        super().__init__()
        self.visit_id = visit_id
        self._actor = actor
        self.view: VisitView | None = None
        self.review: Review | None = None
        self.busy = False
        self.done = False

    @property
    def actor(self) -> "Actor | None":
        if self._actor is None:
            self._actor = signed_in(self)
        return self._actor

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

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def _load(self) -> None:
        from recorder.services.errors import ServiceError
        from recorder.services.oversight import review
        from recorder.services.visits import load_visit

        actor = self.actor
        if actor is None:
            self.app.call_from_thread(self.show_error, "Sign in to read a record.")
            return
        try:
            view = load_visit(self.app.services, actor.id, self.visit_id)
            facts = review(self.app.services, actor.id, self.visit_id)
        except ServiceError as e:
            self.app.call_from_thread(self.show_error, e.message)
        except Exception as e:  # noqa: BLE001 - words, never a traceback
            self.app.call_from_thread(
                self.show_error, f"Could not read this record ({type(e).__name__}). Go back and "
                "open it again.")
        else:
            self.app.call_from_thread(self._loaded, view, facts)

    def _loaded(self, view: "VisitView", facts: "Review") -> None:
        from recorder.tui.widgets.record import record_parts

        self.view, self.review = view, facts
        r = facts
        when = ""
        at = view.content.get("details", {}).get("visit_at")
        if at:
            when = " on " + str(at).replace("T", " ")
        due_what = "Countersign" if self.KIND == "countersign" else "Oversight"
        head = [
            Content.assemble(line(f"{r.child_name} ({r.child_reference})", "bold"),
                             " · ", line(f"{r.visit_type}{when}")),
            Content.assemble("Recorded by ", badge_content(r.author_name,
                                                                 r.author_needs_countersign),
                             " · ", line(r.author_role)),
            line(f"{r.state.label}" + (f" · {due_what} due {day(r.due)} ({r.due_words})"
                                       if r.due else "")),
        ]
        self.query_one("#review-head", Static).update(Content("\n").join(head))
        note = self.query_one("#statutory-note", Static)
        if r.statutory_note:
            note.update(line(r.statutory_note))
            note.remove_class("-none")
        record = self.query_one("#record", VerticalScroll)
        record.remove_children()
        parts = record_parts(view, note_other_draft=False)
        if r.countersigns:
            parts.append(Static(line("Countersign comments"), classes="heading"))
            for c in r.countersigns:
                parts.append(Static(Content.assemble(
                    badge_content(c.signer_name, c.signer_needs_countersign),
                    ", ", line(c.signer_role.lower(), "bold"), ": ", line_text(c.comment))))
        record.mount_all(parts)
        self.loaded(view, facts)
        allowed = self.may_sign()
        if not allowed:
            self.show_error(allowed.reason)
        else:
            self.set_status(self.ready_words())
        self.refresh_bindings()

    def loaded(self, view: "VisitView", facts: "Review") -> None:
        """Fill the panel (subclasses)."""

    def may_sign(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def ready_words(self) -> str:
        return ""

    # -- status ----------------------------------------------------------------------------
    def set_status(self, text: str) -> None:
        status = self.query_one("#review-status", Static)
        status.remove_class("-error")
        status.update(line(text))

    def show_error(self, message: str, *, title: str = "Not done") -> None:
        status = self.query_one("#review-status", Static)
        status.add_class("-error")
        status.update(Content(message))
        self.notify(message, title=title, severity="error", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sign", "return_record"):
            if self.review is None or self.busy or self.done:
                return None
            if action == "return_record":
                return True if self.review.may_return else None
            return True if self.may_sign() else None
        return True

    # -- actions -----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def ask_password(self, meaning: str, what: str, then: Callable[[str], None]) -> None:
        def answered(password: str | None) -> None:
            if password:
                then(password)
            else:
                self.set_status("Not signed: you cancelled.")

        self.app.push_screen(PasswordDialog(meaning, what), answered)

    def action_return_record(self) -> None:
        r = self.review
        if r is None or self.busy:
            return
        if not r.may_return:
            self.show_error(r.may_return.reason)
            return

        def answered(comments: str | None) -> None:
            from recorder.services.visits import return_for_changes

            if comments:
                self.run_service(
                    "return",
                    lambda svc, actor_id: return_for_changes(svc, actor_id, self.visit_id,
                                                             comments),
                    f"Returned to {r.author_name} for changes.")

        self.app.push_screen(ReturnDialog(r.author_name, self.return_text()), answered)

    def return_text(self) -> str:
        return ""

    def run_service(self, what: str, call: Callable, success: str) -> None:
        """Run a signing or returning service in a thread; say what happened in words."""
        if self.actor is None:
            return
        self.busy = True
        self.refresh_bindings()
        self.set_status("Working..." if what == "return" else "Checking your password and signing...")
        self._run(what, call, success, self.actor.id)

    @work(thread=True, exclusive=True, group="review-sign", exit_on_error=False)
    def _run(self, what: str, call: Callable, success: str, actor_id: int) -> None:
        from recorder.services.errors import ServiceError

        try:
            call(self.app.services, actor_id)
        except ServiceError as e:
            self.app.call_from_thread(self._refused, e.message)
        except Exception as e:  # noqa: BLE001 - words, never a traceback
            self.app.call_from_thread(
                self._refused, f"That did not work ({type(e).__name__}); nothing was changed. "
                "Try again.")
        else:
            self.app.call_from_thread(self._succeeded, success)

    def _refused(self, message: str) -> None:
        self.busy = False
        self.refresh_bindings()
        self.show_error(message, title="Refused")

    def _succeeded(self, message: str) -> None:
        self.busy = False
        self.done = True
        self.notify(message, title="Done", markup=False)
        self.dismiss()


def line_text(text: str) -> Content:
    """Long user text (may hold newlines) as Content, cleaned."""
    from recorder.domain.text import clean

    return Content(clean(text or ""))
