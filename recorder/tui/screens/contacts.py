"""Contacts as lists: one child's contacts (from the child's record), or a manager's contacts
to decide and referrers not told in time (from home). Enter on a contact waiting for a
decision opens the signing dialog with its one outcome; T records that the referrer was told
today. Every read is audited by the services (``services.contact_reads``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from recorder.domain.contacts import RISK_LEVELS, ContactKind
from recorder.tui.calls import Outcome, run_call
from recorder.tui.format import cell, labelled, line, two_lines
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from recorder.services.contact_reads import ContactView


def _when(v: ContactView) -> str:
    return f"{v.received_at:%-d %b %Y %H:%M}"


def _told(v: ContactView) -> str:
    if v.referrer_told_on is not None:
        return f"told {v.referrer_told_on:%-d %b %Y}"
    if v.outcome is None:
        return "-"
    return v.referrer_due.removeprefix("Referrer not told: ") or "not told"


class ContactsScreen(Screen[None]):
    """``child_id`` given: that child's contacts; else the manager's lists."""

    HELP_TITLE = "Contacts"
    BINDINGS = [
        Binding("escape", "back", "Back", id="contacts.back", tooltip="Go back."),
        Binding(
            "n",
            "new_contact",
            "Record a contact",
            id="contacts.new",
            tooltip="Record a new contact about this child.",
        ),
        Binding(
            "a",
            "addendum",
            "Add an addendum",
            id="contacts.addendum",
            tooltip="Correct or add to the highlighted decided contact (signed; it never changes).",
        ),
        Binding(
            "t",
            "told",
            "Referrer told today",
            id="contacts.told",
            tooltip="Record that the referrer was told the outcome today.",
        ),
        Binding(
            "ctrl+r", "reload", "Refresh", id="contacts.refresh", tooltip="Read the list again."
        ),
    ]
    DEFAULT_CSS = """
    ContactsScreen #contacts-title { padding: 0 1; text-style: bold; background: $panel; }
    ContactsScreen #contacts { height: 1fr; min-height: 3; }
    ContactsScreen #contact-detail { height: auto; max-height: 12; padding: 0 1;
                                     border-left: vkey $success; }
    ContactsScreen #contacts-status { padding: 0 1; color: $text-muted; }
    ContactsScreen #contacts-status.-error { color: $text-error; }
    """

    def __init__(
        self,
        child_id: int | None = None,
        child_name: str = "",
        child_reference: str = "",
        may_record: bool = False,
    ) -> None:
        super().__init__()
        self.child_id = child_id
        self.child_name = child_name
        self.child_reference = child_reference
        self.may_record = may_record
        self.rows: dict[str, ContactView] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        title = (
            f"Contacts about {self.child_name}"
            if self.child_id is not None
            else "Contacts to decide, and referrers not told in time"
        )
        yield Static(line(title), id="contacts-title")
        yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="contact-detail"):
            yield Static("", id="detail-text")
        yield Static(line("Reading the contacts..."), id="contacts-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#contacts", DataTable)
        for label, key in (
            ("Received", "received"),
            ("Child", "child"),
            ("Contact", "kind"),
            ("Outcome", "outcome"),
            ("Referrer", "told"),
        ):
            table.add_column(label, key=key)
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_contact":
            return self.child_id is not None and self.may_record
        return True

    def action_new_contact(self) -> None:
        from recorder.tui import navigation

        navigation.contact_form(self.app, self.child_reference, about=self.child_name)

    def action_reload(self) -> None:
        from recorder.services import contact_reads as R

        actor = signed_in(self)
        if actor is None:
            return
        svc, cid = self.app.services, self.child_id  # type: ignore[attr-defined]

        def read() -> list[ContactView]:
            if cid is not None:
                return R.contacts_for_child(svc, actor.id, cid)
            return R.contacts_awaiting_decision(svc, actor.id) + R.contacts_awaiting_referrer(
                svc, actor.id
            )

        run_call(self, "Reading the contacts", read, self._show, self._failed, group="contacts")

    def _show(self, views: list[ContactView]) -> None:
        table = self.query_one("#contacts", DataTable)
        table.clear()
        self.rows = {}
        for v in views:
            key = str(v.id)
            self.rows[key] = v
            kind = (
                "Domestic-abuse notification"
                if v.kind is ContactKind.DOMESTIC_ABUSE
                else f"{v.source_code} {v.source_name}"
            )
            table.add_row(
                cell(_when(v)),
                two_lines(v.child_name, v.child_reference),
                two_lines(kind, v.referrer),
                cell(v.outcome_label),
                cell(_told(v)),
                key=key,
                height=2,
            )
        n = len(views)
        if self.child_id is not None:
            words = "No contacts are recorded." if not n else f"{n} contact{'s' if n != 1 else ''}."
        else:
            waiting = sum(1 for v in views if v.outcome is None)
            words = (
                f"{waiting} to decide; {n - waiting} referrer{'s' if n - waiting != 1 else ''} "
                "not told in time."
            )
        self._say(words + " Enter decides one waiting; T records the referrer told today.")
        self._detail()

    def _failed(self, outcome: Outcome) -> None:
        self._say(outcome.message, error=True)

    def _say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#contacts-status", Static)
        status.update(line(text))
        status.set_class(error, "-error")

    def _current(self) -> ContactView | None:
        table = self.query_one("#contacts", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key or "")

    @on(DataTable.RowHighlighted, "#contacts")
    def _detail(self) -> None:
        v = self._current()
        text = self.query_one("#detail-text", Static)
        if v is None:
            text.update("")
            return
        parts = [
            labelled("Concern", v.concern),
            labelled("Checked", v.checked),
            labelled("Recorded by", v.recorded_by),
        ]
        if v.kind is ContactKind.DOMESTIC_ABUSE:
            incident = f"{v.incident_date:%-d %b %Y}" if v.incident_date else ""
            parts += [
                labelled("Incident", incident),
                labelled("Risk level", RISK_LEVELS.get(v.risk_level, v.risk_level)),
                labelled("Children present", v.children_present),
            ]
        if v.outcome is not None:
            parts.append(labelled("Decided by", f"{v.decided_by}: {v.outcome_label}"))
            parts.append(labelled("Reason", v.reason))
        for author, reason, words in v.addenda:
            parts.append(labelled(f"Addendum by {author}", f"{reason}: {words}"))
        text.update(Content("\n").join(parts))

    @on(DataTable.RowSelected, "#contacts")
    def action_decide(self) -> None:
        from recorder.services.contacts import decide_contact
        from recorder.tui.dialogs.contact import ContactDecisionDialog

        v, actor = self._current(), signed_in(self)
        if v is None or actor is None:
            return
        if v.outcome is not None:
            self._say(f"This contact is decided: {v.outcome_label}. A correction is an addendum.")
            return
        svc = self.app.services  # type: ignore[attr-defined]

        def sign(password: str, outcome: str, reason: str):
            return decide_contact(svc, actor.id, v.id, outcome, reason, password)

        def done(result) -> None:
            if result:
                alert = getattr(result, "alert_raised", False)
                self.app.notify(
                    "Decided and signed."
                    + (
                        " This is a repeated domestic-abuse notification: answer the alert "
                        "in an oversight note on the child's case."
                        if alert
                        else ""
                    ),
                    title="Contact decided",
                    markup=False,
                )
            self.action_reload()

        self.app.push_screen(ContactDecisionDialog(f"{v.child_name}, {_when(v)}", sign), done)

    def action_addendum(self) -> None:
        from recorder.services.contacts import add_contact_addendum
        from recorder.tui.dialogs.contact import ContactAddendumDialog

        v, actor = self._current(), signed_in(self)
        if v is None or actor is None:
            return
        if v.outcome is None:
            self._say("A contact waiting for its decision takes no addendum yet.")
            return
        svc = self.app.services  # type: ignore[attr-defined]

        def sign(password: str, reason: str, text: str):
            return add_contact_addendum(svc, actor.id, v.id, reason, text, password)

        def done(result) -> None:
            if result:
                self._say("The addendum is signed and shows under the contact.")
            self.action_reload()

        self.app.push_screen(ContactAddendumDialog(f"{v.child_name}, {_when(v)}", sign), done)

    def action_told(self) -> None:
        from recorder.services.contacts import record_referrer_told

        v, actor = self._current(), signed_in(self)
        if v is None or actor is None:
            return
        svc = self.app.services  # type: ignore[attr-defined]
        today = svc.today()

        def told(_ok) -> None:
            self._say(f"Recorded: the referrer was told on {today:%-d %b %Y}.")
            self.action_reload()

        run_call(
            self,
            "Recording the referrer told",
            lambda: record_referrer_told(svc, actor.id, v.id, today),
            told,
            self._failed,
            group="contacts-told",
        )
