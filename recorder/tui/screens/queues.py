"""The countersign queue (registered workers and managers) and the oversight queue (managers):
the team's records waiting, soonest due first, due or overdue in words. Enter opens one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Static

from recorder.tui.screens.review import badge_cell, day, line_text, signed_in
from recorder.tui.text import cell, line

if TYPE_CHECKING:
    from recorder.domain.roles import Actor
    from recorder.services.oversight import QueueRow

TITLES = {
    "countersign": "Records awaiting your qualified countersign",
    "oversight": "Records awaiting management oversight",
}
EMPTY = {
    "countersign": "No records are waiting for a countersign in your team.",
    "oversight": "No records are waiting for management oversight in your team.",
}


def two_lines(first: str, second: str, style: str = "") -> Text:
    """A two-line DataTable cell from two pieces of data (each cleaned, never markup)."""
    text = cell(first, style)
    if second:
        text.append("\n")
        text.append_text(cell(second, style))
    return text


def when(row: "QueueRow") -> str:
    if row.visit_at is None:
        return "no date"
    return f"{day(row.visit_at.date())} {row.visit_at:%H:%M}"


class QueueScreen(Screen[None]):
    """One of the two queues, chosen by ``kind``: "countersign" or "oversight"."""

    DEFAULT_CSS = """
    QueueScreen #queue-body { padding: 0 1; }
    QueueScreen #queue-title { margin-top: 1; text-style: bold; }
    QueueScreen #queue { height: auto; max-height: 1fr; margin-top: 1; }
    QueueScreen #queue-detail { height: auto; margin-top: 1; padding: 0 1;
                                border: round $primary; }
    QueueScreen #queue-detail.-none { display: none; }
    QueueScreen #queue-status { margin-top: 1; color: $text-muted; }
    QueueScreen #queue-status.-error { color: $text-error; }
    QueueScreen #addenda-title { margin-top: 1; text-style: bold; }
    QueueScreen #addenda { height: auto; max-height: 10; margin-top: 1; }
    QueueScreen #addenda-status { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="queue.back", tooltip="Go back to the home screen."),
        Binding("ctrl+r", "reload", "Refresh", id="queue.refresh",
                tooltip="Read the queue again."),
        Binding("k", "acknowledge", "Acknowledge addendum", id="queue.acknowledge",
                tooltip="Sign that you have read the highlighted addendum (password asked)."),
    ]

    def __init__(self, kind: str, actor: "Actor | None" = None) -> None:
        super().__init__()
        assert kind in TITLES
        self.kind = kind
        self._actor = actor
        self.rows: list[QueueRow] = []
        self.addenda: list = []
        self.loaded = False
        self._read_on_resume = True

    @property
    def HELP_TITLE(self) -> str:  # noqa: N802 - read by the help dialog
        return "Countersign queue" if self.kind == "countersign" else "Oversight queue"

    @property
    def actor(self) -> "Actor | None":
        if self._actor is None:
            self._actor = signed_in(self)
        return self._actor

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="queue-body"):
            yield Static(line(TITLES[self.kind]), id="queue-title")
            yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
            yield Static("", id="queue-detail", classes="-none")
            yield Static(line("Reading the queue..."), id="queue-status")
            if self.kind == "oversight":
                yield Static(line("New addenda to acknowledge"), id="addenda-title")
                yield DataTable(id="addenda", cursor_type="row", zebra_stripes=True)
                yield Static("", id="addenda-status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one("#queue", DataTable)
        due = "Countersign due" if self.kind == "countersign" else "Oversight due"
        t.add_column(due, key="due")
        t.add_column("Child", key="child")
        t.add_column("Visit", key="visit")
        t.add_column("Type", key="type")
        t.add_column("Recorded by", key="author")
        if self.kind == "oversight":
            t.add_column("Flags", key="flags")
            a = self.query_one("#addenda", DataTable)
            a.add_column("Added", key="added")
            a.add_column("Child", key="child")
            a.add_column("By", key="by")
            a.add_column("Why", key="why")
        t.focus()

    def on_screen_suspend(self) -> None:
        self._read_on_resume = not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        if self._read_on_resume:
            self._read_on_resume = False
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        if self.actor is not None:
            self._read(self.actor.id)

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False)
    def _read(self, actor_id: int) -> None:
        from recorder.services import oversight
        from recorder.services.errors import ServiceError

        fn = oversight.countersign_queue if self.kind == "countersign" else oversight.oversight_queue
        try:
            rows = fn(self.app.services, actor_id)
            if self.kind == "oversight":
                from recorder.services import addenda

                new = addenda.unacknowledged(self.app.services, actor_id)
                self.app.call_from_thread(self._show_addenda, new)
        except ServiceError as e:
            self.app.call_from_thread(self._failed, e.message)
        except Exception as e:  # noqa: BLE001 - words, never a traceback
            self.app.call_from_thread(self._failed, f"Could not read the queue "
                                      f"({type(e).__name__}). Press Ctrl+R to try again.")
        else:
            self.app.call_from_thread(self._show, rows)

    def _failed(self, message: str) -> None:
        status = self.query_one("#queue-status", Static)
        status.add_class("-error")
        status.update(Content(message))

    def _show(self, rows: list["QueueRow"]) -> None:
        self.rows = list(rows)
        self.loaded = True
        t = self.query_one("#queue", DataTable)
        keep = self._current().visit_id if self._current() is not None else None
        t.clear()
        for r in rows:
            due = two_lines(day(r.due) or "no due date", r.due_words if r.due else "",
                            "bold" if r.overdue else "")
            at = r.visit_at
            cells = [due, two_lines(r.child_name, r.child_reference),
                     two_lines(day(at.date()) if at else "no date", f"{at:%H:%M}" if at else ""),
                     cell(r.visit_type), badge_cell(r.author_name, r.author_needs_countersign)]
            if self.kind == "oversight":
                cells.append(cell(len(r.flags) if r.flags else "none"))
            t.add_row(*cells, key=str(r.visit_id), height=2)
        if keep is not None and any(r.visit_id == keep for r in rows):
            t.move_cursor(row=t.get_row_index(str(keep)), animate=False)
        status = self.query_one("#queue-status", Static)
        status.remove_class("-error")
        if not rows:
            status.update(line(EMPTY[self.kind]))
        else:
            n = len(rows)
            status.update(line(f"{n} record{'s' if n != 1 else ''} waiting. Press Enter to "
                               "open one."))
        self._detail()

    @on(DataTable.RowHighlighted, "#queue")
    def _detail(self) -> None:
        detail = self.query_one("#queue-detail", Static)
        row = self._current()
        if row is None:
            detail.add_class("-none")
            return
        lines: list[Content] = []
        if self.kind == "oversight":
            if row.flags:
                lines.append(line("Flags the oversight note must answer:", "bold"))
                for f in row.flags:
                    lines.append(Content.assemble(line(f"- {f.label}", "bold"),
                                                  ": " if f.detail else "",
                                                  line_text(f.detail)))
            else:
                lines.append(line("No flags on this record."))
        if row.author_needs_countersign:
            lines.append(line(f"{row.author_name} is an unqualified worker: their records need "
                              "a qualified countersign."))
        if not row.can_act:
            lines.append(line(row.why_not, "bold"))
        if not lines:
            detail.add_class("-none")
            return
        detail.update(Content("\n").join(lines))
        detail.remove_class("-none")

    # -- addenda (oversight queue) ----------------------------------------------------------
    def _show_addenda(self, rows: list) -> None:
        self.addenda = list(rows)
        t = self.query_one("#addenda", DataTable)
        t.clear()
        for a in rows:
            t.add_row(cell(f"{day(a.created_at.date())} {a.created_at:%H:%M} UTC"),
                      cell(a.child_name), cell(a.author_name), cell(a.reason),
                      key=str(a.id))
        n = len(rows)
        self.query_one("#addenda-status", Static).update(line(
            "No new addenda." if not n else
            f"{n} new addend{'a' if n != 1 else 'um'}: Enter reads the record with its "
            "addenda; k acknowledges the highlighted one."))
        self.refresh_bindings()

    def _current_addendum(self):
        if self.kind != "oversight" or not getattr(self, "addenda", None):
            return None
        t = self.query_one("#addenda", DataTable)
        if not t.row_count or t.cursor_row < 0:
            return None
        key = t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value
        return next((a for a in self.addenda if str(a.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge":
            return self._current_addendum() is not None
        return True

    @on(DataTable.RowSelected, "#addenda")
    def _open_addendum(self, event: DataTable.RowSelected) -> None:
        a = self._current_addendum()
        if a is not None:
            from recorder.tui.screens.visit import VisitScreen

            self.app.push_screen(VisitScreen(a.visit_id, self.actor))

    def action_acknowledge(self) -> None:
        from recorder.tui.screens.signing import PasswordDialog

        a = self._current_addendum()
        if a is None or self.actor is None:
            return

        def signed(password: str | None) -> None:
            if password:
                self._acknowledge(a.id, password)

        self.app.push_screen(PasswordDialog(
            "Addendum acknowledged",
            f"You confirm you have read the addendum by {a.author_name} to "
            f"{a.child_name}'s record."), signed)

    @work(thread=True, exclusive=True, group="acknowledge", exit_on_error=False)
    def _acknowledge(self, addendum_id: int, password: str) -> None:
        from recorder.services import addenda
        from recorder.services.errors import ServiceError

        assert self.actor is not None
        try:
            addenda.acknowledge(self.app.services, self.actor.id, addendum_id, password)
        except ServiceError as e:
            self.app.call_from_thread(self.notify, e.message, title="Not acknowledged",
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, "The addendum is acknowledged, with your "
                                  "signature.", title="Acknowledged", markup=False)
        self.app.call_from_thread(self.action_reload)

    def _current(self) -> "QueueRow | None":
        t = self.query_one("#queue", DataTable)
        if not t.row_count or t.cursor_row < 0 or t.cursor_row >= len(self.rows):
            return None
        key = t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value
        return next((r for r in self.rows if str(r.visit_id) == key), None)

    @on(DataTable.RowSelected, "#queue")
    def _open(self, event: DataTable.RowSelected) -> None:
        if not event.row_key.value:
            return
        vid = int(event.row_key.value)
        if self.kind == "countersign":
            from recorder.tui.screens.countersign import CountersignScreen

            self.app.push_screen(CountersignScreen(vid, self.actor))
        else:
            from recorder.tui.screens.oversight import OversightScreen

            self.app.push_screen(OversightScreen(vid, self.actor))
