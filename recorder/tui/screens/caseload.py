"""A worker's caseload, as their manager sees it from the team view: the children allocated
to them, soonest statutory visit first. Enter opens a child's record (the manager reads every
record of their team and may add a case note there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from recorder.tui import navigation, refresh
from recorder.tui.calls import Outcome, run_call
from recorder.tui.format import cell, day, due_cell, line, short_name, two_lines
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from recorder.services.caseloads import CaseloadRow


COLUMNS = (
    ("Ref", "reference"),
    ("Name", "name"),
    ("Age", "age"),
    ("Plan", "plan"),
    ("Last visit", "last_visit"),
    ("Next statutory visit", "next_due"),
)


class WorkerCaseloadScreen(Screen[None]):
    HELP_TITLE = "A worker's caseload"
    DEFAULT_CSS = """
    WorkerCaseloadScreen #worker-body { padding: 0 1; }
    WorkerCaseloadScreen #worker-title { margin-top: 1; text-style: bold; }
    WorkerCaseloadScreen #worker-children { height: 1fr; min-height: 3; margin-top: 1; }
    WorkerCaseloadScreen #worker-status { margin-top: 1; color: $text-muted; }
    WorkerCaseloadScreen #worker-status.-error { color: $text-error; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="worker.back", tooltip="Go back to the team view."),
        Binding(
            "ctrl+r",
            "reload",
            "Refresh",
            id="worker.refresh",
            tooltip="Read this worker's children again.",
        ),
    ]

    def __init__(self, worker_id: int, worker_name: str) -> None:
        super().__init__()
        self.worker_id = worker_id
        self.worker_name = worker_name
        self.rows: list[CaseloadRow] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="worker-body"):
            yield Static(line(f"Children allocated to {self.worker_name}"), id="worker-title")
            yield DataTable(id="worker-children", cursor_type="row", zebra_stripes=True)
            yield Static(line("Reading the caseload..."), id="worker-status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one("#worker-children", DataTable)
        for label, key in COLUMNS:
            t.add_column(label, key=key)
        t.focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        from recorder.services.caseloads import caseload

        actor = signed_in(self)
        if actor is None:
            return
        svc, worker_id = self.app.services, self.worker_id
        refresh.reading(self)
        run_call(
            self,
            "Reading the caseload",
            lambda: caseload(svc, actor.id, worker_id),
            self._show,
            self._failed,
            group="worker-caseload",
        )

    def _failed(self, outcome: Outcome) -> None:
        refresh.read_failed(self, outcome)
        status = self.query_one("#worker-status", Static)
        status.add_class("-error")
        again = " Press Ctrl+R to try again." if outcome.failed else ""
        status.update(line(outcome.message + again))

    def _show(self, rows: list[CaseloadRow]) -> None:
        self.rows = list(rows)
        self.loaded = True
        t = self.query_one("#worker-children", DataTable)
        restore = refresh.place(t)
        t.clear()
        for r in rows:
            t.add_row(
                cell(r.reference),
                two_lines(short_name(r.name), f"co-worker; held by {r.worker or 'nobody'}")
                if r.co_worker
                else cell(short_name(r.name)),
                cell(r.age),
                cell(r.plan),
                cell(day(r.last_visit) or "none"),
                due_cell(r.next_due, r.due_words),
                key=str(r.id),
                height=2,
            )
        restore()
        status = self.query_one("#worker-status", Static)
        status.remove_class("-error")
        n = len(rows)
        if not n:
            status.update(line(f"No children are allocated to {self.worker_name}."))
        else:
            status.update(
                line(
                    f"{n} child{'ren' if n != 1 else ''} allocated to {self.worker_name}. "
                    "Press Enter to open a child's record."
                )
            )

    @on(DataTable.RowSelected, "#worker-children")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            navigation.child(self.app, int(event.row_key.value))
