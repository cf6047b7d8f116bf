"""One editor per field of a visit record, built from ``recorder.domain.sections``.

No field has hand-written UI: :class:`FieldEditor` reads the field's ``kind`` and composes
Input / TextArea / Select / SelectionList or a small row editor (people, actions, risks).
Every change posts :class:`FieldEditor.Changed` with the field's key and its value as the
services store it (``None`` for "not answered"). Values that cannot be stored yet (a date
half typed) are reported as ``None`` with a note in words under the field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as TextualStyle
from textual.widget import Widget
from textual.widgets import Button, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from recorder.domain.sections import RISK_CHANGES, FieldSpec
from recorder.domain.text import clean, clean_line
from recorder.tui.format import line
from recorder.tui.widgets.answers import AnswerSelect, OneWidgetSelect
from recorder.tui.widgets.text_input import Input, TextArea

PLACEHOLDERS = {
    "date": "YYYY-MM-DD, e.g. 2026-11-26",
    "datetime": "YYYY-MM-DD HH:MM, e.g. 2026-11-26 14:30",
    "int": "a whole number",
}
ROW_PARTS = {
    "people": (("name", "Name", "e.g. Sally"), ("role", "Role", "e.g. maternal grandmother")),
    "actions": (
        ("what", "What", "what will be done"),
        ("who", "Who", "who will do it"),
        ("by_when", "By when", "YYYY-MM-DD"),
    ),
    "risks": (("risk", "Risk", "the risk in the plan"),),
}


class LimitedTextArea(TextArea):
    """A TextArea that stops accepting text at ``max_length`` and says so."""

    class LimitReached(Message):
        pass

    def __init__(self, text: str = "", *, max_length: int, **kw: Any) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", show_line_numbers=False, **kw)
        self.max_length = max_length

    def _replace_via_keyboard(self, insert, start, end):  # type: ignore[override]
        if self.read_only:
            return None
        insert = clean(insert)  # typed or pasted escape/bidi controls never reach the screen
        removed = len(self.get_text_range(*sorted((start, end))))
        room = self.max_length - (len(self.text) - removed)
        if len(insert) > room:
            self.post_message(self.LimitReached())
            insert = insert[: max(room, 0)]
            if not insert and start == end:
                return None
        return super()._replace_via_keyboard(insert, start, end)


class RowText(LimitedTextArea):
    """The part of a row that wraps (an action's what, a risk), so its whole text is on
    screen however narrow the form; one line of text: Enter moves on, a pasted newline
    becomes a space."""

    def __init__(self, text: str, *, max_length: int, placeholder: str, **kw: Any) -> None:
        super().__init__(text, max_length=max_length, placeholder=placeholder, compact=True, **kw)

    def _replace_via_keyboard(self, insert, start, end):  # type: ignore[override]
        return super()._replace_via_keyboard(
            insert.replace("\r\n", " ").replace("\n", " ").replace("\r", " "), start, end
        )

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls TextArea's own _on_key after this one unless the default is prevented
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.screen.focus_next()


def part_text(row: Any, key: str) -> str:
    """What the box for ``key`` in a row holds (a RowText or an Input)."""
    box = row.query_one(f".part-{key}")
    return box.text if isinstance(box, TextArea) else box.value


class TickList(SelectionList):
    """A list of choices, each ticked ``[x]`` or not ``[ ]``: the state is in the characters,
    not only in the shade of a box, so it reads the same in every theme, under NO_COLOR and
    to a screen reader (Textual's own list draws the same ``X`` for both, in two greys)."""

    TICKED, UNTICKED = "[x] ", "[ ] "  # as wide as Textual's button and its space

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        mark = self.TICKED if selection.value in self.selected else self.UNTICKED
        style = (next(iter(line)).style or self.rich_style) + Style(meta={"option": index})
        return Strip([Segment(mark, style), *line])


class RowsEditor(Vertical):
    """Add/remove rows of small inputs: people (name, role), actions, risks."""

    DEFAULT_CSS = """
    RowsEditor { height: auto; }
    RowsEditor .row { height: auto; }
    RowsEditor .row.-stacked { margin-bottom: 1; }
    RowsEditor .row-line { height: auto; }
    RowsEditor .row Input { width: 1fr; margin-right: 1; }
    RowsEditor .row RowText { width: 1fr; height: auto; max-height: 6; }
    RowsEditor .row .part-who { margin-right: 1; }
    RowsEditor .row .part-by_when { width: 14; }
    RowsEditor .row Select { width: 19; margin-right: 1; }
    RowsEditor .row Button { min-width: 8; width: 8; }
    RowsEditor .add { width: auto; min-width: 12; }
    """

    #: the part that has a line of its own, the whole width of the form (the rest share
    #: the line under it): a narrow box showed the end of an action ("erapy appointment")
    WIDE_PART = {"actions": "what", "risks": "risk"}
    #: the parts that wrap (RowText), so their whole text is on screen
    WRAPS = frozenset({"what", "who", "risk"})

    def __init__(self, kind: str, rows: list[dict[str, str]], max_length: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.kind = kind
        self.rows = [dict(r) for r in rows]
        self.max_length = max_length
        self._serial = 0

    def compose(self) -> ComposeResult:
        for row in self.rows:
            yield self._row(row)
        yield Button(
            Content(f"Add {'risk' if self.kind == 'risks' else 'row'}"), classes="add", compact=True
        )

    def _row(self, row: dict[str, str]) -> Horizontal:
        self._serial += 1
        wide = self.WIDE_PART.get(self.kind)
        parts: list[Widget] = []
        for key, label, ph in ROW_PARTS[self.kind]:
            text = clean_line(row.get(key, ""))
            if key in self.WRAPS:
                parts.append(
                    RowText(text, max_length=self.max_length, placeholder=ph, classes=f"part-{key}")
                )
                continue
            box = Input(
                text,
                placeholder=ph,
                max_length=self.max_length,
                compact=True,
                classes=f"part-{key}",
                tooltip=label,
            )
            box.cursor_position = 0  # a narrow box shows the start of what it holds, not the end
            parts.append(box)
        if self.kind == "risks":
            parts.append(
                AnswerSelect(
                    RISK_CHANGES,
                    move_on="stay",
                    value=row.get("change") or Select.NULL,
                    prompt="Change?",
                    compact=True,
                    classes="part-change",
                )
            )
        parts.append(Button(Content("Remove"), classes="remove", compact=True))
        if wide is None:
            return Horizontal(*parts, classes="row")
        first, rest = parts[0], parts[1:]
        return Vertical(first, Horizontal(*rest, classes="row-line"), classes="row -stacked")

    @property
    def value(self) -> list[dict[str, str]]:
        out = []
        for row in self.query(".row"):
            item: dict[str, str] = {}
            for key, _, _ in ROW_PARTS[self.kind]:
                text = part_text(row, key)
                if text.strip():
                    item[key] = text
            if self.kind == "risks":
                sel = row.query_one(".part-change", Select).value
                if sel is not Select.NULL:
                    item["change"] = str(sel)
            if item:
                out.append(item)
        return out

    @on(Button.Pressed, ".add")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        row = self._row({})
        await self.mount(row, before=event.button)
        row.query(".part-name, .part-what, .part-risk").first().focus()

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()  # a row's text: the field's value is the rows
        self.post_message(FieldEditor.RowsChanged(self))

    @on(LimitedTextArea.LimitReached)
    def _text_full(self, event: LimitedTextArea.LimitReached) -> None:
        event.stop()
        editor = self.parent
        if isinstance(editor, FieldEditor):
            editor.note(f"This box holds at most {self.max_length:,} characters; it is full.")

    @on(Button.Pressed, ".remove")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        row = next((a for a in event.button.ancestors if a.has_class("row")), None)
        if row is not None:
            await row.remove()
        self.post_message(FieldEditor.RowsChanged(self))


class ProgressEditor(Vertical):
    """Progress on each of the child's open actions (``domain.progress``): the action in
    words, a status and a note. Its value is {action id: {what, status, note}}."""

    DEFAULT_CSS = """
    ProgressEditor { height: auto; }
    ProgressEditor .open-action { margin-top: 1; }
    ProgressEditor .progress-row { height: auto; }
    ProgressEditor .progress-row Select { width: 22; }
    ProgressEditor .progress-row Input { width: 1fr; }
    """

    def __init__(self, actions: tuple, value: dict, max_length: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.actions = tuple(actions)
        self.start = value if isinstance(value, dict) else {}
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        from recorder.domain.progress import PROGRESS_STATUSES

        for a in self.actions:
            answer = self.start.get(a.key) or {}
            yield Static(
                Content("\n").join(
                    [
                        line(a.what, "bold"),
                        line(f"{a.source}; for {a.who or 'no one named'}; {a.due_words}"),
                    ]
                ),
                classes="open-action",
            )
            yield Horizontal(
                AnswerSelect(
                    PROGRESS_STATUSES,
                    move_on="next",
                    value=answer.get("status") or Select.NULL,
                    prompt="Progress?",
                    compact=True,
                    id=f"progress-{a.key}-status",
                ),
                Input(
                    clean_line(answer.get("note", "")),
                    placeholder="what was done",
                    max_length=self.max_length,
                    compact=True,
                    id=f"progress-{a.key}-note",
                ),
                classes="progress-row",
            )

    @property
    def value(self) -> dict[str, dict[str, str]]:
        out = {}
        for a in self.actions:
            status = self.query_one(f"#progress-{a.key}-status", Select).value
            note = self.query_one(f"#progress-{a.key}-note", Input).value
            item = {"what": a.what}
            if status is not Select.NULL:
                item["status"] = str(status)
            if note.strip():
                item["note"] = note
            if len(item) > 1:
                out[a.key] = item
        return out

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Input.Changed | Select.Changed) -> None:
        event.stop()
        parent = self.parent
        if isinstance(parent, FieldEditor):
            parent._post(self.value or None)


class FieldHeading(Static):
    """A field's label and, under it, its help in the muted colour: one widget for both
    (a Static each made a visit form's premount cost more)."""

    COMPONENT_CLASSES = {"field-heading--help"}
    DEFAULT_CSS = """
    FieldHeading > .field-heading--help { color: $text-muted; text-style: not bold; }
    """

    def __init__(self, label: str, help: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.label, self.help = label, help

    def render(self) -> Content:
        style = TextualStyle.from_rich_style(self.get_component_rich_style("field-heading--help"))
        return Content("\n").join([line(self.label), line(self.help).stylize(style)])


class FieldEditor(Vertical):
    """Label, help, the widget for the field's kind, and a note in words."""

    DEFAULT_CSS = """
    FieldEditor { height: auto; margin-bottom: 1; }
    FieldEditor .label { text-style: bold; }
    FieldEditor .note { color: $text-warning; }
    FieldEditor .note.-empty { display: none; }
    FieldEditor TextArea { height: 5; }
    FieldEditor SelectionList { height: auto; max-height: 8; }
    """

    class Changed(Message):
        def __init__(
            self, editor: "FieldEditor", key: str, value: Any, advance: bool = False
        ) -> None:
            super().__init__()
            self.editor = editor
            self.key = key
            self.value = value
            #: answered with one key: the form moves the focus to the next field it shows
            self.advance = advance

        @property
        def control(self) -> "FieldEditor":
            return self.editor

    class RowsChanged(Message):
        def __init__(self, rows: RowsEditor) -> None:
            super().__init__()
            self.rows = rows

    def __init__(
        self,
        spec: FieldSpec,
        value: Any,
        *,
        short_max: int,
        long_max: int,
        choices: tuple[tuple[str, str], ...] | None = None,
        open_actions: tuple = (),
        **kw: Any,
    ) -> None:
        super().__init__(id=f"field-{spec.key}", **kw)
        self.spec = spec
        self.initial = value
        self.short_max = short_max
        self.long_max = long_max
        self.choices = choices if choices is not None else spec.choices
        #: the child's open actions, for the Actions section's progress field
        self.open_actions = tuple(open_actions)
        self._composed = False  # compose() has run
        self._built = False  # the parts (label, box) are made

    def compose(self) -> ComposeResult:
        # a field that does not apply yet (hidden) gets its parts when it is first shown
        # (:meth:`reveal`): most of a visit form's fields wait on an answer, and premounting
        # them all was most of the cost of opening the form
        self._composed = True
        if self.display:
            self._built = True
            yield from self._parts()

    def reveal(self) -> None:
        """Shown: make the parts if they were not made (at once, so the focus can move into
        the field straight after the answer that revealed it)."""
        if self._composed and not self._built:
            self._built = True
            self.mount_all(list(self._parts()))

    def _parts(self) -> ComposeResult:
        s, v = self.spec, self.initial
        if s.help:
            yield FieldHeading(s.label, s.help, classes="label")
        else:
            yield Static(line(s.label), classes="label")
        wid = f"input-{s.key}"
        if s.kind == "long" or s.long:
            # stored text is cleaned again on the way to the screen: a row written by
            # something other than the services must not put escape sequences on the terminal
            yield LimitedTextArea(clean(v or ""), max_length=self.long_max, id=wid)
        elif s.kind in ("text", "int", "date", "datetime"):
            text = clean_line("" if v is None else str(v))
            if s.kind == "datetime":
                text = text.replace("T", " ")
            yield Input(
                text,
                placeholder=PLACEHOLDERS.get(s.kind, ""),
                id=wid,
                max_length=self.short_max if s.kind == "text" else 40,
                type="integer" if s.kind == "int" else "text",
            )
        elif s.kind == "choice":
            yield AnswerSelect(
                self.choices,
                value=v if v in dict(self.choices) else Select.NULL,
                prompt="Choose...",
                id=wid,
            )
        elif s.kind == "worker":  # chosen by name, kept as their id
            v = str(v) if v is not None else v
            yield OneWidgetSelect(
                [(Content(lbl), key) for key, lbl in self.choices],
                value=v if v in dict(self.choices) else Select.NULL,
                prompt="Choose by name...",
                id=wid,
            )
        elif s.kind == "multi":
            chosen = set(v or ())
            yield TickList(
                *[Selection(Content(lbl), key, key in chosen) for key, lbl in self.choices], id=wid
            )
        elif s.kind == "progress":
            yield ProgressEditor(self.open_actions, v or {}, self.short_max, id=wid)
        else:  # people, actions, risks
            yield RowsEditor(s.kind, list(v or []), self.short_max, id=wid)

    def set_choices(self, choices: tuple[tuple[str, str], ...]) -> None:
        """Offer ``choices`` instead (a choice field). The answer is kept while it is still
        offered; otherwise it is cleared, and the screen is told as for any change."""
        if self.spec.kind != "choice" or choices == self.choices:
            return
        old, self.choices = self.choices, choices
        if not self.is_mounted:
            return
        if not self._built:  # hidden, its parts not made: as its choice would have been kept
            if not (self.initial in dict(old) and self.initial in dict(choices)):
                self.initial = None  # its choice would be blank when it is made
                self._post(None)
            return
        select = self.query_one(f"#input-{self.spec.key}", AnswerSelect)
        keep = select.value if select.value in dict(choices) else Select.NULL
        with select.prevent(Select.Changed):
            select.offer(choices)
            select.value = keep
        if keep is Select.NULL:
            self._post(None)

    def note(self, text: str) -> None:
        """A note in words under the field; made the first time there is one to say."""
        notes = self.query_children(".note")
        if notes:
            n = notes.first(Static)
            n.update(line(text))
            n.set_class(not text, "-empty")
        elif text and self.is_mounted:
            self.mount(Static(line(text), classes="note"))

    # -- reading values -----------------------------------------------------------------
    def _convert(self, raw: str) -> Any:
        kind = self.spec.kind
        raw = clean(raw)
        text = raw.strip()
        if not text:
            self.note("")
            return None
        try:
            if kind == "int":
                value: Any = int(text)
            elif kind == "date":
                value = date.fromisoformat(text).isoformat()
            elif kind == "datetime":
                value = datetime.fromisoformat(text.replace(" ", "T")).isoformat(timespec="minutes")
            else:
                if len(raw) >= self.short_max:
                    self.note(
                        f"This field holds at most {self.short_max:,} characters; it is full."
                    )
                else:
                    self.note("")
                return raw
        except ValueError:
            self.note(f"Not saved yet: write it as {PLACEHOLDERS[kind]}.")
            return None
        self.note("")
        return value

    def _post(self, value: Any, advance: bool = False) -> None:
        self.post_message(self.Changed(self, self.spec.key, value, advance))

    @on(Input.Changed)
    def _input(self, event: Input.Changed) -> None:
        if event.input.id != f"input-{self.spec.key}":
            self._post(self.query_one(RowsEditor).value)
        else:
            self._post(self._convert(event.value))
        event.stop()

    @on(LimitedTextArea.Changed)
    def _area(self, event: TextArea.Changed) -> None:
        event.stop()
        if len(event.text_area.text) < self.long_max:
            self.note("")
        self._post(event.text_area.text or None)

    @on(LimitedTextArea.LimitReached)
    def _full(self, event: LimitedTextArea.LimitReached) -> None:
        event.stop()
        self.note(
            f"This field holds at most {self.long_max:,} characters; it is full, so "
            "no more text can be added."
        )

    @on(Select.Changed)
    def _select(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id != f"input-{self.spec.key}":
            self._post(self.query_one(RowsEditor).value)
        else:
            advance = isinstance(event.select, AnswerSelect) and event.select.advance
            if isinstance(event.select, AnswerSelect):
                event.select.advance = False
            if event.value is Select.NULL:
                self._post(None, advance)
            elif self.spec.kind == "worker":
                self._post(int(str(event.value)), advance)
            else:
                self._post(str(event.value), advance)

    @on(AnswerSelect.Again)
    def _again(self, event: AnswerSelect.Again) -> None:
        event.stop()
        if event.select.id == f"input-{self.spec.key}":
            self._post(event.select.value, advance=True)

    @on(SelectionList.SelectedChanged)
    def _multi(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        selected = set(event.selection_list.selected)
        self._post([k for k, _ in self.spec.choices if k in selected] or None)

    @on(RowsChanged)
    def _rows(self, event: "FieldEditor.RowsChanged") -> None:
        event.stop()
        self._post(event.rows.value or None)
