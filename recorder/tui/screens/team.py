"""The team view (managers): per worker, records awaiting countersign and oversight, oversight
overdue and statutory visits overdue. Children allocated to a manager or to an unqualified
worker are listed apart and not counted as allocated to a social worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from recorder.tui import navigation, refresh
from recorder.tui.calls import Outcome, run_call
from recorder.tui.first_frame import DrawnWithData
from recorder.tui.format import badge_cell, cell, line, short_name
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.plain_table import PlainTable
from recorder.tui.widgets.supervision_due import overdue_line

if TYPE_CHECKING:
    from recorder.domain.roles import Actor
    from recorder.services.supervision import WorkerSupervision
    from recorder.services.team import ChildBrief, TeamView


def role_cell(role: str) -> Text:
    """ "Unqualified worker (student)" on two lines: the role, then the kind."""
    main, _, kind = role.partition(" (")
    text = cell(main)
    if kind:
        text.append("\n")
        text.append_text(cell("(" + kind))
    return text


def _count(n: int) -> object:
    return cell(n if n else "-", "bold" if n else "")


def _children(label: str, kids: "tuple[ChildBrief, ...]", with_worker: bool = True) -> Content:
    head = line(f"{label}: {len(kids)}", "bold")
    if not kids:
        return head
    names = "; ".join(
        f"{k.name} ({k.reference})" + (f", {k.worker}" if with_worker and k.worker else "")
        for k in kids
    )
    return Content.assemble(head, " - ", line(names))


class TeamScreen(DrawnWithData[None]):
    HELP_TITLE = "Team view"
    DEFAULT_CSS = """
    TeamScreen #team-body { padding: 0 1; }
    TeamScreen #team-title { margin-top: 1; text-style: bold; }
    TeamScreen #team-table { height: auto; max-height: 50vh; margin-top: 1; }
    TeamScreen #team-apart { height: auto; max-height: 12; margin-top: 1; padding: 0 1;
                             border: round $primary; }
    TeamScreen #team-status { margin-top: 1; color: $text-muted; }
    TeamScreen #team-status.-error { color: $text-error; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="team.back", tooltip="Go back to the home screen."),
        Binding(
            "ctrl+r",
            "reload",
            "Refresh",
            id="team.refresh",
            tooltip="Read the team's figures again.",
        ),
        Binding(
            "s",
            "supervise",
            "Supervision",
            id="team.supervise",
            tooltip="Record a supervision of the highlighted worker (signed with your password).",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.team: TeamView | None = None
        self.supervision: dict[int, WorkerSupervision] = {}
        self._showing_supervision = False
        self._early: Callable[[], None] | None = None  # an answer before the mount
        self._built = False

    @property
    def actor(self) -> "Actor | None":
        return signed_in(self)

    def compose(self) -> ComposeResult:
        # read while the screen is built: the wait for the store (the view's audit write)
        # overlaps its mounting; its first frame is drawn with the answer
        if self.actor is not None:
            self.hold_frames()
        self.action_reload()
        yield Header(show_clock=False)
        with VerticalScroll(id="team-body"):
            yield Static(line("Your team"), id="team-title")
            yield PlainTable(id="team-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="team-apart"):
                yield Static("", id="team-children")
            yield Static(line("Reading the team..."), id="team-status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one("#team-table", DataTable)
        t.header_height = 2
        for label, key in (
            ("Worker", "name"),
            ("Role", "role"),
            ("Children", "children"),
            ("Awaiting\ncountersign", "cs"),
            ("Awaiting\noversight", "ov"),
            ("Oversight\noverdue", "ov_late"),
            ("Statutory visits\noverdue", "stat_late"),
        ):
            t.add_column(Text(label), key=key)
        t.focus()
        self._built = True  # on_mount's tables are there: an answer can be shown
        if self._early is not None:
            early, self._early = self._early, None
            early()

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        if self.actor is not None:
            self._read(self.actor.id)

    def _read(self, actor_id: int) -> None:
        from recorder.services.team import team_view

        svc = self.app.services
        refresh.reading(self)
        run_call(
            self,
            "Reading the team",
            lambda: team_view(svc, actor_id),
            self._answered,
            self._failed,
            group="team",
        )

    # -- supervision due, and recording one ------------------------------------------
    def _read_supervision(self) -> None:
        from recorder.services.supervision import team_supervision

        if self.actor is None:
            return
        svc, actor_id = self.app.services, self.actor.id
        run_call(
            self,
            "Reading supervision dates",
            lambda: team_supervision(svc, actor_id),
            self._show_supervision,
            group="team-supervision",
        )

    def _show_supervision(self, dues: "dict[int, WorkerSupervision]") -> None:
        self.supervision = dict(dues)
        if self.team is not None:
            self._showing_supervision = True
            try:
                self._show(self.team)  # the line names who is due; the cursor stays
            finally:
                self._showing_supervision = False

    def action_supervise(self) -> None:
        t = self.query_one("#team-table", DataTable)
        if self.team is None or not t.row_count:
            return
        key = t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value
        w = next((w for w in self.team.workers if str(w.id) == key), None)
        if w is not None:
            navigation.supervision(self.app, w.id, w.name)

    def on_screen_resume(self) -> None:
        if self.team is not None:  # back from a supervision: its dates may have moved
            self._read_supervision()

    def _failed(self, outcome: Outcome) -> None:
        if not self._built:
            self._early = lambda: self._failed(outcome)
            return
        refresh.read_failed(self, outcome)
        self.draw_now()
        status = self.query_one("#team-status", Static)
        status.add_class("-error")
        again = " Press Ctrl+R to try again." if outcome.failed else ""
        status.update(line(outcome.message + again))

    def _answered(self, v: "TeamView") -> None:
        if not self._built:  # read faster than the screen was built: shown on mount
            self._early = lambda: self._show(v)
            return
        self._show(v)

    def _show(self, v: "TeamView") -> None:
        self.team = v
        title = f"Teams {v.team_name}" if len(v.team_names) > 1 else f"Team {v.team_name}"
        self.query_one("#team-title", Static).update(line(title, "bold"))
        t = self.query_one("#team-table", DataTable)
        restore = refresh.place(t)
        t.clear()
        for w in v.workers:
            t.add_row(
                badge_cell(short_name(w.name), w.needs_countersign),
                role_cell(w.role),
                cell(w.children),
                _count(w.awaiting_countersign),
                _count(w.awaiting_oversight),
                _count(w.oversight_overdue),
                _count(w.statutory_overdue),
                key=str(w.id),
                height=2,
            )
        restore()
        if not self._showing_supervision:
            self._read_supervision()  # every read of the team reads the dates again
        self.query_one("#team-children", Static).update(
            Content("\n").join(
                [
                    overdue_line({w.id: w.name for w in v.workers}, self.supervision),
                    *_actions_overdue(v),
                    line(f"Allocated to a social worker: {v.allocated_to_social_workers}", "bold"),
                    _children("Allocated to a manager", v.allocated_to_managers),
                    _children("Allocated to an unqualified worker", v.allocated_to_unqualified),
                    _children("Not allocated to anyone", v.unallocated, with_worker=False),
                ]
            )
        )
        status = self.query_one("#team-status", Static)
        status.remove_class("-error")
        status.update(
            line(
                "Press Enter on a worker to see their children and open any child's record. "
                "Children allocated to a manager or to an unqualified worker are "
                "counted apart, not as allocated to a social worker."
            )
        )
        self.draw_now()

    @on(DataTable.RowSelected, "#team-table")
    def _open_worker(self, event: DataTable.RowSelected) -> None:
        """Enter on a worker: their caseload, where Enter opens a child's record."""
        if self.team is None or not event.row_key.value:
            return
        worker_id = int(event.row_key.value)
        name = next((w.name for w in self.team.workers if w.id == worker_id), "")
        navigation.worker_caseload(self.app, worker_id, name)


def _actions_overdue(v: "TeamView") -> list[Content]:
    """ "Actions overdue: Sam Social, 2 actions overdue" (nothing when none is)."""
    late = [f"{w.name}, {w.actions_overdue_words}" for w in v.workers if w.actions_overdue]
    return [line("Actions overdue: " + "; ".join(late), "bold")] if late else []
