"""Home: who is signed in, and the children allocated to them (the caseload).

An administrator sees no case data at all (least privilege): accounts, teams, children and
allocations are managed from the command line.

The caseload is read once from the store in a thread worker; typing in the find field
filters the rows already read at once, and searches every other child the person may open
(``services.search``: their team's, and for a manager the teams they manage) in an exclusive
thread worker, whose matches are added under the caseload's, each labelled "not on your
caseload". One field for both: a worker covering for a colleague looks for a child by name
without knowing first whose caseload they are on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from recorder.domain.roles import COUNTERSIGN_BADGE, Actor
from recorder.domain.text import clean_line
from recorder.tui import navigation, refresh
from recorder.tui.calls import Outcome, run_call
from recorder.tui.format import cell, day, due_cell, line, short_name, two_lines
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.for_you import ForYou
from recorder.tui.widgets.plain_table import PlainTable
from recorder.tui.widgets.text_input import Input

if TYPE_CHECKING:
    from recorder.services.caseloads import CaseloadRow
    from recorder.services.search import ChildHit

ADMIN_NOTE = (
    "Administrators manage accounts, teams, children and allocations from the command line "
    "(run recorder --help), and cannot read case records."
)
COUNTERSIGN_EXPLAINED = "A registered social worker countersigns every record you submit."
FIND_PLACEHOLDER = "Find a child: type part of a name or reference"


def matches(row: CaseloadRow, query: str) -> bool:
    """The search's own rule (every word, case and accents folded), on a row already read."""
    from recorder.services.search import matches as search_matches

    return search_matches(row.name, row.reference, query)


def _held_by(row: CaseloadRow) -> str:
    held = f"held by {row.worker}" if row.worker else "not allocated to anyone"
    return f"you are co-worker; {held}" if row.co_worker else held


def _name_cell(row: CaseloadRow):
    """The child's name, and under it whose they are, or a referral to see (issue 13)."""
    under = [] if row.allocated_to_reader else [_held_by(row)]
    if row.referral_due:
        under.append(f"referral: see alone, {row.referral_due}")
    name = short_name(row.name)
    return two_lines(name, "; ".join(under)) if under else cell(name)


#: the Plan column of a child found beyond the caseload (its plan is not read for the search)
NOT_ON_CASELOAD = "not on caseload"


def _found_cell(hit: ChildHit):
    """A child found beyond the caseload: the name, and under it who holds them and where."""
    held = f"held by {hit.worker}" if hit.worker else "not allocated to anyone"
    team = f", {hit.team}" if hit.team else ""
    return two_lines(short_name(hit.name), f"{held}{team}")


def _with_found(words: str, shown: int, found: int, query: str) -> str:
    """The status line, with the children found beyond the caseload counted."""
    from recorder.services.search import LIMIT

    children = f"{found} child{'ren' if found != 1 else ''}"
    first = f" (the first {found})" if found >= LIMIT else ""
    if not shown:
        return (
            f"{children} you may open match '{clean_line(query.strip())}'{first}, none on "
            "your caseload. Press Enter to open a child's record."
        )
    return f"{words} Below them, {children} you may open, not on your caseload{first}."


def may_countersign_queue(actor: Actor) -> bool:
    """Offer the countersign queue? The domain's answer (registered worker or manager)."""
    from recorder.domain.workflow import may_countersign_for_team

    return bool(may_countersign_for_team(actor))


def may_oversee(actor: Actor) -> bool:
    """Offer the oversight queue and team view? The domain's answer (registered manager)."""
    from recorder.domain.workflow import may_oversee_team

    return bool(may_oversee_team(actor))


def may_record_contacts(actor: Actor) -> bool:
    """Offer "Record a contact"? The domain's answer for the actor's own or managed teams."""
    from recorder.domain.contacts import may_record_contact

    teams = {actor.team_id} | set(actor.managed_team_ids)
    return any(bool(may_record_contact(actor, t)) for t in teams if t is not None)


#: the caseload's columns; on a narrow screen (the app's -narrow, under 100 columns: 80x24) the
#: next statutory visit comes straight after the name, so that what is due or overdue is on
#: screen without scrolling
COLUMN_LABELS = {
    "reference": "Ref",
    "name": "Name",
    "age": "Age",
    "plan": "Plan",
    "last_visit": "Last visit",
    "next_due": "Next statutory visit",
    "drafts": "Drafts",
    "returned": "Returned",
}
WIDE_ORDER = ("reference", "name", "age", "plan", "last_visit", "next_due", "drafts", "returned")
NARROW_ORDER = ("reference", "name", "next_due", "last_visit", "plan", "age", "drafts", "returned")


class HomeScreen(Screen[None]):
    """The signed-in worker's start page: their caseload, soonest statutory visit first."""

    HELP_TITLE = "Home"
    #: the caseload has the focus from the first frame: Textual's default ("*") gave it to the
    #: find field as the screen was built and on_mount moved it to the table a frame later,
    #: styling both again and drawing every visible row of the table twice (issue 15)
    AUTO_FOCUS = "#children"
    DEFAULT_CSS = """
    HomeScreen #find {
        margin-top: 1;
        width: 72;
        max-width: 100%;
    }
    HomeScreen #attention { margin-top: 1; text-style: bold; }
    HomeScreen #attention.-none { display: none; }
    """
    BINDINGS = [
        Binding(
            "ctrl+o",
            "app.sign_out",
            "Sign out",
            id="home.sign_out",
            tooltip="Sign out and go back to the sign-in screen.",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Refresh",
            id="home.refresh",
            tooltip="Read your allocated children again.",
        ),
        Binding(
            "ctrl+f",
            "find",
            "Find a child",
            id="home.find",
            tooltip="Type part of a name or reference to narrow the list.",
        ),
        Binding(
            "f2",
            "countersign_queue",
            "Countersign queue",
            id="home.countersign_queue",
            tooltip="Your team's records waiting for a qualified countersign.",
        ),
        Binding(
            "f3",
            "oversight_queue",
            "Oversight queue",
            id="home.oversight_queue",
            tooltip="Your team's records waiting for management oversight.",
        ),
        Binding(
            "f4",
            "team",
            "Team view",
            id="home.team",
            tooltip="Per worker: records waiting, oversight and statutory visits overdue.",
        ),
        Binding(
            "f6",
            "record_contact",
            "Record a contact",
            id="home.record_contact",
            tooltip="A contact or a police notification about a child, known or not yet known.",
        ),
        Binding(
            "f7",
            "contacts",
            "Contacts",
            id="home.contacts",
            tooltip="Managers: contacts to decide, and referrers not told in time.",
        ),
        Binding(
            "f5",
            "for_you",
            "For you",
            id="home.for_you",
            tooltip="Your open directions: Enter on one marks it done with a note.",
        ),
    ]

    def __init__(self, first: Outcome | None = None, first_as_of: int | None = None) -> None:
        """``first``: home's read already made for the person signing in (navigation's
        ``signed_in_read``), the store as of change ``first_as_of`` (``store_generation``)."""
        super().__init__()
        self._first, self._first_as_of = first, first_as_of
        self._reading = False
        #: The caseload as last read (the command palette searches it too).
        self.rows: list[CaseloadRow] = []
        #: A manager's whole reach (every child of the teams they manage), which find and
        #: the command palette search; None for a worker, whose reach is their caseload.
        self.team_rows: list[CaseloadRow] | None = None
        #: what the search found for ``found_for`` (the find field's text it answered)
        self.found: list[ChildHit] = []
        self.found_for = ""
        #: the table's column widths for the whole caseload (found rows widen them a while)
        self._widths: dict = {}
        self._filled_for = ""
        self._early_read = False  # the caseload's read began as the screen was built
        self._early: Callable[[], None] | None = None  # its answer, if before the mount
        self._built = False
        #: the caseload table has its columns in NARROW_ORDER
        self._columns_narrow = False

    @property
    def actor(self) -> Actor:
        actor = signed_in(self)
        assert actor is not None, "the home screen is shown only after sign-in"
        return actor

    def compose(self) -> ComposeResult:
        a = self.actor
        if a.reads_cases:
            self._reading = self._early_read = True
            first, self._first = self._first, None
            if first is not None:  # read with the sign-in: shown as the screen mounts
                refresh.reading(self, as_of=self._first_as_of)
                if first.ok:
                    self._answered(first.value)
                else:
                    self._show_failure(first)
            else:
                # read while the screen is built: the caseload's read overlaps its mounting
                self._read_children()
        yield Header(show_clock=False)
        with Vertical(id="who"):
            yield Static(
                Content.from_markup("Signed in as [b]$name[/b]", name=clean_line(a.name)),
                id="who-name",
            )
            role = [line(a.role_label)]
            if a.registration_number:
                role.append(line(f"Social Work England registration {a.registration_number}"))
            yield Static(Content(" · ").join(role), id="who-role")
            if a.registration_problem:  # DOMAIN.md "Who uses it": an unverified registration
                yield Static(
                    f"Your Social Work England registration is unverified "
                    f"({a.registration_problem}): your records need a qualified countersign, "
                    "and you cannot countersign, sign off or hold cases until an administrator "
                    f"records a new check (recorder user check-registration {a.username} "
                    "--on DATE).",
                    id="unverified",
                    markup=False,
                )
            if a.needs_countersign:
                with Horizontal(id="badge-row"):
                    yield Static(COUNTERSIGN_BADGE, id="badge", markup=False)
                    yield Static(COUNTERSIGN_EXPLAINED, id="badge-why", markup=False)
            if may_oversee(a):  # escalated records and team managers' own, in words
                yield Static("", id="attention", classes="-none", markup=False)
        if a.reads_cases:
            yield ForYou(id="for-you")
            with Vertical(id="caseload"):
                yield Static("Your allocated children", id="caseload-title", markup=False)
                yield Input(
                    placeholder=FIND_PLACEHOLDER,
                    id="find",
                    compact=True,
                    tooltip="Narrows the list as you type. Down goes to the list.",
                )
                yield PlainTable(id="children", cursor_type="row", zebra_stripes=True)
                yield Static("Reading your children...", id="caseload-status", markup=False)
        else:
            yield Static(ADMIN_NOTE, id="admin-note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.actor.reads_cases:
            table = self.query_one("#children", DataTable)
            self._add_columns(table)
            table.focus()
        self._built = True  # on_mount's tables are there: an answer can be shown
        if self._early is not None:
            early, self._early = self._early, None
            early()

    def _narrow(self) -> bool:
        return self.has_class("-narrow")  # the app's HORIZONTAL_BREAKPOINTS

    def _add_columns(self, table: DataTable) -> None:
        self._columns_narrow = self._narrow()
        for key in NARROW_ORDER if self._columns_narrow else WIDE_ORDER:
            table.add_column(COLUMN_LABELS[key], key=key)

    def on_resize(self) -> None:
        """Crossing 100 columns puts the columns in the other order (see NARROW_ORDER)."""
        if not self.actor.reads_cases or not self._built:
            return
        if self._narrow() != self._columns_narrow:
            table = self.query_one("#children", DataTable)
            table.clear(columns=True)
            self._widths = {}
            self._add_columns(table)
            self._fill()

    def on_screen_resume(self) -> None:
        # first show, and back from a child (a new draft changes the counts)
        if self.actor.reads_cases:
            self.action_reload()

    def palette_children(self) -> list[CaseloadRow]:
        """What the command palette searches (no SQL per key): a manager's whole team, as
        last read, or the caseload."""
        return self.team_rows if self.team_rows is not None else self.rows

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "for_you":
            return self.actor.reads_cases and bool(
                self.query(ForYou) and self.query_one(ForYou).rows
            )
        if action in ("reload", "find"):
            return self.actor.reads_cases
        if action == "countersign_queue":
            return may_countersign_queue(self.actor)
        if action in ("oversight_queue", "team", "contacts"):
            return may_oversee(self.actor)
        if action == "record_contact":
            return may_record_contacts(self.actor)
        return True

    def system_commands(self):
        """What the command palette offers on this screen (the app asks)."""
        yield SystemCommand(
            "Sign out", "Sign out and go back to the sign-in screen", self.app.action_sign_out
        )
        if may_countersign_queue(self.actor):
            yield SystemCommand(
                "Countersign queue",
                "Your team's records waiting for a qualified countersign (F2)",
                self.action_countersign_queue,
            )
        if may_oversee(self.actor):
            yield SystemCommand(
                "Oversight queue",
                "Your team's records waiting for management oversight (F3)",
                self.action_oversight_queue,
            )
            yield SystemCommand(
                "Team view", "Per worker: records waiting and visits overdue (F4)", self.action_team
            )

    # -- countersign and oversight ------------------------------------------------------------
    def action_countersign_queue(self) -> None:
        navigation.queue(self.app, "countersign")

    def action_oversight_queue(self) -> None:
        navigation.queue(self.app, "oversight")

    def action_team(self) -> None:
        navigation.team(self.app)

    def action_record_contact(self) -> None:
        navigation.contact_form(self.app)

    def action_contacts(self) -> None:
        navigation.contacts(self.app)

    # -- the caseload -----------------------------------------------------------------------
    def action_reload(self) -> None:
        if self._early_read:  # the first show: its read began as the screen was built
            self._early_read = False
        else:
            # words, not a spinner: the read takes milliseconds, and a status says so
            self._reading = True
            status = self.query_one("#caseload-status", Static)
            if not self.rows:
                status.update(line("Reading your children..."))
            status.remove_class("-error")
            self._read_children()  # "For you" is read with it

    def action_for_you(self) -> None:
        self.query_one(ForYou).focus_list()

    def action_find(self) -> None:
        self.query_one("#find", Input).focus()

    def _read_children(self) -> None:
        svc, actor = self.app.services, self.actor
        refresh.reading(self)
        run_call(
            self,
            navigation.READING_CHILDREN,
            lambda: navigation.home_read(svc, actor),
            self._answered,
            self._show_failure,
            group="caseload",
        )

    def _answered(self, got: tuple) -> None:
        if not self._built:  # read faster than the screen was built: shown on mount
            self._early = lambda: self._show_children(got)
            return
        self._show_children(got)

    def _show_children(self, got: tuple) -> None:
        rows, team, waiting, for_you = got
        self.query_one(ForYou).show(for_you)
        self.rows = list(rows)
        self.team_rows = list(team) if team is not None else None
        self._reading = False
        if may_oversee(self.actor):
            shown = self.query_one("#attention", Static)
            shown.update(line(waiting))
            shown.set_class(not waiting, "-none")
        self._fill()

    def _fill(self) -> None:
        table = self.query_one("#children", DataTable)
        restore = refresh.place(table)
        query = self.query_one("#find", Input).value
        pool = self.team_rows if query.strip() and self.team_rows is not None else self.rows
        shown = [r for r in pool if matches(r, query)]
        ids = {r.id for r in pool}
        found = (
            [h for h in self.found if h.id not in ids]
            if query.strip() and self.found_for == query
            else []
        )
        if not self._filled_for.strip() and table.row_count:  # measured since it was drawn
            self._widths = {k: c.content_width for k, c in table.columns.items()}
        table.clear()
        for key, column in table.columns.items():  # the caseload's widths: steady as you
            column.content_width = self._widths.get(key, column.label.cell_len)  # type
        order = [column.value for column in table.columns]
        for r in shown:
            values = {
                "reference": cell(r.reference),
                "name": _name_cell(r),
                "age": cell(r.age),
                "plan": cell(r.plan),
                "last_visit": cell(day(r.last_visit) or "none"),
                "next_due": due_cell(r.next_due, r.due_words),
                "drafts": cell(r.drafts if r.drafts else "-"),
                "returned": cell(r.returned if r.returned else "-"),
            }
            table.add_row(*(values[k] for k in order), key=str(r.id), height=2)
        for h in found:
            # "not on caseload" after the name and age, where it is on screen at any width
            values = {
                "reference": cell(h.reference),
                "name": _found_cell(h),
                "age": cell(h.age),
                "next_due" if self._columns_narrow else "plan": cell(NOT_ON_CASELOAD),
            }
            table.add_row(*(values.get(k, cell("")) for k in order), key=str(h.id), height=2)
        restore()
        self._filled_for = query
        words = self._status(len(shown), query)
        if found:
            words = _with_found(words, len(shown), len(found), query)
        self.query_one("#caseload-status", Static).update(line(words))

    def _status(self, shown: int, query: str) -> str:
        total = len(self.rows)
        if query.strip() and self.team_rows is not None:
            q = clean_line(query.strip())
            if not shown:
                return f"No child of your team has a name or reference containing '{q}'."
            return (
                f"Showing {shown} of your team's {len(self.team_rows)} children matching "
                f"'{q}'. Clear the find field to see your own caseload."
            )
        if not total:
            return "No children are allocated to you."
        if query.strip() and shown != total:
            if not shown:
                return f"No child's name or reference contains '{clean_line(query.strip())}'."
            return (
                f"Showing {shown} of {total} children (filtered). Clear the find field to see all."
            )
        co = sum(1 for r in self.rows if r.co_worker)
        if co:  # a student's or trainee's children: held by a registered colleague (issue 12)
            held = total - co
            return (
                f"{held} child{'ren' if held != 1 else ''} allocated to you, and {co} you "
                "work on as co-worker. Press Enter to open a child's record."
            )
        if total == 1:
            return "1 child is allocated to you. Press Enter to open their record."
        return f"{total} children are allocated to you. Press Enter to open a child's record."

    def _show_failure(self, outcome: Outcome) -> None:
        if not self._built:
            self._early = lambda: self._show_failure(outcome)
            return
        self._reading = False
        refresh.read_failed(self, outcome)  # "For you" keeps what it showed: one failure, said once
        status = self.query_one("#caseload-status", Static)
        again = " Press Ctrl+R to try again." if outcome.failed else ""
        status.update(line(outcome.message + again))
        status.add_class("-error")

    # -- finding and opening ------------------------------------------------------------
    @on(Input.Changed, "#find")
    def _filter(self) -> None:
        self._fill()
        self._search(self.query_one("#find", Input).value)

    def _search(self, query: str) -> None:
        """Every other child the person may open whose name or reference matches, in an
        exclusive worker (one search at a time; an answer for older text is dropped)."""
        from recorder.services.search import find_children

        if not query.strip():
            self.found, self.found_for = [], ""
            return
        svc, actor_id = self.app.services, self.actor.id
        run_call(
            self,
            "Searching",
            lambda: find_children(svc, actor_id, query),
            lambda hits: self._found(query, hits),
            self._search_failed,
            group="search",
        )

    def _found(self, query: str, hits: list[ChildHit]) -> None:
        if query != self.query_one("#find", Input).value:
            return  # the text has changed since: a newer search is on its way
        pool = self.team_rows if self.team_rows is not None else self.rows
        ids = {r.id for r in pool}
        before = [h for h in self.found if h.id not in ids] if self.found_for == query else []
        self.found, self.found_for = list(hits), query
        if [h for h in hits if h.id not in ids] != before:
            self._fill()  # only when it adds (or takes away) a row: the table is not redrawn

    def _search_failed(self, outcome: Outcome) -> None:
        status = self.query_one("#caseload-status", Static)
        status.update(line(f"{outcome.message} (only your own children are shown)"))

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
        navigation.child(self.app, int(key))
