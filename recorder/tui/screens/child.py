"""A child: their profile, their visits, and "new visit record".

Opening a child is audited as a view (``recorder.services.caseloads.child_view``); the read
runs in a thread worker and is repeated whenever the screen comes back into view, so a draft
saved or submitted on the visit screen shows here at once.

Other screens (a visit, a note, a new case note) are opened through
:mod:`recorder.tui.navigation`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Static

from recorder.domain.text import clean_line
from recorder.tui import navigation, refresh
from recorder.tui.calls import Outcome, run_call
from recorder.tui.date_order import in_date_order
from recorder.tui.first_frame import DrawnWithData
from recorder.tui.format import (
    badge_cell,
    badge_content,
    cell,
    copy_kept_words,
    day,
    labelled,
    line,
    local_time,
    signature_words,
    two_lines,
    visit_type_label,
    when,
    yes_no,
)
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.paged import PagedTable, Row

if TYPE_CHECKING:
    from recorder.domain.roles import Actor
    from recorder.services.caseloads import ChildView

RETURNED_LABEL = "Returned for changes"
#: under 100 columns a visit's state in its first words, so the column is not cut
SHORT_STATES = {
    "draft": "Draft",
    "awaiting_countersign": "Awaiting countersign",
    "awaiting_oversight": "Awaiting oversight",
    "signed_off": "Signed off",
}


class ChildScreen(DrawnWithData[None]):
    """One child on the worker's caseload (or their team's)."""

    HELP_TITLE = "Child"
    DEFAULT_CSS = """
    ChildScreen #child-body {
        padding: 0 2;
    }
    ChildScreen #drafts-note {
        margin-top: 1;
        padding: 0 1;
        text-style: bold;
        color: $text-warning;
        background: $warning-muted;
        display: none;
    }
    ChildScreen #drafts-note.-shown {
        display: block;
    }
    ChildScreen #child-title {
        margin-top: 1;
        text-style: bold;
    }
    ChildScreen #profile {
        height: auto;
        margin-top: 1;
    }
    ChildScreen #visits-title {
        margin-top: 1;
        text-style: bold;
    }
    ChildScreen #visits {
        height: 1fr;
        min-height: 3;
    }
    ChildScreen #row-detail {
        height: auto;
        max-height: 6;
        margin-top: 1;
        padding: 0 1;
        border-left: vkey $success;
    }
    ChildScreen #row-detail.-none {
        display: none;
    }
    ChildScreen #child-status {
        margin-top: 1;
        color: $text-muted;
    }
    ChildScreen #child-status.-error {
        color: $text-error;
    }
    /* under 30 rows (80x24) the profile scrolls in 6 lines, so the visits keep the room */
    ChildScreen.-short #child-title { margin-top: 0; }
    ChildScreen.-short #profile { max-height: 6; }
    ChildScreen.-short #row-detail { max-height: 3; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="child.back", tooltip="Go back to your caseload."),
        Binding(
            "n",
            "new_visit",
            "New visit record",
            id="child.new_visit",
            tooltip="Start a new visit record for this child (a draft until submitted).",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Refresh",
            id="child.refresh",
            tooltip="Read this child's profile and visits again.",
        ),
        Binding(
            "o",
            "case_note",
            "Add oversight note",
            id="child.case_note",
            tooltip="Managers: add a management oversight note on this child's case.",
        ),
        Binding(
            "h",
            "chronology",
            "Chronology",
            id="child.chronology",
            tooltip="The child's chronology: every signed record, newest first, with filters.",
        ),
        Binding(
            "k",
            "contacts",
            "Contacts",
            id="child.contacts",
            tooltip="This child's contacts and their outcomes: N records a new one, managers "
            "decide them here.",
        ),
        Binding(
            "m",
            "visit_note",
            "Read oversight",
            id="child.visit_note",
            tooltip="Read the manager's oversight note on the highlighted signed-off visit.",
        ),
    ]

    def __init__(self, child_id: int) -> None:
        super().__init__()
        self.child_id = child_id
        self.child_view: ChildView | None = None
        self._reading = False
        self._starting = False
        self._read_on_resume = True
        self._status_said = ""
        self._early: Callable[[], None] | None = None  # an answer before the mount
        self._built = False

    @property
    def actor(self) -> Actor | None:
        return signed_in(self)

    def compose(self) -> ComposeResult:
        if self.child_view is None and self.actor is not None:
            # read while the screen is built: the wait for the store (the view's audit
            # write) overlaps its mounting; its first frame is drawn with the answer
            self._read_on_resume = False
            self.hold_frames()
            self.action_reload()
        yield Header(show_clock=False)
        with Vertical(id="child-body"):
            yield Static("", id="drafts-note")
            yield Static("Reading the child's record...", id="child-title", markup=False)
            with VerticalScroll(id="profile"):
                yield Static("", id="profile-fields")
            yield Static("Visits", id="visits-title", markup=False)
            # newest first, a page at a time: the rest go in as the cursor moves down
            yield PagedTable(id="visits", cursor_type="row", zebra_stripes=True)
            yield Static("", id="row-detail", classes="-none")
            yield Static("", id="child-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#visits", DataTable)
        table.add_column("Date", key="date")
        table.add_column("Type", key="type")
        table.add_column("State", key="state")
        table.add_column("Author", key="author")
        table.focus()
        self._built = True  # on_mount's tables are there: an answer can be shown
        if self._early is not None:
            early, self._early = self._early, None
            early()

    def on_screen_suspend(self) -> None:
        # Back from help or the command palette nothing has changed; back from a visit
        # record it may have. Each read is audited as a view, so read only when needed.
        self._read_on_resume = not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        if self._read_on_resume or (self.child_view is None and not self._reading):
            self._read_on_resume = False
            self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_visit":
            return None if self._starting else True
        if action == "visit_note":
            row = self._highlighted_visit()
            return True if row is not None and row.state == "signed_off" else None
        if action == "case_note":
            # the domain's answer, on the read model
            return self.child_view is not None and bool(self.child_view.may_add_case_note)
        if action == "contacts":
            return self.child_view is not None
        return True

    # -- reading --------------------------------------------------------------------
    def action_reload(self) -> None:
        if self.actor is None:
            self._show_failure("Sign in to read a child's record.")
            return
        self._reading = True
        self._read(self.actor.id)

    def _read(self, actor_id: int) -> None:
        from recorder.services.caseloads import child_view

        svc, child_id = self.app.services, self.child_id
        refresh.reading(self)
        run_call(
            self,
            "Reading the child's record",
            lambda: child_view(svc, actor_id, child_id),
            self._answered,
            self._failed,
            group="child",
        )

    def _failed(self, outcome: Outcome) -> None:
        if not self._built:
            self._early = lambda: self._failed(outcome)
            return
        refresh.read_failed(self, outcome)
        again = " Press Ctrl+R to try again." if outcome.failed else ""
        self._show_failure(outcome.message + again)

    def _answered(self, v: ChildView) -> None:
        if not self._built:  # read faster than the screen was built: shown on mount
            self._early = lambda: self._show(v)
            return
        self._show(v)

    def _show(self, v: ChildView) -> None:
        self.child_view = v
        self.refresh_bindings()  # the case-note key follows the view's may_add_case_note
        self._reading = False
        self.sub_title = ""
        self.query_one("#child-title", Static).update(
            Content.from_markup(
                "$name [dim]($ref)[/dim]", name=clean_line(v.name), ref=clean_line(v.reference)
            )
        )
        plan = v.plan
        if v.plan_start:
            plan += f", started {day(v.plan_start)}"
        if v.notified_on:
            plan += f", notified {day(v.notified_on)}"
        set_by = clean_line(v.frequency_set_by) or "the plan"
        if v.visit_every_working_days or v.seen_alone_every_working_days:
            every = []
            if v.visit_every_working_days:
                every.append(f"visits every {v.visit_every_working_days} working days")
            if v.seen_alone_every_working_days:
                every.append(f"seen alone every {v.seen_alone_every_working_days}")
            plan += f"; {', '.join(every)} (set by {set_by}, {day(v.frequency_set_on)})"
        if v.next_due:
            due = f"{day(v.next_due)} ({v.due_words})"
        else:
            due = v.due_words or "no statutory visits"
        fields = [
            ("Date of birth", f"{day(v.date_of_birth)} (age {v.age})"),
            ("Ethnicity", v.ethnicity or "not recorded"),
            ("Religion", v.religion or "not recorded"),
            ("First language", v.first_language or "not recorded"),
            ("Interpreter needed", yes_no(v.interpreter_needed)),
            ("Disability and communication needs", v.disability or "none recorded"),
            ("Plan", plan),
            *(
                [("Placement", f"{v.placement}, since {day(v.placement_start)}")]
                if v.placement
                else []
            ),
            ("Plan risks", "; ".join(v.plan_risks) if v.plan_risks else "none recorded"),
            ("Allocated worker", v.allocated_worker or "not allocated"),
            *([("Co-worker", ", ".join(v.co_workers))] if v.co_workers else []),
            ("Last signed-off statutory visit", day(v.last_visit) or "none yet"),
            ("Next statutory visit", due),
            *(
                [("Next seen alone", f"{day(v.seen_alone_due)} ({v.seen_alone_words})")]
                if v.seen_alone_due
                else []
            ),
            *([("Child not seen", v.not_seen)] if v.not_seen else []),
        ]
        if self.has_class("-short"):  # 80x24: the profile scrolls, so what is due comes first
            urgent = {"Next statutory visit", "Next seen alone", "Child not seen"}
            fields = [f for f in fields if f[0] in urgent] + [
                f for f in fields if f[0] not in urgent
            ]
        self.query_one("#profile-fields", Static).update(
            Content("\n").join(labelled(label, value) for label, value in fields)
        )

        actor_id = self.actor.id if self.actor else None
        mine = [s for s in v.visits if s.state == "draft" and s.author_id == actor_id]
        note = self.query_one("#drafts-note", Static)
        if mine:
            returned = sum(1 for s in mine if s.returned)
            text = (
                f"You have {len(mine)} draft{'s' if len(mine) != 1 else ''} in progress: "
                f"select {'it' if len(mine) == 1 else 'one'} to continue."
            )
            if returned:
                text += f" {returned} {'was' if returned == 1 else 'were'} returned for changes."
            note.update(line(text))
            note.add_class("-shown")
        else:
            note.update(line(""))
            note.remove_class("-shown")

        table = self.query_one("#visits", PagedTable)
        restore = refresh.place(table)
        # an unqualified author's badge goes under their name: rows are then two lines high,
        # with the date over the time, so the table still fits 120 columns
        tall = any(s.author_needs_countersign for s in v.visits)
        # a copy kept after a conflict says so under its state
        height = 2 if tall or any(s.copy_kept_at for s in v.visits) else 1
        today = self.app.services.now_local().date()
        narrow = self.has_class("-narrow")

        def at(moment: datetime | None):
            if not tall or moment is None:
                return cell(when(moment))
            return Text.assemble(cell(day(moment.date())), "\n", cell(f"{moment:%H:%M}"))

        def row(entry: tuple[str, Any]) -> Row:
            kind, item = entry
            if kind == "discussion":
                cells: tuple[Any, ...] = (
                    cell(day(item.held_on)),
                    cell("Supervision case discussion"),
                    cell("Signed"),
                    cell(item.manager_name),
                )
                return cells, f"sup-{item.id}", height
            if kind == "note":
                cells = (
                    at(self._local(item.created_at)),
                    cell("Oversight note (case)"),
                    cell("Signed"),
                    cell(item.manager_name),
                )
                return cells, f"note-{item.id}", height
            state = RETURNED_LABEL if item.returned else item.state_label
            state = SHORT_STATES.get(item.state, state) if narrow and not item.returned else state
            cells = (
                at(item.visit_at),
                cell(visit_type_label(item.visit_type)),
                two_lines(state, copy_kept_words(item.copy_kept_at, today), "bold")
                if item.copy_kept_at
                else cell(state, "bold" if item.state == "draft" else ""),
                badge_cell(item.author_name, item.author_needs_countersign),
            )
            return cells, str(item.id), height

        table.show(in_date_order(v.visits, v.notes, self._local, v.discussions), row)
        restore()
        self._row_detail()
        self.query_one("#child-status", Static).remove_class("-error")
        self._status_said = ""
        self._say_status()
        self.draw_now()

    def _say_status(self) -> None:
        """What the keys do here, and how much of a long list is in the table yet."""
        v, table = self.child_view, self.query_one("#visits", PagedTable)
        if v is None:
            return
        if not v.visits and not v.notes and not v.discussions:
            text = "No visits are recorded yet. Press n to start a new visit record."
        else:
            text = "Press Enter to open a visit, or n to start a new visit record."
        if table.hidden:
            text += (
                f" The newest {table.row_count} of {table.total} are listed: move down for more."
            )
        if text != self._status_said:
            self._status_said = text
            self.query_one("#child-status", Static).update(line(text))

    def _show_failure(self, message: str) -> None:
        self.draw_now()
        self._reading = False
        self._status_said = ""  # the error stays until the record is read again
        status = self.query_one("#child-status", Static)
        status.update(line(message))
        status.add_class("-error")
        if self.child_view is None:
            self.query_one("#child-title", Static).update(line("This child's record is not shown."))

    # -- actions -------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def action_new_visit(self) -> None:
        if self.actor is None or self._starting:
            return
        self._starting = True
        self.refresh_bindings()
        self.query_one("#child-status", Static).update(line("Starting a new visit record..."))
        navigation.new_visit(self.app, self.child_id, done=self._started)

    def _started(self) -> None:
        self._starting = False
        self.refresh_bindings()
        self.action_reload()  # the new draft is listed (the visit screen may be over this one)

    @on(DataTable.RowSelected, "#visits")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if not key:
            return
        if key.startswith("sup-"):
            d = self._discussion(int(key[4:]))
            if d is not None and self.child_view is not None:
                navigation.case_discussion(self.app, d, self.child_view.name)
            return
        if key.startswith("note-"):
            note = self._note(int(key[5:]))
            if note is not None and self.child_view is not None:
                navigation.oversight_note(self.app, note, self.child_view.name)
            return
        navigation.visit(self.app, int(key))

    def _local(self, moment: datetime) -> datetime:
        return local_time(moment)

    def _discussion(self, case_id: int):
        v = self.child_view
        return next((d for d in v.discussions if d.id == case_id), None) if v else None

    def _note(self, note_id: int):
        v = self.child_view
        return next((n for n in v.notes if n.id == note_id), None) if v else None

    @on(DataTable.RowHighlighted, "#visits")
    def _row_detail(self) -> None:
        detail = self.query_one("#row-detail", Static)
        table = self.query_one("#visits", DataTable)
        v = self.child_view
        key = None
        if v is not None and table.row_count and table.cursor_row >= 0:
            try:
                key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except Exception:  # noqa: BLE001
                key = None
        text: Content | None = None
        if key and key.startswith("sup-"):
            d = self._discussion(int(key[4:]))
            if d is not None:
                text = Content("\n").join(
                    [
                        Content.assemble(line("Decision:", "bold"), " ", line(d.decision)),
                        line(
                            f"Supervision of {d.worker_name} by {d.manager_name}; Enter reads it."
                        ),
                    ]
                )
        elif key and key.startswith("note-"):
            n = self._note(int(key[5:]))
            if n is not None:
                text = Content("\n").join(
                    [
                        Content.assemble(line("Decision:", "bold"), " ", line(n.decision)),
                        line(signature_words(n.signature)) if n.signature else line(""),
                    ]
                )
        elif key and v is not None:
            s = next((x for x in v.visits if str(x.id) == key), None)
            if s is not None and s.signatures:
                text = Content("\n").join(
                    [
                        Content.assemble(
                            line("Recorded by", "bold"),
                            " ",
                            badge_content(s.author_name, s.author_needs_countersign),
                        )
                    ]
                    + [line(g) for g in s.signatures]
                )
        self.refresh_bindings()
        if self.child_view is not None and self._status_said:
            self._say_status()  # the next page may have gone in
        if text is None:
            detail.update("")
            detail.add_class("-none")
        else:
            detail.update(text)
            detail.remove_class("-none")

    def _highlighted_visit(self):
        v = self.child_view
        if v is None or not self.is_mounted:
            return None
        table = self.query_one("#visits", DataTable)
        if not table.row_count or table.cursor_row < 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001
            return None
        return next((x for x in v.visits if str(x.id) == key), None)

    def action_visit_note(self) -> None:
        row = self._highlighted_visit()
        if row is None or row.state != "signed_off" or self.actor is None:
            return
        self._read_visit_note(self.actor.id, row.id, when(row.visit_at))

    def _read_visit_note(self, actor_id: int, visit_id: int, visit_when: str) -> None:
        from recorder.services.oversight import case_notes

        svc, child_id = self.app.services, self.child_id
        run_call(
            self,
            "Reading the oversight note",
            lambda: case_notes(svc, actor_id, child_id, visit_id=visit_id),
            lambda notes: self._show_visit_note(notes, visit_when),
            lambda outcome: self._show_failure(outcome.message),
            group="visit-note",
        )

    def _show_visit_note(self, notes, visit_when: str) -> None:
        if not notes or self.child_view is None:
            self._show_failure("This visit has no oversight note.")
            return
        navigation.oversight_note(
            self.app, notes[-1], self.child_view.name, about=f"the visit on {visit_when} to"
        )

    def action_chronology(self) -> None:
        name = self.child_view.name if self.child_view is not None else ""
        navigation.chronology(self.app, self.child_id, name)

    def action_case_note(self) -> None:
        v = self.child_view
        if v is None:
            return
        navigation.case_note(self.app, v.id, v.name, v.reference)

    def action_contacts(self) -> None:
        v = self.child_view
        if v is not None:
            navigation.contacts(self.app, v.id, v.name, v.reference, bool(v.may_record_contact))
