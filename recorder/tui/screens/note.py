"""A signed management oversight note, read-only: every heading, the actions and the
signature. The note was read (and the read audited) with the child's record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from recorder.domain.flags import FLAG_LABELS
from recorder.domain.oversight import HEADINGS
from recorder.tui.format import line, long_text, signature_words
from recorder.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from recorder.services.oversight import NoteView


def flag_label(code: str) -> str:
    if code.startswith("query:"):
        from recorder.domain.validation import QUERY_TITLES

        return "Query overridden: " + QUERY_TITLES.get(code[6:], code[6:])
    return FLAG_LABELS.get(code, code)


class NoteScreen(Screen[None]):
    HELP_TITLE = "Oversight note"
    DEFAULT_CSS = """
    NoteScreen #note-body { padding: 0 2; }
    NoteScreen .heading { text-style: bold; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="note.back", tooltip="Go back to the child."),
    ]

    def __init__(self, note: "NoteView", child_name: str, about: str = "the case of") -> None:
        super().__init__()
        self.note = note
        self.child_name = child_name
        self.about = about

    def compose(self) -> ComposeResult:
        n = self.note
        yield Header(show_clock=False)
        with VerticalScroll(id="note-body", can_focus=True):
            yield Static(
                Content.assemble(
                    f"Management oversight note on {self.about} ", line(self.child_name, "bold")
                ),
                classes="heading",
            )
            for key, label in HEADINGS:
                yield Static(line(label), classes="heading")
                if key == "actions":
                    yield Static(
                        Content("\n").join(
                            line(
                                f"- {a.get('what', '')} - {a.get('who', '')} by {a.get('by_when', '')}"
                            )
                            for a in n.actions
                        )
                        if n.actions
                        else line("(none)")
                    )
                else:
                    yield Static(long_text(getattr(n, key)))
            for code, answer in n.flag_responses.items():
                yield Static(line(n.alert_labels.get(code) or flag_label(code)), classes="heading")
                yield Static(long_text(answer))
            yield Static(line("Signature"), classes="heading")
            yield Static(line(signature_words(n.signature)) if n.signature else line("Not signed."))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#note-body").focus()

    def action_back(self) -> None:
        self.dismiss()
