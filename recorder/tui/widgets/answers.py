"""One key for a choice (issue 15, item 6): :class:`AnswerSelect`, a Select answered with
y / n / a (bindings with ids, remappable) or a letter of each other choice while it has the
focus, after which the focus moves on."""

from __future__ import annotations

from typing import Any

from textual import events
from textual._context import active_app
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Select

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


class AnswerSelect(Select):
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
