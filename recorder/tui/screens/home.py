"""Home: who is signed in, and the children allocated to them (the caseload).

An administrator sees no case data at all (least privilege): accounts, teams, children and
allocations are managed from the command line.

The caseload is read once from the store in a thread worker; typing in the find field
filters the rows already read (no SQL per keystroke), so it stays instant.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from recorder.domain.roles import COUNTERSIGN_BADGE, Actor
from recorder.domain.text import clean_line
from recorder.tui.text import cell, line

if TYPE_CHECKING:
    from recorder.services.children import CaseloadRow

ADMIN_NOTE = (
    "Administrators manage accounts, teams, children and allocations from the command line "
    "(run recorder --help), and cannot read case records."
)
COUNTERSIGN_EXPLAINED = "A registered social worker countersigns every record you submit."
FIND_PLACEHOLDER = "Find a child: type part of a name or reference"


def day(d: date | None) -> str:
    """A date as people write it: 12 Dec 2026 (no leading zero), or "" for none."""
    return f"{d.day} {d:%b %Y}" if d else ""


def next_visit_cell(next_due: date | None, due_words: str) -> Text:
    """The date on one line and the working days in words under it (so the table fits 120
    columns with long names); bold when overdue."""
    style = "bold" if due_words.startswith("overdue") else ""
    if next_due is None:
        return cell(due_words or "no statutory visits", style)
    text = cell(day(next_due), style)
    if due_words:
        text.append("\n")
        text.append_text(cell(due_words, style))
    return text


def matches(row: CaseloadRow, query: str) -> bool:
    q = query.strip().casefold()
    return not q or q in row.name.casefold() or q in row.reference.casefold()


def may_countersign_queue(actor: Actor) -> bool:
    """Offer the countersign queue? The domain's answer (registered worker or manager)."""
    from recorder.domain.workflow import may_countersign_for_team

    return bool(may_countersign_for_team(actor))


def may_oversee(actor: Actor) -> bool:
    """Offer the oversight queue and team view? The domain's answer (registered manager)."""
    from recorder.domain.workflow import may_oversee_team

    return bool(may_oversee_team(actor))


class HomeScreen(Screen[None]):
    """The signed-in worker's start page: their caseload, soonest statutory visit first."""

    HELP_TITLE = "Home"
    DEFAULT_CSS = """
    HomeScreen #find {
        margin-top: 1;
        width: 72;
        max-width: 100%;
    }
    """
    BINDINGS = [
        Binding("ctrl+o", "app.sign_out", "Sign out", id="home.sign_out",
                tooltip="Sign out and go back to the sign-in screen."),
        Binding("ctrl+r", "reload", "Refresh", id="home.refresh",
                tooltip="Read your allocated children again."),
        Binding("ctrl+f", "find", "Find a child", id="home.find",
                tooltip="Type part of a name or reference to narrow the list."),
        Binding("f2", "countersign_queue", "Countersign queue", id="home.countersign_queue",
                tooltip="Your team's records waiting for a qualified countersign."),
        Binding("f3", "oversight_queue", "Oversight queue", id="home.oversight_queue",
                tooltip="Your team's records waiting for management oversight."),
        Binding("f4", "team", "Team view", id="home.team",
                tooltip="Per worker: records waiting, oversight and statutory visits overdue."),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self._reading = False
        #: The caseload as last read (the command palette searches it too).
        self.rows: list[CaseloadRow] = []

    def compose(self) -> ComposeResult:
        a = self.actor
        yield Header(show_clock=False)
        with Vertical(id="who"):
            yield Static(Content.from_markup("Signed in as [b]$name[/b]", name=clean_line(a.name)),
                         id="who-name")
            role = [line(a.role_label)]
            if a.registration_number:
                role.append(line(f"Social Work England registration {a.registration_number}"))
            yield Static(Content(" · ").join(role), id="who-role")
            if a.needs_countersign:
                with Horizontal(id="badge-row"):
                    yield Static(COUNTERSIGN_BADGE, id="badge", markup=False)
                    yield Static(COUNTERSIGN_EXPLAINED, id="badge-why", markup=False)
        if a.reads_cases:
            with Vertical(id="caseload"):
                yield Static("Your allocated children", id="caseload-title", markup=False)
                yield Input(placeholder=FIND_PLACEHOLDER, id="find", compact=True,
                            tooltip="Narrows the list as you type. Down goes to the list.")
                yield DataTable(id="children", cursor_type="row", zebra_stripes=True)
                yield Static("Reading your children...", id="caseload-status", markup=False)
        else:
            yield Static(ADMIN_NOTE, id="admin-note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.actor.reads_cases:
            table = self.query_one("#children", DataTable)
            table.add_column("Ref", key="reference")
            table.add_column("Name", key="name")
            table.add_column("Age", key="age")
            table.add_column("Plan", key="plan")
            table.add_column("Last visit", key="last_visit")
            table.add_column("Next statutory visit", key="next_due")
            table.add_column("Drafts", key="drafts")
            table.add_column("Returned", key="returned")
            table.focus()

    def on_screen_resume(self) -> None:
        # first show, and back from a child (a new draft changes the counts)
        if self.actor.reads_cases:
            self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reload", "find"):
            return self.actor.reads_cases
        if action == "countersign_queue":
            return may_countersign_queue(self.actor)
        if action in ("oversight_queue", "team"):
            return may_oversee(self.actor)
        return True

    # -- countersign and oversight ------------------------------------------------------------
    def action_countersign_queue(self) -> None:
        from recorder.tui.screens.queues import QueueScreen

        self.app.push_screen(QueueScreen("countersign", self.actor))

    def action_oversight_queue(self) -> None:
        from recorder.tui.screens.queues import QueueScreen

        self.app.push_screen(QueueScreen("oversight", self.actor))

    def action_team(self) -> None:
        from recorder.tui.screens.team import TeamScreen

        self.app.push_screen(TeamScreen(self.actor))

    # -- the caseload -----------------------------------------------------------------------
    def action_reload(self) -> None:
        # words, not a spinner: the read takes milliseconds, and a status says what it is doing
        self._reading = True
        status = self.query_one("#caseload-status", Static)
        if not self.rows:
            status.update(line("Reading your children..."))
        status.remove_class("-error")
        self._read_children()

    def action_find(self) -> None:
        self.query_one("#find", Input).focus()

    @work(thread=True, exclusive=True, group="caseload", exit_on_error=False)
    def _read_children(self) -> None:
        from recorder.services.children import caseload
        from recorder.services.errors import ServiceError

        try:
            rows = caseload(self.app.services, self.actor.id)
        except ServiceError as e:
            self.app.call_from_thread(self._show_failure, e.message)
        except Exception as e:  # noqa: BLE001 - words, never a traceback
            self.app.call_from_thread(
                self._show_failure,
                f"Could not read your children ({type(e).__name__}). Press Ctrl+R to try again.")
        else:
            self.app.call_from_thread(self._show_children, rows)

    def _show_children(self, rows: list[CaseloadRow]) -> None:
        self.rows = list(rows)
        self._reading = False
        self._fill()

    def _fill(self) -> None:
        table = self.query_one("#children", DataTable)
        keep = None
        if table.row_count and table.cursor_row >= 0:
            try:
                keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except Exception:  # noqa: BLE001 - the cursor was on a row that has gone
                keep = None
        query = self.query_one("#find", Input).value
        shown = [r for r in self.rows if matches(r, query)]
        table.clear()
        for r in shown:
            table.add_row(
                cell(r.reference), cell(r.name), cell(r.age), cell(r.plan),
                cell(day(r.last_visit) or "none"),
                next_visit_cell(r.next_due, r.due_words),
                cell(r.drafts if r.drafts else "-"),
                cell(r.returned if r.returned else "-"),
                key=str(r.id), height=2)
        if keep is not None:
            try:
                table.move_cursor(row=table.get_row_index(keep), animate=False)
            except Exception:  # noqa: BLE001 - filtered out
                pass
        self.query_one("#caseload-status", Static).update(line(self._status(len(shown), query)))

    def _status(self, shown: int, query: str) -> str:
        total = len(self.rows)
        if not total:
            return "No children are allocated to you."
        if query.strip() and shown != total:
            if not shown:
                return f"No child's name or reference contains '{clean_line(query.strip())}'."
            return f"Showing {shown} of {total} children (filtered). Clear the find field to see all."
        if total == 1:
            return "1 child is allocated to you. Press Enter to open their record."
        return f"{total} children are allocated to you. Press Enter to open a child's record."

    def _show_failure(self, message: str) -> None:
        self._reading = False
        status = self.query_one("#caseload-status", Static)
        status.update(line(message))
        status.add_class("-error")

    # -- finding and opening ------------------------------------------------------------
    @on(Input.Changed, "#find")
    def _filter(self) -> None:
        self._fill()

    @on(Input.Submitted, "#find")
    def _open_first(self) -> None:
        table = self.query_one("#children", DataTable)
        if table.row_count:
            table.focus()
            self._open(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_key(self, event) -> None:
        # Down in the find field goes on to the list (keyboard first)
        if event.key == "down" and isinstance(self.focused, Input) and self.focused.id == "find":
            self.query_one("#children", DataTable).focus()
            event.stop()

    @on(DataTable.RowSelected, "#children")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def _open(self, key: str | None) -> None:
        if not key:
            return
        from recorder.tui.screens.child import ChildScreen

        self.app.push_screen(ChildScreen(int(key), self.actor))
