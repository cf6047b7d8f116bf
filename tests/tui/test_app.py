"""Pilot tests: signing in and out, the home screen, help, and text shown as text."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from textual.binding import Binding
from textual.widgets import Button, DataTable, Input, Static

from recorder.domain.roles import COUNTERSIGN_BADGE
from recorder.tui.app import RecorderApp
from recorder.tui.dialogs.help import HelpScreen
from recorder.tui.screens.home import ADMIN_NOTE, HomeScreen
from recorder.tui.screens.signin import OPENING, SignInScreen
from tests.support.pilot import home_loaded, notices, sign_in, store_open, wait_until
from tests.support.tui import DEMO_ACCOUNTS, SIZE, DemoAccount
from tests.support.world import PASSWORD

WRONG = "That username and password do not match. Check them and try again."
HOSTILE = ["[@click=app.quit]x[/]", "[/", "[bold]x[/]"]


def text_of(widget: Static) -> str:
    return widget.render().plain


def row_texts(table: DataTable) -> list[list[str]]:
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


ACCOUNTS = [
    # username, full name, role label, registration shown, needs countersign
    ("admin", "Ada Admin", "Administrator", None, False),
    ("manager", "Maya Manager", "Team manager", "SW100001", False),
    ("manager2", "Mo Manager", "Team manager", "SW100002", False),
    ("sw", "Sam Social", "Social worker", "SW200001", False),
    ("sw2", "Sol Social", "Social worker", "SW200002", False),
    ("student", "Stu Student", "Unqualified worker (student)", None, True),
    ("awaiting", "Ava Awaiting", "Unqualified worker (awaiting registration)", None, True),
    ("southsw", "Sid South", "Social worker", "SW300001", False),
]


async def test_each_world_account_signs_in_and_sees_who_they_are(make_app):
    """One app for all eight accounts, signing out between them (an app start per account
    would double the cost of this test)."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for username, name, role, registration, badge in ACCOUNTS:
            await sign_in(pilot, username, PASSWORD)
            await home_loaded(pilot)
            screen = app.screen
            assert isinstance(screen, HomeScreen), username
            assert text_of(screen.query_one("#who-name", Static)) == f"Signed in as {name}"
            role_line = text_of(screen.query_one("#who-role", Static))
            assert role_line.startswith(role), (username, role_line)
            if registration:
                assert registration in role_line, username
            badges = screen.query("#badge")
            assert bool(badges) is badge, username
            if badge:
                assert text_of(badges.first(Static)) == COUNTERSIGN_BADGE
            assert bool(screen.query("#children")) is (username != "admin"), username
            await pilot.press("ctrl+o")
            await wait_until(pilot, lambda: isinstance(app.screen, SignInScreen))
            # nothing of the last person is left on the fresh sign-in screen
            assert [i.value for i in app.screen.query(Input)] == ["", ""]


async def test_typing_into_the_form_signs_in(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await store_open(pilot)
        assert app.screen.focused is app.screen.query_one("#username")
        await pilot.press(*"sw", "enter")  # Enter with no password moves to the password
        assert app.screen.focused is app.screen.query_one("#password")
        await pilot.press(*"correct")
        password = app.screen.query_one("#password", Input)
        assert password.value == "correct"
        password.insert_text_at_cursor(PASSWORD.removeprefix("correct"))  # typing is slow
        await pilot.press("enter")
        await home_loaded(pilot)
        table = app.screen.query_one("#children", DataTable)
        assert [r[:4] for r in row_texts(table)] == [
            ["C0001", "Amira Khan", "10", "Child protection"]
        ]
        assert text_of(app.screen.query_one("#caseload-status", Static)).startswith(
            "1 child is allocated to you."
        )


async def test_keys_typed_ahead_land_in_the_right_fields(make_app):
    """A fast typist (or a paste) sends "sw<Enter>password<Enter>" before the app redraws."""
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await store_open(pilot)
        for key in [*"sw", "enter", *PASSWORD, "enter"]:
            char = "\r" if key == "enter" else key
            app.post_message(events.Key("space" if key == " " else key, char))
        await home_loaded(pilot)
        assert app.screen.actor.name == "Sam Social"


async def test_a_wrong_password_shows_the_message_and_empties_the_password(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", "not the password")
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        status = screen.query_one("#status", Static)
        assert text_of(status) == f"Not signed in. {WRONG}"
        assert status.has_class("-error")
        assert screen.query_one("#password", Input).value == ""
        assert screen.query_one("#username", Input).value == "sw"
        assert screen.focused is screen.query_one("#password")
        assert not screen.query_one("#sign-in", Button).disabled
        # and the right password then works
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)


async def test_an_unknown_user_gets_the_same_message(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "nobody", PASSWORD)
        assert text_of(app.screen.query_one("#status", Static)) == f"Not signed in. {WRONG}"


async def test_a_locked_account_says_so_in_words(make_app, world_svc):
    from recorder.services.accounts import sign_in as service_sign_in
    from recorder.services.errors import SignInFailed

    svc, _ = world_svc
    for _ in range(svc.policy.failed_signins_before_lock):
        svc.clock.advance(hours=1)  # past any delay
        with pytest.raises(SignInFailed):
            service_sign_in(svc, "sw2", "wrong wrong wrong")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw2", PASSWORD)
        status = text_of(app.screen.query_one("#status", Static))
        assert "locked" in status and "Ask an administrator" in status
        assert isinstance(app.screen, SignInScreen)


async def test_empty_fields_are_explained_without_asking_the_service(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await store_open(pilot)
        status = app.screen.query_one("#status", Static)
        button = app.screen.query_one("#sign-in")
        await wait_until(pilot, lambda: bool(button.region))  # laid out: a click lands on it
        assert await pilot.click(button)
        await wait_until(pilot, lambda: text_of(status) != "")
        assert text_of(status) == "Type your username first."
        app.screen.query_one("#username", Input).value = "sw"
        # a Button takes no second click while it shows the first (Textual's 0.2 s "-active")
        await wait_until(pilot, lambda: not button.has_class("-active"))
        assert await pilot.click(button)
        await wait_until(pilot, lambda: text_of(status) != "Type your username first.")
        assert text_of(status) == "Type your password."
        assert app.screen.focused is app.screen.query_one("#password")


async def test_the_administrator_sees_no_case_records(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "admin", PASSWORD)
        await home_loaded(pilot)
        screen = app.screen
        assert text_of(screen.query_one("#admin-note", Static)) == ADMIN_NOTE
        assert "cannot read case records" in ADMIN_NOTE
        assert not screen.query(DataTable)
        assert "home.refresh" not in {b.binding.id for b in screen.active_bindings.values()}


async def test_children_named_like_markup_show_literally(make_app, world_svc):
    from recorder.services import children

    svc, world = world_svc
    for i, name in enumerate(HOSTILE):
        children.add_child(
            svc,
            world.admin,
            children.ChildInput(
                reference=f"[/{i}",
                full_name=name,
                date_of_birth=date(2020, 1, 1),
                allocated_worker="sw",
            ),
        )
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        table = app.screen.query_one("#children", DataTable)
        rows = row_texts(table)
        for i, name in enumerate(HOSTILE):
            assert [f"[/{i}", name, "6", "No plan"] in [r[:4] for r in rows]
        # click where each name is drawn: a markup action there would quit the app
        name_x = table.columns["reference"].get_render_width(table)
        for row, _r in enumerate(rows):
            await pilot.click(table, offset=(name_x + 2, 1 + 2 * row))  # two-line rows
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, HomeScreen)


async def test_a_worker_named_like_markup_shows_literally(make_app, world_svc):
    from recorder.services import accounts

    name = " ".join(HOSTILE)
    svc, world = world_svc
    accounts.add_user(
        svc,
        world.admin,
        username="tricky",
        full_name=name,
        role="unqualified",
        password=PASSWORD,
        team="North",
        unqualified_kind="trainee",
    )
    app = make_app(demo_accounts=[DemoAccount("tricky", "[/", name)])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        demo = app.screen.query_one("#demo-accounts", DataTable)
        assert row_texts(demo) == [["tricky", "[/", name]]
        await sign_in(pilot, "tricky", PASSWORD)
        await home_loaded(pilot)
        assert text_of(app.screen.query_one("#who-name", Static)) == f"Signed in as {name}"
        app.notify(name, markup=False)  # as the app notifies: never markup
        await pilot.pause()
        assert app.is_running


async def test_f1_lists_the_keys_of_the_current_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await store_open(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = {(k.key, k.description) for k in app.screen.keys}
        assert ("f1", "Help") in keys and ("^q", "Quit") in keys
        assert "Sign out" not in {k.description for k in app.screen.keys}
        table = app.screen.query_one("#help-keys", DataTable)
        assert table.row_count == len(app.screen.keys)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, SignInScreen))

        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        descriptions = {k.description for k in app.screen.keys}
        assert {"Sign out", "Refresh", "Help", "Quit"} <= descriptions
        assert [k.where for k in app.screen.keys][0] == "This screen"
        await pilot.press("f1")  # F1 again closes it
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        # signing out with the dialog open closes it too
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await app.run_action("app.sign_out")
        await wait_until(pilot, lambda: isinstance(app.screen, SignInScreen))
        assert app.screen_stack == [app.screen]  # the dialog closed: only the sign-in is left


async def test_sign_out_returns_to_an_empty_sign_in_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "student", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await store_open(pilot)
        screen = app.screen
        assert screen.query_one("#username", Input).value == ""
        assert screen.query_one("#password", Input).value == ""
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        assert "You are signed out." in [n.message for n in notices(app)]


async def test_a_demo_account_row_fills_the_form(make_app):
    app = make_app(demo_accounts=DEMO_ACCOUNTS)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await store_open(pilot)
        table = app.screen.query_one("#demo-accounts", DataTable)
        assert row_texts(table)[1] == [
            "student",
            PASSWORD,
            "Student social worker: needs qualified countersign",
        ]
        table.focus()
        await pilot.press("down", "enter")
        assert app.screen.query_one("#username", Input).value == "student"
        assert app.screen.focused is app.screen.query_one("#sign-in")
        await pilot.press("enter")
        await home_loaded(pilot)
        assert app.screen.query("#badge")


async def test_the_form_waits_for_the_store_to_open(world_svc):
    """The fields take keys while the store opens: a quick typist's username, password and
    Enter are kept, and they are signed in once it is open."""
    svc, _ = world_svc
    release = threading.Event()

    def opening():
        assert release.wait(10)
        return svc

    app = RecorderApp(opening, cursor_blink=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        username = screen.query_one("#username", Input)
        assert text_of(screen.query_one("#status", Static)) == OPENING
        assert screen.focused is username and not username.disabled
        await pilot.press(*"sw", "enter", *PASSWORD, "enter")
        assert username.value == "sw"
        assert screen.query_one("#password", Input).value == PASSWORD
        status = text_of(screen.query_one("#status", Static))
        assert status == OPENING + " You are signed in as soon as it is open."
        assert not app.store_ready and isinstance(app.screen, SignInScreen)
        release.set()
        await home_loaded(pilot)
        assert app.services is svc
        assert app.actor is not None and app.actor.username == "sw"


async def test_a_store_that_does_not_open_is_explained(make_app):
    from recorder.services.errors import NotAllowed

    def broken():
        raise NotAllowed("The data folder is not yours.")

    app = make_app(broken)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: bool(app.store_error))
        status = text_of(app.screen.query_one("#status", Static))
        assert status == "The store did not open. The data folder is not yours."
        assert app.screen.query_one("#username", Input).disabled
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_sign_in_message_is_posted_by_the_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        posted: list[str] = []
        real = SignInScreen.post_message

        def spy(self, message):
            posted.append(type(message).__name__)
            return real(self, message)

        SignInScreen.post_message = spy  # type: ignore[method-assign]
        try:
            await sign_in(pilot, "sw", "wrong password!")
            await sign_in(pilot, "sw", PASSWORD, settle=False)
            await wait_until(pilot, lambda: "SignedIn" in posted)
        finally:
            SignInScreen.post_message = real  # type: ignore[method-assign]
        assert "Refused" in posted and "SignedIn" in posted


async def test_every_theme_has_what_the_stylesheet_needs(make_app):
    """Every built-in theme defines the variables app.tcss uses (checked by parsing, fast);
    the ANSI themes and the light default are also drawn. Home screen styles are covered
    by the parse; the snapshots draw them in the default theme."""
    from pathlib import Path

    from textual.css.stylesheet import Stylesheet

    import recorder.tui.app as app_module

    css = Path(app_module.__file__).with_name("app.tcss").read_text(encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await store_open(pilot)
        themes = sorted(app.available_themes)
        assert {"ansi-dark", "ansi-light", "textual-dark", "textual-light"} <= set(themes)
        for name in themes:
            theme = app.get_theme(name)
            variables = {
                **app.get_theme_variable_defaults(),
                **theme.to_color_system().generate(),
                **theme.variables,
            }
            sheet = Stylesheet(variables=variables)
            sheet.add_source(css, read_from=("app.tcss", ""))
            sheet.parse()  # raises on an undefined $variable
        await sign_in(pilot, "student", "wrong password")
        for theme in ("ansi-dark", "ansi-light", "textual-light"):
            app.theme = theme
            await pilot.pause()
            assert text_of(app.screen.query_one("#status", Static)) == f"Not signed in. {WRONG}"


def test_every_binding_has_an_id_and_a_description():
    from recorder.tui.dialogs.help import HelpScreen as Help

    for owner in (RecorderApp, SignInScreen, HomeScreen, Help):
        for b in owner.__dict__.get("BINDINGS", []):
            assert isinstance(b, Binding)
            assert b.id and b.description, (owner.__name__, b.key)
    ids = [
        b.id
        for o in (RecorderApp, SignInScreen, HomeScreen, Help)
        for b in o.__dict__.get("BINDINGS", [])
    ]
    assert len(ids) == len(set(ids))


async def test_keys_can_be_remapped_by_id(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.set_keymap({"app.help": "f2"})
        await store_open(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert ("f2", "Help") in {(k.key, k.description) for k in app.screen.keys}


async def test_the_command_palette_offers_no_screenshot_of_case_data(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles
        assert {"Quit", "Theme", "Keys on this screen", "Sign out"} <= set(titles)


async def test_a_remapped_key_works_and_f1_shows_it_with_its_name(world_svc):
    """[keys] home.find = "f7" (issue 15, item 9): f7 finds, and F1 lists f7 and the name."""
    from textual.widgets import DataTable

    from recorder.tui.app import RecorderApp
    from recorder.tui.dialogs.help import HelpScreen

    svc, _world = world_svc
    app = RecorderApp(svc, cursor_blink=False, keymap={"home.find": "f7"})
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("f7")
        await wait_until(pilot, lambda: getattr(app.focused, "id", None) == "find")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert any(r[0].lower() == "f7" and r[1] == "home.find" for r in rows), rows
        assert not any(r[0].lower() in ("ctrl+f", "^f") for r in rows if r[1] == "home.find")
