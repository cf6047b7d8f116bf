"""Recording a contact about a child, or a police notification about a household (issue 13;
DOMAIN.md "Contacts, referrals and the chronology").

One form serves both: the children it is about are written one a line (a known child's
reference, or a child not yet known as "name, date of birth"); one child records one contact
(``services.contacts.record_contact``), several a household notification, one contact per
child, linked (``record_household_notification``). A police domestic-abuse notification also
has the incident date, the risk level and the children present. Saving runs in a thread
worker; a refusal says what is missing in words and keeps everything typed. The manager
decides the contact afterwards (the contacts list, through the signing dialog).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Header, Select, Static

from recorder.domain import contacts as C
from recorder.tui.calls import Outcome, run_call
from recorder.tui.dialogs.signing import steady_cursors
from recorder.tui.format import line
from recorder.tui.session import signed_in
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.text_input import Input, TextArea

SOURCE_CHOICES = [(f"{code} {name}", code) for code, name in C.SOURCES.items()]
RISK_CHOICES = [(name, key) for key, name in C.RISK_LEVELS.items()]


class ContactScreen(Screen[None]):
    """A new contact (or household notification): Ctrl+S records it."""

    HELP_TITLE = "Record a contact"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Record it",
            id="contact.save",
            tooltip="Record the contact (one for each child named); a manager decides it.",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="contact.back",
            tooltip="Go back without recording anything.",
        ),
    ]
    DEFAULT_CSS = """
    ContactScreen #contact-head { height: auto; padding: 0 1; background: $panel; }
    ContactScreen #contact-form { height: 1fr; padding: 0 1; }
    ContactScreen .label { margin-top: 1; text-style: bold; }
    ContactScreen .hint { color: $text-muted; }
    ContactScreen TextArea { height: 4; }
    ContactScreen #children { height: auto; max-height: 1fr; }  /* grows with each child */
    ContactScreen #da-fields { height: auto; }
    ContactScreen #da-fields.-hidden { display: none; }
    ContactScreen #contact-status { height: auto; max-height: 8; padding: 0 1; }
    ContactScreen #contact-status.-error { color: $text-error; background: $error-muted; }
    """

    def __init__(self, children: str = "", household: bool = False, about: str = "") -> None:
        super().__init__()
        self.children_text = children
        self.household = household
        self.about = about
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        title = (
            "Police notification about a household: one contact for each child"
            if self.household
            else f"Record a contact{f' about {self.about}' if self.about else ''}"
        )
        yield Static(line(title, "bold"), id="contact-head")
        now = self.app.services.now_local()  # type: ignore[attr-defined]
        with VerticalScroll(id="contact-form"):
            yield Static(line("Children the contact is about (one a line)"), classes="label")
            yield Static(
                line(
                    "A known child by their reference (C0001); a child not yet known as "
                    "name, date of birth (Zofia Nowak, 2019-03-02)."
                ),
                classes="hint",
            )
            yield TextArea(self.children_text, id="children")
            yield Static(line("Received (date and time)"), classes="label")
            yield Input(f"{now:%Y-%m-%d %H:%M}", id="received", compact=True)
            yield Static(line("Source (Children in need census)"), classes="label")
            yield Select(
                SOURCE_CHOICES,
                id="source",
                prompt="Choose the source",
                value="6" if self.household else Select.NULL,
                compact=True,
            )
            yield Static(line("Who made the contact (name, role, agency)"), classes="label")
            yield Input(id="referrer", compact=True, max_length=200)
            yield Checkbox(_da_label(self.household), self.household, id="da")
            with Vertical(id="da-fields", classes="" if self.household else "-hidden"):
                yield Static(line("Date of the incident (YYYY-MM-DD)"), classes="label")
                yield Input(id="incident", compact=True)
                yield Static(line("Risk level"), classes="label")
                yield Select(RISK_CHOICES, id="risk", prompt="Choose the risk level", compact=True)
                yield Static(line("Children present at the incident"), classes="label")
                yield Input(id="present", compact=True)
            yield Static(line("The concern, in the referrer's words"), classes="label")
            yield TextArea(id="concern")
            yield Static(line("What was checked (records, other agencies)"), classes="label")
            yield TextArea(id="checked")
        yield Static("", id="contact-status")
        yield Footer()

    def on_mount(self) -> None:
        steady_cursors(self)
        first = "#referrer" if self.children_text else "#children"
        self.query_one(first).focus()

    @on(Checkbox.Changed, "#da")
    def _da(self, event: Checkbox.Changed) -> None:
        self.query_one("#da-fields").set_class(not event.value, "-hidden")
        event.checkbox.label = _da_label(event.value)  # in words, not by colour alone

    def say(self, text: str, *, error: bool = True) -> None:
        status = self.query_one("#contact-status", Static)
        status.update(line(text))
        status.set_class(error, "-error")

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def _value(self, selector: str) -> str:
        w = self.query_one(selector)
        if isinstance(w, TextArea):
            return w.text
        if isinstance(w, Select):
            return "" if w.value is Select.NULL else str(w.value)
        return w.value  # type: ignore[attr-defined]

    def action_save(self) -> None:
        if self.busy:
            return
        kids, problems = C.parse_children(self._value("#children"))
        received = C.parse_when(self._value("#received"))
        if received is None:
            problems.append("Write when it was received as YYYY-MM-DD HH:MM.")
        da = self.query_one("#da", Checkbox).value
        incident = C.parse_day(self._value("#incident")) if da else None
        if da and self._value("#incident").strip() and incident is None:
            problems.append("Write the date of the incident as YYYY-MM-DD.")
        if problems:
            self.say("Not recorded. " + " ".join(problems))
            return
        assert received is not None
        ci = C.ContactInput(
            received_at=received,
            source_code=self._value("#source"),
            referrer=self._value("#referrer"),
            concern=self._value("#concern"),
            checked=self._value("#checked"),
            kind=C.ContactKind.DOMESTIC_ABUSE if da else C.ContactKind.CONTACT,
            incident_date=incident,
            risk_level=self._value("#risk") if da else "",
            children_present=self._value("#present") if da else "",
        )
        self._record(kids, ci)

    def _record(self, kids: list, ci: C.ContactInput) -> None:
        from recorder.services import contacts

        actor = signed_in(self)
        if actor is None:
            return
        svc = self.app.services  # type: ignore[attr-defined]
        who = [k if isinstance(k, str) else contacts.NewChild(k[0], k[1]) for k in kids]

        def call() -> list[int]:
            if len(who) == 1:
                return [contacts.record_contact(svc, actor.id, who[0], ci)]
            return contacts.record_household_notification(svc, actor.id, who, ci)

        self.busy = True
        self.say("Recording...", error=False)
        run_call(
            self, "Recording the contact", call, self._recorded, self._refused, group="contact"
        )

    def _recorded(self, ids: list[int]) -> None:
        self.busy = False
        n = len(ids)
        words = (
            "The contact is recorded; a manager of the child's team decides it."
            if n == 1
            else f"{n} contacts are recorded, one for each child, linked; a manager decides each."
        )
        self.app.notify(words, title="Contact recorded", markup=False)
        self.dismiss(None)

    def _refused(self, outcome: Outcome) -> None:
        self.busy = False
        self.say(f"Not recorded. {outcome.message}")


def _da_label(on: bool) -> str:
    return f"Police domestic-abuse notification: {'yes' if on else 'no'} (space to change)"
