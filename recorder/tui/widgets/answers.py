"""One key for a choice (issue 15, item 6): :class:`AnswerSelect`, a Select answered with
y / n / a (bindings with ids, remappable) or a letter of each other choice while it has the
focus, after which the focus moves on."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual._context import active_app
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual, visualize
from textual.widgets import Select
from textual.widgets._select import NoSelection, SelectCurrent, SelectOverlay

from recorder.domain.text import clean_line

#: the answers with a key of their own (a binding, remappable by its id in [keys])
ANSWER_BINDINGS = {"yes": "answer.yes", "no": "answer.no", "na": "answer.not_applicable"}


def choice_letters(choices: tuple[tuple[str, str], ...], taken: set[str]) -> dict[str, str]:
    """A letter for each choice that has no binding of its own: the first letter of one of
    its words not already taken ("Child in need" gets i when c is Child protection's), else
    none. ``taken`` holds the letters the bindings use."""
    used = set(taken)
    letters: dict[str, str] = {}
    for key, label in choices:
        if key in ANSWER_BINDINGS:
            continue
        for word in clean_line(label).lower().replace("-", " ").split():
            first = word[:1]
            if first.isalpha() and first.isascii() and first not in used:
                letters[key] = first
                used.add(first)
                break
    return letters


class _LabelAndArrow(Visual):
    """What Textual's SelectCurrent shows with three Statics: the value (or the prompt),
    wrapped, with the arrow after its first line; drawn cell for cell as they draw it."""

    def __init__(self, label: Visual, label_style: Style, arrow: str, arrow_style: Style,
                 own_style: Style) -> None:  # fmt: skip
        self.label, self.label_style = label, label_style
        self.arrow, self.arrow_style, self.own_style = arrow, arrow_style, own_style

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        inner = max(width - 2, 0)  # the arrow takes two cells: its padding and itself
        lines = self.label.render_strips(inner, None, self.label_style, options) if inner else []
        back = RichStyle(bgcolor=self.label_style.rich_style.bgcolor)  # as padding is drawn
        arrow = Strip([Segment(" ", back), Segment(self.arrow, self.arrow_style.rich_style)])
        under = Strip.blank(2, self.own_style.rich_style)  # the container's own, under it
        return [
            Strip.join([strip.adjust_cell_length(inner, back), arrow if i == 0 else under])
            for i, strip in enumerate(lines or [Strip([])])
        ]

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return self.label.get_optimal_width(rules, container_width) + 2

    def get_height(self, rules: Any, width: int) -> int:
        return max(1, self.label.get_height(rules, max(width - 2, 1)))


class OneWidgetCurrent(SelectCurrent):
    """Textual's SelectCurrent drawn by the one widget, not by a Static for the value and
    one for each arrow: three widgets fewer for every choice on the visit form, which has
    dozens (each widget is styled, laid out and woken on every frame). It looks the same."""

    COMPONENT_CLASSES = {"one-widget-current--label", "one-widget-current--arrow"}
    DEFAULT_CSS = """
    OneWidgetCurrent > .one-widget-current--label { color: $foreground 50%; }
    OneWidgetCurrent.-has-value > .one-widget-current--label { color: $foreground; }
    OneWidgetCurrent > .one-widget-current--arrow { color: $foreground 50%; }
    """

    def compose(self):  # type: ignore[override]
        return []

    @property
    def is_container(self) -> bool:
        return False

    @property
    def is_scrollable(self) -> bool:
        return False

    def update(self, label: Any) -> None:
        self.label = label
        self.has_value = label is not Select.NULL
        self.clear_cached_dimensions()
        self.refresh(layout=True)

    def render(self) -> Visual:
        label = self.placeholder if isinstance(self.label, NoSelection) else self.label
        expanded = self.parent is not None and self.parent.has_class("-expanded")
        return _LabelAndArrow(
            visualize(self, label),
            self.get_visual_style("one-widget-current--label"),
            "▲" if expanded else "▼",
            self.get_visual_style("one-widget-current--arrow"),
            self.visual_style,
        )


class OneWidgetSelect(Select):
    """Textual's Select with :class:`OneWidgetCurrent`."""

    def compose(self):  # type: ignore[override]
        yield OneWidgetCurrent(self.prompt)
        yield SelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

    def _watch_expanded(self, expanded: bool) -> None:
        super()._watch_expanded(expanded)
        for current in self.query_children(OneWidgetCurrent):
            current.refresh()  # the arrow turns


class AnswerSelect(OneWidgetSelect):
    """A choice answered with one key while it has the focus: y, n or a for Yes, No and Not
    applicable (bindings with ids, so F1 and the footer show them and [keys] remaps them),
    and a letter for each other choice, shown beside it ("Home (h)"). The focus then moves
    on to the next field. Letters reach it only while the choice has the focus (a closed
    Select takes no typing), so typing in a text box is never taken for an answer."""

    BINDINGS = [
        Binding("y", "answer('yes')", "Yes", id="answer.yes",
                tooltip="Answer Yes and move to the next question."),
        Binding("n", "answer('no')", "No", id="answer.no",
                tooltip="Answer No and move to the next question."),
        Binding("a", "answer('na')", "Not applicable", id="answer.not_applicable",
                tooltip="Answer Not applicable and move to the next question."),
    ]  # fmt: skip

    class Again(Message):
        """The answer given again: the field moves the focus on all the same."""

        def __init__(self, select: "AnswerSelect") -> None:
            super().__init__()
            self.select = select

    def __init__(
        self, choices: tuple[tuple[str, str], ...], *, move_on: str = "field", **kw: Any
    ) -> None:
        self.choices = tuple(choices)
        self.letters: dict[str, str] = {}
        #: set while a one-key answer is on its way, so the form moves the focus on
        self.advance = False
        #: where the focus goes after an answer: "field" (the form moves it to the next field
        #: shown, told by ``advance`` on the Changed message or by Again), "next" (the next
        #: box: an action's progress, then its note) or "stay" (a risk's change: the next
        #: box is Remove)
        self.move_on = move_on
        # the open menu's keys are the choices' own (below), not Textual's type-to-search,
        # which only moved the highlight to a label starting with the letter
        kw.setdefault("type_to_search", False)
        super().__init__(self._options_for(self.choices), **kw)

    def _binding_key(self, key: str) -> str:
        binding = ANSWER_BINDINGS[key]
        default = next(b.key for b in self.BINDINGS if isinstance(b, Binding) and b.id == binding)
        try:  # the person's [keys] table, as the app applied it
            keymap = getattr(active_app.get(), "_keymap", {})
        except LookupError:
            keymap = {}
        return str(keymap.get(binding, default)).split(",")[0].strip()

    def _options_for(self, choices: tuple[tuple[str, str], ...]) -> list:
        bound = {k: self._binding_key(k) for k, _ in choices if k in ANSWER_BINDINGS}
        self.letters = choice_letters(choices, set(bound.values()))
        keys = {**bound, **self.letters}
        return [
            (Content(f"{label} ({keys[k]})") if k in keys else Content(label), k)
            for k, label in choices
        ]

    def offer(self, choices: tuple[tuple[str, str], ...]) -> None:
        """Offer ``choices`` instead (the caller keeps or clears the answer)."""
        self.choices = tuple(choices)
        self.set_options(self._options_for(self.choices))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":  # only the answers this question offers are in the footer
            return bool(parameters) and parameters[0] in dict(self.choices) and not self.expanded
        return True

    def action_answer(self, key: str) -> None:
        if key not in dict(self.choices) or self.expanded:
            return
        in_field = self.move_on == "field"
        if self.value == key:  # already the answer: just move on
            if in_field:
                self.post_message(self.Again(self))
            elif self.move_on == "next":
                self.screen.focus_next()
            return
        self.advance = in_field
        self.value = key
        if self.move_on == "next":
            self.screen.focus_next()  # the note beside an action's progress

    async def _on_key(self, event: events.Key) -> None:
        if not event.character:
            return
        letters = dict(self.letters)
        if self.expanded:  # the open menu shows each choice's key: it works there too
            letters.update(
                {k: self._binding_key(k) for k in dict(self.choices) if k in ANSWER_BINDINGS}
            )
        for key, letter in letters.items():
            if event.character.lower() == letter:
                event.stop()
                event.prevent_default()
                if self.expanded:  # back to the choice first, then on from there
                    self.expanded = False
                    self.focus()
                    self.call_after_refresh(self.action_answer, key)
                else:
                    self.action_answer(key)
                return
