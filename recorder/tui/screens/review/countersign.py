"""Countersign: a registered worker reads an unqualified colleague's whole record, writes what
they checked and any direction, and signs with their password again, or returns the record
for changes with comments (DOMAIN.md, "The life of a visit record", "Signing")."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from recorder.domain.oversight import word_count
from recorder.domain.signing import COUNTERSIGN_MEANING
from recorder.tui.dialogs.signing import steady_cursors
from recorder.tui.format import line
from recorder.tui.screens.review.base import ReviewScreen
from recorder.tui.widgets.text_input import TextArea
from recorder.tui.widgets.updates import show


def too_short_words(n: int, need: int) -> str:
    return (
        f"The countersign comment has {n} word{'s' if n != 1 else ''}; at least {need} are "
        "needed. Say what you checked and any direction you are giving."
    )


class CountersignScreen(ReviewScreen):
    """One record awaiting a qualified countersign."""

    KIND = "countersign"
    HELP_TITLE = "Countersign"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "sign",
            "Sign",
            id="countersign.sign",
            tooltip="Countersign the record: your password is asked again.",
        ),
        *ReviewScreen.COMMON_BINDINGS,
    ]
    DEFAULT_CSS = """
    CountersignScreen #cs-comment { height: 10; }
    """

    def compose_panel(self) -> ComposeResult:
        yield Static(line("Your countersign comment"), classes="panel-label")
        yield Static(
            line("What you checked, and any direction you are giving the worker."), classes="hint"
        )
        yield TextArea(id="cs-comment", soft_wrap=True)
        yield Static("", id="cs-count")
        yield Static("", id="draft-status")
        yield Static(
            line(
                "Ctrl+S signs (your password is asked again). Ctrl+T returns the "
                "record to the worker with your comments instead."
            ),
            classes="hint",
        )

    def on_mount(self) -> None:
        super().on_mount()
        steady_cursors(self)

    def loaded(self, view, facts, content) -> None:
        text = content.get("comment", "")
        if isinstance(text, str) and text:
            self._known = content
            box = self.query_one("#cs-comment", TextArea)
            box.text = text
            box.move_cursor(box.document.end)
        self._count()
        if facts.may_countersign:
            self.query_one("#cs-comment", TextArea).focus()

    def may_sign(self):
        return self.review.may_countersign

    def ready_words(self) -> str:
        return "Read the whole record, then write your comment and sign, or return it."

    @on(TextArea.Changed, "#cs-comment")
    def _changed(self) -> None:
        self._count()
        self.form_changed()

    def _count(self) -> None:
        n = word_count(self.comment)
        need = self.review.comment_min_words if self.review else 0
        text = f"{n} word{'s' if n != 1 else ''}"
        if need:
            text += f" (at least {need})" if n < need else f" (at least {need}: enough)"
        show(self.query_one("#cs-count", Static), line(text))  # on every key: when it changes
        if self.error_cause == "too_short":  # the refusal follows the words as they come
            self.update_error(too_short_words(n, need) if n < need else None)

    def draft_content(self) -> dict:
        return {"comment": self.comment}

    def fill_draft(self, content: dict) -> None:
        text = content.get("comment", "")
        self.query_one("#cs-comment", TextArea).text = text if isinstance(text, str) else ""

    @property
    def comment(self) -> str:
        return self.query_one("#cs-comment", TextArea).text

    def return_text(self) -> str:
        return self.comment

    def action_sign(self) -> None:
        r = self.review
        if r is None or self.busy or self.done:
            return
        if not r.may_countersign:
            self.show_error(r.may_countersign.reason)
            return
        n = word_count(self.comment)
        if n < r.comment_min_words:
            self.show_error(
                too_short_words(n, r.comment_min_words), title="Not signed", cause="too_short"
            )
            self.query_one("#cs-comment", TextArea).focus()
            return
        from recorder.services.visits import countersign

        comment, svc, visit_id = self.comment, self.app.services, self.visit_id
        actor = self.actor
        if actor is None:
            return
        self.sign(
            COUNTERSIGN_MEANING,
            f"Countersign {r.author_name}'s record of the visit to {r.child_name}. "
            "Type your password again to sign.",
            lambda password: countersign(svc, actor.id, visit_id, comment, password),
            f"Countersigned. The record of {r.child_name}'s visit now waits for management "
            "oversight.",
        )
