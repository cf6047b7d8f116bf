"""F1: a dialog listing every key the current screen answers to, with what each does."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from recorder.tui.format import cell
from recorder.tui.widgets.footer import Footer


@dataclass(frozen=True)
class KeyHelp:
    key: str
    description: str
    where: str
    explanation: str = ""
    ours: bool = False  # a recorder binding (it has an id), listed before Textual's own
    name: str = ""  # its id: the name to give it in the [keys] table of user.toml


_WHERE_ORDER = {"This screen": 0, "Everywhere": 1}


def bindings_of(screen: Screen) -> list[KeyHelp]:
    """Every enabled, non-system key of ``screen`` (its focused widget, the screen, the app)."""
    app = screen.app
    seen: set[tuple[str, str]] = set()
    rows: list[KeyHelp] = []
    for _key, active in screen.active_bindings.items():
        b = active.binding
        if b.system:
            continue
        node = active.node
        if isinstance(node, App):
            where = "Everywhere"
        elif isinstance(node, Screen):
            where = "This screen"
        else:
            where = f"In the {_widget_name(node)}"
        description = b.description or b.action.replace("_", " ").capitalize()
        display = app.get_key_display(b)
        if (display, description) in seen:
            continue
        seen.add((display, description))
        rows.append(
            KeyHelp(
                display,
                description,
                where,
                active.tooltip or b.tooltip,
                ours=bool(b.id),
                name=b.id or "",
            )
        )
    rows.sort(key=lambda r: (_WHERE_ORDER.get(r.where, 2), not r.ours))
    return rows


def _widget_name(node) -> str:
    names = {"Input": "text field", "DataTable": "table", "Button": "button"}
    for cls in type(node).__mro__:
        if cls.__name__ in names:
            return names[cls.__name__]
    return "focused part"


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath, in a table. Escape or F1 closes it."""

    HELP_TITLE = "Help"
    BINDINGS = [
        Binding(
            "escape", "close", "Close help", id="help.close", tooltip="Close this list and go back."
        ),
        Binding("f1", "help", "Help", id="help.toggle", tooltip="F1 opens and closes this list."),
    ]

    def __init__(self, title: str, keys: list[KeyHelp]) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(
                Content.from_markup("[b]Keys: $title[/b]", title=self.title_text), id="help-title"
            )
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Press Escape or F1 to close this list. To change a key, write its name and "
                "the new key in the [keys] table of user.toml in your settings folder, e.g. "
                'visit.submit = "f6" (README, "Your own keys").',
                id="help-hint",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns("Key", "Name", "Where", "What it does")
        for k in self.keys:
            what = cell(k.description)
            if k.explanation and k.explanation != k.description:
                what.append(": " + k.explanation, style="dim")
            table.add_row(cell(k.key, "bold"), cell(k.name, "dim"), cell(k.where), what)
        table.focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_help(self) -> None:
        self.dismiss()
