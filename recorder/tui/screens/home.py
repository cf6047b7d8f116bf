"""Home: who is signed in, and the children allocated to them.

An administrator sees no case data at all (least privilege): accounts, teams, children and
allocations are managed from the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

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



class HomeScreen(Screen[None]):
    """The signed-in worker's start page."""

    HELP_TITLE = "Home"
    BINDINGS = [
        Binding("ctrl+o", "app.sign_out", "Sign out", id="home.sign_out",
                tooltip="Sign out and go back to the sign-in screen."),
        Binding("ctrl+r", "reload", "Refresh", id="home.refresh",
                tooltip="Read your allocated children again."),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self._reading = False

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
                yield DataTable(id="children", cursor_type="row", zebra_stripes=True)
                yield Static("Reading your children...", id="caseload-status", markup=False)
        else:
            yield Static(ADMIN_NOTE, id="admin-note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.actor.reads_cases:
            table = self.query_one("#children", DataTable)
            table.add_column("Reference", key="reference")
            table.add_column("Name", key="name")
            table.add_column("Age", key="age")
            table.add_column("Plan", key="plan")
            table.focus()
            self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reload":
            return self.actor.reads_cases
        return True

    # -- the caseload -----------------------------------------------------------------------
    def action_reload(self) -> None:
        # words, not a spinner: the read takes milliseconds, and a status says what it is doing
        self._reading = True
        status = self.query_one("#caseload-status", Static)
        status.update(line("Reading your children..."))
        status.remove_class("-error")
        self._read_children()

    @work(thread=True, exclusive=True, group="caseload", exit_on_error=False)
    def _read_children(self) -> None:
        from recorder.services.children import caseload

        try:
            rows = caseload(self.app.services, self.actor.id)
        except Exception as e:  # noqa: BLE001 - words, never a traceback
            self.app.call_from_thread(
                self._show_failure,
                f"Could not read your children ({type(e).__name__}). Press Ctrl+R to try again.")
        else:
            self.app.call_from_thread(self._show_children, rows)

    def _show_children(self, rows: list[CaseloadRow]) -> None:
        table = self.query_one("#children", DataTable)
        table.clear()
        for r in rows:
            table.add_row(cell(r.reference), cell(r.name), cell(r.age), cell(r.plan),
                          key=str(r.id))
        self._reading = False
        if not rows:
            text = "No children are allocated to you."
        elif len(rows) == 1:
            text = "1 child is allocated to you."
        else:
            text = f"{len(rows)} children are allocated to you."
        self.query_one("#caseload-status", Static).update(line(text))

    def _show_failure(self, message: str) -> None:
        self._reading = False
        status = self.query_one("#caseload-status", Static)
        status.update(line(message))
        status.add_class("-error")
