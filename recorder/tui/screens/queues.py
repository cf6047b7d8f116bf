"""The countersign queue (registered workers and managers) and the oversight queue (managers):
the team's records waiting, soonest due first, due or overdue in words. Enter opens one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Static

from recorder.domain.signing import ACK_MEANING
from recorder.tui import navigation, refresh
from recorder.tui.calls import Outcome, run_call
from recorder.tui.dialogs.signing import SigningDialog
from recorder.tui.first_frame import DrawnWithData
from recorder.tui.format import badge_cell, cell, day, line, long_text, short_name, two_lines
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.plain_table import PlainTable

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


class QueueScreen(DrawnWithData[None]):
    """One of the two queues, chosen by ``kind``: "countersign" or "oversight"."""

    DEFAULT_CSS = """
    QueueScreen #queue-body { padding: 0 1; }
    QueueScreen #queue-title { margin-top: 1; text-style: bold; }
    QueueScreen #queue { height: auto; max-height: 50vh; margin-top: 1; }
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
        Binding("ctrl+r", "reload", "Refresh", id="queue.refresh", tooltip="Read the queue again."),
        Binding(
            "k",
            "acknowledge",
            "Acknowledge addendum",
            id="queue.acknowledge",
            tooltip="Sign that you have read the highlighted addendum (password asked).",
        ),
    ]

    def __init__(self, kind: str) -> None:
        super().__init__()
        assert kind in TITLES
        self.kind = kind
        self.rows: list[QueueRow] = []
        self.addenda: list = []
        self.loaded = False
        self._read_on_resume = True
        self._early: Callable[[], None] | None = None  # an answer before the mount
        self._built = False

    @property
    def HELP_TITLE(self) -> str:  # noqa: N802 - read by the help dialog
        return "Countersign queue" if self.kind == "countersign" else "Oversight queue"

    @property
    def actor(self) -> "Actor | None":
        return signed_in(self)

    def compose(self) -> ComposeResult:
        if self.actor is not None:
            # read while the screen is built: the wait for the store (the view's audit
            # write) overlaps its mounting; its first frame is drawn with the answer
            self._read_on_resume = False
            self.hold_frames()
            self.action_reload()
        yield Header(show_clock=False)
        with VerticalScroll(id="queue-body"):
            yield Static(line(TITLES[self.kind]), id="queue-title")
            yield PlainTable(id="queue", cursor_type="row", zebra_stripes=True)
            yield Static("", id="queue-detail", classes="-none")
            yield Static(line("Reading the queue..."), id="queue-status")
            if self.kind == "oversight":
                yield Static(line("New addenda to acknowledge"), id="addenda-title")
                yield PlainTable(id="addenda", cursor_type="row", zebra_stripes=True)
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
        self._built = True  # on_mount's tables are there: an answer can be shown
        if self._early is not None:
            early, self._early = self._early, None
            early()

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

    def _read(self, actor_id: int) -> None:
        from recorder.services import addenda, oversight

        svc, kind = self.app.services, self.kind
        refresh.reading(self)

        def read():
            if kind == "countersign":
                return oversight.countersign_queue(svc, actor_id), None
            return (oversight.oversight_queue(svc, actor_id), addenda.unacknowledged(svc, actor_id))

        run_call(self, "Reading the queue", read, self._read_done, self._failed, group="queue")

    def _read_done(self, got) -> None:
        if not self._built:  # read faster than the screen was built: shown on mount
            self._early = lambda: self._read_done(got)
            return
        rows, new_addenda = got
        if new_addenda is not None:
            self._show_addenda(new_addenda)
        self._show(rows)
        self.draw_now()

    def _failed(self, outcome: Outcome) -> None:
        if not self._built:
            self._early = lambda: self._failed(outcome)
            return
        refresh.read_failed(self, outcome)
        self.draw_now()
        status = self.query_one("#queue-status", Static)
        status.add_class("-error")
        again = " Press Ctrl+R to try again." if outcome.failed else ""
        status.update(line(outcome.message + again))

    def _show(self, rows: list["QueueRow"]) -> None:
        self.rows = list(rows)
        self.loaded = True
        t = self.query_one("#queue", DataTable)
        restore = refresh.place(t)
        t.clear()
        for r in rows:
            due = two_lines(
                (day(r.due) or "no due date") + (", escalated" if r.escalated else ""),
                r.due_words if r.due else "",
                "bold" if r.overdue else "",
            )
            at = r.visit_at
            child = two_lines(short_name(r.child_name), r.child_reference)
            for said in r.not_seen if r.not_seen[0] else ():  # issue 13: not seen, in words
                child.append("\n")
                child.append_text(cell(said, "bold"))
            cells = [
                due,
                child,
                two_lines(
                    day(at.date()) if at else "no date",
                    ", ".join(x for x in (f"{at:%H:%M}" if at else "", r.made_late) if x),
                ),
                cell(r.visit_type),
                badge_cell(short_name(r.author_name), r.author_needs_countersign),
            ]
            if self.kind == "oversight":
                cells.append(cell(len(r.flags) if r.flags else "none"))
            t.add_row(*cells, key=str(r.visit_id), height=4 if r.not_seen[0] else 2)
        restore()
        status = self.query_one("#queue-status", Static)
        status.remove_class("-error")
        if not rows:
            status.update(line(EMPTY[self.kind]))
        else:
            n = len(rows)
            status.update(
                line(f"{n} record{'s' if n != 1 else ''} waiting. Press Enter to open one.")
            )
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
                    lines.append(
                        Content.assemble(
                            line(f"- {f.label}", "bold"),
                            ": " if f.detail else "",
                            long_text(f.detail),
                        )
                    )
            else:
                lines.append(line("No flags on this record."))
        if row.author_needs_countersign:
            lines.append(
                line(
                    f"{row.author_name} is an unqualified worker: their records need "
                    "a qualified countersign."
                )
            )
        if row.note:  # escalated; a team manager's own record (for the service manager)
            lines.append(line(f"{row.team_name}: {row.note}" if row.team_name else row.note))
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
        restore = refresh.place(t)
        t.clear()
        for a in rows:
            t.add_row(
                cell(f"{day(a.created_at.date())} {a.created_at:%H:%M} UTC"),
                cell(short_name(a.child_name)),
                cell(short_name(a.author_name)),
                cell(a.reason),
                key=str(a.id),
            )
        restore()
        n = len(rows)
        self.query_one("#addenda-status", Static).update(
            line(
                "No new addenda."
                if not n
                else f"{n} new addend{'a' if n != 1 else 'um'}: Enter reads the record with its "
                "addenda; k acknowledges the highlighted one."
            )
        )
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
            navigation.visit(self.app, a.visit_id)

    def action_acknowledge(self) -> None:
        from recorder.services import addenda

        a, actor, svc = self._current_addendum(), self.actor, self.app.services
        if a is None or actor is None:
            return

        def signed(result) -> None:
            if result is not None:
                self.notify(
                    "The addendum is acknowledged, with your signature.",
                    title="Acknowledged",
                    markup=False,
                )
                self.action_reload()

        self.app.push_screen(
            SigningDialog(
                ACK_MEANING,
                f"You confirm you have read the addendum by {a.author_name} to "
                f"{a.child_name}'s record.",
                lambda password: addenda.acknowledge(svc, actor.id, a.id, password),
            ),
            signed,
        )

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
        navigation.review(self.app, self.kind, int(event.row_key.value))
