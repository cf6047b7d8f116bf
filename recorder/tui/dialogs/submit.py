"""The submit dialog: every error and query that stops a record being submitted.

Choosing a line closes the dialog and jumps to that section and field. Each query has an
Input for the worker's reason; "Submit with these reasons" is offered only when nothing but
queries is left. The dialog changes nothing itself: it returns what the worker chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from recorder.domain.sections import SECTION_BY_KEY
from recorder.domain.validation import QUERY_TITLES, Finding, Severity
from recorder.tui.format import line
from recorder.tui.widgets.text_input import Input


@dataclass(frozen=True)
class SubmitChoice:
    """What the worker chose: jump to a field, go back, or submit with these query reasons.

    ``reasons`` always holds the reasons typed so far, so none is lost by jumping or
    going back."""

    jump: tuple[str, str] | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    cancel: bool = False


class SubmitDialog(ModalScreen[SubmitChoice | None]):
    HELP_TITLE = "Submit: what needs attention"
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Back to the record",
            id="submit.cancel",
            tooltip="Close this list and go back to the record; nothing is submitted.",
        ),
    ]
    DEFAULT_CSS = """
    SubmitDialog { align: center middle; }
    SubmitDialog > #dialog { width: 96; height: auto; max-height: 36; border: thick $warning;
                             background: $surface; padding: 0 1; }
    SubmitDialog #problems { height: auto; max-height: 14; }
    SubmitDialog #reasons { height: auto; max-height: 14; }
    SubmitDialog .reason-label { margin-top: 1; }
    SubmitDialog #buttons { height: auto; margin-top: 1; }
    SubmitDialog #buttons Button { margin-right: 2; }
    SubmitDialog > #dialog { max-width: 100%; max-height: 100%; }
    SubmitDialog.-short #problems { max-height: 9; }
    SubmitDialog.-short #reasons { max-height: 6; }
    SubmitDialog.-short #buttons { margin-top: 0; }
    """

    def __init__(self, findings: list[Finding], reasons: dict[str, str] | None = None) -> None:
        super().__init__()
        self.findings = list(findings)
        self.reasons = dict(reasons or {})
        self.errors = [f for f in self.findings if f.severity is Severity.ERROR]
        seen: set[str] = set()
        self.queries = []
        for f in self.findings:
            if f.severity is Severity.QUERY and f.code not in seen:
                seen.add(f.code)
                self.queries.append(f)

    def compose(self) -> ComposeResult:
        e, q = len(self.errors), len(self.queries)
        with Vertical(id="dialog"):
            yield Static(
                line(f"Not ready to submit: {e} to fix, {q} to explain", "bold"), id="title"
            )
            yield Static(
                line(
                    "Choose a line to go to that field. Errors must be fixed; a query "
                    "can be submitted once you type a reason your manager will read."
                ),
                id="explain",
            )
            options = []
            for i, f in enumerate(self.findings):
                kind = "Error" if f.severity is Severity.ERROR else "Query"
                title = SECTION_BY_KEY[f.section].title
                options.append(
                    Option(
                        Content.assemble(
                            (f"{kind}: ", "bold"),
                            line(f"{SECTION_BY_KEY[f.section].number}. {title}"),
                            " - ",
                            line(f.message),
                        ),
                        id=f"finding-{i}",
                    )
                )
            yield OptionList(*options, id="problems")
            if self.queries:
                with VerticalScroll(id="reasons"):
                    for i, f in enumerate(self.queries):
                        yield Static(
                            line(f"Reason: {QUERY_TITLES.get(f.code, f.message)}"),
                            classes="reason-label",
                        )
                        yield Input(
                            self.reasons.get(f.code, ""),
                            id=f"reason-{i}",
                            placeholder="Why this is right for this visit",
                        )
            with Horizontal(id="buttons"):
                yield Button(
                    Content("Submit with these reasons"),
                    id="submit",
                    variant="primary",
                    disabled=bool(self.errors) or not self.queries,
                )
                yield Button(Content("Back to the record"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#problems", OptionList).focus()

    @on(OptionList.OptionSelected, "#problems")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        f = self.findings[int(str(event.option.id).split("-")[1])]
        self.dismiss(SubmitChoice(jump=(f.section.value, f.field), reasons=self.typed_reasons()))

    def typed_reasons(self) -> dict[str, str]:
        out = dict(self.reasons)
        for i, f in enumerate(self.queries):
            out[f.code] = self.query_one(f"#reason-{i}", Input).value
        return {k: v for k, v in out.items() if v.strip()}

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        reasons = self.typed_reasons()
        missing = [f for f in self.queries if not reasons.get(f.code, "").strip()]
        if missing:
            self.notify(
                "Type a reason for every query before submitting.",
                title="A reason is needed",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(SubmitChoice(reasons=reasons))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(SubmitChoice(reasons=self.typed_reasons(), cancel=True))
