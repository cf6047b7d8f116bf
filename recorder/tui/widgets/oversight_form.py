"""The management oversight note as a form: the headings of
``recorder.domain.oversight.HEADINGS``, action rows (what, who, by when) and, on a visit's
note, one answer box per flag. "Still to do" is worked out live by the same domain function
the service checks with (``validate_oversight``); the service checks again.

Used by the visit oversight screen and the case-level note screen.
"""

from __future__ import annotations

from typing import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Static, TextArea

from recorder.domain.flags import Flag
from recorder.domain.oversight import HEADINGS, OversightInput, validate_oversight
from recorder.tui.dialogs.signing import steady_cursors
from recorder.tui.format import line, long_text

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
                yield Static(
                    line(
                        "Each action: what, who, and by when (it may be to review). "
                        "Ctrl+N adds a row."
                    ),
                    classes="form-hint",
                )
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
                yield Static(long_text(f.detail), classes="flag-detail")
            yield TextArea(id=f"flag-{i}", soft_wrap=True)

    def on_mount(self) -> None:
        steady_cursors(self)

    def _action_row(self, i: int) -> Horizontal:
        return Horizontal(
            Input(id=f"action-{i}-what", placeholder="What", classes="action-what", compact=True),
            Input(id=f"action-{i}-who", placeholder="Who", compact=True),
            Input(id=f"action-{i}-by_when", placeholder="By when", compact=True),
            classes="action-row",
            id=f"action-{i}",
        )

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
            a = {
                k: self.query_one(f"#action-{i}-{k}", Input).value
                for k in ("what", "who", "by_when")
            }
            if any(v.strip() for v in a.values()):
                actions.append(a)
        return OversightInput(
            decision=text("decision"),
            analysis=text("analysis"),
            risk=text("risk"),
            actions=tuple(actions),
            timeframe=text("timeframe"),
            child_voice=text("child_voice"),
            flag_responses={
                f.code: self.query_one(f"#flag-{i}", TextArea).text
                for i, f in enumerate(self.flags)
            },
        )

    def still_to_do(self) -> list[str]:
        labels = {f"flag:{f.code}": f.label for f in self.flags}
        problems = validate_oversight(self.note(), [f.code for f in self.flags], self.min_words)
        # a heading's message names it already; a flag's needs its label
        return [
            f"{labels[p.heading]}: {p.message}" if p.heading in labels else p.message
            for p in problems
        ]


def todo_content(
    items: list[str], done: str = "Nothing left to do: sign off with Ctrl+S."
) -> Content:
    if not items:
        return line(done, "bold")
    shown = items[:5]
    more = [line(f"... and {len(items) - len(shown)} more")] if len(items) > len(shown) else []
    return Content("\n").join(
        [line(f"Still to do ({len(items)}):", "bold")] + [line(f"- {t}") for t in shown] + more
    )
