"""Sign-in: username, password, and (on a demo store) the demo accounts to try.

The password check (argon2, 50 ms or more) runs in a thread worker; its answer comes back
as a message. A refusal shows the service's own words in the status line, clears the
password and keeps the username.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from recorder.domain.text import clean_line
from recorder.tui import navigation
from recorder.tui.calls import run_call
from recorder.tui.format import cell, line
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.text_input import Input

if TYPE_CHECKING:  # DataTable is imported only for the demo's accounts (first paint, issue 15)
    from textual.widgets import DataTable

    from recorder.domain.roles import Actor

OPENING = "Opening the store..."


class SignInScreen(Screen[None]):
    """Who are you? The first screen, painted before the store is open."""

    HELP_TITLE = "Sign in"
    AUTO_FOCUS = "#username"
    BINDINGS = [
        # A priority binding runs in key order, before the keys after it are delivered, so
        # "user<Enter>password<Enter>" typed ahead (or pasted) lands in the right fields.
        Binding(
            "enter",
            "next_field",
            "Sign in",
            id="signin.enter",
            priority=True,
            tooltip="In the username, Enter moves to the password; in the password it signs in.",
        ),
    ]

    class SignedIn(Message):
        """The password was right: the app moves on to the home screen."""

        def __init__(self, actor: Actor, first: Any = None, first_as_of: int | None = None):
            super().__init__()
            self.actor = actor
            #: home's read, made in the same worker once the password was checked
            self.first, self.first_as_of = first, first_as_of

    class Refused(Message):
        """The service said no; ``message`` is its explanation, in words."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, demo_accounts: list[Any] | None = None) -> None:
        super().__init__()
        self.demo_accounts = demo_accounts
        self._busy = False
        #: Enter was pressed before the store was open: sign in as soon as it is
        self._pending = False

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        blink = getattr(self.app, "cursor_blink", True)
        yield Header(show_clock=False)
        with VerticalScroll(id="signin-body"):
            # alone, the form is centred by #signin-body's align (app.tcss); beside the demo's
            # wider table each is centred in a Center of its own (issue 15: a store's sign-in
            # has two widgets fewer before its first paint)
            with Center() if self.demo_accounts else nullcontext(), Vertical(id="signin-form"):
                yield Static("Sign in to recorder", id="signin-title")
                yield Static("Username", classes="field-label")  # not Label: one stylesheet less
                # the fields take keys at once, while the store opens: what a quick typist
                # types in the first second is kept, and Enter signs in when the store is open
                username = Input(id="username", placeholder="Your username", select_on_focus=False)
                username.cursor_blink = blink
                yield username
                yield Static("Password", classes="field-label")
                password = Input(
                    id="password",
                    password=True,
                    placeholder="Your password",
                    select_on_focus=False,
                )
                password.cursor_blink = blink
                yield password
                yield Button("Sign in", id="sign-in", variant="primary")
                yield Static(line(OPENING), id="status", classes="-working")
            if self.demo_accounts:
                from textual.widgets import DataTable

                from recorder.tui.widgets.tables import steady_headers

                steady_headers()  # before the app's first table (tables.py)
                with Center(), Vertical(id="demo"):
                    yield Static(
                        "Demo accounts: this is a throwaway demo store. Select a row to fill "
                        "in the form.",
                        id="demo-title",
                        markup=False,
                    )
                    yield DataTable(id="demo-accounts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        if self.demo_accounts:
            from textual.widgets import DataTable

            table = self.query_one("#demo-accounts", DataTable)
            table.add_columns("Username", "Password", "Role")
            for i, a in enumerate(self.demo_accounts):
                table.add_row(cell(a.username), cell(a.password), cell(a.description), key=str(i))
        self.set_focus(self.query_one("#username", Input))
        self.watch(self.app, "store_ready", self._store_state, init=True)
        self.watch(self.app, "store_error", self._store_state, init=False)

    # -- the store --------------------------------------------------------------------------
    def _store_state(self, _value: object = None) -> None:
        ready = bool(getattr(self.app, "store_ready", False))
        error = getattr(self.app, "store_error", "")
        username = self.query_one("#username", Input)
        password = self.query_one("#password", Input)
        if ready:
            if self._pending:
                self._pending = False
                self._submit()
            elif not self._busy:
                self._status("Type your username and password, then press Enter.", "-info")
        elif error:
            self._pending = False
            password.value = ""  # the screen never keeps it
            for field in (username, password):
                field.placeholder = "The store did not open"
                field.disabled = True
            self.query_one("#sign-in", Button).disabled = True
            self._status(f"The store did not open. {error}", "-error")

    # -- signing in ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_field":  # shown while a field of the form has the focus
            return isinstance(self.focused, Input)
        return True

    def action_next_field(self) -> None:
        username = self.query_one("#username", Input)
        password = self.query_one("#password", Input)
        if self.focused is username and not password.value:
            self.set_focus(password)  # at once, not later: the next keys are the password
            return
        raise SkipAction()  # the field's own Enter submits the form

    @on(Input.Submitted, "#username")
    def _username_entered(self) -> None:
        if not self.query_one("#password", Input).value:
            self.query_one("#password", Input).focus()
        else:
            self._submit()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in")
    def _submit(self) -> None:
        svc = getattr(self.app, "services", None)
        if self._busy or getattr(self.app, "store_error", ""):
            return
        username_field = self.query_one("#username", Input)
        password_field = self.query_one("#password", Input)
        username, password = username_field.value, password_field.value
        if not username.strip():
            self._status("Type your username first.", "-error")
            username_field.focus()
            return
        if not password:
            self._status("Type your password.", "-error")
            password_field.focus()
            return
        if svc is None:  # still opening: signed in when it is open (see _store_state)
            self._pending = True
            self._status(OPENING + " You are signed in as soon as it is open.", "-working")
            return
        password_field.value = ""  # the screen never keeps it
        self._busy = True
        self.query_one("#sign-in", Button).disabled = True
        self._status("Checking your password...", "-working")
        self._check(svc, username, password)

    def _check(self, svc, username: str, password: str) -> None:
        from recorder.services.accounts import sign_in

        as_of = getattr(self.app, "store_generation", 0)  # before home's read begins

        def check() -> tuple[Actor, Any]:
            actor = sign_in(svc, username, password)
            # the password is checked: what home shows is read here, in the same worker, so
            # that home is built with it and drawn once (issue 15, sign-in)
            return actor, navigation.signed_in_read(svc, actor)

        run_call(
            self,
            "Checking your password",
            check,
            lambda got: self.post_message(self.SignedIn(got[0], got[1], as_of)),
            lambda outcome: self.post_message(self.Refused(outcome.message)),
            group="sign-in",
        )

    def on_sign_in_screen_refused(self, message: Refused) -> None:
        self._busy = False
        self.query_one("#sign-in", Button).disabled = False
        self._status(Content.assemble(("Not signed in. ", "bold"), line(message.message)), "-error")
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def on_sign_in_screen_signed_in(self, _message: SignedIn) -> None:
        self._busy = False  # the message bubbles on to the app, which changes screen

    # -- demo accounts -----------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A demo account chosen (the screen's one table)."""
        if event.data_table.id != "demo-accounts":
            return
        if not self.demo_accounts or event.row_key.value is None:
            return
        account = self.demo_accounts[int(event.row_key.value)]
        self.query_one("#username", Input).value = account.username
        self.query_one("#password", Input).value = account.password
        self._status(
            Content.from_markup(
                "Filled in $user. Press Enter on Sign in.", user=clean_line(account.username)
            ),
            "-info",
        )
        self.query_one("#sign-in", Button).focus()

    # -- helpers -------------------------------------------------------------------------------
    def _status(self, text: str | Content, kind: str) -> None:
        status = self.query_one("#status", Static)
        status.update(line(text) if isinstance(text, str) else text)
        status.set_classes(kind)
