"""The management oversight note as a form: the headings of
``recorder.domain.oversight.HEADINGS``, action rows (what, who, by when) and, on a visit's
note, one answer box per flag. "Still to do" is worked out live by the same domain function
the service checks with (``validate_oversight``); the service checks again.

Used by the visit oversight screen and the case-level note screen.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from recorder.domain.flags import Flag
from recorder.domain.oversight import HEADINGS, OversightInput, validate_oversight
from recorder.tui.dialogs.signing import steady_cursors
from recorder.tui.format import line, long_text
from recorder.tui.widgets.text_input import Input, TextArea
from recorder.tui.widgets.updates import show

HINTS = {
    "decision": "What you decided, including a decision not to act.",
    "analysis": "The analysis and reflection behind it.",
    "risk": "The risk to the child now.",
    "timeframe": "When this is reviewed next.",
    "child_voice": "How the child's wishes and feelings informed your decision.",
}
ACTION_ROWS = 3


class OversightForm(VerticalScroll):
    """The oversight note's headings, actions (what, who, by when) and one box per flag.

    Its boxes exist only while it is :attr:`whole`: mounted into a screen (``mount`` returns
    before the boxes are made), the form is there before them, and when the screen closes
    the boxes go before the form. A box's Changed message can reach the screen in either
    gap; reading the note then stopped the app (NoMatches on ``#note-decision``). A screen
    that mounts the form later waits for :class:`Ready`.
    """

    class Ready(Message):
        """Every box of the form is mounted: it may be read and focused."""

        def __init__(self, form: "OversightForm") -> None:
            super().__init__()
            self.form = form

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

    def __init__(
        self,
        flags: Sequence[Flag] = (),
        min_words: int = 0,
        content: Mapping[str, Any] | None = None,
        flags_title: str = "Flags on this record: answer each one",
        **kw,
    ) -> None:
        super().__init__(**kw)
        self.flags = list(flags)
        self.flags_title = flags_title
        self.min_words = min_words
        #: what the boxes start with: a draft saved earlier (``content()``'s shape)
        self.start = dict(content or {})
        rows = self.start.get("actions") or []
        self.actions = max(ACTION_ROWS, len(rows) if isinstance(rows, list) else 0)

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
            yield TextArea(self._text(key), id=f"note-{key}", soft_wrap=True)
        if self.flags:
            yield Static(line(self.flags_title), classes="form-label")
        for i, f in enumerate(self.flags):
            yield Static(line(f.label), classes="form-label")
            if f.detail:
                yield Static(long_text(f.detail), classes="flag-detail")
            answers = self.start.get("flags")
            answer = answers.get(f.code, "") if isinstance(answers, dict) else ""
            yield TextArea(
                answer if isinstance(answer, str) else "", id=f"flag-{i}", soft_wrap=True
            )

    def on_mount(self) -> None:  # after compose: every box is mounted by now
        steady_cursors(self)
        self.post_message(self.Ready(self))

    @property
    def whole(self) -> bool:
        """Every box is there to read: made (the form is mounted only once its children
        are) and not being taken down (Textual marks a closing branch, the form with it,
        before it removes the boxes)."""
        return (
            self.is_mounted
            and self.is_attached
            and not (self._closing or self._closed or self._pruning)
        )

    def _box(self, box_id: str) -> TextArea:
        """One of the note's text boxes (children of the form) by id, looked up directly:
        ``query_one`` walks the form's every widget, and the note is read on each key
        typed (NoMatches while the boxes are not there, as query_one)."""
        return self.get_child_by_id(box_id, TextArea)

    def _text(self, key: str) -> str:
        value = self.start.get(key, "")
        return value if isinstance(value, str) else ""

    def _action_row(self, i: int) -> Horizontal:
        rows = self.start.get("actions")
        row = rows[i] if isinstance(rows, list) and i < len(rows) else {}
        row = row if isinstance(row, dict) else {}

        def value(k: str) -> str:
            v = row.get(k, "")
            return v if isinstance(v, str) else ""

        return Horizontal(
            Input(
                value("what"),
                id=f"action-{i}-what",
                placeholder="What",
                classes="action-what",
                compact=True,
            ),
            Input(value("who"), id=f"action-{i}-who", placeholder="Who", compact=True),
            Input(value("by_when"), id=f"action-{i}-by_when", placeholder="By when", compact=True),
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

    def _action_rows(self) -> list[dict[str, str]]:
        """What each action row holds, in order. A row added a moment ago (Ctrl+N) may be in
        the form before its boxes are mounted: it holds nothing yet and is left out (reading
        its boxes then stopped the app, and lost the note, under load). Read from the
        children, not by a query (which walks every widget of the form): on each key typed."""
        rows = []
        for row in [c for c in self.children if c.has_class("action-row")]:
            boxes = {box.id: box.value for box in row.children if isinstance(box, Input)}
            keys = [f"{row.id}-{k}" for k in ("what", "who", "by_when")]
            if all(key in boxes for key in keys):
                rows.append(dict(zip(("what", "who", "by_when"), (boxes[k] for k in keys))))
        return rows

    def note(self) -> OversightInput:
        def text(key: str) -> str:
            return self._box(f"note-{key}").text

        actions = [a for a in self._action_rows() if any(v.strip() for v in a.values())]
        return OversightInput(
            decision=text("decision"),
            analysis=text("analysis"),
            risk=text("risk"),
            actions=tuple(actions),
            timeframe=text("timeframe"),
            child_voice=text("child_voice"),
            flag_responses={f.code: self._box(f"flag-{i}").text for i, f in enumerate(self.flags)},
        )

    def content(self) -> dict[str, Any]:
        """Every box as typed (white space and empty action rows too): the draft."""
        keys = [key for key, _label in HEADINGS if key != "actions"]
        return {
            **{k: self._box(f"note-{k}").text for k in keys},
            "actions": self._action_rows(),
            "flags": {f.code: self._box(f"flag-{i}").text for i, f in enumerate(self.flags)},
        }

    def fill(self, content: Mapping[str, Any]) -> None:
        """Put ``content`` (a draft, ``content()``'s shape; {} empties the form) in the boxes."""
        self.start = dict(content)
        for key, _label in HEADINGS:
            if key != "actions":
                self._box(f"note-{key}").text = self._text(key)
        answers = self.start.get("flags")
        answers = answers if isinstance(answers, dict) else {}
        for i, f in enumerate(self.flags):
            answer = answers.get(f.code, "")
            self._box(f"flag-{i}").text = answer if isinstance(answer, str) else ""
        rows = self.start.get("actions")
        rows = rows if isinstance(rows, list) else []
        for i in range(self.actions):
            row = rows[i] if i < len(rows) and isinstance(rows[i], dict) else {}
            for k in ("what", "who", "by_when"):
                v = row.get(k, "")
                self.query_one(f"#action-{i}-{k}", Input).value = v if isinstance(v, str) else ""
        while self.actions < len(rows):  # more rows than the form has: add them, filled
            row = self._action_row(self.actions)
            self.mount(row, after=self.query_one(f"#action-{self.actions - 1}"))
            self.actions += 1

    def still_to_do(self) -> list[str]:
        labels = {f"flag:{f.code}": f.label for f in self.flags}
        problems = validate_oversight(self.note(), [f.code for f in self.flags], self.min_words)
        # a heading's message names it already; a flag's needs its label
        return [
            f"{labels[p.heading]}: {p.message}" if p.heading in labels else p.message
            for p in problems
        ]


def incomplete_words(items: list[str]) -> str:
    """Why a note is not signed yet: what is still to do, kept up to date as it is typed."""
    return "The oversight note is not complete:\n" + "\n".join(items)


DONE = "Nothing left to do: sign off with Ctrl+S."


def show_todo(todo: Static, items: list[str], done: str = DONE) -> None:
    """Put "still to do" in ``todo``: worked out on every key typed in the note, set only
    when it has changed (``widgets.updates``)."""
    show(todo, todo_content(items, done))
    todo.set_class(not items, "-done")


def todo_content(items: list[str], done: str = DONE) -> Content:
    if not items:
        return line(done, "bold")
    shown = items[:5]
    more = [line(f"... and {len(items) - len(shown)} more")] if len(items) > len(shown) else []
    return Content("\n").join(
        [line(f"Still to do ({len(items)}):", "bold")] + [line(f"- {t}") for t in shown] + more
    )
