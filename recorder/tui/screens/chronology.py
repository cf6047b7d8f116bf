"""A child's chronology (issue 13, item 4): every signed record of the child in one table,
newest first, filtered by kind and date range by keyboard. Enter opens the record an entry
comes from (a visit read-only, a case note, a supervision discussion, a significant event; a
plan, placement or allocation is on the child's record, one Escape away). ``a`` adds a
significant event by hand, signed with the password again."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Select, Static

from recorder.domain.chronology import KINDS, SignificantEventInput, parse_day
from recorder.domain.signing import SIGNIFICANT_EVENT_MEANING
from recorder.tui import navigation, refresh
from recorder.tui.calls import Outcome, run_call
from recorder.tui.dialogs.signing import SigningDialog
from recorder.tui.format import cell, day, line, long_text
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.plain_table import PlainTable
from recorder.tui.widgets.text_input import Input, TextArea

if TYPE_CHECKING:
    from recorder.services.chronology import Chronology, Entry, Page

COLUMNS = (("Date", "date", 11), ("Kind", "kind", 22), ("Entry", "entry", 34), ("By", "by", 16))
DETAIL_CHARS = 90  # the Detail column shows the start; Enter opens the whole record
#: rows put in the table at a time: a DataTable measures every cell before it paints, so a
#: child with a thousand entries shows the newest page (what a 40-row terminal shows, and a
#: little more), the next page is added as the cursor reaches the last row, and m adds it too
PAGE = 40
ALL = "all"
#: what the table shows: a kind (or all), from, to
Filter = tuple[str, date | None, date | None]


def _kinds(kind: str) -> list[str] | None:
    return None if kind == ALL else [kind]


def _short(text: str) -> str:
    first = " ".join((text or "").split())
    return first if len(first) <= DETAIL_CHARS else first[: DETAIL_CHARS - 1].rstrip() + "…"


class ChronologyScreen(Screen[None]):
    HELP_TITLE = "The child's chronology"
    DEFAULT_CSS = """
    ChronologyScreen #chron-body { padding: 0 1; }
    ChronologyScreen #chron-title { margin-top: 1; text-style: bold; }
    ChronologyScreen #chron-filters { height: auto; margin-top: 1; }
    ChronologyScreen #chron-filters Static { width: auto; padding: 0 1 0 0; }
    ChronologyScreen #chron-kind { width: 30; }
    ChronologyScreen #chron-since, ChronologyScreen #chron-until { width: 16; margin-right: 2; }
    ChronologyScreen #chron-table { height: 1fr; margin-top: 1; }
    ChronologyScreen #chron-status { height: auto; color: $text-muted; }
    ChronologyScreen #chron-status.-error { color: $text-error; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="chronology.back", tooltip="Back to the child."),
        Binding(
            "f",
            "filter",
            "Filter",
            id="chronology.filter",
            tooltip="Choose a kind of entry, then Tab to the From and To dates.",
        ),
        Binding(
            "a",
            "add_event",
            "Add significant event",
            id="chronology.add_event",
            tooltip="Add a significant event to the chronology, signed with your password.",
        ),
        Binding(
            "m",
            "more",
            "More",
            id="chronology.more",
            tooltip="Show the next, older entries (the table holds a page at a time).",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Refresh",
            id="chronology.refresh",
            tooltip="Read the chronology again.",
        ),
    ]

    def __init__(self, child_id: int, child_name: str = "") -> None:
        super().__init__()
        self.child_id = child_id
        self.child_name = child_name
        self.chronology: Chronology | None = None  # the view as opened (and audited)
        self.shown: list[Entry] = []  # the entries of the filter read so far, newest first
        self.rows_shown = 0  # how many of them are in the table (all of them)
        self.after: Any = None  # where the filter's next page starts; None: no more
        self.matching = 0  # how many entries the filter lets through
        self._filter: Filter | None = None  # the filter the table shows
        self._firsts: dict[Filter, Page] = {}  # each filter's first page, read once a view
        self._asked = 0  # the latest read asked for; an older one's answer is dropped
        self._reading_more = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="chron-body"):
            yield Static(line(f"Chronology of {self.child_name}"), id="chron-title")
            with Horizontal(id="chron-filters"):
                yield Select(
                    [(Content("All kinds"), ALL)]
                    + [(Content(label), key) for key, label in KINDS.items()],
                    value=ALL,
                    allow_blank=False,
                    id="chron-kind",
                    compact=True,
                )
                yield Static(line("From"))
                yield Input(placeholder="e.g. 1 Sep 2026", id="chron-since", compact=True)
                yield Static(line("To"))
                yield Input(placeholder="e.g. 2026-12-31", id="chron-until", compact=True)
            yield PlainTable(id="chron-table", cursor_type="row", zebra_stripes=True)
            yield Static(line("Reading the chronology..."), id="chron-status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one("#chron-table", DataTable)
        for label, key, width in COLUMNS:
            t.add_column(label, key=key, width=width)
        t.add_column("Detail", key="detail")
        t.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        if refresh.stale(self):
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss()

    def action_filter(self) -> None:
        self.query_one("#chron-kind", Select).focus()

    def action_reload(self) -> None:
        """Open the chronology (audited as a view): the first page of the filter shown, as
        many rows as the person had paged to, and the count of each kind."""
        from recorder.services.chronology import chronology

        actor = signed_in(self)
        if actor is None:
            return
        svc, child_id = self.app.services, self.child_id
        wanted, problem = self._wanted()
        kinds, since, until = _kinds(wanted[0]), wanted[1], wanted[2]
        limit = max(PAGE, self.rows_shown)
        asked = self._ask()
        refresh.reading(self)
        run_call(
            self,
            "Reading the chronology",
            lambda: chronology(
                svc, actor.id, child_id, kinds, since, until, limit=limit, by_kind=True
            ),
            lambda chron: self._show(chron, wanted, asked),
            self._failed,
            group="chronology",
        )

    def _ask(self) -> int:
        self._asked += 1
        self._reading_more = False
        return self._asked

    def _failed(self, outcome: Outcome) -> None:
        refresh.read_failed(self, outcome)
        again = " Press Ctrl+R to try again." if outcome.failed else ""
        self._status(outcome.message + again, error=True)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#chron-status", Static)
        status.set_class(error, "-error")
        status.update(line(text))

    def _show(self, chron: Chronology, wanted: Filter, asked: int) -> None:
        from recorder.services.chronology import Page

        self.chronology = chron
        self.child_name = chron.child_name
        self.query_one("#chron-title", Static).update(
            line(f"Chronology of {chron.child_name} ({chron.reference})")
        )
        # each kind's first page came with it: choosing a kind reads nothing more
        self._firsts = {(kind, None, None): p for kind, p in chron.firsts.items()}
        first = Page(chron.entries, chron.after, chron.matching)
        self._firsts[wanted] = first
        if asked != self._asked:  # the filter changed while it was read: show that one
            self._filter = None
            self._filter_changed(None)
            return
        self._apply(wanted, first)

    # -- filtering: each filter's pages are read in SQL ---------------------------------------
    def _bounds(self) -> tuple[date | None, date | None, str]:
        since_text = self.query_one("#chron-since", Input).value.strip()
        until_text = self.query_one("#chron-until", Input).value.strip()
        since, until, problem = parse_day(since_text), parse_day(until_text), ""
        if since_text and since is None:
            problem = f"From: '{since_text}' is not a date like 1 Sep 2026 or 2026-09-01."
        elif until_text and until is None:
            problem = f"To: '{until_text}' is not a date like 31 Dec 2026 or 2026-12-31."
        elif since and until and since > until:
            problem = "The From date is after the To date."
            since = until = None
        return since, until, problem

    def _wanted(self) -> tuple[Filter, str]:
        """The filter the fields ask for (a date that is not one yet is left out) and what is
        wrong with them, in words."""
        kind = self.query_one("#chron-kind", Select).value
        since, until, problem = self._bounds()
        return (str(kind) if kind in KINDS else ALL, since, until), problem

    def _apply(self, wanted: Filter, first: Page) -> None:
        """Show the first page of ``wanted``: the table's rows replaced."""
        self._filter = wanted
        self.shown = list(first.entries)
        self.after = first.after
        self.matching = first.matching if first.matching is not None else len(self.shown)
        t = self.query_one("#chron-table", DataTable)
        restore = refresh.place(t)
        t.clear()
        self.rows_shown = 0
        self._add_rows()
        restore()
        self._problem = self._wanted()[1]
        self._say_counts()

    _offered: tuple[bool, bool] = (False, False)
    _problem = ""

    def _add_rows(self) -> None:
        t = self.query_one("#chron-table", DataTable)
        for i in range(self.rows_shown, len(self.shown)):
            e = self.shown[i]
            t.add_row(
                cell(day(e.on)),
                cell(e.kind_label),
                cell(e.title),
                cell(e.who),
                cell(_short(e.summary)),
                key=str(i),
            )
        self.rows_shown = len(self.shown)

    def _say_counts(self) -> None:
        chron = self.chronology
        if chron is None:
            return
        # m is offered while older entries are not shown, a once the reader may add an event
        more = self.after is not None
        offered = (more, chron.may_add_event)
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()  # (the footer is built again: only when it changes)
        if self._problem:
            self._status(self._problem, error=True)
            return
        n, total, rows = self.matching, chron.total, self.rows_shown
        add = " Press a to add a significant event." if chron.may_add_event else ""
        if not total:
            self._status("Nothing on the chronology yet." + add)
        elif not n:
            self._status(f"No entries match the filter (of {total}).")
        elif more:
            self._status(
                f"The newest {rows} of {n} entries{'' if n == total else ' that match'}; "
                "press m for more. Enter opens the record." + add
            )
        else:
            of = "" if n == total else f" of {total}"
            self._status(f"{n}{of} entries, newest first. Enter opens the record." + add)

    def action_more(self) -> None:
        """The next, older page of the filter shown, read in SQL after the last row."""
        from recorder.services.chronology import page

        actor, view, wanted = signed_in(self), self.chronology, self._filter
        if actor is None or view is None or wanted is None or self.after is None:
            return
        if self._reading_more:
            return
        self._reading_more = True
        svc, after, asked = self.app.services, self.after, self._asked
        kinds, since, until = _kinds(wanted[0]), wanted[1], wanted[2]

        def add(next_page: Page) -> None:
            if asked != self._asked or after is not self.after:
                return  # another filter, or a reload, since it was asked
            self._reading_more = False
            self.shown.extend(next_page.entries)
            self.after = next_page.after
            self._add_rows()
            self._say_counts()

        def failed(outcome: Outcome) -> None:
            self._reading_more = False
            self._failed(outcome)

        run_call(
            self,
            "Reading more of the chronology",
            lambda: page(svc, actor.id, view, kinds, since, until, after, limit=PAGE),
            add,
            failed,
            group="chronology-more",
        )

    @on(DataTable.RowHighlighted, "#chron-table")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        """The cursor on the last row shown: the next, older page is read and added, so the
        arrow keys and Page Down go on through the whole chronology."""
        if event.cursor_row >= self.rows_shown - 1:
            self.action_more()

    @on(Select.Changed, "#chron-kind")
    @on(Input.Changed, "#chron-since")
    @on(Input.Changed, "#chron-until")
    def _filter_changed(self, _event: Any) -> None:
        """Another filter: its first page read in SQL (once a view: going back to a filter
        shows what it read), counted only when a date range makes the kinds' counts not
        enough. A key that leaves the filter as it was (a date half typed) reads nothing."""
        from recorder.services.chronology import Page, page

        view, actor = self.chronology, signed_in(self)
        if view is None or actor is None:
            return  # the chronology is still being opened: it is read with the filter then
        wanted, problem = self._wanted()
        if wanted == self._filter:
            self._problem = problem
            self._say_counts()
            return
        cached = self._firsts.get(wanted)
        if cached is not None:
            self._ask()
            self._apply(wanted, cached)
            return
        kind, since, until = wanted
        kinds = _kinds(kind)
        count = since is not None or until is not None
        known = view.total if kind == ALL else view.counts.get(kind, 0)
        if not count and not known:  # nothing of that kind: nothing to read
            self._ask()
            self._apply(wanted, Page((), None, 0))
            return
        svc, asked = self.app.services, self._ask()

        def show(first: Page) -> None:
            if asked != self._asked:
                return  # the filter changed again meanwhile
            if first.matching is None:
                first = Page(first.entries, first.after, known)
            self._firsts[wanted] = first
            self._apply(wanted, first)

        run_call(
            self,
            "Reading the chronology",
            lambda: page(svc, actor.id, view, kinds, since, until, limit=PAGE, count=count),
            show,
            self._failed,
            group="chronology",
        )

    @on(Input.Submitted)
    def _to_table(self, _event: Input.Submitted) -> None:
        self.query_one("#chron-table", DataTable).focus()

    # -- opening an entry's record -------------------------------------------------------------
    @on(DataTable.RowSelected, "#chron-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None or not key.isdigit() or int(key) >= len(self.shown):
            return
        e = self.shown[int(key)]
        if e.source_kind == "visit":
            navigation.visit(self.app, e.source_id)
        elif e.source_kind in ("event", "contact"):  # the entry holds the whole record
            self.app.push_screen(EventScreen(e, self.child_name))
        elif e.source_kind in ("case_note", "supervision"):
            self._open_from_child_record(e)
        else:
            self.notify(
                f"{e.title}: this is on {self.child_name}'s record (press Escape to see it).",
                title="Chronology",
                markup=False,
            )

    def _open_from_child_record(self, e: Entry) -> None:
        """A case note or a supervision discussion, as the child's record holds it."""
        from recorder.services.caseloads import child_view

        actor = signed_in(self)
        if actor is None:
            return
        svc, child_id = self.app.services, self.child_id

        def show(view: Any) -> None:
            if e.source_kind == "case_note":
                note = next((n for n in view.notes if n.id == e.source_id), None)
                if note is not None:
                    navigation.oversight_note(self.app, note, view.name)
                    return
            else:
                d = next((d for d in view.discussions if d.supervision_id == e.source_id), None)
                if d is not None:
                    navigation.case_discussion(self.app, d, view.name)
                    return
            self.notify("That record is no longer on the child's record.", markup=False)

        run_call(
            self,
            "Opening the record",
            lambda: child_view(svc, actor.id, child_id),
            show,
            group="chronology-open",
        )

    # -- a significant event added by hand ---------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_event":
            return self.chronology is not None and self.chronology.may_add_event
        if action == "more":
            return self.after is not None  # hidden when everything is shown
        return True

    def action_add_event(self) -> None:
        from recorder.services.chronology import add_significant_event

        actor = signed_in(self)
        if actor is None or self.chronology is None or not self.chronology.may_add_event:
            return
        svc, child_id = self.app.services, self.child_id

        def sign(password: str, **f: str) -> int:
            return add_significant_event(svc, actor.id, child_id, event_of(f), password)

        def answered(result: Any) -> None:
            if result is None:
                self._status("Not signed: you cancelled.")
                return
            self.notify(
                f"Significant event signed on {self.child_name}'s chronology.",
                title="Signed",
                markup=False,
            )
            self.action_reload()

        self.app.push_screen(EventDialog(self.child_name, sign), answered)


def event_of(f: dict[str, str]) -> SignificantEventInput:
    """The dialog's fields as an event; a date that is not one is refused in words."""
    from recorder.services.errors import InvalidInput

    when = parse_day(f.get("occurred_on", ""))
    if when is None:
        raise InvalidInput("When did it happen? Type a date like 20 Nov 2026 or 2026-11-20.")
    return SignificantEventInput(when, f.get("what", ""), f.get("source", ""), f.get("impact", ""))


class EventDialog(SigningDialog):
    """A significant event: when, what happened, the source and the impact on the child
    (required), signed with the password again."""

    HELP_TITLE = "Add a significant event"

    def __init__(self, child_name: str, sign: Any) -> None:
        super().__init__(
            SIGNIFICANT_EVENT_MEANING,
            f"A significant event on {child_name}'s chronology. The impact on the child is "
            "required. Type your password to sign it; it cannot be changed afterwards.",
            sign,
        )

    def compose_fields(self) -> ComposeResult:
        yield Static(line("When it happened"), classes="label")
        yield Input(placeholder="e.g. 20 Nov 2026", id="event-when", compact=True)
        yield Static(line("What happened"), classes="label")
        yield Input(id="event-what", compact=True)
        yield Static(line("Source (who told us, or where it is recorded)"), classes="label")
        yield Input(id="event-source", compact=True)
        yield Static(line("Impact on the child"), classes="label")
        yield TextArea(id="event-impact", soft_wrap=True, show_line_numbers=False)

    def fields(self) -> dict[str, str]:
        return {
            "occurred_on": self.query_one("#event-when", Input).value,
            "what": self.query_one("#event-what", Input).value,
            "source": self.query_one("#event-source", Input).value,
            "impact": self.query_one("#event-impact", TextArea).text,
        }

    def first_field(self):
        return self.query_one("#event-when", Input)

    def refused(self) -> None:
        self.query_one("#event-when", Input).focus()


class EventScreen(ModalScreen[None]):
    """A significant event or a decided contact, read-only, as the chronology read it."""

    HELP_TITLE = "A chronology entry"
    DEFAULT_CSS = """
    EventScreen { align: center middle; }
    EventScreen > #event-box { width: 90; max-width: 100%; height: auto; max-height: 100%;
                               border: thick $primary; background: $surface; padding: 0 1; }
    EventScreen .heading { text-style: bold; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="event.close", tooltip="Back to the chronology."),
    ]

    def __init__(self, entry: Entry, child_name: str) -> None:
        super().__init__()
        self.entry = entry
        self.child_name = child_name

    def compose(self) -> ComposeResult:
        e = self.entry
        with VerticalScroll(id="event-box", can_focus=True):
            yield Static(line(f"{e.kind_label} on {day(e.on)}"), classes="heading")
            yield Static(line(e.title))
            yield Static(line("Details"), classes="heading")
            yield Static(long_text(e.summary))
            signed = "Decided and signed" if e.kind == "contact" else "Recorded and signed"
            yield Static(line(f"{signed} by {e.who}"), classes="heading")
            yield Static(line("Press Escape to go back."))

    def on_mount(self) -> None:
        self.query_one("#event-box").focus()

    def action_close(self) -> None:
        self.dismiss()
